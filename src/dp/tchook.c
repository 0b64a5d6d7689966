/* SPDX-License-Identifier: BSD-2-Clause */
/* One tc program on one hook (tchook.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/pkt_sched.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/log.h"
#include "dp_bpf.h"
#include "tchook.h"

/* libbpf's messages, the verifier's log among them, go to the daemon's
 * log at debug level (its own debug messages at -vv): libbpf warns also
 * about failures that are expected here, such as the query of a device
 * without clsact. Errors that matter are logged by the callers. */
static int
libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	if (log_getverbose() < (level == LIBBPF_DEBUG ? 2 : 1))
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (n > 0 && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	log_debug("%s", msg);
	return 0;
}

void
tchook_libbpf_log(void)
{
	libbpf_set_print(libbpf_print);
}

void
tchook_init(struct tchook *h, unsigned ifindex, bool egress, const char *label)
{
	*h = (struct tchook){
		.ifindex = ifindex, .egress = egress, .link_fd = -1};
	snprintf(h->label, sizeof(h->label), "%s", label);
}

static int
attach_tcx(struct tchook *h, int prog_fd)
{
	int fd;

	/* flags 0: after the programs already there; clat_ingress passes
	 * what it does not take with TCX_NEXT, so the order matters little. */
	fd = bpf_link_create(prog_fd, h->ifindex,
			     h->egress ? TCHOOK_TCX_EGRESS : TCHOOK_TCX_INGRESS,
			     NULL);
	if (fd < 0)
		return fd;
	h->link_fd = fd;
	return 0;
}

/* hook: the clsact hook of h (ingress or egress), opts: our cls_bpf
 * filter on it; for bpf_tc_attach and bpf_tc_detach. */
#define DECLARE_TC_FILTER(hook, opts, h)                                   \
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (h)->ifindex,    \
			    .attach_point = (h)->egress ? BPF_TC_EGRESS    \
							: BPF_TC_INGRESS); \
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = DP_BPF_TC_HANDLE, \
			    .priority = DP_BPF_TC_PRIO)

static int
attach_clsact(struct tchook *h, int prog_fd)
{
	DECLARE_TC_FILTER(hook, opts, h);
	int r;

	r = bpf_tc_hook_create(&hook);
	if (r < 0 && r != -EEXIST)
		return r;
	h->tc_created = r == 0;
	opts.prog_fd = prog_fd;
	if ((r = bpf_tc_attach(&hook, &opts)) < 0)
		return r;
	h->tc_attached = true;
	return 0;
}

/* Whether the clsact qdisc on ifindex holds no filter on either hook. */
static bool
clsact_empty(struct rtnl *rtnl, unsigned ifindex)
{
	__u32 in = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS);
	__u32 out = TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS);

	return rtnl_tc_filter_count(rtnl, ifindex, in) == 0 &&
	       rtnl_tc_filter_count(rtnl, ifindex, out) == 0;
}

/* ENODEV: the device is gone, and our filter and qdisc with it. */
static void
detach_clsact(struct tchook *h, struct rtnl *rtnl)
{
	DECLARE_TC_FILTER(hook, opts, h);
	int r;

	if (h->tc_attached && (r = bpf_tc_detach(&hook, &opts)) < 0 &&
	    r != -ENODEV) {
		errno = -r;
		log_warn("%s: %s: ifindex %u: cls_bpf filter", h->label,
			 __func__, h->ifindex);
	}
	h->tc_attached = false;
	/* Someone may have added filters to our qdisc since: keep it then.
	 * (Not atomic: a filter added right now is lost with the qdisc.) */
	if (!h->tc_created || !clsact_empty(rtnl, h->ifindex))
		return;
	h->tc_created = false;
	hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
	if ((r = bpf_tc_hook_destroy(&hook)) < 0 && r != -ENOENT &&
	    r != -ENODEV) {
		errno = -r;
		log_warn("%s: %s: ifindex %u: clsact qdisc", h->label, __func__,
			 h->ifindex);
	}
}

void
tchook_detach(struct tchook *h, struct rtnl *rtnl)
{
	if (h->link_fd >= 0)
		close(h->link_fd);
	h->link_fd = -1;
	detach_clsact(h, rtnl);
}

int
tchook_attach(struct tchook *h, int prog_fd, unsigned flags)
{
	int r;

	if (!(flags & TCHOOK_F_CLSACT)) {
		r = attach_tcx(h, prog_fd);
		if (r != -EINVAL && r != -EOPNOTSUPP)
			return r;
		log_debug("%s: %s: no tcx (%s), falling back to clsact",
			  h->label, __func__, strerror(-r));
	}
	return attach_clsact(h, prog_fd);
}

const char *
tchook_mode(const struct tchook *h)
{
	return h->link_fd >= 0 ? "tcx" : "clsact";
}
