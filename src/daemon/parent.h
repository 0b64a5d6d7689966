/* SPDX-License-Identifier: BSD-2-Clause */
/* The privileged parent (msg.h): it forks the engine, then carries out
 * the engine's requests, reloads the configuration on SIGHUP, talks to
 * systemd, and takes everything down when the engine ends. */
#ifndef XLATD_PARENT_H
#define XLATD_PARENT_H

#include "common/rtnl.h"
#include "config.h"

struct parent_env {
	struct config *cfg; /* the running configuration, replaced on reload */
	/* Read the configuration again into fresh; 0, or -1 (logged). */
	int (*load)(struct config *fresh, void *arg);
	void *arg;
	struct rtnl *rtnl; /* requests only */
};

/* Fork the engine. In the engine, returns 0 with its ends of the request
 * and event socketpairs in *req and *evt. In the parent, runs until the
 * engine has ended, takes down what is left, waits for the scripts and
 * exits with the engine's status: it never returns. Returns -errno when
 * the fork cannot be made. */
int parent_fork(const struct parent_env *env, int *req, int *evt);

#endif
