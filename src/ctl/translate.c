/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatctl translate: run every packet of a pcap file through the core. */
#include <err.h>
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/conf.h"
#include "conffile.h"
#include "link.h"
#include "subcommands.h"
#include "summary.h"

/* Largest frame libpcap itself will read or write. */
#define SNAPLEN_MAX 262144

/* Fixed, so that the same input always gives the same output (the seed
 * drives the IPv4 Identification of 6to4 fragments). */
#define ID_SEED 1

struct translate {
	pcap_t *in;
	pcap_t *dead;
	pcap_dumper_t *out;
	int dlt;
	struct conf conf;
	struct summary sum;
	struct xlat_ctx ctx;
	uint8_t buf[XLAT_HEADROOM + XLAT_MAX_PACKET];
	uint8_t flat[XLAT_HEADROOM + XLAT_MAX_PACKET];
};

static void
show_usage(FILE *f)
{
	const struct conf_key *k;

	fprintf(f, "xlatctl translate [-c FILE] [KEY=VALUE ...] IN.pcap "
		   "OUT.pcap\n\n");
	fprintf(f,
		"Translates every IPv4 and IPv6 packet of IN.pcap and writes "
		"the results to\nOUT.pcap (raw IP link type); '-' is "
		"standard input or output.\n-c reads KEY=VALUE lines from "
		"FILE; KEY=VALUE arguments override them. An empty VALUE "
		"unsets an\naddress or prefix; eam= clears the mappings.\n\n"
		"Keys:\n");
	for (k = conf_keys; k->name != NULL; k++)
		fprintf(f, "  %-24s %s\n", k->name, k->help);
}

static int
set_arg(struct conf *conf, char *arg)
{
	char err[512], *eq = strchr(arg, '=');
	int ret;

	if (eq == NULL) {
		warnx("expected KEY=VALUE, got '%s'", arg);
		return -1;
	}
	*eq = '\0';
	ret = conf_set(conf, arg, eq + 1, err, sizeof(err));
	*eq = '=';
	if (ret == -1)
		warnx("%s", err);
	return ret;
}

/* -c FILE first, then the KEY=VALUE arguments, then the cross-key checks. */
static int
load_conf(struct conf *conf, const char *file, int argc, char *argv[])
{
	char err[512];
	int i;

	conf_init(conf);
	if (file != NULL && conffile_load(conf, file, err, sizeof(err)) == -1) {
		warnx("%s", err);
		return -1;
	}
	for (i = 0; i < argc; i++)
		if (set_arg(conf, argv[i]) == -1)
			return -1;
	if (conf_finish(conf, err, sizeof(err)) == -1) {
		warnx("%s", err);
		return -1;
	}
	return 0;
}

/* Writing OUT truncates it: refuse when it is IN. */
static bool
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
		return false;
	if (stat(a, &sa) == -1 || stat(b, &sb) == -1)
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int
open_files(struct translate *t, const char *in, const char *out)
{
	char errbuf[PCAP_ERRBUF_SIZE];

	if (same_file(in, out)) {
		warnx("%s and %s are the same file", in, out);
		return -1;
	}
	t->in = pcap_open_offline(in, errbuf);
	if (t->in == NULL) {
		warnx("%s", errbuf);
		return -1;
	}
	t->dlt = pcap_datalink(t->in);
	if (!link_supported(t->dlt)) {
		warnx("%s: unsupported link type %s", in,
		      pcap_datalink_val_to_name(t->dlt));
		return -1;
	}
	t->dead = pcap_open_dead(DLT_RAW, SNAPLEN_MAX);
	if (t->dead == NULL) {
		warnx("out of memory");
		return -1;
	}
	t->out = pcap_dump_open(t->dead, out);
	if (t->out == NULL) {
		warnx("%s", pcap_geterr(t->dead));
		return -1;
	}
	return 0;
}

/* One output packet: headers in iov[0], payload in iov[1]. */
static int
write_packet(struct translate *t, const struct timeval *ts,
	     const struct xlat_out *o)
{
	struct pcap_pkthdr h = {.ts = *ts};
	size_t len = o->iov[0].iov_len + o->iov[1].iov_len;

	if (len > sizeof(t->flat)) {
		warnx("translator produced %zu bytes", len);
		return -1;
	}
	memcpy(t->flat, o->iov[0].iov_base, o->iov[0].iov_len);
	if (o->iov[1].iov_len != 0)
		memcpy(t->flat + o->iov[0].iov_len, o->iov[1].iov_base,
		       o->iov[1].iov_len);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)t->out, &h, t->flat);
	t->sum.written++;
	return 0;
}

static int
translate_frame(struct translate *t, const struct pcap_pkthdr *h,
		const uint8_t *frame)
{
	struct xlat_buf b = {t->buf, sizeof(t->buf), XLAT_HEADROOM, 0};
	const uint8_t *ip;
	unsigned i, n;

	t->sum.read++;
	ip = link_ip_packet(t->dlt, frame, h->caplen, &b.len);
	if (ip == NULL) {
		t->sum.not_ip++;
		return 0;
	}
	if (b.len > XLAT_MAX_PACKET) {
		t->sum.oversized++;
		return 0;
	}
	memcpy(b.data + b.off, ip, b.len);
	/* the capture's clock, for the ICMP error rate */
	t->ctx.now_ms =
		(uint64_t)h->ts.tv_sec * 1000 + (uint64_t)h->ts.tv_usec / 1000;
	n = xlat_translate(&t->conf.xlat, &t->ctx, &b);
	for (i = 0; i < n; i++)
		if (write_packet(t, &h->ts, &t->ctx.out[i]) == -1)
			return -1;
	return 0;
}

static int
translate_all(struct translate *t, const char *in, const char *out)
{
	struct pcap_pkthdr *h;
	const u_char *frame;
	int r;

	while ((r = pcap_next_ex(t->in, &h, &frame)) == 1)
		if (translate_frame(t, h, frame) == -1)
			return -1;
	if (r != PCAP_ERROR_BREAK) {
		warnx("%s: %s", in, pcap_geterr(t->in));
		return -1;
	}
	if (pcap_dump_flush(t->out) == -1 || ferror(pcap_dump_file(t->out))) {
		warnx("%s: write error", out);
		return -1;
	}
	return 0;
}

int
translate_main(int argc, char *argv[])
{
	struct translate *t;
	const char *file = NULL;
	int c, ret = 1;

	while ((c = getopt(argc, argv, "c:h")) != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 'h':
			show_usage(stdout);
			return 0;
		default:
			show_usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2) {
		show_usage(stderr);
		return 1;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		warn(NULL);
		return 1;
	}
	if (load_conf(&t->conf, file, argc - 2, argv) == -1)
		goto out;
	xlat_ctx_init(&t->ctx, ID_SEED);
	if (open_files(t, argv[argc - 2], argv[argc - 1]) == -1)
		goto out;
	if (translate_all(t, argv[argc - 2], argv[argc - 1]) == -1)
		goto out;
	summary_print(strcmp(argv[argc - 1], "-") == 0 ? stderr : stdout,
		      &t->sum, &t->ctx.stats);
	ret = 0;
out:
	if (t->out != NULL)
		pcap_dump_close(t->out);
	if (t->dead != NULL)
		pcap_close(t->dead);
	if (t->in != NULL)
		pcap_close(t->in);
	free(t);
	return ret;
}
