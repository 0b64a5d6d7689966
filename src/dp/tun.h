/* SPDX-License-Identifier: BSD-2-Clause */
/* The CLAT's TUN device. Not persistent: it disappears, with its
 * addresses and routes, when the last fd closes (also on a crash). */
#ifndef XLATD_TUN_H
#define XLATD_TUN_H

#include <net/if.h>

/* Create (or attach to) TUN device name, IFF_TUN | IFF_NO_PI |
 * IFF_VNET_HDR (every read and write starts with a struct virtio_net_hdr)
 * with TCP and UDP segmentation and checksum offload, non-blocking
 * and close-on-exec. IPv6 is disabled on it (it carries IPv4 only; IPv6
 * reaches it only by redirect from the uplink). A persistent device of
 * that name is made non-persistent, so it too goes with the fd. Returns
 * the fd or -errno (-ENAMETOOLONG, -EBUSY when another process holds the
 * device); *ifindex is set. */
int tun_open(const char *name, unsigned *ifindex);

#endif
