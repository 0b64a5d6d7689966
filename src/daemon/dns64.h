/* SPDX-License-Identifier: BSD-2-Clause */
/* RFC 7050: learning the NAT64 prefix from DNS64 (ipv4only.arpa), with
 * c-ares driven by the daemon's sd-event loop. */
#ifndef XLATD_DNS64_H
#define XLATD_DNS64_H

#include <stdbool.h>
#include <systemd/sd-event.h>

#include "xlatd/xlat.h"

struct dns64;

/* Called once per lookup. found is false when no usable prefix came back
 * (NXDOMAIN, no AAAA, no server, timeout, or no well-known address
 * embedded). */
typedef void (*dns64_done_cb)(bool found, const struct xlat_prefix6 *prefix,
			      void *arg);

/* servers: clatd's dns64-servers, a comma- or space-separated list of
 * IPv6/IPv4 addresses; NULL or "" for the system resolver. */
struct dns64 *dns64_new(sd_event *event, const char *servers,
			dns64_done_cb cb, void *arg);
void dns64_free(struct dns64 *d);

/* Start a lookup of AAAA ipv4only.arpa; a running one is restarted.
 * Returns 0 or -errno. */
int dns64_start(struct dns64 *d);

/* Pure, RFC 7050 §3: the RFC 6052 prefix of a synthesized address that
 * embeds 192.0.0.170 or 192.0.0.171 at one of the lengths 32..96. */
bool dns64_prefix_from_aaaa(const uint8_t addr[16], struct xlat_prefix6 *out);

#endif
