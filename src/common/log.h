/* SPDX-License-Identifier: BSD-2-Clause */
/* Logging: log_warn (with strerror(errno)), log_warnx, log_info,
 * log_debug, and fatal/fatalx, which exit. Lines go to stderr, or to
 * syslog when not in the foreground. When stderr is the journal (systemd
 * sets JOURNAL_STREAM), each line starts with its syslog priority, "<4>"
 * for a warning, so that journalctl -p can filter them. */
#ifndef XLATD_LOG_H
#define XLATD_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Pure, for the tests: one line, "<pri>" in front when with_pri, then
 * msg and ": errstr" if errstr is not NULL, and a newline; cut short
 * to fit len, but still with the newline. Returns the length written. */
size_t log_format(char *buf, size_t len, int pri, bool with_pri,
		  const char *msg, const char *errstr);
/* Whether value, a JOURNAL_STREAM ("DEVICE:INODE"), names dev and ino. */
bool log_journal_stream_is(const char *value, uint64_t dev, uint64_t ino);

#endif
