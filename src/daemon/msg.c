/* SPDX-License-Identifier: BSD-2-Clause */
/* The messages between the parent and the engine: sending, receiving,
 * and the parent's checks of what the engine asks. */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "msg.h"

size_t
msg_size(unsigned type, int *ok)
{
	*ok = 1;
	switch (type) {
	case MSG_DP_CREATE:
	case MSG_DP_UPDATE:
		return sizeof(struct msg_dp);
	case MSG_DP_DESTROY:
	case MSG_DP_COUNTERS:
		return sizeof(struct msg_dp_id);
	case MSG_SOCKET:
		return sizeof(struct msg_socket);
	case MSG_NOTIFY:
		return sizeof(struct msg_notify);
	case MSG_LOG:
		return sizeof(struct msg_log);
	case MSG_RELOAD:
		return 0;
	case MSG_REPLY:
		return sizeof(struct msg_reply);
	case MSG_CONFIG:
		return sizeof(struct msg_config);
	}
	*ok = 0;
	return 0;
}

int
msg_send(int sock, unsigned type, const void *payload, size_t len,
	 const int *fds, unsigned nfds)
{
	struct msg_hdr hdr = {(uint16_t)type, (uint16_t)nfds, (uint32_t)len};
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * MSG_FDS_MAX)];
	} c;
	struct iovec iov[2] = {{&hdr, sizeof(hdr)}, {(void *)payload, len}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	struct cmsghdr *cm;
	ssize_t n;

	if (nfds > MSG_FDS_MAX)
		return -EINVAL;
	if (nfds > 0) {
		memset(&c, 0, sizeof(c));
		m.msg_control = c.buf;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
	}
	do {
		n = sendmsg(sock, &m, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == sizeof(hdr) + len ? 0 : -EMSGSIZE;
}

/* The descriptors of a received message, up to MSG_FDS_MAX into fds
 * (when not NULL); the others are closed. Returns how many came, or -1
 * when some were cut. */
static int
msg_take_fds(struct msghdr *m, int *fds)
{
	struct cmsghdr *cm;
	unsigned n, i;
	int got = 0, fd;

	for (cm = CMSG_FIRSTHDR(m); cm != NULL; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (unsigned)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < n; i++, got++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
			       sizeof(fd));
			if (fds != NULL && got < MSG_FDS_MAX)
				fds[got] = fd;
			else
				close(fd);
		}
	}
	return (m->msg_flags & MSG_CTRUNC) ? -1 : got;
}

int
msg_parse(const struct msg_hdr *hdr, size_t n, int nfds)
{
	size_t want;
	int ok;

	if (n < sizeof(*hdr) || nfds < 0)
		return -EBADMSG;
	want = msg_size(hdr->type, &ok);
	if (!ok || hdr->len != want || n - sizeof(*hdr) != want ||
	    hdr->nfds != nfds)
		return -EBADMSG;
	return (int)want;
}

int
msg_recv(int sock, struct msg_hdr *hdr, void *buf, size_t size, int *fds)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * MSG_FDS_MAX)];
	} c;
	struct iovec iov[2] = {{hdr, sizeof(*hdr)}, {buf, size}};
	struct msghdr m = {
		.msg_iov = iov,
		.msg_iovlen = 2,
		.msg_control = c.buf,
		.msg_controllen = sizeof(c.buf),
	};
	ssize_t n;
	int nfds, r, i;

	memset(hdr, 0, sizeof(*hdr));
	do {
		n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;
	nfds = msg_take_fds(&m, fds);
	r = (m.msg_flags & MSG_TRUNC) ? -EBADMSG
				      : msg_parse(hdr, (size_t)n, nfds);
	for (i = 0; r < 0 && fds != NULL && i < nfds && i < MSG_FDS_MAX; i++)
		close(fds[i]);
	return r;
}

/* A string field: NUL-terminated within its size, printable. */
static bool
msg_text_ok(const char *s, size_t size)
{
	size_t i;

	for (i = 0; i < size && s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
			return false;
	return i > 0 && i < size;
}

/* RFC 6052 §2.2 */
static bool
msg_prefix_len_ok(unsigned len)
{
	return len == 32 || len == 40 || len == 48 || len == 56 || len == 64 ||
	       len == 96;
}

static int
msg_check_dp(const struct msg_dp *d, const char **why)
{
	struct xlat_portswap swap;

	*why = NULL;
	if (!msg_text_ok(d->clat_dev, sizeof(d->clat_dev)) ||
	    strpbrk(d->clat_dev, "/: ") != NULL)
		*why = "bad device name";
	else if (d->uplink == 0)
		*why = "no uplink";
	else if ((d->flags & ~MSG_DP_F_ALL) || d->pad[0] != 0 || d->pad[1] != 0)
		*why = "bad flags";
	else if (d->uplink_mtu < 68 || d->uplink_mtu > 65535)
		*why = "bad uplink MTU";
	else if (!msg_prefix_len_ok(d->prefix_len))
		*why = "bad prefix length";
	else if (d->swap_size != 0 &&
		 xlat_portswap_init(&swap, d->swap_first,
				    d->swap_first + d->swap_size - 1u) < 0)
		*why = "bad port swap";
	return *why != NULL ? -EBADMSG : 0;
}

int
msg_check_request(const struct msg_hdr *hdr, const void *payload,
		  const char **why)
{
	const struct msg_socket *s = payload;
	const struct msg_notify *n = payload;
	const struct msg_log *l = payload;
	int ok;

	*why = "bad header";
	if (hdr->type == 0 || hdr->type >= MSG_REPLY || hdr->nfds != 0 ||
	    hdr->len != msg_size(hdr->type, &ok) || !ok)
		return -EBADMSG;
	switch (hdr->type) {
	case MSG_DP_CREATE:
	case MSG_DP_UPDATE:
		return msg_check_dp(payload, why);
	case MSG_SOCKET:
		*why = "unknown socket kind";
		return s->kind == MSG_SOCK_ICMP6 ||
				       s->kind == MSG_SOCK_PACKET ||
				       s->kind == MSG_SOCK_UDP6
			       ? 0
			       : -EBADMSG;
	case MSG_NOTIFY:
		*why = "bad notify line";
		return msg_text_ok(n->text, sizeof(n->text)) ? 0 : -EBADMSG;
	case MSG_LOG:
		*why = "bad log level";
		return l->verbose >= -2 && l->verbose <= 2 ? 0 : -EBADMSG;
	default:
		return 0;
	}
}

void
msg_dp_make(uint32_t id, const struct dp_params *p, struct msg_dp *m)
{
	memset(m, 0, sizeof(*m));
	m->id = id;
	m->uplink = p->uplink;
	snprintf(m->clat_dev, sizeof(m->clat_dev), "%s", p->clat_dev);
	m->prefix = p->prefix.addr;
	m->prefix_len = p->prefix.len;
	m->flags = (p->policy ? MSG_DP_F_POLICY : 0) |
		   (p->anycast ? MSG_DP_F_ANYCAST : 0) |
		   (p->grace ? MSG_DP_F_GRACE : 0) |
		   (p->v6_route ? MSG_DP_F_V6_ROUTE : 0) |
		   (p->router ? MSG_DP_F_ROUTER : 0);
	m->v4 = p->v4;
	m->v6 = p->v6;
	m->uplink_mtu = p->uplink_mtu;
	m->metric = p->metric;
	m->swap_first = p->portswap.first;
	m->swap_size = p->portswap.size;
}

void
msg_dp_params(const struct msg_dp *m, const struct config *cfg,
	      const char *clat_dev, struct dp_params *p)
{
	memset(p, 0, sizeof(*p));
	p->cfg = cfg;
	p->clat_dev = clat_dev;
	p->uplink = m->uplink;
	p->uplink_mtu = m->uplink_mtu;
	p->metric = m->metric;
	p->policy = m->flags & MSG_DP_F_POLICY;
	p->anycast = m->flags & MSG_DP_F_ANYCAST;
	p->grace = m->flags & MSG_DP_F_GRACE;
	p->v6_route = m->flags & MSG_DP_F_V6_ROUTE;
	p->router = m->flags & MSG_DP_F_ROUTER;
	p->prefix.addr = m->prefix;
	p->prefix.len = m->prefix_len;
	p->v4 = m->v4;
	p->v6 = m->v6;
	p->portswap.first = m->swap_first;
	p->portswap.size = m->swap_size;
}

int
msg_socket_open(enum msg_socket_kind kind)
{
	int fd;

	switch (kind) {
	case MSG_SOCK_ICMP6:
		fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    IPPROTO_ICMPV6);
		break;
	case MSG_SOCK_UDP6:
		fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    IPPROTO_UDP);
		break;
	default:
		fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		break;
	}
	return fd < 0 ? -errno : fd;
}
