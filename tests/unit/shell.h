/* SPDX-License-Identifier: BSD-2-Clause */
/* Commands and network namespaces for the tests that need root and build
 * what they test in namespaces of their own (test-dp-bpf, test-nat44). */
#ifndef TESTS_SHELL_H
#define TESTS_SHELL_H

#include <stddef.h>

/* Run the shell command made from fmt; its exit status, or -1 when it
 * did not exit. */
int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The standard output of shell command cmd, at most size - 1 bytes, in
 * buf; returns buf. */
const char *sh_out(const char *cmd, char *buf, size_t size);

/* Enter the network namespace open as ns; fails the test if it cannot. */
void enter(int ns);

#endif
