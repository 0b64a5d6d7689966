/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatctl status and stats bodies: a table, or JSON with stable keys
 * (documented in xlatctl(8)). */
#ifndef XLATD_REPORT_H
#define XLATD_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "instance.h"

void report_status(const struct inst_info *info, unsigned n, bool json,
		   FILE *out);
void report_stats(const struct inst_info *info, unsigned n, bool json,
		  FILE *out);

#endif
