/* SPDX-License-Identifier: BSD-2-Clause */
/* rtnetlink through libmnl: the requests xlatd makes, and the events it
 * follows. Requests are synchronous (ACK awaited); events come on a
 * second socket subscribed to multicast groups. Helpers return 0 or
 * -errno, and log nothing themselves unless said (the kernel's extended
 * ACK message goes to log_debug). Single-threaded: one request at a
 * time, but callbacks may make requests of their own. */
#ifndef XLATD_RTNL_H
#define XLATD_RTNL_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct nlmsghdr;
struct rtnl;

/* The events an rtnl follows. */
enum rtnl_follow {
	RTNL_FOLLOW_NONE,    /* requests only */
	RTNL_FOLLOW_HOST,    /* RTNLGRP_LINK, IPV4_IFADDR, IPV6_IFADDR,
				IPV4_ROUTE, IPV6_ROUTE, ND_USEROPT and
				IPV6_RULE */
	RTNL_FOLLOW_NEXTHOP, /* RTNLGRP_IPV6_ROUTE and NEIGH */
};

/* Open a request socket and, unless RTNL_FOLLOW_NONE, an event socket
 * subscribed to the groups of follow (non-blocking, large receive
 * buffer). Both are connected to the kernel, so no other process can
 * unicast to them. NULL with errno set on failure. */
struct rtnl *rtnl_open(enum rtnl_follow follow);
void rtnl_close(struct rtnl *rtnl);
/* -1 when opened with RTNL_FOLLOW_NONE. */
int rtnl_event_fd(const struct rtnl *rtnl);
/* Requests give up with -EAGAIN after ms without a reply (SO_RCVTIMEO,
 * socket(7)), for callers that must not wait long; 0, the default, waits
 * for as long as it takes. A reply that comes after is skipped. */
int rtnl_set_timeout(struct rtnl *rtnl, unsigned ms);

/* Links. rtnl_link_set: mtu 0 leaves the MTU alone. */
int rtnl_link_set(struct rtnl *rtnl, unsigned ifindex, bool up, unsigned mtu);
int rtnl_link_del(struct rtnl *rtnl, unsigned ifindex);
/* The ifindex (> 0) of a link by name, or -errno (-ENODEV). */
int rtnl_link_index(const char *name);

/* Addresses (IPv4 or IPv6 by family). Adding an address that is there
 * already updates it. nodad: IFA_F_NODAD (IPv6 only). */
int rtnl_addr_add(struct rtnl *rtnl, unsigned ifindex, int family,
		  const void *addr, unsigned prefixlen, bool nodad);
int rtnl_addr_del(struct rtnl *rtnl, unsigned ifindex, int family,
		  const void *addr, unsigned prefixlen);

/* Routes in the main table unless table is nonzero; no gateway (on-link,
 * through ifindex). mtu and advmss of 0 are left out. Routes xlatd adds
 * carry rtm_protocol RTPROT_XLATD, and rtnl_route_del removes only
 * those. rtnl_route_add updates an xlatd route with the same family,
 * destination, metric and table, and fails with -EEXIST when such a
 * route belongs to someone else. protocol, type and gateway are read
 * back by dumps, events and rtnl_route_get, and ignored by add and del. */
struct rtnl_route {
	int family;
	uint8_t dst[16];
	unsigned dst_len;
	uint8_t src[16]; /* preferred source (RTA_PREFSRC), when has_src */
	bool has_src;
	uint8_t gateway[16]; /* RTA_GATEWAY (not inside RTA_MULTIPATH), */
	bool has_gateway;    /* when has_gateway */
	unsigned ifindex;
	unsigned metric;
	unsigned mtu;
	unsigned advmss;
	unsigned table;	   /* read back: RT_TABLE_MAIN (254) for main */
	unsigned protocol; /* RTPROT_* (rtm_protocol) */
	unsigned type;	   /* RTN_* (rtm_type); to add, 0 is RTN_UNICAST */
	unsigned pref;	   /* RTA_PREF, RFC 4191: ICMPV6_ROUTER_PREF_* */
};
int rtnl_route_add(struct rtnl *rtnl, const struct rtnl_route *route);
int rtnl_route_del(struct rtnl *rtnl, const struct rtnl_route *route);
/* The route the kernel would take to dst (RTM_GETROUTE, not a dump), out
 * of oif alone when oif is nonzero: for IPv6 a strict lookup on that
 * device (net/ipv6/route.c, inet6_rtm_getroute). 0 and *out, with its
 * gateway and ifindex, or -errno (-ENETUNREACH). A PMTU exception
 * (RTM_F_CLONED) is an answer here, where dumps and events leave it out. */
int rtnl_route_get(struct rtnl *rtnl, int family, const void *dst, unsigned oif,
		   struct rtnl_route *out);
/* The same lookup from src (RTA_SRC) and on no given device: the route
 * the kernel's policy rules pick for a packet from src to dst. */
int rtnl_route_get_from(struct rtnl *rtnl, int family, const void *dst,
			const void *src, struct rtnl_route *out);

/* An IPv4 source rule: from src/src_len [iif iif] lookup table, at
 * priority. */
struct rtnl_rule {
	struct in_addr src;
	unsigned src_len;
	char iif[IF_NAMESIZE]; /* "": any; not read back */
	/* suppress_prefixlength 0: the table's default routes are not
	 * taken; not read back */
	bool suppress_default;
	unsigned table;
	unsigned priority;
	unsigned protocol; /* FRA_PROTOCOL, read back */
};
int rtnl_rule_add(struct rtnl *rtnl, const struct rtnl_rule *rule);
int rtnl_rule_del(struct rtnl *rtnl, const struct rtnl_rule *rule);

/* rtm_protocol value that marks routes as xlatd's own (see rt_protos). */
#define RTPROT_XLATD 0x58

/* State as read from the kernel: what an instance needs to decide. */
struct rtnl_addr {
	int family;
	unsigned ifindex;
	uint8_t addr[16];
	unsigned prefixlen;
	unsigned flags;	    /* IFA_F_* (from IFA_FLAGS when present) */
	uint32_t valid_lft; /* seconds, 0xffffffff = forever */
	uint32_t preferred_lft;
};

struct rtnl_link {
	unsigned ifindex;
	char name[IF_NAMESIZE];
	bool up;	/* IFF_UP, IFF_RUNNING, operstate up/unknown, carrier */
	unsigned flags; /* ifi_flags: IFF_* */
	unsigned mtu;
	unsigned short type; /* ARPHRD_* */
	uint8_t lladdr[6];
	bool has_lladdr;
	bool ra_managed; /* the last RA had the M flag (IF_RA_MANAGED) */
};
/* One link by ifindex (RTM_GETLINK, not a dump): 0 and *out, or -errno
 * (-ENODEV). */
int rtnl_link_get(struct rtnl *rtnl, unsigned ifindex, struct rtnl_link *out);

/* A neighbour table entry (ndmsg, NDA_*; rtnetlink(7)). */
struct rtnl_neigh {
	int family;
	unsigned ifindex;
	uint8_t dst[16];
	unsigned state; /* NUD_* (ndm_state) */
	uint8_t lladdr[6];
	bool has_lladdr; /* NDA_LLADDR of an Ethernet address's length */
};
/* The entry for dst on ifindex (RTM_GETNEIGH, not a dump): 0 and *out,
 * or -errno (-ENOENT when there is none). */
int rtnl_neigh_get(struct rtnl *rtnl, unsigned ifindex, int family,
		   const void *dst, struct rtnl_neigh *out);

/* The number of tc filters under parent on ifindex (RTM_GETTFILTER dump,
 * tc(8)), or -errno. */
int rtnl_tc_filter_count(struct rtnl *rtnl, unsigned ifindex, uint32_t parent);

/* Dumps: the whole dump is read first, then the callback is called once
 * per object; it returns 0 to go on, anything else stops the walk (a
 * negative value is then returned). NLM_F_DUMP_INTR restarts the dump,
 * at most a few times, then -EINTR without any callback. Objects of
 * other families (AF_BRIDGE links, multicast routes) are left out. */
typedef int (*rtnl_link_cb)(const struct rtnl_link *link, void *arg);
typedef int (*rtnl_addr_cb)(const struct rtnl_addr *addr, void *arg);
typedef int (*rtnl_route_cb)(const struct rtnl_route *route, void *arg);
int rtnl_dump_links(struct rtnl *rtnl, rtnl_link_cb cb, void *arg);
int rtnl_dump_addrs(struct rtnl *rtnl, int family, rtnl_addr_cb cb, void *arg);
int rtnl_dump_routes(struct rtnl *rtnl, int family, rtnl_route_cb cb,
		     void *arg);
typedef int (*rtnl_rule_cb)(const struct rtnl_rule *rule, void *arg);
int rtnl_dump_rules4(struct rtnl *rtnl, rtnl_rule_cb cb, void *arg);

/* Events read from the event socket. */
enum rtnl_event_type {
	RTNL_EV_LINK_NEW,
	RTNL_EV_LINK_DEL,
	RTNL_EV_ADDR_NEW,
	RTNL_EV_ADDR_DEL,
	RTNL_EV_ROUTE_NEW,
	RTNL_EV_ROUTE_DEL,
	RTNL_EV_ND_USEROPT, /* RFC 8781 PREF64 and friends */
	RTNL_EV_NEIGH_NEW,
	RTNL_EV_NEIGH_DEL,
	RTNL_EV_RULE,	 /* an IPv6 policy rule came or went */
	RTNL_EV_OVERRUN, /* ENOBUFS: state must be dumped again */
};

struct rtnl_event {
	enum rtnl_event_type type;
	union {
		struct rtnl_link link;
		struct rtnl_addr addr;
		struct rtnl_route route;
		struct rtnl_neigh neigh;
		struct {
			unsigned ifindex;
			uint8_t router[16];  /* NDUSEROPT_SRCADDR */
			const uint8_t *opts; /* ND options, 8-byte units; */
			unsigned opts_len;   /* valid during the callback */
		} useropt;
	};
};
typedef void (*rtnl_event_cb)(const struct rtnl_event *ev, void *arg);

/* Read what is pending on the event socket and call cb for each event.
 * Unknown or malformed messages are logged at debug level and skipped.
 * Returns 0, or -errno on a socket error other than EAGAIN. */
int rtnl_read_events(struct rtnl *rtnl, rtnl_event_cb cb, void *arg);

/* One rtnetlink message, as rtnl_read_events sees it (exposed for tests
 * and fuzzing): returns 1 when cb was called, 0 when the message is of
 * no interest, -EBADMSG when it is malformed. */
int rtnl_parse_message(const struct nlmsghdr *nlh, rtnl_event_cb cb, void *arg);
/* What rtnl_read_events does with what one read of the event socket
 * returned: every message of buf, malformed ones skipped. */
void rtnl_parse_events(const void *buf, size_t len, rtnl_event_cb cb,
		       void *arg);

/* The parsers of the answers to requests and dumps, for tests and
 * fuzzing. obj is a struct rtnl_link, rtnl_addr, rtnl_route (both route
 * kinds: ROUTE_TABLE leaves out PMTU exceptions), rtnl_rule, rtnl_neigh,
 * or struct tcmsg. Returns 1 with obj filled, 0 for a message of no
 * interest, -EBADMSG for a malformed one. */
enum rtnl_reply {
	RTNL_REPLY_LINK,
	RTNL_REPLY_ADDR,
	RTNL_REPLY_ROUTE,
	RTNL_REPLY_ROUTE_TABLE,
	RTNL_REPLY_RULE,
	RTNL_REPLY_NEIGH,
	RTNL_REPLY_TC,
	RTNL_REPLY_MAX
};
int rtnl_parse_reply(enum rtnl_reply kind, const struct nlmsghdr *nlh,
		     void *obj);

#endif
