/* SPDX-License-Identifier: BSD-2-Clause */
/* What the engine asks of the privileged parent (msg.h): each call sends
 * one request and waits for its answer, which the parent gives at once.
 * Without a parent (priv_init not called: the unit tests), sockets are
 * opened directly and the rest fails with -ENOTCONN. */
#ifndef XLATD_PRIV_H
#define XLATD_PRIV_H

#include <stdint.h>

#include "config.h"
#include "msg.h"

/* The engine's end of the request socketpair. */
void priv_init(int req);

/* A socket of a kind the engine may have (enum msg_socket_kind),
 * close-on-exec; the ICMPv6 one non-blocking. Returns the fd or
 * -errno. */
int priv_socket(enum msg_socket_kind kind);

/* Set a data path up: fds gets the TUN device's fd, the uplink's raw
 * socket and, when r->has_pkt, its packet socket. 0 or -errno. */
int priv_dp_create(const struct msg_dp *d, struct msg_reply *r,
		   int fds[MSG_FDS_MAX]);
int priv_dp_update(const struct msg_dp *d, struct msg_reply *r);
int priv_dp_destroy(uint32_t id);
/* The eBPF programs' counters (xlatd/xlat_maps.h), and the LAN packets
 * router mode dropped for their source. 0 or -errno. */
int priv_dp_counters(uint32_t id, uint64_t c[XLAT_MAPS_CNT_MAX],
		     uint64_t *lan_spoofed);

/* sd_notify(3), through the parent, the main process: "READY=1",
 * "STATUS=...". A control character ends the line there. */
void priv_notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The parent logs at this level too (log_setverbose). */
void priv_log_level(int verbose);

/* Read the configuration again, in the parent: 0 with it in *out, or
 * -1 with why. */
int priv_reload(struct config *out, char *why, size_t whylen);

#endif
