/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatd.conf: the daemon's keys, then the translator's (src/conf). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/parse.h"
#include "conf/set.h"
#include "config.h"
#include "delegated.h"

static bool
parse_uint(const char *s, unsigned long min, unsigned long max, unsigned *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static int
set_uint(unsigned *out, unsigned long min, unsigned long max, const char *value,
	 char *err, size_t errlen)
{
	if (!parse_uint(value, min, max, out))
		return conf_fail(err, errlen,
				 "'%.*s' is not a number between %lu and %lu",
				 CONF_QUOTE_MAX, value, min, max);
	return 0;
}

/* 0 means "automatic"; otherwise min..max. */
static int
set_uint_or_auto(unsigned *out, unsigned long min, unsigned long max,
		 const char *value, char *err, size_t errlen)
{
	if (strcmp(value, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (!parse_uint(value, min, max, out))
		return conf_fail(
			err, errlen,
			"'%.*s' is not 0 (automatic) or a number between "
			"%lu and %lu",
			CONF_QUOTE_MAX, value, min, max);
	return 0;
}

bool
config_one_clat(const struct config *cfg)
{
	return cfg->plat_dev[0] != '\0' || cfg->clat_v6_mode == CLAT_V6_STATIC;
}

bool
config_is_ifname(const char *value)
{
	size_t len = strlen(value);

	return len > 0 && len < IF_NAMESIZE && strcspn(value, "/: \t") == len;
}

static int
set_ifname(char *out, const char *value, bool may_be_empty, char *err,
	   size_t errlen)
{
	if (*value == '\0' && may_be_empty) {
		out[0] = '\0';
		return 0;
	}
	if (!config_is_ifname(value))
		return conf_fail(err, errlen,
				 "'%.*s' is not an interface name (1 to %d "
				 "characters, no '/', ':' or blanks)%s",
				 CONF_QUOTE_MAX, value, IF_NAMESIZE - 1,
				 may_be_empty ? ", or empty for automatic"
					      : "");
	snprintf(out, IF_NAMESIZE, "%s", value);
	return 0;
}

#define CFG(obj) ((struct config *)(obj))

static int
set_clat_dev(void *obj, const char *value, char *err, size_t errlen)
{
	return set_ifname(CFG(obj)->clat_dev, value, false, err, errlen);
}

static int
set_plat_dev(void *obj, const char *value, char *err, size_t errlen)
{
	return set_ifname(CFG(obj)->plat_dev, value, true, err, errlen);
}

static int
set_clat_v4(void *obj, const char *value, char *err, size_t errlen)
{
	return conf_set_opt_in4(
		&CFG(obj)->has_clat_v4, &CFG(obj)->clat_v4, value,
		"empty for the first free one in 192.0.0.0/29", err, errlen);
}

/* clatd's "derived" mode derives from a host address; xlatd uses a
 * dedicated one instead (draft-ietf-v6ops-claton), so it means "auto"
 * here. "shared" is auto with the host's own address as the last resort. */
static int
set_clat_v6(void *obj, const char *value, char *err, size_t errlen)
{
	struct config *cfg = CFG(obj);
	bool has;

	if (strcmp(value, "shared") == 0) {
		cfg->clat_v6_mode = CLAT_V6_SHARED;
		return 0;
	}
	if (strcmp(value, "auto") == 0 || strcmp(value, "derived") == 0)
		value = "";
	if (conf_set_opt_in6(&has, &cfg->clat_v6, value,
			     "'auto', 'shared', 'derived' or empty for a "
			     "dedicated one",
			     err, errlen) < 0)
		return -1;
	cfg->clat_v6_mode = has ? CLAT_V6_STATIC : CLAT_V6_AUTO;
	return 0;
}

/* A prefix routed to the host, delegated (RFC 9663) or static, of which
 * the CLAT takes a /64 (src/daemon/delegated.h). */
static int
set_clat_v6_prefix(void *obj, const char *value, char *err, size_t errlen)
{
	struct config *cfg = CFG(obj);
	struct xlat_prefix6 p;

	if (*value == '\0') {
		cfg->has_clat_v6_prefix = false;
		return 0;
	}
	if (!parse_prefix6(value, true, &p) || p.len < DELEGATED_LEN_MIN ||
	    p.len > DELEGATED_LEN_MAX ||
	    !parse_host_bits_zero(p.addr.s6_addr, sizeof(p.addr), p.len))
		return conf_fail(err, errlen,
				 "'%.*s' is not an IPv6 prefix (IPv6/LEN with "
				 "LEN %d to %d and the host bits zero), or "
				 "empty to look for a delegated one",
				 CONF_QUOTE_MAX, value, DELEGATED_LEN_MIN,
				 DELEGATED_LEN_MAX);
	cfg->clat_v6_prefix = p;
	cfg->has_clat_v6_prefix = true;
	return 0;
}

static int
set_plat_prefix(void *obj, const char *value, char *err, size_t errlen)
{
	return conf_set_opt_prefix6(&CFG(obj)->has_plat_prefix,
				    &CFG(obj)->plat_prefix, value,
				    "empty to discover it", err, errlen);
}

static int
set_plat_fallback_prefix(void *obj, const char *value, char *err, size_t errlen)
{
	return conf_set_opt_prefix6(&CFG(obj)->has_plat_fallback_prefix,
				    &CFG(obj)->plat_fallback_prefix, value,
				    "empty for none", err, errlen);
}

/* A comma- or blank-separated list of IPv6 or IPv4 addresses. */
static int
set_dns64_servers(void *obj, const char *value, char *err, size_t errlen)
{
	char copy[CONF_VALUE_MAX], *tok, *save = NULL;
	struct in6_addr a6;
	struct in_addr a4;

	snprintf(copy, sizeof(copy), "%s", value);
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
	     tok = strtok_r(NULL, ", \t", &save))
		if (!parse_in6(tok, &a6) && !parse_in4(tok, &a4))
			return conf_fail(
				err, errlen,
				"'%.*s' is not an IPv6 or IPv4 address "
				"(list servers separated by commas, or "
				"leave empty for the system resolver)",
				CONF_QUOTE_MAX, tok);
	snprintf(CFG(obj)->dns64_servers, sizeof(CFG(obj)->dns64_servers), "%s",
		 value);
	return 0;
}

static int
set_v4_conncheck_enable(void *obj, const char *value, char *err, size_t errlen)
{
	return conf_set_bool(&CFG(obj)->v4_conncheck_enable, value, err,
			     errlen);
}

static int
set_v4_conncheck_delay(void *obj, const char *value, char *err, size_t errlen)
{
	if (set_uint(&CFG(obj)->v4_conncheck_delay, 0, 3600, value, err,
		     errlen) < 0)
		return -1;
	CFG(obj)->v4_conncheck_delay_set = true;
	return 0;
}

static int
set_v4_defaultroute_enable(void *obj, const char *value, char *err,
			   size_t errlen)
{
	return conf_set_bool(&CFG(obj)->v4_defaultroute_enable, value, err,
			     errlen);
}

static int
set_v4_defaultroute_replace(void *obj, const char *value, char *err,
			    size_t errlen)
{
	return conf_set_bool(&CFG(obj)->v4_defaultroute_replace, value, err,
			     errlen);
}

static int
set_v4_native_grace(void *obj, const char *value, char *err, size_t errlen)
{
	return set_uint(&CFG(obj)->v4_native_grace, 0, 86400, value, err,
			errlen);
}

static int
set_v4_defaultroute_metric(void *obj, const char *value, char *err,
			   size_t errlen)
{
	return set_uint(&CFG(obj)->v4_defaultroute_metric, 0, 0xffffffffUL,
			value, err, errlen);
}

static int
set_v4_defaultroute_mtu(void *obj, const char *value, char *err, size_t errlen)
{
	return set_uint_or_auto(&CFG(obj)->v4_defaultroute_mtu, 68, 65535,
				value, err, errlen);
}

static int
set_v4_defaultroute_advmss(void *obj, const char *value, char *err,
			   size_t errlen)
{
	return set_uint_or_auto(&CFG(obj)->v4_defaultroute_advmss, 1, 65535,
				value, err, errlen);
}

/* auto: the eBPF fast path translates what it covers; off:
 * every packet goes through the TUN device to the core. */
static int
set_fast_path(void *obj, const char *value, char *err, size_t errlen)
{
	if (strcmp(value, "auto") == 0)
		CFG(obj)->fast_path = true;
	else if (strcmp(value, "off") == 0)
		CFG(obj)->fast_path = false;
	else
		return conf_fail(err, errlen, "'%.*s' is not auto or off",
				 CONF_QUOTE_MAX, value);
	return 0;
}

static int
set_script(char *out, const char *value)
{
	snprintf(out, CONFIG_SCRIPT_MAX, "%s", value);
	return 0;
}

static int
set_script_up(void *obj, const char *value, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return set_script(CFG(obj)->script_up, value);
}

static int
set_script_down(void *obj, const char *value, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return set_script(CFG(obj)->script_down, value);
}

static int
set_level(int *out, const char *value, char *err, size_t errlen)
{
	unsigned v;

	if (!parse_uint(value, 0, 2, &v))
		return conf_fail(err, errlen, "'%.*s' is not 0, 1 or 2",
				 CONF_QUOTE_MAX, value);
	*out = (int)v;
	return 0;
}

static int
set_quiet(void *obj, const char *value, char *err, size_t errlen)
{
	return set_level(&CFG(obj)->quiet, value, err, errlen);
}

static int
set_debug(void *obj, const char *value, char *err, size_t errlen)
{
	return set_level(&CFG(obj)->debug, value, err, errlen);
}

static int
set_state_dir(void *obj, const char *value, char *err, size_t errlen)
{
	if (value[0] != '/')
		return conf_fail(err, errlen, "'%.*s' is not an absolute path",
				 CONF_QUOTE_MAX, value);
	snprintf(CFG(obj)->state_dir, sizeof(CFG(obj)->state_dir), "%s", value);
	return 0;
}

static int
set_control_socket(void *obj, const char *value, char *err, size_t errlen)
{
	struct config *cfg = obj;

	if (value[0] != '/' || strlen(value) >= sizeof(cfg->control_socket))
		return conf_fail(err, errlen,
				 "'%.*s' is not an absolute path shorter than "
				 "%zu characters",
				 CONF_QUOTE_MAX, value,
				 sizeof(cfg->control_socket));
	snprintf(cfg->control_socket, sizeof(cfg->control_socket), "%s", value);
	return 0;
}

/* clatd's tayga-v4-addr is the source of the ICMPv4 errors the
 * translator sends: xlatd's xlat-v4-addr. */
static int
set_tayga_v4_addr(void *obj, const char *value, char *err, size_t errlen)
{
	char why[CONF_VALUE_MAX + 64];

	if (conf_set(&CFG(obj)->xlat, "xlat-v4-addr", value, why,
		     sizeof(why)) == 0)
		return 0;
	return conf_fail(err, errlen, "%s", why + strlen("xlat-v4-addr: "));
}

static const struct conf_key daemon_keys[] = {
	{"clat-dev", set_clat_dev, "interface name (default clat)"},
	{"clat-v4-addr", set_clat_v4, "IPv4 address (default 192.0.0.1)"},
	{"clat-v6-addr", set_clat_v6, "IPv6 address or auto"},
	{"clat-v6-prefix", set_clat_v6_prefix, "IPv6 prefix /32 to /64"},
	{"plat-dev", set_plat_dev, "interface name, empty for automatic"},
	{"plat-prefix", set_plat_prefix, "RFC 6052 prefix, empty to discover"},
	{"plat-fallback-prefix", set_plat_fallback_prefix,
	 "RFC 6052 prefix used when discovery finds none"},
	{"dns64-servers", set_dns64_servers, "addresses, comma-separated"},
	{"v4-conncheck-enable", set_v4_conncheck_enable, "boolean"},
	{"v4-conncheck-delay", set_v4_conncheck_delay, "seconds"},
	{"v4-defaultroute-enable", set_v4_defaultroute_enable, "boolean"},
	{"v4-defaultroute-replace", set_v4_defaultroute_replace, "boolean"},
	{"v4-defaultroute-metric", set_v4_defaultroute_metric, "number"},
	{"v4-native-grace", set_v4_native_grace, "seconds"},
	{"v4-defaultroute-mtu", set_v4_defaultroute_mtu, "0 or 68-65535"},
	{"v4-defaultroute-advmss", set_v4_defaultroute_advmss, "0 or number"},
	{"fast-path", set_fast_path, "auto or off"},
	{"script-up", set_script_up, "shell command"},
	{"script-down", set_script_down, "shell command"},
	{"quiet", set_quiet, "0, 1 or 2"},
	{"debug", set_debug, "0, 1 or 2"},
	{"state-dir", set_state_dir, "absolute path"},
	{"control-socket", set_control_socket, "absolute path"},
	{"tayga-v4-addr", set_tayga_v4_addr, "IPv4 address"},
	{NULL, NULL, NULL},
};

/* clatd 2.x keys for things xlatd never does: TAYGA, forwarding, proxy-ND,
 * nftables marks, policy tables. Accepted, so a clatd.conf works. */
static const char *const ignored_keys[] = {
	"cmd-ip",	  "cmd-nft",	 "cmd-tayga",
	"cmd-ufw",	  "ctmark",	 "forwarding-enable",
	"proxynd-enable", "route-table", "tayga-conffile",
};

void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	conf_init(&cfg->xlat);
	snprintf(cfg->clat_dev, sizeof(cfg->clat_dev), "clat");
	cfg->clat_v6_mode = CLAT_V6_AUTO;
	cfg->v4_conncheck_enable = true;
	cfg->v4_conncheck_delay = 10;
	cfg->v4_defaultroute_enable = true;
	cfg->v4_defaultroute_metric = 2048;
	cfg->v4_native_grace = 300;
	cfg->fast_path = true;
	config_router_init(&cfg->router);
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "/var/lib/xlatd");
	snprintf(cfg->control_socket, sizeof(cfg->control_socket),
		 "/run/xlatd/xlatd.sock");
}

static bool
ignore_key(struct config *cfg, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(ignored_keys) / sizeof(ignored_keys[0]); i++) {
		if (strcmp(key, ignored_keys[i]) != 0)
			continue;
		if (cfg->ignored_count < CONFIG_IGNORED_MAX)
			cfg->ignored[cfg->ignored_count++] = ignored_keys[i];
		return true;
	}
	return false;
}

int
config_set(struct config *cfg, const char *key, const char *value,
	   const char *where, char *err, size_t errlen)
{
	const struct conf_key *k = conf_key_find(daemon_keys, key);
	char why[CONF_KEY_MAX + CONF_VALUE_MAX + 256];
	int r;

	if (k != NULL)
		r = conf_key_set(k, cfg, value, why, sizeof(why));
	else if (config_router_key(key))
		r = config_router_set(&cfg->router, key, value, where, why,
				      sizeof(why));
	else if (ignore_key(cfg, key))
		return 0;
	else if (conf_key_known(key))
		r = conf_set(&cfg->xlat, key, value, why, sizeof(why));
	else {
		snprintf(why, sizeof(why),
			 "unknown key '%.*s' (see xlatd.conf(5))",
			 CONF_QUOTE_MAX, key);
		r = -1;
	}
	if (r == 0)
		return 0;
	snprintf(err, errlen, "%s: %s", where, why);
	return -1;
}

int
config_parse_line(struct config *cfg, const char *line, unsigned lineno,
		  const char *filename, char *err, size_t errlen)
{
	struct conf_line l;
	char where[CONF_VALUE_MAX + 16];
	char why[CONF_KEY_MAX + 128];
	int r;

	snprintf(where, sizeof(where), "%s:%u", filename, lineno);
	r = conf_line_split(line, &l, why, sizeof(why));
	if (r == 0)
		return 0;
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", where, why);
		return -1;
	}
	return config_set(cfg, l.key, l.value, where, err, errlen);
}

int
config_load(struct config *cfg, const char *path, bool must_exist, char *err,
	    size_t errlen)
{
	char *line = NULL;
	size_t size = 0;
	unsigned lineno = 0;
	int ret = 0;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT && !must_exist)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (ret == 0 && getline(&line, &size, f) != -1)
		ret = config_parse_line(cfg, line, ++lineno, path, err, errlen);
	if (ret == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		ret = -1;
	}
	free(line);
	fclose(f);
	return ret;
}

int
config_finish(struct config *cfg, char *err, size_t errlen)
{
	char why[256];

	if (conf_finish(&cfg->xlat, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (cfg->v4_defaultroute_mtu != 0 && cfg->v4_defaultroute_advmss != 0 &&
	    cfg->v4_defaultroute_advmss > cfg->v4_defaultroute_mtu - 40) {
		snprintf(err, errlen,
			 "v4-defaultroute-advmss: %u does not fit in "
			 "v4-defaultroute-mtu %u less 40 bytes of headers",
			 cfg->v4_defaultroute_advmss, cfg->v4_defaultroute_mtu);
		return -1;
	}
	return config_router_finish(&cfg->router,
				    cfg->has_clat_v4 ? &cfg->clat_v4 : NULL,
				    err, errlen);
}

static void
format_prefix(char *out, size_t len, bool has, const struct xlat_prefix6 *p)
{
	char a[INET6_ADDRSTRLEN];

	if (!has) {
		out[0] = '\0';
		return;
	}
	inet_ntop(AF_INET6, &p->addr, a, sizeof(a));
	snprintf(out, len, "%s/%u", a, p->len);
}

unsigned
config_environment(const struct config *cfg, char (*buf)[320], unsigned max)
{
	char v4[INET_ADDRSTRLEN] = "", v6[INET6_ADDRSTRLEN] = "auto";
	char plat[INET6_ADDRSTRLEN + 4], fallback[INET6_ADDRSTRLEN + 4];
	char v6_prefix[INET6_ADDRSTRLEN + 4];
	unsigned n = 0;

	if (cfg->has_clat_v4)
		inet_ntop(AF_INET, &cfg->clat_v4, v4, sizeof(v4));
	if (cfg->clat_v6_mode == CLAT_V6_STATIC)
		inet_ntop(AF_INET6, &cfg->clat_v6, v6, sizeof(v6));
	else if (cfg->clat_v6_mode == CLAT_V6_SHARED)
		snprintf(v6, sizeof(v6), "shared");
	format_prefix(v6_prefix, sizeof(v6_prefix), cfg->has_clat_v6_prefix,
		      &cfg->clat_v6_prefix);
	format_prefix(plat, sizeof(plat), cfg->has_plat_prefix,
		      &cfg->plat_prefix);
	format_prefix(fallback, sizeof(fallback), cfg->has_plat_fallback_prefix,
		      &cfg->plat_fallback_prefix);
#define ENV(...)                                                         \
	do {                                                             \
		if (n < max)                                             \
			snprintf(buf[n++], sizeof(buf[0]), __VA_ARGS__); \
	} while (0)
	ENV("clat_dev=%s", cfg->clat_dev);
	ENV("clat_v4_addr=%s", v4);
	ENV("clat_v6_addr=%s", v6);
	ENV("clat_v6_prefix=%s", v6_prefix);
	ENV("plat_dev=%s", cfg->plat_dev);
	ENV("plat_prefix=%s", plat);
	ENV("plat_fallback_prefix=%s", fallback);
	ENV("dns64_servers=%s", cfg->dns64_servers);
	ENV("v4_conncheck_enable=%d", cfg->v4_conncheck_enable);
	ENV("v4_conncheck_delay=%u", cfg->v4_conncheck_delay);
	ENV("v4_defaultroute_enable=%d", cfg->v4_defaultroute_enable);
	ENV("v4_defaultroute_replace=%d", cfg->v4_defaultroute_replace);
	ENV("v4_defaultroute_metric=%u", cfg->v4_defaultroute_metric);
	ENV("v4_native_grace=%u", cfg->v4_native_grace);
	ENV("v4_defaultroute_mtu=%u", cfg->v4_defaultroute_mtu);
	ENV("v4_defaultroute_advmss=%u", cfg->v4_defaultroute_advmss);
	ENV("quiet=%d", cfg->quiet);
	ENV("debug=%d", cfg->debug);
#undef ENV
	return n;
}
