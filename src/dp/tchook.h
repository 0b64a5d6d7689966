/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One tc program on one hook of one device, for the eBPF loaders
 * (dp_bpf.c, dp_siit.c). tcx first: the link lives in this process's fd
 * table, so the kernel detaches it when the process exits, even on a
 * crash. Kernels before 6.6 have no tcx; there the program goes on the
 * clsact qdisc as a cls_bpf filter in direct-action mode, with xlatd's
 * own handle and priority (dp_bpf.h), so that a later run can find and
 * remove what a crashed run left.
 */
#ifndef XLATD_TCHOOK_H
#define XLATD_TCHOOK_H

#include <stdbool.h>

#include "common/rtnl.h"
#include "ifname.h"

/* enum bpf_attach_type in include/uapi/linux/bpf.h since Linux 6.6; the
 * uapi headers of Debian 12 (6.1) and libbpf 1.1 predate it. Checked
 * against /sys/kernel/btf/vmlinux of 6.18: BPF_TCX_INGRESS val=46,
 * BPF_TCX_EGRESS val=47. */
#define TCHOOK_TCX_INGRESS ((enum bpf_attach_type)46)
#define TCHOOK_TCX_EGRESS ((enum bpf_attach_type)47)

/* tchook_attach flags: skip tcx and attach with clsact + cls_bpf. */
#define TCHOOK_F_CLSACT 0x1

struct tchook {
	unsigned ifindex;
	bool egress;
	int link_fd;	  /* tcx link, or -1 */
	bool tc_attached; /* cls_bpf filter at DP_BPF_TC_HANDLE/PRIO */
	bool tc_created;  /* this process created the clsact qdisc */
	char label[IFNAME_LABEL_LEN]; /* in front of its log lines */
};

/* A hook with nothing attached yet, whose log lines start with label
 * (the name of the instance it serves: the uplink, or xlat-siit's
 * device). */
void tchook_init(struct tchook *h, unsigned ifindex, bool egress,
		 const char *label);

/* Attach prog_fd: tcx, or clsact where the kernel has no tcx (or flags
 * say so). Returns 0 or -errno. */
int tchook_attach(struct tchook *h, int prog_fd, unsigned flags);

/* Detach. A clsact qdisc is removed only if this process created it and
 * no filter is left on it (rtnl: to count them). */
void tchook_detach(struct tchook *h, struct rtnl *rtnl);

/* "tcx" or "clsact". */
const char *tchook_mode(const struct tchook *h);

/* libbpf's messages into the log at debug level (-vv): libbpf warns also
 * about failures that are expected, such as the query of a device
 * without clsact. Call before libbpf is used. */
void tchook_libbpf_log(void);

#endif
