/* SPDX-License-Identifier: BSD-2-Clause */
/* Harness for the translation-core tests (see run.h). */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "run.h"

/* Room behind the packet too: a hairpinned ICMP error joins its RFC 4884
 * tail to the packet there. */
#define RUN_TAILROOM 2048

static uint8_t buffer[XLAT_HEADROOM + PKT_MAX + RUN_TAILROOM];

unsigned
run_xlat(const struct xlat_cfg *cfg, struct xlat_ctx *ctx, const struct pkt *in)
{
	struct xlat_buf buf = {
		.data = buffer,
		.size = sizeof(buffer),
		.off = XLAT_HEADROOM,
		.len = in->len,
	};

	memset(buffer, 0xee, sizeof(buffer));
	memcpy(buffer + XLAT_HEADROOM, in->b, in->len);
	return xlat_translate(cfg, ctx, &buf);
}

void
run_out(const struct xlat_ctx *ctx, unsigned i, struct pkt *out)
{
	const struct xlat_out *o;

	assert_true(i < ctx->out_count);
	o = &ctx->out[i];
	assert_int_equal(o->len, o->iov[0].iov_len + o->iov[1].iov_len);
	assert_true(o->len <= PKT_MAX);
	memcpy(out->b, o->iov[0].iov_base, o->iov[0].iov_len);
	if (o->iov[1].iov_len > 0)
		memcpy(out->b + o->iov[0].iov_len, o->iov[1].iov_base,
		       o->iov[1].iov_len);
	out->len = o->len;
	out->family = out->b[0] >> 4;
	out->l4 = pkt_l4_offset(out->b, out->len, &out->proto);
	assert_int_equal(out->family, o->family);
}

void
run_reassemble6(const struct xlat_ctx *ctx, unsigned first, unsigned n,
		struct pkt *whole)
{
	static struct pkt f;
	size_t next = 0;
	uint32_t id = 0;
	unsigned i;

	for (i = first; i < first + n; i++) {
		uint16_t field;

		run_out(ctx, i, &f);
		assert_int_equal(f.family, 6);
		assert_int_equal(f.b[6], PKT_FRAGMENT);
		field = pkt_get16(f.b + 42);
		if (i == first) {
			id = pkt_get32(f.b + 44);
			memcpy(whole->b, f.b, 40);
			whole->b[6] = f.b[40];
		}
		assert_int_equal(pkt_get32(f.b + 44), id);
		assert_int_equal(field & 0xfff8, next);
		assert_int_equal(field & 1, i + 1 < first + n ? 1 : 0);
		memcpy(whole->b + 40 + next, f.b + 48, f.len - 48);
		next += f.len - 48;
	}
	whole->len = 40 + next;
	whole->family = 6;
	pkt_put16(whole->b + 4, (uint16_t)next);
	whole->l4 = pkt_l4_offset(whole->b, whole->len, &whole->proto);
}

void
run_reassemble4(const struct xlat_ctx *ctx, unsigned first, unsigned n,
		struct pkt *whole)
{
	static struct pkt f;
	size_t next = 0;
	uint16_t id = 0;
	unsigned i;

	for (i = first; i < first + n; i++) {
		uint16_t field;

		run_out(ctx, i, &f);
		assert_int_equal(f.family, 4);
		assert_int_equal(f.b[0], 0x45);
		assert_int_equal(pkt_ipv4_header_sum(f.b), 0xffff);
		field = pkt_get16(f.b + 6);
		if (i == first) {
			id = pkt_get16(f.b + 4);
			memcpy(whole->b, f.b, 20);
		}
		assert_int_equal(pkt_get16(f.b + 4), id);
		assert_int_equal((size_t)(field & 0x1fff) * 8, next);
		assert_int_equal(!!(field & PKT_MF), i + 1 < first + n);
		memcpy(whole->b + 20 + next, f.b + 20, f.len - 20);
		next += f.len - 20;
	}
	whole->len = 20 + next;
	whole->family = 4;
	pkt_put16(whole->b + 2, (uint16_t)whole->len);
	pkt_put16(whole->b + 6, 0);
	pkt_put16(whole->b + 10, 0);
	pkt_put16(whole->b + 10, (uint16_t)~pkt_ipv4_header_sum(whole->b));
	whole->l4 = pkt_l4_offset(whole->b, whole->len, &whole->proto);
}

void
run_cfg(struct xlat_cfg *cfg, const char *pool6)
{
	struct xlat_prefix6 clat6 = pkt_prefix6("2001:db8:aaaa::2/128");
	struct xlat_prefix4 clat4 = pkt_prefix4("192.0.0.2/32");

	xlat_cfg_init(cfg);
	if (pool6[0] != '\0') {
		cfg->has_pool6 = true;
		cfg->pool6 = pkt_prefix6(pool6);
	}
	assert_true(xlat_eam_add(cfg, &clat6, &clat4));
	cfg->has_own4 = true;
	pkt_addr4("192.0.0.1", (uint8_t *)&cfg->own4);
	cfg->has_own6 = true;
	pkt_addr6("2001:db8:aaaa::1", cfg->own6.s6_addr);
}

void
run_assert_addr4(const void *got, const char *want)
{
	char s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, got, s, sizeof(s));
	assert_string_equal(s, want);
}

void
run_assert_addr6(const void *got, const char *want)
{
	char s[INET6_ADDRSTRLEN], w[INET6_ADDRSTRLEN];
	uint8_t a[16];

	/* the canonical text of want, so that any spelling compares */
	pkt_addr6(want, a);
	inet_ntop(AF_INET6, a, w, sizeof(w));
	inet_ntop(AF_INET6, got, s, sizeof(s));
	assert_string_equal(s, w);
}
