/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 7050: learning the NAT64 prefix from DNS64 (ipv4only.arpa), with
 * c-ares driven by the daemon's sd-event loop. */
#ifndef XLATD_DNS64_H
#define XLATD_DNS64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "xlatd/xlat.h"

struct dns64;

/* A lookup's whole budget, c-ares's own retries included. */
#define DNS64_TIMEOUT_USEC (5 * 1000000ULL)

/* Called once per lookup, from the event loop (never from inside
 * dns64_start()), at most DNS64_TIMEOUT_USEC after it started. found is
 * false, and prefix NULL, when no usable prefix came back (NXDOMAIN, no
 * AAAA, no server, server failure, timeout, or no well-known address
 * embedded). The callback may call dns64_start() or dns64_free(). */
typedef void (*dns64_done_cb)(bool found, const struct xlat_prefix6 *prefix,
			      void *arg);

/* label names the lookups in the log (the uplink's name). servers:
 * clatd's dns64-servers, a comma- or space-separated list of
 * IPv6/IPv4 addresses (c-ares's "[addr]:port" and "addr:port" forms are
 * accepted too); NULL or "" for the system resolver (resolv.conf).
 * Returns NULL with errno set on failure. */
struct dns64 *dns64_new(sd_event *event, const char *label, const char *servers,
			dns64_done_cb cb, void *arg);
void dns64_free(struct dns64 *d);

/* Start a lookup of AAAA ipv4only.arpa; a running one is restarted, and
 * its callback (if not yet made) is dropped. Returns 0 or -errno. */
int dns64_start(struct dns64 *d);

/* Pure, RFC 7050 §3: the RFC 6052 prefix of a synthesized address that
 * embeds 192.0.0.170 or 192.0.0.171 at one of the lengths 32..96 (with
 * the u-octet zero). When the well-known address shows at several
 * lengths, the longest wins: with the RFC 6052 suffix zero, a false
 * match can only come from prefix bits, at a shorter length. */
bool dns64_prefix_from_aaaa(const uint8_t addr[16], struct xlat_prefix6 *out);

/* Pure, RFC 7050 §3: the prefix behind all the AAAA records of one
 * answer: the longest length at which every record that embeds a
 * well-known address embeds it, under the same prefix; if there is none
 * (the DNS64 uses several prefixes), the first record's. */
bool dns64_prefix_from_addrs(const struct in6_addr *addrs, unsigned n,
			     struct xlat_prefix6 *out);

/* A DNS64's answer to AAAA ipv4only.arpa, as it came off the wire: 1
 * with the prefix of its AAAA records (dns64_prefix_from_addrs), 0 when
 * none embeds a well-known address, or minus the c-ares status (ARES_*)
 * when it holds no AAAA records or is malformed. */
int dns64_prefix_from_reply(const uint8_t *abuf, size_t alen,
			    struct xlat_prefix6 *out);

#endif
