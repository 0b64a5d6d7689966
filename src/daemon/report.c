/* SPDX-License-Identifier: BSD-2-Clause */
/* Formatting instance state and counters for xlatctl. */
#include <arpa/inet.h>
#include <string.h>

#include "common/statsfmt.h"
#include "report.h"

static void
addr_strings(const struct inst_info *i, char *v4, char *v6, char *prefix)
{
	char p[INET6_ADDRSTRLEN];

	strcpy(v4, "-");
	strcpy(v6, "-");
	strcpy(prefix, "-");
	if (i->has_v4)
		inet_ntop(AF_INET, &i->v4, v4, INET_ADDRSTRLEN);
	if (i->has_v6)
		inet_ntop(AF_INET6, &i->v6, v6, INET6_ADDRSTRLEN);
	if (i->prefix_source != PREFIX_NONE) {
		inet_ntop(AF_INET6, &i->prefix.addr, p, sizeof(p));
		sprintf(prefix, "%s/%u", p, i->prefix.len);
	}
}

static uint64_t
sum_dir(const uint64_t *v)
{
	uint64_t t = 0;
	unsigned p;

	for (p = 0; p < XLAT_PROTO_MAX; p++)
		t += v[p];
	return t;
}

static uint64_t
translated(const struct inst_info *i)
{
	if (i->stats == NULL)
		return 0;
	return sum_dir(i->stats->packets_out[XLAT_DIR_46]) +
	       sum_dir(i->stats->packets_out[XLAT_DIR_64]);
}

/* The fast path's share of the translated packets, in percent. */
static unsigned
fast_share(const struct inst_info *i)
{
	uint64_t all = translated(i);

	return all ? (unsigned)(i->fast_packets * 100 / all) : 0;
}

/* The stats hold both paths; the slow path translated the rest. */
static uint64_t
slow_packets(const struct inst_info *i)
{
	uint64_t all = translated(i);

	return all > i->fast_packets ? all - i->fast_packets : 0;
}

typedef void (*inst_fmt)(const struct inst_info *i, FILE *out);

/* Each instance with to_json ({"instances":[...]}) or to_text. */
static void
report_each(const struct inst_info *info, unsigned n, bool json, FILE *out,
	    inst_fmt to_json, inst_fmt to_text)
{
	unsigned k;

	if (json)
		fprintf(out, "{\"instances\":[");
	for (k = 0; k < n; k++) {
		if (json) {
			fprintf(out, k ? "," : "");
			to_json(&info[k], out);
		} else {
			to_text(&info[k], out);
		}
	}
	if (json)
		fprintf(out, "]}\n");
}

static void
status_json(const struct inst_info *i, FILE *out)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN],
		prefix[INET6_ADDRSTRLEN + 4];

	addr_strings(i, v4, v6, prefix);
	fputc('{', out);
	statsfmt_json_field(out, "uplink", i->uplink);
	fputc(',', out);
	statsfmt_json_field(out, "clat_dev", i->clat_dev);
	fputc(',', out);
	statsfmt_json_field(out, "state", engine_state_name(i->state));
	fputc(',', out);
	statsfmt_json_field(out, "cause", i->cause);
	fputc(',', out);
	statsfmt_json_field(out, "plat_prefix",
			    i->prefix_source ? prefix : NULL);
	fputc(',', out);
	statsfmt_json_field(out, "prefix_source",
			    engine_source_name(i->prefix_source));
	if (i->prefix_lifetime >= 0)
		fprintf(out, ",\"prefix_lifetime\":%ld", i->prefix_lifetime);
	else
		fprintf(out, ",\"prefix_lifetime\":null");
	fputc(',', out);
	statsfmt_json_field(out, "clat_v4", i->has_v4 ? v4 : NULL);
	fputc(',', out);
	statsfmt_json_field(out, "clat_v6", i->has_v6 ? v6 : NULL);
	fputc(',', out);
	statsfmt_json_field(out, "clat_v6_source",
			    i->has_v6 ? engine_v6_source_name(i->v6_source)
				      : NULL);
	fprintf(out,
		",\"route_mtu\":%u,\"fast_path_packets\":%llu,"
		"\"slow_path_packets\":%llu,\"dad_conflicts\":%u,"
		"\"router_forwarding_off\":%s}",
		i->route_mtu, (unsigned long long)i->fast_packets,
		(unsigned long long)slow_packets(i), i->dad_conflicts,
		i->router_no_forwarding ? "true" : "false");
}

static void
status_text(const struct inst_info *i, FILE *out)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN],
		prefix[INET6_ADDRSTRLEN + 4];

	addr_strings(i, v4, v6, prefix);
	fprintf(out, "%s (%s): %s\n", i->uplink[0] ? i->uplink : "-",
		i->clat_dev, engine_state_name(i->state));
	fprintf(out, "  cause:       %s\n", i->cause);
	fprintf(out, "  PLAT prefix: %s (%s", prefix,
		engine_source_name(i->prefix_source));
	if (i->prefix_lifetime >= 0)
		fprintf(out, ", %ld s left", i->prefix_lifetime);
	fprintf(out, ")\n  CLAT IPv4:   %s\n  CLAT IPv6:   %s", v4, v6);
	if (i->has_v6)
		fprintf(out, " (%s)", engine_v6_source_name(i->v6_source));
	fputc('\n', out);
	if (i->route_mtu)
		fprintf(out, "  route MTU:   %u\n", i->route_mtu);
	fprintf(out, "  translated:  %llu packets (fast path %u%%)\n",
		(unsigned long long)translated(i), fast_share(i));
	if (i->dad_conflicts)
		fprintf(out, "  DAD conflicts: %u (addresses found in use)\n",
			i->dad_conflicts);
	if (i->router_no_forwarding)
		fprintf(out, "  router mode: IPv4 forwarding is off "
			     "(net.ipv4.ip_forward=0): the LANs get nothing\n");
}

void
report_status(const struct inst_info *info, unsigned n, bool json, FILE *out)
{
	report_each(info, n, json, out, status_json, status_text);
}

static void
stats_json(const struct inst_info *i, FILE *out)
{
	static const struct xlat_stats zero;
	const struct xlat_stats *s = i->stats ? i->stats : &zero;

	fputc('{', out);
	statsfmt_json_field(out, "uplink", i->uplink);
	statsfmt_json_dirs(out, s);
	fprintf(out, ",\"fast_path_packets\":%llu,\"lan_spoofed\":%llu",
		(unsigned long long)i->fast_packets,
		(unsigned long long)i->lan_spoofed);
	statsfmt_json_drops(out, s);
	fputc('}', out);
}

static void
stats_text(const struct inst_info *i, FILE *out)
{
	static const struct xlat_stats zero;
	const struct xlat_stats *s = i->stats ? i->stats : &zero;

	fprintf(out, "%s:\n", i->uplink[0] ? i->uplink : "-");
	statsfmt_text_dirs(out, s);
	fprintf(out, "  %-21s %12llu (%u%% of all)\n", "fast path, both ways",
		(unsigned long long)i->fast_packets, fast_share(i));
	if (i->lan_spoofed)
		fprintf(out,
			"  %-21s %12llu (dropped: source not of its LAN)\n",
			"LAN spoofed", (unsigned long long)i->lan_spoofed);
	statsfmt_text_drops(out, s);
}

void
report_stats(const struct inst_info *info, unsigned n, bool json, FILE *out)
{
	report_each(info, n, json, out, stats_json, stats_text);
}
