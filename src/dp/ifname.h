/* SPDX-License-Identifier: BSD-2-Clause */
/* A device as log lines name it: by its name, as every line about an
 * instance starts with its uplink's ("eth0: ..."), or by its index once
 * the device is gone. */
#ifndef XLATD_IFNAME_H
#define XLATD_IFNAME_H

#include <net/if.h>

/* "ifindex 4294967295" fits as well as any name */
#define IFNAME_LABEL_LEN (IF_NAMESIZE + 16)

/* buf: ifindex's name, or "ifindex N" if there is no such device. */
const char *ifname_label(unsigned ifindex, char buf[IFNAME_LABEL_LEN]);

#endif
