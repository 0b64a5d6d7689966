/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Packets read from a TUN device with offloads on (IFF_VNET_HDR, gso.h)
 * through the translation core, for the CLAT's slow path (dp_tun.c) and
 * xlat-siit's (src/siit/siit_dp.c). Only where the packets go differs.
 *
 * ICMP fragments are reassembled first (xlat_reasm.h). A TCP or UDP
 * super-packet is translated once, its partial checksum kept partial,
 * when every one of its segments would be translated alike; otherwise it
 * is cut into the segments the kernel would have made and each goes
 * through the core on its own. So a packet is translated the same
 * whether or not it came as part of a super-packet.
 */
#ifndef XLATD_TUNXLAT_H
#define XLATD_TUNXLAT_H

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "gso.h"
#include "xlatd/xlat.h"

struct tunxlat;

struct tunxlat_ops {
	/* Called with each packet before the core, if not NULL. Returns
	 * true to have it translated, false when it was dealt with here:
	 * what ctx->out then holds is sent (out_count 0: nothing). */
	bool (*admit)(void *arg, struct xlat_ctx *ctx, struct xlat_buf *b);
	/* One packet out. vh is NULL for a plain packet (its checksums
	 * complete); else the packet has a partial checksum, vh is its
	 * translated virtio header and gi its layout. made: an ICMP error
	 * the translator made itself (not one it translated). */
	void (*emit)(void *arg, const struct xlat_out *o,
		     const struct virtio_net_hdr *vh, const struct gso_info *gi,
		     bool made);
	/* After each run of the core, before emit, if not NULL: ctx->drop
	 * says whether and why the packet was dropped. */
	void (*done)(void *arg, const struct xlat_ctx *ctx);
};

/* seed: for the IPv4 Identification generator; label: what its log lines
 * start with (the instance's name: the uplink's, or xlat-siit's device).
 * NULL on ENOMEM. */
struct tunxlat *tunxlat_new(const struct tunxlat_ops *ops, void *arg,
			    uint32_t seed, const char *label);
void tunxlat_free(struct tunxlat *t);

/* A new translator configuration, for the next packet. */
void tunxlat_set_cfg(struct tunxlat *t, const struct xlat_cfg *cfg);
const struct xlat_stats *tunxlat_stats(const struct tunxlat *t);

/* Read at most batch packets from the non-blocking fd and handle them.
 * Returns the number read, or -errno of a read error other than EAGAIN
 * and EINTR. */
int tunxlat_read(struct tunxlat *t, int fd, unsigned batch);

/* Read fd whenever it has packets, TUNXLAT_BATCH at a time before
 * yielding to the loop, until tunxlat_free. Returns 0 or -errno. */
#define TUNXLAT_BATCH 64
int tunxlat_watch(struct tunxlat *t, sd_event *event, int fd);

#endif
