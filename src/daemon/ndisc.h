/* SPDX-License-Identifier: BSD-2-Clause */
/* Neighbour discovery bits the CLAT needs on its uplink. */
#ifndef XLATD_NDISC_H
#define XLATD_NDISC_H

#include <netinet/in.h>

/* RFC 4861 §6.3.7: ask the routers for an advertisement now, so PREF64
 * (RFC 8781) arrives without waiting for the next unsolicited RA. */
int ndisc_send_rs(unsigned ifindex);

/* Answer Neighbor Solicitations for the CLAT address without making it a
 * host address: join it as an anycast address on the uplink (the kernel
 * then sends the NA). Returns an fd that holds the membership; closing
 * it leaves. */
int ndisc_anycast_join(unsigned ifindex, const struct in6_addr *addr);

#endif
