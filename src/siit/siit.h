/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The running translator of xlat-siit: the TUN device (tayga.conf
 * tun-device), the host table, the dynamic pool and its saved state, the
 * slow path, the fast path, the control socket for xlatctl, and the
 * timer that ages the pool. xlat-siit.c does the process around it.
 */
#ifndef XLATD_SIIT_H
#define XLATD_SIIT_H

#include <stdbool.h>
#include <systemd/sd-event.h>

#include "tayga_conf.h"

/* Where xlatctl finds a translator: one socket per TUN device. */
#define SIIT_SOCKET_DIR "/run/xlat-siit"

struct siit_opts {
	const char *conf_path;	 /* for messages */
	const char *socket_path; /* NULL: SIIT_SOCKET_DIR/tun-device.sock */
	bool fast_path;		 /* try the eBPF fast path */
};

struct siit;

/* Takes over conf (allocated by the caller, freed by siit_free). Opens
 * everything; NULL, with the reason logged, on failure. */
struct siit *siit_new(sd_event *event, struct tayga_conf *conf,
		      const struct siit_opts *opts);

/* Read the map-file again (SIGHUP, xlatctl reload), telling systemd
 * (RELOADING=1, READY=1). A bad one leaves the maps in use. Returns 0 or
 * -1 (logged). */
int siit_reload(struct siit *s);

/* Save the dynamic pool and close everything. NULL is fine. */
void siit_free(struct siit *s);

#endif
