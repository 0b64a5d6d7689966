/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault injection for the error paths of the data paths: a test linked
 * with fault_link_args (tests/unit/meson.build) has every malloc, calloc
 * and reallocarray of the code under test counted, and can make the Nth
 * one fail. Its close() calls are watched as well: closing a descriptor
 * that is not open (a double close), or 0, 1 or 2, is counted.
 *
 * Only calls from the code linked into the test are seen; allocations
 * inside shared libraries (libsystemd, libbpf, libmnl) are not.
 */
#ifndef TESTS_FAULT_H
#define TESTS_FAULT_H

#include <stdbool.h>

/* Make the nth allocation from now fail (n >= 1); 0 disarms. */
void fault_fail_alloc(unsigned n);
/* Whether the failure armed last has happened. */
bool fault_alloc_failed(void);

/* close() calls on a descriptor that was not open, or on 0, 1 or 2. */
unsigned fault_bad_closes(void);

/* Descriptors this process has open, from /proc/self/fd. */
unsigned fault_open_fds(void);

#endif
