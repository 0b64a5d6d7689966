/* SPDX-License-Identifier: BSD-2-Clause */
/* Router mode's nftables table (nat44.h), built with libnftnl and sent
 * as one nf_tables transaction over libmnl. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "nat44.h"

#define CHAIN_NAT "postrouting"
#define CHAIN_MSS "forward"
/* nft's names for the priorities: srcnat and mangle. */
#define PRIO_SRCNAT 100
#define PRIO_MANGLE (-150)
/* RFC 9293 §3.2: the MSS option (kind 2) holds 2 bytes after kind and
 * length; the flags byte of the TCP header. */
#define TCPOPT_MSS 2
#define TCP_FLAGS_OFF 13
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define IPV4_SRC_OFF 12

#define BATCH_SIZE 65536
#define REPLY_TIMEOUT_S 5

struct nat44 {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	bool created; /* this socket created the table */
	char *buf;
};

/* A transaction being built: its messages, and how many await an ack. */
struct batch {
	struct mnl_nlmsg_batch *b;
	struct nat44 *n;
	uint32_t first_seq;
	unsigned acks;
	bool full;
};

/* ---- expressions: each appends one to rule r; false when out of
 * memory ---- */

static struct nftnl_expr *
expr(struct nftnl_rule *r, const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (e != NULL)
		nftnl_rule_add_expr(r, e);
	return e;
}

static bool
e_meta(struct nftnl_rule *r, uint32_t key)
{
	struct nftnl_expr *e = expr(r, "meta");

	if (e == NULL)
		return false;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	return true;
}

static bool
e_cmp(struct nftnl_rule *r, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = expr(r, "cmp");

	if (e == NULL)
		return false;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	return true;
}

/* An interface name, compared as the kernel keeps it: IFNAMSIZ bytes. */
static bool
e_ifname(struct nftnl_rule *r, uint32_t key, const char *name)
{
	char pad[IF_NAMESIZE] = {0};

	memcpy(pad, name, strnlen(name, sizeof(pad) - 1));
	return e_meta(r, key) && e_cmp(r, NFT_CMP_EQ, pad, sizeof(pad));
}

static bool
e_payload(struct nftnl_rule *r, uint32_t base, uint32_t off, uint32_t len)
{
	struct nftnl_expr *e = expr(r, "payload");

	if (e == NULL)
		return false;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	return true;
}

/* reg 1 = reg 1 & mask (len bytes). */
static bool
e_and(struct nftnl_rule *r, const void *mask, uint32_t len)
{
	static const uint8_t zero[4];
	struct nftnl_expr *e = expr(r, "bitwise");

	if (e == NULL)
		return false;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
	return true;
}

static bool
e_imm(struct nftnl_rule *r, const void *data, uint32_t len)
{
	struct nftnl_expr *e = expr(r, "immediate");

	if (e == NULL)
		return false;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_1);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
	return true;
}

static bool
e_snat(struct nftnl_rule *r, const struct in_addr *to)
{
	struct nftnl_expr *e;

	if (!e_imm(r, to, sizeof(*to)) || (e = expr(r, "nat")) == NULL)
		return false;
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, NFT_NAT_SNAT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY, NFPROTO_IPV4);
	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
	return true;
}

static bool
e_verdict(struct nftnl_rule *r, uint32_t verdict)
{
	struct nftnl_expr *e = expr(r, "immediate");

	if (e == NULL)
		return false;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, verdict);
	return true;
}

/* The table's named counter of spoofed sources counts the packet. */
static bool
e_spoof_counter(struct nftnl_rule *r)
{
	struct nftnl_expr *e = expr(r, "objref");

	if (e == NULL)
		return false;
	nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE, NFT_OBJECT_COUNTER);
	nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, NAT44_SPOOF_COUNTER);
	return true;
}

/* ip saddr PREFIX */
static bool
e_saddr(struct nftnl_rule *r, const struct xlat_prefix4 *p)
{
	uint32_t mask = htonl(p->len == 0 ? 0 : 0xffffffffu << (32 - p->len));
	uint32_t net = p->addr.s_addr & mask;

	return e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, IPV4_SRC_OFF, 4) &&
	       e_and(r, &mask, sizeof(mask)) &&
	       e_cmp(r, NFT_CMP_EQ, &net, sizeof(net));
}

/* A TCP segment with SYN and without RST. */
static bool
e_tcp_syn(struct nftnl_rule *r)
{
	uint8_t tcp = IPPROTO_TCP, mask = TCP_SYN | TCP_RST, syn = TCP_SYN;

	return e_meta(r, NFT_META_L4PROTO) &&
	       e_cmp(r, NFT_CMP_EQ, &tcp, sizeof(tcp)) &&
	       e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, TCP_FLAGS_OFF, 1) &&
	       e_and(r, &mask, sizeof(mask)) &&
	       e_cmp(r, NFT_CMP_EQ, &syn, sizeof(syn));
}

/* The MSS option's value: loaded into reg 1, or written from it. */
static bool
e_mss(struct nftnl_rule *r, bool write)
{
	struct nftnl_expr *e = expr(r, "exthdr");

	if (e == NULL)
		return false;
	nftnl_expr_set_u32(
		e, write ? NFTNL_EXPR_EXTHDR_SREG : NFTNL_EXPR_EXTHDR_DREG,
		NFT_REG_1);
	nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, TCPOPT_MSS);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, 2);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, 2);
	nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
	return true;
}

/* reg 1 = the MSS of the packet's route (its MTU less 40), in network
 * order. */
static bool
e_route_mss(struct nftnl_rule *r)
{
	struct nftnl_expr *rt = expr(r, "rt"), *bo;

	if (rt == NULL)
		return false;
	nftnl_expr_set_u32(rt, NFTNL_EXPR_RT_KEY, NFT_RT_TCPMSS);
	nftnl_expr_set_u32(rt, NFTNL_EXPR_RT_DREG, NFT_REG_1);
	if ((bo = expr(r, "byteorder")) == NULL)
		return false;
	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_SREG, NFT_REG_1);
	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_DREG, NFT_REG_1);
	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_LEN, 2);
	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_SIZE, 2);
	return true;
}

/* ---- the rules ---- */

/* oifname CLAT ip saddr PREFIX snat to CLAT_V4 */
static bool
rule_snat_prefix(struct nftnl_rule *r, const struct nat44_cfg *cfg,
		 const struct xlat_prefix4 *p)
{
	return e_ifname(r, NFT_META_OIFNAME, cfg->clat_dev) && e_saddr(r, p) &&
	       e_snat(r, &cfg->clat_v4);
}

/* oifname CLAT iifname LAN snat to CLAT_V4 */
static bool
rule_snat_ifname(struct nftnl_rule *r, const struct nat44_cfg *cfg,
		 const char *ifname)
{
	return e_ifname(r, NFT_META_OIFNAME, cfg->clat_dev) &&
	       e_ifname(r, NFT_META_IIFNAME, ifname) &&
	       e_snat(r, &cfg->clat_v4);
}

/* oifname CLAT tcp flags syn / syn,rst tcp option maxseg size set rt mtu */
static bool
rule_mss_in(struct nftnl_rule *r, const struct nat44_cfg *cfg)
{
	return e_ifname(r, NFT_META_OIFNAME, cfg->clat_dev) && e_tcp_syn(r) &&
	       e_route_mss(r) && e_mss(r, true);
}

/* iifname CLAT tcp flags syn / syn,rst
 *	tcp option maxseg size > MSS tcp option maxseg size set MSS */
static bool
rule_mss_out(struct nftnl_rule *r, const struct nat44_cfg *cfg)
{
	uint16_t mss = htons(cfg->clamp_mss);

	return e_ifname(r, NFT_META_IIFNAME, cfg->clat_dev) && e_tcp_syn(r) &&
	       e_mss(r, false) && e_cmp(r, NFT_CMP_GT, &mss, sizeof(mss)) &&
	       e_imm(r, &mss, sizeof(mss)) && e_mss(r, true);
}

/* oifname CLAT [iifname LAN] ip saddr PREFIX accept */
static bool
rule_src_ok(struct nftnl_rule *r, const struct nat44_cfg *cfg,
	    const struct nat44_src *src)
{
	return e_ifname(r, NFT_META_OIFNAME, cfg->clat_dev) &&
	       (src->ifname[0] == '\0' ||
		e_ifname(r, NFT_META_IIFNAME, src->ifname)) &&
	       e_saddr(r, &src->prefix) && e_verdict(r, NF_ACCEPT);
}

/* oifname CLAT counter name SPOOF drop */
static bool
rule_src_drop(struct nftnl_rule *r, const struct nat44_cfg *cfg)
{
	return e_ifname(r, NFT_META_OIFNAME, cfg->clat_dev) &&
	       e_spoof_counter(r) && e_verdict(r, NF_DROP);
}

/* ---- the transaction ---- */

static struct nlmsghdr *
batch_msg(struct batch *b, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b->b), type,
				    NFPROTO_IPV4, flags | NLM_F_ACK,
				    b->n->seq++);
	b->acks++;
	return nlh;
}

static void
batch_next(struct batch *b)
{
	if (!mnl_nlmsg_batch_next(b->b))
		b->full = true;
}

static void
batch_start(struct batch *b, struct nat44 *n)
{
	b->n = n;
	b->acks = 0;
	b->full = false;
	b->b = mnl_nlmsg_batch_start(n->buf, BATCH_SIZE / 2);
	nftnl_batch_begin(mnl_nlmsg_batch_current(b->b), n->seq++);
	batch_next(b);
	b->first_seq = n->seq;
}

/* NFT_MSG_NEWTABLE (with the owner flag) or NFT_MSG_DELTABLE. */
static int
add_table(struct batch *b, uint16_t type, uint16_t flags)
{
	struct nftnl_table *t = nftnl_table_alloc();

	if (t == NULL)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, NAT44_TABLE);
	if (type == NFT_MSG_NEWTABLE)
		nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, NFT_TABLE_F_OWNER);
	nftnl_table_nlmsg_build_payload(batch_msg(b, type, flags), t);
	nftnl_table_free(t);
	batch_next(b);
	return 0;
}

static int
add_chain(struct batch *b, const char *name, const char *type, uint32_t hook,
	  int32_t prio)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (c == NULL)
		return -ENOMEM;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NAT44_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, type);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nftnl_chain_nlmsg_build_payload(
		batch_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE), c);
	nftnl_chain_free(c);
	batch_next(b);
	return 0;
}

static int
add_counter(struct batch *b)
{
	struct nftnl_obj *o = nftnl_obj_alloc();

	if (o == NULL)
		return -ENOMEM;
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, NAT44_TABLE);
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, NAT44_SPOOF_COUNTER);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nftnl_obj_nlmsg_build_payload(
		batch_msg(b, NFT_MSG_NEWOBJ, NLM_F_CREATE), o);
	nftnl_obj_free(o);
	batch_next(b);
	return 0;
}

/* One rule at the end of chain; build fills it from cfg and arg. */
static int
add_rule(struct batch *b, const char *chain, const struct nat44_cfg *cfg,
	 bool (*build)(struct nftnl_rule *, const struct nat44_cfg *,
		       const void *),
	 const void *arg)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	int ret = 0;

	if (r == NULL)
		return -ENOMEM;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NAT44_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFPROTO_IPV4);
	if (build(r, cfg, arg)) {
		nftnl_rule_nlmsg_build_payload(
			batch_msg(b, NFT_MSG_NEWRULE,
				  NLM_F_CREATE | NLM_F_APPEND),
			r);
		batch_next(b);
	} else {
		ret = -ENOMEM;
	}
	nftnl_rule_free(r);
	return ret;
}

static bool
build_snat_prefix(struct nftnl_rule *r, const struct nat44_cfg *cfg,
		  const void *arg)
{
	return rule_snat_prefix(r, cfg, arg);
}

static bool
build_snat_ifname(struct nftnl_rule *r, const struct nat44_cfg *cfg,
		  const void *arg)
{
	return rule_snat_ifname(r, cfg, arg);
}

static bool
build_mss_in(struct nftnl_rule *r, const struct nat44_cfg *cfg, const void *arg)
{
	(void)arg;
	return rule_mss_in(r, cfg);
}

static bool
build_mss_out(struct nftnl_rule *r, const struct nat44_cfg *cfg,
	      const void *arg)
{
	(void)arg;
	return rule_mss_out(r, cfg);
}

static bool
build_src_ok(struct nftnl_rule *r, const struct nat44_cfg *cfg, const void *arg)
{
	return rule_src_ok(r, cfg, arg);
}

static bool
build_src_drop(struct nftnl_rule *r, const struct nat44_cfg *cfg,
	       const void *arg)
{
	(void)arg;
	return rule_src_drop(r, cfg);
}

/* The chains and rules of cfg, in batch b. */
static int
add_contents(struct batch *b, const struct nat44_cfg *cfg)
{
	unsigned i;
	int r;

	if ((r = add_chain(b, CHAIN_NAT, "nat", NF_INET_POST_ROUTING,
			   PRIO_SRCNAT)) < 0 ||
	    (r = add_chain(b, CHAIN_MSS, "filter", NF_INET_FORWARD,
			   PRIO_MANGLE)) < 0)
		return r;
	for (i = 0; cfg->snat && i < cfg->prefix_count && r == 0; i++)
		r = add_rule(b, CHAIN_NAT, cfg, build_snat_prefix,
			     &cfg->prefix[i]);
	for (i = 0; cfg->snat && i < cfg->ifname_count && r == 0; i++)
		r = add_rule(b, CHAIN_NAT, cfg, build_snat_ifname,
			     cfg->ifname[i]);
	if (r == 0)
		r = add_rule(b, CHAIN_MSS, cfg, build_mss_in, NULL);
	if (r == 0 && cfg->clamp_mss != 0)
		r = add_rule(b, CHAIN_MSS, cfg, build_mss_out, NULL);
	/* after the clamping, which an accept would skip */
	if (r == 0 && cfg->check_src)
		r = add_counter(b);
	for (i = 0; cfg->check_src && i < cfg->src_count && r == 0; i++)
		r = add_rule(b, CHAIN_MSS, cfg, build_src_ok, &cfg->src[i]);
	if (r == 0 && cfg->check_src)
		r = add_rule(b, CHAIN_MSS, cfg, build_src_drop, NULL);
	return r;
}

/* Wait for the ack or error of each of the batch's messages; the first
 * error wins. */
static int
recv_acks(struct nat44 *n, const struct batch *b)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned left = b->acks;
	int err = 0;

	while (left > 0) {
		const struct nlmsghdr *nlh;
		ssize_t len = mnl_socket_recvfrom(n->nl, buf, sizeof(buf));
		int rest;

		if (len < 0)
			return -errno;
		rest = (int)len;
		for (nlh = (const struct nlmsghdr *)buf;
		     mnl_nlmsg_ok(nlh, rest);
		     nlh = mnl_nlmsg_next(nlh, &rest)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_seq < b->first_seq ||
			    nlh->nlmsg_seq >= n->seq)
				continue;
			if (e->error != 0 && err == 0)
				err = e->error;
			left--;
		}
	}
	return err;
}

static int
batch_send(struct batch *b)
{
	struct nat44 *n = b->n;
	int r = 0;

	nftnl_batch_end(mnl_nlmsg_batch_current(b->b), n->seq++);
	batch_next(b);
	if (b->full)
		r = -E2BIG;
	else if (mnl_socket_sendto(n->nl, mnl_nlmsg_batch_head(b->b),
				   mnl_nlmsg_batch_size(b->b)) < 0)
		r = -errno;
	else
		r = recv_acks(n, b);
	mnl_nlmsg_batch_stop(b->b);
	return r;
}

struct nat44 *
nat44_open(void)
{
	struct timeval tv = {.tv_sec = REPLY_TIMEOUT_S};
	struct nat44 *n = calloc(1, sizeof(*n));
	int e;

	if (n == NULL || (n->buf = malloc(BATCH_SIZE)) == NULL ||
	    (n->nl = mnl_socket_open(NETLINK_NETFILTER)) == NULL ||
	    mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		       sizeof(tv)) < 0) {
		e = errno;
		nat44_close(n);
		errno = e;
		return NULL;
	}
	n->portid = mnl_socket_get_portid(n->nl);
	n->seq = (uint32_t)time(NULL);
	return n;
}

int
nat44_apply(struct nat44 *n, const struct nat44_cfg *cfg)
{
	struct batch b;
	int r;

	batch_start(&b, n);
	/* Replaced whole: the old table and its rules go in the same
	 * transaction. A table of the same name that this socket did not
	 * create is refused (EXCL). */
	if (n->created && (r = add_table(&b, NFT_MSG_DELTABLE, 0)) < 0)
		goto fail;
	if ((r = add_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_EXCL)) <
		    0 ||
	    (r = add_contents(&b, cfg)) < 0)
		goto fail;
	if ((r = batch_send(&b)) == 0)
		n->created = true;
	return r;
fail:
	mnl_nlmsg_batch_stop(b.b);
	return r;
}

static int
spoofed_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_obj *o = arg;

	return nftnl_obj_nlmsg_parse(nlh, o) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* NFT_MSG_GETOBJ for the counter of spoofed sources. */
static int
spoofed_request(struct nat44 *n, uint32_t seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_obj *q = nftnl_obj_alloc();
	struct nlmsghdr *nlh;
	int r = 0;

	if (q == NULL)
		return -ENOMEM;
	nftnl_obj_set_str(q, NFTNL_OBJ_TABLE, NAT44_TABLE);
	nftnl_obj_set_str(q, NFTNL_OBJ_NAME, NAT44_SPOOF_COUNTER);
	nftnl_obj_set_u32(q, NFTNL_OBJ_TYPE, NFT_OBJECT_COUNTER);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETOBJ, NFPROTO_IPV4,
				    NLM_F_ACK, seq);
	nftnl_obj_nlmsg_build_payload(nlh, q);
	nftnl_obj_free(q);
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) < 0)
		r = -errno;
	return r;
}

int
nat44_spoofed(struct nat44 *n, uint64_t *packets)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nftnl_obj *o;
	uint32_t seq = n->seq++;
	ssize_t len;
	int r;

	if (!n->created)
		return -ENOENT;
	if ((r = spoofed_request(n, seq)) < 0)
		return r;
	/* a fresh object: parsing into one with its names set leaks them */
	if ((o = nftnl_obj_alloc()) == NULL)
		return -ENOMEM;
	/* the object, then the ack */
	do {
		if ((len = mnl_socket_recvfrom(n->nl, buf, sizeof(buf))) < 0)
			break;
		r = mnl_cb_run(buf, (size_t)len, seq, n->portid, spoofed_reply,
			       o);
	} while (r == MNL_CB_OK);
	if (len < 0 || r == MNL_CB_ERROR)
		r = -errno;
	else if (!nftnl_obj_is_set(o, NFTNL_OBJ_CTR_PKTS))
		r = -ENOENT;
	else
		*packets = nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_PKTS);
	nftnl_obj_free(o);
	return r;
}

int
nat44_remove(struct nat44 *n)
{
	struct batch b;
	int r;

	if (!n->created)
		return 0;
	batch_start(&b, n);
	if ((r = add_table(&b, NFT_MSG_DELTABLE, 0)) < 0) {
		mnl_nlmsg_batch_stop(b.b);
		return r;
	}
	r = batch_send(&b);
	if (r == 0 || r == -ENOENT)
		n->created = false;
	return r == -ENOENT ? 0 : r;
}

void
nat44_close(struct nat44 *n)
{
	if (n == NULL)
		return;
	if (n->nl != NULL)
		mnl_socket_close(n->nl);
	free(n->buf);
	free(n);
}
