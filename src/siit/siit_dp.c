/* SPDX-License-Identifier: BSD-2-Clause */
/* The TUN slow path of xlat-siit (siit_dp.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "dp/tunxlat.h"
#include "self.h"
#include "siit_dp.h"
#include "tayga_conf.h"

struct siit_dp {
	int tun_fd;
	struct tunxlat *xlat;
	struct gate *gate;
	void (*changed)(void *arg, const struct gate_change *ch);
	void *arg;
	unsigned log;		   /* TAYGA_LOG_* */
	struct xlat_bucket log_rl; /* SIIT_DP_LOG_RATE */
	struct siit_dp_counters cnt;
	/* The addresses of the packet in hand, for the log. */
	int family;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
};

static void
note_addresses(struct siit_dp *dp, const uint8_t *pkt, size_t len)
{
	bool v6 = len >= 40 && pkt[0] >> 4 == 6;

	dp->family = v6 ? AF_INET6 : AF_INET;
	if (!v6 && len < 20) {
		strcpy(dp->src, "?");
		strcpy(dp->dst, "?");
		return;
	}
	inet_ntop(dp->family, pkt + (v6 ? 8 : 12), dp->src, sizeof(dp->src));
	inet_ntop(dp->family, pkt + (v6 ? 24 : 16), dp->dst, sizeof(dp->dst));
}

static void
plog(struct siit_dp *dp, const char *what, const char *why)
{
	if (!xlat_bucket_take(&dp->log_rl, SIIT_DP_LOG_RATE, clock_now_ms())) {
		dp->cnt.log_suppressed++;
		return;
	}
	log_info("%s %s: %s -> %s", what, why, dp->src, dp->dst);
}

/* The translator's own addresses: echo is answered, the rest dropped. */
static void
to_self(struct siit_dp *dp, struct xlat_ctx *ctx, struct xlat_buf *b)
{
	uint8_t *pkt = b->data + b->off;
	struct xlat_out *o = &ctx->out[0];

	if (!self_echo(pkt, b->len)) {
		dp->cnt.self_dropped++;
		if (dp->log & TAYGA_LOG_SELF)
			plog(dp, "self", "dropped (not an echo request)");
		return;
	}
	dp->cnt.echo_replies++;
	if (dp->log & TAYGA_LOG_SELF)
		plog(dp, "self", "echo request answered");
	memset(o, 0, sizeof(*o));
	o->iov[0].iov_base = pkt;
	o->iov[0].iov_len = b->len;
	o->len = b->len;
	o->family = pkt[0] >> 4 == 6 ? XLAT_FAMILY_V6 : XLAT_FAMILY_V4;
	ctx->out_count = 1;
}

static bool
admit(void *arg, struct xlat_ctx *ctx, struct xlat_buf *b)
{
	struct siit_dp *dp = arg;
	struct gate_change ch;
	enum gate_verdict v;

	note_addresses(dp, b->data + b->off, b->len);
	v = gate_check(dp->gate, b->data + b->off, b->len, time(NULL), &ch);
	if (ch.result == POOL_ASSIGNED || ch.result == POOL_RECLAIMED)
		dp->changed(dp->arg, &ch);
	switch (v) {
	case GATE_TRANSLATE:
		return true;
	case GATE_SELF:
		to_self(dp, ctx, b);
		return false;
	case GATE_LINK:
		dp->cnt.link_dropped++;
		return false;
	case GATE_POOL_FULL:
		xlat_refuse(dp->gate->cfg, ctx, b, XLAT_DROP_POOL_EXHAUSTED);
		break;
	case GATE_DST_UNMAPPED:
		xlat_refuse(dp->gate->cfg, ctx, b, XLAT_DROP_DST_UNMAPPED);
		break;
	}
	if (dp->log & (TAYGA_LOG_REJECT | TAYGA_LOG_DROP))
		plog(dp, "reject", xlat_drop_name(ctx->drop));
	return false;
}

/* The core's verdict, for the log. */
static void
done(void *arg, const struct xlat_ctx *ctx)
{
	struct siit_dp *dp = arg;

	if (ctx->drop == XLAT_DROP_NONE)
		return;
	if (ctx->out_count > 0 &&
	    (dp->log & (TAYGA_LOG_REJECT | TAYGA_LOG_ICMP)))
		plog(dp, "reject", xlat_drop_name(ctx->drop));
	else if (ctx->out_count == 0 && (dp->log & TAYGA_LOG_DROP))
		plog(dp, "drop", xlat_drop_name(ctx->drop));
}

/* Back into the TUN device, for the kernel to route. */
static void
emit(void *arg, const struct xlat_out *o, const struct virtio_net_hdr *vh,
     const struct gso_info *gi, bool made)
{
	static const struct virtio_net_hdr plain;
	struct siit_dp *dp = arg;
	struct iovec iov[3] = {
		{(void *)(vh != NULL ? vh : &plain), sizeof(plain)},
		o->iov[0],
		o->iov[1],
	};

	(void)gi;
	(void)made;
	if (writev(dp->tun_fd, iov, o->iov[1].iov_len ? 3 : 2) < 0) {
		dp->cnt.write_errors++;
		log_debug("%s: writev: %s", __func__, strerror(errno));
	}
}

static const struct tunxlat_ops siit_dp_ops = {
	.admit = admit,
	.emit = emit,
	.done = done,
};

struct siit_dp *
siit_dp_new(sd_event *event, int tun_fd, const char *dev, struct gate *gate,
	    void (*changed)(void *arg, const struct gate_change *ch), void *arg)
{
	struct siit_dp *dp;
	int r;

	if ((dp = calloc(1, sizeof(*dp))) == NULL) {
		log_warn("%s", __func__);
		return NULL;
	}
	dp->tun_fd = tun_fd;
	dp->gate = gate;
	dp->changed = changed;
	dp->arg = arg;
	dp->xlat = tunxlat_new(&siit_dp_ops, dp,
			       (uint32_t)getpid() ^ (uint32_t)time(NULL), dev);
	if (dp->xlat == NULL) {
		log_warn("%s", __func__);
		goto fail;
	}
	if ((r = tunxlat_watch(dp->xlat, event, tun_fd)) < 0) {
		errno = -r;
		log_warn("%s: sd_event_add_io", __func__);
		goto fail;
	}
	return dp;
fail:
	siit_dp_free(dp);
	return NULL;
}

void
siit_dp_free(struct siit_dp *dp)
{
	if (dp == NULL)
		return;
	tunxlat_free(dp->xlat);
	if (dp->tun_fd >= 0)
		close(dp->tun_fd);
	free(dp);
}

void
siit_dp_set_cfg(struct siit_dp *dp, const struct xlat_cfg *cfg, unsigned log)
{
	struct xlat_cfg c = *cfg;

	/* RFC 4443 §2.4(f): the core keeps its ICMP errors to the rate. */
	c.icmp_error_rate = SIIT_DP_ICMP_RATE;
	tunxlat_set_cfg(dp->xlat, &c);
	dp->log = log;
}

const struct xlat_stats *
siit_dp_stats(const struct siit_dp *dp)
{
	return tunxlat_stats(dp->xlat);
}

const struct siit_dp_counters *
siit_dp_counters(const struct siit_dp *dp)
{
	return &dp->cnt;
}
