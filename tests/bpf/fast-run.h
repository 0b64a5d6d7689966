/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One packet through a fast-path program under BPF_PROG_TEST_RUN and
 * through the core with the same configuration, for test-fast-path (the
 * CLAT's programs) and test-siit-fast-path (xlat-siit's): a packet the
 * program translates must come out as the core's bytes; one it declines
 * must reach the slow path untouched. The one difference allowed is the
 * IPv4 Identification of a small unfragmented packet, which RFC 7915
 * §5.1 leaves to the translator: there the IPv4 header checksum is
 * checked instead of compared.
 */
#ifndef TESTS_FAST_RUN_H
#define TESTS_FAST_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "xlatd/xlat.h"

/* What a case expects of the fast path. */
enum fast_expect { FAST_ANY, FAST_YES, FAST_NO };

/* A program (one for each input family) and its counters. */
struct fast_prog {
	int fd4, fd6;		  /* for IPv4 and IPv6 input */
	int declined4, declined6; /* the verdict of a declined packet */
	int counters_fd;	  /* a per-CPU array of __u64 */
	unsigned cnt_fast4, cnt_fast6, cnt_error;
	/* a router forwards between the LAN and the translator: IPv4 input
	 * goes to the core with the TTL one lower (clat_lan_ingress), the
	 * core's IPv4 output of IPv6 input is compared so (to a LAN) */
	int forwards;
	unsigned ingress_ifindex; /* the skb's, when not 0 */
	/* NAT44 (clat_nat44_ingress): forwarded IPv4 input goes to the core
	 * with the source address and UDP port the kernel's SNAT gives it,
	 * when snat_port is not 0 */
	uint8_t snat_addr[4];
	uint16_t snat_port;
};

struct fast_tally {
	unsigned fast, slow, skip, fail;
};

extern struct fast_tally fast_tally;
/* The core's first output packet of the last fast_check, joined. */
extern uint8_t *fast_core_out;

/* The exit status of a test that is skipped. */
#define FAST_EXIT_SKIP 77

/* Allocate the core's context and buffers. Returns 0, or the exit
 * status: FAST_EXIT_SKIP without root (BPF_PROG_TEST_RUN needs it), 1
 * on ENOMEM. */
int fast_run_init(void);

/* The conformance vectors under root through fn, the tally printed.
 * Returns the exit status: 1 if anything failed, FAST_EXIT_SKIP when
 * root holds no vectors (only the test's own packets ran), else 0. */
int fast_run_finish(const char *root,
		    void (*fn)(void *arg, const char *name,
			       const struct xlat_cfg *profile,
			       const uint8_t *in, size_t len),
		    void *arg);

/* The core's translation of in under x: the number of packets, the
 * first one joined into fast_core_out (*out_len bytes). */
unsigned fast_core(const struct xlat_cfg *x, const uint8_t *in, size_t len,
		   size_t *out_len);

/* A line "WHAT  NAME  message". */
void fast_report(const char *name, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* in through p and through the core under x. Returns 1 when the fast
 * path translated it, 0 when it declined, -1 on a failure (reported,
 * and counted in fast_tally like the others). */
int fast_check(const struct fast_prog *p, const char *name,
	       const struct xlat_cfg *x, const uint8_t *in, size_t len);

/* fast_check, and a failure unless the path taken is the one expected. */
void fast_expect(const struct fast_prog *p, const char *name,
		 const struct xlat_cfg *x, const uint8_t *in, size_t len,
		 enum fast_expect e);

#endif
