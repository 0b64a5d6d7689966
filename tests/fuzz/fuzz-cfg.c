/* SPDX-License-Identifier: BSD-2-Clause */
/* What the configuration fuzzers check (fuzz-cfg.h): error messages,
 * the translator settings a parser accepts, and two UDP packets (RFC 768)
 * each way through them, one small and one past the IPv6 minimum MTU. */
#include <stdlib.h>
#include <string.h>

#include "fuzz-cfg.h"
#include "fuzz-xlat.h"

#define SMALL_LEN 64
#define BIG_LEN 1400
#define PROTO_UDP 17

static uint8_t pkt[BIG_LEN];

void
fuzz_cfg_check_err(int r, const char *err, size_t errlen)
{
	if (memchr(err, '\0', errlen) == NULL)
		abort(); /* not terminated */
	if (r != 0 && r != -1)
		abort();
	if (r == -1 && err[0] == '\0')
		abort(); /* a failure must say why */
}

void
fuzz_cfg_check(const struct xlat_cfg *cfg)
{
	unsigned i;

	if (cfg->has_pool6 && !xlat_prefix6_valid(&cfg->pool6))
		abort();
	if (cfg->eam_count > XLAT_EAM_MAX)
		abort();
	for (i = 0; i < cfg->eam_count; i++) {
		const struct xlat_eam *e = &cfg->eam[i];

		if (e->p6.len > 128 || e->p4.len > 32 ||
		    128 - e->p6.len < 32 - e->p4.len)
			abort();
		/* RFC 7757 §3.2: longest IPv6 prefix first. */
		if (i > 0 && cfg->eam[i - 1].p6.len < e->p6.len)
			abort();
	}
	if (cfg->lowest_ipv6_mtu < XLAT_IPV6_MIN_MTU ||
	    cfg->mtu_v6 < XLAT_IPV6_MIN_MTU || cfg->mtu_v4 < 68)
		abort();
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1071 checksum of an IPv4 header. */
static unsigned
ipv4_csum(const uint8_t *h)
{
	unsigned sum = 0, i;

	for (i = 0; i < 20; i += 2)
		sum += (unsigned)(h[i] << 8 | h[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* IPv4 UDP, no DF, checksum zero (RFC 7915 §4.5 amends it): from the
 * CLAT's IPv4 address or the first EAM entry to a pool6 address. */
static size_t
udp4(const struct xlat_cfg *cfg, size_t len)
{
	static const uint8_t dst[4] = {198, 51, 100, 10};

	memset(pkt, 0, len);
	pkt[0] = 0x45;
	put16(pkt + 2, (unsigned)len);
	pkt[8] = 64;
	pkt[9] = PROTO_UDP;
	if (cfg->eam_count > 0)
		memcpy(pkt + 12, &cfg->eam[0].p4.addr, 4);
	memcpy(pkt + 16, dst, 4);
	put16(pkt + 10, ipv4_csum(pkt));
	put16(pkt + 20, 40000);
	put16(pkt + 22, 53);
	put16(pkt + 24, (unsigned)len - 20);
	return len;
}

/* The reverse: IPv6 UDP from a pool6 address to the first EAM entry. The
 * checksum is left wrong; the translation adjusts it all the same. */
static size_t
udp6(const struct xlat_cfg *cfg, size_t len)
{
	static const uint8_t src[4] = {198, 51, 100, 10};
	struct in6_addr a;

	memset(pkt, 0, len);
	pkt[0] = 0x60;
	put16(pkt + 4, (unsigned)len - 40);
	pkt[6] = PROTO_UDP;
	pkt[7] = 64;
	if (cfg->has_pool6) {
		xlat_rfc6052_embed(&cfg->pool6, src, &a);
		memcpy(pkt + 8, &a, 16);
	}
	if (cfg->eam_count > 0)
		memcpy(pkt + 24, &cfg->eam[0].p6.addr, 16);
	put16(pkt + 40, 53);
	put16(pkt + 42, 40000);
	put16(pkt + 44, (unsigned)len - 40);
	put16(pkt + 46, 1);
	return len;
}

void
fuzz_cfg_translate(const struct xlat_cfg *cfg)
{
	static const size_t lens[] = {SMALL_LEN, BIG_LEN};
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		fuzz_xlat_packet(cfg, XLAT_DIR_46, pkt, udp4(cfg, lens[i]), 0);
		fuzz_xlat_packet(cfg, XLAT_DIR_64, pkt, udp6(cfg, lens[i]), 0);
	}
}
