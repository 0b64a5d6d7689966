/* SPDX-License-Identifier: BSD-2-Clause */
/* Packets for the translator's own addresses (ipv4-addr, ipv6-addr): as
 * TAYGA does, it answers echo requests there (RFC 792, RFC 4443 §4.1)
 * and drops anything else. */
#ifndef XLATD_SIIT_SELF_H
#define XLATD_SIIT_SELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Turn the echo request pkt (IPv4 or IPv6, len bytes, unfragmented, no
 * extension headers or options) into its reply, in place. False, with
 * pkt untouched, for anything else. */
bool self_echo(uint8_t *pkt, size_t len);

#endif
