/* SPDX-License-Identifier: BSD-2-Clause */
/* The engine's confinement, entered before it reads any input: every
 * capability given up (effective, permitted, inheritable, ambient and,
 * when it may, the bounding set), no_new_privs, and a seccomp filter
 * that allows only the system calls the engine makes and kills it for
 * any other. */
#ifndef XLATD_SANDBOX_H
#define XLATD_SANDBOX_H

/* Returns 0 or -errno. */
int sandbox_enter(void);

#endif
