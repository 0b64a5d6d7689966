/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What every translation must leave true, whatever its input: output
 * lengths, IP versions, header checksums, ICMP error sizes (RFC 1812
 * §4.3.2.3, RFC 4443 §2.4(c)) and upper-layer checksums. A broken
 * invariant is reported on stderr and abort()s, which libFuzzer and the
 * replay runner both catch.
 */
#ifndef TESTS_FUZZ_CHECK_H
#define TESTS_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xlatd/xlat.h"

/* The input's upper layer, read before the in-place rewrite. */
struct check_in {
	enum xlat_dir dir;
	bool l4_ok; /* unfragmented, complete, checksum right */
	enum xlat_proto l4_class;
	/* ICMPv6 in IPv4 or ICMPv4 in IPv6: dropped, nothing comes out
	 * (RFC 7915 §4.3, §5.3). */
	bool foreign_icmp;
};

void check_input(enum xlat_dir dir, const uint8_t *pkt, size_t len,
		 struct check_in *in);
void check_output(const struct xlat_cfg *cfg, const struct xlat_ctx *ctx,
		  unsigned n, const struct xlat_buf *buf,
		  const struct check_in *in);

#endif
