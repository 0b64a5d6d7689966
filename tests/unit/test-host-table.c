/* SPDX-License-Identifier: BSD-2-Clause */
/* The core's interface to a host table it does not keep (xlat.h): struct
 * xlat_hosts, asked by addr.c after the RFC 7757 table and before the RFC
 * 6052 prefix, and xlat_refuse() (refuse.c) for what the table refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"

#define PREFIX "2001:db8:64::/96"
#define HOST6 "2001:db8:cafe::7" /* an IPv6-only host */
#define HOST4 "192.168.255.7"	 /* its address in the pool */
#define SERVER4 "203.0.113.10"	 /* an IPv4 server */
#define SERVER6 "2001:db8:64::cb00:710a"
#define OWN4 "192.0.0.1" /* run_cfg's own addresses */
#define OWN6 "2001:db8:aaaa::1"

/* One entry: HOST6 <-> HOST4. */
struct one_host {
	struct xlat_hosts ops;
	uint8_t v6[16], v4[4];
	unsigned asked4, asked6;
};

static bool
find4(const struct xlat_hosts *h, const uint8_t v4[4], uint8_t v6[16])
{
	struct one_host *t = (struct one_host *)h;

	t->asked4++;
	if (memcmp(v4, t->v4, 4) != 0)
		return false;
	memcpy(v6, t->v6, 16);
	return true;
}

static bool
find6(const struct xlat_hosts *h, const uint8_t v6[16], uint8_t v4[4])
{
	struct one_host *t = (struct one_host *)h;

	t->asked6++;
	if (memcmp(v6, t->v6, 16) != 0)
		return false;
	memcpy(v4, t->v4, 4);
	return true;
}

static struct one_host table = {.ops = {find4, find6}};
static struct xlat_cfg cfg;
static struct xlat_ctx ctx;
static struct pkt in, out;

static int
setup(void **state)
{
	(void)state;
	run_cfg(&cfg, PREFIX);
	cfg.hosts = &table.ops;
	pkt_addr6(HOST6, table.v6);
	pkt_addr4(HOST4, table.v4);
	table.asked4 = table.asked6 = 0;
	xlat_ctx_init(&ctx, 7);
	return 0;
}

/* RFC 7915 §5.1: the source through the table, the destination through
 * the prefix; the UDP checksum follows (§5.5). */
static void
test_6to4_source(void **state)
{
	(void)state;
	pkt_ipv6(&in, HOST6, SERVER6);
	pkt_udp(&in, 40000, 53);
	pkt_fill(&in, 100, 1);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 4);
	run_assert_addr4(out.b + 12, HOST4);
	run_assert_addr4(out.b + 16, SERVER4);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_true(table.asked6 >= 1);
}

/* RFC 7915 §4.1: the destination through the table. */
static void
test_4to6_destination(void **state)
{
	(void)state;
	pkt_ipv4(&in, SERVER4, HOST4);
	pkt_tcp(&in, 80, 40000);
	pkt_fill(&in, 200, 2);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 6);
	run_assert_addr6(out.b + 8, SERVER6);
	run_assert_addr6(out.b + 24, HOST6);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
}

/* Without an entry, the prefix as before; without a prefix, nothing. */
static void
test_miss(void **state)
{
	(void)state;
	pkt_ipv6(&in, "2001:db8:cafe::8", SERVER6);
	pkt_udp(&in, 40000, 53);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 0);
	assert_int_equal(ctx.drop, XLAT_DROP_SRC_UNTRANSLATABLE);
	pkt_ipv4(&in, SERVER4, "192.168.255.8");
	pkt_udp(&in, 53, 40000);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	run_assert_addr6(out.b + 24, "2001:db8:64::c0a8:ff08");
}

/* RFC 7757 §3.3: the EAM table first. */
static void
test_eam_first(void **state)
{
	struct xlat_prefix6 p6 = pkt_prefix6("2001:db8:e::/120");
	struct xlat_prefix4 p4 = pkt_prefix4("192.168.255.0/24");

	(void)state;
	assert_true(xlat_eam_add(&cfg, &p6, &p4));
	pkt_ipv4(&in, SERVER4, HOST4);
	pkt_udp(&in, 53, 40000);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	run_assert_addr6(out.b + 24, "2001:db8:e::7");
}

/* RFC 7915 §4.3: the inner packet of an ICMPv4 error maps the same way. */
static void
test_inner_packet(void **state)
{
	struct pkt inner;

	(void)state;
	pkt_ipv4(&inner, HOST4, SERVER4);
	pkt_udp(&inner, 40000, 53);
	pkt_finish(&inner);
	pkt_ipv4(&in, "198.51.100.1", HOST4);
	pkt_icmp(&in, 11, 0, 0); /* time exceeded in transit */
	pkt_data(&in, inner.b, inner.len);
	pkt_finish(&in);
	assert_int_equal(run_xlat(&cfg, &ctx, &in), 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 6);
	run_assert_addr6(out.b + 24, HOST6);
	/* IPv6 header, ICMPv6 header, then the inner IPv6 header */
	run_assert_addr6(out.b + 48 + 8, HOST6);
	run_assert_addr6(out.b + 48 + 24, SERVER6);
}

/* xlat_map_6to4: the same order, for a caller that asks before it
 * translates. */
static void
test_map_6to4(void **state)
{
	uint8_t v6[16], v4[4];

	(void)state;
	pkt_addr6("2001:db8:aaaa::2", v6); /* run_cfg's EAM entry */
	assert_true(xlat_map_6to4(&cfg, v6, v4));
	run_assert_addr4(v4, "192.0.0.2");
	pkt_addr6(HOST6, v6);
	assert_true(xlat_map_6to4(&cfg, v6, v4));
	run_assert_addr4(v4, HOST4);
	pkt_addr6(SERVER6, v6);
	assert_true(xlat_map_6to4(&cfg, v6, v4));
	run_assert_addr4(v4, SERVER4);
	pkt_addr6("2001:db8:cafe::8", v6);
	assert_false(xlat_map_6to4(&cfg, v6, v4));
	/* RFC 6052 §3.1 */
	cfg.pool6 = pkt_prefix6("64:ff9b::/96");
	cfg.wkp_strict = true;
	pkt_addr6("64:ff9b::10.0.0.1", v6);
	assert_false(xlat_map_6to4(&cfg, v6, v4));
}

/* A full pool: ICMPv6 Destination Unreachable, administratively
 * prohibited (RFC 4443 §3.1), from ipv6-addr to the sender. */
static void
test_refuse6(void **state)
{
	struct xlat_buf b;
	static uint8_t buf[XLAT_HEADROOM + 2048];

	(void)state;
	pkt_ipv6(&in, "2001:db8:cafe::99", SERVER6);
	pkt_tcp(&in, 40000, 443);
	pkt_finish(&in);
	memcpy(buf + XLAT_HEADROOM, in.b, in.len);
	b = (struct xlat_buf){buf, sizeof(buf), XLAT_HEADROOM, in.len};
	assert_int_equal(xlat_refuse(&cfg, &ctx, &b, XLAT_DROP_POOL_EXHAUSTED),
			 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 6);
	run_assert_addr6(out.b + 8, OWN6);
	run_assert_addr6(out.b + 24, "2001:db8:cafe::99");
	assert_int_equal(out.b[40], 1);
	assert_int_equal(out.b[41], 1);
	assert_int_equal(pkt_l4_sum(out.b, out.len), 0xffff);
	assert_memory_equal(out.b + 48, in.b, in.len);
	assert_int_equal(ctx.drop, XLAT_DROP_POOL_EXHAUSTED);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_POOL_EXHAUSTED], 1);
	assert_int_equal(ctx.stats.packets_in[XLAT_DIR_64][XLAT_PROTO_TCP], 1);
	assert_int_equal(ctx.stats.icmp_generated[XLAT_DIR_64], 1);
	assert_string_equal(xlat_drop_name(XLAT_DROP_POOL_EXHAUSTED),
			    "pool-exhausted");
}

/* A pool address nobody holds: ICMPv4 host unreachable (RFC 792). */
static void
test_refuse4(void **state)
{
	static uint8_t buf[XLAT_HEADROOM + 2048];
	struct xlat_buf b;

	(void)state;
	pkt_ipv4(&in, SERVER4, "192.168.255.9");
	pkt_udp(&in, 53, 40000);
	pkt_fill(&in, 30, 3);
	pkt_finish(&in);
	memcpy(buf + XLAT_HEADROOM, in.b, in.len);
	b = (struct xlat_buf){buf, sizeof(buf), XLAT_HEADROOM, in.len};
	assert_int_equal(xlat_refuse(&cfg, &ctx, &b, XLAT_DROP_DST_UNMAPPED),
			 1);
	run_out(&ctx, 0, &out);
	assert_int_equal(out.family, 4);
	run_assert_addr4(out.b + 12, OWN4);
	run_assert_addr4(out.b + 16, SERVER4);
	assert_int_equal(out.b[20], 3);
	assert_int_equal(out.b[21], 1);
	assert_int_equal(pkt_ipv4_header_sum(out.b), 0xffff);
	assert_int_equal(pkt_sum(0, out.b + 20, out.len - 20), 0xffff);
	assert_int_equal(ctx.stats.drops[XLAT_DROP_DST_UNMAPPED], 1);
	assert_string_equal(xlat_drop_name(XLAT_DROP_DST_UNMAPPED),
			    "dst-unmapped");
}

/* No error about an error (RFC 4443 §2.4(e)), and nothing for garbage. */
static void
test_refuse_silent(void **state)
{
	static uint8_t buf[XLAT_HEADROOM + 2048];
	struct xlat_buf b;

	(void)state;
	pkt_ipv6(&in, "2001:db8:cafe::99", SERVER6);
	pkt_icmp(&in, 1, 4, 0);
	pkt_fill(&in, 48, 4);
	pkt_finish(&in);
	memcpy(buf + XLAT_HEADROOM, in.b, in.len);
	b = (struct xlat_buf){buf, sizeof(buf), XLAT_HEADROOM, in.len};
	assert_int_equal(xlat_refuse(&cfg, &ctx, &b, XLAT_DROP_POOL_EXHAUSTED),
			 0);
	assert_int_equal(ctx.drop, XLAT_DROP_POOL_EXHAUSTED);
	/* RFC 7915 §5.3: ICMPv4 in IPv6 is dropped without a word */
	pkt_ipv6(&in, "2001:db8:cafe::99", SERVER6);
	pkt_proto(&in, PKT_ICMP);
	pkt_fill(&in, 16, 5);
	pkt_finish(&in);
	memcpy(buf + XLAT_HEADROOM, in.b, in.len);
	b.len = in.len;
	assert_int_equal(xlat_refuse(&cfg, &ctx, &b, XLAT_DROP_POOL_EXHAUSTED),
			 0);
	assert_int_equal(ctx.drop, XLAT_DROP_ICMP_WRONG_FAMILY);
	b.len = 10;
	assert_int_equal(xlat_refuse(&cfg, &ctx, &b, XLAT_DROP_POOL_EXHAUSTED),
			 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TRUNCATED);
	b.len = sizeof(buf);
	assert_int_equal(xlat_refuse(&cfg, &ctx, &b, XLAT_DROP_DST_UNMAPPED),
			 0);
	assert_int_equal(ctx.drop, XLAT_DROP_TRUNCATED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_6to4_source, setup),
		cmocka_unit_test_setup(test_4to6_destination, setup),
		cmocka_unit_test_setup(test_miss, setup),
		cmocka_unit_test_setup(test_eam_first, setup),
		cmocka_unit_test_setup(test_inner_packet, setup),
		cmocka_unit_test_setup(test_map_6to4, setup),
		cmocka_unit_test_setup(test_refuse6, setup),
		cmocka_unit_test_setup(test_refuse4, setup),
		cmocka_unit_test_setup(test_refuse_silent, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
