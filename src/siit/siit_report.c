/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatctl status and stats for xlat-siit (siit_report.h). */
#include <arpa/inet.h>
#include <string.h>

#include "common/statsfmt.h"
#include "siit_report.h"

/* The host table's entries by kind. */
struct census {
	uint32_t statics, on_probation, active, dormant;
};

static void
count(const struct siit_info *i, struct census *c)
{
	uint32_t k;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < i->hosts->cap; k++) {
		const struct hosts_entry *e = &i->hosts->e[k];

		if (!(e->flags & HOSTS_F_USED))
			continue;
		if (e->flags & HOSTS_F_STATIC)
			c->statics++;
		else if (!(e->flags & HOSTS_F_CONFIRMED))
			c->on_probation++;
		else if (pool_dormant(e, i->now))
			c->dormant++;
		else
			c->active++;
	}
}

static void
prefix_text(const struct siit_info *i, char *out, size_t size)
{
	char a[INET6_ADDRSTRLEN];

	if (!i->conf->has_prefix) {
		snprintf(out, size, "-");
		return;
	}
	inet_ntop(AF_INET6, &i->conf->prefix.addr, a, sizeof(a));
	snprintf(out, size, "%s/%u", a, i->conf->prefix.len);
}

static void
pool_text(const struct siit_info *i, char *out, size_t size)
{
	char a[INET_ADDRSTRLEN];

	if (i->pool == NULL) {
		snprintf(out, size, "-");
		return;
	}
	inet_ntop(AF_INET, &i->conf->pool.addr, a, sizeof(a));
	snprintf(out, size, "%s/%u", a, i->conf->pool.len);
}

static uint64_t
translated(const struct xlat_stats *s)
{
	uint64_t t = 0;
	unsigned d, p;

	for (d = 0; d < XLAT_DIR_MAX; d++)
		for (p = 0; p < XLAT_PROTO_MAX; p++)
			t += s->packets_out[d][p];
	return t;
}

static void
status_json(const struct siit_info *i, const struct census *c, FILE *out)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN], prefix[64], pool[32];

	inet_ntop(AF_INET, &i->conf->ipv4_addr, v4, sizeof(v4));
	inet_ntop(AF_INET6, &i->conf->ipv6_addr, v6, sizeof(v6));
	prefix_text(i, prefix, sizeof(prefix));
	pool_text(i, pool, sizeof(pool));
	fputc('{', out);
	statsfmt_json_field(out, "tun_device", i->conf->tun_device);
	fprintf(out, ",\"tun_ifindex\":%u,\"mtu\":%u,", i->tun_ifindex, i->mtu);
	statsfmt_json_field(out, "prefix", i->conf->has_prefix ? prefix : NULL);
	fputc(',', out);
	statsfmt_json_field(out, "ipv4_addr", v4);
	fputc(',', out);
	statsfmt_json_field(out, "ipv6_addr", v6);
	fputc(',', out);
	statsfmt_json_field(out, "dynamic_pool", i->pool ? pool : NULL);
	fprintf(out,
		",\"pool_capacity\":%u,\"pool_active\":%u,"
		"\"pool_dormant\":%u,\"pool_probation\":%u,"
		"\"static_maps\":%u,\"prefix_maps\":%u,",
		i->pool ? pool_capacity(i->pool) : 0, c->active, c->dormant,
		c->on_probation, c->statics, i->conf->n_maps - c->statics);
	statsfmt_json_field(out, "data_dir",
			    i->conf->data_dir[0] ? i->conf->data_dir : NULL);
	fputc(',', out);
	statsfmt_json_field(out, "fast_path", i->fast_path);
	fprintf(out,
		",\"fast_path_packets\":%llu,\"slow_path_packets\":%llu}\n",
		(unsigned long long)(i->fast_packets[0] + i->fast_packets[1]),
		(unsigned long long)translated(i->stats));
}

static void
status_text(const struct siit_info *i, const struct census *c, FILE *out)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN], prefix[64], pool[32];

	inet_ntop(AF_INET, &i->conf->ipv4_addr, v4, sizeof(v4));
	inet_ntop(AF_INET6, &i->conf->ipv6_addr, v6, sizeof(v6));
	prefix_text(i, prefix, sizeof(prefix));
	pool_text(i, pool, sizeof(pool));
	fprintf(out, "%s (ifindex %u, MTU %u): translating\n",
		i->conf->tun_device, i->tun_ifindex, i->mtu);
	fprintf(out,
		"  prefix:       %s\n  ipv4-addr:    %s\n"
		"  ipv6-addr:    %s\n",
		prefix, v4, v6);
	fprintf(out, "  dynamic-pool: %s", pool);
	if (i->pool != NULL)
		fprintf(out,
			" (%u addresses: %u active, %u dormant, %u on "
			"probation)",
			pool_capacity(i->pool), c->active, c->dormant,
			c->on_probation);
	fprintf(out, "\n  maps:         %u hosts, %u prefixes\n", c->statics,
		i->conf->n_maps - c->statics);
	fprintf(out, "  fast path:    %s\n", i->fast_path);
	fprintf(out, "  translated:   %llu packets (fast path %llu)\n",
		(unsigned long long)(translated(i->stats) + i->fast_packets[0] +
				     i->fast_packets[1]),
		(unsigned long long)(i->fast_packets[0] + i->fast_packets[1]));
}

void
siit_report_status(const struct siit_info *i, bool json, FILE *out)
{
	struct census c;

	count(i, &c);
	if (json)
		status_json(i, &c, out);
	else
		status_text(i, &c, out);
}

/* xlat-siit's own counters, name and value. */
static void
each_counter(const struct siit_info *i,
	     void (*fn)(FILE *out, const char *name, uint64_t v, bool first),
	     FILE *out)
{
	static const struct pool_stats none;
	const struct pool_stats *p = i->pool ? &i->pool->stats : &none;

	fn(out, "fast_path_ipv4_to_ipv6", i->fast_packets[XLAT_DIR_46], true);
	fn(out, "fast_path_ipv6_to_ipv4", i->fast_packets[XLAT_DIR_64], false);
	fn(out, "echo_replies", i->cnt->echo_replies, false);
	fn(out, "self_dropped", i->cnt->self_dropped, false);
	fn(out, "link_dropped", i->cnt->link_dropped, false);
	fn(out, "icmp_errors_ratelimited",
	   i->stats->icmp_suppressed[XLAT_DIR_46] +
		   i->stats->icmp_suppressed[XLAT_DIR_64],
	   false);
	fn(out, "log_lines_suppressed", i->cnt->log_suppressed, false);
	fn(out, "tun_write_errors", i->cnt->write_errors, false);
	fn(out, "pool_assigned", p->assigned, false);
	fn(out, "pool_reclaimed", p->reclaimed, false);
	fn(out, "pool_expired", p->expired, false);
	fn(out, "pool_refused", p->refused, false);
}

static void
counter_json(FILE *out, const char *name, uint64_t v, bool first)
{
	fprintf(out, "%s\"%s\":%llu", first ? "" : ",", name,
		(unsigned long long)v);
}

static void
counter_text(FILE *out, const char *name, uint64_t v, bool first)
{
	(void)first;
	fprintf(out, "  %-33s %12llu\n", name, (unsigned long long)v);
}

void
siit_report_stats(const struct siit_info *i, bool json, FILE *out)
{
	if (json) {
		fputc('{', out);
		statsfmt_json_field(out, "tun_device", i->conf->tun_device);
		statsfmt_json_dirs(out, i->stats);
		fprintf(out, ",\"siit\":{");
		each_counter(i, counter_json, out);
		fputc('}', out);
		statsfmt_json_drops(out, i->stats);
		fprintf(out, "}\n");
		return;
	}
	fprintf(out, "%s:\n", i->conf->tun_device);
	statsfmt_text_dirs(out, i->stats);
	each_counter(i, counter_text, out);
	statsfmt_text_drops(out, i->stats);
}
