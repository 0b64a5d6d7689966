/* SPDX-License-Identifier: BSD-2-Clause */
/* TUN devices. The CLAT's is not persistent: it disappears, with its
 * addresses and routes, when the last fd closes (also on a crash).
 * xlat-siit's follows TAYGA: a device made persistent beforehand (--mktun)
 * stays, with what the administrator configured on it. */
#ifndef XLATD_TUN_H
#define XLATD_TUN_H

#include <net/if.h>
#include <stdbool.h>

/* Create (or attach to) TUN device name, IFF_TUN | IFF_NO_PI |
 * IFF_VNET_HDR (every read and write starts with a struct virtio_net_hdr)
 * with TCP and UDP segmentation and checksum offload, non-blocking
 * and close-on-exec. IPv6 is disabled on it (it carries IPv4; IPv6
 * reaches it by redirect from the uplink, or by tun_ipv6 and a route). A
 * persistent device of that name is made non-persistent, so it too goes with
 * the fd. Returns the fd or -errno (-ENAMETOOLONG, -EBUSY when another process
 * holds the device); *ifindex is set. */
int tun_open(const char *name, unsigned *ifindex);

/* IPv6 on the device name, without any address of its own, so that IPv6
 * routes may lead into it; or off again. 0 or -errno. */
int tun_ipv6(const char *name, bool on);

/* tun_open_flags: keep the device as it is (persistent or not, IPv6 on),
 * for a translator that takes IPv6 into the same device. */
#define TUN_OPEN_KEEP 0x1

int tun_open_flags(const char *name, unsigned flags, unsigned *ifindex);

/* Make device name persistent (created if missing), or not (removed
 * when no process holds it). Returns 0 or -errno. */
int tun_set_persist(const char *name, bool persist);

#endif
