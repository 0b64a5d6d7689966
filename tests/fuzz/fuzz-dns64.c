/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: a DNS64's answer to AAAA ipv4only.arpa as it comes off
 * the wire, through dns64_prefix_from_reply() (RFC 7050 §3, c-ares for
 * the DNS format). A prefix it finds must be one the translator can use
 * (check-prefix.h); every other answer is refused with a status.
 */
#include <stdlib.h>

#include "check-prefix.h"
#include "daemon/dns64.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xlat_prefix6 p;
	int r = dns64_prefix_from_reply(data, size, &p);

	if (r > 1)
		abort();
	if (r == 1)
		check_prefix6(&p);
	return 0;
}
