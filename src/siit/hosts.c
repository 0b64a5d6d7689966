/* SPDX-License-Identifier: BSD-2-Clause */
/* The host table: entries and two hash indexes (hosts.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hosts.h"

/* Multiplier of the golden ratio, and the mixing of MurmurHash3's final
 * step: a keyed hash that is good enough when the key is secret. */
#define MIX_MUL 0x9e3779b97f4a7c15ULL

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint32_t
hash(const struct hosts *h, const uint8_t *a, size_t len)
{
	uint64_t acc = h->key[0], w;
	size_t i;

	for (i = 0; i < len; i += 4) {
		uint32_t part;

		memcpy(&part, a + i, 4);
		w = (uint64_t)part ^ h->key[1];
		acc = (acc ^ w) * MIX_MUL;
	}
	return (uint32_t)mix(acc + len);
}

static bool
find6_cb(const struct xlat_hosts *ops, const uint8_t v6[16], uint8_t v4[4])
{
	const struct hosts_entry *e =
		hosts_find6((const struct hosts *)ops, v6);

	if (e == NULL)
		return false;
	memcpy(v4, e->v4, 4);
	return true;
}

static bool
find4_cb(const struct xlat_hosts *ops, const uint8_t v4[4], uint8_t v6[16])
{
	const struct hosts_entry *e =
		hosts_find4((const struct hosts *)ops, v4);

	if (e == NULL)
		return false;
	memcpy(v6, e->v6, 16);
	return true;
}

int
hosts_init(struct hosts *h, uint32_t cap, const uint8_t key[16])
{
	uint32_t buckets = 2, i;

	memset(h, 0, sizeof(*h));
	h->ops.find4 = find4_cb;
	h->ops.find6 = find6_cb;
	memcpy(h->key, key, sizeof(h->key));
	while (buckets < 2 * (uint64_t)cap && buckets < (1u << 31))
		buckets <<= 1;
	h->cap = cap;
	h->mask = buckets - 1;
	/* calloc: pages never written stay out of the resident set */
	h->e = calloc(cap ? cap : 1, sizeof(*h->e));
	h->free = calloc(cap ? cap : 1, sizeof(*h->free));
	h->by6 = calloc(buckets, sizeof(*h->by6));
	h->by4 = calloc(buckets, sizeof(*h->by4));
	if (h->e == NULL || h->free == NULL || h->by6 == NULL ||
	    h->by4 == NULL) {
		hosts_free(h);
		return -ENOMEM;
	}
	/* Lowest index on top, so entries fill the array from the front. */
	for (i = 0; i < cap; i++)
		h->free[i] = cap - 1 - i;
	h->nfree = cap;
	return 0;
}

void
hosts_free(struct hosts *h)
{
	free(h->e);
	free(h->free);
	free(h->by6);
	free(h->by4);
	memset(h, 0, sizeof(*h));
}

/* The bucket holding addr in index idx, or the empty one where it would
 * go. The table is at most half full, so the walk ends. */
static uint32_t
slot(const struct hosts *h, const uint32_t *idx, const uint8_t *addr,
     size_t len)
{
	size_t off = len == 16 ? offsetof(struct hosts_entry, v6)
			       : offsetof(struct hosts_entry, v4);
	uint32_t b = hash(h, addr, len) & h->mask;

	while (idx[b] != 0 &&
	       memcmp((const uint8_t *)&h->e[idx[b] - 1] + off, addr, len) != 0)
		b = (b + 1) & h->mask;
	return b;
}

struct hosts_entry *
hosts_find6(const struct hosts *h, const uint8_t v6[16])
{
	uint32_t b = slot(h, h->by6, v6, 16);

	return h->by6[b] ? &h->e[h->by6[b] - 1] : NULL;
}

struct hosts_entry *
hosts_find4(const struct hosts *h, const uint8_t v4[4])
{
	uint32_t b = slot(h, h->by4, v4, 4);

	return h->by4[b] ? &h->e[h->by4[b] - 1] : NULL;
}

/* Linear probing without tombstones: after emptying bucket b, move back
 * every later entry of the run that may live closer to its home. */
static void
unlink_bucket(const struct hosts *h, uint32_t *idx, uint32_t b, size_t len)
{
	size_t off = len == 16 ? offsetof(struct hosts_entry, v6)
			       : offsetof(struct hosts_entry, v4);
	uint32_t next = b, home;

	idx[b] = 0;
	for (;;) {
		next = (next + 1) & h->mask;
		if (idx[next] == 0)
			return;
		home = hash(h, (const uint8_t *)&h->e[idx[next] - 1] + off,
			    len) &
		       h->mask;
		/* next stays when its home lies cyclically in (b, next] */
		if (((next - home) & h->mask) < ((next - b) & h->mask))
			continue;
		idx[b] = idx[next];
		idx[next] = 0;
		b = next;
	}
}

struct hosts_entry *
hosts_add(struct hosts *h, const uint8_t v6[16], const uint8_t v4[4],
	  uint8_t flags)
{
	uint32_t b6, b4, i;
	struct hosts_entry *e;

	if (h->nfree == 0)
		return NULL;
	b6 = slot(h, h->by6, v6, 16);
	b4 = slot(h, h->by4, v4, 4);
	if (h->by6[b6] != 0 || h->by4[b4] != 0)
		return NULL;
	i = h->free[--h->nfree];
	e = &h->e[i];
	memset(e, 0, sizeof(*e));
	memcpy(e->v6, v6, 16);
	memcpy(e->v4, v4, 4);
	e->flags = (uint8_t)(flags | HOSTS_F_USED);
	h->by6[b6] = i + 1;
	h->by4[b4] = i + 1;
	h->count++;
	return e;
}

void
hosts_del(struct hosts *h, struct hosts_entry *e)
{
	uint32_t i = (uint32_t)(e - h->e);

	unlink_bucket(h, h->by6, slot(h, h->by6, e->v6, 16), 16);
	unlink_bucket(h, h->by4, slot(h, h->by4, e->v4, 4), 4);
	memset(e, 0, sizeof(*e));
	h->free[h->nfree++] = i;
	h->count--;
}

bool
hosts_rekey6(struct hosts *h, struct hosts_entry *e, const uint8_t v6[16])
{
	uint32_t b = slot(h, h->by6, v6, 16);

	if (h->by6[b] != 0)
		return false;
	unlink_bucket(h, h->by6, slot(h, h->by6, e->v6, 16), 16);
	memcpy(e->v6, v6, 16);
	h->by6[slot(h, h->by6, v6, 16)] = (uint32_t)(e - h->e) + 1;
	return true;
}
