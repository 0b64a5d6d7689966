/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Round trips through the whole core: IPv4 -> IPv6 -> IPv4 and IPv6 ->
 * IPv4 -> IPv6 give back the original bytes, for UDP, TCP and echo, with
 * every RFC 6052 prefix length and the CLAT's EAM entry.
 *
 * What may differ, and why:
 *  - TTL / Hop Limit: one less per pass when decrement_ttl is on;
 *  - IPv4 Identification and DF: RFC 7915 §5.1 sets DF = 0 and a new ID
 *    for packets of up to 1260 bytes (RFC 6864);
 *  - the IPv4 header checksum, which covers those;
 *  - the IPv6 flow label, which IPv4 cannot carry (RFC 7915 §4.1: 0).
 * Upper-layer checksums come back bit for bit: the updates are
 * incremental (RFC 1624) and cancel out.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"

static const char *const prefixes[] = {
	"2001:db8::/32",	 "2001:db8:100::/40",
	"2001:db8:122::/48",	 "2001:db8:122:300::/56",
	"2001:db8:122:344::/64", "2001:db8:122:344::/96",
	"64:ff9b::/96",
};

enum kind { UDP, TCP, ECHO, ECHO_REPLY, KINDS };

/* Data sizes, up to a 1260-byte IPv4 packet (no fragmentation). */
static const size_t sizes[] = {0, 1, 7, 100, 555, 1000, 1232};

static struct xlat_ctx ctx;
static struct pkt orig, mid, back;
static uint32_t rng = 0x2545f491;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* A random IPv4 address other than the CLAT's (192.0.0.2, EAM). */
static void
random_v4(char *s, size_t size)
{
	uint32_t a;

	do
		a = rnd();
	while (a == 0xc0000002);
	snprintf(s, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff,
		 (a >> 8) & 0xff, a & 0xff);
}

static void
upper(struct pkt *p, enum kind k, size_t len, int family)
{
	switch (k) {
	case UDP:
		pkt_udp(p, (uint16_t)rnd(), (uint16_t)rnd());
		break;
	case TCP:
		pkt_tcp(p, (uint16_t)rnd(), (uint16_t)rnd());
		len = len > 12 ? len - 12 : len; /* same total as UDP */
		break;
	case ECHO:
	case ECHO_REPLY:
		pkt_icmp(p,
			 (uint8_t)(family == 4 ? (k == ECHO ? 8 : 0)
					       : (k == ECHO ? 128 : 129)),
			 0, rnd());
		break;
	default:
		fail();
	}
	pkt_fill(p, len, rnd());
	pkt_finish(p);
}

static void
translate(const struct xlat_cfg *cfg, const struct pkt *in, struct pkt *out,
	  const char *what)
{
	if (run_xlat(cfg, &ctx, in) != 1)
		fail_msg("%s: %s", what, xlat_drop_name(ctx.drop));
	run_out(&ctx, 0, out);
}

static void
check_4to6to4(const struct xlat_cfg *cfg, enum kind k, size_t len,
	      const char *what)
{
	char src[16], dst[16];
	uint16_t flags;

	random_v4(dst, sizeof(dst));
	if (rnd() % 2)
		random_v4(src, sizeof(src));
	else
		snprintf(src, sizeof(src), "192.0.0.2");
	pkt_ipv4(&orig, src, dst);
	pkt_tos(&orig, (uint8_t)rnd());
	pkt_ttl(&orig, (uint8_t)(3 + rnd() % 250));
	pkt_id(&orig, (uint16_t)rnd());
	pkt_frag4(&orig, rnd() % 2 ? PKT_DF : 0);
	upper(&orig, k, len, 4);

	translate(cfg, &orig, &mid, what);
	assert_int_equal(mid.family, 6);
	assert_int_equal(pkt_l4_sum(mid.b, mid.len), 0xffff);
	translate(cfg, &mid, &back, what);

	if (back.len != orig.len)
		fail_msg("%s: length %zu, was %zu", what, back.len, orig.len);
	assert_memory_equal(back.b, orig.b, 4); /* version, TOS, length */
	flags = pkt_get16(back.b + 6);
	assert_int_equal(flags, orig.len > 1260 ? PKT_DF : 0);
	assert_int_equal(back.b[8], orig.b[8] - (cfg->decrement_ttl ? 2 : 0));
	assert_int_equal(pkt_ipv4_header_sum(back.b), 0xffff);
	assert_memory_equal(back.b + 9, orig.b + 9, 1);
	if (memcmp(back.b + 12, orig.b + 12, orig.len - 12) != 0)
		fail_msg("%s: %s -> %s differs after the header", what, src,
			 dst);
}

static void
check_6to4to6(const struct xlat_cfg *cfg, enum kind k, size_t len,
	      const char *what)
{
	char v4[16];
	struct in6_addr a;
	uint8_t b4[4];
	char s6[2][64];
	int i;

	for (i = 0; i < 2; i++) {
		random_v4(v4, sizeof(v4));
		pkt_addr4(v4, b4);
		xlat_rfc6052_embed(&cfg->pool6, b4, &a);
		if (!inet_ntop(AF_INET6, &a, s6[i], sizeof(s6[i])))
			fail();
	}
	if (rnd() % 2)
		snprintf(s6[1], sizeof(s6[1]), "2001:db8:aaaa::2");
	pkt_ipv6(&orig, s6[0], s6[1]);
	pkt_tos(&orig, (uint8_t)rnd());
	pkt_ttl(&orig, (uint8_t)(3 + rnd() % 250));
	upper(&orig, k, len, 6);

	translate(cfg, &orig, &mid, what);
	assert_int_equal(mid.family, 4);
	assert_int_equal(pkt_l4_sum(mid.b, mid.len), 0xffff);
	translate(cfg, &mid, &back, what);

	if (back.len != orig.len)
		fail_msg("%s: length %zu, was %zu", what, back.len, orig.len);
	assert_memory_equal(back.b, orig.b, 6); /* TC, flow 0, length */
	assert_int_equal(back.b[7], orig.b[7] - (cfg->decrement_ttl ? 2 : 0));
	if (memcmp(back.b + 6, orig.b + 6, 1) != 0 ||
	    memcmp(back.b + 8, orig.b + 8, orig.len - 8) != 0)
		fail_msg("%s: %s -> %s differs", what, s6[0], s6[1]);
}

static void
run_all(bool six_first)
{
	static const char *const kinds[KINDS] = {"udp", "tcp", "echo",
						 "echo-reply"};
	struct xlat_cfg cfg;
	char what[128];
	size_t p, s;
	int k, rep;

	for (p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
		run_cfg(&cfg, prefixes[p]);
		for (k = 0; k < KINDS; k++)
			for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
				for (rep = 0; rep < 4; rep++) {
					cfg.decrement_ttl = rep % 2 == 0;
					snprintf(what, sizeof(what),
						 "%s %s %zu bytes", prefixes[p],
						 kinds[k], sizes[s]);
					if (six_first)
						check_6to4to6(&cfg, k, sizes[s],
							      what);
					else
						check_4to6to4(&cfg, k, sizes[s],
							      what);
				}
	}
}

static void
test_4to6to4(void **state)
{
	(void)state;
	xlat_ctx_init(&ctx, 29);
	run_all(false);
}

static void
test_6to4to6(void **state)
{
	(void)state;
	xlat_ctx_init(&ctx, 31);
	run_all(true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_4to6to4),
		cmocka_unit_test(test_6to4to6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
