/* SPDX-License-Identifier: BSD-2-Clause */
/* Static maps on the host table and the pool (statics.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "statics.h"

static uint32_t
host_order(const struct in_addr *a)
{
	return ntohl(a->s_addr);
}

/* Whether e is the same host map as one of c's. */
static bool
still_mapped(const struct tayga_conf *c, const struct hosts_entry *e)
{
	unsigned i;

	for (i = 0; i < c->n_maps; i++) {
		const struct tayga_map *m = &c->maps[i];

		if (tayga_map_is_host(m) &&
		    memcmp(&m->p4.addr, e->v4, 4) == 0 &&
		    memcmp(&m->p6.addr, e->v6, 16) == 0)
			return true;
	}
	return false;
}

/* Whether dynamic entry e lies under a map of c, either side. */
static bool
under_map(const struct tayga_conf *c, const struct hosts_entry *e)
{
	unsigned i;

	for (i = 0; i < c->n_maps; i++) {
		const struct tayga_map *m = &c->maps[i];

		if (tayga_map_holds4(m, e->v4) || tayga_map_holds6(m, e->v6))
			return true;
	}
	return memcmp(&c->ipv4_addr, e->v4, 4) == 0;
}

static void
remove_entry(struct hosts *h, struct pool *p, struct hosts_entry *e,
	     void (*gone)(const struct hosts_entry *, void *), void *arg)
{
	if (gone != NULL)
		gone(e, arg);
	if (e->flags & HOSTS_F_STATIC || p == NULL)
		hosts_del(h, e);
	else
		pool_release(p, e);
}

int
statics_apply(struct hosts *h, struct pool *p, const struct tayga_conf *c,
	      void (*gone)(const struct hosts_entry *e, void *arg), void *arg,
	      char *err, size_t errlen)
{
	uint32_t i;

	for (i = 0; i < h->cap; i++) {
		struct hosts_entry *e = &h->e[i];

		if (!(e->flags & HOSTS_F_USED))
			continue;
		if ((e->flags & HOSTS_F_STATIC) ? !still_mapped(c, e)
						: under_map(c, e))
			remove_entry(h, p, e, gone, arg);
	}
	for (i = 0; i < c->n_maps; i++) {
		const struct tayga_map *m = &c->maps[i];
		const uint8_t *v6 = m->p6.addr.s6_addr;
		const uint8_t *v4 = (const uint8_t *)&m->p4.addr;

		if (!tayga_map_is_host(m) || hosts_find6(h, v6) != NULL)
			continue;
		if (hosts_add(h, v6, v4, HOSTS_F_STATIC) == NULL) {
			snprintf(err, errlen,
				 "map on line %u: no room left in the host "
				 "table",
				 m->line);
			return -1;
		}
	}
	if (p == NULL)
		return 0;
	pool_unblock_all(p);
	pool_block(p, host_order(&c->ipv4_addr), 32);
	for (i = 0; i < c->n_maps; i++)
		pool_block(p, host_order(&c->maps[i].p4.addr),
			   c->maps[i].p4.len);
	return 0;
}
