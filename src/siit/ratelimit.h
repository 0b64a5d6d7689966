/* SPDX-License-Identifier: BSD-2-Clause */
/* A token bucket: at most rate events a second, burst at once. Pure: the
 * caller passes the monotonic time in milliseconds. */
#ifndef XLATD_SIIT_RATELIMIT_H
#define XLATD_SIIT_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	uint32_t rate, burst;
	uint64_t tokens_ms; /* tokens, in thousandths */
	uint64_t last_ms;
	uint64_t refused;
};

void ratelimit_init(struct ratelimit *r, uint32_t rate, uint32_t burst);
/* Whether one more event may happen now (it is counted as taken). */
bool ratelimit_take(struct ratelimit *r, uint64_t now_ms);

#endif
