/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz target: the DHCPv6 client (src/dhcp/dhcp6_client.c) and its codec
 * (src/dhcp/dhcp6_msg.c), driven by a list of records: an operation
 * byte, a byte of time to let pass (in seconds, or in 50 ms steps when
 * its top bit is set), a 2-byte big-endian length and that many bytes.
 * Operations (low 3 bits): 0 a message from a server, 1 the timer, 2
 * Decline, 3 Release, 4 start; with bit 3 set, the message's transaction
 * ID is replaced by the client's current one, so that the fuzzer can go
 * past it. The client's DUID is 00:04 followed by 16 bytes of 0x11, its
 * IAID 0xc1a7. Each message also goes through the socket's UDP check
 * (src/dhcp/dhcp6_sock.c) as if it were a datagram. Whatever comes, the
 * parser's output and the client's actions must be consistent.
 */
#include <stdlib.h>
#include <string.h>

#include "dhcp/dhcp6_client.h"
#include "dhcp/dhcp6_sock.h"
#include "fuzz.h"

#define IAID 0xc1a7
#define RECORD_HDR 4

static void
check_msg(const struct dhcp6_msg *m)
{
	unsigned i;

	if (m->n_addrs > DHCP6_ADDRS_MAX ||
	    (m->has_clientid &&
	     (m->clientid.len < 2 || m->clientid.len > DHCP6_DUID_MAX)) ||
	    (m->has_serverid &&
	     (m->serverid.len < 2 || m->serverid.len > DHCP6_DUID_MAX)))
		abort();
	if (m->has_ia && m->t2 > 0 && m->t1 > m->t2)
		abort(); /* RFC 8415 §21.4 */
	for (i = 0; i < m->n_addrs; i++)
		if (m->addrs[i].preferred > m->addrs[i].valid)
			abort(); /* §21.6 */
}

static void
check_actions(const struct dhcp6c *c, const struct dhcp6c_actions *a,
	      uint64_t now)
{
	struct dhcp6_msg sent;

	if (a->wake_ms < now || (unsigned)c->state > DHCP6C_STOPPED)
		abort();
	if (a->len > 0 && (a->len > sizeof(a->msg) ||
			   dhcp6_msg_parse(a->msg, a->len, IAID, &sent) != 0 ||
			   !sent.has_ia || sent.xid != c->x.xid))
		abort();
	if (a->bound && (!c->bound || a->valid == 0 || a->preferred > a->valid))
		abort();
	if (c->state == DHCP6C_STOPPED && a->wake_ms != DHCP6C_NEVER)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp6c_cfg cfg = {.iaid = IAID};
	struct dhcp6c_actions a;
	struct dhcp6_msg m;
	struct dhcp6c c;
	uint64_t now = 1000000, rnd = 1;
	size_t off = 0, len;
	uint8_t *msg;

	cfg.duid.b[1] = 4;
	memset(cfg.duid.b + 2, 0x11, 16);
	cfg.duid.len = 18;
	dhcp6c_init(&c, &cfg);
	while (size - off >= RECORD_HDR) {
		uint8_t op = data[off], dt = data[off + 1];

		len = (size_t)data[off + 2] << 8 | data[off + 3];
		off += RECORD_HDR;
		if (len > size - off)
			len = size - off;
		now += dt & 0x80 ? (dt & 0x7f) * 50ULL : dt * 1000ULL;
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		switch (op & 7) {
		case 0:
			if ((msg = malloc(len)) == NULL && len > 0)
				abort();
			if (len > 0)
				memcpy(msg, data + off, len);
			if ((op & 8) && len >= 4) {
				msg[1] = (uint8_t)(c.x.xid >> 16);
				msg[2] = (uint8_t)(c.x.xid >> 8);
				msg[3] = (uint8_t)c.x.xid;
			}
			if (dhcp6_msg_parse(msg, len, IAID, &m) == 0)
				check_msg(&m);
			if (dhcp6_sock_payload(msg, len) + 8 > len &&
			    dhcp6_sock_payload(msg, len) != 0)
				abort();
			dhcp6c_receive(&c, now, rnd, msg, len, &a);
			free(msg);
			break;
		case 1:
			dhcp6c_timer(&c, now, rnd, &a);
			break;
		case 2:
			dhcp6c_decline(&c, now, rnd, &a);
			break;
		case 3:
			dhcp6c_release(&c, now, rnd, &a);
			break;
		default:
			dhcp6c_start(&c, now, rnd, &a);
			break;
		}
		check_actions(&c, &a, now);
		off += len;
	}
	return 0;
}
