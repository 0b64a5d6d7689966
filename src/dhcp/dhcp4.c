/* SPDX-License-Identifier: BSD-2-Clause */
/* DHCPv4 messages classified for a passive observer (RFC 2131, RFC 2132,
 * RFC 3396, RFC 8925). */
#include <string.h>

#include "dhcp4.h"
#include "xlatd/xlat_csum.h"

#define IPV4_HDR_MIN 20
#define IPV4_PROTO_UDP 17
#define IPV4_FRAG_MASK 0x3fff /* MF and the fragment offset */
#define UDP_HDR_LEN 8

/* RFC 2131 §2, Figure 1: the fixed part, then the magic cookie. */
#define BOOTP_OP 0
#define BOOTP_HTYPE 1
#define BOOTP_HLEN 2
#define BOOTP_XID 4
#define BOOTP_YIADDR 16
#define BOOTP_CHADDR 28
#define BOOTP_SNAME 44
#define BOOTP_SNAME_LEN 64
#define BOOTP_FILE 108
#define BOOTP_FILE_LEN 128
#define BOOTP_COOKIE 236
#define BOOTP_OPTIONS 240
#define BOOTREQUEST 1
#define BOOTREPLY 2

/* RFC 2132 */
#define OPT_PAD 0
#define OPT_END 255
#define OPT_OVERLOAD 52 /* §9.3 */
#define OPT_MSG_TYPE 53 /* §9.6 */
#define OPT_PRL 55	/* §9.8 */
#define OVERLOAD_FILE 1
#define OVERLOAD_SNAME 2

enum dhcp4_msg {
	DHCPDISCOVER = 1,
	DHCPOFFER = 2,
	DHCPREQUEST = 3,
	DHCPACK = 5,
};

static const uint8_t dhcp4_cookie[4] = {99, 130, 83, 99}; /* RFC 2131 §3 */

/* The options this observer reads. RFC 3396: an option may come in
 * several pieces that are concatenated, so lengths are totals. */
struct dhcp4_opts {
	uint8_t msg_type;
	size_t msg_type_len;
	uint8_t v6only[4];
	size_t v6only_len;
	bool prl_v6only;
	uint8_t overload;
};

static uint32_t
dhcp4_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void
dhcp4_append(uint8_t *dst, size_t cap, size_t *total, const uint8_t *src,
	     size_t len)
{
	size_t i;

	for (i = 0; i < len; i++, (*total)++)
		if (*total < cap)
			dst[*total] = src[i];
}

static void
dhcp4_option(struct dhcp4_opts *o, uint8_t code, const uint8_t *val, size_t len,
	     bool main_area)
{
	size_t i;

	switch (code) {
	case OPT_MSG_TYPE:
		dhcp4_append(&o->msg_type, 1, &o->msg_type_len, val, len);
		break;
	case DHCP4_OPT_V6ONLY:
		dhcp4_append(o->v6only, sizeof(o->v6only), &o->v6only_len, val,
			     len);
		break;
	case OPT_PRL:
		for (i = 0; i < len; i++)
			if (val[i] == DHCP4_OPT_V6ONLY)
				o->prl_v6only = true;
		break;
	case OPT_OVERLOAD:
		/* RFC 2132 §9.3: only in the options field itself. */
		if (main_area && len == 1)
			o->overload = val[0];
		break;
	default:
		break;
	}
}

/* One area of options (the options field, or file or sname when
 * overloaded). False when an option runs past the area. */
static bool
dhcp4_walk(struct dhcp4_opts *o, const uint8_t *p, size_t len, bool main_area)
{
	size_t off = 0, olen;

	while (off < len) {
		if (p[off] == OPT_PAD) {
			off++;
			continue;
		}
		if (p[off] == OPT_END)
			return true;
		if (len - off < 2 || (olen = p[off + 1]) > len - off - 2)
			return false;
		dhcp4_option(o, p[off], p + off + 2, olen, main_area);
		off += 2 + olen;
	}
	return true; /* RFC 2131 §4.1 wants END; tolerate its absence */
}

/* RFC 791 §3.1, RFC 768: the UDP payload of an unfragmented datagram
 * between the DHCP ports; NULL otherwise. Ethernet padding after the IPv4
 * total length is left out. The UDP checksum is not checked: a copy of an
 * outgoing packet may carry one the NIC has yet to complete. */
static const uint8_t *
dhcp4_udp(const uint8_t *pkt, size_t len, size_t *plen, unsigned *sport,
	  unsigned *dport)
{
	size_t ihl, total, ulen;
	const uint8_t *udp;

	if (len < IPV4_HDR_MIN || pkt[0] >> 4 != 4)
		return NULL;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	total = (size_t)pkt[2] << 8 | pkt[3];
	if (ihl < IPV4_HDR_MIN || total < ihl + UDP_HDR_LEN || total > len ||
	    pkt[9] != IPV4_PROTO_UDP ||
	    ((pkt[6] << 8 | pkt[7]) & IPV4_FRAG_MASK) != 0 ||
	    xlat_csum_finish(xlat_csum_add(0, pkt, ihl)) != 0)
		return NULL;
	udp = pkt + ihl;
	ulen = (size_t)udp[4] << 8 | udp[5];
	if (ulen < UDP_HDR_LEN || ulen > total - ihl)
		return NULL;
	*sport = (unsigned)(udp[0] << 8 | udp[1]);
	*dport = (unsigned)(udp[2] << 8 | udp[3]);
	*plen = ulen - UDP_HDR_LEN;
	return udp + UDP_HDR_LEN;
}

static bool
dhcp4_for_host(const uint8_t *m, const struct dhcp4_host *host)
{
	if (host->len == 0)
		return true;
	return m[BOOTP_HLEN] == host->len && host->len <= DHCP4_HWADDR_MAX &&
	       memcmp(m + BOOTP_CHADDR, host->hwaddr, host->len) == 0;
}

/* The options, with RFC 2132 §9.3 overloading: the options field first,
 * then file, then sname. */
static bool
dhcp4_options(const uint8_t *m, size_t len, struct dhcp4_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (!dhcp4_walk(o, m + BOOTP_OPTIONS, len - BOOTP_OPTIONS, true))
		return false;
	if ((o->overload & OVERLOAD_FILE) &&
	    !dhcp4_walk(o, m + BOOTP_FILE, BOOTP_FILE_LEN, false))
		return false;
	if ((o->overload & OVERLOAD_SNAME) &&
	    !dhcp4_walk(o, m + BOOTP_SNAME, BOOTP_SNAME_LEN, false))
		return false;
	return o->msg_type_len == 1; /* RFC 2132 §9.6: length 1 */
}

static enum dhcp4_kind
dhcp4_kind_of(const uint8_t *m, const struct dhcp4_opts *o, unsigned sport,
	      unsigned dport)
{
	bool to_client = sport == DHCP4_SERVER_PORT &&
			 dport == DHCP4_CLIENT_PORT && m[BOOTP_OP] == BOOTREPLY;
	bool to_server = sport == DHCP4_CLIENT_PORT &&
			 dport == DHCP4_SERVER_PORT &&
			 m[BOOTP_OP] == BOOTREQUEST;

	if (to_server &&
	    (o->msg_type == DHCPDISCOVER || o->msg_type == DHCPREQUEST))
		return DHCP4_CLIENT;
	if (to_client && o->msg_type == DHCPOFFER)
		return DHCP4_OFFER;
	if (to_client && o->msg_type == DHCPACK)
		return DHCP4_ACK;
	return DHCP4_IGNORED;
}

/* RFC 8925 §3.1: "The client MUST ignore the IPv6-Only Preferred option
 * if the length field value is not 4." §3.2: a value below MIN_V6ONLY_WAIT
 * is taken as MIN_V6ONLY_WAIT. */
static void
dhcp4_v6only(struct dhcp4_seen *out, const struct dhcp4_opts *o)
{
	out->asks_v6only = out->kind == DHCP4_CLIENT && o->prl_v6only;
	if (out->kind == DHCP4_CLIENT || o->v6only_len != sizeof(o->v6only))
		return;
	out->v6only = true;
	out->v6only_wait = dhcp4_get32(o->v6only);
	if (out->v6only_wait < DHCP4_MIN_V6ONLY_WAIT)
		out->v6only_wait = DHCP4_MIN_V6ONLY_WAIT;
}

enum dhcp4_kind
dhcp4_classify(const uint8_t *pkt, size_t len, const struct dhcp4_host *host,
	       struct dhcp4_seen *out)
{
	unsigned sport = 0, dport = 0;
	struct dhcp4_opts o;
	const uint8_t *m;
	size_t mlen;

	memset(out, 0, sizeof(*out));
	if ((m = dhcp4_udp(pkt, len, &mlen, &sport, &dport)) == NULL ||
	    mlen < BOOTP_OPTIONS ||
	    memcmp(m + BOOTP_COOKIE, dhcp4_cookie, sizeof(dhcp4_cookie)) != 0 ||
	    !dhcp4_for_host(m, host) || !dhcp4_options(m, mlen, &o))
		return DHCP4_IGNORED;
	out->kind = dhcp4_kind_of(m, &o, sport, dport);
	if (out->kind == DHCP4_IGNORED)
		return DHCP4_IGNORED;
	out->xid = dhcp4_get32(m + BOOTP_XID);
	memcpy(&out->yiaddr, m + BOOTP_YIADDR, sizeof(out->yiaddr));
	dhcp4_v6only(out, &o);
	/* RFC 2131 §3.4: the ACK to a DHCPINFORM has no address in yiaddr;
	 * it leases nothing. */
	if (out->kind == DHCP4_ACK && out->yiaddr.s_addr == INADDR_ANY &&
	    !out->v6only) {
		memset(out, 0, sizeof(*out)); /* nothing half-filled */
		return DHCP4_IGNORED;
	}
	return out->kind;
}
