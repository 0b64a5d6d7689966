/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ICMP and ICMPv6 numbers, for the core (src/xlat), the eBPF programs
 * (bpf/) and the tests: types and codes of RFC 792, RFC 1812 §5.2.7.1
 * and RFC 4443, the header layout, and the size limits of errors.
 * Constants only, so that it builds for -target bpf too.
 */
#ifndef XLATD_XLAT_ICMP_H
#define XLATD_XLAT_ICMP_H

/* Both versions: type, code, checksum, then 4 bytes of the type's own. */
#define ICMP_HDR_LEN 8
#define ICMP_CSUM_OFF 2

/* RFC 792: ICMPv4 types. */
#define ICMP4_ECHO_REPLY 0
#define ICMP4_DEST_UNREACH 3
#define ICMP4_SOURCE_QUENCH 4
#define ICMP4_REDIRECT 5
#define ICMP4_ECHO 8
#define ICMP4_TIME_EXCEEDED 11
#define ICMP4_PARAM_PROBLEM 12

/* RFC 792 and RFC 1812 §5.2.7.1: Destination Unreachable codes. */
#define ICMP4_NET_UNREACH 0
#define ICMP4_HOST_UNREACH 1
#define ICMP4_PROTO_UNREACH 2
#define ICMP4_PORT_UNREACH 3
#define ICMP4_FRAG_NEEDED 4
#define ICMP4_SRCROUTE_FAILED 5
#define ICMP4_NET_UNKNOWN 6
#define ICMP4_HOST_UNKNOWN 7
#define ICMP4_HOST_ISOLATED 8
#define ICMP4_NET_PROHIBITED 9
#define ICMP4_HOST_PROHIBITED 10
#define ICMP4_NET_TOS 11
#define ICMP4_HOST_TOS 12
#define ICMP4_ADMIN_PROHIBITED 13
#define ICMP4_PRECEDENCE_VIOLATION 14
#define ICMP4_PRECEDENCE_CUTOFF 15

/* RFC 792: Time Exceeded and Parameter Problem codes. */
#define ICMP4_TTL_EXCEEDED 0
#define ICMP4_REASM_EXCEEDED 1
#define ICMP4_PARAM_POINTER 0
#define ICMP4_PARAM_OPTION_MISSING 1
#define ICMP4_PARAM_BAD_LENGTH 2

/* RFC 4443 §2.1: ICMPv6 types; errors are those below 128. */
#define ICMP6_DEST_UNREACH 1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_PARAM_PROBLEM 4
#define ICMP6_INFO_MIN 128
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
/* RFC 4861 §4: router solicitation to redirect. */
#define ICMP6_ND_FIRST 133
#define ICMP6_NEIGHBOR_SOLICIT 135
#define ICMP6_ND_LAST 137
/* RFC 4861 §7.1: ND messages arrive with hop limit 255; §4.6: option
 * lengths count units of 8 octets. */
#define ND_HOP_LIMIT 255
#define ND_OPT_UNIT 8
/* ND option types: RFC 3971 §5.3.2 (used by RFC 7527), RFC 8106 §5.1,
 * RFC 8781 §4. */
#define ND_OPT_NONCE 14
#define ND_OPT_RDNSS 25
#define ND_OPT_PREF64 38

/* RFC 4443 §3.1: Destination Unreachable codes. */
#define ICMP6_NO_ROUTE 0
#define ICMP6_ADMIN_PROHIBITED 1
#define ICMP6_BEYOND_SCOPE 2
#define ICMP6_ADDR_UNREACH 3
#define ICMP6_PORT_UNREACH 4

/* RFC 4443 §3.3 and §3.4: Time Exceeded and Parameter Problem codes. */
#define ICMP6_HLIM_EXCEEDED 0
#define ICMP6_REASM_EXCEEDED 1
#define ICMP6_PARAM_HEADER 0
#define ICMP6_PARAM_NEXT_HEADER 1

/* RFC 1812 §4.3.2.3 and RFC 4443 §2.4(c): the largest ICMP errors. */
#define ICMP4_ERROR_MAX 576
#define ICMP6_ERROR_MAX 1280

#endif
