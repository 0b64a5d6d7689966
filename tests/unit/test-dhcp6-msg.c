/* SPDX-License-Identifier: BSD-2-Clause */
/* src/dhcp/dhcp6_msg.c: DHCPv6 messages for one IA_NA (RFC 8415 §8, §21),
 * parsed from bytes written here and built into bytes checked here. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp/dhcp6_msg.h"

#define IAID 0x0c1a7001

/* A message written option by option. */
struct w {
	uint8_t b[600];
	size_t len;
};

static void
w16(struct w *w, unsigned v)
{
	w->b[w->len++] = (uint8_t)(v >> 8);
	w->b[w->len++] = (uint8_t)v;
}

static void
w32(struct w *w, uint32_t v)
{
	w16(w, v >> 16);
	w16(w, v & 0xffff);
}

static void
wbytes(struct w *w, const void *p, size_t n)
{
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void
wopt(struct w *w, unsigned code, const void *p, size_t n)
{
	w16(w, code);
	w16(w, (unsigned)n);
	wbytes(w, p, n);
}

static struct in6_addr
a6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static const uint8_t client_duid[] = {0, 4, 1,	2,  3,	4,  5,	6,  7,
				      8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t server_duid[] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 1};

/* An IA_NA with one address, and a status of the IA (after the address)
 * when status >= 0. */
static void
w_ia(struct w *w, uint32_t iaid, uint32_t t1, uint32_t t2, const char *addr,
     uint32_t pref, uint32_t valid, int status)
{
	struct in6_addr a = a6(addr);
	size_t len_at;

	w16(w, 3);
	len_at = w->len;
	w16(w, 0);
	w32(w, iaid);
	w32(w, t1);
	w32(w, t2);
	w16(w, 5);
	w16(w, 24);
	wbytes(w, &a, 16);
	w32(w, pref);
	w32(w, valid);
	if (status >= 0) {
		w16(w, 13);
		w16(w, 2 + 4);
		w16(w, (unsigned)status);
		wbytes(w, "oops", 4);
	}
	w->b[len_at] = (uint8_t)((w->len - len_at - 2) >> 8);
	w->b[len_at + 1] = (uint8_t)(w->len - len_at - 2);
}

static void
w_hdr(struct w *w, uint8_t type, uint32_t xid)
{
	memset(w, 0, sizeof(*w));
	w->b[0] = type;
	w->b[1] = (uint8_t)(xid >> 16);
	w->b[2] = (uint8_t)(xid >> 8);
	w->b[3] = (uint8_t)xid;
	w->len = 4;
}

static void
test_advertise(void **state)
{
	struct in6_addr want = a6("2001:db8:1::1000");
	struct dhcp6_msg m;
	uint8_t pref = 7, rt[4] = {0, 0, 0x0e, 0x10};
	struct w w;

	(void)state;
	w_hdr(&w, DHCP6_ADVERTISE, 0xabcdef);
	wopt(&w, 1, client_duid, sizeof(client_duid));
	wopt(&w, 2, server_duid, sizeof(server_duid));
	wopt(&w, 7, &pref, 1);
	wopt(&w, 82, rt, 4);
	wopt(&w, 23, "\x20\x01\x0d\xb8", 4); /* DNS, not read */
	w_ia(&w, IAID + 1, 100, 200, "2001:db8:1::9", 300, 400, -1);
	w_ia(&w, IAID, 1800, 2880, "2001:db8:1::1000", 3600, 7200, -1);
	assert_int_equal(dhcp6_msg_parse(w.b, w.len, IAID, &m), 0);
	assert_int_equal(m.type, DHCP6_ADVERTISE);
	assert_int_equal(m.xid, 0xabcdef);
	assert_true(m.has_clientid);
	assert_int_equal(m.clientid.len, sizeof(client_duid));
	assert_memory_equal(m.clientid.b, client_duid, sizeof(client_duid));
	assert_true(m.has_serverid);
	assert_memory_equal(m.serverid.b, server_duid, sizeof(server_duid));
	assert_true(m.has_preference);
	assert_int_equal(m.preference, 7);
	assert_true(m.has_sol_max_rt);
	assert_int_equal(m.sol_max_rt, 3600);
	assert_false(m.has_status);
	assert_true(m.has_ia); /* ours, not the other IAID's */
	assert_int_equal(m.t1, 1800);
	assert_int_equal(m.t2, 2880);
	assert_int_equal(m.n_addrs, 1);
	assert_memory_equal(&m.addrs[0].addr, &want, 16);
	assert_int_equal(m.addrs[0].preferred, 3600);
	assert_int_equal(m.addrs[0].valid, 7200);
}

static void
test_status_codes(void **state)
{
	struct dhcp6_msg m;
	struct w w;

	(void)state;
	w_hdr(&w, DHCP6_REPLY, 1);
	wopt(&w, 13, "\x00\x04on-link?", 10);
	w_ia(&w, IAID, 0, 0, "2001:db8:1::1", 0, 0, DHCP6_NO_BINDING);
	assert_int_equal(dhcp6_msg_parse(w.b, w.len, IAID, &m), 0);
	assert_true(m.has_status);
	assert_int_equal(m.status, DHCP6_NOT_ON_LINK);
	assert_true(m.has_ia);
	assert_true(m.ia_has_status);
	assert_int_equal(m.ia_status, DHCP6_NO_BINDING);
	assert_false(m.addrs[0].has_status);
}

/* RFC 8415 §21.4 and §21.6: invalid IA and address are left out. */
static void
test_invalid_ia(void **state)
{
	struct dhcp6_msg m;
	struct w w;

	(void)state;
	w_hdr(&w, DHCP6_REPLY, 1);
	w_ia(&w, IAID, 200, 100, "2001:db8:1::1", 300, 400, -1);
	assert_int_equal(dhcp6_msg_parse(w.b, w.len, IAID, &m), 0);
	assert_false(m.has_ia);
	w_hdr(&w, DHCP6_REPLY, 1);
	w_ia(&w, IAID, 200, 0, "2001:db8:1::1", 300, 400, -1);
	assert_int_equal(dhcp6_msg_parse(w.b, w.len, IAID, &m), 0);
	assert_true(m.has_ia); /* T2 of 0: left to the client */
	w_hdr(&w, DHCP6_REPLY, 1);
	w_ia(&w, IAID, 0, 0, "2001:db8:1::1", 500, 400, -1);
	assert_int_equal(dhcp6_msg_parse(w.b, w.len, IAID, &m), 0);
	assert_true(m.has_ia);
	assert_int_equal(m.n_addrs, 0);
}

static void
test_malformed(void **state)
{
	uint8_t long_duid[DHCP6_DUID_MAX + 1] = {0, 2};
	struct dhcp6_msg m;
	struct w w;
	size_t cut;

	(void)state;
	w_hdr(&w, DHCP6_REPLY, 1);
	wopt(&w, 1, client_duid, sizeof(client_duid));
	w_ia(&w, IAID, 0, 0, "2001:db8:1::1", 300, 400, 0);
	/* every truncation inside an option is malformed, at the ends of
	 * options it is a shorter message */
	for (cut = 0; cut < w.len; cut++)
		if (cut < 4 || (cut > 4 && cut < 4 + 22) || cut > 4 + 22)
			assert_int_equal(dhcp6_msg_parse(w.b, cut, IAID, &m),
					 -1);
	assert_int_equal(dhcp6_msg_parse(w.b, 4, IAID, &m), 0);
	w_hdr(&w, DHCP6_REPLY, 1);
	wopt(&w, 2, long_duid, sizeof(long_duid));
	assert_int_equal(dhcp6_msg_parse(w.b, w.len, IAID, &m), -1);
	w_hdr(&w, DHCP6_REPLY, 1);
	wopt(&w, 7, "\x01\x02", 2); /* Preference of length 2 */
	assert_int_equal(dhcp6_msg_parse(w.b, w.len, IAID, &m), -1);
	w_hdr(&w, DHCP6_REPLY, 1);
	wopt(&w, 3, "\x0c\x1a\x70\x01\0\0", 6); /* IA_NA too short */
	assert_int_equal(dhcp6_msg_parse(w.b, w.len, IAID, &m), -1);
	assert_false(m.has_ia);
}

static void
test_build(void **state)
{
	struct dhcp6_duid c, s;
	struct in6_addr a = a6("2001:db8:1::1000");
	struct dhcp6_out o = {
		.type = DHCP6_REQUEST,
		.xid = 0x123456,
		.clientid = &c,
		.serverid = &s,
		.elapsed = 150,
		.iaid = IAID,
		.addrs = &a,
		.n_addrs = 1,
		.oro = true,
	};
	static const uint8_t want[] = {
		3,    0x12, 0x34, 0x56, /* header */
		0,    1,    0,	  18,	/* client id */
		0,    4,    1,	  2,	3,  4,	5, 6, 7,  8, 9, 10, 11,
		12,   13,   14,	  15,	16, 0,	2, 0, 10, /* server id */
		0,    3,    0,	  1,	2,  0,	0, 0, 0,  1, 0, 8,  0,
		2,    0,    150,				   /* elapsed */
		0,    3,    0,	  40,				   /* IA_NA */
		0x0c, 0x1a, 0x70, 0x01, 0,  0,	0, 0, 0,  0, 0, 0, /* IAID T1 T2
								    */
		0,    5,    0,	  24,				   /* IAADDR */
		0x20, 0x01, 0x0d, 0xb8, 0,  1,	0, 0, 0,  0, 0, 0,  0,
		0,    0x10, 0,	  0,	0,  0,	0, 0, 0,  0, 0, /* lifetimes 0
								 */
		0,    6,    0,	  2,	0,  82, /* ORO: SOL_MAX_RT */
	};
	uint8_t buf[DHCP6_MSG_MAX];
	struct dhcp6_msg back;
	size_t n;

	(void)state;
	memcpy(c.b, client_duid, sizeof(client_duid));
	c.len = sizeof(client_duid);
	memcpy(s.b, server_duid, sizeof(server_duid));
	s.len = sizeof(server_duid);
	n = dhcp6_msg_build(&o, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* it reads back */
	assert_int_equal(dhcp6_msg_parse(buf, n, IAID, &back), 0);
	assert_true(back.has_ia);
	assert_int_equal(back.n_addrs, 1);
	/* too small a buffer: nothing */
	assert_int_equal(dhcp6_msg_build(&o, buf, n - 1), 0);
	/* no server id, no ORO, no address: a Solicit's shape */
	o.serverid = NULL;
	o.oro = false;
	o.n_addrs = 0;
	assert_int_equal(dhcp6_msg_build(&o, buf, sizeof(buf)),
			 4 + 22 + 6 + 16);
}

/* RFC 6355, RFC 9562 §5.8: version 8, variant 10. */
static void
test_duid_uuid(void **state)
{
	uint8_t bytes[16];
	struct dhcp6_duid d;

	(void)state;
	memset(bytes, 0xff, sizeof(bytes));
	dhcp6_duid_uuid(bytes, &d);
	assert_int_equal(d.len, 18);
	assert_int_equal(d.b[0] << 8 | d.b[1], 4);
	assert_int_equal(d.b[2 + 6], 0x8f);
	assert_int_equal(d.b[2 + 8], 0xbf);
	assert_int_equal(d.b[2 + 15], 0xff);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_advertise),
		cmocka_unit_test(test_status_codes),
		cmocka_unit_test(test_invalid_ia),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_duid_uuid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
