/* SPDX-License-Identifier: BSD-2-Clause */
/* The privileged parent: the engine's requests, checked, then carried
 * out; SIGHUP; the engine's end. It parses no input from the network. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "common/log.h"
#include "datapath.h"
#include "msg.h"
#include "parent.h"
#include "router.h"
#include "script.h"

/* Data paths at once: one an instance, and one being made anew. */
#define PARENT_DP_MAX 16
/* The engine has this long to stop after SIGTERM, then it is killed. */
#define PARENT_STOP_USEC (20 * 1000000ULL)

struct parent_dp {
	bool used;
	uint32_t id;
	char clat_dev[IF_NAMESIZE];
	struct datapath *dp;
	/* What router mode needs to send the LANs through this data path. */
	struct router_clat router_clat;
	bool router_forwarding;
};

struct parent {
	struct parent_env env;
	sd_event *event;
	int req, evt;
	pid_t child;
	int pidfd;
	sd_event_source *req_src, *child_src, *kill_timer;
	sd_event_source *sig[3];
	char control_socket[sizeof(((struct config *)0)->control_socket)];
	struct parent_dp dps[PARENT_DP_MAX];
	struct router *router;
	bool router_has_dp; /* the LANs go through data path router_dp */
	uint32_t router_dp;
	union {
		struct msg_dp dp;
		struct msg_dp_id id;
		struct msg_socket sock;
		struct msg_notify notify;
		struct msg_log log;
	} in;
};

static struct parent_dp *
parent_find(struct parent *p, uint32_t id)
{
	unsigned i;

	for (i = 0; i < PARENT_DP_MAX; i++)
		if (p->dps[i].used && p->dps[i].id == id)
			return &p->dps[i];
	return NULL;
}

/* A data path the engine names must be one it made. */
static struct parent_dp *
parent_known(struct parent *p, uint32_t id)
{
	struct parent_dp *d = parent_find(p, id);

	if (d == NULL)
		fatalx("engine: no data path %u", id);
	return d;
}

static void
parent_reply(struct parent *p, const struct msg_reply *r, const int *fds,
	     unsigned nfds)
{
	int e = msg_send(p->req, MSG_REPLY, r, sizeof(*r), fds, nfds);

	if (e < 0 && e != -EPIPE) {
		errno = -e;
		fatal("engine: reply");
	}
}

/* Router mode's LANs at their own ingress (router-lan-fast-path), with
 * the program of the mode, on the data path the LANs go through; off
 * every other one. Sources served from any interface, or on one that is
 * gone, are left to the kernel's way. */
static void
parent_router_lans(const struct nat44_src *src, unsigned n, void *arg)
{
	struct dp_lan_src lan[NAT44_SRC_MAX];
	struct parent *p = arg;
	struct parent_dp *d;
	unsigned i, m = 0;

	for (i = 0; i < n && i < NAT44_SRC_MAX; i++) {
		if (src[i].ifname[0] == '\0' ||
		    (lan[m].ifindex = if_nametoindex(src[i].ifname)) == 0)
			continue;
		lan[m++].prefix = src[i].prefix;
	}
	/* off the others first: with clsact, one filter of ours per hook */
	for (i = 0; i < PARENT_DP_MAX; i++)
		if (p->dps[i].used &&
		    !(p->router_has_dp && p->dps[i].id == p->router_dp))
			datapath_set_lans(p->dps[i].dp, NULL, 0);
	if (!p->router_has_dp || (d = parent_find(p, p->router_dp)) == NULL)
		return;
	if (p->env.cfg->router.mode == ROUTER_MODE_NAT44)
		datapath_set_nat44_lans(d->dp, lan, m);
	else
		datapath_set_lans(d->dp, lan, m);
}

/* Router mode: the LANs go through data path d. */
static void
parent_router_use(struct parent *p, const struct parent_dp *d)
{
	p->router_has_dp = true;
	p->router_dp = d->id;
	router_run(p->router, &d->router_clat,
		   if_nametoindex(d->router_clat.dev), d->router_forwarding);
}

/* Router mode: the LANs go through the data path last made or changed. */
static void
parent_router_run(struct parent *p, struct parent_dp *d,
		  const struct dp_params *params)
{
	struct router_clat clat = {.v4 = params->v4, .v6 = params->v6};

	snprintf(clat.dev, sizeof(clat.dev), "%s", params->clat_dev);
	clat.route_mtu = datapath_route_mtu(d->dp);
	d->router_clat = clat;
	d->router_forwarding = params->router;
	parent_router_use(p, d);
}

/* The data path the LANs went through is gone: they go through the
 * newest one left, or get the fallback when none is. */
static void
parent_router_lost(struct parent *p)
{
	const struct parent_dp *next = NULL;
	unsigned i;

	for (i = 0; i < PARENT_DP_MAX; i++)
		if (p->dps[i].used && (next == NULL || p->dps[i].id > next->id))
			next = &p->dps[i];
	if (next != NULL) {
		parent_router_use(p, next);
		return;
	}
	p->router_has_dp = false;
	router_standby(p->router);
}

static void
parent_dp_create(struct parent *p, const struct msg_dp *m)
{
	struct msg_reply r = {0};
	struct parent_dp *d = NULL;
	struct dp_params params;
	int fds[MSG_FDS_MAX], n = 0;
	bool has_pkt = false;
	unsigned i;

	if (parent_find(p, m->id) != NULL)
		fatalx("engine: data path %u exists", m->id);
	for (i = 0; i < PARENT_DP_MAX && d == NULL; i++)
		if (!p->dps[i].used)
			d = &p->dps[i];
	if (d == NULL) {
		r.err = -ENOSPC;
		parent_reply(p, &r, NULL, 0);
		return;
	}
	memcpy(d->clat_dev, m->clat_dev, sizeof(d->clat_dev));
	msg_dp_params(m, p->env.cfg, d->clat_dev, &params);
	if ((d->dp = datapath_new(p->event, p->env.rtnl, &params)) == NULL)
		r.err = -EIO;
	else if ((n = datapath_engine_fds(d->dp, fds, &has_pkt)) < 0)
		r.err = n;
	if (r.err < 0) {
		datapath_free(d->dp);
		parent_reply(p, &r, NULL, 0);
		return;
	}
	d->used = true;
	d->id = m->id;
	parent_router_run(p, d, &params);
	r.route_mtu = datapath_route_mtu(d->dp);
	r.has_pkt = has_pkt;
	parent_reply(p, &r, fds, (unsigned)n);
	while (n > 0)
		close(fds[--n]);
}

static void
parent_dp_update(struct parent *p, const struct msg_dp *m)
{
	struct parent_dp *d = parent_known(p, m->id);
	struct msg_reply r = {0};
	struct dp_params params;

	if (strcmp(d->clat_dev, m->clat_dev) != 0)
		fatalx("engine: data path %u renamed in an update", m->id);
	msg_dp_params(m, p->env.cfg, d->clat_dev, &params);
	r.err = datapath_update(d->dp, &params);
	if (r.err == 0)
		parent_router_run(p, d, &params);
	r.route_mtu = datapath_route_mtu(d->dp);
	parent_reply(p, &r, NULL, 0);
}

static void
parent_dp_destroy(struct parent *p, uint32_t id)
{
	struct parent_dp *d = parent_known(p, id);
	struct msg_reply r = {0};

	datapath_free(d->dp);
	memset(d, 0, sizeof(*d));
	if (p->router_has_dp && p->router_dp == id)
		parent_router_lost(p);
	parent_reply(p, &r, NULL, 0);
}

static void
parent_dp_counters(struct parent *p, uint32_t id)
{
	struct msg_reply r = {0};

	r.err = datapath_fast_counters(parent_known(p, id)->dp, r.counters);
	r.lan_spoofed = router_spoofed(p->router);
	parent_reply(p, &r, NULL, 0);
}

static void
parent_socket(struct parent *p, unsigned kind)
{
	struct msg_reply r = {0};
	int fd;

	fd = msg_socket_open(kind);
	if (fd < 0) {
		r.err = fd;
		parent_reply(p, &r, NULL, 0);
		return;
	}
	parent_reply(p, &r, &fd, 1);
	close(fd);
}

/* Read the configuration again; the new one is the parent's at once, so
 * that the engine's updates that follow use it. */
static int
parent_load(struct parent *p, struct msg_config *out)
{
	int r;

	sd_notify(0, "RELOADING=1");
	r = p->env.load(&out->cfg, p->env.arg);
	if (r == 0) {
		*p->env.cfg = out->cfg;
		router_sync(p->router);
	}
	sd_notify(0, "READY=1");
	return r;
}

static void
parent_reload(struct parent *p)
{
	static struct msg_config c;
	struct msg_reply r = {0};
	int e;

	if (parent_load(p, &c) < 0) {
		r.err = -EINVAL;
		snprintf(r.why, sizeof(r.why),
			 "the configuration has errors (see the log); the "
			 "running one is kept");
		parent_reply(p, &r, NULL, 0);
		return;
	}
	if ((e = msg_send(p->req, MSG_CONFIG, &c, sizeof(c), NULL, 0)) < 0 &&
	    e != -EPIPE) {
		errno = -e;
		fatal("engine: configuration");
	}
}

static void
parent_handle(struct parent *p, const struct msg_hdr *hdr)
{
	struct msg_reply r = {0};

	switch (hdr->type) {
	case MSG_DP_CREATE:
		parent_dp_create(p, &p->in.dp);
		return;
	case MSG_DP_UPDATE:
		parent_dp_update(p, &p->in.dp);
		return;
	case MSG_DP_DESTROY:
		parent_dp_destroy(p, p->in.id.id);
		return;
	case MSG_DP_COUNTERS:
		parent_dp_counters(p, p->in.id.id);
		return;
	case MSG_SOCKET:
		parent_socket(p, p->in.sock.kind);
		return;
	case MSG_NOTIFY:
		sd_notify(0, p->in.notify.text);
		break;
	case MSG_LOG:
		log_setverbose(p->in.log.verbose);
		break;
	case MSG_RELOAD:
		parent_reload(p);
		return;
	}
	parent_reply(p, &r, NULL, 0);
}

static int
parent_on_request(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct parent *p = arg;
	struct msg_hdr hdr;
	const char *why;
	int n;

	(void)revents;
	n = msg_recv(fd, &hdr, &p->in, sizeof(p->in), NULL);
	if (n == -EPIPE || n == -ECONNRESET) {
		/* the engine is gone; its exit is seen through its pidfd */
		sd_event_source_set_enabled(s, SD_EVENT_OFF);
		return 0;
	}
	if (n < 0 && n != -EBADMSG) {
		errno = -n;
		fatal("engine: request");
	}
	if (n < 0 || msg_check_request(&hdr, &p->in, &why) < 0)
		fatalx("engine: malformed request (type %u, %u bytes): %s",
		       hdr.type, hdr.len, n < 0 ? "bad message" : why);
	parent_handle(p, &hdr);
	return 0;
}

/* The engine has ended: take down what it left, wait for the scripts,
 * and end with its status. */
static int
parent_on_child(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct parent *p = arg;
	int status = 0, code;
	unsigned i;

	(void)s;
	(void)fd;
	(void)revents;
	while (waitpid(p->child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else
		code = 1;
	if (!WIFEXITED(status))
		log_warnx("the engine was killed by signal %d: taking the "
			  "CLAT down",
			  WTERMSIG(status));
	for (i = 0; i < PARENT_DP_MAX; i++)
		if (p->dps[i].used) {
			datapath_free(p->dps[i].dp);
			p->dps[i].used = false;
		}
	router_free(p->router);
	script_wait_all();
	unlink(p->control_socket);
	exit(code);
}

static int
parent_on_kill_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct parent *p = arg;

	(void)s;
	(void)usec;
	log_warnx("the engine did not stop: killing it");
	kill(p->child, SIGKILL);
	return 0;
}

/* SIGTERM, SIGINT: the engine takes its instances down and exits;
 * SIGHUP: a new configuration for the engine. */
static int
parent_on_signal(sd_event_source *s, const struct signalfd_siginfo *si,
		 void *arg)
{
	static struct msg_config c;
	struct parent *p = arg;
	int e;

	(void)s;
	if (si->ssi_signo == SIGHUP) {
		if (parent_load(p, &c) < 0) {
			log_warnx("reload failed: keeping the running "
				  "configuration");
			return 0;
		}
		if ((e = msg_send(p->evt, MSG_CONFIG, &c, sizeof(c), NULL, 0)) <
		    0) {
			errno = -e;
			log_warn("reload: to the engine");
		}
		return 0;
	}
	log_info("signal %u: stopping", si->ssi_signo);
	sd_notify(0, "STOPPING=1");
	kill(p->child, SIGTERM);
	if (p->kill_timer == NULL)
		sd_event_add_time_relative(p->event, &p->kill_timer,
					   CLOCK_MONOTONIC, PARENT_STOP_USEC, 0,
					   parent_on_kill_timer, p);
	return 0;
}

static void __attribute__((noreturn)) parent_run(struct parent *p)
{
	const int signals[3] = {SIGTERM, SIGINT, SIGHUP};
	int r, i;

	if ((r = sd_event_new(&p->event)) < 0)
		goto fail;
	for (i = 0; i < 3; i++)
		if ((r = sd_event_add_signal(p->event, &p->sig[i], signals[i],
					     parent_on_signal, p)) < 0)
			goto fail;
	if ((p->router = router_new(p->event, p->env.rtnl, p->env.cfg)) ==
	    NULL) {
		r = -ENOMEM;
		goto fail;
	}
	router_on_lans(p->router, parent_router_lans, p);
	router_sync(p->router);
	if ((p->pidfd = (int)syscall(SYS_pidfd_open, p->child, 0)) < 0) {
		r = -errno;
		goto fail;
	}
	if ((r = sd_event_add_io(p->event, &p->req_src, p->req, EPOLLIN,
				 parent_on_request, p)) < 0 ||
	    (r = sd_event_add_io(p->event, &p->child_src, p->pidfd, EPOLLIN,
				 parent_on_child, p)) < 0)
		goto fail;
	r = sd_event_loop(p->event);
fail:
	errno = -r;
	log_warn("parent: event loop");
	kill(p->child, SIGKILL);
	exit(1);
}

int
parent_fork(const struct parent_env *env, int *req, int *evt)
{
	static struct parent p;
	int a[2], b[2], e;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, a) < 0)
		return -errno;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, b) < 0) {
		e = -errno;
		close(a[0]);
		close(a[1]);
		return e;
	}
	if ((p.child = fork()) < 0) {
		e = -errno;
		close(a[0]);
		close(a[1]);
		close(b[0]);
		close(b[1]);
		return e;
	}
	if (p.child == 0) {
		close(a[0]);
		close(b[0]);
		*req = a[1];
		*evt = b[1];
		return 0;
	}
	close(a[1]);
	close(b[1]);
	p.env = *env;
	p.req = a[0];
	p.evt = b[0];
	snprintf(p.control_socket, sizeof(p.control_socket), "%s",
		 env->cfg->control_socket);
	parent_run(&p);
}
