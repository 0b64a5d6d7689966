/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The dynamic pool (tayga.conf dynamic-pool): IPv6 hosts without a map
 * get an IPv4 address of the pool each, one to one, in the host table.
 * The kernel's masquerade of the pool then makes a stateful NAT64 of it.
 *
 * TAYGA's rules, which xlat-siit keeps: the lowest address of the pool is
 * never assigned; a host starts its search at an address picked from its
 * IPv6 address, so it tends to get the same one again; a mapping stays
 * for 2 hours and 4 minutes after its last packet, then goes dormant (its
 * address kept for it, but free to be taken when the pool runs out), and
 * is forgotten after 14 days.
 *
 * Against a flood of IPv6 sources, which must not take the pool from
 * everyone: a mapping is on probation until the IPv4 side has answered
 * through it. On probation it lasts POOL_PROBATION_IDLE seconds after its
 * last packet, and when the pool is full it gives way to a new host after
 * POOL_PROBATION_YIELD seconds. A host that finds the pool full (no free
 * address, none dormant, none on probation and idle) is refused; the
 * pool looks again at most once a second, so a flood costs one search
 * per second, not one per packet.
 *
 * Pure: the caller passes the time (Unix seconds) and owns the memory.
 */
#ifndef XLATD_SIIT_POOL_H
#define XLATD_SIIT_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "hosts.h"

/* TAYGA's lease times. */
#define POOL_LEASE_MIN (2 * 3600 + 4 * 60)
#define POOL_LEASE_MAX (14 * 86400)
#define POOL_PROBATION_IDLE 60
#define POOL_PROBATION_YIELD 5
/* At most this many mappings at once, whatever the pool's size. */
#define POOL_DYNAMIC_MAX (1u << 20)

struct pool_stats {
	uint64_t assigned;  /* new mappings */
	uint64_t reclaimed; /* addresses taken from a dormant or idle one */
	uint64_t expired;   /* mappings forgotten after their time */
	uint64_t refused;   /* hosts refused: the pool was full */
};

struct pool {
	struct hosts *hosts;
	uint32_t base;	   /* the prefix, host byte order */
	uint32_t size;	   /* its number of addresses */
	uint64_t *blocked; /* bit per address: never assigned */
	uint64_t *used;	   /* bit per address: assigned */
	uint32_t n_blocked, n_used;
	int64_t full_until; /* refuse without a search until then */
	struct pool_stats stats;
};

/* One change the caller passes on (to the fast path's maps, the log):
 * an entry that went away (freed) or changed hands (old_v6 is the host
 * that lost it). */
struct pool_change {
	uint8_t v4[4];
	uint8_t old_v6[16];
};

/* prefix: tayga.conf's dynamic-pool (length 0-31). Returns 0 or -ENOMEM. */
int pool_init(struct pool *p, struct hosts *h, uint32_t prefix_host_order,
	      unsigned len);
void pool_free(struct pool *p);

/* Never assign the addresses of range (the translator's own, static
 * maps); the part outside the pool is ignored. Addresses in use stay
 * with their hosts (pool_release them first). */
void pool_block(struct pool *p, uint32_t addr_host_order, unsigned len);
/* Block nothing but the lowest address again (before a map-file is read
 * again, whose maps are blocked anew). */
void pool_unblock_all(struct pool *p);

/* Forget dynamic entry e now. */
void pool_release(struct pool *p, struct hosts_entry *e);

/* Whether v4 lies in the pool. */
bool pool_contains(const struct pool *p, const uint8_t v4[4]);

enum pool_result {
	POOL_FOUND,	/* the host has a mapping */
	POOL_ASSIGNED,	/* a free address, new mapping */
	POOL_RECLAIMED, /* an address taken from another host: see change */
	POOL_FULL,	/* refused */
};

/* The mapping of IPv6 host v6, made if it has none; its last use is now.
 * *out is the entry (not for POOL_FULL). */
enum pool_result pool_get(struct pool *p, const uint8_t v6[16], int64_t now,
			  struct hosts_entry **out, struct pool_change *change);

/* A packet through entry e; reply: from the IPv4 side. */
void pool_touch(struct hosts_entry *e, int64_t now, bool reply);

/* Forget the mappings whose time is over (probation: idle for
 * POOL_PROBATION_IDLE; the others: for POOL_LEASE_MAX). Calls gone for
 * each before it goes. Returns the number forgotten. */
unsigned pool_expire(struct pool *p, int64_t now,
		     void (*gone)(const struct hosts_entry *e, void *arg),
		     void *arg);

/* A mapping from the saved state (dynamic.map): confirmed, last used at
 * last_use (a time in the future counts as now). False, with why set to
 * a static string, when it cannot be kept. */
bool pool_restore(struct pool *p, const uint8_t v6[16], const uint8_t v4[4],
		  int64_t last_use, int64_t now, const char **why);

/* Whether a dynamic mapping is dormant at now. */
bool pool_dormant(const struct hosts_entry *e, int64_t now);

/* Addresses the pool can assign: its size less the lowest and the
 * blocked ones. */
uint32_t pool_capacity(const struct pool *p);

#endif
