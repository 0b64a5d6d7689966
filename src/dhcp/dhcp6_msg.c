/* SPDX-License-Identifier: BSD-2-Clause */
/* DHCPv6 messages for one IA_NA (RFC 8415 §8, §21). */
#include <string.h>

#include "dhcp6_msg.h"

/* RFC 8415 §21 */
#define OPT_CLIENTID 1
#define OPT_SERVERID 2
#define OPT_IA_NA 3
#define OPT_IAADDR 5
#define OPT_ORO 6
#define OPT_PREFERENCE 7
#define OPT_ELAPSED_TIME 8
#define OPT_STATUS_CODE 13
#define OPT_SOL_MAX_RT 82

#define MSG_HDR 4	 /* msg-type, transaction-id (§8) */
#define OPT_HDR 4	 /* option-code, option-len (§21.1) */
#define IA_NA_FIXED 12	 /* IAID, T1, T2 (§21.4) */
#define IAADDR_FIXED 24	 /* address, preferred, valid (§21.6) */
#define DUID_TYPE_UUID 4 /* RFC 6355 */

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Walks the options in p[0..len): calls fn for each; false when one runs
 * past the end or fn says it is malformed. */
typedef bool (*dhcp6_opt_fn)(uint16_t code, const uint8_t *val, size_t len,
			     void *arg);

static bool
dhcp6_walk(const uint8_t *p, size_t len, dhcp6_opt_fn fn, void *arg)
{
	size_t off = 0, olen;

	while (off < len) {
		if (len - off < OPT_HDR ||
		    (olen = get16(p + off + 2)) > len - off - OPT_HDR)
			return false;
		if (!fn(get16(p + off), p + off + OPT_HDR, olen, arg))
			return false;
		off += OPT_HDR + olen;
	}
	return true;
}

/* §21.13: a 2-byte code and a UTF-8 message, which is not kept. */
static bool
dhcp6_status_of(const uint8_t *val, size_t len, bool *has, uint16_t *status)
{
	if (len < 2)
		return false;
	if (!*has) {
		*has = true;
		*status = get16(val);
	}
	return true;
}

static bool
dhcp6_iaaddr_opt(uint16_t code, const uint8_t *val, size_t len, void *arg)
{
	struct dhcp6_iaaddr *a = arg;

	if (code == OPT_STATUS_CODE)
		return dhcp6_status_of(val, len, &a->has_status, &a->status);
	return true;
}

static bool
dhcp6_ia_opt(uint16_t code, const uint8_t *val, size_t len, void *arg)
{
	struct dhcp6_msg *m = arg;
	struct dhcp6_iaaddr a;

	if (code == OPT_STATUS_CODE)
		return dhcp6_status_of(val, len, &m->ia_has_status,
				       &m->ia_status);
	if (code != OPT_IAADDR)
		return true;
	if (len < IAADDR_FIXED)
		return false;
	memset(&a, 0, sizeof(a));
	memcpy(&a.addr, val, sizeof(a.addr));
	a.preferred = get32(val + 16);
	a.valid = get32(val + 20);
	if (!dhcp6_walk(val + IAADDR_FIXED, len - IAADDR_FIXED,
			dhcp6_iaaddr_opt, &a))
		return false;
	/* §21.6: "The client MUST discard any addresses for which the
	 * preferred lifetime is greater than the valid lifetime." */
	if (a.preferred > a.valid || m->n_addrs >= DHCP6_ADDRS_MAX)
		return true;
	m->addrs[m->n_addrs++] = a;
	return true;
}

struct dhcp6_parse {
	struct dhcp6_msg *m;
	uint32_t iaid;
};

static bool
dhcp6_duid_of(const uint8_t *val, size_t len, bool *has, struct dhcp6_duid *d)
{
	/* §11.1: at least the 2-byte type, at most 128 bytes after it */
	if (len < 2 || len > DHCP6_DUID_MAX)
		return false;
	if (!*has) {
		*has = true;
		memcpy(d->b, val, len);
		d->len = len;
	}
	return true;
}

static bool
dhcp6_ia_na(struct dhcp6_msg *m, uint32_t iaid, const uint8_t *val, size_t len)
{
	struct dhcp6_msg ia;

	if (len < IA_NA_FIXED)
		return false;
	if (get32(val) != iaid || m->has_ia)
		return true;
	memset(&ia, 0, sizeof(ia));
	ia.t1 = get32(val + 4);
	ia.t2 = get32(val + 8);
	if (!dhcp6_walk(val + IA_NA_FIXED, len - IA_NA_FIXED, dhcp6_ia_opt,
			&ia))
		return false;
	/* §21.4: "If a client receives an IA_NA with T1 greater than T2
	 * and both T1 and T2 are greater than 0, the client discards the
	 * IA_NA option and processes the remainder of the message as
	 * though the server had not included the invalid IA_NA option." */
	if (ia.t1 > ia.t2 && ia.t2 > 0)
		return true;
	m->has_ia = true;
	m->t1 = ia.t1;
	m->t2 = ia.t2;
	m->ia_has_status = ia.ia_has_status;
	m->ia_status = ia.ia_status;
	memcpy(m->addrs, ia.addrs, sizeof(m->addrs));
	m->n_addrs = ia.n_addrs;
	return true;
}

static bool
dhcp6_top_opt(uint16_t code, const uint8_t *val, size_t len, void *arg)
{
	struct dhcp6_parse *p = arg;
	struct dhcp6_msg *m = p->m;

	switch (code) {
	case OPT_CLIENTID:
		return dhcp6_duid_of(val, len, &m->has_clientid, &m->clientid);
	case OPT_SERVERID:
		return dhcp6_duid_of(val, len, &m->has_serverid, &m->serverid);
	case OPT_STATUS_CODE:
		return dhcp6_status_of(val, len, &m->has_status, &m->status);
	case OPT_PREFERENCE: /* §21.8 */
		if (len != 1)
			return false;
		if (!m->has_preference)
			m->preference = val[0];
		m->has_preference = true;
		return true;
	case OPT_SOL_MAX_RT: /* §21.24 */
		if (len != 4)
			return false;
		if (!m->has_sol_max_rt)
			m->sol_max_rt = get32(val);
		m->has_sol_max_rt = true;
		return true;
	case OPT_IA_NA:
		return dhcp6_ia_na(m, p->iaid, val, len);
	default:
		return true;
	}
}

int
dhcp6_msg_parse(const uint8_t *buf, size_t len, uint32_t iaid,
		struct dhcp6_msg *out)
{
	struct dhcp6_parse p = {out, iaid};

	memset(out, 0, sizeof(*out));
	if (len < MSG_HDR)
		return -1;
	out->type = buf[0];
	out->xid = (uint32_t)buf[1] << 16 | (uint32_t)buf[2] << 8 | buf[3];
	if (!dhcp6_walk(buf + MSG_HDR, len - MSG_HDR, dhcp6_top_opt, &p)) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

/* Building: a cursor that stops writing when the buffer is full. */
struct dhcp6_buf {
	uint8_t *p;
	size_t cap, len;
	bool full;
};

static void
put(struct dhcp6_buf *b, const void *data, size_t len)
{
	if (b->full || len > b->cap - b->len) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

static void
put16(struct dhcp6_buf *b, unsigned v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	put(b, x, sizeof(x));
}

static void
put32(struct dhcp6_buf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16),
			(uint8_t)(v >> 8), (uint8_t)v};

	put(b, x, sizeof(x));
}

static void
put_opt(struct dhcp6_buf *b, uint16_t code, const void *val, size_t len)
{
	put16(b, code);
	put16(b, (unsigned)len);
	put(b, val, len);
}

static void
put_ia_na(struct dhcp6_buf *b, const struct dhcp6_out *m)
{
	unsigned i;

	put16(b, OPT_IA_NA);
	put16(b, IA_NA_FIXED + m->n_addrs * (OPT_HDR + IAADDR_FIXED));
	put32(b, m->iaid);
	put32(b, 0); /* T1, T2: §21.4, the client sets them to 0 */
	put32(b, 0);
	for (i = 0; i < m->n_addrs; i++) {
		put16(b, OPT_IAADDR);
		put16(b, IAADDR_FIXED);
		put(b, &m->addrs[i], sizeof(m->addrs[i]));
		put32(b, 0);
		put32(b, 0);
	}
}

size_t
dhcp6_msg_build(const struct dhcp6_out *m, uint8_t *buf, size_t cap)
{
	struct dhcp6_buf b = {buf, cap, 0, false};
	uint8_t hdr[MSG_HDR] = {m->type, (uint8_t)(m->xid >> 16),
				(uint8_t)(m->xid >> 8), (uint8_t)m->xid};
	uint8_t elapsed[2] = {(uint8_t)(m->elapsed >> 8), (uint8_t)m->elapsed};
	uint8_t oro[2] = {0, OPT_SOL_MAX_RT};

	put(&b, hdr, sizeof(hdr));
	put_opt(&b, OPT_CLIENTID, m->clientid->b, m->clientid->len);
	if (m->serverid != NULL)
		put_opt(&b, OPT_SERVERID, m->serverid->b, m->serverid->len);
	put_opt(&b, OPT_ELAPSED_TIME, elapsed, sizeof(elapsed));
	put_ia_na(&b, m);
	if (m->oro)
		put_opt(&b, OPT_ORO, oro, sizeof(oro));
	return b.full ? 0 : b.len;
}

void
dhcp6_duid_uuid(const uint8_t bytes[16], struct dhcp6_duid *out)
{
	out->b[0] = 0;
	out->b[1] = DUID_TYPE_UUID;
	memcpy(out->b + 2, bytes, 16);
	out->b[2 + 6] = (uint8_t)((out->b[2 + 6] & 0x0f) | 0x80); /* v8 */
	out->b[2 + 8] = (uint8_t)((out->b[2 + 8] & 0x3f) | 0x80); /* variant */
	out->len = 18;
}
