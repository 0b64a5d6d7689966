/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tayga.conf's and the map-file's maps on the host table and the pool:
 * host maps (IPv4 /32, IPv6 /128) become static entries of the table;
 * the IPv4 side of every map, and ipv4-addr, are blocked in the pool.
 * Applied again after the map-file is read again: entries that stay the
 * same are not touched (their flows go on), those that went are removed,
 * and dynamic mappings in the way of a new map are released.
 */
#ifndef XLATD_SIIT_STATICS_H
#define XLATD_SIIT_STATICS_H

#include <stddef.h>

#include "hosts.h"
#include "pool.h"
#include "tayga_conf.h"

/* gone is called for each entry before it is removed (static or
 * dynamic). pool may be NULL. Returns 0, or -1 with err set when the
 * table has no room left (the entries added so far stay). */
int statics_apply(struct hosts *h, struct pool *p, const struct tayga_conf *c,
		  void (*gone)(const struct hosts_entry *e, void *arg),
		  void *arg, char *err, size_t errlen);

#endif
