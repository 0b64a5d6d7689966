/* SPDX-License-Identifier: BSD-2-Clause */
/* The engine's side of the requests to the parent. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "priv.h"

static int priv_fd = -1;
static unsigned priv_nfds; /* that came with the last answer */

/* What a request gets back. */
static union {
	struct msg_reply reply;
	struct msg_config config;
} priv_in;

void
priv_init(int req)
{
	priv_fd = req;
}

/* One request, one answer: MSG_REPLY, or MSG_CONFIG for MSG_RELOAD,
 * with nfds descriptors when it is no error. The parent gone or talking
 * nonsense leaves the engine nothing to do. Returns the answer's type. */
static unsigned
priv_call(unsigned type, const void *payload, size_t len, int *fds,
	  unsigned nfds)
{
	struct msg_hdr hdr;
	int r;

	if ((r = msg_send(priv_fd, type, payload, len, NULL, 0)) < 0) {
		errno = -r;
		fatal("parent: request %u", type);
	}
	r = msg_recv(priv_fd, &hdr, &priv_in, sizeof(priv_in), fds);
	if (r < 0) {
		errno = -r;
		fatal("parent: answer to %u", type);
	}
	if (hdr.type != MSG_REPLY &&
	    !(type == MSG_RELOAD && hdr.type == MSG_CONFIG))
		fatalx("parent: answer of type %u to %u", hdr.type, type);
	if (hdr.type == MSG_REPLY && priv_in.reply.err == 0 && hdr.nfds < nfds)
		fatalx("parent: %u descriptors for %u", hdr.nfds, type);
	priv_nfds = hdr.nfds;
	return hdr.type;
}

int
priv_socket(enum msg_socket_kind kind)
{
	struct msg_socket s = {kind};
	int fds[MSG_FDS_MAX];

	if (priv_fd < 0)
		return msg_socket_open(kind);
	priv_call(MSG_SOCKET, &s, sizeof(s), fds, 1);
	return priv_in.reply.err < 0 ? priv_in.reply.err : fds[0];
}

int
priv_dp_create(const struct msg_dp *d, struct msg_reply *r,
	       int fds[MSG_FDS_MAX])
{
	if (priv_fd < 0)
		return -ENOTCONN;
	priv_call(MSG_DP_CREATE, d, sizeof(*d), fds, 2);
	*r = priv_in.reply;
	if (r->err == 0 && priv_nfds != 2 + (r->has_pkt != 0))
		fatalx("parent: %u descriptors for a data path", priv_nfds);
	return r->err;
}

int
priv_dp_update(const struct msg_dp *d, struct msg_reply *r)
{
	if (priv_fd < 0)
		return -ENOTCONN;
	priv_call(MSG_DP_UPDATE, d, sizeof(*d), NULL, 0);
	*r = priv_in.reply;
	return r->err;
}

int
priv_dp_destroy(uint32_t id)
{
	struct msg_dp_id m = {id};

	if (priv_fd < 0)
		return -ENOTCONN;
	priv_call(MSG_DP_DESTROY, &m, sizeof(m), NULL, 0);
	return priv_in.reply.err;
}

int
priv_dp_counters(uint32_t id, uint64_t c[XLAT_MAPS_CNT_MAX],
		 uint64_t *lan_spoofed)
{
	struct msg_dp_id m = {id};

	if (priv_fd < 0)
		return -ENOTCONN;
	priv_call(MSG_DP_COUNTERS, &m, sizeof(m), NULL, 0);
	if (priv_in.reply.err < 0)
		return priv_in.reply.err;
	memcpy(c, priv_in.reply.counters, sizeof(priv_in.reply.counters));
	*lan_spoofed = priv_in.reply.lan_spoofed;
	return 0;
}

void
priv_notify(const char *fmt, ...)
{
	struct msg_notify n = {{0}};
	va_list ap;
	size_t i;

	if (priv_fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(n.text, sizeof(n.text), fmt, ap);
	va_end(ap);
	for (i = 0; n.text[i] != '\0'; i++)
		if ((unsigned char)n.text[i] < 0x20 || n.text[i] == 0x7f)
			n.text[i] = '\0';
	if (n.text[0] != '\0')
		priv_call(MSG_NOTIFY, &n, sizeof(n), NULL, 0);
}

void
priv_log_level(int verbose)
{
	struct msg_log l = {verbose < -2 ? -2 : verbose > 2 ? 2 : verbose};

	if (priv_fd >= 0)
		priv_call(MSG_LOG, &l, sizeof(l), NULL, 0);
}

int
priv_reload(struct config *out, char *why, size_t whylen)
{
	if (priv_fd < 0) {
		snprintf(why, whylen, "no parent");
		return -1;
	}
	if (priv_call(MSG_RELOAD, NULL, 0, NULL, 0) == MSG_CONFIG) {
		*out = priv_in.config.cfg;
		return 0;
	}
	snprintf(why, whylen, "%.*s", (int)sizeof(priv_in.reply.why) - 1,
		 priv_in.reply.why);
	return -1;
}
