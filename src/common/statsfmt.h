/* SPDX-License-Identifier: BSD-2-Clause */
/* The translation core's counters (struct xlat_stats) as xlatctl shows
 * them, for xlatd and xlat-siit alike: a table, or JSON with the stable
 * keys of xlatctl(8). */
#ifndef XLATD_STATSFMT_H
#define XLATD_STATSFMT_H

#include <stdio.h>

#include "xlatd/xlat.h"

/* "key":"value" with RFC 8259 §7 escapes (interface names may hold
 * quotes), or "key":null when value is NULL. */
void statsfmt_json_field(FILE *out, const char *key, const char *value);

/* ,"ipv4_to_ipv6":{...},"ipv6_to_ipv4":{...}: packets in and out per
 * protocol, fragments out and ICMP errors sent, each direction. */
void statsfmt_json_dirs(FILE *out, const struct xlat_stats *s);
/* ,"drops":{...}: every drop reason and its count. */
void statsfmt_json_drops(FILE *out, const struct xlat_stats *s);

/* The same as lines of text: a table of the directions, and the drop
 * reasons that were counted. */
void statsfmt_text_dirs(FILE *out, const struct xlat_stats *s);
/* statsfmt_text_drops also gives the ICMP errors sent and held back. */
void statsfmt_text_drops(FILE *out, const struct xlat_stats *s);

#endif
