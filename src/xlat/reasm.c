/* SPDX-License-Identifier: BSD-2-Clause */
/* Reassembly of ICMP fragments before translation (see xlat_reasm.h):
 * RFC 791 §3.2 and RFC 8200 §4.5, with overlaps refused (RFC 5722). An
 * IPv6 datagram keeps its Fragment header, offset 0 and M 0: the core
 * translates such an atomic fragment by RFC 7915 §5.1.1, with DF 0 and
 * the sender's Identification. */
#include "core.h"
#include "xlatd/xlat_reasm.h"

/* Payload bytes start this far into a slot's data, leaving room for the
 * headers in front of them and the translator's headroom. */
#define PAYLOAD_OFF (XLAT_HEADROOM + XLAT_REASM_HDR_ROOM)

/* max_payload() allows up to 65535 bytes of data behind PAYLOAD_OFF. */
_Static_assert(sizeof(((struct xlat_reasm_slot *)0)->data) >=
		       PAYLOAD_OFF + 65535,
	       "reassembly slot too small");

/* One fragment, parsed. */
struct frag {
	uint8_t version, proto;
	uint32_t id;
	const uint8_t *src, *dst;
	const uint8_t *hdr;
	size_t hdr_len; /* headers in front of the data: IPv4 header, or
			 * IPv6 headers up to the Fragment header's end */
	const uint8_t *payload;
	size_t payload_len;
	size_t offset;
	bool more;
};

void
xlat_reasm_init(struct xlat_reasm *r)
{
	unsigned i;

	r->completed = r->timed_out = r->dropped = 0;
	for (i = 0; i < XLAT_REASM_SLOTS; i++)
		r->slot[i].used = false;
}

static bool
parse(const uint8_t *pkt, size_t len, struct frag *f)
{
	struct ipv4_view v4;
	struct ipv6_view v6;

	if (len > 0 && pkt[0] >> 4 == 4) {
		if (ipv4_parse((uint8_t *)pkt, len, true, &v4) !=
			    XLAT_DROP_NONE ||
		    v4.tot_len > len || !ipv4_is_fragment(&v4))
			return false;
		f->version = 4;
		f->proto = v4.proto;
		f->id = v4.id;
		f->src = pkt + 12;
		f->dst = pkt + 16;
		f->hdr_len = v4.ihl;
		f->offset = v4.frag_off;
		f->more = v4.mf;
		f->payload_len = v4.tot_len - v4.ihl;
	} else {
		if (ipv6_parse((uint8_t *)pkt, len, false, &v6) !=
			    XLAT_DROP_NONE ||
		    !ipv6_is_fragment(&v6))
			return false;
		f->version = 6;
		f->proto = v6.hdr[v6.frag_hdr_off];
		f->id = v6.frag_id;
		f->src = pkt + 8;
		f->dst = pkt + 24;
		f->hdr_len = v6.frag_hdr_off + FRAG_HDR_LEN;
		f->offset = v6.frag_off;
		f->more = v6.mf;
		f->payload_len = v6.tot_len - f->hdr_len;
		if (f->hdr_len > XLAT_REASM_HDR_ROOM)
			return false;
	}
	f->hdr = pkt;
	f->payload = pkt + f->hdr_len;
	return true;
}

bool
xlat_reasm_wanted(const uint8_t *pkt, size_t len)
{
	struct frag f;

	if (!parse(pkt, len, &f))
		return false;
	return f.proto == (f.version == 4 ? PROTO_ICMP : PROTO_ICMPV6);
}

static bool
same(const struct xlat_reasm_slot *s, const struct frag *f)
{
	size_t alen = f->version == 4 ? 4 : 16;

	return s->used && s->version == f->version && s->proto == f->proto &&
	       s->id == f->id && memcmp(s->src, f->src, alen) == 0 &&
	       memcmp(s->dst, f->dst, alen) == 0;
}

static struct xlat_reasm_slot *
find_slot(struct xlat_reasm *r, const struct frag *f, uint64_t now)
{
	struct xlat_reasm_slot *free_slot = NULL, *oldest = NULL, *s;
	unsigned i;

	for (i = 0; i < XLAT_REASM_SLOTS; i++) {
		s = &r->slot[i];
		if (s->used && now - s->started_ms > XLAT_REASM_TIMEOUT_MS) {
			s->used = false;
			r->timed_out++;
		}
		if (same(s, f))
			return s;
		if (!s->used && free_slot == NULL)
			free_slot = s;
		if (s->used &&
		    (oldest == NULL || s->started_ms < oldest->started_ms))
			oldest = s;
	}
	if (free_slot == NULL) {
		free_slot = oldest;
		r->dropped++;
	}
	s = free_slot;
	memset(s, 0, offsetof(struct xlat_reasm_slot, data));
	s->used = true;
	s->version = f->version;
	s->proto = f->proto;
	s->id = f->id;
	memcpy(s->src, f->src, f->version == 4 ? 4 : 16);
	memcpy(s->dst, f->dst, f->version == 4 ? 4 : 16);
	s->started_ms = now;
	return s;
}

static bool
bit(const uint8_t *map, size_t unit)
{
	return map[unit / 8] & (1u << (unit % 8));
}

/* Mark the fragment's 8-byte units; false if any was there already. */
static bool
mark(struct xlat_reasm_slot *s, size_t offset, size_t len)
{
	size_t u, first = offset / 8, last = (offset + len + 7) / 8;

	for (u = first; u < last; u++)
		if (bit(s->have, u))
			return false;
	for (u = first; u < last; u++)
		s->have[u / 8] |= (uint8_t)(1u << (u % 8));
	return true;
}

static size_t
max_payload(uint8_t version, size_t hdr_len)
{
	return version == 4 ? 65535 - hdr_len
			    : 65535 - (hdr_len - IPV6_HDR_LEN);
}

/* The whole datagram: headers of the first fragment, then the data. The
 * IPv6 Fragment header stays, as an atomic fragment (RFC 7915 §5.1.1). */
static void
finish(struct xlat_reasm_slot *s, struct xlat_buf *out)
{
	uint8_t *hdr = s->data + PAYLOAD_OFF - s->unfrag_len;

	if (s->version == 4) {
		put16(hdr + 2, (uint16_t)(s->unfrag_len + s->total));
		put16(hdr + 6, get16(hdr + 6) & IPV4_DF);
		put16(hdr + 10, 0);
		put16(hdr + 10, csum_ipv4_header(hdr, s->unfrag_len));
	} else {
		put16(hdr + 4,
		      (uint16_t)(s->unfrag_len - IPV6_HDR_LEN + s->total));
		put16(hdr + s->unfrag_len - FRAG_HDR_LEN + 2, 0);
	}
	out->data = s->data;
	out->size = sizeof(s->data);
	out->off = (size_t)(hdr - s->data);
	out->len = s->unfrag_len + s->total;
	s->used = false;
}

bool
xlat_reasm_add(struct xlat_reasm *r, const uint8_t *pkt, size_t len,
	       uint64_t now_ms, struct xlat_buf *out)
{
	struct xlat_reasm_slot *s;
	struct frag f;

	if (!parse(pkt, len, &f))
		return false;
	s = find_slot(r, &f, now_ms);
	/* RFC 791 §3.2, RFC 8200 §4.5: all but the last carry a multiple of
	 * 8 bytes; the datagram must fit its length field. */
	if ((f.more && f.payload_len % 8 != 0) ||
	    f.offset + f.payload_len > max_payload(f.version, f.hdr_len) ||
	    (s->total != 0 && f.offset + f.payload_len > s->total) ||
	    (!f.more && s->total != 0 &&
	     f.offset + f.payload_len != s->total) ||
	    !mark(s, f.offset, f.payload_len))
		goto drop;
	if (!f.more) {
		s->total = f.offset + f.payload_len;
		if (s->received > s->total)
			goto drop;
	}
	memcpy(s->data + PAYLOAD_OFF + f.offset, f.payload, f.payload_len);
	s->received += f.payload_len;
	if (f.offset == 0) {
		memcpy(s->data + PAYLOAD_OFF - f.hdr_len, f.hdr, f.hdr_len);
		s->unfrag_len = f.hdr_len;
	}
	if (s->total == 0 || s->received != s->total || s->unfrag_len == 0)
		return false;
	r->completed++;
	finish(s, out);
	return true;
drop:
	s->used = false;
	r->dropped++;
	return false;
}
