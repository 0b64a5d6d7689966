/* SPDX-License-Identifier: BSD-2-Clause */
/* Echo replies from the translator's own addresses (self.h). */
#include <string.h>

#include "self.h"
#include "xlatd/xlat_bytes.h"
#include "xlatd/xlat_csum.h"
#include "xlatd/xlat_icmp.h"

#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40
#define PROTO_ICMP 1
#define PROTO_ICMPV6 58
#define IPV4_MF_OFFSET 0x3fff
#define REPLY_TTL 64

static void
swap(uint8_t *a, uint8_t *b, size_t n)
{
	uint8_t t[16];

	memcpy(t, a, n);
	memcpy(a, b, n);
	memcpy(b, t, n);
}

/* RFC 1624: the checksum at csum after a 16-bit word went from old to
 * new. The addresses swap places, which leaves every sum unchanged. */
static void
adjust(uint8_t *csum, uint16_t old, uint16_t new)
{
	uint32_t sum = (uint16_t)~get16(csum);

	sum += (uint16_t)~old;
	sum += new;
	put16(csum, (uint16_t)~xlat_csum_fold(sum));
}

static bool
echo4(uint8_t *p, size_t len)
{
	uint8_t *icmp = p + IPV4_HDR_LEN;

	if (len < IPV4_HDR_LEN + ICMP_HDR_LEN || p[0] != 0x45 ||
	    get16(p + 2) != len || (get16(p + 6) & IPV4_MF_OFFSET) != 0 ||
	    p[9] != PROTO_ICMP || icmp[0] != ICMP4_ECHO || icmp[1] != 0 ||
	    xlat_csum_fold(xlat_csum_add(0, p, IPV4_HDR_LEN)) != 0xffff)
		return false;
	icmp[0] = ICMP4_ECHO_REPLY;
	adjust(icmp + 2, ICMP4_ECHO << 8, ICMP4_ECHO_REPLY << 8);
	swap(p + 12, p + 16, 4);
	p[8] = REPLY_TTL;
	put16(p + 10, 0);
	put16(p + 10, xlat_csum_finish(xlat_csum_add(0, p, IPV4_HDR_LEN)));
	return true;
}

static bool
echo6(uint8_t *p, size_t len)
{
	uint8_t *icmp = p + IPV6_HDR_LEN;

	if (len < IPV6_HDR_LEN + ICMP_HDR_LEN ||
	    get16(p + 4) != len - IPV6_HDR_LEN || p[6] != PROTO_ICMPV6 ||
	    icmp[0] != ICMP6_ECHO_REQUEST || icmp[1] != 0)
		return false;
	icmp[0] = ICMP6_ECHO_REPLY;
	adjust(icmp + 2, ICMP6_ECHO_REQUEST << 8, ICMP6_ECHO_REPLY << 8);
	swap(p + 8, p + 24, 16);
	p[7] = REPLY_TTL;
	return true;
}

bool
self_echo(uint8_t *pkt, size_t len)
{
	if (len == 0)
		return false;
	if (pkt[0] >> 4 == 4)
		return echo4(pkt, len);
	if (pkt[0] >> 4 == 6)
		return echo6(pkt, len);
	return false;
}
