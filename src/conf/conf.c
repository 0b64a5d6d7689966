/* SPDX-License-Identifier: BSD-2-Clause */
/* Configuration lines and keys: splitting, lookup, cross-key checks. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"

/* Room for a setter's message before the key name is put in front. */
#define WHY_MAX 256

void
conf_init(struct conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	xlat_cfg_init(&conf->xlat);
	conf->xlat.icmp_error_rate = CONF_ICMP_ERROR_RATE;
}

const struct conf_key *
conf_key_find(const struct conf_key *table, const char *key)
{
	for (; table->name != NULL; table++)
		if (strcmp(table->name, key) == 0)
			return table;
	return NULL;
}

bool
conf_key_known(const char *key)
{
	return conf_key_find(conf_keys, key) != NULL;
}

int
conf_key_set(const struct conf_key *key, void *obj, const char *value,
	     char *err, size_t errlen)
{
	char why[WHY_MAX] = "";

	if (key->set(obj, value, why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "%s: %s", key->name, why);
	return -1;
}

int
conf_set(struct conf *conf, const char *key, const char *value, char *err,
	 size_t errlen)
{
	const struct conf_key *k = conf_key_find(conf_keys, key);

	if (k == NULL) {
		snprintf(err, errlen, "unknown key '%.*s'", CONF_KEY_MAX, key);
		return -1;
	}
	return conf_key_set(k, conf, value, err, errlen);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

/* Copy [start, end) without the blanks around it into out (size bytes). */
static bool
copy_trimmed(const char *start, const char *end, char *out, size_t size)
{
	size_t n;

	while (start < end && is_space(*start))
		start++;
	while (end > start && is_space(end[-1]))
		end--;
	n = (size_t)(end - start);
	if (n >= size)
		return false;
	memcpy(out, start, n);
	out[n] = '\0';
	return true;
}

/* "key = value  # comment": blanks around key and value are dropped and
 * '#' starts a comment. Returns 1 for a setting, 0 for a blank or comment
 * line and -1, with err set, for anything else. */
int
conf_line_split(const char *line, struct conf_line *out, char *err,
		size_t errlen)
{
	const char *end = strchr(line, '#'), *eq;

	if (end == NULL)
		end = line + strlen(line);
	eq = memchr(line, '=', (size_t)(end - line));
	if (eq == NULL) {
		while (line < end && is_space(*line))
			line++;
		if (line == end)
			return 0;
		snprintf(err, errlen, "expected key=value");
		return -1;
	}
	if (!copy_trimmed(line, eq, out->key, sizeof(out->key))) {
		snprintf(err, errlen, "key is longer than %d characters",
			 CONF_KEY_MAX - 1);
		return -1;
	}
	if (out->key[0] == '\0') {
		snprintf(err, errlen, "expected key=value, found no key");
		return -1;
	}
	if (!copy_trimmed(eq + 1, end, out->value, sizeof(out->value))) {
		snprintf(err, errlen, "%s: value is longer than %d characters",
			 out->key, CONF_VALUE_MAX - 1);
		return -1;
	}
	return 1;
}

int
conf_parse_line(struct conf *conf, const char *line, unsigned lineno,
		const char *filename, char *err, size_t errlen)
{
	struct conf_line l;
	char why[CONF_KEY_MAX + WHY_MAX + 8] = "";
	int r;

	r = conf_line_split(line, &l, why, sizeof(why));
	if (r == 1)
		r = conf_set(conf, l.key, l.value, why, sizeof(why));
	if (r >= 0)
		return 0;
	if (filename != NULL)
		snprintf(err, errlen, "%s:%u: %s", filename, lineno, why);
	else
		snprintf(err, errlen, "line %u: %s", lineno, why);
	return -1;
}

static bool
in_prefix6(const struct in6_addr *a, const struct xlat_prefix6 *p)
{
	unsigned bytes = p->len / 8, bits = p->len % 8;

	if (memcmp(a, &p->addr, bytes) != 0)
		return false;
	return bits == 0 || ((a->s6_addr[bytes] ^ p->addr.s6_addr[bytes]) &
			     (0xff00 >> bits)) == 0;
}

/* RFC 6877 §6.3: the CLAT maps its IPv4 address to an IPv6 address of its
 * own. That address must not look like a PLAT-side one. */
static int
finish_clat(struct conf *conf, char *err, size_t errlen)
{
	struct xlat_cfg *cfg = &conf->xlat;
	struct xlat_prefix6 p6 = {conf->clat_v6, 128};
	struct xlat_prefix4 p4 = {conf->clat_v4, 32};
	char a[INET6_ADDRSTRLEN];

	if (!conf->has_clat_v4 && !conf->has_clat_v6)
		return 0;
	if (!conf->has_clat_v6) {
		snprintf(err, errlen,
			 "clat-v4-addr is set but clat-v6-addr is not: set "
			 "both or neither");
		return -1;
	}
	if (!conf->has_clat_v4) {
		snprintf(err, errlen,
			 "clat-v6-addr is set but clat-v4-addr is not: set "
			 "both or neither");
		return -1;
	}
	if (cfg->has_pool6 && in_prefix6(&conf->clat_v6, &cfg->pool6)) {
		inet_ntop(AF_INET6, &conf->clat_v6, a, sizeof(a));
		snprintf(err, errlen,
			 "clat-v6-addr: %s is inside plat-prefix; it must be "
			 "an address of the CLAT's own",
			 a);
		return -1;
	}
	if (!xlat_eam_add(cfg, &p6, &p4)) {
		snprintf(err, errlen,
			 "clat-v4-addr: eam table is full (at most %d entries)",
			 XLAT_EAM_MAX);
		return -1;
	}
	return 0;
}

/* Checks that involve more than one key, and entries made from more than
 * one. Call it once, after the last conf_set() or conf_parse_line(). */
int
conf_finish(struct conf *conf, char *err, size_t errlen)
{
	return finish_clat(conf, err, errlen);
}
