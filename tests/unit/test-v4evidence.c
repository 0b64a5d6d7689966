/* SPDX-License-Identifier: BSD-2-Clause */
/* src/daemon/v4evidence.c: when to start on DHCPv4 evidence (RFC 8925),
 * table-driven: a few packets at given times, then the verdict at given
 * times. The watch begins at T0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/v4evidence.h"

#define T0 100000 /* ms */
#define NONE 0xff

struct seen_at {
	uint64_t ms; /* after T0 */
	enum dhcp4_kind kind;
	bool v6only, asks;
};

struct verdict_at {
	uint64_t ms; /* after T0 */
	bool start;
	enum v4evidence_cause cause;
	uint64_t until; /* after T0 */
};

struct scenario {
	const char *name;
	struct v4evidence_cfg cfg;
	struct seen_at seen[4];
	unsigned n_seen;
	struct verdict_at want[4];
	unsigned n_want;
};

/* v4-conncheck-delay not set: the evidence decides */
#define EVIDENCE          \
	{                 \
		false, 10 \
	}

static const struct scenario scenarios[] = {
	{"nothing seen: start after the quiet delay",
	 EVIDENCE,
	 {{0}},
	 0,
	 {{0, false, V4EVIDENCE_WAIT_DHCPV4, V4EVIDENCE_QUIET_MS},
	  {2999, false, V4EVIDENCE_WAIT_DHCPV4, V4EVIDENCE_QUIET_MS},
	  {3000, true, V4EVIDENCE_NO_DHCPV4, V4EVIDENCE_QUIET_MS}},
	 3},
	{"an offer with option 108: at once",
	 EVIDENCE,
	 {{300, DHCP4_CLIENT, false, true}, {350, DHCP4_OFFER, true, false}},
	 2,
	 {{349, false, V4EVIDENCE_WAIT_DHCPV4, 5300},
	  {350, true, V4EVIDENCE_V6ONLY, 350}},
	 2},
	{"an ACK with option 108 and no client seen: at once",
	 EVIDENCE,
	 {{10, DHCP4_ACK, true, false}},
	 1,
	 {{10, true, V4EVIDENCE_V6ONLY, 10}},
	 1},
	{"an offer without 108: wait for native IPv4, then give up",
	 EVIDENCE,
	 {{200, DHCP4_CLIENT, false, false}, {1200, DHCP4_OFFER, false, false}},
	 2,
	 {{1200, false, V4EVIDENCE_WAIT_NATIVE, 11200},
	  {11199, false, V4EVIDENCE_WAIT_NATIVE, 11200},
	  {11200, true, V4EVIDENCE_NO_NATIVE, 11200}},
	 3},
	{"the last answer counts: 108 offered, then an ACK without it",
	 EVIDENCE,
	 {{100, DHCP4_OFFER, true, false}, {900, DHCP4_ACK, false, false}},
	 2,
	 {{900, false, V4EVIDENCE_WAIT_NATIVE, 10900}},
	 1},
	{"and the other way round",
	 EVIDENCE,
	 {{100, DHCP4_OFFER, false, false}, {5000, DHCP4_OFFER, true, false}},
	 2,
	 {{4999, false, V4EVIDENCE_WAIT_NATIVE, 10100},
	  {5000, true, V4EVIDENCE_V6ONLY, 5000}},
	 2},
	{"the host asks, nobody answers: RFC 2131 first retransmission",
	 EVIDENCE,
	 {{1500, DHCP4_CLIENT, false, true}, {5400, DHCP4_CLIENT, false, true}},
	 2,
	 {{3000, false, V4EVIDENCE_WAIT_DHCPV4, 6500},
	  {6500, true, V4EVIDENCE_NO_ANSWER, 6500}},
	 2},
	{"an early request does not shorten the quiet delay",
	 EVIDENCE,
	 {{0, DHCP4_CLIENT, false, false}},
	 1,
	 {{1000, false, V4EVIDENCE_WAIT_DHCPV4, 5000},
	  {5000, true, V4EVIDENCE_NO_ANSWER, 5000}},
	 2},
	{"ignored packets change nothing",
	 EVIDENCE,
	 {{100, DHCP4_IGNORED, true, true}},
	 1,
	 {{100, false, V4EVIDENCE_WAIT_DHCPV4, 3000},
	  {3000, true, V4EVIDENCE_NO_DHCPV4, 3000}},
	 2},
	{"explicit v4-conncheck-delay: clatd's timer, 108 or not",
	 {true, 10},
	 {{100, DHCP4_OFFER, true, false}},
	 1,
	 {{100, false, V4EVIDENCE_WAIT_DELAY, 10000},
	  {10000, true, V4EVIDENCE_DELAY_PASSED, 10000}},
	 2},
	{"explicit v4-conncheck-delay=0: at once",
	 {true, 0},
	 {{0}},
	 0,
	 {{0, true, V4EVIDENCE_DELAY_PASSED, 0}},
	 1},
};

static void
run(const struct scenario *sc)
{
	struct v4evidence ev;
	struct dhcp4_seen s;
	enum v4evidence_cause cause;
	uint64_t until;
	unsigned i, j = 0;
	bool start;

	print_message("%s\n", sc->name);
	v4evidence_init(&ev, T0);
	for (i = 0; i < sc->n_want; i++) {
		/* the packets up to and at this verdict's time */
		for (; j < sc->n_seen && sc->seen[j].ms <= sc->want[i].ms;
		     j++) {
			memset(&s, 0, sizeof(s));
			s.kind = sc->seen[j].kind;
			s.v6only = sc->seen[j].v6only;
			s.v6only_wait = s.v6only ? 1800 : 0;
			s.asks_v6only = sc->seen[j].asks;
			v4evidence_add(&ev, &s, T0 + sc->seen[j].ms);
		}
		start = v4evidence_decide(&ev, &sc->cfg, T0 + sc->want[i].ms,
					  &cause, &until);
		assert_int_equal(start, sc->want[i].start);
		assert_int_equal(cause, sc->want[i].cause);
		assert_int_equal(until, T0 + sc->want[i].until);
	}
}

static void
test_scenarios(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		run(&scenarios[i]);
}

/* What the engine learns about the host's client. */
static void
test_client_asks(void **state)
{
	struct dhcp4_seen s = {.kind = DHCP4_CLIENT, .asks_v6only = true};
	struct v4evidence ev;

	(void)state;
	v4evidence_init(&ev, T0);
	assert_false(ev.client_seen);
	v4evidence_add(&ev, &s, T0 + 5);
	assert_true(ev.client_seen);
	assert_true(ev.client_asks_v6only);
	s.asks_v6only = false;
	v4evidence_add(&ev, &s, T0 + 9);
	assert_false(ev.client_asks_v6only);
	assert_int_equal(ev.client_ms, T0 + 5); /* the first */
	s.kind = DHCP4_OFFER;
	s.v6only = true;
	s.v6only_wait = 600;
	v4evidence_add(&ev, &s, T0 + 20);
	assert_int_equal(ev.v6only_wait, 600);
}

static void
test_cause_names(void **state)
{
	(void)state;
	assert_string_equal(v4evidence_cause_name(V4EVIDENCE_V6ONLY),
			    "ipv6-only-preferred");
	assert_string_equal(v4evidence_cause_name(V4EVIDENCE_NO_DHCPV4),
			    "no-dhcpv4");
	assert_string_equal(v4evidence_cause_name(V4EVIDENCE_WAIT_NATIVE),
			    "waiting-for-native-ipv4");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_client_asks),
		cmocka_unit_test(test_cause_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
