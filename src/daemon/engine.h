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
 *   WAIT_UPLINK  -> the uplink is missing, down or has no SLAAC /64
 *   NATIVE_IPV4  -> an IPv4 default route that is not ours exists
 *   CONNCHECK    -> waiting v4-conncheck-delay before the first check
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
#include "pref64.h"
#include "sysstate.h"

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

#define ENGINE_USEC_PER_SEC 1000000ULL
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

#define ENGINE_TEXT_MAX 160

/* What the data path is set up with: the engine's choices. */
struct engine_dp {
	struct xlat_prefix6 prefix;
	struct in_addr v4;
	struct in6_addr v6;
	unsigned uplink_mtu;
	unsigned metric; /* of the IPv4 default route */
	bool policy;	 /* a source rule for replies from v4 */
};

/* What the instance learned since the last step, if anything. */
enum engine_event_kind {
	ENGINE_EV_NONE,	     /* something changed, or a wake-up time came */
	ENGINE_EV_PREF64,    /* an RA's PREF64 option (RFC 8781) */
	ENGINE_EV_DNS64,     /* a DNS64 lookup (RFC 7050) ended */
	ENGINE_EV_DAD,	     /* the verdict of a DAD the engine started */
	ENGINE_EV_DP_FAILED, /* the data path could not be set up or
				changed, and is gone */
	ENGINE_EV_CONFIG,    /* the configuration was reloaded */
};

struct engine_event {
	enum engine_event_kind kind;
	struct pref64 pref64; /* ENGINE_EV_PREF64 */
	bool dns64_found;     /* ENGINE_EV_DNS64 */
	struct xlat_prefix6 dns64_prefix;
	struct in6_addr dad_addr; /* ENGINE_EV_DAD */
	enum dad_result dad_result;
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
	bool dns64_available;  /* RFC 7050 discovery can run */
	const uint8_t *secret; /* CLAT_SECRET_LEN bytes, RFC 7217 §5 */
};

/* What the instance remembers between steps. */
struct engine_state {
	enum inst_state state;
	char cause[ENGINE_TEXT_MAX];

	/* v4-conncheck-delay runs once, from the first time the uplink is
	 * usable. */
	bool conncheck_armed, conncheck_done;
	uint64_t conncheck_at;

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
	struct in_addr v4;
	struct in6_addr v6;
	bool dad_running;
	struct in6_addr dad_addr;
	unsigned dad_counter;  /* RFC 7217 §6 DAD_Counter */
	unsigned dad_failures; /* in a row */
	uint64_t dad_retry_at;

	/* The data path, as the engine asked for it. */
	bool dp_up;
	struct engine_dp dp;
	uint64_t last_teardown;
};

enum engine_action_kind {
	ENGINE_ACT_LOG,		/* level, text */
	ENGINE_ACT_STATE,	/* the new state; text: its cause */
	ENGINE_ACT_DAD_START,	/* addr */
	ENGINE_ACT_DAD_STOP,	/* the one running */
	ENGINE_ACT_DNS64_START, /* a lookup; answers ENGINE_EV_DNS64 */
	ENGINE_ACT_DP_CREATE,	/* dp */
	ENGINE_ACT_DP_UPDATE,	/* dp, in place */
	ENGINE_ACT_DP_DESTROY,
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

const char *engine_state_name(enum inst_state state);
const char *engine_source_name(enum prefix_source source);

#endif
