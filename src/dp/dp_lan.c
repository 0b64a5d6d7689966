/* SPDX-License-Identifier: BSD-2-Clause */
/* Router mode's stateless LANs at their own ingress (dp_lan.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/bpf.h>

#include "common/log.h"
#include "dp_bpf.h"
#include "dp_lan.h"

void
dp_lan_init(struct dp_lan *l, const char *label)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->label, sizeof(l->label), "%s", label);
}

static void
lan_key(const struct dp_lan_src *s, struct xlat_maps_lan_key *k)
{
	memset(k, 0, sizeof(*k));
	k->prefixlen = 32 + s->prefix.len;
	k->ifindex = s->ifindex;
	memcpy(&k->addr, &s->prefix.addr, sizeof(k->addr));
}

static bool
src_has_ifindex(const struct dp_lan_src *src, unsigned n, unsigned ifindex)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (src[i].ifindex == ifindex)
			return true;
	return false;
}

static bool
src_has_key(const struct dp_lan_src *src, unsigned n,
	    const struct xlat_maps_lan_key *key)
{
	struct xlat_maps_lan_key k;
	unsigned i;

	for (i = 0; i < n; i++) {
		lan_key(&src[i], &k);
		if (memcmp(&k, key, sizeof(k)) == 0)
			return true;
	}
	return false;
}

/* The map: src's keys in, then the others out (collected first: deleting
 * while walking may restart the walk). */
static int
map_sync(int fd, struct rtnl *rtnl, const struct dp_lan_src *src, unsigned n)
{
	struct xlat_maps_lan_key keys[XLAT_MAPS_LAN_MAX], k;
	struct xlat_maps_lan v;
	unsigned i, m = 0;
	int r, err = 0;

	for (i = 0; i < n; i++) {
		lan_key(&src[i], &k);
		memset(&v, 0, sizeof(v));
		r = dp_bpf_link_has_l2(rtnl, src[i].ifindex);
		if (r >= 0) {
			v.has_l2 = (__u8)r;
			r = bpf_map_update_elem(fd, &k, &v, BPF_ANY);
		}
		if (r < 0 && err == 0)
			err = r;
	}
	while (m < XLAT_MAPS_LAN_MAX &&
	       bpf_map_get_next_key(fd, m > 0 ? &keys[m - 1] : NULL,
				    &keys[m]) == 0)
		m++;
	for (i = 0; i < m; i++)
		if (!src_has_key(src, n, &keys[i]) &&
		    (r = bpf_map_delete_elem(fd, &keys[i])) < 0 &&
		    r != -ENOENT && err == 0)
			err = r;
	return err;
}

/* The hooks of interfaces src no longer names go. */
static void
hooks_drop(struct dp_lan *l, struct rtnl *rtnl, const struct dp_lan_src *src,
	   unsigned n)
{
	unsigned i = 0;

	while (i < l->count) {
		if (src_has_ifindex(src, n, l->hook[i].ifindex)) {
			i++;
			continue;
		}
		tchook_detach(&l->hook[i], rtnl);
		l->hook[i] = l->hook[--l->count];
	}
}

static bool
hooked(const struct dp_lan *l, unsigned ifindex)
{
	unsigned i;

	for (i = 0; i < l->count; i++)
		if (l->hook[i].ifindex == ifindex)
			return true;
	return false;
}

int
dp_lan_set(struct dp_lan *l, struct rtnl *rtnl, int prog_fd, int map_fd,
	   const struct dp_lan_src *src, unsigned n, unsigned flags)
{
	struct tchook *h;
	unsigned i;
	int r, err;

	hooks_drop(l, rtnl, src, n);
	if ((err = map_sync(map_fd, rtnl, src, n)) < 0) {
		errno = -err;
		log_warn("%s: %s: clat_lan4", l->label, __func__);
	}
	for (i = 0; i < n; i++) {
		if (hooked(l, src[i].ifindex) || l->count == XLAT_MAPS_LAN_MAX)
			continue;
		h = &l->hook[l->count];
		tchook_init(h, src[i].ifindex, false, l->label);
		/* with clsact, a filter a crashed run left would block ours */
		if ((r = dp_bpf_cleanup_stale(src[i].ifindex)) > 0)
			log_info("%s: %s: ifindex %u: removed the LAN program "
				 "of an earlier run",
				 l->label, __func__, src[i].ifindex);
		if ((r = tchook_attach(h, prog_fd, flags)) < 0) {
			errno = -r;
			log_warn(
				"%s: %s: ifindex %u: attaching the LAN program",
				l->label, __func__, src[i].ifindex);
			if (err == 0)
				err = r;
			continue;
		}
		log_debug("%s: %s: LAN ifindex %u at ingress with %s", l->label,
			  __func__, src[i].ifindex, tchook_mode(h));
		l->count++;
	}
	return err;
}

void
dp_lan_close(struct dp_lan *l, struct rtnl *rtnl)
{
	hooks_drop(l, rtnl, NULL, 0);
}
