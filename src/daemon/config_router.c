/* SPDX-License-Identifier: BSD-2-Clause */
/* Router mode's keys: router-lan, router-table, router-mode,
 * router-v6-prefix and router-fallback (config_router.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "conf/parse.h"
#include "conf/set.h"
#include "config.h"
#include "config_router.h"

/* Routing tables iproute2 names itself (rtnetlink.h). */
#define TABLE_DEFAULT 253
#define TABLE_MAIN 254
#define TABLE_LOCAL 255

/* Where iproute2 looks up table names: the admin's files first. */
static const char *const rt_tables_globs[] = {
	"/etc/iproute2/rt_tables",
	"/etc/iproute2/rt_tables.d/*.conf",
	"/usr/share/iproute2/rt_tables",
	"/usr/share/iproute2/rt_tables.d/*.conf",
};

/* RFC 7335: the range the CLAT's IPv4 address comes from by default. */
#define CLAT_RANGE 0xc0000000u /* 192.0.0.0/29 */
#define CLAT_RANGE_LEN 29

#define R(obj) ((struct config_router *)(obj))

static uint32_t
mask4(unsigned len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static bool
prefix4_overlap(const struct xlat_prefix4 *a, const struct xlat_prefix4 *b)
{
	uint32_t m = mask4(a->len < b->len ? a->len : b->len);

	return ((ntohl(a->addr.s_addr) ^ ntohl(b->addr.s_addr)) & m) == 0;
}

static bool
prefix6_overlap(const struct xlat_prefix6 *a, const struct xlat_prefix6 *b)
{
	unsigned len = a->len < b->len ? a->len : b->len, i;

	for (i = 0; i < 16 && len > 0; i++, len = len > 8 ? len - 8 : 0) {
		uint8_t m = len >= 8 ? 0xff : (uint8_t)(0xff00 >> len);

		if ((a->addr.s6_addr[i] ^ b->addr.s6_addr[i]) & m)
			return false;
	}
	return true;
}

/* One router-lan item into lan. */
static int
parse_lan(const char *tok, struct router_lan *lan, char *err, size_t errlen)
{
	struct in_addr a;

	memset(lan, 0, sizeof(*lan));
	if (strchr(tok, '/') != NULL) {
		if (!parse_prefix4(tok, &lan->prefix) ||
		    !parse_host_bits_zero((const uint8_t *)&lan->prefix.addr, 4,
					  lan->prefix.len))
			return conf_fail(err, errlen,
					 "'%.*s' is not an IPv4 prefix "
					 "(A.B.C.D/LEN, host bits zero)",
					 CONF_QUOTE_MAX, tok);
		return 0;
	}
	if (parse_in4(tok, &a))
		return conf_fail(err, errlen,
				 "'%.*s' has no prefix length (A.B.C.D/LEN)",
				 CONF_QUOTE_MAX, tok);
	if (!config_is_ifname(tok))
		return conf_fail(err, errlen,
				 "'%.*s' is neither an IPv4 prefix "
				 "(A.B.C.D/LEN) nor an interface name",
				 CONF_QUOTE_MAX, tok);
	lan->is_ifname = true;
	snprintf(lan->ifname, sizeof(lan->ifname), "%s", tok);
	return 0;
}

static bool
lan_same(const struct router_lan *a, const struct router_lan *b)
{
	if (a->is_ifname || b->is_ifname)
		return a->is_ifname == b->is_ifname &&
		       strcmp(a->ifname, b->ifname) == 0;
	return prefix4_overlap(&a->prefix, &b->prefix);
}

/* A list of IPv4 prefixes and interface names, separated by commas or
 * blanks; empty turns router mode off. */
static int
set_lan(void *obj, const char *value, char *err, size_t errlen)
{
	struct config_router *r = R(obj);
	char copy[CONF_VALUE_MAX], *tok, *save = NULL;
	struct router_lan lan[ROUTER_LAN_MAX];
	unsigned n = 0, i;

	snprintf(copy, sizeof(copy), "%s", value);
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if (n == ROUTER_LAN_MAX)
			return conf_fail(err, errlen,
					 "more than %d prefixes and interfaces",
					 ROUTER_LAN_MAX);
		if (parse_lan(tok, &lan[n], err, errlen) < 0)
			return -1;
		for (i = 0; i < n; i++)
			if (lan_same(&lan[i], &lan[n]))
				return conf_fail(err, errlen,
						 "'%.*s' repeats or overlaps "
						 "an earlier item",
						 CONF_QUOTE_MAX, tok);
		n++;
	}
	memcpy(r->lan, lan, n * sizeof(lan[0]));
	r->lan_count = n;
	return 0;
}

bool
config_router_rt_tables(FILE *f, const char *name, uint32_t *id)
{
	char line[256], word[256];
	unsigned long v;
	char *end;

	while (fgets(line, sizeof(line), f) != NULL) {
		errno = 0;
		v = strtoul(line, &end, 0);
		if (end == line || errno != 0 || v > UINT32_MAX ||
		    sscanf(end, "%255s", word) != 1 || word[0] == '#')
			continue;
		if (strcmp(word, name) == 0) {
			*id = (uint32_t)v;
			return true;
		}
	}
	return false;
}

static bool
rt_tables_lookup(const char *name, uint32_t *id)
{
	bool found = false;
	size_t i, j;

	for (i = 0;
	     i < sizeof(rt_tables_globs) / sizeof(rt_tables_globs[0]) && !found;
	     i++) {
		glob_t g;

		if (glob(rt_tables_globs[i], 0, NULL, &g) != 0)
			continue;
		for (j = 0; j < g.gl_pathc && !found; j++) {
			FILE *f = fopen(g.gl_pathv[j], "re");

			if (f == NULL)
				continue;
			found = config_router_rt_tables(f, name, id);
			fclose(f);
		}
		globfree(&g);
	}
	return found;
}

/* A table number, main, or a name from iproute2's rt_tables files; not
 * unspec (0), default (253) or local (255). */
static int
set_table(void *obj, const char *value, char *err, size_t errlen)
{
	unsigned long v;
	uint32_t id = 0;
	char *end;

	if (value[0] >= '0' && value[0] <= '9') {
		errno = 0;
		v = strtoul(value, &end, 10);
		if (errno == 0 && *end == '\0' && v <= UINT32_MAX)
			id = (uint32_t)v;
	} else if (strcmp(value, "main") == 0) {
		id = TABLE_MAIN;
	} else if (!rt_tables_lookup(value, &id)) {
		return conf_fail(err, errlen,
				 "'%.*s' is not a table number or a table "
				 "name in /etc/iproute2/rt_tables",
				 CONF_QUOTE_MAX, value);
	}
	if (id == 0 || id == TABLE_DEFAULT || id == TABLE_LOCAL)
		return conf_fail(err, errlen,
				 "'%.*s' is not a routing table for xlatd (a "
				 "number from 1 to 4294967295 but 253 and "
				 "255, main, or a name from rt_tables)",
				 CONF_QUOTE_MAX, value);
	R(obj)->table = id;
	return 0;
}

static int
set_mode(void *obj, const char *value, char *err, size_t errlen)
{
	if (strcmp(value, "nat44") == 0)
		R(obj)->mode = ROUTER_MODE_NAT44;
	else if (strcmp(value, "stateless") == 0)
		R(obj)->mode = ROUTER_MODE_STATELESS;
	else
		return conf_fail(err, errlen,
				 "'%.*s' is not nat44 or stateless",
				 CONF_QUOTE_MAX, value);
	return 0;
}

static int
set_v6_prefix(void *obj, const char *value, char *err, size_t errlen)
{
	struct config_router *r = R(obj);
	struct xlat_prefix6 p;

	if (*value == '\0') {
		r->has_v6_prefix = false;
		return 0;
	}
	if (!parse_prefix6(value, true, &p) || p.len < 32 ||
	    !parse_host_bits_zero(p.addr.s6_addr, 16, p.len))
		return conf_fail(err, errlen,
				 "'%.*s' is not an IPv6 prefix (IPv6/LEN with "
				 "LEN 32 to 128, host bits zero), or empty",
				 CONF_QUOTE_MAX, value);
	r->v6_prefix = p;
	r->has_v6_prefix = true;
	return 0;
}

static int
set_fallback(void *obj, const char *value, char *err, size_t errlen)
{
	if (strcmp(value, "unreachable") == 0)
		R(obj)->fallback = ROUTER_FALLBACK_UNREACHABLE;
	else if (strcmp(value, "native") == 0)
		R(obj)->fallback = ROUTER_FALLBACK_NATIVE;
	else
		return conf_fail(err, errlen,
				 "'%.*s' is not unreachable or native",
				 CONF_QUOTE_MAX, value);
	return 0;
}

static int
set_lan_fast_path(void *obj, const char *value, char *err, size_t errlen)
{
	return conf_set_bool(&R(obj)->lan_fast_path, value, err, errlen);
}

static const struct conf_key router_keys[] = {
	{"router-lan", set_lan, "IPv4 prefixes and interfaces, or empty"},
	{"router-table", set_table, "routing table number or name"},
	{"router-mode", set_mode, "nat44 or stateless"},
	{"router-v6-prefix", set_v6_prefix, "IPv6 prefix, for stateless"},
	{"router-fallback", set_fallback, "unreachable or native"},
	{"router-lan-fast-path", set_lan_fast_path, "boolean"},
	{NULL, NULL, NULL},
};

void
config_router_init(struct config_router *r)
{
	memset(r, 0, sizeof(*r));
	r->table = ROUTER_TABLE_DEFAULT;
	r->mode = ROUTER_MODE_NAT44;
	r->fallback = ROUTER_FALLBACK_UNREACHABLE;
}

bool
config_router_key(const char *key)
{
	return conf_key_find(router_keys, key) != NULL;
}

int
config_router_set(struct config_router *r, const char *key, const char *value,
		  const char *where, char *err, size_t errlen)
{
	const struct conf_key *k = conf_key_find(router_keys, key);
	char *w = NULL;

	if (k == NULL || conf_key_set(k, r, value, err, errlen) < 0)
		return -1;
	if (k->set == set_lan)
		w = r->where_lan;
	else if (k->set == set_mode)
		w = r->where_mode;
	else if (k->set == set_v6_prefix)
		w = r->where_v6_prefix;
	if (w != NULL)
		snprintf(w, ROUTER_WHERE_MAX, "%s", where);
	return 0;
}

bool
config_router_eam(const struct xlat_prefix6 *v6_prefix,
		  const struct xlat_prefix4 *lan, struct xlat_eam *out)
{
	unsigned host = 128u - v6_prefix->len;
	uint32_t keep = host >= 32 ? 0xffffffffu : (1u << host) - 1;
	uint32_t low;
	uint8_t *a;

	/* RFC 7757 §3.2: the IPv4 suffix must fit behind the IPv6 prefix. */
	if (96u + lan->len < v6_prefix->len)
		return false;
	out->p6 = *v6_prefix;
	out->p6.len = (uint8_t)(96 + lan->len);
	out->p4 = *lan;
	a = out->p6.addr.s6_addr + 12;
	low = ((uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	       (uint32_t)a[2] << 8 | a[3]) |
	      (ntohl(lan->addr.s_addr) & keep);
	a[0] = (uint8_t)(low >> 24);
	a[1] = (uint8_t)(low >> 16);
	a[2] = (uint8_t)(low >> 8);
	a[3] = (uint8_t)low;
	return true;
}

static int
fail_at(char *err, size_t errlen, const char *where, const char *key,
	const char *why)
{
	snprintf(err, errlen, "%s: %s: %s", where[0] ? where : "configuration",
		 key, why);
	return -1;
}

/* No LAN prefix may hold the CLAT's own IPv4 address. */
static int
check_clat_v4(const struct config_router *r, const struct in_addr *clat_v4,
	      char *err, size_t errlen)
{
	struct xlat_prefix4 clat = {
		.addr = {.s_addr = htonl(CLAT_RANGE)},
		.len = CLAT_RANGE_LEN,
	};
	char why[160];
	unsigned i;

	if (clat_v4 != NULL) {
		clat.addr = *clat_v4;
		clat.len = 32;
	}
	for (i = 0; i < r->lan_count; i++) {
		if (r->lan[i].is_ifname ||
		    !prefix4_overlap(&r->lan[i].prefix, &clat))
			continue;
		snprintf(why, sizeof(why),
			 "item %u overlaps the CLAT's IPv4 address (%s); "
			 "serve other prefixes or set clat-v4-addr",
			 i + 1,
			 clat_v4 != NULL ? "clat-v4-addr" : "192.0.0.0/29");
		return fail_at(err, errlen, r->where_lan, "router-lan", why);
	}
	return 0;
}

/* Stateless: fixed prefixes, each with an IPv6 prefix of its own. */
static int
check_stateless(const struct config_router *r, char *err, size_t errlen)
{
	struct xlat_eam eam[ROUTER_LAN_MAX];
	unsigned i, j;

	if (!r->has_v6_prefix)
		return fail_at(err, errlen, r->where_mode, "router-mode",
			       "stateless needs router-v6-prefix");
	for (i = 0; i < r->lan_count; i++) {
		if (r->lan[i].is_ifname)
			return fail_at(err, errlen, r->where_lan, "router-lan",
				       "stateless maps fixed prefixes: name "
				       "each IPv4 prefix, not an interface");
		if (!config_router_eam(&r->v6_prefix, &r->lan[i].prefix,
				       &eam[i]))
			return fail_at(err, errlen, r->where_v6_prefix,
				       "router-v6-prefix",
				       "too long for the LAN prefixes: it "
				       "needs 32 - LEN host bits for each "
				       "router-lan prefix of length LEN");
		for (j = 0; j < i; j++)
			if (prefix6_overlap(&eam[i].p6, &eam[j].p6))
				return fail_at(err, errlen, r->where_v6_prefix,
					       "router-v6-prefix",
					       "two router-lan prefixes map "
					       "onto the same IPv6 addresses; "
					       "use a /96 or shorter");
	}
	return 0;
}

int
config_router_finish(const struct config_router *r,
		     const struct in_addr *clat_v4, char *err, size_t errlen)
{
	if (r->lan_count == 0) {
		if (r->mode == ROUTER_MODE_STATELESS)
			return fail_at(err, errlen, r->where_mode,
				       "router-mode", "needs router-lan");
		if (r->has_v6_prefix)
			return fail_at(err, errlen, r->where_v6_prefix,
				       "router-v6-prefix", "needs router-lan");
		return 0;
	}
	if (check_clat_v4(r, clat_v4, err, errlen) < 0)
		return -1;
	if (r->mode == ROUTER_MODE_STATELESS)
		return check_stateless(r, err, errlen);
	if (r->has_v6_prefix)
		return fail_at(err, errlen, r->where_v6_prefix,
			       "router-v6-prefix",
			       "only with router-mode=stateless");
	return 0;
}
