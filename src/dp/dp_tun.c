/* SPDX-License-Identifier: BSD-2-Clause */
/* Slow path: TUN read -> translation core -> raw IPv6 socket or TUN. */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "daemon/log.h"
#include "dp_tun.h"
#include "xlatd/xlat_reasm.h"

/* Packets handled per wake-up before yielding to the event loop. */
#define DP_TUN_BATCH 64

struct dp_tun {
	sd_event_source *source;
	int tun_fd;
	int raw_fd; /* AF_INET6 SOCK_RAW IPPROTO_RAW: header included */
	struct xlat_cfg cfg;
	bool has_cfg;
	struct xlat_ctx *ctx;
	struct xlat_reasm *reasm; /* fragmented ICMP, both directions */
	uint8_t *buf;
	size_t buf_size;
};

/* The kernel routes the packet by its destination and resolves the next
 * hop itself; the source is the CLAT address, which the raw socket may
 * use although it is no address of the host (IPV6_HDRINCL). */
static void
send6(struct dp_tun *dp, const struct xlat_out *o)
{
	struct sockaddr_in6 to = {.sin6_family = AF_INET6};
	struct msghdr msg = {
		.msg_name = &to,
		.msg_namelen = sizeof(to),
		.msg_iov = (struct iovec *)o->iov,
		.msg_iovlen = o->iov[1].iov_len ? 2 : 1,
	};

	memcpy(&to.sin6_addr, (const uint8_t *)o->iov[0].iov_base + 24, 16);
	if (sendmsg(dp->raw_fd, &msg, MSG_DONTWAIT) < 0)
		log_debug("%s: sendmsg: %s", __func__, strerror(errno));
}

static void
send4(struct dp_tun *dp, const struct xlat_out *o)
{
	int cnt = o->iov[1].iov_len ? 2 : 1;

	if (writev(dp->tun_fd, o->iov, cnt) < 0)
		log_debug("%s: writev: %s", __func__, strerror(errno));
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
handle(struct dp_tun *dp, size_t len)
{
	struct xlat_buf b = {
		.data = dp->buf,
		.size = dp->buf_size,
		.off = XLAT_HEADROOM,
		.len = len,
	};
	unsigned i, n;

	/* ICMP fragments are translated once the message is whole. */
	if (xlat_reasm_wanted(b.data + b.off, len) &&
	    !xlat_reasm_add(dp->reasm, b.data + b.off, len, now_ms(), &b))
		return;
	n = xlat_translate(&dp->cfg, dp->ctx, &b);
	for (i = 0; i < n; i++) {
		const struct xlat_out *o = &dp->ctx->out[i];

		if (o->family == XLAT_FAMILY_V6)
			send6(dp, o);
		else
			send4(dp, o);
	}
}

static int
on_tun(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct dp_tun *dp = arg;
	unsigned i;
	ssize_t n;

	(void)s;
	(void)revents;
	for (i = 0; i < DP_TUN_BATCH; i++) {
		n = read(fd, dp->buf + XLAT_HEADROOM,
			 dp->buf_size - XLAT_HEADROOM);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("%s: read", __func__);
			break;
		}
		if (dp->has_cfg)
			handle(dp, (size_t)n);
	}
	return 0;
}

static int
raw_socket(unsigned uplink_ifindex)
{
	char name[IF_NAMESIZE];
	int fd;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_RAW);
	if (fd < 0)
		return -errno;
	/* Out of the uplink only, whatever other routes say. */
	if (if_indextoname(uplink_ifindex, name) == NULL ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name,
		       strlen(name) + 1) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

struct dp_tun *
dp_tun_new(sd_event *event, int tun_fd, unsigned uplink_ifindex)
{
	struct dp_tun *dp;
	int r;

	if ((dp = calloc(1, sizeof(*dp))) == NULL)
		return NULL;
	dp->tun_fd = tun_fd;
	dp->buf_size = XLAT_HEADROOM + XLAT_MAX_PACKET;
	dp->buf = malloc(dp->buf_size);
	dp->ctx = malloc(sizeof(*dp->ctx));
	dp->reasm = malloc(sizeof(*dp->reasm));
	if (dp->buf == NULL || dp->ctx == NULL || dp->reasm == NULL)
		goto fail;
	xlat_reasm_init(dp->reasm);
	xlat_ctx_init(dp->ctx, (uint32_t)getpid() ^ (uint32_t)tun_fd << 16);
	if ((dp->raw_fd = raw_socket(uplink_ifindex)) < 0) {
		errno = -dp->raw_fd;
		log_warn("%s: raw IPv6 socket", __func__);
		dp->raw_fd = -1;
		goto fail;
	}
	r = sd_event_add_io(event, &dp->source, tun_fd, EPOLLIN, on_tun, dp);
	if (r < 0) {
		errno = -r;
		log_warn("%s: sd_event_add_io", __func__);
		goto fail;
	}
	return dp;
fail:
	dp_tun_free(dp);
	return NULL;
}

void
dp_tun_set_cfg(struct dp_tun *dp, const struct xlat_cfg *cfg)
{
	dp->cfg = *cfg;
	dp->has_cfg = true;
}

const struct xlat_stats *
dp_tun_stats(const struct dp_tun *dp)
{
	return &dp->ctx->stats;
}

void
dp_tun_free(struct dp_tun *dp)
{
	if (dp == NULL)
		return;
	sd_event_source_disable_unref(dp->source);
	if (dp->raw_fd >= 0)
		close(dp->raw_fd);
	if (dp->tun_fd >= 0)
		close(dp->tun_fd);
	free(dp->buf);
	free(dp->ctx);
	free(dp->reasm);
	free(dp);
}
