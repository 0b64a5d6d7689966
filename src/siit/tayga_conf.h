/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TAYGA's configuration file, tayga.conf, read with TAYGA's meanings for
 * xlat-siit (xlat-siit(8) documents every directive).
 *
 * A line is a directive and its arguments, separated by blanks; '#' at
 * the start of a word begins a comment. Directive names are matched
 * without regard to case. Every directive but map appears at most once.
 * A map-file holds map lines only, and is read again on SIGHUP.
 *
 * The reader is pure: it reads only the strings it is given and writes
 * only the struct it is given, so a fuzzer can drive it directly. An
 * error goes into a caller buffer as "FILE:LINE: DIRECTIVE: why", naming
 * the values the directive takes.
 */
#ifndef XLATD_SIIT_TAYGA_CONF_H
#define XLATD_SIIT_TAYGA_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xlatd/xlat.h"

#define TAYGA_CONF_DEFAULT_PATH "/etc/tayga.conf"
/* TAYGA reads lines of at most 511 characters. */
#define TAYGA_LINE_MAX 512
#define TAYGA_PATH_MAX 256
/* Static map entries, tayga.conf and map-file together. */
#define TAYGA_MAPS_MAX 4096
/* The directives, for the table of the first line of each. */
#define TAYGA_KEYS_MAX 16

enum tayga_udp_cksum {
	TAYGA_UDP_CKSUM_CALC, /* RFC 7915 §4.5: compute it (the default) */
	TAYGA_UDP_CKSUM_DROP, /* drop, with an ICMPv4 error */
	TAYGA_UDP_CKSUM_FWD,  /* TAYGA forwards it; computed here too */
};

/* log: what is worth a (rate-limited) log line. */
#define TAYGA_LOG_DROP 0x01   /* packets dropped */
#define TAYGA_LOG_REJECT 0x02 /* packets refused with an ICMP error */
#define TAYGA_LOG_ICMP 0x04   /* every ICMP error sent */
#define TAYGA_LOG_SELF 0x08   /* packets for the translator itself */
#define TAYGA_LOG_DYN 0x10    /* dynamic pool assignments */

/* One map directive: an IPv4 prefix and an IPv6 prefix (RFC 7757 §3.2);
 * both /32 and /128 for a single host. */
struct tayga_map {
	struct xlat_prefix4 p4;
	struct xlat_prefix6 p6;
	unsigned line;
	bool from_map_file;
};

struct tayga_conf {
	unsigned first_line[TAYGA_KEYS_MAX]; /* 0: the directive is unset */
	char tun_device[IF_NAMESIZE];
	bool has_ipv6_addr, has_prefix, has_pool;
	struct in_addr ipv4_addr;
	struct in6_addr ipv6_addr;
	struct xlat_prefix6 prefix;
	bool wkpf_strict;
	struct xlat_prefix4 pool;
	char data_dir[TAYGA_PATH_MAX];
	char map_file[TAYGA_PATH_MAX]; /* absolute once finished */
	enum tayga_udp_cksum udp_cksum;
	uint16_t offlink_mtu;
	unsigned log;
	unsigned workers;
	unsigned n_maps;      /* maps[0 .. n_conf_maps) are tayga.conf's, */
	unsigned n_conf_maps; /* the rest the map-file's */
	struct tayga_map maps[TAYGA_MAPS_MAX];
};

void tayga_conf_init(struct tayga_conf *c);

/* One line of tayga.conf (line number lineno of file). Returns 0, or -1
 * with err set. */
int tayga_conf_line(struct tayga_conf *c, const char *line, unsigned lineno,
		    const char *file, char *err, size_t errlen);

/* Without data-dir, the first directory of dirs, a list such as
 * systemd's STATE_DIRECTORY ("/var/lib/a:/var/lib/b"), as TAYGA takes it.
 * Before tayga_conf_finish. Returns 0, or -1 with err set. */
int tayga_conf_state_directory(struct tayga_conf *c, const char *dirs,
			       char *err, size_t errlen);

/* The checks that involve more than one directive, and the defaults that
 * follow from others (ipv6-addr from ipv4-addr and prefix). Once, after
 * the last line of tayga.conf. */
int tayga_conf_finish(struct tayga_conf *c, const char *file, char *err,
		      size_t errlen);

/* Drop the map-file's entries, to read it again. */
void tayga_conf_maps_reset(struct tayga_conf *c);

/* One line of the map-file: a map directive, a comment or a blank. */
int tayga_conf_map_line(struct tayga_conf *c, const char *line, unsigned lineno,
			const char *file, char *err, size_t errlen);

/* The map-file's entries against each other and tayga.conf. Once, after
 * its last line. */
int tayga_conf_maps_finish(struct tayga_conf *c, const char *file, char *err,
			   size_t errlen);

/* Whether a map is a single host (IPv4 /32 and IPv6 /128). */
bool tayga_map_is_host(const struct tayga_map *m);
/* Whether an address lies under a map's IPv4 or IPv6 side. */
bool tayga_map_holds4(const struct tayga_map *m, const uint8_t v4[4]);
bool tayga_map_holds6(const struct tayga_map *m, const uint8_t v6[16]);

/* The translator configuration: the prefix, the prefix maps as RFC 7757
 * entries, the addresses of errors sent and the options; host maps and
 * the pool are the caller's (src/siit/hosts.h). No MTU limits either
 * side: what the translator writes into the TUN device, the kernel
 * forwards, fragments (IPv4 without DF) or answers with Packet Too Big
 * and Fragmentation Needed, as for any packet it routes. Only RFC 7915
 * §4's fragmentation of IPv4 without DF to offlink-mtu stays. Returns
 * false, with err set, if the prefix maps do not fit the core's table. */
bool tayga_conf_xlat(const struct tayga_conf *c, struct xlat_cfg *x, char *err,
		     size_t errlen);

#endif
