/* SPDX-License-Identifier: BSD-2-Clause */
/* TUN packets with offloads through the translation core (tunxlat.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/log.h"
#include "ifname.h"
#include "tunxlat.h"
#include "xlatd/xlat_reasm.h"

struct tunxlat {
	sd_event_source *source; /* tunxlat_watch */
	const struct tunxlat_ops *ops;
	void *arg;
	struct xlat_cfg cfg;
	struct xlat_cfg gso_cfg; /* cfg without MTU limits: super-packets */
	bool has_cfg;
	struct xlat_ctx *ctx;
	struct xlat_reasm *reasm; /* fragmented ICMP, both directions */
	struct virtio_net_hdr vh; /* of the packet in buf */
	uint8_t *buf;
	size_t buf_size;
	uint8_t *seg; /* one segment of a super-packet, with headroom */
	char label[IFNAME_LABEL_LEN];
};

/* What the core (or admit) left in ctx, plain: no offloads. */
static void
send_out(struct tunxlat *t)
{
	bool made = t->ctx->drop != XLAT_DROP_NONE;
	unsigned i;

	for (i = 0; i < t->ctx->out_count; i++)
		t->ops->emit(t->arg, &t->ctx->out[i], NULL, NULL, made);
}

/* Whether the packet in b goes to the core. */
static bool
admitted(struct tunxlat *t, struct xlat_buf *b)
{
	if (t->ops->admit == NULL)
		return true;
	t->ctx->out_count = 0;
	t->ctx->drop = XLAT_DROP_NONE;
	if (t->ops->admit(t->arg, t->ctx, b))
		return true;
	send_out(t);
	return false;
}

/* A packet with complete checksums, one at a time through the core. */
static void
handle_plain(struct tunxlat *t, uint8_t *data, size_t size, size_t len)
{
	struct xlat_buf b = {
		.data = data,
		.size = size,
		.off = XLAT_HEADROOM,
		.len = len,
	};

	/* ICMP fragments are translated once the message is whole. */
	if (xlat_reasm_wanted(b.data + b.off, len) &&
	    !xlat_reasm_add(t->reasm, b.data + b.off, len, clock_now_ms(), &b))
		return;
	if (!admitted(t, &b))
		return;
	xlat_translate(&t->cfg, t->ctx, &b);
	if (t->ops->done != NULL)
		t->ops->done(t->arg, t->ctx);
	send_out(t);
}

/* Cut pkt into the segments the kernel would have sent and translate
 * each on its own. */
static void
handle_segments(struct tunxlat *t, const uint8_t *pkt, size_t len,
		const struct gso_info *gi)
{
	unsigned i, n = gso_count(len, gi);

	for (i = 0; i < n; i++) {
		size_t sl =
			gso_segment(pkt, len, gi, i, t->seg + XLAT_HEADROOM);

		handle_plain(t, t->seg, t->buf_size, sl);
	}
}

/* Whether every segment of super-packet pkt translates to a packet the
 * core would send whole and alone: within the MTU of the other side, not
 * to be fragmented (RFC 7915 §4.1, lowest-ipv6-mtu), and the translated
 * super-packet's length fits its IP header. */
static bool
segments_fit(const struct xlat_cfg *cfg, const uint8_t *pkt, size_t len,
	     const struct gso_info *gi)
{
	size_t seg = gi->l4_hdr + gi->size, limit;

	if (gi->v6)
		return len - gi->l4_off + 20 <= 65535 &&
		       20 + seg <= cfg->mtu_v4;
	limit = cfg->mtu_v6;
	if (!(pkt[6] & 0x40) && cfg->lowest_ipv6_mtu < limit) /* DF */
		limit = cfg->lowest_ipv6_mtu;
	return len - gi->l4_off + 40 <= 65535 && 40 + seg <= limit;
}

/* A packet with a partial checksum (gso.h), maybe a super-packet,
 * translated once; the checksum stays partial where the host takes it. */
static void
handle_partial(struct tunxlat *t, size_t len, const struct gso_info *gi)
{
	uint8_t *pkt = t->buf + XLAT_HEADROOM;
	size_t csum = t->vh.csum_offset, l4;
	struct xlat_buf b = {t->buf, t->buf_size, XLAT_HEADROOM, len};
	const struct xlat_out *o = &t->ctx->out[0];
	struct gso_info out = *gi;
	uint8_t *hdr;

	if (gi->size && !segments_fit(&t->cfg, pkt, len, gi)) {
		handle_segments(t, pkt, len, gi);
		return;
	}
	if (!admitted(t, &b))
		return;
	gso_csum_flip(pkt + gi->l4_off + csum);
	xlat_translate(&t->gso_cfg, t->ctx, &b);
	if (t->ops->done != NULL)
		t->ops->done(t->arg, t->ctx);
	/* The packet itself, translated? Anything else (an ICMP error in
	 * its place) goes out plain. */
	hdr = o->iov[0].iov_base;
	if (t->ctx->out_count != 1 || o->iov[1].iov_len != 0 ||
	    (o->family == XLAT_FAMILY_V6) == gi->v6 ||
	    (gi->v6 ? hdr[9] : hdr[6]) != gi->proto) {
		send_out(t);
		return;
	}
	l4 = gi->v6 ? (size_t)(hdr[0] & 0xf) * 4 : 40;
	gso_csum_flip(hdr + l4 + csum);
	out.v6 = !gi->v6;
	out.l4_off = l4;
	gso_vnet_translate(&t->vh, gi, l4);
	t->ops->emit(t->arg, o, &t->vh, &out, false);
}

static void
handle(struct tunxlat *t, size_t len)
{
	uint8_t *pkt = t->buf + XLAT_HEADROOM;
	struct gso_info gi;

	if (!(t->vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		handle_plain(t, t->buf, t->buf_size, len);
	} else if (gso_parse(pkt, len, &t->vh, &gi)) {
		handle_partial(t, len, &gi);
	} else if (t->vh.gso_type == VIRTIO_NET_HDR_GSO_NONE &&
		   gso_csum_complete(pkt, len, t->vh.csum_start,
				     t->vh.csum_offset)) {
		/* an odd one (ICMP, extension headers): as before */
		handle_plain(t, t->buf, t->buf_size, len);
	} else {
		log_debug("%s: %s: super-packet of GSO type %u not taken",
			  t->label, __func__, t->vh.gso_type);
	}
}

int
tunxlat_read(struct tunxlat *t, int fd, unsigned batch)
{
	unsigned i;
	ssize_t n;

	t->ctx->now_ms = clock_now_ms(); /* for the ICMP error rate */
	for (i = 0; i < batch; i++) {
		struct iovec iov[2] = {
			{&t->vh, sizeof(t->vh)},
			{t->buf + XLAT_HEADROOM, t->buf_size - XLAT_HEADROOM},
		};

		n = readv(fd, iov, 2);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				return -errno;
			break;
		}
		if (t->has_cfg && (size_t)n > sizeof(t->vh))
			handle(t, (size_t)n - sizeof(t->vh));
	}
	return (int)i;
}

static int
on_readable(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct tunxlat *t = arg;
	int r;

	(void)s;
	(void)revents;
	if ((r = tunxlat_read(t, fd, TUNXLAT_BATCH)) < 0) {
		errno = -r;
		log_warn("%s: %s: read", t->label, __func__);
	}
	return 0;
}

int
tunxlat_watch(struct tunxlat *t, sd_event *event, int fd)
{
	return sd_event_add_io(event, &t->source, fd, EPOLLIN, on_readable, t);
}

struct tunxlat *
tunxlat_new(const struct tunxlat_ops *ops, void *arg, uint32_t seed,
	    const char *label)
{
	struct tunxlat *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	snprintf(t->label, sizeof(t->label), "%s", label);
	t->ops = ops;
	t->arg = arg;
	t->buf_size = XLAT_HEADROOM + XLAT_MAX_PACKET;
	t->buf = malloc(t->buf_size);
	t->seg = malloc(t->buf_size);
	t->ctx = malloc(sizeof(*t->ctx));
	t->reasm = malloc(sizeof(*t->reasm));
	if (t->buf == NULL || t->seg == NULL || t->ctx == NULL ||
	    t->reasm == NULL) {
		tunxlat_free(t);
		return NULL;
	}
	xlat_reasm_init(t->reasm);
	xlat_ctx_init(t->ctx, seed);
	return t;
}

void
tunxlat_free(struct tunxlat *t)
{
	if (t == NULL)
		return;
	sd_event_source_disable_unref(t->source);
	free(t->buf);
	free(t->seg);
	free(t->ctx);
	free(t->reasm);
	free(t);
}

void
tunxlat_set_cfg(struct tunxlat *t, const struct xlat_cfg *cfg)
{
	t->cfg = *cfg;
	/* for super-packets that segments_fit() let through */
	t->gso_cfg = *cfg;
	t->gso_cfg.mtu_v4 = UINT16_MAX;
	t->gso_cfg.mtu_v6 = UINT16_MAX;
	t->gso_cfg.lowest_ipv6_mtu = UINT16_MAX;
	t->gso_cfg.portswap_csum_partial = true;
	t->has_cfg = true;
}

const struct xlat_stats *
tunxlat_stats(const struct tunxlat *t)
{
	return &t->ctx->stats;
}
