/* SPDX-License-Identifier: BSD-2-Clause */
/* Link-layer headers of captured frames. */
#ifndef XLATD_LINK_H
#define XLATD_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool link_supported(int dlt);
const uint8_t *link_ip_packet(int dlt, const uint8_t *frame, size_t caplen,
			      size_t *len);

#endif
