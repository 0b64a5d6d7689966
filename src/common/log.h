/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging, in the manner of OpenBSD's log.h: stderr under -d, else syslog. */
#ifndef XLATD_LOG_H
#define XLATD_LOG_H

#include <stdarg.h>

#define LOG_FMT(a, b) __attribute__((format(printf, a, b)))

void log_init(int foreground, int verbose, const char *progname);
/* verbose < 0: warnings only; 0: information; > 0: debugging too */
void log_setverbose(int verbose);
int log_getverbose(void);
void log_warn(const char *fmt, ...) LOG_FMT(1, 2); /* with strerror(errno) */
void log_warnx(const char *fmt, ...) LOG_FMT(1, 2);
void log_info(const char *fmt, ...) LOG_FMT(1, 2);
void log_debug(const char *fmt, ...) LOG_FMT(1, 2); /* only when verbose */
void fatal(const char *fmt, ...) LOG_FMT(1, 2) __attribute__((noreturn));
void fatalx(const char *fmt, ...) LOG_FMT(1, 2) __attribute__((noreturn));

#endif
