/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One case: configure, translate the input, compare every output packet
 * with its expected file.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <xlatd/xlat.h>

#include "conformance.h"

#define CASE_SEED 0x5eed

struct case_pkts {
	struct pkt in;
	struct pkt want[CASE_EXPECT_MAX];
};

void
case_report(struct runner *r, const char *name, const char *why)
{
	if (why == NULL || why[0] == '\0') {
		printf("PASS %s\n", name);
		r->pass++;
	} else {
		printf("FAIL %s: %s\n", name, why);
		r->fail++;
	}
}

static int
case_path(const struct runner *r, const struct vcase *c, const char *file,
	  struct pkt *p, char *why, size_t whylen)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", r->root, c->pktdir,
			     file) >= sizeof(path)) {
		snprintf(why, whylen, "%s: path too long", file);
		return -1;
	}
	return pkt_load(path, p, why, whylen);
}

static int
case_load(const struct runner *r, const struct vcase *c, struct case_pkts *cp,
	  char *why, size_t whylen)
{
	unsigned i;

	if (case_path(r, c, c->input, &cp->in, why, whylen) == -1)
		return -1;
	if (cp->in.len > XLAT_MAX_PACKET) {
		snprintf(why, whylen, "%s: larger than XLAT_MAX_PACKET",
			 c->input);
		return -1;
	}
	if (pkt_version(cp->in.data, cp->in.len) != c->dir[0] - '0') {
		snprintf(why, whylen, "%s is IPv%d but dir is %s", c->input,
			 pkt_version(cp->in.data, cp->in.len), c->dir);
		return -1;
	}
	for (i = 0; i < c->nexpect; i++)
		if (case_path(r, c, c->expect[i], &cp->want[i], why, whylen) ==
		    -1)
			return -1;
	return 0;
}

static void
case_free(struct case_pkts *cp)
{
	unsigned i;

	pkt_free(&cp->in);
	for (i = 0; i < CASE_EXPECT_MAX; i++)
		pkt_free(&cp->want[i]);
}

static unsigned
case_translate(struct runner *r, const struct xlat_cfg *cfg,
	       const struct pkt *in)
{
	struct xlat_buf b = {
		.data = r->buf,
		.size = XLAT_HEADROOM + XLAT_MAX_PACKET,
		.off = XLAT_HEADROOM,
		.len = in->len,
	};

	memset(r->buf, 0, b.size);
	memcpy(r->buf + b.off, in->data, in->len);
	xlat_ctx_init(r->ctx, CASE_SEED);
	return xlat_translate(cfg, r->ctx, &b);
}

/* Joins the iovecs of output i into r->flat; returns its length or -1. */
static long
case_flatten(struct runner *r, unsigned i, char *why, size_t whylen)
{
	const struct xlat_out *o = &r->ctx->out[i];
	size_t len0 = o->iov[0].iov_len, len1 = o->iov[1].iov_len;

	if (len0 + len1 > r->flatsize) {
		appendf(why, whylen, "%spacket %u: %zu bytes, too large",
			why[0] ? "; " : "", i + 1, len0 + len1);
		return -1;
	}
	if (len0 > 0)
		memcpy(r->flat, o->iov[0].iov_base, len0);
	if (len1 > 0)
		memcpy(r->flat + len0, o->iov[1].iov_base, len1);
	if (o->len != len0 + len1)
		appendf(why, whylen, "%spacket %u: len %zu but iovecs hold %zu",
			why[0] ? "; " : "", i + 1, o->len, len0 + len1);
	return len0 + len1;
}

/* -w: writes every output packet to DIR/NAME.N.pkt for pktinfo.py. */
static void
case_dump(struct runner *r, const struct vcase *c, unsigned n)
{
	char path[PATH_MAX], *s;
	unsigned i;
	long len;
	FILE *f;

	for (i = 0; i < n; i++) {
		if ((len = case_flatten(r, i, path, 0)) == -1)
			continue;
		snprintf(path, sizeof(path), "%s/%s.%u.pkt", r->dump, c->name,
			 i + 1);
		for (s = path + strlen(r->dump) + 1; *s != '\0'; s++)
			if (*s == '/')
				*s = '_';
		if ((f = fopen(path, "wb")) == NULL) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			continue;
		}
		if (fwrite(r->flat, 1, len, f) != (size_t)len)
			fprintf(stderr, "%s: write error\n", path);
		fclose(f);
	}
}

/* Checks output i against its expected packet, appending to why. */
static void
case_packet(struct runner *r, const struct vcase *c, unsigned i,
	    const struct pkt *want, char *why, size_t whylen)
{
	char msg[512];
	long len;
	int fam = r->ctx->out[i].family;

	if ((len = case_flatten(r, i, why, whylen)) == -1)
		return;
	if (fam != pkt_version(want->data, want->len))
		appendf(why, whylen,
			"%spacket %u: family IPv%d, expected IPv%d",
			why[0] ? "; " : "", i + 1, fam,
			pkt_version(want->data, want->len));
	if (compare_packet(r->flat, len, want->data, want->len, &c->mask, msg,
			   sizeof(msg)) == -1)
		appendf(why, whylen, "%spacket %u %s", why[0] ? "; " : "",
			i + 1, msg);
	if (cksum_verify(r->flat, len, &c->mask, msg, sizeof(msg)) == -1)
		appendf(why, whylen, "%spacket %u: %s", why[0] ? "; " : "",
			i + 1, msg);
}

static void
case_judge(struct runner *r, const struct vcase *c, unsigned n,
	   const struct case_pkts *cp, char *why, size_t whylen)
{
	unsigned i;

	if (n > XLAT_OUT_MAX || n != r->ctx->out_count) {
		snprintf(why, whylen, "returned %u, out_count %u (max %d)", n,
			 r->ctx->out_count, XLAT_OUT_MAX);
		return;
	}
	if (r->dump != NULL)
		case_dump(r, c, n);
	if (n == 0) {
		snprintf(why, whylen, "dropped: %s",
			 xlat_drop_name(r->ctx->drop));
		return;
	}
	if (n != c->nexpect) {
		snprintf(why, whylen, "%u packet%s, expected %u", n,
			 n == 1 ? "" : "s", c->nexpect);
		return;
	}
	for (i = 0; i < n; i++)
		case_packet(r, c, i, &cp->want[i], why, whylen);
}

/* -v: what every output looks like next to what was expected. */
static void
case_verbose(struct runner *r, const struct vcase *c, unsigned n,
	     const struct case_pkts *cp)
{
	char scratch[1] = "";
	unsigned i;
	long len;

	for (i = 0; i < n || i < c->nexpect; i++) {
		if (i >= n) {
			printf("  packet %u missing; expected:\n", i + 1);
			compare_hexdump(stdout, cp->want[i].data,
					cp->want[i].len);
			continue;
		}
		if ((len = case_flatten(r, i, scratch, 0)) == -1)
			continue;
		if (i >= c->nexpect) {
			printf("  packet %u (IPv%d) not expected:\n", i + 1,
			       r->ctx->out[i].family);
			compare_hexdump(stdout, r->flat, len);
			continue;
		}
		printf("  packet %u:\n", i + 1);
		compare_hexdiff(stdout, r->flat, len, cp->want[i].data,
				cp->want[i].len, &c->mask);
	}
}

void
case_run(struct runner *r, const struct vcase *c)
{
	struct case_pkts cp;
	struct xlat_cfg cfg;
	char why[2048] = "";
	unsigned n = 0;
	bool ran = false;

	memset(&cp, 0, sizeof(cp));
	if (case_load(r, c, &cp, why, sizeof(why)) == 0 &&
	    profile_build(c->profile, &cfg, why, sizeof(why)) == 0) {
		n = case_translate(r, &cfg, &cp.in);
		case_judge(r, c, n, &cp, why, sizeof(why));
		if (n > XLAT_OUT_MAX)
			n = XLAT_OUT_MAX;
		ran = true;
	}
	case_report(r, c->name, why);
	if (r->verbose && ran && why[0] != '\0')
		case_verbose(r, c, n, &cp);
	case_free(&cp);
}
