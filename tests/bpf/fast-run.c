/* SPDX-License-Identifier: BSD-2-Clause */
/* A packet through a fast-path program and through the core (fast-run.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/pkt_cls.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fast-run.h"
#include "fast-vectors.h"
#include "pkt-build.h"

#define ETH_HLEN 14
#define FRAME_MAX 4096

struct fast_tally fast_tally;
uint8_t *fast_core_out;
static struct xlat_ctx *ctx;
static uint8_t *buf; /* XLAT_HEADROOM + XLAT_MAX_PACKET */

int
fast_run_init(void)
{
	if (geteuid() != 0) {
		printf("SKIP: BPF_PROG_TEST_RUN needs root\n");
		return FAST_EXIT_SKIP;
	}
	ctx = malloc(sizeof(*ctx));
	buf = malloc(XLAT_HEADROOM + XLAT_MAX_PACKET);
	fast_core_out = malloc(2 * XLAT_MAX_PACKET);
	if (ctx == NULL || buf == NULL || fast_core_out == NULL)
		return 1;
	xlat_ctx_init(ctx, 1);
	return 0;
}

int
fast_run_finish(const char *root, vectors_fn fn, void *arg)
{
	unsigned bad = 0;
	int n = vectors_each(root, fn, arg, &bad);

	fast_tally.fail += bad;
	printf("%u fast, %u slow, %u skipped, %u failed\n", fast_tally.fast,
	       fast_tally.slow, fast_tally.skip, fast_tally.fail);
	if (fast_tally.fail != 0)
		return 1;
	if (n < 0) {
		printf("SKIP: conformance vectors not found at %s (only our "
		       "own packets ran)\n",
		       root);
		return FAST_EXIT_SKIP;
	}
	return 0;
}

/* Counter idx of p, summed over the CPUs. */
static uint64_t
counter(const struct fast_prog *p, unsigned idx)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t v[1024], sum = 0;
	__u32 key = idx;
	int i;

	if (ncpu <= 0 || ncpu > 1024 ||
	    bpf_map_lookup_elem(p->counters_fd, &key, v) < 0)
		return 0;
	for (i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

/* The core's translation of in: the number of packets, the first one
 * joined into fast_core_out. */
unsigned
fast_core(const struct xlat_cfg *x, const uint8_t *in, size_t len,
	  size_t *out_len)
{
	struct xlat_buf b = {buf, XLAT_HEADROOM + XLAT_MAX_PACKET,
			     XLAT_HEADROOM, len};
	const struct xlat_out *o;
	unsigned n;

	memcpy(buf + XLAT_HEADROOM, in, len);
	n = xlat_translate(x, ctx, &b);
	if (n == 0)
		return 0;
	o = &ctx->out[0];
	memcpy(fast_core_out, o->iov[0].iov_base, o->iov[0].iov_len);
	if (o->iov[1].iov_len > 0)
		memcpy(fast_core_out + o->iov[0].iov_len, o->iov[1].iov_base,
		       o->iov[1].iov_len);
	*out_len = o->len;
	return n;
}

void
fast_report(const char *name, const char *what, const char *fmt, ...)
{
	va_list ap;

	printf("%-5s %-40s ", what, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static uint16_t
ipv4_header_sum(const uint8_t *h)
{
	return pkt_sum(0, h, 20);
}

/* The fast path's bytes against the core's; IPv4 Identification and
 * header checksum aside when the core made up the Identification. */
static const char *
compare(const uint8_t *in, const uint8_t *got, size_t glen, size_t clen)
{
	static char why[128];
	bool made_id;
	size_t i;

	if (glen != clen) {
		snprintf(why, sizeof(why), "%zu bytes, the core %zu", glen,
			 clen);
		return why;
	}
	made_id = got[0] >> 4 == 4 && in[6] != PKT_FRAGMENT &&
		  pkt_get16(fast_core_out + 6) == 0;
	if (made_id && ipv4_header_sum(got) != 0xffff)
		return "bad IPv4 header checksum";
	for (i = 0; i < glen; i++) {
		if (made_id && (i == 4 || i == 5 || i == 10 || i == 11))
			continue;
		if (got[i] != fast_core_out[i]) {
			snprintf(why, sizeof(why),
				 "byte %zu is %#04x, the core's %#04x", i,
				 got[i], fast_core_out[i]);
			return why;
		}
	}
	return NULL;
}

/* The IPv4 packet ip as forwarding leaves it (RFC 1812 §5.3.1), in
 * place: the TTL one lower, the header checksum made again. */
static void
forward4(uint8_t *ip, size_t len)
{
	if (len < 20 || ip[0] >> 4 != 4 || ip[8] == 0)
		return;
	ip[8]--;
	pkt_put16(ip + 10, 0);
	pkt_put16(ip + 10, (uint16_t)~pkt_sum(0, ip, (ip[0] & 0xf) * 4u));
}

/* The UDP packet ip as p's SNAT leaves it, in place: the source
 * address and port, the UDP checksum made again (RFC 768). */
static void
snat4(const struct fast_prog *p, uint8_t *ip, size_t len)
{
	size_t l4 = (ip[0] & 0xfu) * 4u;
	uint16_t sum;

	if (ip[9] != 17 || l4 + 8 > len)
		return;
	memcpy(ip + 12, p->snat_addr, 4);
	pkt_put16(ip + l4, p->snat_port);
	pkt_put16(ip + l4 + 6, 0);
	sum = (uint16_t)~pkt_l4_sum(ip, len);
	pkt_put16(ip + l4 + 6, sum == 0 ? 0xffff : sum);
}

/* in as forwarding (and p's SNAT) leaves it, in a copy. */
static const uint8_t *
forwarded4(const struct fast_prog *p, const uint8_t *in, size_t len)
{
	static uint8_t fwd[FRAME_MAX];

	if (len > sizeof(fwd))
		return in;
	memcpy(fwd, in, len);
	if (p->snat_port != 0)
		snat4(p, fwd, len);
	forward4(fwd, len);
	return fwd;
}

int
fast_check(const struct fast_prog *p, const char *name,
	   const struct xlat_cfg *x, const uint8_t *in, size_t len)
{
	static uint8_t frame[FRAME_MAX], out[FRAME_MAX];
	int v6 = in[0] >> 4 == 6;
	unsigned fast_cnt = v6 ? p->cnt_fast6 : p->cnt_fast4;
	DECLARE_LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
			    .data_size_in = ETH_HLEN + len, .data_out = out,
			    .data_size_out = sizeof(out), .repeat = 1);
	struct __sk_buff skb = {.ingress_ifindex = p->ingress_ifindex};
	uint64_t before = counter(p, fast_cnt), err = counter(p, p->cnt_error);
	size_t clen = 0;
	const char *why;
	unsigned n;

	if (ETH_HLEN + len > sizeof(frame)) {
		fast_report(name, "skip", "%zu bytes: too big for a test run",
			    len);
		fast_tally.skip++;
		return 0;
	}
	memset(frame, 0, ETH_HLEN); /* to MAC 0: PACKET_HOST in a test run */
	frame[6] = 0x02;
	pkt_put16(frame + 12, v6 ? 0x86dd : 0x0800);
	memcpy(frame + ETH_HLEN, in, len);
	if (p->ingress_ifindex != 0) {
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	}
	if (bpf_prog_test_run_opts(v6 ? p->fd6 : p->fd4, &o) < 0) {
		fast_report(name, "skip", "the kernel refused the frame: %s",
			    strerror(errno));
		fast_tally.skip++;
		return 0;
	}
	n = fast_core(x, p->forwards && !v6 ? forwarded4(p, in, len) : in, len,
		      &clen);
	if (p->forwards && v6 && n == 1)
		forward4(fast_core_out, clen);
	if (counter(p, p->cnt_error) != err) {
		fast_report(name, "FAIL",
			    "dropped by the fast path: helper error");
		fast_tally.fail++;
		return -1;
	}
	if (counter(p, fast_cnt) == before) {
		if (o.retval != (unsigned)(v6 ? p->declined6 : p->declined4) ||
		    o.data_size_out != ETH_HLEN + len ||
		    memcmp(out, frame, ETH_HLEN + len) != 0) {
			fast_report(name, "FAIL",
				    "declined, but not untouched");
			fast_tally.fail++;
			return -1;
		}
		fast_report(name, "slow", "core: %u packet(s)%s%s", n,
			    n ? "" : ", drop ",
			    n ? "" : xlat_drop_name(ctx->drop));
		fast_tally.slow++;
		return 0;
	}
	if (n != 1 ||
	    ctx->out[0].family != (v6 ? XLAT_FAMILY_V4 : XLAT_FAMILY_V6)) {
		fast_report(name, "FAIL",
			    "translated, the core: %u packet(s) %s", n,
			    n ? "" : xlat_drop_name(ctx->drop));
		fast_tally.fail++;
		return -1;
	}
	if (o.retval != TC_ACT_REDIRECT || o.data_size_out < ETH_HLEN ||
	    pkt_get16(out + 12) != (v6 ? 0x0800 : 0x86dd)) {
		fast_report(name, "FAIL", "verdict %u, EtherType %#06x",
			    o.retval, pkt_get16(out + 12));
		fast_tally.fail++;
		return -1;
	}
	if ((why = compare(in, out + ETH_HLEN, o.data_size_out - ETH_HLEN,
			   clen)) != NULL) {
		fast_report(name, "FAIL", "%s", why);
		fast_tally.fail++;
		return -1;
	}
	fast_report(name, "fast", "%zu bytes, as the core", clen);
	fast_tally.fast++;
	return 1;
}

void
fast_expect(const struct fast_prog *p, const char *name,
	    const struct xlat_cfg *x, const uint8_t *in, size_t len,
	    enum fast_expect e)
{
	int r = fast_check(p, name, x, in, len);

	if (r < 0 || e == FAST_ANY || (r == 1) == (e == FAST_YES))
		return;
	fast_report(name, "FAIL", "expected the %s path",
		    e == FAST_YES ? "fast" : "slow");
	fast_tally.fail++;
}
