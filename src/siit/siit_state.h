/* SPDX-License-Identifier: BSD-2-Clause */
/* The dynamic pool across restarts: data-dir/dynamic.map (poolfile.h),
 * read at start and written (to a temporary file, then renamed over it)
 * when mappings changed and at exit. Only confirmed mappings are kept:
 * one on probation never carried an answer. */
#ifndef XLATD_SIIT_STATE_H
#define XLATD_SIIT_STATE_H

#include <stdint.h>

#include "pool.h"

/* Returns the number of mappings restored (lines that cannot be kept
 * are logged and skipped), or -errno when the file cannot be read; a
 * missing file is 0. */
int siit_state_load(struct pool *p, const char *dir, int64_t now);

/* Returns the number of mappings written, or -errno (logged). */
int siit_state_save(const struct pool *p, const char *dir, int64_t now);

#endif
