/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loader of bpf/clat_tc.bpf.c: opens the skeleton, fills clat_cfg, and
 * attaches clat_ingress to the uplink's ingress and clat_egress to the
 * TUN device's egress (tchook.h: tcx, else clsact). A clsact filter a
 * crashed run left on the uplink is found by its handle and priority and
 * removed (dp_bpf_cleanup_stale). The TUN goes with the process, and its
 * filter with it. In router mode, clat_lan_ingress goes on the stateless
 * LANs' ingress (dp_lan.h), or clat_nat44_ingress on the NAT44 LANs'
 * (dp_nat44.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "clat_tc.skel.h"
#include "common/log.h"
#include "common/rtnl.h"
#include "dp_bpf.h"
#include "dp_lan.h"
#include "dp_nat44.h"
#include "ifname.h"
#include "tchook.h"
#include "xlatd/xlat_maps.h"

struct dp_bpf {
	struct clat_tc *skel;
	struct xlat_maps_cfg cfg;
	struct tchook in;  /* clat_ingress on the uplink */
	struct tchook out; /* clat_egress on the TUN */
	struct dp_lan lan; /* clat_lan_ingress on router mode's LANs */
	/* NAT44 router mode: clat_nat44_ingress on the LANs instead,
	 * loaded the first time it is asked for */
	struct clat_nat44 *nat44;
	bool nat44_refused; /* the kernel would not load it (logged) */
	bool lan_nat44;	    /* the LANs' hooks run clat_nat44_ingress */
	unsigned flags;	    /* DP_BPF_F_* */
	struct rtnl *rtnl;
};

int
dp_bpf_link_has_l2(struct rtnl *rtnl, unsigned ifindex)
{
	struct rtnl_link link;
	int r;

	if ((r = rtnl_link_get(rtnl, ifindex, &link)) < 0)
		return r;
	switch (link.type) {
	case ARPHRD_ETHER:
		return 1;
	case ARPHRD_NONE:  /* TUN, WireGuard */
	case ARPHRD_RAWIP: /* cellular modems: qmi_wwan, rmnet */
	case ARPHRD_PPP:
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static int
cfg_write(struct dp_bpf *b)
{
	__u32 key = XLAT_MAPS_CFG_KEY;

	/* An array map update is a plain copy: a packet that races with it
	 * may be compared with a half-written address and passed. */
	return bpf_map__update_elem(b->skel->maps.clat_cfg, &key, sizeof(key),
				    &b->cfg, sizeof(b->cfg), BPF_ANY);
}

struct dp_bpf *
dp_bpf_open(unsigned uplink_ifindex, unsigned tun_ifindex)
{
	return dp_bpf_open_flags(uplink_ifindex, tun_ifindex, 0);
}

struct dp_bpf *
dp_bpf_open_flags(unsigned uplink_ifindex, unsigned tun_ifindex, unsigned flags)
{
	char up[IFNAME_LABEL_LEN];
	struct dp_bpf *b;
	int l2, r;

	tchook_libbpf_log();
	ifname_label(uplink_ifindex, up);
	if ((b = calloc(1, sizeof(*b))) == NULL) {
		log_warn("%s: %s", up, __func__);
		return NULL;
	}
	tchook_init(&b->in, uplink_ifindex, false, up);
	tchook_init(&b->out, tun_ifindex, true, up);
	dp_lan_init(&b->lan, up);
	b->flags = flags;
	if ((b->rtnl = rtnl_open(RTNL_FOLLOW_NONE)) == NULL) {
		log_warn("%s: %s: rtnetlink", up, __func__);
		goto fail;
	}
	if ((l2 = dp_bpf_link_has_l2(b->rtnl, uplink_ifindex)) < 0) {
		errno = -l2;
		log_warn("%s: %s: link type", up, __func__);
		goto fail;
	}
	b->cfg.tun_ifindex = tun_ifindex;
	b->cfg.uplink_ifindex = uplink_ifindex;
	b->cfg.has_l2 = l2;
	if ((b->skel = clat_tc__open_and_load()) == NULL) {
		log_warn("%s: %s: loading the eBPF programs", up, __func__);
		goto fail;
	}
	if ((r = cfg_write(b)) < 0 ||
	    (r = tchook_attach(&b->in,
			       bpf_program__fd(b->skel->progs.clat_ingress),
			       flags)) < 0) {
		errno = -r;
		log_warn("%s: %s: attaching the eBPF program", up, __func__);
		goto fail;
	}
	/* Without it, IPv4 from the host takes the slow path only. */
	if ((r = tchook_attach(&b->out,
			       bpf_program__fd(b->skel->progs.clat_egress),
			       flags)) < 0) {
		errno = -r;
		log_warn("%s: %s: ifindex %u: attaching the egress program", up,
			 __func__, tun_ifindex);
	}
	log_debug("%s: %s: attached with %s", up, __func__, dp_bpf_mode(b));
	return b;
fail:
	dp_bpf_close(b);
	return NULL;
}

int
dp_bpf_set_clat(struct dp_bpf *b, const struct in6_addr *clat_v6)
{
	struct xlat_maps_cfg old = b->cfg;
	int r;

	if (clat_v6 != NULL)
		memcpy(b->cfg.clat_v6, clat_v6->s6_addr,
		       sizeof(b->cfg.clat_v6));
	b->cfg.enabled = clat_v6 != NULL;
	if ((r = cfg_write(b)) < 0) {
		b->cfg = old;
		errno = -r;
		log_warn("%s: %s: clat_cfg", b->in.label, __func__);
	}
	return r;
}

/* The next hop for the prefix on the uplink, for clat_egress; without
 * one (on-link, or no route yet) bpf_redirect_neigh looks it up. */
static void
cfg_gateway(struct dp_bpf *b)
{
	struct rtnl_route rt;
	int r;

	b->cfg.flags &= (__u8)~XLAT_MAPS_F_GATEWAY;
	if (!b->cfg.has_l2 || !b->cfg.fast)
		return;
	/* RTA_OIF and no source: a strict lookup on the uplink alone */
	r = rtnl_route_get(b->rtnl, AF_INET6, b->cfg.prefix,
			   b->cfg.uplink_ifindex, &rt);
	if (r == 0 && rt.ifindex != b->cfg.uplink_ifindex)
		r = -ENETUNREACH;
	if (r < 0)
		log_debug("%s: %s: no route to the prefix on the uplink: %s",
			  b->in.label, __func__, strerror(-r));
	if (r < 0 || !rt.has_gateway)
		return;
	memcpy(b->cfg.gateway6, rt.gateway, sizeof(b->cfg.gateway6));
	b->cfg.flags |= XLAT_MAPS_F_GATEWAY;
}

bool
dp_bpf_map_cfg(struct xlat_maps_cfg *m, const struct xlat_cfg *x)
{
	m->fast = 0;
	m->prefix_len = 0;
	m->swap_first = x->portswap.first;
	m->swap_size = x->portswap.size;
	if (!x->has_pool6 || !xlat_prefix6_valid(&x->pool6))
		return false;
	memcpy(m->prefix, x->pool6.addr.s6_addr, sizeof(m->prefix));
	m->prefix_len = x->pool6.len;
	m->mtu_v4 = x->mtu_v4;
	m->mtu_v6 = x->mtu_v6;
	m->lowest_ipv6_mtu = x->lowest_ipv6_mtu;
	m->flags = (x->decrement_ttl ? XLAT_MAPS_F_DECREMENT_TTL : 0) |
		   (x->reset_traffic_class ? XLAT_MAPS_F_RESET_TC : 0) |
		   (x->wkp_strict && xlat_prefix6_is_wkp(&x->pool6)
			    ? XLAT_MAPS_F_WKP_STRICT
			    : 0);
	m->fast = 1;
	return true;
}

void
dp_bpf_eam_entry(const struct xlat_eam *e, struct xlat_maps_eam4_key *k4,
		 struct xlat_maps_eam6_key *k6, struct xlat_maps_eam *v)
{
	memset(k4, 0, sizeof(*k4));
	memset(k6, 0, sizeof(*k6));
	memset(v, 0, sizeof(*v));
	k4->prefixlen = e->p4.len;
	memcpy(&k4->addr, &e->p4.addr, sizeof(k4->addr));
	k6->prefixlen = e->p6.len;
	memcpy(k6->addr, e->p6.addr.s6_addr, sizeof(k6->addr));
	memcpy(v->v6, e->p6.addr.s6_addr, sizeof(v->v6));
	v->v4 = k4->addr;
	v->host4 = htonl(e->p4.len >= 32 ? 0 : 0xffffffffu >> e->p4.len);
	/* RFC 7757 §3.2: the suffix lands in the low bits. */
	v->fast = e->p6.len == 96 + e->p4.len;
}

/* Keys of entry i of x for map 4 (IPv4) or 6. */
static const void *
eam_key(const struct xlat_cfg *x, unsigned i, int family,
	struct xlat_maps_eam4_key *k4, struct xlat_maps_eam6_key *k6,
	struct xlat_maps_eam *v)
{
	dp_bpf_eam_entry(&x->eam[i], k4, k6, v);
	return family == 4 ? (const void *)k4 : (const void *)k6;
}

/* Whether key (of family's map) is that of an entry of x before end. */
static bool
eam_has_key(const struct xlat_cfg *x, unsigned end, int family, const void *key,
	    size_t size)
{
	struct xlat_maps_eam4_key k4;
	struct xlat_maps_eam6_key k6;
	struct xlat_maps_eam v;
	unsigned i;

	for (i = 0; i < end; i++)
		if (memcmp(eam_key(x, i, family, &k4, &k6, &v), key, size) == 0)
			return true;
	return false;
}

/* One map equal to x's table: its entries first (the first of equal
 * prefixes wins, as in the core), then the stale keys go. */
static int
eam_sync_one(int fd, int family, const struct xlat_cfg *x)
{
	size_t size = family == 4 ? sizeof(struct xlat_maps_eam4_key)
				  : sizeof(struct xlat_maps_eam6_key);
	uint8_t keys[XLAT_MAPS_EAM_MAX][sizeof(struct xlat_maps_eam6_key)];
	struct xlat_maps_eam4_key k4;
	struct xlat_maps_eam6_key k6;
	struct xlat_maps_eam v;
	const void *k = NULL;
	unsigned i, n = 0;
	int r;

	for (i = 0; i < x->eam_count; i++) {
		k = eam_key(x, i, family, &k4, &k6, &v);
		if (!eam_has_key(x, i, family, k, size) &&
		    (r = bpf_map_update_elem(fd, k, &v, BPF_ANY)) < 0)
			return r;
	}
	/* Deleting while walking may restart the walk: collect first. */
	for (k = NULL;
	     n < XLAT_MAPS_EAM_MAX && bpf_map_get_next_key(fd, k, keys[n]) == 0;
	     k = keys[n++])
		;
	for (i = 0; i < n; i++)
		if (!eam_has_key(x, x->eam_count, family, keys[i], size) &&
		    (r = bpf_map_delete_elem(fd, keys[i])) < 0 && r != -ENOENT)
			return r;
	return 0;
}

int
dp_bpf_eam_sync(int fd4, int fd6, const struct xlat_cfg *x)
{
	int r;

	if (x->eam_count > XLAT_MAPS_EAM_MAX)
		return -E2BIG;
	if ((r = eam_sync_one(fd4, 4, x)) < 0)
		return r;
	return eam_sync_one(fd6, 6, x);
}

int
dp_bpf_set_xlat(struct dp_bpf *b, const struct xlat_cfg *x, bool fast)
{
	struct xlat_maps_cfg old = b->cfg;
	int r;

	if (!dp_bpf_map_cfg(&b->cfg, x) && fast)
		log_info("%s: fast path off: no RFC 6052 prefix", b->in.label);
	if (!fast)
		b->cfg.fast = 0;
	cfg_gateway(b);
	r = dp_bpf_eam_sync(bpf_map__fd(b->skel->maps.clat_eam4),
			    bpf_map__fd(b->skel->maps.clat_eam6), x);
	if (r < 0 || (r = cfg_write(b)) < 0) {
		b->cfg = old;
		errno = -r;
		log_warn("%s: %s: clat_cfg, clat_eam4, clat_eam6", b->in.label,
			 __func__);
	}
	return r;
}

int
dp_bpf_read_all(struct dp_bpf *b, uint64_t sum[XLAT_MAPS_CNT_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *v;
	__u32 key;
	int i, r = 0;

	if (ncpu < 0)
		return ncpu;
	if ((v = calloc(ncpu, sizeof(*v))) == NULL)
		return -errno;
	for (key = 0; key < XLAT_MAPS_CNT_MAX; key++) {
		r = bpf_map__lookup_elem(b->skel->maps.clat_counters, &key,
					 sizeof(key), v, ncpu * sizeof(*v), 0);
		if (r < 0)
			break;
		sum[key] = 0;
		for (i = 0; i < ncpu; i++)
			sum[key] += v[i];
	}
	free(v);
	return r;
}

int
dp_bpf_read_counters(struct dp_bpf *b, uint64_t *redirected, uint64_t *passed)
{
	uint64_t sum[XLAT_MAPS_CNT_MAX];
	int r;

	if ((r = dp_bpf_read_all(b, sum)) < 0)
		return r;
	*redirected = sum[XLAT_MAPS_CNT_REDIRECTED];
	*passed = sum[XLAT_MAPS_CNT_PASSED];
	return 0;
}

/* The LANs' hooks with prog_fd (clat_nat44_ingress when nat44); when
 * the program changes, off every interface before the other goes on. */
static int
dp_bpf_lans(struct dp_bpf *b, int prog_fd, bool nat44,
	    const struct dp_lan_src *src, unsigned n)
{
	int map_fd = bpf_map__fd(b->skel->maps.clat_lan4);

	if (nat44 != b->lan_nat44)
		dp_lan_set(&b->lan, b->rtnl, prog_fd, map_fd, NULL, 0,
			   b->flags);
	b->lan_nat44 = nat44;
	return dp_lan_set(&b->lan, b->rtnl, prog_fd, map_fd, src, n, b->flags);
}

int
dp_bpf_set_lans(struct dp_bpf *b, const struct dp_lan_src *src, unsigned n)
{
	return dp_bpf_lans(b, bpf_program__fd(b->skel->progs.clat_lan_ingress),
			   false, src, n);
}

int
dp_bpf_set_nat44_lans(struct dp_bpf *b, const struct dp_lan_src *src,
		      unsigned n)
{
	if (n > 0 && b->nat44 == NULL && !b->nat44_refused &&
	    (b->nat44 = dp_nat44_load(b->skel, dp_nat44_udp_timeout_ms())) ==
		    NULL) {
		b->nat44_refused = true;
		log_warn("%s: NAT44 LAN fast path unavailable (it needs "
			 "conntrack's BPF kfuncs); the LANs take the kernel's "
			 "path",
			 b->lan.label);
	}
	if (b->nat44 == NULL)
		return dp_bpf_lans(b, -1, true, NULL, 0);
	return dp_bpf_lans(b,
			   bpf_program__fd(b->nat44->progs.clat_nat44_ingress),
			   true, src, n);
}

const char *
dp_bpf_mode(const struct dp_bpf *b)
{
	return tchook_mode(&b->in);
}

void
dp_bpf_close(struct dp_bpf *b)
{
	if (b == NULL)
		return;
	dp_lan_close(&b->lan, b->rtnl);
	clat_nat44__destroy(b->nat44);
	tchook_detach(&b->out, b->rtnl);
	tchook_detach(&b->in, b->rtnl);
	clat_tc__destroy(b->skel);
	rtnl_close(b->rtnl);
	free(b);
}

/* Whether prog_id is an xlatd program, by its name. */
static bool
prog_is_ours(__u32 prog_id)
{
	struct bpf_prog_info info = {0};
	__u32 len = sizeof(info);
	bool ours;
	int fd;

	if ((fd = bpf_prog_get_fd_by_id(prog_id)) < 0)
		return false;
	ours = bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
	       info.type == BPF_PROG_TYPE_SCHED_CLS &&
	       (strncmp(info.name, DP_BPF_PROG_NAME, sizeof(info.name)) == 0 ||
		strncmp(info.name, DP_BPF_LAN_PROG_NAME, sizeof(info.name)) ==
			0 ||
		strncmp(info.name, DP_BPF_NAT44_PROG_NAME, sizeof(info.name)) ==
			0);
	close(fd);
	return ours;
}

int
dp_bpf_cleanup_stale(unsigned ifindex)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = DP_BPF_TC_HANDLE,
			    .priority = DP_BPF_TC_PRIO);
	char up[IFNAME_LABEL_LEN];
	int r;

	tchook_libbpf_log();
	r = bpf_tc_query(&hook, &opts);
	/* EINVAL: no clsact or ingress qdisc; ENOENT: no such filter */
	if (r == -EINVAL || r == -ENOENT || r == -ENODEV)
		return 0;
	if (r < 0)
		return r;
	if (!prog_is_ours(opts.prog_id)) {
		log_warnx("%s: %s: filter %#x prio %#x is not xlatd's "
			  "(prog id %u); left in place",
			  ifname_label(ifindex, up), __func__, DP_BPF_TC_HANDLE,
			  DP_BPF_TC_PRIO, opts.prog_id);
		return 0;
	}
	opts.prog_id = 0;
	if ((r = bpf_tc_detach(&hook, &opts)) < 0)
		return r;
	return 1;
}

bool
dp_bpf_have_tcx(void)
{
	/* r0 = 0; exit */
	const struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	int prog_fd, fd;

	tchook_libbpf_log();
	prog_fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, NULL, "BSD", insns,
				sizeof(insns) / sizeof(insns[0]), NULL);
	if (prog_fd < 0)
		return false;
	/* ifindex 0 exists nowhere: a kernel with tcx says ENODEV
	 * (kernel/bpf/tcx.c, tcx_link_attach), one without says EINVAL. */
	fd = bpf_link_create(prog_fd, 0, TCHOOK_TCX_INGRESS, NULL);
	if (fd >= 0)
		close(fd);
	close(prog_fd);
	return fd == -ENODEV;
}
