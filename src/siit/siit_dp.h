/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xlat-siit's slow path, as TAYGA works: the kernel routes the prefix
 * and the IPv4 pool and maps into one TUN device; each packet read from
 * it goes through the gate (gate.h) and the core (tunxlat.h), and what
 * comes out is written back into the same device, for the kernel to
 * route on (and masquerade, for a NAT64). ICMP errors the translator
 * makes are rate-limited; tayga.conf's log directive picks the log lines
 * (rate-limited too), which name the drop reason.
 */
#ifndef XLATD_SIIT_DP_H
#define XLATD_SIIT_DP_H

#include <stdint.h>
#include <systemd/sd-event.h>

#include "gate.h"
#include "xlatd/xlat.h"

/* ICMP errors the translator makes: at most this many a second
 * (xlat_cfg.icmp_error_rate), this many at once too. */
#define SIIT_DP_ICMP_RATE 1000
/* Log lines about packets: the same. */
#define SIIT_DP_LOG_RATE 10

struct siit_dp_counters {
	uint64_t echo_replies;	 /* echo requests to our own addresses */
	uint64_t self_dropped;	 /* anything else to them */
	uint64_t link_dropped;	 /* IPv6 multicast or link-local */
	uint64_t log_suppressed; /* log lines not written: over the rate */
	uint64_t write_errors;	 /* the TUN device did not take a packet */
};

struct siit_dp;

/* changed: called for a mapping the pool made (POOL_ASSIGNED or
 * POOL_RECLAIMED). Takes over tun_fd, the device dev. NULL on failure
 * (logged). */
struct siit_dp *
siit_dp_new(sd_event *event, int tun_fd, const char *dev, struct gate *gate,
	    void (*changed)(void *arg, const struct gate_change *ch),
	    void *arg);
void siit_dp_free(struct siit_dp *dp);

/* The translator configuration and tayga.conf's log flags (TAYGA_LOG_*),
 * for the next packet. */
void siit_dp_set_cfg(struct siit_dp *dp, const struct xlat_cfg *cfg,
		     unsigned log);

const struct xlat_stats *siit_dp_stats(const struct siit_dp *dp);
const struct siit_dp_counters *siit_dp_counters(const struct siit_dp *dp);

#endif
