/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading a translator configuration file. */
#ifndef XLATD_CONFFILE_H
#define XLATD_CONFFILE_H

#include <stddef.h>

#include "conf/conf.h"

int conffile_load(struct conf *conf, const char *path, char *err,
		  size_t errlen);

#endif
