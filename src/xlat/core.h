/* SPDX-License-Identifier: BSD-2-Clause */
/* Internal interfaces of the translation core. */
#ifndef XLAT_CORE_H
#define XLAT_CORE_H

#include <string.h>

#include "xlatd/xlat.h"
#include "xlatd/xlat_bytes.h"
#include "xlatd/xlat_csum.h"
#include "xlatd/xlat_icmp.h"

#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40
#define FRAG_HDR_LEN 8
#define UDP_HDR_LEN 8
#define TCP_HDR_LEN 20

#define PROTO_HOPOPTS 0
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ROUTING 43
#define PROTO_FRAGMENT 44
#define PROTO_ICMPV6 58
#define PROTO_NONE 59
#define PROTO_DSTOPTS 60

#define IPV4_DF 0x4000
#define IPV4_MF 0x2000
#define IPV4_OFFSET_MASK 0x1fff
#define IPV6_FRAG_MF 0x0001
#define IPV6_FRAG_OFFSET_MASK 0xfff8

/* RFC 791 §3.1: Total Length is 16 bits. */
#define IPV4_MAX_LEN 65535
/* RFC 7915 §5.1: IPv4 packets up to this size leave with DF = 0. */
#define XLAT_DF_THRESHOLD 1260
#define GENERATED_TTL 64

/* The top len bits of a 64-bit word (len may be 0 or above 64). */
static inline uint64_t
mask64(unsigned len)
{
	if (len == 0)
		return 0;
	return len >= 64 ? ~(uint64_t)0 : ~(uint64_t)0 << (64 - len);
}

/* Whether the first len bits of two addresses agree, compared a word at a
 * time: 4-byte addresses for len <= 32, 16-byte ones for len <= 128. */
static inline bool
prefix4_match(const uint8_t a[4], const uint8_t p[4], unsigned len)
{
	return ((uint64_t)(get32(a) ^ get32(p)) << 32 & mask64(len)) == 0;
}

static inline bool
prefix6_match(const uint8_t a[16], const uint8_t p[16], unsigned len)
{
	return ((get64(a) ^ get64(p)) & mask64(len)) == 0 &&
	       ((get64(a + 8) ^ get64(p + 8)) &
		mask64(len > 64 ? len - 64 : 0)) == 0;
}

/* csum.c: RFC 1624 incremental updates, headers and pseudo-headers. */
uint16_t csum_adjust(uint16_t check, uint16_t old_sum, uint16_t new_sum);
uint16_t csum_ipv4_header(const uint8_t *hdr, size_t len);
uint32_t csum_pseudo6(const uint8_t *src, const uint8_t *dst, uint32_t len,
		      uint8_t proto);
uint32_t csum_pseudo4(const uint8_t *src, const uint8_t *dst, uint16_t len,
		      uint8_t proto);

/* addr.c: address mapping in each direction. */
enum addr_role {
	ADDR_ANY,	/* EAM, the caller's hosts, the RFC 6052 prefix */
	ADDR_POOL6_ONLY /* RFC 7757 App. B: hairpinned source */
};
bool addr_map_4to6(const struct xlat_cfg *cfg, const uint8_t v4[4],
		   enum addr_role role, uint8_t v6[16]);
bool addr_map_6to4(const struct xlat_cfg *cfg, const uint8_t v6[16],
		   uint8_t v4[4], bool *via_pool6);
const struct xlat_eam *eam_find4(const struct xlat_cfg *cfg,
				 const uint8_t v4[4]);
const struct xlat_eam *eam_find6(const struct xlat_cfg *cfg,
				 const uint8_t v6[16]);

/* A parsed IPv4 header. Lengths are what the packet claims; avail is what
 * the buffer holds (less for the inner packet of a truncated error). */
struct ipv4_view {
	uint8_t *hdr;
	size_t ihl;
	size_t tot_len;
	size_t avail;
	uint8_t proto;
	uint8_t tos;
	uint16_t id;
	uint16_t frag_off; /* bytes */
	bool df, mf;
};

/* A parsed IPv6 header chain up to the upper-layer header. */
struct ipv6_view {
	uint8_t *hdr;
	size_t l4_off; /* from hdr: start of the upper-layer header */
	size_t tot_len;
	size_t avail;
	uint8_t proto; /* upper-layer protocol */
	uint8_t traffic_class;
	bool has_frag;
	size_t frag_hdr_off;
	uint32_t frag_id;
	uint16_t frag_off; /* bytes */
	bool mf;
	bool ext_after_frag;
	size_t routing_segleft_off; /* 0: no routing header with segments */
};

/* ipv4.c / ipv6.c: header parsing and writing. */
enum xlat_drop ipv4_parse(uint8_t *pkt, size_t len, bool inner,
			  struct ipv4_view *v);
bool ipv4_has_source_route(const struct ipv4_view *v);
void ipv4_write(uint8_t *hdr, const struct ipv6_view *v6, size_t payload_len,
		const uint8_t src[4], const uint8_t dst[4], uint8_t proto,
		uint8_t ttl, uint16_t id, uint16_t frag_field,
		const struct xlat_cfg *cfg);
enum xlat_drop ipv6_parse(uint8_t *pkt, size_t len, bool inner,
			  struct ipv6_view *v);
size_t ipv6_write(uint8_t *hdr, const struct ipv4_view *v4, size_t payload_len,
		  const uint8_t src[16], const uint8_t dst[16], uint8_t proto,
		  uint8_t hlim, bool frag_hdr, const struct xlat_cfg *cfg);

static inline bool
ipv4_is_fragment(const struct ipv4_view *v)
{
	return v->mf || v->frag_off != 0;
}

static inline bool
ipv6_is_fragment(const struct ipv6_view *v)
{
	return v->has_frag && (v->mf || v->frag_off != 0);
}

/* l4.c: TCP/UDP checksum updates for the new pseudo-header. old_addrs
 * are the source and destination addresses back to back, as in the old
 * IP header. */
void l4_4to6(uint8_t proto, uint8_t *l4, size_t len, bool first_frag,
	     const uint8_t old_addrs[8], const uint8_t src[16],
	     const uint8_t dst[16]);
void l4_6to4(uint8_t proto, uint8_t *l4, size_t len, bool first_frag,
	     const uint8_t old_addrs[32], const uint8_t src[4],
	     const uint8_t dst[4]);
void l4_portswap(const struct xlat_cfg *cfg, uint8_t proto, uint8_t *l4,
		 size_t len, bool first_frag, const uint8_t addr6[16],
		 size_t port_off);
bool l4_udp_zero_checksum(uint8_t proto, const uint8_t *l4, size_t len,
			  bool first_frag);
void l4_udp_checksum_6(uint8_t *udp, size_t len, const uint8_t src[16],
		       const uint8_t dst[16]);
enum xlat_proto l4_proto_class(uint8_t proto);

/* icmp.c: RFC 7915 §4.2 and §5.2 type, code and pointer tables. */
struct icmp_map {
	uint8_t type, code;
	bool is_error;
	bool pointer; /* parameter problem: pointer needs mapping */
	bool mtu;     /* packet too big / fragmentation needed */
};
bool icmp_map_4to6(uint8_t type, uint8_t code, struct icmp_map *out);
bool icmp_map_6to4(uint8_t type, uint8_t code, struct icmp_map *out);
bool icmp_pointer_4to6(uint8_t ptr, uint8_t *out);
bool icmp_pointer_6to4(uint32_t ptr, uint8_t *out);
bool icmp4_is_error(uint8_t type);
bool icmp6_is_error(uint8_t type);
uint16_t icmp_mtu_4to6(const struct xlat_cfg *cfg, uint16_t mtu,
		       size_t inner_tot_len);
uint16_t icmp_mtu_6to4(const struct xlat_cfg *cfg, uint32_t mtu);

/* The direction a translation step works in, and its own options. */
struct xlat_pass {
	const struct xlat_cfg *cfg;
	struct xlat_ctx *ctx;
	bool hairpin; /* second pass of a hairpinned packet */
};

/* icmp.c: informational messages (echo), in place. */
bool icmp_info_4to6(uint8_t *icmp, size_t avail, size_t claimed,
		    const uint8_t src[16], const uint8_t dst[16]);
bool icmp_info_6to4(uint8_t *icmp, size_t avail, size_t claimed,
		    const uint8_t src[16], const uint8_t dst[16]);

/* icmp_err.c: the translated error, ICMP header onwards: region bytes in
 * place from icmp, then tail bytes (RFC 4884 padding and extension) from
 * scratch space. */
struct err_layout {
	uint8_t *icmp;
	size_t region;
	const uint8_t *tail;
	size_t tail_len;
	uint8_t length_attr;
};
enum xlat_drop icmp_err_4to6(const struct xlat_pass *p, uint8_t *icmp,
			     size_t len, const struct icmp_map *map,
			     struct err_layout *l);
enum xlat_drop icmp_err_6to4(const struct xlat_pass *p, uint8_t *icmp,
			     size_t len, const struct icmp_map *map,
			     struct err_layout *l);

/* out.c: results, scratch space and counters. */
uint8_t *out_scratch(struct xlat_ctx *ctx, size_t len);
bool out_push(struct xlat_ctx *ctx, enum xlat_family family,
	      const uint8_t *head, size_t head_len, const uint8_t *body,
	      size_t body_len);
unsigned out_drop(struct xlat_ctx *ctx, enum xlat_drop drop);
uint16_t out_next_id(struct xlat_ctx *ctx);

/* gen.c: ICMP errors the translator itself sends back (RFC 7915 §4, §5). */
void gen_icmp4_error(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
		     const uint8_t *orig, size_t orig_len, uint8_t type,
		     uint8_t code, uint16_t mtu);
void gen_icmp6_error(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
		     const uint8_t *orig, size_t orig_len,
		     const struct ipv6_view *v, uint8_t type, uint8_t code,
		     uint32_t param);

/* frag.c: split a translated packet into fragments (RFC 7915 §4.1/§5.1). */
bool frag_emit6(struct xlat_ctx *ctx, const uint8_t *ip6,
		const uint8_t *payload, size_t payload_len, uint32_t id,
		uint16_t base_off, bool last_mf, size_t mtu);
bool frag_emit4(struct xlat_ctx *ctx, const uint8_t *ip4,
		const uint8_t *payload, size_t payload_len, uint16_t base_off,
		bool last_mf, size_t mtu);

/* ipv4.c / ipv6.c: the two directions. */
unsigned translate_4to6(const struct xlat_pass *p, struct xlat_buf *buf);
unsigned translate_6to4(const struct xlat_pass *p, struct xlat_buf *buf);

#endif
