/* SPDX-License-Identifier: BSD-2-Clause */
/* DAD's Neighbor Discovery messages (RFC 4861, RFC 4862 §5.4, RFC 7527,
 * RFC 4429 §3.3), built and read as bytes. */
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/ip6.h>
#include <stddef.h>
#include <string.h>

#include "dad_nd.h"
#include "xlatd/xlat_csum.h"
#include "xlatd/xlat_icmp.h"

#define IP6_LEN sizeof(struct ip6_hdr)
#define ND_MSG_LEN sizeof(struct nd_neighbor_solicit) /* = NA's */

/* RFC 4291 §2.7.1: ff02::1:ff00:0/104 and the low 24 bits. */
static void
dad_nd_solicited_node(const struct in6_addr *a, struct in6_addr *group)
{
	memset(group, 0, sizeof(*group));
	group->s6_addr[0] = 0xff;
	group->s6_addr[1] = 0x02;
	group->s6_addr[11] = 0x01;
	group->s6_addr[12] = 0xff;
	memcpy(group->s6_addr + 13, a->s6_addr + 13, 3);
}

void
dad_nd_init(struct dad_nd *nd, const struct in6_addr *target,
	    const uint8_t nonce[DAD_ND_NONCE_LEN])
{
	nd->target = *target;
	dad_nd_solicited_node(target, &nd->group);
	memcpy(nd->nonce, nonce, DAD_ND_NONCE_LEN);
}

/* An IPv6 header, hop limit 255, and an ICMPv6 message of plen bytes
 * whose checksum (RFC 4443 §2.3, over the RFC 8200 §8.1 pseudo-header)
 * is filled in here. */
static void
dad_nd_finish(uint8_t *p, size_t plen, const struct in6_addr *src,
	      const struct in6_addr *dst)
{
	struct ip6_hdr ip6;
	uint8_t *icmp6 = p + IP6_LEN;
	uint32_t sum;
	uint16_t c;

	memset(&ip6, 0, sizeof(ip6));
	ip6.ip6_flow = htonl(6u << 28);
	ip6.ip6_plen = htons((uint16_t)plen);
	ip6.ip6_nxt = IPPROTO_ICMPV6;
	ip6.ip6_hlim = ND_HOP_LIMIT;
	ip6.ip6_src = *src;
	ip6.ip6_dst = *dst;
	memcpy(p, &ip6, sizeof(ip6));
	memset(icmp6 + offsetof(struct icmp6_hdr, icmp6_cksum), 0, 2);
	sum = xlat_csum_add(0, src->s6_addr, 16);
	sum = xlat_csum_add(sum, dst->s6_addr, 16);
	sum += (uint32_t)plen + IPPROTO_ICMPV6;
	sum = xlat_csum_add(sum, icmp6, plen);
	c = htons(xlat_csum_finish(sum));
	memcpy(icmp6 + offsetof(struct icmp6_hdr, icmp6_cksum), &c, 2);
}

/* RFC 4862 §5.4.2: source ::, destination the solicited-node group; RFC
 * 4861 §4.3: no Source Link-Layer Address option from ::; RFC 7527
 * §4.1: a Nonce option to tell our probes from others'. */
void
dad_nd_build_ns(const struct dad_nd *nd, uint8_t out[DAD_ND_NS_LEN])
{
	struct nd_neighbor_solicit ns;
	uint8_t *opt = out + IP6_LEN + ND_MSG_LEN;

	memset(&ns, 0, sizeof(ns));
	ns.nd_ns_type = ND_NEIGHBOR_SOLICIT;
	ns.nd_ns_target = nd->target;
	memcpy(out + IP6_LEN, &ns, sizeof(ns));
	opt[0] = ND_OPT_NONCE;
	opt[1] = 1;
	memcpy(opt + 2, nd->nonce, DAD_ND_NONCE_LEN);
	dad_nd_finish(out, DAD_ND_NS_LEN - IP6_LEN, &in6addr_any, &nd->group);
}

void
dad_nd_build_na(const struct dad_nd *nd, const struct in6_addr *dst,
		const uint8_t hwaddr[DAD_ND_HWADDR_LEN],
		uint8_t out[DAD_ND_NA_LEN])
{
	struct nd_neighbor_advert na;
	uint8_t *opt = out + IP6_LEN + ND_MSG_LEN;

	memset(&na, 0, sizeof(na));
	na.nd_na_type = ND_NEIGHBOR_ADVERT;
	/* RFC 4429 §3.3: never Override for an Optimistic Address. */
	na.nd_na_flags_reserved = ND_NA_FLAG_SOLICITED;
	na.nd_na_target = nd->target;
	memcpy(out + IP6_LEN, &na, sizeof(na));
	opt[0] = ND_OPT_TARGET_LINKADDR;
	opt[1] = 1;
	memcpy(opt + 2, hwaddr, DAD_ND_HWADDR_LEN);
	dad_nd_finish(out, DAD_ND_NA_LEN - IP6_LEN, &nd->target, dst);
}

struct dad_nd_opts {
	bool ours;	/* RFC 7527 §4.2: our nonce, our own probe looped */
	bool has_sllao; /* of an Ethernet address's length */
	uint8_t sllao[DAD_ND_HWADDR_LEN];
	bool any_sllao;
};

/* RFC 4861 §7.1.1: every option has a length greater than zero, and none
 * runs past the message. */
static bool
dad_nd_options(const struct dad_nd *nd, const uint8_t *opt, size_t len,
	       struct dad_nd_opts *o)
{
	size_t olen;

	memset(o, 0, sizeof(*o));
	for (; len > 0; opt += olen, len -= olen) {
		if (len < 2 || opt[1] == 0 ||
		    (olen = opt[1] * (size_t)ND_OPT_UNIT) > len)
			return false;
		if (opt[0] == ND_OPT_SOURCE_LINKADDR) {
			o->any_sllao = true;
			if (olen == ND_OPT_UNIT) {
				o->has_sllao = true;
				memcpy(o->sllao, opt + 2, DAD_ND_HWADDR_LEN);
			}
		}
		if (opt[0] == ND_OPT_NONCE && olen == ND_OPT_UNIT &&
		    memcmp(opt + 2, nd->nonce, DAD_ND_NONCE_LEN) == 0)
			o->ours = true;
	}
	return true;
}

/* An NS for the address from someone else. */
static enum dad_nd_verdict
dad_nd_ns(const struct dad_nd *nd, struct dad_nd_rx *rx,
	  const struct dad_nd_opts *o, bool optimistic)
{
	/* RFC 4862 §5.4.3: an NS from :: (which goes to the solicited-node
	 * group without SLLAO, RFC 4861 §7.1.1) is another node's DAD for
	 * the same address, unless it is our own. RFC 4429 §3.3: an
	 * optimistic node does not answer it either; it gives the address
	 * up. */
	if (IN6_IS_ADDR_UNSPECIFIED(&rx->src)) {
		if (o->any_sllao || o->ours)
			return DAD_ND_IGNORE;
		return memcmp(&rx->dst, &nd->group, sizeof(nd->group)) == 0
			       ? DAD_ND_DUPLICATE
			       : DAD_ND_IGNORE;
	}
	/* From a unicast source it is address resolution (or NUD): ignored
	 * while the address is tentative (RFC 4862 §5.4.3); answered while
	 * it is optimistic (RFC 4429 §3.3), to where its SLLAO says. */
	if (!optimistic || !o->has_sllao || IN6_IS_ADDR_MULTICAST(&rx->src))
		return DAD_ND_IGNORE;
	memcpy(rx->sllao, o->sllao, DAD_ND_HWADDR_LEN);
	return DAD_ND_ANSWER;
}

enum dad_nd_verdict
dad_nd_classify(const struct dad_nd *nd, struct dad_nd_rx *rx, bool optimistic)
{
	struct nd_neighbor_advert na; /* the same layout as an NS */
	struct dad_nd_opts o;

	if (rx->len < sizeof(na))
		return DAD_ND_IGNORE;
	memcpy(&na, rx->msg, sizeof(na));
	if ((na.nd_na_type != ND_NEIGHBOR_ADVERT &&
	     na.nd_na_type != ND_NEIGHBOR_SOLICIT) ||
	    na.nd_na_code != 0 ||
	    memcmp(&na.nd_na_target, &nd->target, sizeof(nd->target)) != 0 ||
	    !dad_nd_options(nd, rx->msg + sizeof(na), rx->len - sizeof(na), &o))
		return DAD_ND_IGNORE;
	if (na.nd_na_type == ND_NEIGHBOR_SOLICIT)
		return dad_nd_ns(nd, rx, &o, optimistic);
	/* RFC 4861 §7.1.2: multicast NAs are never Solicited. RFC 4862
	 * §5.4.4: someone has the address. */
	if (IN6_IS_ADDR_MULTICAST(&rx->dst) &&
	    (na.nd_na_flags_reserved & ND_NA_FLAG_SOLICITED))
		return DAD_ND_IGNORE;
	return DAD_ND_DUPLICATE;
}
