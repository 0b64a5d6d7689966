/* SPDX-License-Identifier: BSD-2-Clause */
/* src/dhcp/dhcp4.c: DHCPv4 messages as a passive observer classifies
 * them (RFC 2131, RFC 2132, RFC 3396, RFC 8925). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dhcp/dhcp4.h"
#include "xlatd/xlat_csum.h"

#define BOOTP_LEN 240 /* fixed part and magic cookie */
#define OPT_MSG_TYPE 53
#define OPT_PRL 55
#define OPT_OVERLOAD 52

static const uint8_t own_mac[6] = {0x02, 0, 0, 0, 0x01, 0x02};
static const uint8_t other_mac[6] = {0x02, 0, 0, 0, 0x09, 0x09};
static const struct dhcp4_host host = {
	.hwaddr = {0x02, 0, 0, 0, 0x01, 0x02},
	.len = 6,
};

/* A message under construction: BOOTP fields, then options. */
struct msg {
	uint8_t op, type;
	const uint8_t *mac;
	uint8_t yiaddr[4];
	unsigned sport, dport;
	uint8_t opts[300];
	size_t opts_len;
	uint8_t file[128];
};

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
opt(struct msg *m, uint8_t code, const uint8_t *val, size_t len)
{
	m->opts[m->opts_len++] = code;
	m->opts[m->opts_len++] = (uint8_t)len;
	memcpy(m->opts + m->opts_len, val, len);
	m->opts_len += len;
}

static void
opt_v6only(struct msg *m, uint32_t wait)
{
	uint8_t v[4] = {(uint8_t)(wait >> 24), (uint8_t)(wait >> 16),
			(uint8_t)(wait >> 8), (uint8_t)wait};

	opt(m, DHCP4_OPT_V6ONLY, v, 4);
}

/* A server's reply (OFFER 2, ACK 5) or a client's request (DISCOVER 1,
 * REQUEST 3) for own_mac, with its message type option first. */
static void
init(struct msg *m, uint8_t type)
{
	bool reply = type == 2 || type == 5;

	memset(m, 0, sizeof(*m));
	m->type = type;
	m->op = reply ? 2 : 1;
	m->mac = own_mac;
	m->sport = reply ? 67 : 68;
	m->dport = reply ? 68 : 67;
	if (reply)
		memcpy(m->yiaddr, (uint8_t[]){192, 0, 2, 100}, 4);
	opt(m, OPT_MSG_TYPE, &type, 1);
}

/* IPv4, UDP and BOOTP into pkt; returns the length. */
static size_t
build(const struct msg *m, uint8_t *pkt)
{
	uint8_t *udp = pkt + 20, *b = udp + 8;
	size_t blen = BOOTP_LEN + m->opts_len + 1, total = 28 + blen;

	memset(pkt, 0, total);
	pkt[0] = 0x45;
	put16(pkt + 2, (unsigned)total);
	pkt[8] = 64;
	pkt[9] = 17;
	memcpy(pkt + 12, (uint8_t[]){192, 0, 2, 1}, 4);
	memset(pkt + 16, 0xff, 4);
	put16(pkt + 10, xlat_csum_finish(xlat_csum_add(0, pkt, 20)));
	put16(udp, m->sport);
	put16(udp + 2, m->dport);
	put16(udp + 4, (unsigned)(8 + blen));
	b[0] = m->op;
	b[1] = 1; /* Ethernet */
	b[2] = 6;
	memcpy(b + 4, "\x12\x34\x56\x78", 4);
	memcpy(b + 16, m->yiaddr, 4);
	memcpy(b + 28, m->mac, 6);
	memcpy(b + 108, m->file, sizeof(m->file));
	memcpy(b + 236, "\x63\x82\x53\x63", 4);
	memcpy(b + BOOTP_LEN, m->opts, m->opts_len);
	b[BOOTP_LEN + m->opts_len] = 255;
	return total;
}

static enum dhcp4_kind
classify(const struct msg *m, struct dhcp4_seen *seen)
{
	uint8_t pkt[1024];

	return dhcp4_classify(pkt, build(m, pkt), &host, seen);
}

static void
test_offer_v6only(void **state)
{
	struct dhcp4_seen s;
	struct msg m;

	(void)state;
	init(&m, 2);
	opt_v6only(&m, 1800);
	assert_int_equal(classify(&m, &s), DHCP4_OFFER);
	assert_int_equal(s.kind, DHCP4_OFFER);
	assert_true(s.v6only);
	assert_int_equal(s.v6only_wait, 1800);
	assert_int_equal(s.xid, 0x12345678);
	assert_int_equal(ntohl(s.yiaddr.s_addr), 0xc0000264);
}

/* RFC 8925 §3.2: below MIN_V6ONLY_WAIT (0 when the server has no value
 * configured, §3.1) counts as MIN_V6ONLY_WAIT. */
static void
test_v6only_minimum(void **state)
{
	struct dhcp4_seen s;
	struct msg m;

	(void)state;
	init(&m, 5);
	opt_v6only(&m, 0);
	assert_int_equal(classify(&m, &s), DHCP4_ACK);
	assert_true(s.v6only);
	assert_int_equal(s.v6only_wait, DHCP4_MIN_V6ONLY_WAIT);
	init(&m, 5);
	opt_v6only(&m, 299);
	classify(&m, &s);
	assert_int_equal(s.v6only_wait, DHCP4_MIN_V6ONLY_WAIT);
	init(&m, 5);
	opt_v6only(&m, 0xffffffff);
	classify(&m, &s);
	assert_int_equal(s.v6only_wait, 0xffffffff);
}

/* RFC 8925 §3.1: a length other than 4 is ignored, not the message. */
static void
test_v6only_bad_length(void **state)
{
	static const uint8_t two[2] = {0, 60}, five[5] = {0, 0, 7, 8, 0};
	struct dhcp4_seen s;
	struct msg m;

	(void)state;
	init(&m, 2);
	opt(&m, DHCP4_OPT_V6ONLY, two, sizeof(two));
	assert_int_equal(classify(&m, &s), DHCP4_OFFER);
	assert_false(s.v6only);
	init(&m, 2);
	opt(&m, DHCP4_OPT_V6ONLY, five, sizeof(five));
	assert_int_equal(classify(&m, &s), DHCP4_OFFER);
	assert_false(s.v6only);
}

static void
test_ack_plain(void **state)
{
	struct dhcp4_seen s;
	struct msg m;

	(void)state;
	init(&m, 5);
	assert_int_equal(classify(&m, &s), DHCP4_ACK);
	assert_false(s.v6only);
	assert_int_equal(s.v6only_wait, 0);
}

/* RFC 2131 §3.4: the answer to DHCPINFORM leases nothing (yiaddr 0). */
static void
test_ack_to_inform(void **state)
{
	struct dhcp4_seen s;
	struct msg m;

	(void)state;
	init(&m, 5);
	memset(m.yiaddr, 0, 4);
	assert_int_equal(classify(&m, &s), DHCP4_IGNORED);
	assert_int_equal(s.kind, DHCP4_IGNORED);
	assert_int_equal(s.xid, 0); /* nothing half-filled */
	opt_v6only(&m, 600);
	assert_int_equal(classify(&m, &s), DHCP4_ACK);
	assert_true(s.v6only);
}

/* chaddr must be this host's; a link without a hardware address takes
 * every chaddr. */
static void
test_other_host(void **state)
{
	struct dhcp4_host none = {.len = 0};
	struct dhcp4_seen s;
	struct msg m;
	uint8_t pkt[1024];
	size_t len;

	(void)state;
	init(&m, 2);
	opt_v6only(&m, 900);
	m.mac = other_mac;
	assert_int_equal(classify(&m, &s), DHCP4_IGNORED);
	assert_int_equal(s.kind, DHCP4_IGNORED);
	assert_false(s.v6only);
	len = build(&m, pkt);
	assert_int_equal(dhcp4_classify(pkt, len, &none, &s), DHCP4_OFFER);
	assert_true(s.v6only);
}

/* The host's client: DISCOVER and REQUEST, and whether option 108 is in
 * its Parameter Request List (RFC 8925 §3.2). */
static void
test_client(void **state)
{
	static const uint8_t prl[] = {1, 3, 6, 108, 15};
	static const uint8_t prl_plain[] = {1, 3, 6, 15};
	struct dhcp4_seen s;
	struct msg m;

	(void)state;
	init(&m, 1);
	opt(&m, OPT_PRL, prl, sizeof(prl));
	assert_int_equal(classify(&m, &s), DHCP4_CLIENT);
	assert_true(s.asks_v6only);
	assert_false(s.v6only);
	init(&m, 3);
	opt(&m, OPT_PRL, prl_plain, sizeof(prl_plain));
	assert_int_equal(classify(&m, &s), DHCP4_CLIENT);
	assert_false(s.asks_v6only);
	/* A client never sends 108 itself; if it does, it says nothing. */
	opt_v6only(&m, 1000);
	assert_int_equal(classify(&m, &s), DHCP4_CLIENT);
	assert_false(s.v6only);
}

/* Messages the observer does not care about, and the wrong direction. */
static void
test_ignored_kinds(void **state)
{
	struct dhcp4_seen s;
	struct msg m;
	uint8_t t;

	(void)state;
	for (t = 4; t <= 8; t++) { /* DECLINE, (ACK), NAK, RELEASE, INFORM */
		if (t == 5)
			continue;
		init(&m, t);
		assert_int_equal(classify(&m, &s), DHCP4_IGNORED);
	}
	init(&m, 2);
	m.sport = 68; /* an OFFER to the server port */
	m.dport = 67;
	assert_int_equal(classify(&m, &s), DHCP4_IGNORED);
	init(&m, 2);
	m.op = 1; /* BOOTREQUEST carrying an OFFER */
	assert_int_equal(classify(&m, &s), DHCP4_IGNORED);
	init(&m, 2);
	m.dport = 67; /* server to relay */
	assert_int_equal(classify(&m, &s), DHCP4_IGNORED);
	/* BOOTP without option 53 */
	init(&m, 2);
	m.opts_len = 0;
	assert_int_equal(classify(&m, &s), DHCP4_IGNORED);
}

/* RFC 2132 §9.3: options continued in the file field; RFC 3396: one
 * option in two pieces. */
static void
test_overload_and_split(void **state)
{
	static const uint8_t file_only = 1;
	struct dhcp4_seen s;
	struct msg m;

	(void)state;
	init(&m, 2);
	opt(&m, OPT_OVERLOAD, &file_only, 1);
	memcpy(m.file, "\x6c\x04\x00\x00\x03\x84\xff", 7); /* 108: 900 s */
	assert_int_equal(classify(&m, &s), DHCP4_OFFER);
	assert_true(s.v6only);
	assert_int_equal(s.v6only_wait, 900);
	/* Without the overload option, the file field is a file name. */
	init(&m, 2);
	memcpy(m.file, "\x6c\x04\x00\x00\x03\x84\xff", 7);
	assert_int_equal(classify(&m, &s), DHCP4_OFFER);
	assert_false(s.v6only);
	init(&m, 2);
	opt(&m, DHCP4_OPT_V6ONLY, (const uint8_t *)"\x00\x00", 2);
	opt(&m, DHCP4_OPT_V6ONLY, (const uint8_t *)"\x07\x08", 2);
	assert_int_equal(classify(&m, &s), DHCP4_OFFER);
	assert_true(s.v6only);
	assert_int_equal(s.v6only_wait, 0x708);
}

/* Malformed headers and options: ignored, never read past the end. */
static void
test_malformed(void **state)
{
	uint8_t pkt[1024], copy[1024];
	struct dhcp4_seen s;
	struct msg m;
	size_t len, cut;

	(void)state;
	init(&m, 2);
	opt_v6only(&m, 1800);
	len = build(&m, pkt);
	/* every truncation, into a buffer of exactly that size */
	for (cut = 0; cut < len; cut++) {
		memcpy(copy, pkt, cut);
		assert_int_equal(dhcp4_classify(copy, cut, &host, &s),
				 DHCP4_IGNORED);
	}
	/* Ethernet padding after the IPv4 total length is fine */
	memset(pkt + len, 0, 18);
	assert_int_equal(dhcp4_classify(pkt, len + 18, &host, &s), DHCP4_OFFER);
	memcpy(copy, pkt, len);
	copy[6] = 0x20; /* MF: a first fragment */
	copy[10] = copy[11] = 0;
	put16(copy + 10, xlat_csum_finish(xlat_csum_add(0, copy, 20)));
	assert_int_equal(dhcp4_classify(copy, len, &host, &s), DHCP4_IGNORED);
	memcpy(copy, pkt, len);
	copy[12] ^= 1; /* header checksum now wrong */
	assert_int_equal(dhcp4_classify(copy, len, &host, &s), DHCP4_IGNORED);
	memcpy(copy, pkt, len);
	copy[9] = 6; /* TCP */
	put16(copy + 10, 0);
	put16(copy + 10, xlat_csum_finish(xlat_csum_add(0, copy, 20)));
	assert_int_equal(dhcp4_classify(copy, len, &host, &s), DHCP4_IGNORED);
	memcpy(copy, pkt, len);
	put16(copy + 24, 7); /* UDP length below its header */
	assert_int_equal(dhcp4_classify(copy, len, &host, &s), DHCP4_IGNORED);
	memcpy(copy, pkt, len);
	copy[28 + 236] = 0; /* magic cookie */
	assert_int_equal(dhcp4_classify(copy, len, &host, &s), DHCP4_IGNORED);
	/* an option running past the end of the options */
	init(&m, 2);
	m.opts[m.opts_len++] = DHCP4_OPT_V6ONLY;
	m.opts[m.opts_len++] = 40;
	assert_int_equal(classify(&m, &s), DHCP4_IGNORED);
	/* two message types (RFC 3396 would make it length 2) */
	init(&m, 2);
	opt(&m, OPT_MSG_TYPE, (const uint8_t *)"\x02", 1);
	assert_int_equal(classify(&m, &s), DHCP4_IGNORED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offer_v6only),
		cmocka_unit_test(test_v6only_minimum),
		cmocka_unit_test(test_v6only_bad_length),
		cmocka_unit_test(test_ack_plain),
		cmocka_unit_test(test_ack_to_inform),
		cmocka_unit_test(test_other_host),
		cmocka_unit_test(test_client),
		cmocka_unit_test(test_ignored_kinds),
		cmocka_unit_test(test_overload_and_split),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
