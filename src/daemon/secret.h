/* SPDX-License-Identifier: BSD-2-Clause */
/* The secret behind stable CLAT interface identifiers (RFC 7217 §5). */
#ifndef XLATD_SECRET_H
#define XLATD_SECRET_H

#include <stdint.h>

#include "clat_addr.h"

/* Read dir/secret, creating it (mode 0600) with random bytes when it is
 * missing. Falls back to a random secret for this run only, and says so,
 * when the directory cannot be used. */
void secret_load(const char *dir, uint8_t secret[CLAT_SECRET_LEN]);

#endif
