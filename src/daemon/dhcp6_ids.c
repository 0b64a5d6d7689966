/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatd's DHCPv6 DUID and IAIDs, from its secret (see dhcp6_ids.h). */
#include <string.h>

#include "dhcp6_ids.h"
#include "siphash.h"

/* Domain separation: these hashes never meet clat_addr.c's. */
static const char duid_tag[] = "xlatd dhcpv6 duid";
static const char iaid_tag[] = "xlatd dhcpv6 iaid";

static uint64_t
dhcp6_ids_hash(const uint8_t secret[CLAT_SECRET_LEN], const char *tag,
	       const char *what, uint8_t n)
{
	uint8_t msg[64];
	size_t tlen = strlen(tag), wlen = strnlen(what, 32);

	memcpy(msg, tag, tlen);
	msg[tlen] = n;
	memcpy(msg + tlen + 1, what, wlen);
	return siphash_2_4(secret, msg, tlen + 1 + wlen);
}

void
dhcp6_ids_duid(const uint8_t secret[CLAT_SECRET_LEN], struct dhcp6_duid *out)
{
	uint8_t uuid[16];
	uint64_t h;
	unsigned i, j;

	for (i = 0; i < 2; i++) {
		h = dhcp6_ids_hash(secret, duid_tag, "", (uint8_t)i);
		for (j = 0; j < 8; j++)
			uuid[8 * i + j] = (uint8_t)(h >> (8 * j));
	}
	dhcp6_duid_uuid(uuid, out);
}

uint32_t
dhcp6_ids_iaid(const uint8_t secret[CLAT_SECRET_LEN], const char *ifname)
{
	return (uint32_t)dhcp6_ids_hash(secret, iaid_tag, ifname, 0);
}
