/* SPDX-License-Identifier: BSD-2-Clause */
/* The packets a translation emits, its scratch space and its counters. */
#include "core.h"

uint8_t *
out_scratch(struct xlat_ctx *ctx, size_t len)
{
	uint8_t *p;

	if (len > sizeof(ctx->scratch) - ctx->scratch_used)
		return NULL;
	p = ctx->scratch + ctx->scratch_used;
	ctx->scratch_used += len;
	return p;
}

bool
out_push(struct xlat_ctx *ctx, enum xlat_family family, const uint8_t *head,
	 size_t head_len, const uint8_t *body, size_t body_len)
{
	struct xlat_out *o;

	if (ctx->out_count == XLAT_OUT_MAX)
		return false;
	o = &ctx->out[ctx->out_count++];
	o->iov[0].iov_base = (void *)head;
	o->iov[0].iov_len = head_len;
	o->iov[1].iov_base = (void *)body;
	o->iov[1].iov_len = body_len;
	o->len = head_len + body_len;
	o->family = family;
	return true;
}

/* Count a drop. Errors generated for it stay in ctx->out. */
unsigned
out_drop(struct xlat_ctx *ctx, enum xlat_drop drop)
{
	ctx->drop = drop;
	ctx->stats.drops[drop]++;
	return ctx->out_count;
}

/* RFC 7915 §5.1 leaves the Identification generator to the translator;
 * RFC 6864 §4.1 asks only that IDs do not repeat quickly for one flow.
 * xorshift32 never yields 0 from a nonzero state. */
uint16_t
out_next_id(struct xlat_ctx *ctx)
{
	uint32_t x = ctx->id_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	ctx->id_state = x;
	return (uint16_t)(x ^ (x >> 16));
}
