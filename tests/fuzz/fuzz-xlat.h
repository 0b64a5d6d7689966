/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The translation fuzzers' shared half. An input is one selector byte
 * followed by a packet. The selector picks the configuration:
 *
 *   bit 0     0: CLAT (RFC 6877 §6.3), 1: SIIT with an EAM table (RFC 7757)
 *   bits 1-3  pool6 /96, /40, /32, /48, /56, /64, 64:ff9b::/96, none
 *   bits 4-5  MTUs (lowest IPv6, IPv6, IPv4): 1280/1500/1500,
 *             1280/1280/68, 1400/1400/576, all 65535
 *   bit 6     amend-udp-checksum-zero off (RFC 7915 §4.5)
 *   bit 7     no TTL decrement, traffic class reset, wkp-strict (RFC 6052
 *             §3.1), no own or RFC 6791 addresses
 *
 * The SIIT buffer also has tailroom, which hairpinning (RFC 7757 App. B)
 * may use; the CLAT buffer ends where the packet does.
 */
#ifndef TESTS_FUZZ_XLAT_H
#define TESTS_FUZZ_XLAT_H

#include <stddef.h>
#include <stdint.h>

#include "xlatd/xlat.h"

#define FUZZ_SEL_SIIT 0x01
#define FUZZ_SEL_POOL6_SHIFT 1
#define FUZZ_SEL_MTU_SHIFT 4
#define FUZZ_SEL_NO_AMEND 0x40
#define FUZZ_SEL_AUSTERE 0x80

void fuzz_xlat_cfg(uint8_t sel, struct xlat_cfg *cfg);
/* Translate a copy of pkt with XLAT_HEADROOM in front and tailroom
 * behind it, then check every invariant. */
void fuzz_xlat_packet(const struct xlat_cfg *cfg, enum xlat_dir dir,
		      const uint8_t *pkt, size_t len, size_t tailroom);
/* One fuzzer input: selector byte, then the packet. */
void fuzz_xlat_input(enum xlat_dir dir, const uint8_t *data, size_t size);

#endif
