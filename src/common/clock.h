/* SPDX-License-Identifier: BSD-2-Clause */
/* The monotonic clock in milliseconds, for timeouts in the data paths. */
#ifndef XLATD_CLOCK_H
#define XLATD_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t
clock_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif
