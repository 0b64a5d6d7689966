/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Router mode's nftables table (docs/router.md): `table ip xlatd`, which
 * xlatd owns and nothing else touches.
 *
 * - postrouting (nat, priority srcnat): packets from the served LAN
 *   prefixes or interfaces that leave through the CLAT device are SNATed
 *   to the CLAT's IPv4 address (RFC 6877 §6.3: the CLAT's one address is
 *   what the PLAT sees); the replies come back through conntrack.
 * - forward (filter, priority mangle): the MSS option of forwarded TCP
 *   SYNs into the CLAT device is clamped to the route's MTU less 40, and
 *   that of SYNs out of it to clamp_mss, so LAN hosts never need PMTU
 *   discovery for the 28 bytes the translation adds. With check_src, a
 *   packet forwarded into the CLAT device from a source and interface
 *   not among src is counted (the named counter NAT44_SPOOF_COUNTER)
 *   and dropped: a LAN host cannot send as another LAN's.
 *
 * The table carries the owner flag: it belongs to this process's netlink
 * socket, which nobody else may change, and the kernel deletes it when
 * the socket closes, so a crashed xlatd leaves nothing behind. It is
 * created and replaced in one transaction and never touches another table
 * or any iptables chain; other tables' verdicts still apply (a FORWARD
 * policy of drop, as Docker sets it, drops LAN packets whatever this
 * table says: docs/router.md).
 */
#ifndef XLATD_NAT44_H
#define XLATD_NAT44_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "xlatd/xlat.h"

#define NAT44_TABLE "xlatd"
#define NAT44_SPOOF_COUNTER "lan-spoofed"
#define NAT44_LAN_MAX 16
#define NAT44_SRC_MAX 32

/* A source that may be forwarded into the CLAT device: from prefix,
 * arriving on ifname ("": any interface). */
struct nat44_src {
	char ifname[IF_NAMESIZE];
	struct xlat_prefix4 prefix;
};

struct nat44_cfg {
	char clat_dev[IF_NAMESIZE]; /* the CLAT's TUN device */
	struct in_addr clat_v4;	    /* what LAN sources become */
	bool snat;		    /* false: MSS clamping only (stateless) */
	unsigned prefix_count;
	struct xlat_prefix4 prefix[NAT44_LAN_MAX]; /* LAN sources to SNAT */
	unsigned ifname_count;
	char ifname[NAT44_LAN_MAX][IF_NAMESIZE]; /* LAN interfaces to SNAT */
	uint16_t clamp_mss; /* SYNs out of the CLAT device; 0: left alone */
	bool check_src;	    /* drop what is forwarded from other sources */
	unsigned src_count;
	struct nat44_src src[NAT44_SRC_MAX];
};

struct nat44;

/* A netfilter netlink socket for the table; nothing is created yet.
 * Returns NULL with errno set. */
struct nat44 *nat44_open(void);

/* Create the table as cfg says, or replace it whole, in one transaction.
 * Returns 0, -EEXIST when a table of that name exists that this socket
 * did not create (another xlatd, or an admin's), or another -errno. */
int nat44_apply(struct nat44 *n, const struct nat44_cfg *cfg);

/* The packets the source check dropped since the table was made.
 * Returns 0 or -errno (-ENOENT: no table of this socket's). */
int nat44_spoofed(struct nat44 *n, uint64_t *packets);

/* Delete the table, if this socket created it. Returns 0 or -errno. */
int nat44_remove(struct nat44 *n);

/* Close the socket; the kernel deletes the table with it. NULL is fine. */
void nat44_close(struct nat44 *n);

#endif
