/* SPDX-License-Identifier: BSD-2-Clause */
/* The dynamic pool: assignment, probation, aging (pool.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

/* FNV-1a, 32 bits: where a host starts looking. Not keyed on purpose:
 * the same host starts at the same address in every run. */
#define FNV_OFFSET 0x811c9dc5u
#define FNV_PRIME 0x01000193u

static uint32_t
start_of(const uint8_t v6[16])
{
	uint32_t h = FNV_OFFSET;
	unsigned i;

	for (i = 0; i < 16; i++)
		h = (h ^ v6[i]) * FNV_PRIME;
	return h;
}

static uint32_t
addr_of(const uint8_t v4[4])
{
	return (uint32_t)v4[0] << 24 | (uint32_t)v4[1] << 16 |
	       (uint32_t)v4[2] << 8 | v4[3];
}

static void
put_addr(uint8_t v4[4], uint32_t a)
{
	v4[0] = (uint8_t)(a >> 24);
	v4[1] = (uint8_t)(a >> 16);
	v4[2] = (uint8_t)(a >> 8);
	v4[3] = (uint8_t)a;
}

static bool
bit(const uint64_t *map, uint32_t i)
{
	return map[i / 64] >> (i % 64) & 1;
}

static void
set_bit(uint64_t *map, uint32_t i, bool on)
{
	if (on)
		map[i / 64] |= 1ULL << (i % 64);
	else
		map[i / 64] &= ~(1ULL << (i % 64));
}

int
pool_init(struct pool *p, struct hosts *h, uint32_t prefix, unsigned len)
{
	size_t words;

	memset(p, 0, sizeof(*p));
	if (len < 8 || len > 31)
		return -EINVAL;
	p->hosts = h;
	p->size = 1u << (32 - len);
	p->base = prefix & ~(p->size - 1);
	words = (p->size + 63) / 64;
	p->blocked = calloc(words, sizeof(*p->blocked));
	p->used = calloc(words, sizeof(*p->used));
	if (p->blocked == NULL || p->used == NULL) {
		pool_free(p);
		return -ENOMEM;
	}
	pool_unblock_all(p);
	return 0;
}

void
pool_free(struct pool *p)
{
	free(p->blocked);
	free(p->used);
	p->blocked = p->used = NULL;
}

void
pool_unblock_all(struct pool *p)
{
	memset(p->blocked, 0, (p->size + 63) / 64 * sizeof(*p->blocked));
	/* tayga.conf(5): the lowest address is reserved. */
	set_bit(p->blocked, 0, true);
	p->n_blocked = 1;
	p->full_until = 0;
}

void
pool_block(struct pool *p, uint32_t addr, unsigned len)
{
	uint64_t first, last, i;
	uint64_t span = len >= 32 ? 1 : 1ULL << (32 - len);

	first = addr & ~(uint32_t)(span - 1);
	last = first + span - 1;
	if (last < p->base || first > (uint64_t)p->base + p->size - 1)
		return;
	if (first < p->base)
		first = p->base;
	if (last > (uint64_t)p->base + p->size - 1)
		last = (uint64_t)p->base + p->size - 1;
	for (i = first - p->base; i <= last - p->base; i++)
		if (!bit(p->blocked, (uint32_t)i)) {
			set_bit(p->blocked, (uint32_t)i, true);
			p->n_blocked++;
		}
}

bool
pool_contains(const struct pool *p, const uint8_t v4[4])
{
	return addr_of(v4) - p->base < p->size;
}

uint32_t
pool_capacity(const struct pool *p)
{
	return p->size - p->n_blocked;
}

bool
pool_dormant(const struct hosts_entry *e, int64_t now)
{
	return (e->flags & HOSTS_F_CONFIRMED) &&
	       now - e->last_use >= POOL_LEASE_MIN;
}

void
pool_touch(struct hosts_entry *e, int64_t now, bool reply)
{
	e->last_use = now;
	if (reply)
		e->flags |= HOSTS_F_CONFIRMED;
}

/* The first address from offset start on (wrapping) that is neither
 * blocked nor used; false if there is none. */
static bool
find_free(const struct pool *p, uint32_t start, uint32_t *out)
{
	uint32_t words = (p->size + 63) / 64, k, w = start / 64;

	for (k = 0; k <= words; k++, w = (w + 1) % words) {
		uint64_t busy = p->blocked[w] | p->used[w];
		uint32_t b;

		/* the first word is searched from start on, the last time
		 * round (k == words) below it */
		if (k == 0)
			busy |= (1ULL << (start % 64)) - 1;
		else if (k == words)
			busy |= ~((1ULL << (start % 64)) - 1);
		if (busy == ~0ULL)
			continue;
		b = (uint32_t)__builtin_ctzll(~busy);
		if (w * 64 + b < p->size) {
			*out = w * 64 + b;
			return true;
		}
	}
	return false;
}

static bool
dynamic(const struct hosts_entry *e)
{
	return (e->flags & (HOSTS_F_USED | HOSTS_F_STATIC)) == HOSTS_F_USED;
}

/* The mapping to give up for a new host: on probation and idle for
 * POOL_PROBATION_YIELD seconds first, else dormant; the longest idle of
 * its kind. NULL if there is none. */
static struct hosts_entry *
victim(const struct pool *p, int64_t now)
{
	struct hosts_entry *best = NULL, *e;
	int best_class = 2, class;
	uint32_t i;

	for (i = 0; i < p->hosts->cap; i++) {
		e = &p->hosts->e[i];
		if (!dynamic(e))
			continue;
		if (!(e->flags & HOSTS_F_CONFIRMED) &&
		    now - e->last_use >= POOL_PROBATION_YIELD)
			class = 0;
		else if (pool_dormant(e, now))
			class = 1;
		else
			continue;
		if (class < best_class ||
		    (class == best_class && e->last_use < best->last_use)) {
			best = e;
			best_class = class;
		}
	}
	return best;
}

static enum pool_result
assign(struct pool *p, const uint8_t v6[16], int64_t now,
       struct hosts_entry **out)
{
	uint32_t off;
	uint8_t v4[4];

	if (p->n_used >= POOL_DYNAMIC_MAX ||
	    !find_free(p, start_of(v6) % p->size, &off))
		return POOL_FULL;
	put_addr(v4, p->base + off);
	if ((*out = hosts_add(p->hosts, v6, v4, 0)) == NULL)
		return POOL_FULL;
	set_bit(p->used, off, true);
	p->n_used++;
	(*out)->last_use = now;
	p->stats.assigned++;
	return POOL_ASSIGNED;
}

enum pool_result
pool_get(struct pool *p, const uint8_t v6[16], int64_t now,
	 struct hosts_entry **out, struct pool_change *change)
{
	struct hosts_entry *e = hosts_find6(p->hosts, v6);

	if (e != NULL) {
		pool_touch(e, now, false);
		*out = e;
		return POOL_FOUND;
	}
	if (now < p->full_until) {
		p->stats.refused++;
		return POOL_FULL;
	}
	if (assign(p, v6, now, out) == POOL_ASSIGNED)
		return POOL_ASSIGNED;
	if ((e = victim(p, now)) == NULL) {
		p->full_until = now + 1;
		p->stats.refused++;
		return POOL_FULL;
	}
	memcpy(change->v4, e->v4, 4);
	memcpy(change->old_v6, e->v6, 16);
	hosts_rekey6(p->hosts, e, v6);
	e->flags = HOSTS_F_USED;
	e->last_use = now;
	p->stats.reclaimed++;
	*out = e;
	return POOL_RECLAIMED;
}

void
pool_release(struct pool *p, struct hosts_entry *e)
{
	uint32_t off = addr_of(e->v4) - p->base;

	if (off < p->size && bit(p->used, off)) {
		set_bit(p->used, off, false);
		p->n_used--;
	}
	hosts_del(p->hosts, e);
	p->full_until = 0;
}

unsigned
pool_expire(struct pool *p, int64_t now,
	    void (*gone)(const struct hosts_entry *e, void *arg), void *arg)
{
	unsigned n = 0;
	uint32_t i;

	for (i = 0; i < p->hosts->cap; i++) {
		struct hosts_entry *e = &p->hosts->e[i];
		int64_t idle = now - e->last_use;

		if (!dynamic(e))
			continue;
		if ((e->flags & HOSTS_F_CONFIRMED) ? idle < POOL_LEASE_MAX
						   : idle < POOL_PROBATION_IDLE)
			continue;
		if (gone != NULL)
			gone(e, arg);
		pool_release(p, e);
		p->stats.expired++;
		n++;
	}
	return n;
}

bool
pool_restore(struct pool *p, const uint8_t v6[16], const uint8_t v4[4],
	     int64_t last_use, int64_t now, const char **why)
{
	uint32_t off = addr_of(v4) - p->base;
	struct hosts_entry *e;

	if (off >= p->size) {
		*why = "the IPv4 address is outside dynamic-pool";
		return false;
	}
	if (bit(p->blocked, off)) {
		*why = "the IPv4 address is reserved or statically mapped";
		return false;
	}
	if (bit(p->used, off) || hosts_find6(p->hosts, v6) != NULL ||
	    hosts_find4(p->hosts, v4) != NULL) {
		*why = "the address is mapped already";
		return false;
	}
	if (p->n_used >= POOL_DYNAMIC_MAX ||
	    (e = hosts_add(p->hosts, v6, v4, HOSTS_F_CONFIRMED)) == NULL) {
		*why = "the host table is full";
		return false;
	}
	e->last_use = last_use > now ? now : last_use;
	set_bit(p->used, off, true);
	p->n_used++;
	return true;
}
