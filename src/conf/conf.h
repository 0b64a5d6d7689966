/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Translator configuration: "key=value" settings for struct xlat_cfg.
 *
 * The parser is pure: it reads only the strings it is given and writes
 * only the struct conf it is given, so a fuzzer can drive it directly.
 * Errors go into a caller buffer as "key: why", with "file:line: " in
 * front when a whole line was parsed.
 *
 * Keys live in tables of struct conf_key. The translator's keys are
 * conf_keys[]; a program with keys of its own (the daemon) keeps its own
 * table, looks a key up there with conf_key_find() first, and passes the
 * rest to conf_set().
 */
#ifndef XLATD_CONF_H
#define XLATD_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "xlatd/xlat.h"

/* icmp-error-rate: ICMP errors the translator sends itself, a second. */
#define CONF_ICMP_ERROR_RATE 100

#define CONF_KEY_MAX 64	   /* longest key, with its NUL */
#define CONF_VALUE_MAX 256 /* longest value, with its NUL */

/* The translator's settings while they are being parsed. */
struct conf {
	struct xlat_cfg xlat;

	/* RFC 6877 §6.3: the CLAT's own IPv4 and IPv6 addresses. They
	 * become one EAM entry in conf_finish(), once both are known. */
	bool has_clat_v4, has_clat_v6;
	struct in_addr clat_v4;
	struct in6_addr clat_v6;
};

/* One key. set() parses value into obj (the table's object: a struct
 * conf for conf_keys[]) and returns 0, or returns -1 and writes into err
 * why value is wrong, without the key name. help names the allowed
 * values. */
struct conf_key {
	const char *name;
	int (*set)(void *obj, const char *value, char *err, size_t errlen);
	const char *help;
};

/* The translator's keys, ended by an entry whose name is NULL. */
extern const struct conf_key conf_keys[];

/* A line split by conf_line_split(). */
struct conf_line {
	char key[CONF_KEY_MAX];
	char value[CONF_VALUE_MAX];
};

void conf_init(struct conf *conf);
int conf_set(struct conf *conf, const char *key, const char *value, char *err,
	     size_t errlen);
int conf_parse_line(struct conf *conf, const char *line, unsigned lineno,
		    const char *filename, char *err, size_t errlen);
int conf_finish(struct conf *conf, char *err, size_t errlen);

bool conf_key_known(const char *key);
const struct conf_key *conf_key_find(const struct conf_key *table,
				     const char *key);
int conf_key_set(const struct conf_key *key, void *obj, const char *value,
		 char *err, size_t errlen);
int conf_line_split(const char *line, struct conf_line *out, char *err,
		    size_t errlen);

#endif
