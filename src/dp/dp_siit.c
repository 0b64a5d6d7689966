/* SPDX-License-Identifier: BSD-2-Clause */
/* Loader of bpf/siit_tc.bpf.c (dp_siit.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/log.h"
#include "common/rtnl.h"
#include "dp_siit.h"
#include "siit_tc.skel.h"
#include "ifname.h"
#include "tchook.h"

/* ::ffff:0:0/96 in front of the IPv4 prefixes of siit_eam. */
#define LPM_V4_BASE 96

struct dp_siit {
	struct siit_tc *skel;
	struct siit_maps_cfg cfg;
	struct tchook hook;
	struct rtnl *rtnl;
};

static int
cfg_write(struct dp_siit *b)
{
	__u32 key = XLAT_MAPS_CFG_KEY;

	return bpf_map__update_elem(b->skel->maps.siit_cfg, &key, sizeof(key),
				    &b->cfg, sizeof(b->cfg), BPF_ANY);
}

struct dp_siit *
dp_siit_open(unsigned tun_ifindex, uint32_t max_hosts, unsigned flags)
{
	char dev[IFNAME_LABEL_LEN];
	struct dp_siit *b;
	int r;

	tchook_libbpf_log();
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		log_warn("%s", __func__);
		return NULL;
	}
	tchook_init(&b->hook, tun_ifindex, true,
		    ifname_label(tun_ifindex, dev));
	b->cfg.tun_ifindex = tun_ifindex;
	if ((b->rtnl = rtnl_open(RTNL_FOLLOW_NONE)) == NULL) {
		log_warn("%s: rtnetlink", __func__);
		goto fail;
	}
	if ((b->skel = siit_tc__open()) == NULL ||
	    bpf_map__set_max_entries(b->skel->maps.siit_hosts6, max_hosts) <
		    0 ||
	    bpf_map__set_max_entries(b->skel->maps.siit_hosts4, max_hosts) <
		    0 ||
	    siit_tc__load(b->skel) < 0) {
		log_warn("%s: loading the eBPF program", __func__);
		goto fail;
	}
	if ((r = cfg_write(b)) < 0 ||
	    (r = tchook_attach(&b->hook,
			       bpf_program__fd(b->skel->progs.siit_egress),
			       flags)) < 0) {
		errno = -r;
		log_warn("%s: ifindex %u: attaching the eBPF program", __func__,
			 tun_ifindex);
		goto fail;
	}
	return b;
fail:
	dp_siit_close(b);
	return NULL;
}

static void
lpm_key(struct siit_maps_lpm *k, const uint8_t *addr, unsigned len, bool v4)
{
	memset(k, 0, sizeof(*k));
	if (v4) {
		k->addr[10] = k->addr[11] = 0xff;
		memcpy(k->addr + 12, addr, 4);
		k->prefixlen = LPM_V4_BASE + len;
	} else {
		memcpy(k->addr, addr, 16);
		k->prefixlen = len;
	}
}

int
dp_siit_eam_fill(int fd, const struct xlat_cfg *x)
{
	struct siit_maps_lpm k, next;
	const __u8 one = 1;
	unsigned i;

	while (bpf_map_get_next_key(fd, NULL, &next) == 0)
		if (bpf_map_delete_elem(fd, &next) < 0)
			return -errno;
	for (i = 0; i < x->eam_count; i++) {
		lpm_key(&k, x->eam[i].p6.addr.s6_addr, x->eam[i].p6.len, false);
		if (bpf_map_update_elem(fd, &k, &one, BPF_ANY) < 0)
			return -errno;
		lpm_key(&k, (const uint8_t *)&x->eam[i].p4.addr,
			x->eam[i].p4.len, true);
		if (bpf_map_update_elem(fd, &k, &one, BPF_ANY) < 0)
			return -errno;
	}
	return 0;
}

void
dp_siit_map_cfg(struct siit_maps_cfg *c, const struct xlat_cfg *x,
		const struct dp_siit_addrs *a)
{
	memset(c->prefix, 0, sizeof(c->prefix));
	c->prefix_len = 0;
	if (x->has_pool6 && xlat_prefix6_valid(&x->pool6)) {
		memcpy(c->prefix, x->pool6.addr.s6_addr, sizeof(c->prefix));
		c->prefix_len = x->pool6.len;
	}
	memcpy(c->own6, a->own6.s6_addr, sizeof(c->own6));
	c->own4 = a->own4.s_addr;
	c->pool4 = c->pool4_mask = 0;
	if (a->has_pool) {
		c->pool4_mask =
			htonl(a->pool.len ? ~0u << (32 - a->pool.len) : 0);
		c->pool4 = a->pool.addr.s_addr & c->pool4_mask;
	}
	c->lowest_ipv6_mtu = x->lowest_ipv6_mtu;
	/* RFC 6052 §3.1 holds for the Well-Known Prefix only. */
	c->flags = (x->decrement_ttl ? XLAT_MAPS_F_DECREMENT_TTL : 0) |
		   (x->reset_traffic_class ? XLAT_MAPS_F_RESET_TC : 0) |
		   (x->wkp_strict && c->prefix_len &&
				    xlat_prefix6_is_wkp(&x->pool6)
			    ? XLAT_MAPS_F_WKP_STRICT
			    : 0);
	c->enabled = 1;
}

int
dp_siit_set_cfg(struct dp_siit *b, const struct xlat_cfg *x,
		const struct dp_siit_addrs *a)
{
	int r;

	/* Everything slow while the tables change. */
	b->cfg.enabled = 0;
	if ((r = cfg_write(b)) < 0 ||
	    (r = dp_siit_eam_fill(bpf_map__fd(b->skel->maps.siit_eam), x)) < 0)
		return r;
	dp_siit_map_cfg(&b->cfg, x, a);
	return cfg_write(b);
}

int
dp_siit_hosts_write(int fd6, int fd4, const uint8_t v6[16], const uint8_t v4[4],
		    bool is_static, bool confirmed)
{
	struct siit_maps_host h = {
		.flags = (is_static ? SIIT_MAPS_HOST_STATIC : 0) |
			 (confirmed ? SIIT_MAPS_HOST_CONFIRMED : 0),
	};

	memcpy(h.v6, v6, 16);
	memcpy(&h.v4, v4, 4);
	if (bpf_map_update_elem(fd6, v6, &h, BPF_ANY) < 0 ||
	    bpf_map_update_elem(fd4, v4, &h, BPF_ANY) < 0)
		return -errno;
	return 0;
}

int
dp_siit_host_put(struct dp_siit *b, const uint8_t v6[16], const uint8_t v4[4],
		 bool is_static, bool confirmed)
{
	return dp_siit_hosts_write(bpf_map__fd(b->skel->maps.siit_hosts6),
				   bpf_map__fd(b->skel->maps.siit_hosts4), v6,
				   v4, is_static, confirmed);
}

int
dp_siit_host_del(struct dp_siit *b, const uint8_t v6[16], const uint8_t v4[4])
{
	int r = 0;

	/* ENOENT: never put, or the slow path's address alone changed */
	if (bpf_map__delete_elem(b->skel->maps.siit_hosts6, v6, 16, 0) < 0 &&
	    errno != ENOENT)
		r = -errno;
	if (bpf_map__delete_elem(b->skel->maps.siit_hosts4, v4, 4, 0) < 0 &&
	    errno != ENOENT)
		r = -errno;
	return r;
}

int
dp_siit_host_seen(struct dp_siit *b, const uint8_t v6[16], const uint8_t v4[4],
		  int64_t *ago, bool *confirmed)
{
	struct siit_maps_host h6, h4;
	struct timespec ts;
	uint64_t now, last;

	if (bpf_map__lookup_elem(b->skel->maps.siit_hosts6, v6, 16, &h6,
				 sizeof(h6), 0) < 0 ||
	    bpf_map__lookup_elem(b->skel->maps.siit_hosts4, v4, 4, &h4,
				 sizeof(h4), 0) < 0)
		return -ENOENT;
	/* bpf_ktime_get_coarse_ns is CLOCK_MONOTONIC, coarse */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	last = h6.last_ns > h4.last_ns ? h6.last_ns : h4.last_ns;
	*ago = last == 0 ? -1
			 : (int64_t)((now > last ? now - last : 0) /
				     1000000000ULL);
	*confirmed = (h4.flags | h6.flags) & SIIT_MAPS_HOST_CONFIRMED;
	return 0;
}

int
dp_siit_counters(struct dp_siit *b, uint64_t fast[XLAT_DIR_MAX])
{
	static const __u32 keys[XLAT_DIR_MAX] = {
		[XLAT_DIR_46] = SIIT_MAPS_CNT_FAST_46,
		[XLAT_DIR_64] = SIIT_MAPS_CNT_FAST_64,
	};
	int ncpu = libbpf_num_possible_cpus(), i, d, r = 0;
	__u64 *v;

	if (ncpu < 0)
		return ncpu;
	if ((v = calloc((size_t)ncpu, sizeof(*v))) == NULL)
		return -errno;
	for (d = 0; d < XLAT_DIR_MAX; d++) {
		if (bpf_map__lookup_elem(b->skel->maps.siit_counters, &keys[d],
					 sizeof(keys[d]), v,
					 (size_t)ncpu * sizeof(*v), 0) < 0) {
			r = -errno;
			break;
		}
		for (fast[d] = 0, i = 0; i < ncpu; i++)
			fast[d] += v[i];
	}
	free(v);
	return r;
}

const char *
dp_siit_mode(const struct dp_siit *b)
{
	return tchook_mode(&b->hook);
}

void
dp_siit_close(struct dp_siit *b)
{
	if (b == NULL)
		return;
	tchook_detach(&b->hook, b->rtnl);
	siit_tc__destroy(b->skel);
	rtnl_close(b->rtnl);
	free(b);
}
