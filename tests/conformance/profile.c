/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Translator profiles of the vector sets, written as xlatd config lines.
 * The Jool profiles come from jool/MANIFEST.md ("Topology and base
 * configuration", "Other profiles"); "android" from android/MANIFEST.md.
 */
#include <string.h>

#include <xlatd/xlat.h>

#include "conf/conf.h"
#include "conformance.h"

#define PROFILE_SET_MAX 16

/*
 * A profile is its base's lines followed by its own, applied in order as
 * a config file would be: a later line overrides an earlier one with the
 * same key, except "eam", which adds an entry. "key=" unsets an address.
 */
struct profile {
	const char *name;
	const char *base;
	const char *set[PROFILE_SET_MAX];
};

/* clang-format off */
static const struct profile profiles[] = {
	{ "P0", NULL, {
		"plat-prefix=2001:db8:100::/40",
		"eam=2001:db8:3::/120,1.0.0.0/24",
		"eam=2001:db8:2::/120,10.0.0.0/24",
		"rfc6791-v4=203.0.113.8",
		"rfc6791-v6=",
		"lowest-ipv6-mtu=1280",
		"amend-udp-checksum-zero=off",
		"decrement-ttl=on",
		"xlat-v6-addr=2001:db8:1c0:2:1::",
		"xlat-v4-addr=198.51.100.1",
		"mtu-v4=1500",
		"mtu-v6=1500",
	} },
	{ "Pc-v6mtu1280", "P0", {
		"lowest-ipv6-mtu=1500",
		"mtu-v6=1280",
	} },
	{ "Pc-v4mtu1400", "P0", {
		"lowest-ipv6-mtu=1500",
		"mtu-v4=1400",
	} },
	{ "Plim1500", "P0", { "lowest-ipv6-mtu=1500" } },
	{ "Plim1402", "P0", { "lowest-ipv6-mtu=1402" } },
	{ "Pv4mtu2153", "P0", { "mtu-v4=2153" } },
	{ "Pamend", "P0", { "amend-udp-checksum-zero=on" } },
	{ "P6791v4-empty", "P0", { "rfc6791-v4=" } },
	{ "P6791v46-empty", "P0", {
		"plat-prefix=",
		"eam=2001:db8:1c6:3364::/72,198.51.100.0/24",
		"eam=2001:db8:1c0:2::/72,192.0.2.0/24",
		"rfc6791-v6=",
	} },
	{ "P6791v46", "P6791v46-empty", { "rfc6791-v6=2::2" } },
	{ "android", NULL, {
		"clat-v4-addr=192.0.0.4",
		"clat-v6-addr=2001:db8:0:b11::464",
		"plat-prefix=64:ff9b::/96",
		"decrement-ttl=off",
		"reset-traffic-class=on",
		"lowest-ipv6-mtu=1280",
		"amend-udp-checksum-zero=on",
	} },
};
/* clang-format on */

static const struct profile *
profile_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

static int
profile_line(struct conf *conf, const char *name, const char *line, char *err,
	     size_t errlen)
{
	char key[CONF_KEY_MAX], msg[512] = "";
	size_t klen = strcspn(line, "=");

	if (line[klen] != '=' || klen >= sizeof(key)) {
		snprintf(err, errlen, "profile %s: bad line %s", name, line);
		return -1;
	}
	memcpy(key, line, klen);
	key[klen] = '\0';
	if (conf_set(conf, key, line + klen + 1, msg, sizeof(msg)) == -1) {
		snprintf(err, errlen, "profile %s: %s", name, msg);
		return -1;
	}
	return 0;
}

static int
profile_apply(struct conf *conf, const char *name, char *err, size_t errlen)
{
	const struct profile *p;
	size_t i;

	if ((p = profile_find(name)) == NULL) {
		snprintf(err, errlen, "unknown profile %s", name);
		return -1;
	}
	if (p->base != NULL && profile_apply(conf, p->base, err, errlen) == -1)
		return -1;
	for (i = 0; i < PROFILE_SET_MAX && p->set[i] != NULL; i++)
		if (profile_line(conf, name, p->set[i], err, errlen) == -1)
			return -1;
	return 0;
}

/* Builds the translator configuration of a profile through the config
 * parser, the way xlatd would read it from a file. */
int
profile_build(const char *name, struct xlat_cfg *cfg, char *err, size_t errlen)
{
	struct conf conf;
	char msg[512] = "";

	conf_init(&conf);
	if (profile_apply(&conf, name, err, errlen) == -1)
		return -1;
	if (conf_finish(&conf, msg, sizeof(msg)) == -1) {
		snprintf(err, errlen, "profile %s: %s", name, msg);
		return -1;
	}
	*cfg = conf.xlat;
	return 0;
}
