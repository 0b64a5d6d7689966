/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The messages between xlatd's two processes, all of them in one place.
 *
 * The parent keeps CAP_NET_ADMIN, CAP_NET_RAW and CAP_BPF and reads no
 * input from the network: it creates TUN devices, sets links, addresses,
 * routes and rules, joins anycast, loads and attaches the eBPF programs
 * and updates their maps, opens raw and packet sockets, runs scripts and
 * talks to systemd. The engine holds no capability and runs under
 * seccomp: it parses netlink events, router advertisements, DNS64
 * answers, DAD replies, packets and control requests, and asks the
 * parent, over a socketpair (SOCK_SEQPACKET, one message a datagram),
 * for what it may not do. Each request gets one MSG_REPLY (MSG_CONFIG
 * for a MSG_RELOAD that read a good file). A second socketpair carries
 * MSG_CONFIG from the parent after SIGHUP.
 *
 * A message is a header and a payload of the exact size its type has;
 * file descriptors travel as SCM_RIGHTS with MSG_REPLY only. The parent
 * takes a malformed request for what it is, a bug or a compromised
 * engine, and exits (fatalx).
 */
#ifndef XLATD_MSG_H
#define XLATD_MSG_H

#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "dpcfg.h"
#include "xlatd/xlat_maps.h"

enum msg_type {
	/* engine -> parent */
	MSG_DP_CREATE = 1, /* struct msg_dp; reply: the TUN, raw, packet fds */
	MSG_DP_UPDATE,	   /* struct msg_dp */
	MSG_DP_DESTROY,	   /* struct msg_dp_id */
	MSG_DP_COUNTERS,   /* struct msg_dp_id; reply: counters */
	MSG_SOCKET,	   /* struct msg_socket; reply: one fd */
	MSG_NOTIFY,	   /* struct msg_notify: a line for sd_notify */
	MSG_LOG,	   /* struct msg_log: the parent's log level */
	MSG_RELOAD,	   /* no payload; reply: MSG_CONFIG or MSG_REPLY */
	/* parent -> engine */
	MSG_REPLY,  /* struct msg_reply */
	MSG_CONFIG, /* struct msg_config */
	MSG_TYPE_MAX,
};

struct msg_hdr {
	uint16_t type;
	uint16_t nfds; /* file descriptors passed with it */
	uint32_t len;  /* of the payload */
};
_Static_assert(sizeof(struct msg_hdr) == 8, "msg_hdr");

/* A data path: what the engine decided (engine.h, struct engine_dp), on
 * which uplink, through which TUN device. */
/* msg_dp.flags: dp_params' booleans */
#define MSG_DP_F_POLICY 0x01
#define MSG_DP_F_ANYCAST 0x02
#define MSG_DP_F_GRACE 0x04
#define MSG_DP_F_V6_ROUTE 0x08
#define MSG_DP_F_ROUTER 0x10
#define MSG_DP_F_ALL 0x1f

struct msg_dp {
	uint32_t id; /* the engine's, unique among its data paths */
	uint32_t uplink;
	char clat_dev[IF_NAMESIZE]; /* NUL-terminated */
	struct in6_addr prefix;
	uint8_t prefix_len; /* RFC 6052 §2.2: 32, 40, 48, 56, 64 or 96 */
	uint8_t flags;	    /* MSG_DP_F_* */
	uint8_t pad[2];	    /* 0 */
	struct in_addr v4;
	struct in6_addr v6;
	uint32_t uplink_mtu; /* 68-65535 */
	uint32_t metric;
	/* shared mode: the port swap (struct xlat_portswap); size 0: not
	 * shared */
	uint16_t swap_first, swap_size;
};
_Static_assert(sizeof(struct msg_dp) == 76, "msg_dp");

struct msg_dp_id {
	uint32_t id;
};
_Static_assert(sizeof(struct msg_dp_id) == 4, "msg_dp_id");

/* The sockets the engine may have. */
enum msg_socket_kind {
	MSG_SOCK_ICMP6 = 1, /* AF_INET6 SOCK_RAW IPPROTO_ICMPV6 */
	MSG_SOCK_PACKET,    /* AF_PACKET SOCK_DGRAM, protocol 0 */
	MSG_SOCK_UDP6,	    /* AF_INET6 SOCK_RAW IPPROTO_UDP, the DHCPv6
			       client's (src/dhcp/dhcp6_sock.h) */
};

/* Open a socket of that kind, close-on-exec, the raw IPv6 ones
 * non-blocking: the fd or -errno. Needs CAP_NET_RAW. */
int msg_socket_open(enum msg_socket_kind kind);

struct msg_socket {
	uint32_t kind;
};
_Static_assert(sizeof(struct msg_socket) == 4, "msg_socket");

#define MSG_NOTIFY_MAX 256
/* One line, "STATUS=..." or "READY=1": printable, NUL-terminated. */
struct msg_notify {
	char text[MSG_NOTIFY_MAX];
};
_Static_assert(sizeof(struct msg_notify) == MSG_NOTIFY_MAX, "msg_notify");

/* log_setverbose(): -2 to 2 */
struct msg_log {
	int32_t verbose;
};
_Static_assert(sizeof(struct msg_log) == 4, "msg_log");

#define MSG_FDS_MAX 3
struct msg_reply {
	int32_t err;	      /* 0 or -errno */
	uint32_t tun_ifindex; /* MSG_DP_CREATE */
	uint32_t route_mtu;   /* MSG_DP_CREATE, MSG_DP_UPDATE */
	uint32_t has_pkt;     /* MSG_DP_CREATE: a packet socket came too */
	/* MSG_DP_COUNTERS: the eBPF programs' counters, and the LAN
	 * packets router mode dropped for their source (router.h) */
	uint64_t counters[XLAT_MAPS_CNT_MAX];
	uint64_t lan_spoofed;
	char why[256]; /* MSG_RELOAD: what is wrong with the file */
};
_Static_assert(sizeof(struct msg_reply) == 24 + 8 * XLAT_MAPS_CNT_MAX + 256,
	       "msg_reply");

struct msg_config {
	struct config cfg;
};

/* The payload size of a type, or 0 with *ok false for one that does not
 * exist. */
size_t msg_size(unsigned type, int *ok);

/* Send one message with nfds descriptors (at most MSG_FDS_MAX). Returns
 * 0 or -errno. */
int msg_send(int sock, unsigned type, const void *payload, size_t len,
	     const int *fds, unsigned nfds);

/* Receive one message into buf (at least sizeof(struct msg_hdr) plus the
 * largest payload), and up to MSG_FDS_MAX descriptors, close-on-exec.
 * Returns the payload's length, or -errno (-EBADMSG: malformed: short,
 * cut, of an unknown type, of the wrong size, or with descriptors other
 * than the header says; any it brought are closed). 0-length payloads
 * return 0; a closed peer -EPIPE. */
int msg_recv(int sock, struct msg_hdr *hdr, void *buf, size_t size, int *fds);

/* Whether a datagram of n bytes that came with nfds descriptors (-1:
 * some were cut), its header in hdr, is a message: a known type, the
 * payload of that type's size, the descriptors the header says. Returns
 * the payload's length or -EBADMSG. Pure. */
int msg_parse(const struct msg_hdr *hdr, size_t n, int nfds);

/* Check a request from the engine, as the parent does before it acts:
 * the header (type of engine -> parent, size, no descriptors) and each
 * field. Returns 0, or -EBADMSG with why. Pure: for tests and fuzzing. */
int msg_check_request(const struct msg_hdr *hdr, const void *payload,
		      const char **why);

/* A data path's parameters into a request, and back: the configuration
 * and the device's name are the receiver's. */
void msg_dp_make(uint32_t id, const struct dp_params *p, struct msg_dp *m);
void msg_dp_params(const struct msg_dp *m, const struct config *cfg,
		   const char *clat_dev, struct dp_params *p);

#endif
