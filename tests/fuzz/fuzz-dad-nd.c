/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: NS and NA messages through DAD's classifier
 * (src/daemon/dad_nd.c) for the address 2001:db8:d::c1a7 with the nonce
 * 01:02:03:04:05:06. The first input byte picks the context: bit 0 the
 * address is optimistic, bits 1-2 the source (::, fe80::1, ff02::1,
 * the address itself), bits 3-4 the destination (the solicited-node
 * group, ff02::1, the address, fe80::2). The rest is the ICMPv6 message,
 * in a buffer of exactly its size. The verdict must follow RFC 4862 §5.4
 * and RFC 4429 §3.3, and an answer must be buildable.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/dad_nd.h"
#include "fuzz.h"

static const char *const srcs[] = {"::", "fe80::1", "ff02::1",
				   "2001:db8:d::c1a7"};
static const char *const dsts[] = {"ff02::1:ff00:c1a7", "ff02::1",
				   "2001:db8:d::c1a7", "fe80::2"};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t nonce[6] = {1, 2, 3, 4, 5, 6}, mac[6] = {2};
	struct dad_nd_rx rx;
	struct in6_addr target;
	struct dad_nd nd;
	enum dad_nd_verdict v;
	uint8_t na[DAD_ND_NA_LEN], *msg;
	bool optimistic;

	if (size < 1)
		return 0;
	optimistic = data[0] & 1;
	inet_pton(AF_INET6, "2001:db8:d::c1a7", &target);
	dad_nd_init(&nd, &target, nonce);
	memset(&rx, 0, sizeof(rx));
	inet_pton(AF_INET6, srcs[(data[0] >> 1) & 3], &rx.src);
	inet_pton(AF_INET6, dsts[(data[0] >> 3) & 3], &rx.dst);
	if ((msg = malloc(size - 1)) == NULL && size > 1)
		abort();
	if (size > 1)
		memcpy(msg, data + 1, size - 1);
	rx.msg = msg;
	rx.len = size - 1;
	v = dad_nd_classify(&nd, &rx, optimistic);
	if (v == DAD_ND_ANSWER) {
		/* only while optimistic, only to a unicast solicitor */
		if (!optimistic || IN6_IS_ADDR_UNSPECIFIED(&rx.src) ||
		    IN6_IS_ADDR_MULTICAST(&rx.src))
			abort();
		dad_nd_build_na(&nd, &rx.src, mac, na);
	}
	/* RFC 4862 §5.4: only messages about the address count */
	if (v != DAD_ND_IGNORE &&
	    (rx.len < 24 || memcmp(msg + 8, &target, 16) != 0))
		abort();
	free(msg);
	return 0;
}
