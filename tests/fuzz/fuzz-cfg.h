/* SPDX-License-Identifier: BSD-2-Clause */
/* Checks shared by the configuration fuzzers (fuzz-conf, fuzz-tayga-conf):
 * each abort()s on a broken invariant. */
#ifndef TESTS_FUZZ_CFG_H
#define TESTS_FUZZ_CFG_H

#include <stddef.h>

#include "xlatd/xlat.h"

/* A parser's result r (0 or -1) and its message: terminated within
 * errlen, and not empty on a failure. */
void fuzz_cfg_check_err(int r, const char *err, size_t errlen);
/* What a parser must never let through into the core's settings. */
void fuzz_cfg_check(const struct xlat_cfg *cfg);
/* Two UDP packets each way through cfg, under the invariants of check.c. */
void fuzz_cfg_translate(const struct xlat_cfg *cfg);

#endif
