/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The decisions of one CLAT instance, as a pure function: from what the
 * instance remembers (struct engine_state), what it sees now (struct
 * engine_facts) and the configuration, engine_step() makes the next
 * state and the list of actions that get there (struct engine_actions).
 * It does no I/O, reads no clock and allocates nothing; instance.c
 * gathers the facts and carries the actions out. docs/daemon.md draws
 * the states and the transitions.
 *
 *   WAIT_UPLINK  -> the uplink is missing or down, or there is nothing
 *                   to take a CLAT IPv6 address from (enum v6_source)
 *   NATIVE_IPV4  -> an IPv4 default route that is not ours exists
 *   CONNCHECK    -> waiting for the DHCPv4 evidence (v4evidence.h) or,
 *                   when it is set, v4-conncheck-delay, before the first
 *                   check for native IPv4
 *   WAIT_PREFIX  -> no PLAT prefix from RA, DNS64 or the configuration
 *   DAD          -> the CLAT IPv6 address is being checked
 *   RUNNING      -> translating
 */
#ifndef XLATD_ENGINE_H
#define XLATD_ENGINE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "dad.h"
#include "delegated.h"
#include "pref64.h"
#include "sysstate.h"
#include "v4evidence.h"

enum inst_state {
	INST_WAIT_UPLINK,
	INST_NATIVE_IPV4,
	INST_CONNCHECK,
	INST_WAIT_PREFIX,
	INST_DAD,
	INST_RUNNING,
};

enum prefix_source {
	PREFIX_NONE,
	PREFIX_RA,	 /* RFC 8781 PREF64 */
	PREFIX_DNS64,	 /* RFC 7050 */
	PREFIX_STATIC,	 /* plat-prefix */
	PREFIX_FALLBACK, /* plat-fallback-prefix */
};

/* Where the CLAT IPv6 address comes from (draft-ietf-v6ops-claton). */
enum v6_source {
	V6_SOURCE_NONE,
	V6_SOURCE_SLAAC,     /* a dedicated address in a SLAAC /64 */
	V6_SOURCE_DELEGATED, /* a /64 of a prefix delegated to the host,
				RFC 9663: routed here, no ND */
	V6_SOURCE_DHCPV6,    /* an IA_NA address of its own, RFC 8415 */
	V6_SOURCE_SHARED,    /* the host's own address (clatd's shared mode) */
	V6_SOURCE_STATIC,    /* clat-v6-addr */
};

#define ENGINE_USEC_PER_SEC 1000000ULL
#define ENGINE_USEC_PER_MS 1000ULL
/* Least time between tearing the data path down and setting it up. */
#define ENGINE_HOLDDOWN_USEC (1 * ENGINE_USEC_PER_SEC)
/* RFC 7050 §5: the prefix is learned again now and then; a lookup that
 * found nothing is tried again sooner. */
#define ENGINE_DNS64_REFRESH_USEC (600 * ENGINE_USEC_PER_SEC)
#define ENGINE_DNS64_RETRY_USEC (30 * ENGINE_USEC_PER_SEC)
/* After a DAD that failed, the next address is tried this much later;
 * after this many failures in a row, no more. */
#define ENGINE_DAD_RETRY_USEC (1 * ENGINE_USEC_PER_SEC)
#define ENGINE_DAD_ATTEMPTS_MAX 5
/* A DHCPv6 client that could not start is started again this much
 * later. */
#define ENGINE_DHCP6_RETRY_USEC (5 * ENGINE_USEC_PER_SEC)

#define ENGINE_TEXT_MAX 192

/* What the data path is set up with: the engine's choices. */
struct engine_dp {
	struct xlat_prefix6 prefix;
	struct in_addr v4;
	struct in6_addr v6;
	unsigned uplink_mtu;
	unsigned metric; /* of the IPv4 default route */
	bool policy;	 /* a source rule for replies from v4 */
	/* v6 is joined as anycast: only once it passed DAD (dad.h), and
	 * never on a link without Neighbor Discovery */
	bool anycast;
	/* native IPv4 came: only flows from v4 go through the CLAT, for
	 * v4-native-grace */
	bool grace;
	/* v6 reaches the device by a route of its /128 into it, not by an
	 * anycast membership on the uplink */
	bool v6_route;
	/* the host forwards IPv6: it is already a hop, the translator
	 * leaves TTL and hop limit alone */
	bool router;
	/* v6 is the host's own address (shared mode): the ports of
	 * translated flows are swapped; size 0: not shared */
	struct xlat_portswap portswap;
};

/* What the instance learned since the last step, if anything. */
enum engine_event_kind {
	ENGINE_EV_NONE,		/* something changed, or a wake-up time came */
	ENGINE_EV_PREF64,	/* an RA's PREF64 option (RFC 8781) */
	ENGINE_EV_DNS64,	/* a DNS64 lookup (RFC 7050) ended */
	ENGINE_EV_DAD,		/* the verdict of a DAD the engine started */
	ENGINE_EV_DP_FAILED,	/* the data path could not be set up or
				   changed, and is gone */
	ENGINE_EV_CONFIG,	/* the configuration was reloaded */
	ENGINE_EV_DHCP4,	/* the DHCPv4 watch saw a message */
	ENGINE_EV_WATCH_FAILED, /* the DHCPv4 watch could not be opened */
	ENGINE_EV_DHCP6,	/* the DHCPv6 client bound or lost its
				   address */
};

struct engine_event {
	enum engine_event_kind kind;
	struct pref64 pref64; /* ENGINE_EV_PREF64 */
	bool dns64_found;     /* ENGINE_EV_DNS64 */
	struct xlat_prefix6 dns64_prefix;
	struct in6_addr dad_addr; /* ENGINE_EV_DAD */
	enum dad_result dad_result;
	struct dhcp4_seen dhcp4; /* ENGINE_EV_DHCP4 */
	/* ENGINE_EV_DHCP6: both when the server gave another address;
	 * failed: the client could not start */
	bool dhcp6_bound, dhcp6_lost, dhcp6_failed;
	struct in6_addr dhcp6_addr, dhcp6_lost_addr;
	/* ENGINE_EV_CONFIG: the data path is to be made anew (its device's
	 * name changed); DNS64 discovery was started anew (other servers,
	 * or on again). */
	bool rebuild, dns64_reset;
};

/* What the instance sees now; read afresh for every step. */
struct engine_facts {
	uint64_t now; /* CLOCK_MONOTONIC, microseconds */
	struct engine_event ev;
	const struct uplink_state *up; /* up->present false: gone */
	/* Several instances (no plat-dev): whether the uplink has an IPv6
	 * default route, its RFC 4191 preference (-1 high, 0 medium, 1
	 * low), and whether other instances exist (a source rule). */
	bool has_default6;
	int pref;
	bool policy;
	bool native_v4; /* an IPv4 default route that is not xlatd's */
	/* The first 192.0.0.x no interface has and no other instance
	 * holds; read only while the engine has none. */
	bool has_free_v4;
	struct in_addr free_v4;
	/* A prefix delegated to the host (RFC 9663) and its /64 for the
	 * CLAT; NULL when there is none. */
	const struct delegated *deleg;
	bool dns64_available; /* RFC 7050 discovery can run */
	/* clat-v6-addr=shared: the swap of the kernel's ephemeral ports
	 * (sysstate_portswap); size 0 when there is none */
	struct xlat_portswap portswap;
	const uint8_t *secret; /* CLAT_SECRET_LEN bytes, RFC 7217 §5 */
};

/* What the instance remembers between steps. */
struct engine_state {
	enum inst_state state;
	char cause[ENGINE_TEXT_MAX];

	/* The wait for native IPv4 runs once, from the first time the
	 * uplink is usable: on the DHCPv4 evidence while the watch is open,
	 * or on v4-conncheck-delay (set, or the watch failed). start_cause
	 * says what ended it. */
	bool conncheck_armed, conncheck_done;
	struct v4evidence v4ev;
	bool watch_open, watch_failed;
	bool has_start_cause;
	enum v4evidence_cause start_cause;

	/* PLAT prefix candidates, and the one in use. */
	bool has_ra_prefix, has_dns64_prefix;
	struct xlat_prefix6 ra_prefix, dns64_prefix;
	uint64_t ra_expiry;
	bool dns64_running;
	uint64_t dns64_at; /* the next lookup */
	enum prefix_source prefix_source;
	struct xlat_prefix6 prefix;

	/* The CLAT addresses (configured or chosen) and their DAD. */
	bool has_v4, has_v6;
	bool v4_static, v6_static;
	enum v6_source v6_source; /* of v6 (and of dad_addr while its DAD
				     runs) */
	struct in_addr v4;
	struct in6_addr v6;
	bool dad_running;
	struct in6_addr dad_addr;
	/* RFC 4429: v6 is in use while its DAD runs; a conflict withdraws
	 * it (counted in dad_conflicts, with any other DAD conflict). */
	bool v6_optimistic;
	/* After its DAD, v6's address resolution is still answered by the
	 * DAD module (dad_start_answering), not by an anycast membership:
	 * a DHCPv6 address, outside the prefixes of the host's own. */
	bool nd_answering;
	unsigned dad_conflicts;
	unsigned dad_counter;  /* RFC 7217 §6 DAD_Counter */
	unsigned dad_failures; /* in a row */
	uint64_t dad_retry_at;

	/* The DHCPv6 client for the CLAT address (RFC 8415 IA_NA), and
	 * the address it holds. */
	bool dhcp6_running, has_dhcp6;
	struct in6_addr dhcp6_addr;
	uint64_t dhcp6_retry_at; /* after a client that failed to start */

	/* Native IPv4 came while running: the data path stays for flows
	 * from v4 until grace_until. */
	bool in_grace;
	uint64_t grace_until;

	/* The data path, as the engine asked for it. */
	bool dp_up;
	struct engine_dp dp;
	uint64_t last_teardown;
};

enum engine_action_kind {
	ENGINE_ACT_LOG,		/* level, text */
	ENGINE_ACT_STATE,	/* the new state; text: its cause */
	ENGINE_ACT_DAD_START,	/* addr, optimistic, answer */
	ENGINE_ACT_DAD_STOP,	/* the one running, or answering */
	ENGINE_ACT_DNS64_START, /* a lookup; answers ENGINE_EV_DNS64 */
	ENGINE_ACT_DP_CREATE,	/* dp */
	ENGINE_ACT_DP_UPDATE,	/* dp, in place */
	ENGINE_ACT_DP_DESTROY,
	ENGINE_ACT_WATCH_OPEN, /* the DHCPv4 watch; answers ENGINE_EV_DHCP4 */
	ENGINE_ACT_WATCH_CLOSE,
	ENGINE_ACT_DHCP6_START,	  /* answers ENGINE_EV_DHCP6 */
	ENGINE_ACT_DHCP6_STOP,	  /* Release, and no more */
	ENGINE_ACT_DHCP6_DECLINE, /* the address failed DAD */
};

enum engine_log_level {
	ENGINE_LOG_DEBUG,
	ENGINE_LOG_INFO,
	ENGINE_LOG_WARN,
};

struct engine_action {
	enum engine_action_kind kind;
	enum engine_log_level level;
	char text[ENGINE_TEXT_MAX];
	struct in6_addr addr;
	bool optimistic;
	bool answer; /* address resolution answered after DAD_OK too */
	struct engine_dp dp;
};

/* More than one step can ask for (at most one of each kind but logs). */
#define ENGINE_ACTIONS_MAX 12

struct engine_actions {
	unsigned n;
	struct engine_action a[ENGINE_ACTIONS_MAX];
	uint64_t wake_at; /* step again then, with no event; 0: no need */
};

/* The state of a new instance: waiting for its uplink. */
void engine_init(struct engine_state *st);

/* One step. next may not be st. The actions are to be carried out in
 * order; when one fails, the caller steps again at once with the event
 * that says so (ENGINE_EV_DP_FAILED, a DAD_ERROR verdict, a DNS64 lookup
 * that found nothing). After ENGINE_EV_CONFIG, a running data path gets
 * ENGINE_ACT_DP_UPDATE even with the same parameters: the configuration
 * around them may have changed, and the update changes what differs. */
void engine_step(const struct engine_state *st, const struct engine_facts *f,
		 const struct config *cfg, struct engine_state *next,
		 struct engine_actions *out);

/* Where the CLAT IPv6 address is to come from, in this order:
 * clat-v6-addr; a delegated prefix with a /64 that no link uses (no ND,
 * no DAD on the uplink); a SLAAC /64 of the uplink; DHCPv6 when the
 * uplink's RAs have the M flag. NONE: none of them is there. Pure. */
enum v6_source engine_v6_source_pick(const struct engine_facts *f,
				     const struct config *cfg);

const char *engine_state_name(enum inst_state state);
const char *engine_source_name(enum prefix_source source);
const char *engine_v6_source_name(enum v6_source source);

#endif
