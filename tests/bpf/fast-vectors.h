/* SPDX-License-Identifier: BSD-2-Clause */
/* The conformance vectors' input packets for test-fast-path, read with
 * tests/conformance's table, packet and profile code. A file of its own:
 * conformance.h and tests/unit/pkt-build.h both define struct pkt. */
#ifndef TESTS_FAST_VECTORS_H
#define TESTS_FAST_VECTORS_H

#include <stddef.h>
#include <stdint.h>

#include "xlatd/xlat.h"

typedef void (*vectors_fn)(void *arg, const char *name,
			   const struct xlat_cfg *profile, const uint8_t *in,
			   size_t len);

/* Calls fn for the input packet of every case of jool/tests.tsv and
 * android/vectors.tsv under root, with the translator configuration of
 * the case's profile. Returns the number of cases, or -1 when root is
 * not a directory; a case that cannot be loaded is reported and counted
 * in *bad. */
int vectors_each(const char *root, vectors_fn fn, void *arg, unsigned *bad);

#endif
