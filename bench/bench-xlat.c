/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * bench-xlat: packets per second of the translation core on one thread.
 *
 * Translation rewrites the packet in place, so a packet has to be put
 * back before it can be translated again. Two figures per case:
 *
 *   ns/pkt          BATCH buffers are restored off the clock, then all
 *                   are translated on it: xlat_4to6()/xlat_6to4() alone.
 *   ns/pkt+restore  one buffer, restored (memcpy of its first RESTORE_MAX
 *                   bytes) and translated in a loop, all on the clock.
 *
 * Before timing, a translation after a partial restore is compared with
 * one of a fresh copy, so the restore is known to be complete.
 *
 * usage: bench-xlat [--iterations N] [--case NAME] [--dir 46|64]
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases.h"

#define BATCH 256
#define SLOT_SIZE 2048 /* headroom and the largest case, rounded up */
/* The bytes a translation rewrites in these cases: outer and inner
 * headers and the checksum fields behind them. */
#define RESTORE_MAX 128
#define DEFAULT_ITERATIONS 10000000UL
#define WARMUP_ITERATIONS (BATCH * 64UL)

typedef unsigned (*xlat_fn)(const struct xlat_cfg *, struct xlat_ctx *,
			    struct xlat_buf *);

struct run {
	const struct xlat_cfg *cfg;
	struct xlat_ctx *ctx;
	xlat_fn fn;
	const struct pkt *pkt;
	size_t restore; /* bytes copied back before each translation */
	size_t out_len;
};

static uint8_t slots[BATCH][SLOT_SIZE] __attribute__((aligned(64)));
static struct xlat_ctx ctx; /* large: one, static */

static void
die(const char *what)
{
	fprintf(stderr, "bench-xlat: %s\n", what);
	exit(1);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
restore(struct xlat_buf *buf, uint8_t *slot, const struct pkt *p, size_t n)
{
	memcpy(slot + XLAT_HEADROOM, p->b, n);
	buf->data = slot;
	buf->size = SLOT_SIZE;
	buf->off = XLAT_HEADROOM;
	buf->len = p->len;
}

/* Translate one buffer; its single output, joined, goes into out. */
static size_t
translate_one(const struct run *r, struct xlat_buf *buf, uint8_t *out)
{
	const struct xlat_out *o;

	if (r->fn(r->cfg, r->ctx, buf) != 1)
		die(xlat_drop_name(r->ctx->drop));
	o = &r->ctx->out[0];
	memcpy(out, o->iov[0].iov_base, o->iov[0].iov_len);
	memcpy(out + o->iov[0].iov_len, o->iov[1].iov_base, o->iov[1].iov_len);
	return o->len;
}

/* A partial restore must give the bytes a fresh copy gives. */
static size_t
verify(const struct run *r)
{
	static uint8_t fresh[SLOT_SIZE], again[SLOT_SIZE];
	struct xlat_buf buf;
	size_t len;

	/* The same IPv4 Identification both times (RFC 7915 §5.1). */
	xlat_ctx_init(r->ctx, 1);
	restore(&buf, slots[0], r->pkt, r->pkt->len);
	len = translate_one(r, &buf, fresh);
	xlat_ctx_init(r->ctx, 1);
	restore(&buf, slots[0], r->pkt, r->restore);
	if (translate_one(r, &buf, again) != len ||
	    memcmp(fresh, again, len) != 0)
		die("a partial restore changes the output: raise RESTORE_MAX");
	return len;
}

/* Translation alone: restore a batch off the clock, translate it on. */
static double
time_translate(const struct run *r, unsigned long iterations)
{
	static struct xlat_buf bufs[BATCH];
	unsigned long done, outputs = 0;
	uint64_t total = 0, t0;
	unsigned i, n;

	for (i = 0; i < BATCH; i++)
		restore(&bufs[i], slots[i], r->pkt, r->pkt->len);
	for (done = 0; done < iterations; done += n) {
		n = iterations - done < BATCH ? (unsigned)(iterations - done)
					      : BATCH;
		for (i = 0; i < n; i++)
			restore(&bufs[i], slots[i], r->pkt, r->restore);
		t0 = now_ns();
		for (i = 0; i < n; i++)
			outputs += r->fn(r->cfg, r->ctx, &bufs[i]);
		total += now_ns() - t0;
	}
	if (outputs != iterations)
		die("a packet was dropped while timing");
	return (double)total / (double)iterations;
}

/* Restore and translate, both on the clock. */
static double
time_with_restore(const struct run *r, unsigned long iterations)
{
	unsigned long i, outputs = 0;
	struct xlat_buf buf;
	uint64_t t0;

	restore(&buf, slots[0], r->pkt, r->pkt->len);
	t0 = now_ns();
	for (i = 0; i < iterations; i++) {
		restore(&buf, slots[0], r->pkt, r->restore);
		outputs += r->fn(r->cfg, r->ctx, &buf);
	}
	if (outputs != iterations)
		die("a packet was dropped while timing");
	return (double)(now_ns() - t0) / (double)iterations;
}

static void
bench(const struct xlat_cfg *cfg, const struct bench_case *c, enum xlat_dir dir,
      unsigned long iterations)
{
	static struct pkt p;
	struct run r = {.cfg = cfg, .ctx = &ctx, .pkt = &p};
	double ns, ns_restore;

	c->build(dir, &p);
	if (XLAT_HEADROOM + p.len > SLOT_SIZE)
		die("packet larger than a slot");
	r.fn = dir == XLAT_DIR_46 ? xlat_4to6 : xlat_6to4;
	r.restore = p.len < RESTORE_MAX ? p.len : RESTORE_MAX;
	r.out_len = verify(&r);
	time_translate(&r, WARMUP_ITERATIONS);
	ns = time_translate(&r, iterations);
	ns_restore = time_with_restore(&r, iterations);
	printf("%-11s %-5s %5zu %5zu %9lu %7.2f %7.1f %14.1f\n", c->name,
	       dir == XLAT_DIR_46 ? "4to6" : "6to4", p.len, r.out_len,
	       iterations, 1e3 / ns, ns, ns_restore);
}

static void
usage(void)
{
	size_t i;

	fprintf(stderr, "usage: bench-xlat [--iterations N] [--case NAME] "
			"[--dir 46|64]\ncases:");
	for (i = 0; i < bench_case_count; i++)
		fprintf(stderr, " %s", bench_cases[i].name);
	fprintf(stderr, "\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"iterations", required_argument, NULL, 'n'},
		{"case", required_argument, NULL, 'c'},
		{"dir", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	unsigned long iterations = DEFAULT_ITERATIONS;
	const char *only = NULL, *dirs = "46,64";
	struct xlat_cfg cfg;
	bool found = false;
	size_t i;
	int ch;

	while ((ch = getopt_long(argc, argv, "n:c:d:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			iterations = strtoul(optarg, NULL, 10);
			break;
		case 'c':
			only = optarg;
			break;
		case 'd':
			dirs = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || iterations == 0 ||
	    (strcmp(dirs, "46") != 0 && strcmp(dirs, "64") != 0 &&
	     strcmp(dirs, "46,64") != 0))
		usage();
	bench_cfg(&cfg);
	xlat_ctx_init(&ctx, 1);
	printf("%-11s %-5s %5s %5s %9s %7s %7s %14s\n", "case", "dir", "in",
	       "out", "packets", "Mpps", "ns/pkt", "ns/pkt+restore");
	for (i = 0; i < bench_case_count; i++) {
		const struct bench_case *c = &bench_cases[i];

		if (only != NULL && strcmp(only, c->name) != 0)
			continue;
		found = true;
		if (strstr(dirs, "46") != NULL)
			bench(&cfg, c, XLAT_DIR_46, iterations);
		if (strstr(dirs, "64") != NULL)
			bench(&cfg, c, XLAT_DIR_64, iterations);
	}
	if (!found)
		usage();
	return 0;
}
