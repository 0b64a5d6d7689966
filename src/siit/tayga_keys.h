/* SPDX-License-Identifier: BSD-2-Clause */
/* The directives of tayga.conf (tayga_keys.c), for tayga_conf.c. */
#ifndef XLATD_SIIT_TAYGA_KEYS_H
#define XLATD_SIIT_TAYGA_KEYS_H

#include "conf/conf.h"
#include "tayga_conf.h"

/* TAYGA's own limit on worker threads. */
#define TAYGA_WORKERS_MAX 64

/* Indexes into tayga_keys[] (and tayga_conf.first_line[]). */
enum tayga_key {
	TAYGA_KEY_TUN_DEVICE,
	TAYGA_KEY_IPV4_ADDR,
	TAYGA_KEY_IPV6_ADDR,
	TAYGA_KEY_PREFIX,
	TAYGA_KEY_WKPF_STRICT,
	TAYGA_KEY_DYNAMIC_POOL,
	TAYGA_KEY_DATA_DIR,
	TAYGA_KEY_MAP,
	TAYGA_KEY_MAP_FILE,
	TAYGA_KEY_STRICT_FRAG_HDR,
	TAYGA_KEY_UDP_CKSUM_MODE,
	TAYGA_KEY_OFFLINK_MTU,
	TAYGA_KEY_LOG,
	TAYGA_KEY_WORKERS,
	TAYGA_KEY_COUNT
};
_Static_assert(TAYGA_KEY_COUNT <= TAYGA_KEYS_MAX, "tayga_conf.first_line");

/* Setters take a struct tayga_conf; the table ends with a NULL name. */
extern const struct conf_key tayga_keys[];

#endif
