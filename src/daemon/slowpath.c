/* SPDX-License-Identifier: BSD-2-Clause */
/* A data path, as the engine has it: an id the parent knows it by, and
 * the slow path on the descriptors the parent passed. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dp/dp_stats.h"
#include "dp/dp_tun.h"
#include "priv.h"
#include "slowpath.h"

struct slowpath {
	uint32_t id;
	unsigned route_mtu;
	struct dp_tun *slow;
	struct xlat_cfg x;	 /* what the slow path translates with */
	struct xlat_stats stats; /* both paths, as last read */
};

struct slowpath *
slowpath_new(sd_event *event, const struct dp_params *p)
{
	static uint32_t next_id;
	struct slowpath *s;
	struct msg_reply r;
	struct msg_dp m;
	int fds[MSG_FDS_MAX];

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->id = ++next_id;
	msg_dp_make(s->id, p, &m);
	if (priv_dp_create(&m, &r, fds) < 0) {
		free(s);
		return NULL;
	}
	s->route_mtu = r.route_mtu;
	s->slow = dp_tun_new(event, fds[0], fds[1], r.has_pkt ? fds[2] : -1,
			     p->uplink);
	if (s->slow == NULL) {
		slowpath_free(s);
		return NULL;
	}
	dpcfg_xlat(p, &s->x);
	dp_tun_set_cfg(s->slow, &s->x);
	return s;
}

int
slowpath_update(struct slowpath *s, const struct dp_params *p)
{
	struct msg_reply r;
	struct xlat_cfg x;
	struct msg_dp m;
	int e;

	msg_dp_make(s->id, p, &m);
	if ((e = priv_dp_update(&m, &r)) < 0)
		return e;
	s->route_mtu = r.route_mtu;
	dpcfg_xlat(p, &x);
	if (memcmp(&x, &s->x, sizeof(x)) != 0) {
		s->x = x;
		dp_tun_set_cfg(s->slow, &s->x);
	}
	return 0;
}

void
slowpath_free(struct slowpath *s)
{
	if (s == NULL)
		return;
	/* its copy of the TUN first, so the parent's close removes it */
	dp_tun_free(s->slow);
	priv_dp_destroy(s->id);
	free(s);
}

const struct xlat_stats *
slowpath_stats(struct slowpath *s, uint64_t *fast_packets,
	       uint64_t *lan_spoofed)
{
	uint64_t c[XLAT_MAPS_CNT_MAX];

	s->stats = *dp_tun_stats(s->slow);
	*fast_packets = 0;
	*lan_spoofed = 0;
	if (priv_dp_counters(s->id, c, lan_spoofed) == 0) {
		dp_stats_add_fast(c, &s->stats);
		*fast_packets =
			c[XLAT_MAPS_CNT_FAST_64] + c[XLAT_MAPS_CNT_FAST_46];
	}
	return &s->stats;
}

unsigned
slowpath_route_mtu(const struct slowpath *s)
{
	return s->route_mtu;
}
