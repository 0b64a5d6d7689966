/* SPDX-License-Identifier: BSD-2-Clause */
/* tayga.conf directives: one setter each, and the table. A setter gets the
 * directive's words joined by single spaces. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conf/parse.h"
#include "conf/set.h"
#include "tayga_keys.h"

static unsigned
word_count(const char *value)
{
	unsigned n = *value != '\0';

	for (; *value != '\0'; value++)
		n += *value == ' ';
	return n;
}

/* Directives of one word. */
static int
one_word(const char *value, const char *what, char *err, size_t errlen)
{
	unsigned n = word_count(value);

	if (n == 1)
		return 0;
	return conf_fail(err, errlen, "takes one value (%s), found %u", what,
			 n);
}

static int
set_tun_device(void *obj, const char *value, char *err, size_t errlen)
{
	struct tayga_conf *c = obj;
	size_t n = strlen(value);

	if (one_word(value, "a device name", err, errlen) < 0)
		return -1;
	/* The kernel's rules for a device name (dev_valid_name). */
	if (n >= IF_NAMESIZE || strpbrk(value, "/:") != NULL ||
	    strcmp(value, ".") == 0 || strcmp(value, "..") == 0)
		return conf_fail(err, errlen,
				 "'%.*s' is not a device name (1 to %d "
				 "characters, no '/' or ':')",
				 CONF_QUOTE_MAX, value, IF_NAMESIZE - 1);
	memcpy(c->tun_device, value, n + 1);
	return 0;
}

/* RFC 6890: this network, loopback, multicast and reserved (with the
 * limited broadcast address) are no address of a translator or host. */
static bool
in4_reserved(const struct in_addr *a)
{
	const uint8_t *b = (const uint8_t *)a;

	return b[0] == 0 || b[0] == 127 || b[0] >= 224;
}

static int
set_in4(struct in_addr *out, const char *value, char *err, size_t errlen)
{
	struct in_addr a;

	if (one_word(value, "an IPv4 address", err, errlen) < 0)
		return -1;
	if (!parse_in4(value, &a))
		return conf_fail(err, errlen, "'%.*s' is not an IPv4 address",
				 CONF_QUOTE_MAX, value);
	if (in4_reserved(&a))
		return conf_fail(err, errlen,
				 "'%.*s' is reserved (0.0.0.0/8, 127.0.0.0/8 "
				 "and 224.0.0.0/3 are not allowed)",
				 CONF_QUOTE_MAX, value);
	*out = a;
	return 0;
}

static int
set_ipv4_addr(void *obj, const char *value, char *err, size_t errlen)
{
	return set_in4(&((struct tayga_conf *)obj)->ipv4_addr, value, err,
		       errlen);
}

/* RFC 4291 §2.4: unspecified, loopback, multicast and link-local are
 * no address to translate from or to. */
static bool
in6_reserved(const struct in6_addr *a)
{
	static const struct in6_addr any, loopback = {.s6_addr[15] = 1};

	return memcmp(a, &any, 16) == 0 || memcmp(a, &loopback, 16) == 0 ||
	       a->s6_addr[0] == 0xff ||
	       (a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80);
}

static int
set_ipv6_addr(void *obj, const char *value, char *err, size_t errlen)
{
	struct tayga_conf *c = obj;
	struct in6_addr a;

	if (one_word(value, "an IPv6 address", err, errlen) < 0)
		return -1;
	if (!parse_in6(value, &a))
		return conf_fail(err, errlen, "'%.*s' is not an IPv6 address",
				 CONF_QUOTE_MAX, value);
	if (in6_reserved(&a))
		return conf_fail(err, errlen,
				 "'%.*s' is reserved (::, ::1, fe80::/10 and "
				 "ff00::/8 are not allowed)",
				 CONF_QUOTE_MAX, value);
	c->ipv6_addr = a;
	c->has_ipv6_addr = true;
	return 0;
}

static int
set_prefix(void *obj, const char *value, char *err, size_t errlen)
{
	struct tayga_conf *c = obj;

	if (one_word(value, "an IPv6 prefix", err, errlen) < 0 ||
	    conf_set_rfc6052_prefix(&c->prefix, value, "", err, errlen) < 0)
		return -1;
	if (in6_reserved(&c->prefix.addr))
		return conf_fail(err, errlen, "'%.*s' is a reserved range",
				 CONF_QUOTE_MAX, value);
	c->has_prefix = true;
	return 0;
}

static int
set_bool(bool *out, const char *value, char *err, size_t errlen)
{
	if (one_word(value, "yes or no", err, errlen) < 0)
		return -1;
	return conf_set_bool(out, value, err, errlen);
}

static int
set_wkpf_strict(void *obj, const char *value, char *err, size_t errlen)
{
	return set_bool(&((struct tayga_conf *)obj)->wkpf_strict, value, err,
			errlen);
}

/* RFC 7915 §4.1 (RFC 6145 §4.1 before it) once asked for a Fragment
 * header in every packet from IPv4 without DF; TAYGA's option turned
 * that on. The core never adds one: the value is checked, then unused. */
static int
set_strict_frag_hdr(void *obj, const char *value, char *err, size_t errlen)
{
	bool unused;

	(void)obj;
	return set_bool(&unused, value, err, errlen);
}

static int
set_dynamic_pool(void *obj, const char *value, char *err, size_t errlen)
{
	struct tayga_conf *c = obj;
	struct xlat_prefix4 p;

	if (one_word(value, "an IPv4 prefix", err, errlen) < 0)
		return -1;
	if (strchr(value, '/') == NULL || !parse_prefix4(value, &p))
		return conf_fail(err, errlen,
				 "'%.*s' is not an IPv4 prefix ADDRESS/LENGTH",
				 CONF_QUOTE_MAX, value);
	/* The lowest address is never assigned: /31 is the longest. A
	 * bit map of a pool larger than /8 would take more than 4 MiB. */
	if (p.len > 31 || p.len < 8)
		return conf_fail(err, errlen,
				 "'%.*s' is not of a length from 8 to 31 (the "
				 "lowest address of the pool is never "
				 "assigned)",
				 CONF_QUOTE_MAX, value);
	if (!parse_host_bits_zero((const uint8_t *)&p.addr, 4, p.len))
		return conf_fail(err, errlen, "'%.*s' has bits set after /%u",
				 CONF_QUOTE_MAX, value, p.len);
	if (in4_reserved(&p.addr))
		return conf_fail(err, errlen, "'%.*s' is a reserved range",
				 CONF_QUOTE_MAX, value);
	c->pool = p;
	c->has_pool = true;
	return 0;
}

static int
set_path(char *out, const char *value, bool absolute, char *err, size_t errlen)
{
	size_t n = strlen(value);

	if (one_word(value, "a path", err, errlen) < 0)
		return -1;
	if (absolute && value[0] != '/')
		return conf_fail(err, errlen,
				 "'%.*s' is not an absolute path (one that "
				 "starts with '/')",
				 CONF_QUOTE_MAX, value);
	if (n >= TAYGA_PATH_MAX)
		return conf_fail(err, errlen,
				 "the path is longer than %d characters",
				 TAYGA_PATH_MAX - 1);
	memcpy(out, value, n + 1);
	return 0;
}

static int
set_data_dir(void *obj, const char *value, char *err, size_t errlen)
{
	return set_path(((struct tayga_conf *)obj)->data_dir, value, true, err,
			errlen);
}

/* Absolute, or relative to data-dir (tayga_conf_finish). */
static int
set_map_file(void *obj, const char *value, char *err, size_t errlen)
{
	return set_path(((struct tayga_conf *)obj)->map_file, value, false, err,
			errlen);
}

static int
set_udp_cksum_mode(void *obj, const char *value, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		enum tayga_udp_cksum mode;
	} modes[] = {
		{"calc", TAYGA_UDP_CKSUM_CALC},
		{"drop", TAYGA_UDP_CKSUM_DROP},
		{"fwd", TAYGA_UDP_CKSUM_FWD},
		{"forward", TAYGA_UDP_CKSUM_FWD},
	};
	struct tayga_conf *c = obj;
	size_t i;

	if (one_word(value, "drop, calc or fwd", err, errlen) < 0)
		return -1;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcasecmp(value, modes[i].name) == 0) {
			c->udp_cksum = modes[i].mode;
			return 0;
		}
	return conf_fail(err, errlen, "'%.*s' is not one of drop, calc, fwd",
			 CONF_QUOTE_MAX, value);
}

/* RFC 7915 §4: IPv4 packets without DF are fragmented to this size; RFC
 * 8200 §5: no IPv6 link carries less than 1280 bytes. */
static int
set_offlink_mtu(void *obj, const char *value, char *err, size_t errlen)
{
	struct tayga_conf *c = obj;

	if (one_word(value, "a number", err, errlen) < 0)
		return -1;
	return conf_set_u16(&c->offlink_mtu, XLAT_IPV6_MIN_MTU, UINT16_MAX,
			    value, err, errlen);
}

static int
set_workers(void *obj, const char *value, char *err, size_t errlen)
{
	struct tayga_conf *c = obj;
	uint16_t n;

	if (one_word(value, "a number", err, errlen) < 0 ||
	    conf_set_u16(&n, 0, TAYGA_WORKERS_MAX, value, err, errlen) < 0)
		return -1;
	c->workers = n;
	return 0;
}

/* Words from drop, reject, icmp, self and dyn; none is fine. */
static int
set_log(void *obj, const char *value, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		unsigned flag;
	} words[] = {
		{"drop", TAYGA_LOG_DROP}, {"reject", TAYGA_LOG_REJECT},
		{"icmp", TAYGA_LOG_ICMP}, {"self", TAYGA_LOG_SELF},
		{"dyn", TAYGA_LOG_DYN},
	};
	struct tayga_conf *c = obj;
	const char *w = value;
	size_t i, n;

	c->log = 0;
	while (*w != '\0') {
		n = strcspn(w, " ");
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strlen(words[i].name) == n &&
			    strncasecmp(w, words[i].name, n) == 0)
				break;
		if (i == sizeof(words) / sizeof(words[0]))
			return conf_fail(
				err, errlen,
				"'%.*s' is not one of drop, reject, "
				"icmp, self, dyn",
				(int)(n < CONF_QUOTE_MAX ? n : CONF_QUOTE_MAX),
				w);
		c->log |= words[i].flag;
		w += n + (w[n] == ' ');
	}
	return 0;
}

/* "IPV4[/LEN] IPV6[/LEN]": without a length, a host (/32, /128). */
static int
set_map(void *obj, const char *value, char *err, size_t errlen)
{
	struct tayga_conf *c = obj;
	char v4[TAYGA_LINE_MAX];
	const char *space = strchr(value, ' ');
	struct tayga_map m = {.line = 0};

	if (word_count(value) != 2)
		return conf_fail(err, errlen,
				 "takes two values, IPV4[/LEN] IPV6[/LEN]; "
				 "found %u",
				 word_count(value));
	memcpy(v4, value, (size_t)(space - value));
	v4[space - value] = '\0';
	if (!parse_prefix4(v4, &m.p4))
		return conf_fail(err, errlen,
				 "'%.*s' is not an IPv4 address or prefix",
				 CONF_QUOTE_MAX, v4);
	if (!parse_prefix6(space + 1, false, &m.p6))
		return conf_fail(err, errlen,
				 "'%.*s' is not an IPv6 address or prefix",
				 CONF_QUOTE_MAX, space + 1);
	if (conf_check_eam(&m.p6, &m.p4, value, err, errlen) < 0)
		return -1;
	if (in4_reserved(&m.p4.addr) || in6_reserved(&m.p6.addr))
		return conf_fail(err, errlen, "'%.*s' maps a reserved range",
				 CONF_QUOTE_MAX, value);
	if (c->n_maps == TAYGA_MAPS_MAX)
		return conf_fail(err, errlen,
				 "too many maps (at most %d, with the "
				 "map-file's)",
				 TAYGA_MAPS_MAX);
	c->maps[c->n_maps++] = m;
	return 0;
}

/* In the order of enum tayga_key. */
const struct conf_key tayga_keys[] = {
	{"tun-device", set_tun_device, "name of the TUN device (mandatory)"},
	{"ipv4-addr", set_ipv4_addr,
	 "IPv4 address of the translator: errors and echo (mandatory)"},
	{"ipv6-addr", set_ipv6_addr,
	 "IPv6 address of the translator: errors and echo"},
	{"prefix", set_prefix,
	 "RFC 6052 prefix IPV6/32,40,48,56,64,96 (NAT64 prefix)"},
	{"wkpf-strict", set_wkpf_strict,
	 "yes/no: only global IPv4 in 64:ff9b::/96 (RFC 6052 §3.1)"},
	{"dynamic-pool", set_dynamic_pool,
	 "IPV4/LEN (8-31): addresses for IPv6 hosts without a map"},
	{"data-dir", set_data_dir, "absolute path: dynamic.map is kept there"},
	{"map", set_map, "IPV4[/LEN] IPV6[/LEN]: static map; repeatable"},
	{"map-file", set_map_file,
	 "path (absolute or in data-dir) of map lines, read on SIGHUP"},
	{"strict-frag-hdr", set_strict_frag_hdr,
	 "yes/no: accepted; no Fragment header is ever added"},
	{"udp-cksum-mode", set_udp_cksum_mode,
	 "drop/calc/fwd: IPv4 UDP with checksum 0 (RFC 7915 §4.5)"},
	{"offlink-mtu", set_offlink_mtu,
	 "1280-65535: fragment IPv4 without DF to this (RFC 7915 §4)"},
	{"log", set_log, "words from drop, reject, icmp, self, dyn"},
	{"workers", set_workers, "0-64: accepted; see xlat-siit(8)"},
	{NULL, NULL, NULL},
};
_Static_assert(sizeof(tayga_keys) / sizeof(tayga_keys[0]) ==
		       TAYGA_KEY_COUNT + 1,
	       "one entry per enum tayga_key");
