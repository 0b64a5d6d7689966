/* SPDX-License-Identifier: BSD-2-Clause */
/* tayga.conf lines, directives and the checks across them. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf/set.h"
#include "tayga_conf.h"
#include "tayga_keys.h"

/* Room for a setter's message before the place and name go in front. */
#define WHY_MAX 384

void
tayga_conf_init(struct tayga_conf *c)
{
	memset(c, 0, offsetof(struct tayga_conf, maps));
	c->wkpf_strict = true;
	c->udp_cksum = TAYGA_UDP_CKSUM_CALC;
	c->offlink_mtu = XLAT_IPV6_MIN_MTU;
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
	       ch == '\v' || ch == '\f';
}

/* The words of line, up to a word that starts with '#': the first into
 * key, the others joined by single spaces into value. Returns the number
 * of words (0: a blank or comment line), or -1 when a word is too long. */
static int
split(const char *line, char key[CONF_KEY_MAX], char value[TAYGA_LINE_MAX])
{
	size_t used = 0, n;
	int words = 0;

	value[0] = '\0';
	for (;;) {
		while (is_blank(*line))
			line++;
		if (*line == '\0' || *line == '#')
			return words;
		for (n = 0; line[n] != '\0' && !is_blank(line[n]); n++)
			;
		if (words == 0) {
			if (n >= CONF_KEY_MAX)
				return -1;
			memcpy(key, line, n);
			key[n] = '\0';
		} else {
			if (used + (used > 0) + n >= TAYGA_LINE_MAX)
				return -1;
			if (used > 0)
				value[used++] = ' ';
			memcpy(value + used, line, n);
			used += n;
			value[used] = '\0';
		}
		words++;
		line += n;
	}
}

/* "FILE:LINE: " (or "line LINE: ") and the message, into err. */
static int fail_at(char *err, size_t errlen, const char *file, unsigned lineno,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
fail_at(char *err, size_t errlen, const char *file, unsigned lineno,
	const char *fmt, ...)
{
	char why[WHY_MAX + CONF_KEY_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (file != NULL)
		snprintf(err, errlen, "%s:%u: %s", file, lineno, why);
	else
		snprintf(err, errlen, "line %u: %s", lineno, why);
	return -1;
}

static const struct conf_key *
find_key(const char *name)
{
	char lower[CONF_KEY_MAX];
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < sizeof(lower); i++)
		lower[i] = (char)(name[i] >= 'A' && name[i] <= 'Z'
					  ? name[i] - 'A' + 'a'
					  : name[i]);
	lower[i] = '\0';
	return conf_key_find(tayga_keys, lower);
}

static int
unknown_key(const char *key, const char *file, unsigned lineno, char *err,
	    size_t errlen)
{
	char names[WHY_MAX] = "";
	const struct conf_key *k;
	size_t used = 0;

	for (k = tayga_keys; k->name != NULL && used < sizeof(names); k++)
		used += (size_t)snprintf(names + used, sizeof(names) - used,
					 "%s%s", used ? ", " : "", k->name);
	return fail_at(err, errlen, file, lineno,
		       "unknown directive '%.*s' (one of %s)", CONF_QUOTE_MAX,
		       key, names);
}

/* One directive; only_map: the line is the map-file's. */
static int
directive(struct tayga_conf *c, const char *line, unsigned lineno,
	  const char *file, bool only_map, char *err, size_t errlen)
{
	char key[CONF_KEY_MAX], value[TAYGA_LINE_MAX], why[WHY_MAX] = "";
	const struct conf_key *k;
	unsigned idx, maps = c->n_maps;
	int words;

	if (strlen(line) >= TAYGA_LINE_MAX)
		return fail_at(err, errlen, file, lineno,
			       "line is longer than %d characters",
			       TAYGA_LINE_MAX - 1);
	if ((words = split(line, key, value)) <= 0)
		return words == 0 ? 0
				  : fail_at(err, errlen, file, lineno,
					    "a word is too long");
	if ((k = find_key(key)) == NULL)
		return unknown_key(key, file, lineno, err, errlen);
	idx = (unsigned)(k - tayga_keys);
	if (only_map && idx != TAYGA_KEY_MAP)
		return fail_at(err, errlen, file, lineno,
			       "%s: a map-file holds map lines only", k->name);
	if (idx != TAYGA_KEY_MAP && c->first_line[idx] != 0)
		return fail_at(err, errlen, file, lineno,
			       "%s: given twice (first on line %u); only map "
			       "may repeat",
			       k->name, c->first_line[idx]);
	if (k->set(c, value, why, sizeof(why)) < 0)
		return fail_at(err, errlen, file, lineno, "%s: %s", k->name,
			       why);
	if (c->first_line[idx] == 0)
		c->first_line[idx] = lineno;
	if (c->n_maps > maps) {
		c->maps[maps].line = lineno;
		c->maps[maps].from_map_file = only_map;
	}
	return 0;
}

int
tayga_conf_line(struct tayga_conf *c, const char *line, unsigned lineno,
		const char *file, char *err, size_t errlen)
{
	return directive(c, line, lineno, file, false, err, errlen);
}

int
tayga_conf_map_line(struct tayga_conf *c, const char *line, unsigned lineno,
		    const char *file, char *err, size_t errlen)
{
	return directive(c, line, lineno, file, true, err, errlen);
}

void
tayga_conf_maps_reset(struct tayga_conf *c)
{
	c->n_maps = c->n_conf_maps;
}

bool
tayga_map_is_host(const struct tayga_map *m)
{
	return m->p4.len == 32 && m->p6.len == 128;
}

/* Whether the first len bits of a and b are equal. */
static bool
bits_equal(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned bytes = len / 8, bits = len % 8;

	if (memcmp(a, b, bytes) != 0)
		return false;
	return bits == 0 || ((a[bytes] ^ b[bytes]) & (0xff00 >> bits)) == 0;
}

bool
tayga_map_holds4(const struct tayga_map *m, const uint8_t v4[4])
{
	return bits_equal((const uint8_t *)&m->p4.addr, v4, m->p4.len);
}

bool
tayga_map_holds6(const struct tayga_map *m, const uint8_t v6[16])
{
	return bits_equal(m->p6.addr.s6_addr, v6, m->p6.len);
}

/* Two prefixes overlap when they agree on the shorter length. */
static bool
overlap4(const struct xlat_prefix4 *a, const struct xlat_prefix4 *b)
{
	return bits_equal((const uint8_t *)&a->addr, (const uint8_t *)&b->addr,
			  a->len < b->len ? a->len : b->len);
}

static bool
overlap6(const struct xlat_prefix6 *a, const struct xlat_prefix6 *b)
{
	return bits_equal(a->addr.s6_addr, b->addr.s6_addr,
			  a->len < b->len ? a->len : b->len);
}

static int map_fail(const struct tayga_map *m, const char *file, char *err,
		    size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* "FILE:LINE: map: 'V4/L V6/L' " and the message. */
static int
map_fail(const struct tayga_map *m, const char *file, char *err, size_t errlen,
	 const char *fmt, ...)
{
	char a4[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN], why[WHY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	inet_ntop(AF_INET, &m->p4.addr, a4, sizeof(a4));
	inet_ntop(AF_INET6, &m->p6.addr, a6, sizeof(a6));
	return fail_at(err, errlen, file, m->line, "map: '%s/%u %s/%u' %s", a4,
		       m->p4.len, a6, m->p6.len, why);
}

/* One map against the translator's own settings. */
static int
map_check_own(const struct tayga_conf *c, const struct tayga_map *m,
	      const char *file, char *err, size_t errlen)
{
	struct xlat_prefix4 own4 = {c->ipv4_addr, 32};
	struct xlat_prefix6 own6 = {c->ipv6_addr, 128};

	if (c->has_prefix && overlap6(&m->p6, &c->prefix))
		return map_fail(m, file, err, errlen,
				"overlaps prefix: the IPv6 side must lie "
				"outside the NAT64 prefix");
	if (overlap4(&m->p4, &own4) || overlap6(&m->p6, &own6))
		return map_fail(m, file, err, errlen,
				"holds ipv4-addr or ipv6-addr, the "
				"translator's own addresses");
	/* RFC 7757 §3.2 leaves one mapping per address: inside the pool
	 * is fine (those addresses are never assigned), across it not. */
	if (c->has_pool && overlap4(&m->p4, &c->pool) &&
	    m->p4.len < c->pool.len)
		return map_fail(m, file, err, errlen,
				"holds all of dynamic-pool");
	return 0;
}

/* maps[from ..] against each other, against the earlier ones and against
 * the translator's settings. */
static int
maps_check(const struct tayga_conf *c, unsigned from, const char *file,
	   char *err, size_t errlen)
{
	unsigned i, j, eam = 0;

	for (i = 0; i < c->n_maps; i++)
		eam += !tayga_map_is_host(&c->maps[i]);
	if (eam > XLAT_EAM_MAX)
		return fail_at(err, errlen, file, c->maps[c->n_maps - 1].line,
			       "map: %u maps of prefixes; at most %d are "
			       "allowed (host maps have no limit but %d)",
			       eam, XLAT_EAM_MAX, TAYGA_MAPS_MAX);
	for (i = from; i < c->n_maps; i++) {
		const struct tayga_map *m = &c->maps[i];

		if (map_check_own(c, m, file, err, errlen) < 0)
			return -1;
		for (j = 0; j < i; j++) {
			const struct tayga_map *o = &c->maps[j];

			if (overlap4(&m->p4, &o->p4) ||
			    overlap6(&m->p6, &o->p6))
				return map_fail(m, file, err, errlen,
						"overlaps the map on line %u%s",
						o->line,
						o->from_map_file ==
								m->from_map_file
							? ""
							: " of tayga.conf");
		}
	}
	return 0;
}

static int
missing(char *err, size_t errlen, const char *file, const char *key,
	const char *what)
{
	snprintf(err, errlen, "%s: %s: missing: %s", file ? file : "tayga.conf",
		 key, what);
	return -1;
}

/* ipv6-addr: given outside the prefix, or made from ipv4-addr and it. */
static int
finish_ipv6_addr(struct tayga_conf *c, const char *file, char *err,
		 size_t errlen)
{
	char a[INET6_ADDRSTRLEN];

	if (!c->has_ipv6_addr) {
		if (!c->has_prefix)
			return missing(err, errlen, file, "ipv6-addr",
				       "without a prefix, give the IPv6 "
				       "address of the translator");
		xlat_rfc6052_embed(&c->prefix, (const uint8_t *)&c->ipv4_addr,
				   &c->ipv6_addr);
		c->has_ipv6_addr = true;
		return 0;
	}
	if (c->has_prefix &&
	    bits_equal(c->ipv6_addr.s6_addr, c->prefix.addr.s6_addr,
		       c->prefix.len)) {
		inet_ntop(AF_INET6, &c->ipv6_addr, a, sizeof(a));
		return fail_at(err, errlen, file,
			       c->first_line[TAYGA_KEY_IPV6_ADDR],
			       "ipv6-addr: %s lies inside prefix; leave "
			       "ipv6-addr out to have it made from ipv4-addr "
			       "and prefix",
			       a);
	}
	return 0;
}

/* map-file: absolute, or relative to data-dir. */
static int
finish_map_file(struct tayga_conf *c, const char *file, char *err,
		size_t errlen)
{
	char path[2 * TAYGA_PATH_MAX];

	if (c->map_file[0] == '\0' || c->map_file[0] == '/')
		return 0;
	if (c->data_dir[0] == '\0')
		return fail_at(err, errlen, file,
			       c->first_line[TAYGA_KEY_MAP_FILE],
			       "map-file: '%s' is relative, and no data-dir is "
			       "set to find it in; give an absolute path",
			       c->map_file);
	snprintf(path, sizeof(path), "%s/%s", c->data_dir, c->map_file);
	if (strlen(path) >= TAYGA_PATH_MAX)
		return fail_at(err, errlen, file,
			       c->first_line[TAYGA_KEY_MAP_FILE],
			       "map-file: data-dir and map-file together are "
			       "longer than %d characters",
			       TAYGA_PATH_MAX - 1);
	memcpy(c->map_file, path, strlen(path) + 1);
	return 0;
}

int
tayga_conf_state_directory(struct tayga_conf *c, const char *dirs, char *err,
			   size_t errlen)
{
	size_t n = strcspn(dirs, ":");

	if (c->data_dir[0] != '\0' || n == 0)
		return 0;
	if (dirs[0] != '/' || n >= sizeof(c->data_dir)) {
		snprintf(err, errlen,
			 "STATE_DIRECTORY: '%.*s' is not an absolute path of "
			 "at most %zu characters",
			 CONF_QUOTE_MAX, dirs, sizeof(c->data_dir) - 1);
		return -1;
	}
	memcpy(c->data_dir, dirs, n);
	c->data_dir[n] = '\0';
	return 0;
}

int
tayga_conf_finish(struct tayga_conf *c, const char *file, char *err,
		  size_t errlen)
{
	if (c->tun_device[0] == '\0')
		return missing(err, errlen, file, "tun-device",
			       "the name of the TUN device (e.g. nat64)");
	if (c->ipv4_addr.s_addr == 0)
		return missing(err, errlen, file, "ipv4-addr",
			       "the IPv4 address of the translator");
	if (!c->has_prefix && c->n_maps == 0)
		return missing(err, errlen, file, "prefix",
			       "with neither prefix nor a map there is "
			       "nothing to translate");
	if (finish_ipv6_addr(c, file, err, errlen) < 0 ||
	    finish_map_file(c, file, err, errlen) < 0)
		return -1;
	c->n_conf_maps = c->n_maps;
	return maps_check(c, 0, file, err, errlen);
}

int
tayga_conf_maps_finish(struct tayga_conf *c, const char *file, char *err,
		       size_t errlen)
{
	return maps_check(c, c->n_conf_maps, file, err, errlen);
}

bool
tayga_conf_xlat(const struct tayga_conf *c, struct xlat_cfg *x, char *err,
		size_t errlen)
{
	unsigned i;

	xlat_cfg_init(x);
	x->has_pool6 = c->has_prefix;
	x->pool6 = c->prefix;
	x->wkp_strict = c->wkpf_strict;
	x->has_own4 = true;
	x->own4 = c->ipv4_addr;
	x->has_own6 = true;
	x->own6 = c->ipv6_addr;
	x->amend_udp_checksum_zero = c->udp_cksum != TAYGA_UDP_CKSUM_DROP;
	x->lowest_ipv6_mtu = c->offlink_mtu;
	x->mtu_v4 = UINT16_MAX;
	x->mtu_v6 = UINT16_MAX;
	for (i = 0; i < c->n_maps; i++) {
		const struct tayga_map *m = &c->maps[i];

		if (tayga_map_is_host(m))
			continue;
		if (!xlat_eam_add(x, &m->p6, &m->p4)) {
			snprintf(err, errlen,
				 "map on line %u: more than %d maps of "
				 "prefixes",
				 m->line, XLAT_EAM_MAX);
			return false;
		}
	}
	return true;
}
