/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: a datagram from the engine, as the privileged parent
 * decodes it (src/daemon/msg.c): the first byte is how many descriptors
 * came with it (the low two bits), the rest is the datagram, header and
 * payload. What msg_parse() and msg_check_request() accept must be a
 * request the parent can act on without looking further: a request
 * type, no descriptors, the exact size, and for each field what the
 * parent relies on.
 */
#include <stdlib.h>
#include <string.h>

#include "daemon/msg.h"
#include "fuzz.h"

static union {
	struct msg_dp dp;
	struct msg_dp_id id;
	struct msg_socket sock;
	struct msg_notify notify;
	struct msg_log log;
	struct msg_reply reply;
	struct msg_config config;
} payload;

/* A NUL within the field, and nothing below a space before it. */
static void
check_text(const char *s, size_t size)
{
	const char *nul = memchr(s, '\0', size);
	const char *c;

	if (nul == NULL || nul == s)
		abort();
	for (c = s; c < nul; c++)
		if ((unsigned char)*c < 0x20)
			abort();
}

static void
check_request(const struct msg_hdr *hdr)
{
	switch (hdr->type) {
	case MSG_DP_CREATE:
	case MSG_DP_UPDATE:
		check_text(payload.dp.clat_dev, sizeof(payload.dp.clat_dev));
		if (strchr(payload.dp.clat_dev, '/') != NULL ||
		    payload.dp.uplink == 0 ||
		    (payload.dp.flags & ~MSG_DP_F_ALL) || payload.dp.pad[0] ||
		    payload.dp.pad[1] || payload.dp.uplink_mtu > 65535 ||
		    payload.dp.prefix_len % 8 != 0 ||
		    payload.dp.prefix_len < 32 || payload.dp.prefix_len > 96)
			abort();
		break;
	case MSG_SOCKET:
		if (payload.sock.kind != MSG_SOCK_ICMP6 &&
		    payload.sock.kind != MSG_SOCK_PACKET &&
		    payload.sock.kind != MSG_SOCK_UDP6)
			abort();
		break;
	case MSG_NOTIFY:
		check_text(payload.notify.text, sizeof(payload.notify.text));
		break;
	case MSG_LOG:
		if (payload.log.verbose < -2 || payload.log.verbose > 2)
			abort();
		break;
	case MSG_DP_DESTROY:
	case MSG_DP_COUNTERS:
	case MSG_RELOAD:
		break;
	default:
		abort(); /* not a request */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg_hdr hdr = {0};
	const char *why = NULL;
	size_t n, body;
	int nfds, len;

	if (size < 1)
		return 0;
	nfds = data[0] & 3;
	data++;
	n = size - 1;
	memcpy(&hdr, data, n < sizeof(hdr) ? n : sizeof(hdr));
	body = n > sizeof(hdr) ? n - sizeof(hdr) : 0;
	if (body > sizeof(payload))
		return 0;
	memset(&payload, 0, sizeof(payload));
	memcpy(&payload, data + (n - body), body);
	len = msg_parse(&hdr, n, nfds);
	if (len < 0)
		return 0;
	if ((size_t)len != body || hdr.len != body || hdr.nfds != nfds)
		abort();
	if (msg_check_request(&hdr, &payload, &why) < 0) {
		if (why == NULL || why[0] == '\0')
			abort(); /* a refusal says why */
		return 0;
	}
	if (hdr.nfds != 0 || hdr.type == 0 || hdr.type >= MSG_REPLY)
		abort();
	check_request(&hdr);
	return 0;
}
