/* SPDX-License-Identifier: BSD-2-Clause */
/* The rate limit of the ICMP errors the core makes: a token bucket, as
 * RFC 4443 §2.4(f) asks of ICMPv6 and RFC 1812 §4.3.2.8 allows for ICMPv4.
 * The bucket holds rate errors and gains rate a second; the caller's clock
 * comes in, so this stays pure. */
#include "core.h"

#define MILLI 1000 /* credit units per error, and milliseconds a second */

bool
xlat_bucket_take(struct xlat_bucket *b, unsigned rate, uint64_t now_ms)
{
	uint64_t full = (uint64_t)rate * MILLI;

	if (rate == 0)
		return true;
	if (!b->started) {
		b->started = true;
		b->credit = full;
		b->last_ms = now_ms;
	}
	/* a clock that goes back adds nothing; a second refills it all */
	if (now_ms > b->last_ms) {
		uint64_t ms = now_ms - b->last_ms;

		b->credit = ms >= MILLI ? full : b->credit + ms * rate;
		if (b->credit > full)
			b->credit = full;
		b->last_ms = now_ms;
	}
	if (b->credit < MILLI)
		return false;
	b->credit -= MILLI;
	return true;
}
