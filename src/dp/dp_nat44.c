/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <bpf/libbpf.h>

#include "dp_nat44.h"

uint32_t
dp_nat44_udp_timeout_ms(void)
{
	FILE *f = fopen("/proc/sys/net/netfilter/"
			"nf_conntrack_udp_timeout_stream",
			"re");
	uint32_t s = 0;
	int ok;

	if (f == NULL)
		return DP_NAT44_UDP_TIMEOUT_MS;
	ok = fscanf(f, "%" SCNu32, &s) == 1 && s > 0 && s <= UINT32_MAX / 1000;
	fclose(f);
	return ok ? s * 1000 : DP_NAT44_UDP_TIMEOUT_MS;
}

/* The second object's map m made the first one's, tc's. */
static int
dp_nat44_share(struct bpf_map *m, const struct bpf_map *tc)
{
	return bpf_map__reuse_fd(m, bpf_map__fd(tc));
}

struct clat_nat44 *
dp_nat44_load(struct clat_tc *tc, uint32_t udp_timeout_ms)
{
	struct clat_nat44 *n = clat_nat44__open();
	int err;

	if (n == NULL)
		return NULL;
	n->rodata->nat44_udp_timeout_ms = udp_timeout_ms;
	if ((err = dp_nat44_share(n->maps.clat_cfg, tc->maps.clat_cfg)) < 0 ||
	    (err = dp_nat44_share(n->maps.clat_eam4, tc->maps.clat_eam4)) < 0 ||
	    (err = dp_nat44_share(n->maps.clat_eam6, tc->maps.clat_eam6)) < 0 ||
	    (err = dp_nat44_share(n->maps.clat_counters,
				  tc->maps.clat_counters)) < 0 ||
	    (err = dp_nat44_share(n->maps.clat_lan4, tc->maps.clat_lan4)) < 0 ||
	    (err = clat_nat44__load(n)) < 0) {
		clat_nat44__destroy(n);
		errno = -err;
		return NULL;
	}
	return n;
}
