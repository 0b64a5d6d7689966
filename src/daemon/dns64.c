/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 7050 §3: the NAT64 prefix from a DNS64's answer for AAAA
 * ipv4only.arpa. c-ares does the DNS; its sockets and its timeout are
 * driven by sd-event: ARES_OPT_SOCK_STATE_CB adds and drops one IO source
 * per socket, and a timer follows ares_timeout(). A deadline bounds the
 * whole lookup, and the result reaches the caller from a defer source,
 * never from inside c-ares, so the callback may restart or free us.
 */
#include <arpa/nameser.h>
#include <ares.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "dns64.h"
#include "common/log.h"
#include "xlatd/xlat_rfc6052.h"

/* RFC 7050 §2.1: the Well-Known Name; §2.2: the Well-Known IPv4
 * Addresses 192.0.0.170 and 192.0.0.171 it resolves to. */
#define DNS64_WKN "ipv4only.arpa"
static const uint8_t dns64_wka[3] = {192, 0, 0}; /* then 170 or 171 */
#define DNS64_WKA_PRIMARY 170
#define DNS64_WKA_SECONDARY 171

/* c-ares: per-try timeout (doubled each round through the servers) and
 * rounds; DNS64_TIMEOUT_USEC caps the sum. */
#define DNS64_TRY_MS 1000
#define DNS64_TRIES 2

/* Timer slack; sd-event's default is 250 ms. */
#define DNS64_ACCURACY_USEC 10000

#define DNS64_ANSWERS_MAX 16

/* RFC 6052 §2.2: the valid lengths, longest first. */
static const uint8_t dns64_lens[] = {96, 64, 56, 48, 40, 32};
#define DNS64_NLENS (sizeof(dns64_lens) / sizeof(dns64_lens[0]))

struct dns64_sock {
	struct dns64_sock *next;
	int fd;
	sd_event_source *io;
};

struct dns64 {
	char label[32]; /* the uplink's name, for the log */
	sd_event *event;
	ares_channel channel;
	dns64_done_cb cb;
	void *arg;
	struct dns64_sock *socks;
	sd_event_source *timer;	   /* follows ares_timeout() */
	sd_event_source *deadline; /* DNS64_TIMEOUT_USEC per lookup */
	sd_event_source *report;   /* delivers the result */
	bool running;
	bool quiet; /* inside ares_cancel()/ares_destroy(): no result */
	bool found;
	struct xlat_prefix6 prefix;
};

/* The bit i of the result is set when a WKA sits at dns64_lens[i]. */
static unsigned
dns64_match(const uint8_t a[16])
{
	unsigned i, mask = 0;
	uint8_t v4[4];

	/* The u-octet MUST be zero (at /96 it lies in the prefix, which
	 * xlat_prefix6_valid() wants zero there too). */
	for (i = 0; i < DNS64_NLENS; i++) {
		if (!xlat_rfc6052_get(a, dns64_lens[i], v4))
			return 0;
		if (memcmp(v4, dns64_wka, sizeof(dns64_wka)) == 0 &&
		    (v4[3] == DNS64_WKA_PRIMARY ||
		     v4[3] == DNS64_WKA_SECONDARY))
			mask |= 1u << i;
	}
	return mask;
}

/* The prefix of length dns64_lens[i]: the bits after it zero. */
static void
dns64_prefix_at(const uint8_t a[16], unsigned i, struct xlat_prefix6 *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->addr.s6_addr, a, dns64_lens[i] / 8);
	out->len = dns64_lens[i];
}

bool
dns64_prefix_from_aaaa(const uint8_t addr[16], struct xlat_prefix6 *out)
{
	unsigned mask = dns64_match(addr);

	if (mask == 0)
		return false;
	/* the lowest bit is the longest length */
	dns64_prefix_at(addr, (unsigned)__builtin_ctz(mask), out);
	return true;
}

/* RFC 7050 §3: the WKA at length i in every record that has one, each
 * time under the same prefix. */
static bool
dns64_consistent(const struct in6_addr *addrs, unsigned n, unsigned i,
		 struct xlat_prefix6 *out)
{
	struct xlat_prefix6 p;
	bool any = false;
	unsigned k, mask;

	for (k = 0; k < n; k++) {
		if ((mask = dns64_match(addrs[k].s6_addr)) == 0)
			continue;
		if (!(mask & 1u << i))
			return false;
		dns64_prefix_at(addrs[k].s6_addr, i, &p);
		if (any && memcmp(&p, out, sizeof(p)) != 0)
			return false;
		*out = p;
		any = true;
	}
	return any;
}

bool
dns64_prefix_from_addrs(const struct in6_addr *addrs, unsigned n,
			struct xlat_prefix6 *out)
{
	unsigned i, k;

	for (i = 0; i < DNS64_NLENS; i++)
		if (dns64_consistent(addrs, n, i, out))
			return true;
	/* §3 allows several Pref64::/n; a CLAT uses one: the first. */
	for (k = 0; k < n; k++)
		if (dns64_prefix_from_aaaa(addrs[k].s6_addr, out))
			return true;
	return false;
}

/* Hand the result to the caller from the event loop. */
static void
dns64_finish(struct dns64 *d, bool found, const struct xlat_prefix6 *prefix)
{
	d->running = false;
	sd_event_source_set_enabled(d->deadline, SD_EVENT_OFF);
	d->found = found;
	if (found)
		d->prefix = *prefix;
	sd_event_source_set_enabled(d->report, SD_EVENT_ONESHOT);
}

static int
dns64_on_report(sd_event_source *s, void *arg)
{
	struct dns64 *d = arg;
	struct xlat_prefix6 prefix = d->prefix;
	bool found = d->found;

	(void)s;
	/* last: the callback may free d */
	d->cb(found, found ? &prefix : NULL, d->arg);
	return 0;
}

int
dns64_prefix_from_reply(const uint8_t *abuf, size_t alen,
			struct xlat_prefix6 *out)
{
	struct ares_addr6ttl rr[DNS64_ANSWERS_MAX];
	struct in6_addr addrs[DNS64_ANSWERS_MAX];
	int i, n = DNS64_ANSWERS_MAX, status;

	if (alen > INT_MAX)
		return -ARES_EBADRESP;
	status = ares_parse_aaaa_reply(abuf, (int)alen, NULL, rr, &n);
	if (status != ARES_SUCCESS)
		return -status;
	for (i = 0; i < n; i++)
		memcpy(&addrs[i], &rr[i].ip6addr, sizeof(addrs[i]));
	return dns64_prefix_from_addrs(addrs, (unsigned)n, out);
}

static void
dns64_on_reply(void *arg, int status, int timeouts, unsigned char *abuf,
	       int alen)
{
	struct xlat_prefix6 prefix;
	struct dns64 *d = arg;
	int r;

	(void)timeouts;
	if (d->quiet)
		return;
	if (status != ARES_SUCCESS) {
		log_debug("%s: dns64: %s: %s", d->label, DNS64_WKN,
			  ares_strerror(status));
		dns64_finish(d, false, NULL);
		return;
	}
	r = dns64_prefix_from_reply(abuf, (size_t)alen, &prefix);
	if (r < 0)
		log_debug("%s: dns64: %s AAAA: %s", d->label, DNS64_WKN,
			  ares_strerror(-r));
	else if (r == 0)
		log_warnx("%s: dns64: %s AAAA without 192.0.0.170/171 embedded",
			  d->label, DNS64_WKN);
	dns64_finish(d, r > 0, &prefix);
}

/* Point the timer at c-ares's next timeout, or stop it. */
static void
dns64_arm(struct dns64 *d)
{
	struct timeval tv, *t;
	uint64_t now;

	if ((t = ares_timeout(d->channel, NULL, &tv)) == NULL ||
	    sd_event_now(d->event, CLOCK_MONOTONIC, &now) < 0) {
		sd_event_source_set_enabled(d->timer, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time(d->timer, now + (uint64_t)t->tv_sec * 1000000 +
						   (uint64_t)t->tv_usec);
	sd_event_source_set_enabled(d->timer, SD_EVENT_ONESHOT);
}

static int
dns64_on_timer(sd_event_source *s, uint64_t usec, void *arg)
{
	struct dns64 *d = arg;

	(void)s;
	(void)usec;
	ares_process_fd(d->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	dns64_arm(d);
	return 0;
}

static int
dns64_on_io(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct dns64 *d = arg;
	ares_socket_t r = ARES_SOCKET_BAD, w = ARES_SOCKET_BAD;

	(void)s;
	if (revents & (EPOLLIN | EPOLLERR | EPOLLHUP))
		r = fd;
	if (revents & EPOLLOUT)
		w = fd;
	/* may drop this source through dns64_on_sock_state() */
	ares_process_fd(d->channel, r, w);
	dns64_arm(d);
	return 0;
}

static void
dns64_on_sock_state(void *arg, ares_socket_t fd, int readable, int writable)
{
	struct dns64 *d = arg;
	struct dns64_sock **pp, *sk;
	uint32_t events = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0);
	int r;

	for (pp = &d->socks; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->fd == fd)
			break;
	if ((sk = *pp) != NULL && events == 0) {
		*pp = sk->next;
		sd_event_source_disable_unref(sk->io);
		free(sk);
		return;
	}
	if (sk != NULL) {
		if ((r = sd_event_source_set_io_events(sk->io, events)) < 0)
			log_warnx("%s: dns64: io events: %s", d->label,
				  strerror(-r));
		return;
	}
	if (events == 0)
		return;
	if ((sk = calloc(1, sizeof(*sk))) == NULL) {
		log_warn("%s: dns64: socket %d", d->label, fd);
		return; /* the deadline ends the lookup */
	}
	sk->fd = fd;
	r = sd_event_add_io(d->event, &sk->io, fd, events, dns64_on_io, d);
	if (r < 0) {
		log_warnx("%s: dns64: socket %d: %s", d->label, fd,
			  strerror(-r));
		free(sk);
		return;
	}
	sk->next = d->socks;
	d->socks = sk;
}

/* Stop the running query; c-ares calls back with ARES_ECANCELLED. */
static void
dns64_cancel(struct dns64 *d)
{
	d->quiet = true;
	ares_cancel(d->channel);
	d->quiet = false;
	d->running = false;
	sd_event_source_set_enabled(d->deadline, SD_EVENT_OFF);
	dns64_arm(d);
}

static int
dns64_on_deadline(sd_event_source *s, uint64_t usec, void *arg)
{
	struct dns64 *d = arg;

	(void)s;
	(void)usec;
	log_debug("%s: dns64: %s: no answer in %llu s", d->label, DNS64_WKN,
		  (unsigned long long)(DNS64_TIMEOUT_USEC / 1000000));
	dns64_cancel(d);
	dns64_finish(d, false, NULL);
	return 0;
}

int
dns64_start(struct dns64 *d)
{
	uint64_t now;
	int r;

	if (d->running)
		dns64_cancel(d);
	sd_event_source_set_enabled(d->report, SD_EVENT_OFF);
	if ((r = sd_event_now(d->event, CLOCK_MONOTONIC, &now)) < 0)
		return r;
	if ((r = sd_event_source_set_time(d->deadline,
					  now + DNS64_TIMEOUT_USEC)) < 0 ||
	    (r = sd_event_source_set_enabled(d->deadline, SD_EVENT_ONESHOT)) <
		    0)
		return r;
	d->running = true;
	/* RFC 7050 §3: "a DNS query for AAAA resource records of the
	 * Well-Known IPv4-only Name". A failure here (no servers, say)
	 * comes back through dns64_on_reply() at once. */
	ares_query(d->channel, DNS64_WKN, ns_c_in, ns_t_aaaa, dns64_on_reply,
		   d);
	dns64_arm(d);
	return 0;
}

/* clatd's list may be separated by blanks too; c-ares wants commas. */
static int
dns64_set_servers(struct dns64 *d, const char *servers)
{
	char *csv, *p;
	int status;

	if ((csv = strdup(servers)) == NULL)
		return -errno;
	for (p = csv; *p != '\0'; p++)
		if (*p == ' ' || *p == '\t')
			*p = ',';
	status = ares_set_servers_ports_csv(d->channel, csv);
	free(csv);
	if (status != ARES_SUCCESS) {
		log_warnx("%s: dns64: servers '%s': %s", d->label, servers,
			  ares_strerror(status));
		return status == ARES_ENOMEM ? -ENOMEM : -EINVAL;
	}
	return 0;
}

static int
dns64_init_channel(struct dns64 *d, const char *servers)
{
	struct ares_options opts;
	int status;

	memset(&opts, 0, sizeof(opts));
	opts.sock_state_cb = dns64_on_sock_state;
	opts.sock_state_cb_data = d;
	opts.timeout = DNS64_TRY_MS;
	opts.tries = DNS64_TRIES;
	status = ares_init_options(&d->channel, &opts,
				   ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS |
					   ARES_OPT_TRIES);
	if (status != ARES_SUCCESS) {
		log_warnx("%s: dns64: c-ares: %s", d->label,
			  ares_strerror(status));
		d->channel = NULL;
		return status == ARES_ENOMEM ? -ENOMEM : -EIO;
	}
	if (servers != NULL && servers[0] != '\0')
		return dns64_set_servers(d, servers);
	return 0;
}

struct dns64 *
dns64_new(sd_event *event, const char *label, const char *servers,
	  dns64_done_cb cb, void *arg)
{
	struct dns64 *d;
	int r;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	snprintf(d->label, sizeof(d->label), "%s", label);
	d->event = sd_event_ref(event);
	d->cb = cb;
	d->arg = arg;
	if ((r = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		free(d);
		sd_event_unref(event);
		errno = ENOMEM;
		return NULL;
	}
	if ((r = dns64_init_channel(d, servers)) < 0 ||
	    (r = sd_event_add_time(event, &d->timer, CLOCK_MONOTONIC, 0,
				   DNS64_ACCURACY_USEC, dns64_on_timer, d)) <
		    0 ||
	    (r = sd_event_add_time(event, &d->deadline, CLOCK_MONOTONIC, 0,
				   DNS64_ACCURACY_USEC, dns64_on_deadline, d)) <
		    0 ||
	    (r = sd_event_add_defer(event, &d->report, dns64_on_report, d)) < 0)
		goto fail;
	sd_event_source_set_enabled(d->timer, SD_EVENT_OFF);
	sd_event_source_set_enabled(d->deadline, SD_EVENT_OFF);
	sd_event_source_set_enabled(d->report, SD_EVENT_OFF);
	return d;
fail:
	dns64_free(d);
	errno = -r;
	return NULL;
}

void
dns64_free(struct dns64 *d)
{
	struct dns64_sock *sk;

	if (d == NULL)
		return;
	if (d->channel != NULL) {
		d->quiet = true;
		ares_destroy(d->channel); /* closes its sockets through
					     dns64_on_sock_state() */
	}
	while ((sk = d->socks) != NULL) {
		d->socks = sk->next;
		sd_event_source_disable_unref(sk->io);
		free(sk);
	}
	sd_event_source_disable_unref(d->timer);
	sd_event_source_disable_unref(d->deadline);
	sd_event_source_disable_unref(d->report);
	sd_event_unref(d->event);
	free(d);
	ares_library_cleanup();
}
