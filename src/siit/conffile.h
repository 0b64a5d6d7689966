/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading tayga.conf and the map-file from disk, line by line, into the
 * reader of tayga_conf.h. */
#ifndef XLATD_SIIT_CONFFILE_H
#define XLATD_SIIT_CONFFILE_H

#include <stddef.h>

#include "tayga_conf.h"

/* tayga.conf at path, then tayga_conf_finish; without data-dir, the
 * first of state_dirs (systemd's STATE_DIRECTORY; NULL: none). Returns 0
 * or -1 with err naming the file, line, directive and allowed values. */
int conffile_read(const char *path, const char *state_dirs,
		  struct tayga_conf *c, char *err, size_t errlen);

/* The map-file (c->map_file) again: its old entries dropped, the new ones
 * read and checked. Returns 0 or -1 with err set. */
int conffile_read_maps(struct tayga_conf *c, char *err, size_t errlen);

#endif
