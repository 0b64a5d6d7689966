/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xlat-siit's host table: one IPv6 address to one IPv4 address, for the
 * static host maps of tayga.conf and the dynamic pool's assignments. The
 * translation core asks it through struct xlat_hosts (the first member),
 * after its RFC 7757 table and before the RFC 6052 prefix.
 *
 * Two open-addressed hash indexes (by IPv6 and by IPv4 address, linear
 * probing, at most half full) over a fixed array of entries; the hash is
 * keyed with a secret, so that chosen addresses cannot pile up in one
 * chain. Memory is allocated once, by hosts_init; nothing else allocates.
 */
#ifndef XLATD_SIIT_HOSTS_H
#define XLATD_SIIT_HOSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "xlatd/xlat.h"

#define HOSTS_F_USED 0x01
#define HOSTS_F_STATIC 0x02    /* a map of tayga.conf or the map-file */
#define HOSTS_F_CONFIRMED 0x04 /* dynamic: the IPv4 side has answered */

struct hosts_entry {
	uint8_t v6[16];
	uint8_t v4[4];
	uint8_t flags;	  /* HOSTS_F_* */
	int64_t last_use; /* dynamic: Unix time of the last packet */
};

struct hosts {
	struct xlat_hosts ops; /* first: the core's view of the table */
	uint32_t cap, count;
	struct hosts_entry *e; /* cap entries */
	uint32_t *free;	       /* stack of unused entry indexes */
	uint32_t nfree;
	uint32_t mask;	     /* buckets - 1 */
	uint32_t *by6, *by4; /* entry index + 1; 0: empty bucket */
	uint64_t key[2];
};

/* Room for cap entries; key: 16 secret bytes. Returns 0 or -ENOMEM. */
int hosts_init(struct hosts *h, uint32_t cap, const uint8_t key[16]);
void hosts_free(struct hosts *h);

struct hosts_entry *hosts_find6(const struct hosts *h, const uint8_t v6[16]);
struct hosts_entry *hosts_find4(const struct hosts *h, const uint8_t v4[4]);

/* A new entry; NULL when the table is full or either address is in it. */
struct hosts_entry *hosts_add(struct hosts *h, const uint8_t v6[16],
			      const uint8_t v4[4], uint8_t flags);
void hosts_del(struct hosts *h, struct hosts_entry *e);

/* Give entry e (dynamic) a new IPv6 address. False if that one is taken. */
bool hosts_rekey6(struct hosts *h, struct hosts_entry *e, const uint8_t v6[16]);

#endif
