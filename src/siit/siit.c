/* SPDX-License-Identifier: BSD-2-Clause */
/* The running translator (siit.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/rtnl.h"
#include "conffile.h"
#include "daemon/control.h"
#include "dp/dp_siit.h"
#include "dp/tun.h"
#include "gate.h"
#include "siit.h"
#include "siit_dp.h"
#include "siit_report.h"
#include "siit_state.h"
#include "statics.h"

/* The pool ages, and its state is saved when it changed, this often. */
#define SIIT_MAINT_USEC (10 * 1000000ULL)
/* Saved at least this often while it has mappings, for their last use. */
#define SIIT_SAVE_EVERY 3600

struct siit {
	sd_event *event;
	struct tayga_conf *conf;
	struct siit_opts opts;
	char socket_path[128];
	unsigned ifindex;
	uint16_t mtu;
	uint8_t key[16];
	struct hosts hosts;
	struct pool pool;
	bool has_pool;
	struct xlat_cfg xcfg;
	struct gate gate;
	struct siit_dp *dp;
	struct dp_siit *fast; /* NULL: the slow path alone */
	struct control *control;
	sd_event_source *timer;
	bool dirty;		  /* the pool changed since it was saved */
	uint32_t saved_confirmed; /* confirmed mappings at the last save */
	int64_t saved_at;
};

static int64_t
wall_now(void)
{
	return (int64_t)time(NULL);
}

static void
log_mapping(const struct siit *s, const char *what, const uint8_t v4[4],
	    const uint8_t v6[16])
{
	char a4[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN];

	if (!(s->conf->log & TAYGA_LOG_DYN))
		return;
	inet_ntop(AF_INET, v4, a4, sizeof(a4));
	inet_ntop(AF_INET6, v6, a6, sizeof(a6));
	log_info("dyn: %s %s <-> %s", what, a4, a6);
}

static void
fast_put(struct siit *s, const struct hosts_entry *e)
{
	int r;

	if (s->fast == NULL)
		return;
	r = dp_siit_host_put(s->fast, e->v6, e->v4, e->flags & HOSTS_F_STATIC,
			     e->flags & HOSTS_F_CONFIRMED);
	if (r < 0) {
		errno = -r;
		log_warn("fast path: host entry");
	}
}

static void
fast_del(struct siit *s, const uint8_t v6[16], const uint8_t v4[4])
{
	if (s->fast != NULL)
		dp_siit_host_del(s->fast, v6, v4);
}

/* Every entry of the host table into the fast path's. */
static void
fast_fill(struct siit *s)
{
	uint32_t i;

	for (i = 0; i < s->hosts.cap; i++)
		if (s->hosts.e[i].flags & HOSTS_F_USED)
			fast_put(s, &s->hosts.e[i]);
}

/* What the fast path saw of the dynamic mappings: their last use, and
 * whether the IPv4 side answered; for the pool's aging. */
static void
fast_seen(struct siit *s, int64_t now)
{
	uint32_t i;
	int64_t ago;
	bool confirmed;

	if (s->fast == NULL)
		return;
	for (i = 0; i < s->hosts.cap; i++) {
		struct hosts_entry *e = &s->hosts.e[i];

		if ((e->flags & (HOSTS_F_USED | HOSTS_F_STATIC)) !=
			    HOSTS_F_USED ||
		    dp_siit_host_seen(s->fast, e->v6, e->v4, &ago, &confirmed) <
			    0)
			continue;
		if (ago >= 0 && now - ago > e->last_use)
			e->last_use = now - ago;
		if (confirmed)
			e->flags |= HOSTS_F_CONFIRMED;
	}
}

/* A mapping the pool made (gate.h): to the fast path and the log. */
static void
on_change(void *arg, const struct gate_change *ch)
{
	struct siit *s = arg;

	if (ch->result == POOL_RECLAIMED) {
		log_mapping(s, "taken from", ch->old.v4, ch->old.old_v6);
		fast_del(s, ch->old.old_v6, ch->old.v4);
	}
	log_mapping(s, "assigned", ch->entry->v4, ch->entry->v6);
	fast_put(s, ch->entry);
	s->dirty = true;
}

/* An entry about to go (aged out, or in the way of a new map). */
static void
on_gone(const struct hosts_entry *e, void *arg)
{
	struct siit *s = arg;

	log_mapping(s, e->flags & HOSTS_F_STATIC ? "unmapped" : "expired",
		    e->v4, e->v6);
	fast_del(s, e->v6, e->v4);
	s->dirty = true;
}

static uint32_t
confirmed(const struct hosts *h)
{
	uint32_t i, n = 0;

	for (i = 0; i < h->cap; i++)
		n += (h->e[i].flags & (HOSTS_F_STATIC | HOSTS_F_CONFIRMED)) ==
		     HOSTS_F_CONFIRMED;
	return n;
}

static void
save_state(struct siit *s, int64_t now)
{
	if (!s->has_pool || s->conf->data_dir[0] == '\0')
		return;
	if (siit_state_save(&s->pool, s->conf->data_dir, now) >= 0) {
		s->dirty = false;
		s->saved_at = now;
		s->saved_confirmed = confirmed(&s->hosts);
	}
}

static int
on_timer(sd_event_source *src, uint64_t usec, void *arg)
{
	struct siit *s = arg;
	int64_t now = wall_now();

	if (s->has_pool) {
		fast_seen(s, now);
		pool_expire(&s->pool, now, on_gone, s);
		if (s->dirty || confirmed(&s->hosts) != s->saved_confirmed ||
		    (s->hosts.count > 0 &&
		     now - s->saved_at >= SIIT_SAVE_EVERY))
			save_state(s, now);
	}
	sd_event_source_set_time(src, usec + SIIT_MAINT_USEC);
	return 0;
}

static void
info(const struct siit *s, struct siit_info *i)
{
	memset(i, 0, sizeof(*i));
	i->conf = s->conf;
	i->tun_ifindex = s->ifindex;
	i->mtu = s->mtu;
	i->hosts = &s->hosts;
	i->pool = s->has_pool ? &s->pool : NULL;
	i->now = wall_now();
	i->stats = siit_dp_stats(s->dp);
	i->cnt = siit_dp_counters(s->dp);
	i->fast_path = s->fast != NULL ? dp_siit_mode(s->fast) : "off";
	if (s->fast != NULL)
		dp_siit_counters(s->fast, i->fast_packets);
}

static int
on_control(const char *command, const char *param, FILE *out, char *why,
	   size_t whylen, void *arg)
{
	struct siit *s = arg;
	bool json = strcmp(param, "json") == 0;
	struct siit_info i;

	if (param[0] != '\0' && !json) {
		snprintf(why, whylen, "%s: unexpected '%s'", command, param);
		return -1;
	}
	fast_seen(s, wall_now());
	info(s, &i);
	if (strcmp(command, "status") == 0) {
		siit_report_status(&i, json, out);
	} else if (strcmp(command, "stats") == 0) {
		siit_report_stats(&i, json, out);
	} else if (strcmp(command, "reload") == 0 && !json) {
		if (siit_reload(s) < 0) {
			snprintf(why, whylen,
				 "the map-file has errors (see the log); the "
				 "maps in use are kept");
			return -1;
		}
	} else {
		snprintf(why, whylen, "unknown command '%s'", command);
		return -1;
	}
	return 0;
}

/* The MTU of the TUN device, for both sides of the core. */
static int
read_mtu(struct siit *s)
{
	struct rtnl_link link;
	struct rtnl *rtnl;
	int r;

	if ((rtnl = rtnl_open(RTNL_FOLLOW_NONE)) == NULL)
		return -errno;
	r = rtnl_link_get(rtnl, s->ifindex, &link);
	rtnl_close(rtnl);
	if (r < 0)
		return r;
	s->mtu = link.mtu > UINT16_MAX ? UINT16_MAX : (uint16_t)link.mtu;
	return 0;
}

/* The core's settings from the configuration, and the tables. */
static int
apply(struct siit *s, const struct tayga_conf *c)
{
	char err[512];
	struct xlat_cfg x;

	if (statics_apply(&s->hosts, s->has_pool ? &s->pool : NULL, c, on_gone,
			  s, err, sizeof(err)) < 0 ||
	    !tayga_conf_xlat(c, &x, err, sizeof(err))) {
		log_warnx("%s", err);
		return -1;
	}
	x.hosts = &s->hosts.ops;
	s->xcfg = x;
	if (s->fast != NULL) {
		struct dp_siit_addrs a = {
			.own4 = c->ipv4_addr,
			.own6 = c->ipv6_addr,
			.has_pool = c->has_pool,
			.pool = c->pool,
		};
		int r = dp_siit_set_cfg(s->fast, &s->xcfg, &a);

		if (r < 0) {
			errno = -r;
			log_warn("fast path: configuration");
		}
	}
	return 0;
}

static int
reload(struct siit *s)
{
	struct tayga_conf *fresh;
	char err[512];
	int r;

	if (s->conf->map_file[0] == '\0') {
		log_info("reload: no map-file to read again");
		return 0;
	}
	if ((fresh = malloc(sizeof(*fresh))) == NULL) {
		log_warn("%s", __func__);
		return -1;
	}
	memcpy(fresh, s->conf, sizeof(*fresh));
	if (conffile_read_maps(fresh, err, sizeof(err)) < 0) {
		log_warnx("%s; the maps in use are kept", err);
		free(fresh);
		return -1;
	}
	if (read_mtu(s) < 0)
		log_warn("%s: MTU", s->conf->tun_device);
	if ((r = apply(s, fresh)) == 0) {
		fast_fill(s);
		free(s->conf);
		s->conf = fresh;
		siit_dp_set_cfg(s->dp, &s->xcfg, s->conf->log);
		log_info("%s: %u maps from the map-file", fresh->map_file,
			 fresh->n_maps - fresh->n_conf_maps);
	} else {
		free(fresh);
	}
	return r;
}

int
siit_reload(struct siit *s)
{
	int r;

	sd_notify(0, "RELOADING=1");
	r = reload(s);
	sd_notify(0, "READY=1");
	return r;
}

static uint32_t
hosts_room(const struct tayga_conf *c)
{
	uint64_t pool = c->has_pool ? (1ULL << (32 - c->pool.len)) : 0;

	return TAYGA_MAPS_MAX +
	       (uint32_t)(pool < POOL_DYNAMIC_MAX ? pool : POOL_DYNAMIC_MAX);
}

static int
open_tables(struct siit *s)
{
	const struct tayga_conf *c = s->conf;
	int r;

	if (getrandom(s->key, sizeof(s->key), 0) != sizeof(s->key))
		return -errno;
	if ((r = hosts_init(&s->hosts, hosts_room(c), s->key)) < 0)
		return r;
	if (c->has_pool) {
		if ((r = pool_init(&s->pool, &s->hosts,
				   ntohl(c->pool.addr.s_addr), c->pool.len)) <
		    0)
			return r;
		s->has_pool = true;
	}
	return 0;
}

static void
load_state(struct siit *s)
{
	int n;

	if (!s->has_pool || s->conf->data_dir[0] == '\0')
		return;
	n = siit_state_load(&s->pool, s->conf->data_dir, wall_now());
	if (n > 0)
		log_info("%s: %d dynamic mappings restored", s->conf->data_dir,
			 n);
	s->saved_at = wall_now();
	s->saved_confirmed = confirmed(&s->hosts);
}

static int
open_io(struct siit *s, int tun_fd)
{
	int r;

	s->dp = siit_dp_new(s->event, tun_fd, s->conf->tun_device, &s->gate,
			    on_change, s);
	if (s->dp == NULL)
		return -1;
	siit_dp_set_cfg(s->dp, &s->xcfg, s->conf->log);
	if (s->opts.socket_path != NULL)
		snprintf(s->socket_path, sizeof(s->socket_path), "%s",
			 s->opts.socket_path);
	else
		snprintf(s->socket_path, sizeof(s->socket_path), "%s/%s.sock",
			 SIIT_SOCKET_DIR, s->conf->tun_device);
	if ((r = control_listen(s->socket_path)) < 0) {
		errno = -r;
		log_warn("control socket %s", s->socket_path);
	} else {
		s->control = control_open(s->event, r, on_control, s);
	}
	r = sd_event_add_time_relative(s->event, &s->timer, CLOCK_MONOTONIC,
				       SIIT_MAINT_USEC, 0, on_timer, s);
	if (r < 0) {
		errno = -r;
		log_warn("%s: timer", __func__);
		return -1;
	}
	return sd_event_source_set_enabled(s->timer, SD_EVENT_ON) < 0 ? -1 : 0;
}

struct siit *
siit_new(sd_event *event, struct tayga_conf *conf, const struct siit_opts *opts)
{
	struct siit *s;
	int tun_fd, r;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		free(conf);
		log_warn("%s", __func__);
		return NULL;
	}
	s->event = event;
	s->conf = conf;
	s->opts = *opts;
	tun_fd = tun_open_flags(conf->tun_device, TUN_OPEN_KEEP, &s->ifindex);
	if (tun_fd < 0) {
		errno = -tun_fd;
		log_warn("tun-device %s", conf->tun_device);
		goto fail;
	}
	if ((r = read_mtu(s)) < 0 || (r = open_tables(s)) < 0) {
		close(tun_fd);
		errno = -r;
		log_warn("%s: setting up", conf->tun_device);
		goto fail;
	}
	if (opts->fast_path &&
	    (s->fast = dp_siit_open(s->ifindex, hosts_room(conf), 0)) == NULL)
		log_info("%s: no fast path: every packet goes through "
			 "userspace",
			 conf->tun_device);
	s->gate = (struct gate){
		.cfg = &s->xcfg,
		.pool = s->has_pool ? &s->pool : NULL,
		.own4 = conf->ipv4_addr,
		.own6 = conf->ipv6_addr,
	};
	if (apply(s, conf) < 0) {
		close(tun_fd);
		goto fail;
	}
	load_state(s);
	fast_fill(s);
	if (open_io(s, tun_fd) < 0)
		goto fail;
	return s;
fail:
	siit_free(s);
	return NULL;
}

void
siit_free(struct siit *s)
{
	if (s == NULL)
		return;
	if (s->dp != NULL) {
		fast_seen(s, wall_now());
		save_state(s, wall_now());
	}
	sd_event_source_disable_unref(s->timer);
	if (s->control != NULL) {
		control_close(s->control);
		unlink(s->socket_path);
	}
	siit_dp_free(s->dp);
	dp_siit_close(s->fast);
	if (s->has_pool)
		pool_free(&s->pool);
	hosts_free(&s->hosts);
	free(s->conf);
	free(s);
}
