/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xlatd translation core: a stateless IP/ICMP translator (SIIT).
 *
 * RFC 7915 (IP/ICMP translation), RFC 6052 (IPv4-embedded IPv6 addresses),
 * RFC 7757 (explicit address mappings), RFC 6791 (untranslatable ICMP
 * sources), RFC 4884 (ICMP extensions).
 *
 * The core is pure: no syscalls, no globals, no allocation. A packet is
 * translated in place inside a caller-owned buffer that has at least
 * XLAT_HEADROOM bytes in front of it. Extra packets (fragments and ICMP
 * errors the translator generates) are built in the context's scratch area.
 */
#ifndef XLATD_XLAT_H
#define XLATD_XLAT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "xlatd/xlat_portswap.h"

/* Bytes a caller must leave in front of a packet: IPv4->IPv6 growth of
 * the outer header (20), a fragment header (8) and the same again for the
 * inner packet of an ICMP error. */
#define XLAT_HEADROOM 64

/* Largest packet the core accepts (IPv6 payload length is 16 bits). */
#define XLAT_MAX_PACKET (65535 + 40)

/* Most packets one call can emit: a 64 KiB datagram in 1232-byte
 * fragments, plus one ICMP error. */
#define XLAT_OUT_MAX 64

/* Scratch space for fragment headers and generated ICMP errors. */
#define XLAT_SCRATCH_SIZE (XLAT_OUT_MAX * 64 + 2 * 1280 + 512)

#define XLAT_EAM_MAX 64

/* RFC 7915 §4.1, §5.1: the IPv6 minimum MTU and the 1260-byte DF limit. */
#define XLAT_IPV6_MIN_MTU 1280

struct xlat_prefix6 {
	struct in6_addr addr;
	uint8_t len;
};

struct xlat_prefix4 {
	struct in_addr addr;
	uint8_t len;
};

/* RFC 7757 explicit address mapping. The IPv6 suffix is at least as long
 * as the IPv4 suffix: 128 - p6.len >= 32 - p4.len. */
struct xlat_eam {
	struct xlat_prefix6 p6;
	struct xlat_prefix4 p4;
};

/* Host mappings the core does not keep itself: one IPv6 address to one
 * IPv4 address, each way, such as xlat-siit's static host maps and its
 * dynamic pool (src/siit/hosts.h). The core asks after its RFC 7757
 * table and before the RFC 6052 prefix. The functions only look: what
 * the table changes (new entries, times of last use) is its owner's
 * business, before or after a translation. */
struct xlat_hosts {
	bool (*find4)(const struct xlat_hosts *h, const uint8_t v4[4],
		      uint8_t v6[16]);
	bool (*find6)(const struct xlat_hosts *h, const uint8_t v6[16],
		      uint8_t v4[4]);
};

struct xlat_cfg {
	bool has_pool6;
	struct xlat_prefix6 pool6; /* RFC 6052 prefix (PLAT prefix) */

	unsigned eam_count;
	struct xlat_eam
		eam[XLAT_EAM_MAX];	/* sorted: longest IPv6 prefix first */
	const struct xlat_hosts *hosts; /* NULL: none */

	bool has_own4, has_own6; /* source of errors the translator generates */
	struct in_addr own4;
	struct in6_addr own6;

	bool has_rfc6791_v4, has_rfc6791_v6; /* RFC 6791 error sources */
	struct in_addr rfc6791_v4;
	struct in6_addr rfc6791_v6;

	uint16_t lowest_ipv6_mtu; /* RFC 7915 §4: fragment IPv4 DF=0 to this */
	uint16_t mtu_v4;	  /* egress MTU on the IPv4 side */
	uint16_t mtu_v6;	  /* egress MTU on the IPv6 side */

	bool amend_udp_checksum_zero; /* RFC 7915 §4.5 */
	bool decrement_ttl;	      /* act as a router: TTL/hop limit - 1 */
	bool wkp_strict;	      /* RFC 6052 §3.1 for 64:ff9b::/96 */
	bool reset_traffic_class;     /* TOS/traffic class written as 0 */

	/* ICMP errors the core makes itself (time exceeded, too big ...):
	 * at most this many a second per context, in bursts of as many
	 * (xlat_ctx.now_ms is the clock). 0, the default: no limit. */
	uint16_t icmp_error_rate;

	/* Shared mode: the ports on portswap_addr's side of TCP and UDP
	 * headers are swapped (xlat_portswap.h); size 0, the default: no
	 * swap. */
	struct xlat_portswap portswap;
	struct in6_addr portswap_addr;
	/* TCP and UDP checksums are partial (offloaded: the pseudo-header
	 * sum, the host sums the rest), so the swap leaves them */
	bool portswap_csum_partial;
};

/* Drop reasons: every packet the core refuses is counted under one. */
enum xlat_drop {
	XLAT_DROP_NONE = 0,
	XLAT_DROP_TRUNCATED,	     /* shorter than its headers say */
	XLAT_DROP_BAD_IPV4_HEADER,   /* version, IHL or total length wrong */
	XLAT_DROP_BAD_IPV4_CHECKSUM, /* IPv4 header checksum wrong */
	XLAT_DROP_BAD_IPV6_HEADER,   /* version, payload length, header chain */
	XLAT_DROP_SRC_UNTRANSLATABLE,
	XLAT_DROP_DST_UNTRANSLATABLE,
	XLAT_DROP_TTL_EXPIRED,	     /* time exceeded sent back */
	XLAT_DROP_SOURCE_ROUTE,	     /* IPv4 source route option */
	XLAT_DROP_ROUTING_HEADER,    /* IPv6 routing header, segments left */
	XLAT_DROP_FRAG_EXT_HEADER,   /* extension header behind a fragment */
	XLAT_DROP_FRAGMENTED_ICMP,   /* checksum cannot be translated */
	XLAT_DROP_UDP_ZERO_CHECKSUM, /* RFC 7915 §4.5 */
	XLAT_DROP_ICMP_TYPE,	     /* no translation for this type/code */
	XLAT_DROP_ICMP_CHECKSUM,     /* error message with a bad checksum */
	XLAT_DROP_ICMP_INNER,	     /* inner packet of an error unusable */
	XLAT_DROP_ICMP_NESTED_ERROR, /* error about an error */
	XLAT_DROP_ICMP_WRONG_FAMILY, /* ICMPv6 in IPv4, ICMPv4 in IPv6 */
	XLAT_DROP_TOO_BIG,	     /* DF set and too big: error sent back */
	XLAT_DROP_NO_HEADROOM,
	XLAT_DROP_NO_SCRATCH,
	XLAT_DROP_HAIRPIN_LOOP,
	XLAT_DROP_POOL_EXHAUSTED, /* no address left for a new IPv6 host */
	XLAT_DROP_DST_UNMAPPED,	  /* to an IPv4 host address not mapped */
	XLAT_DROP_MAX
};

enum xlat_family {
	XLAT_FAMILY_V4 = 4,
	XLAT_FAMILY_V6 = 6,
};

enum xlat_dir { XLAT_DIR_46 = 0, XLAT_DIR_64 = 1, XLAT_DIR_MAX };

enum xlat_proto {
	XLAT_PROTO_TCP = 0,
	XLAT_PROTO_UDP,
	XLAT_PROTO_ICMP,
	XLAT_PROTO_OTHER,
	XLAT_PROTO_MAX
};

struct xlat_stats {
	uint64_t packets_in[XLAT_DIR_MAX][XLAT_PROTO_MAX];
	uint64_t packets_out[XLAT_DIR_MAX][XLAT_PROTO_MAX];
	uint64_t fragments_out[XLAT_DIR_MAX];
	uint64_t icmp_generated[XLAT_DIR_MAX];	/* errors made by the core */
	uint64_t icmp_suppressed[XLAT_DIR_MAX]; /* ... held back: the rate */
	uint64_t drops[XLAT_DROP_MAX];
};

/* One packet the core emits. It leaves on the side given by family:
 * IPv4 packets go towards the IPv4 side, IPv6 towards the IPv6 side. */
struct xlat_out {
	struct iovec iov[2]; /* headers, payload; iov[1] may be empty */
	size_t len;
	enum xlat_family family;
};

/* A token bucket: credit in thousandths of an event (an ICMP error). */
struct xlat_bucket {
	uint64_t credit;
	uint64_t last_ms;
	bool started;
};

/* Whether the bucket (all zero at first) has an event to spend at now_ms
 * (and spends it): it holds rate events and gains rate a second. Always
 * true when rate is 0. src/xlat/ratelimit.c. */
bool xlat_bucket_take(struct xlat_bucket *b, unsigned rate, uint64_t now_ms);

/* Per-thread translation context: results and scratch space. */
struct xlat_ctx {
	unsigned out_count;
	struct xlat_out out[XLAT_OUT_MAX];
	enum xlat_drop drop;   /* why the last packet was dropped, if it was */
	enum xlat_proto proto; /* upper-layer protocol of the last packet */
	uint32_t id_state; /* RFC 7915 §5.1 IPv4 Identification generator */
	uint64_t now_ms;   /* the caller's monotonic clock, for the bucket */
	struct xlat_bucket icmp_bucket; /* cfg.icmp_error_rate */
	size_t scratch_used;
	struct xlat_stats stats;
	uint8_t scratch[XLAT_SCRATCH_SIZE];
};

/* A caller-owned packet buffer. The packet is data[off..off+len); the
 * bytes data[0..off) are headroom. */
struct xlat_buf {
	uint8_t *data;
	size_t size;
	size_t off;
	size_t len;
};

void xlat_cfg_init(struct xlat_cfg *cfg);
void xlat_ctx_init(struct xlat_ctx *ctx, uint32_t seed);

/* Translate one packet; the IP version picks the direction. Returns the
 * number of packets in ctx->out (0: dropped, reason in ctx->drop). The
 * buffer is modified in place; outputs may point into it. */
unsigned xlat_translate(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
			struct xlat_buf *buf);
unsigned xlat_4to6(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
		   struct xlat_buf *buf);
unsigned xlat_6to4(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
		   struct xlat_buf *buf);

const char *xlat_drop_name(enum xlat_drop drop);

/* Refuse a packet that the caller's host table cannot map, counted as
 * why (XLAT_DROP_POOL_EXHAUSTED for the source of an IPv6 packet,
 * XLAT_DROP_DST_UNMAPPED for the destination of an IPv4 one), with an
 * ICMP error back to its sender: ICMPv6 Destination Unreachable,
 * administratively prohibited (RFC 4443 §3.1), or ICMPv4 Destination
 * Unreachable, host unreachable (RFC 792), from the translator's own
 * address. Returns the number of packets in ctx->out (the error, or 0). */
unsigned xlat_refuse(const struct xlat_cfg *cfg, struct xlat_ctx *ctx,
		     struct xlat_buf *buf, enum xlat_drop why);

/* RFC 6052 §2.2: embed / extract an IPv4 address. Lengths 32, 40, 48,
 * 56, 64 and 96 are valid; bits 64-71 (u-octet) must be zero. */
bool xlat_prefix6_valid(const struct xlat_prefix6 *prefix);
/* RFC 6052 §2.1: whether prefix is the Well-Known Prefix, 64:ff9b::/96. */
bool xlat_prefix6_is_wkp(const struct xlat_prefix6 *prefix);
void xlat_rfc6052_embed(const struct xlat_prefix6 *prefix, const uint8_t v4[4],
			struct in6_addr *out);
bool xlat_rfc6052_extract(const struct xlat_prefix6 *prefix,
			  const struct in6_addr *in, uint8_t v4[4]);

/* The IPv4 address of IPv6 address v6, as the core maps the addresses of
 * a packet: its RFC 7757 table, cfg->hosts, the RFC 6052 prefix (RFC 6052
 * §3.1 when wkp_strict). False when v6 has none. */
bool xlat_map_6to4(const struct xlat_cfg *cfg, const uint8_t v6[16],
		   uint8_t v4[4]);

/* Add an EAM entry, keeping the table sorted. Returns false when the
 * IPv4 suffix is longer than the IPv6 suffix or the table is full. */
bool xlat_eam_add(struct xlat_cfg *cfg, const struct xlat_prefix6 *p6,
		  const struct xlat_prefix4 *p4);

#endif
