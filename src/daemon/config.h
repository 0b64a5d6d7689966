/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xlatd's configuration: clatd 2.x keys where they mean something here,
 * the translator's keys (src/conf) and xlatd's own. Files hold key=value
 * lines; key=value arguments on the command line override them.
 */
#ifndef XLATD_CONFIG_H
#define XLATD_CONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "config_router.h"

#define CONFIG_DEFAULT_PATH "/etc/xlatd.conf"
#define CONFIG_SCRIPT_MAX 256
#define CONFIG_IGNORED_MAX 16

enum clat_v6_mode {
	CLAT_V6_AUTO, /* dedicated address, draft-ietf-v6ops-claton */
	CLAT_V6_STATIC,
	/* auto, and the host's own address as the last resort (clatd's
	 * shared mode) */
	CLAT_V6_SHARED,
};

struct config {
	struct conf xlat; /* translator keys (eam, xlat-v4-addr, mtu ...) */

	char clat_dev[IF_NAMESIZE];
	bool has_clat_v4;
	struct in_addr clat_v4;
	enum clat_v6_mode clat_v6_mode;
	struct in6_addr clat_v6;
	bool has_clat_v6_prefix; /* a prefix routed to the host (RFC 9663) */
	struct xlat_prefix6 clat_v6_prefix;

	char plat_dev[IF_NAMESIZE]; /* empty: every eligible uplink */
	bool has_plat_prefix, has_plat_fallback_prefix;
	struct xlat_prefix6 plat_prefix;	  /* static: no discovery */
	struct xlat_prefix6 plat_fallback_prefix; /* when discovery fails */
	char dns64_servers[CONF_VALUE_MAX];

	bool v4_conncheck_enable;
	unsigned v4_conncheck_delay; /* seconds */
	/* v4-conncheck-delay was given: clatd's timer, not the DHCPv4
	 * evidence (v4evidence.h), decides when to start. */
	bool v4_conncheck_delay_set;
	/* seconds the data path stays for flows from the CLAT address after
	 * native IPv4 appeared; 0: none */
	unsigned v4_native_grace;
	bool v4_defaultroute_enable;
	bool v4_defaultroute_replace;
	unsigned v4_defaultroute_metric;
	unsigned v4_defaultroute_mtu;	 /* 0: uplink MTU - 28 */
	unsigned v4_defaultroute_advmss; /* 0: route MTU - 40 */

	bool fast_path; /* fast-path=auto: the eBPF programs translate too */

	char script_up[CONFIG_SCRIPT_MAX];
	char script_down[CONFIG_SCRIPT_MAX];
	int quiet, debug;

	struct config_router router; /* router-* keys */

	char state_dir[CONF_VALUE_MAX];
	char control_socket[108]; /* sizeof(sun_path), unix(7) */

	/* clatd keys that xlatd accepts but that mean nothing here, for a
	 * notice at start. */
	unsigned ignored_count;
	const char *ignored[CONFIG_IGNORED_MAX];
};

void config_init(struct config *cfg);

/* As clatd: a configuration that fixes the CLAT (plat-dev or
 * clat-v6-addr set) runs one instance, on clat-dev itself; otherwise
 * each uplink gets one, on clat-dev-<uplink>. */
bool config_one_clat(const struct config *cfg);

/* Whether value may name an interface: 1 to IF_NAMESIZE - 1 characters,
 * no '/', ':' or blanks. */
bool config_is_ifname(const char *value);

/* One key=value pair; where names the place ("xlatd.conf:7", "command
 * line") for the error, which names the key and the allowed values. */
int config_set(struct config *cfg, const char *key, const char *value,
	       const char *where, char *err, size_t errlen);
int config_parse_line(struct config *cfg, const char *line, unsigned lineno,
		      const char *filename, char *err, size_t errlen);

/* Read a file; a missing file is an error only when must_exist. */
int config_load(struct config *cfg, const char *path, bool must_exist,
		char *err, size_t errlen);

/* Cross-key checks, after the last key. */
int config_finish(struct config *cfg, char *err, size_t errlen);

/* clatd's script environment: every setting as NAME=value, hyphens as
 * underscores (clatd.pod, script-up). Writes at most max entries of at
 * most len bytes each into buf; returns the count. */
unsigned config_environment(const struct config *cfg, char (*buf)[320],
			    unsigned max);

#endif
