/* SPDX-License-Identifier: BSD-2-Clause */
/* A token bucket (ratelimit.h). */
#include "ratelimit.h"

void
ratelimit_init(struct ratelimit *r, uint32_t rate, uint32_t burst)
{
	r->rate = rate;
	r->burst = burst;
	r->tokens_ms = (uint64_t)burst * 1000;
	r->last_ms = 0;
	r->refused = 0;
}

bool
ratelimit_take(struct ratelimit *r, uint64_t now_ms)
{
	uint64_t full = (uint64_t)r->burst * 1000;

	if (now_ms > r->last_ms) {
		/* rate tokens a second: rate thousandths a millisecond */
		uint64_t add = (now_ms - r->last_ms) * r->rate;

		r->tokens_ms =
			add >= full - r->tokens_ms ? full : r->tokens_ms + add;
		r->last_ms = now_ms;
	}
	if (r->tokens_ms < 1000) {
		r->refused++;
		return false;
	}
	r->tokens_ms -= 1000;
	return true;
}
