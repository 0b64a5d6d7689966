/* SPDX-License-Identifier: BSD-2-Clause */
/* Configurations for the translation fuzzers, and one translation run. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fuzz-xlat.h"

#define SIIT_TAILROOM 2048

struct pool6 {
	const char *addr;
	uint8_t len; /* 0: no pool6 */
};

/* RFC 6052 §2.2 lengths; 64:ff9b::/96 is the Well-Known Prefix. */
static const struct pool6 pools[8] = {
	{"2001:db8:64::", 96},	    {"2001:db8:6400::", 40},
	{"2001:db8::", 32},	    {"2001:db8:64::", 48},
	{"2001:db8:64:6400::", 56}, {"2001:db8:64:64::", 64},
	{"64:ff9b::", 96},	    {NULL, 0},
};

/* lowest-ipv6-mtu, mtu-v6, mtu-v4: within what src/conf accepts. */
static const uint16_t mtus[4][3] = {
	{1280, 1500, 1500},
	{1280, 1280, 68},
	{1400, 1400, 576},
	{65535, 65535, 65535},
};

/* RFC 7757 §3.2: IPv6 and IPv4 prefixes of assorted alignments. */
struct eam_text {
	const char *v6;
	uint8_t len6;
	const char *v4;
	uint8_t len4;
};

static const struct eam_text siit_eams[] = {
	{"2001:db8:100::", 120, "198.51.100.0", 24},
	{"2001:db8:200::", 96, "203.0.113.0", 24},
	{"2001:db8:300::1", 128, "192.0.2.1", 32},
	{"2001:db8:400::", 108, "172.16.0.0", 12},
	{"2001:db8:500::", 64, "100.64.0.0", 10},
};

static void
addr4(const char *s, struct in_addr *out)
{
	if (inet_pton(AF_INET, s, out) != 1)
		abort();
}

static void
addr6(const char *s, struct in6_addr *out)
{
	if (inet_pton(AF_INET6, s, out) != 1)
		abort();
}

static void
eam(struct xlat_cfg *cfg, const struct eam_text *t)
{
	struct xlat_prefix6 p6 = {.len = t->len6};
	struct xlat_prefix4 p4 = {.len = t->len4};

	addr6(t->v6, &p6.addr);
	addr4(t->v4, &p4.addr);
	if (!xlat_eam_add(cfg, &p6, &p4))
		abort();
}

/* RFC 6877 §6.3: the CLAT's own addresses are one EAM entry. */
static void
clat(struct xlat_cfg *cfg, bool austere)
{
	static const struct eam_text e = {"2001:db8:c1a7::1", 128, "192.0.0.1",
					  32};

	eam(cfg, &e);
	if (austere)
		return;
	cfg->has_own4 = cfg->has_own6 = true;
	addr4("192.0.0.1", &cfg->own4);
	addr6("2001:db8:c1a7::1", &cfg->own6);
}

/* A host table the core asks (struct xlat_hosts), of one entry, as
 * xlat-siit's dynamic pool would hold it. */
static const uint8_t host6[16] = {0x20, 0x01, 0x0d, 0xb8, 0xca, 0xfe, [15] = 7};
static const uint8_t host4[4] = {192, 168, 255, 7};

static bool
host_find4(const struct xlat_hosts *h, const uint8_t v4[4], uint8_t v6[16])
{
	(void)h;
	if (memcmp(v4, host4, 4) != 0)
		return false;
	memcpy(v6, host6, 16);
	return true;
}

static bool
host_find6(const struct xlat_hosts *h, const uint8_t v6[16], uint8_t v4[4])
{
	(void)h;
	if (memcmp(v6, host6, 16) != 0)
		return false;
	memcpy(v4, host4, 4);
	return true;
}

static const struct xlat_hosts siit_hosts = {host_find4, host_find6};

static void
siit(struct xlat_cfg *cfg, bool austere)
{
	size_t i;

	for (i = 0; i < sizeof(siit_eams) / sizeof(siit_eams[0]); i++)
		eam(cfg, &siit_eams[i]);
	cfg->hosts = &siit_hosts;
	if (austere)
		return;
	cfg->has_own4 = cfg->has_own6 = true;
	addr4("192.0.2.254", &cfg->own4);
	addr6("2001:db8:ffff::1", &cfg->own6);
	cfg->has_rfc6791_v6 = true;
	addr6("2001:db8:ffff::6791", &cfg->rfc6791_v6);
}

void
fuzz_xlat_cfg(uint8_t sel, struct xlat_cfg *cfg)
{
	const struct pool6 *pool = &pools[sel >> FUZZ_SEL_POOL6_SHIFT & 7];
	const uint16_t *mtu = mtus[sel >> FUZZ_SEL_MTU_SHIFT & 3];
	bool austere = sel & FUZZ_SEL_AUSTERE;

	xlat_cfg_init(cfg);
	if (pool->len != 0) {
		cfg->has_pool6 = true;
		addr6(pool->addr, &cfg->pool6.addr);
		cfg->pool6.len = pool->len;
	}
	cfg->lowest_ipv6_mtu = mtu[0];
	cfg->mtu_v6 = mtu[1];
	cfg->mtu_v4 = mtu[2];
	cfg->amend_udp_checksum_zero = !(sel & FUZZ_SEL_NO_AMEND);
	if (austere) {
		cfg->decrement_ttl = false;
		cfg->reset_traffic_class = true;
		cfg->wkp_strict = true;
		cfg->has_rfc6791_v4 = false;
	}
	if (sel & FUZZ_SEL_SIIT)
		siit(cfg, austere);
	else
		clat(cfg, austere);
}

void
fuzz_xlat_packet(const struct xlat_cfg *cfg, enum xlat_dir dir,
		 const uint8_t *pkt, size_t len, size_t tailroom)
{
	static struct xlat_ctx ctx; /* large: one per process */
	struct check_in in;
	struct xlat_buf buf;
	unsigned n;

	buf.size = XLAT_HEADROOM + len + tailroom;
	buf.off = XLAT_HEADROOM;
	buf.len = len;
	if ((buf.data = malloc(buf.size)) == NULL)
		abort();
	memcpy(buf.data + buf.off, pkt, len);
	check_input(dir, pkt, len, &in);
	xlat_ctx_init(&ctx, 1);
	n = dir == XLAT_DIR_46 ? xlat_4to6(cfg, &ctx, &buf)
			       : xlat_6to4(cfg, &ctx, &buf);
	check_output(cfg, &ctx, n, &buf, &in);
	/* The same packet refused, as a host table refuses it. */
	if (cfg->hosts != NULL) {
		memcpy(buf.data + buf.off, pkt, len);
		buf.len = len;
		n = xlat_refuse(cfg, &ctx, &buf,
				dir == XLAT_DIR_46 ? XLAT_DROP_DST_UNMAPPED
						   : XLAT_DROP_POOL_EXHAUSTED);
		check_output(cfg, &ctx, n, &buf, &in);
	}
	free(buf.data);
}

void
fuzz_xlat_input(enum xlat_dir dir, const uint8_t *data, size_t size)
{
	struct xlat_cfg cfg;

	if (size < 1 || size - 1 > XLAT_MAX_PACKET)
		return;
	fuzz_xlat_cfg(data[0], &cfg);
	fuzz_xlat_packet(&cfg, dir, data + 1, size - 1,
			 data[0] & FUZZ_SEL_SIIT ? SIIT_TAILROOM : 0);
}
