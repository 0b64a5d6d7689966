/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark packets, built with the tests' builder (tests/unit). Each one
 * goes from the host behind the CLAT to a server behind the PLAT (4to6),
 * or back (6to4). */
#include <stdio.h>
#include <stdlib.h>

#include "cases.h"
#include "conf/conf.h"
#include "xlatd/xlat_icmp.h"

#define HOST4 "192.0.0.1"
#define HOST6 "2001:db8:1::c1a7"
#define SERVER4 "198.51.100.10"
#define SERVER6 "2001:db8:64::c633:640a" /* RFC 6052 §2.2, /96 */

#define UDP_SMALL_DATA 36   /* IPv4 total length 64 */
#define TCP_LARGE_DATA 1460 /* IPv4 total length 1500 */
#define ECHO_DATA 56	    /* ping's default */

static const char *const cfg_lines[][2] = {
	{"plat-prefix", "2001:db8:64::/96"},
	{"clat-v4-addr", HOST4},
	{"clat-v6-addr", HOST6},
	{"mtu-v4", "1500"},
	{"mtu-v6", "1520"},
};

void
bench_cfg(struct xlat_cfg *cfg)
{
	static struct conf conf;
	char err[256];
	size_t i;

	conf_init(&conf);
	for (i = 0; i < sizeof(cfg_lines) / sizeof(cfg_lines[0]); i++) {
		if (conf_set(&conf, cfg_lines[i][0], cfg_lines[i][1], err,
			     sizeof(err)) == -1) {
			fprintf(stderr, "bench: %s\n", err);
			exit(1);
		}
	}
	if (conf_finish(&conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	*cfg = conf.xlat;
}

/* From the host to the server (4to6), or from the server back (6to4). */
static void
ip(enum xlat_dir dir, struct pkt *p)
{
	if (dir == XLAT_DIR_46)
		pkt_ipv4(p, HOST4, SERVER4);
	else
		pkt_ipv6(p, SERVER6, HOST6);
}

static void
udp_small(enum xlat_dir dir, struct pkt *p)
{
	ip(dir, p);
	pkt_udp(p, 40000, 53);
	pkt_fill(p, UDP_SMALL_DATA, 1);
	pkt_finish(p);
}

static void
tcp_large(enum xlat_dir dir, struct pkt *p)
{
	ip(dir, p);
	if (dir == XLAT_DIR_46)
		pkt_frag4(p, PKT_DF);
	pkt_tcp(p, 40000, 443);
	pkt_fill(p, TCP_LARGE_DATA, 2);
	pkt_finish(p);
}

static void
icmp_echo(enum xlat_dir dir, struct pkt *p)
{
	ip(dir, p);
	pkt_icmp(p, dir == XLAT_DIR_46 ? ICMP4_ECHO : ICMP6_ECHO_REQUEST, 0,
		 0x12340001);
	pkt_fill(p, ECHO_DATA, 3);
	pkt_finish(p);
}

/* RFC 792 / RFC 4443 §3.1: a port unreachable that quotes a small UDP
 * packet it answers. 4to6: the host answers the server; 6to4: the server
 * answers the host. */
static void
icmp_error(enum xlat_dir dir, struct pkt *p)
{
	static struct pkt inner;

	if (dir == XLAT_DIR_46) {
		pkt_ipv4(&inner, SERVER4, HOST4);
		pkt_ipv4(p, HOST4, SERVER4);
	} else {
		pkt_ipv6(&inner, HOST6, SERVER6);
		pkt_ipv6(p, SERVER6, HOST6);
	}
	pkt_udp(&inner, 40000, 53);
	pkt_fill(&inner, UDP_SMALL_DATA, 1);
	pkt_finish(&inner);
	if (dir == XLAT_DIR_46)
		pkt_icmp(p, ICMP4_DEST_UNREACH, ICMP4_PORT_UNREACH, 0);
	else
		pkt_icmp(p, ICMP6_DEST_UNREACH, ICMP6_PORT_UNREACH, 0);
	pkt_data(p, inner.b, inner.len);
	pkt_finish(p);
}

const struct bench_case bench_cases[] = {
	{"udp64", udp_small},
	{"tcp1500", tcp_large},
	{"icmp-echo", icmp_echo},
	{"icmp-error", icmp_error},
};

const size_t bench_case_count = sizeof(bench_cases) / sizeof(bench_cases[0]);
