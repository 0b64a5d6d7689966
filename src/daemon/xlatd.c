/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatd: a 464XLAT CLAT (RFC 6877) for Linux. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "datapath.h"
#include "router.h"
#include "dp/dp_bpf.h"
#include "dp/ifname.h"
#include "instance.h"
#include "common/log.h"
#include "report.h"
#include "common/rtnl.h"
#include "msg.h"
#include "parent.h"
#include "priv.h"
#include "sandbox.h"
#include "secret.h"
#include "sysstate.h"

/* RFC 7335: 192.0.0.1 - 192.0.0.7, one per instance. */
#define INSTANCES_MAX 7
/* Link and route events are coalesced this long before a scan. */
#define SCAN_DELAY_USEC (50 * 1000ULL)

struct daemon {
	sd_event *event;
	struct rtnl *rtnl;
	const char *config_path;
	bool config_explicit;
	int argc;
	char **argv; /* key=value overrides */
	int verbose, quiet;
	struct config cfg;
	uint8_t secret[CLAT_SECRET_LEN];
	/* config_one_clat: one instance; otherwise one per uplink */
	struct instance *inst[INSTANCES_MAX];
	unsigned n_inst;
	bool no_route_told; /* route_uplink found none, and said so */
	sd_event_source *scan_timer;
	struct control *control;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: xlatd [-dnqh] [--version] [-c file] [key=value ...]\n"
		"  -c file    configuration file (default %s)\n"
		"  -d         more log output (repeat for more)\n"
		"  -n         check the configuration and exit\n"
		"  -q         less log output\n"
		"  key=value  override a setting of the file; see "
		"xlatd.conf(5)\n",
		CONFIG_DEFAULT_PATH);
}

/* The file, then the command line; every error names its place. */
static int
load_config(struct daemon *d, struct config *cfg)
{
	char err[1024];
	int i;

	config_init(cfg);
	if (config_load(cfg, d->config_path, d->config_explicit, err,
			sizeof(err)) < 0)
		goto fail;
	for (i = 0; i < d->argc; i++) {
		char key[CONF_KEY_MAX], *eq = strchr(d->argv[i], '=');

		if (eq == NULL || (size_t)(eq - d->argv[i]) >= sizeof(key)) {
			snprintf(err, sizeof(err),
				 "command line: '%s' is not key=value",
				 d->argv[i]);
			goto fail;
		}
		memcpy(key, d->argv[i], (size_t)(eq - d->argv[i]));
		key[eq - d->argv[i]] = '\0';
		if (config_set(cfg, key, eq + 1, "command line", err,
			       sizeof(err)) < 0)
			goto fail;
	}
	if (config_finish(cfg, err, sizeof(err)) < 0)
		goto fail;
	return 0;
fail:
	log_warnx("%s", err);
	return -1;
}

static void
report_ignored(const struct config *cfg)
{
	unsigned i;

	for (i = 0; i < cfg->ignored_count; i++)
		log_info("%s: clatd setting ignored: xlatd needs no TAYGA, "
			 "forwarding, proxy-ND or firewall rules",
			 cfg->ignored[i]);
}

static void schedule_scan(struct daemon *d);
static void stop_instances(struct daemon *d);

static void
on_rtnl_event(const struct rtnl_event *ev, void *arg)
{
	struct daemon *d = arg;
	unsigned i;

	for (i = 0; i < d->n_inst; i++)
		instance_on_event(d->inst[i], ev);
	if (d->cfg.plat_dev[0] == '\0' &&
	    (ev->type == RTNL_EV_LINK_NEW || ev->type == RTNL_EV_LINK_DEL ||
	     ev->type == RTNL_EV_ROUTE_NEW || ev->type == RTNL_EV_ROUTE_DEL ||
	     ev->type == RTNL_EV_RULE || ev->type == RTNL_EV_OVERRUN))
		schedule_scan(d);
}

static int
on_rtnl(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	struct daemon *d = arg;
	int r;

	(void)s;
	(void)fd;
	(void)revents;
	if ((r = rtnl_read_events(d->rtnl, on_rtnl_event, d)) < 0) {
		errno = -r;
		log_warn("netlink events");
	}
	return 0;
}

/* The 192.0.0.0/29 addresses the other instances hold or have chosen. */
static void
claimed_v4(const struct instance *self, uint8_t claimed[8], void *arg)
{
	struct daemon *d = arg;
	struct in_addr a;
	uint8_t *b = (uint8_t *)&a;
	unsigned i;

	for (i = 0; i < d->n_inst; i++)
		if (d->inst[i] != self && instance_v4(d->inst[i], &a) &&
		    b[0] == 192 && b[1] == 0 && b[2] == 0 && b[3] < 8)
			claimed[b[3]] = 1;
}

static struct instance *
add_instance(struct daemon *d, unsigned ifindex, const char *clat_dev)
{
	struct inst_env env = {
		.event = d->event,
		.rtnl = d->rtnl,
		.cfg = &d->cfg,
		.secret = d->secret,
		.claimed_v4 = claimed_v4,
		.arg = d,
	};
	char up[IFNAME_LABEL_LEN];
	struct instance *inst;

	if (d->n_inst == INSTANCES_MAX) {
		log_warnx("%s: already %u instances, the most "
			  "192.0.0.0/29 has room for",
			  ifname_label(ifindex, up), d->n_inst);
		return NULL;
	}
	if ((inst = instance_new(&env, ifindex, clat_dev)) != NULL)
		d->inst[d->n_inst++] = inst;
	return inst;
}

/* clat-dev, a dash and the uplink's name; the ifindex instead of the
 * name where that would not fit in IFNAMSIZ, so names never collide. */
static void
instance_dev_name(const struct config *cfg, unsigned ifindex,
		  const char *uplink, char out[IF_NAMESIZE])
{
	char name[2 * IF_NAMESIZE + 2];

	snprintf(name, sizeof(name), "%s-%s", cfg->clat_dev, uplink);
	if (strlen(name) >= IF_NAMESIZE)
		snprintf(name, sizeof(name), "%s-%u", cfg->clat_dev, ifindex);
	snprintf(out, IF_NAMESIZE, "%.*s", IF_NAMESIZE - 1, name);
}

/* Preferred uplinks first, so they get the lower 192.0.0.x. */
static int
uplink_cmp(const void *a, const void *b)
{
	const struct sysstate_v6_uplink *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

/* No plat-dev: every link with an IPv6 default route gets an instance;
 * an instance goes when its link goes. */
static void
scan_uplinks(struct daemon *d)
{
	struct sysstate_v6_uplink up[16];
	char ifname[IF_NAMESIZE], dev[IF_NAMESIZE];
	struct inst_info gone;
	unsigned i, k;
	int n;

	if ((n = sysstate_v6_uplinks(d->rtnl, up, 16)) < 0) {
		errno = -n;
		log_warn("IPv6 default routes");
		return;
	}
	qsort(up, (size_t)n, sizeof(up[0]), uplink_cmp);
	for (i = 0; i < d->n_inst;) {
		if (if_indextoname(instance_ifindex(d->inst[i]), ifname) ==
		    NULL) {
			instance_info(d->inst[i], &gone);
			log_info("%s: ifindex %u is gone: its instance stops",
				 gone.uplink, instance_ifindex(d->inst[i]));
			instance_free(d->inst[i]);
			d->inst[i] = d->inst[--d->n_inst];
			continue;
		}
		i++;
	}
	for (k = 0; k < (unsigned)n; k++) {
		for (i = 0; i < d->n_inst; i++)
			if (instance_ifindex(d->inst[i]) == up[k].ifindex)
				break;
		if (i < d->n_inst ||
		    if_indextoname(up[k].ifindex, ifname) == NULL)
			continue;
		instance_dev_name(&d->cfg, up[k].ifindex, ifname, dev);
		log_info("%s: IPv6 default route: instance on %s", ifname, dev);
		add_instance(d, up[k].ifindex, dev);
	}
	for (i = 0; i < d->n_inst; i++) {
		bool found = false;
		int pref = 0;

		for (k = 0; k < (unsigned)n; k++)
			if (instance_ifindex(d->inst[i]) == up[k].ifindex) {
				found = true;
				pref = up[k].pref;
			}
		instance_set_uplink(d->inst[i], found, pref, d->n_inst > 1);
	}
}

/* Where route_uplink looks: the PLAT prefix in use, else the
 * configured one, else the well-known prefix (RFC 6052 §2.1). */
static void
plat_target(const struct daemon *d, struct in6_addr *dst)
{
	struct inst_info info;

	memset(dst, 0, sizeof(*dst));
	dst->s6_addr[1] = 0x64;
	dst->s6_addr[2] = 0xff;
	dst->s6_addr[3] = 0x9b;
	if (d->n_inst == 1) {
		instance_info(d->inst[0], &info);
		if (info.prefix_source != PREFIX_NONE) {
			*dst = info.prefix.addr;
			return;
		}
	}
	if (d->cfg.has_plat_prefix)
		*dst = d->cfg.plat_prefix.addr;
	else if (d->cfg.has_plat_fallback_prefix)
		*dst = d->cfg.plat_fallback_prefix.addr;
}

/* clat-v6-addr and no plat-dev, as clatd: the uplink is the link the
 * kernel would send a packet from the CLAT address toward the PLAT
 * through, policy rules included (a unicast route; not a local,
 * unreachable or blackhole one). One instance, on clat-dev; made anew
 * only when that link changes. */
static void
route_uplink(struct daemon *d)
{
	struct rtnl_route r;
	struct in6_addr dst;
	char ifname[IF_NAMESIZE] = "";
	unsigned ifindex = 0;

	plat_target(d, &dst);
	if (rtnl_route_get_from(d->rtnl, AF_INET6, &dst, &d->cfg.clat_v6, &r) ==
		    0 &&
	    r.type == RTN_UNICAST && r.ifindex != 0 &&
	    if_indextoname(r.ifindex, ifname) != NULL)
		ifindex = r.ifindex;
	if (ifindex == 0 && !d->no_route_told) {
		char a[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];

		log_info("no route from %s toward %s: waiting for one",
			 inet_ntop(AF_INET6, &d->cfg.clat_v6, s, sizeof(s)),
			 inet_ntop(AF_INET6, &dst, a, sizeof(a)));
	}
	d->no_route_told = ifindex == 0;
	if (d->n_inst == 1 &&
	    (ifindex == 0 || instance_ifindex(d->inst[0]) == ifindex)) {
		instance_set_uplink(d->inst[0], ifindex != 0, 0, false);
		return;
	}
	stop_instances(d);
	if (ifindex == 0)
		return;
	log_info("%s: the route toward the PLAT prefix: instance on %s", ifname,
		 d->cfg.clat_dev);
	if (add_instance(d, ifindex, d->cfg.clat_dev) != NULL)
		instance_set_uplink(d->inst[0], true, 0, false);
}

static void
scan(struct daemon *d)
{
	if (config_one_clat(&d->cfg))
		route_uplink(d);
	else
		scan_uplinks(d);
}

static int
on_scan(sd_event_source *s, uint64_t usec, void *arg)
{
	(void)s;
	(void)usec;
	scan(arg);
	return 0;
}

static void
schedule_scan(struct daemon *d)
{
	int enabled = SD_EVENT_OFF;
	int r;

	if (d->scan_timer != NULL) {
		sd_event_source_get_enabled(d->scan_timer, &enabled);
		if (enabled == SD_EVENT_OFF) {
			sd_event_source_set_time_relative(d->scan_timer,
							  SCAN_DELAY_USEC);
			sd_event_source_set_enabled(d->scan_timer,
						    SD_EVENT_ONESHOT);
		}
		return;
	}
	r = sd_event_add_time_relative(d->event, &d->scan_timer,
				       CLOCK_MONOTONIC, SCAN_DELAY_USEC, 0,
				       on_scan, d);
	if (r < 0) {
		errno = -r;
		log_warn("%s", __func__);
	}
}

static int
start_instances(struct daemon *d)
{
	unsigned ifindex;

	if (d->cfg.plat_dev[0] == '\0') {
		scan(d);
		return 0;
	}
	if ((ifindex = if_nametoindex(d->cfg.plat_dev)) == 0) {
		log_warnx("plat-dev: no interface '%s'", d->cfg.plat_dev);
		return -1;
	}
	return add_instance(d, ifindex, d->cfg.clat_dev) == NULL ? -1 : 0;
}

static void
stop_instances(struct daemon *d)
{
	while (d->n_inst > 0)
		instance_free(d->inst[--d->n_inst]);
}

/* Leftovers of a run that crashed: only clsact filters can outlive the
 * process (the TUN, the tcx link and the sockets die with it). */
static int
cleanup_link(const struct rtnl_link *l, void *arg)
{
	int n = dp_bpf_cleanup_stale(l->ifindex);

	(void)arg;
	if (n > 0)
		log_info("%s: removed %d eBPF filter(s) left by an earlier "
			 "run",
			 l->name, n);
	return 0;
}

/* The log level of both processes. */
static void
set_log_level(int verbose)
{
	log_setverbose(verbose);
	priv_log_level(verbose);
}

/* The device name of the instance on ifindex. */
static void
dev_name(const struct daemon *d, unsigned ifindex, char out[IF_NAMESIZE])
{
	char ifname[IF_NAMESIZE];

	if (config_one_clat(&d->cfg) || if_indextoname(ifindex, ifname) == NULL)
		snprintf(out, IF_NAMESIZE, "%s", d->cfg.clat_dev);
	else
		instance_dev_name(&d->cfg, ifindex, ifname, out);
}

/* A new configuration in d->cfg, old the one before: each instance
 * changes only what it must. Another plat-dev starts them anew. */
static void
apply_config(struct daemon *d, const struct config *old)
{
	char dev[IF_NAMESIZE];
	unsigned i;

	/* a level set by xlatctl log stays unless the file's changes */
	if (d->cfg.debug != old->debug || d->cfg.quiet != old->quiet)
		set_log_level(d->verbose + d->cfg.debug - d->quiet -
			      d->cfg.quiet);
	report_ignored(&d->cfg);
	if (strcmp(d->cfg.state_dir, old->state_dir) != 0 ||
	    strcmp(d->cfg.control_socket, old->control_socket) != 0)
		log_info("state-dir and control-socket take effect at the "
			 "next start");
	if (strcmp(d->cfg.plat_dev, old->plat_dev) != 0 ||
	    config_one_clat(&d->cfg) != config_one_clat(old)) {
		stop_instances(d);
		start_instances(d);
		return;
	}
	for (i = 0; i < d->n_inst; i++) {
		dev_name(d, instance_ifindex(d->inst[i]), dev);
		instance_reconfigure(d->inst[i], old, dev);
	}
	/* another clat-v6-addr or PLAT prefix may lead elsewhere */
	if (d->cfg.plat_dev[0] == '\0')
		schedule_scan(d);
}

/* A configuration from the parent (SIGHUP or xlatctl reload), in the
 * manner of wg syncconf: an unchanged one changes nothing, and a changed
 * key changes only what it must. */
static void
take_config(struct daemon *d, const struct config *fresh)
{
	struct config old;

	if (memcmp(fresh, &d->cfg, sizeof(*fresh)) == 0) {
		log_info("reload: the configuration is unchanged");
		return;
	}
	log_info("reloading the configuration");
	old = d->cfg;
	d->cfg = *fresh;
	apply_config(d, &old);
}

static int
on_parent(sd_event_source *s, int fd, uint32_t revents, void *arg)
{
	static struct msg_config c;
	struct msg_hdr hdr;
	int r;

	(void)s;
	(void)revents;
	r = msg_recv(fd, &hdr, &c, sizeof(c), NULL);
	if (r == -EPIPE)
		fatalx("the parent is gone");
	if (r < 0 || hdr.type != MSG_CONFIG)
		fatalx("parent: bad message on the event channel");
	take_config(arg, &c.cfg);
	return 0;
}

static int
on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *arg)
{
	struct daemon *d = arg;

	(void)s;
	(void)si;
	stop_instances(d);
	return sd_event_exit(d->event, 0);
}

/* xlatctl log verbose|brief: debug lines on or off, until a reload
 * changes debug or quiet. */
static int
control_log(const char *param, char *why, size_t whylen)
{
	if (strcmp(param, "verbose") == 0) {
		set_log_level(1);
	} else if (strcmp(param, "brief") == 0) {
		set_log_level(0);
	} else {
		snprintf(why, whylen, "log: '%s' is not verbose or brief",
			 param);
		return -1;
	}
	log_info("log level: %s, as xlatctl asked", param);
	return 0;
}

static int
on_control(const char *command, const char *param, FILE *out, char *why,
	   size_t whylen, void *arg)
{
	struct daemon *d = arg;
	struct inst_info info[INSTANCES_MAX];
	bool json = strcmp(param, "json") == 0;
	unsigned i;

	if (strcmp(command, "log") == 0)
		return control_log(param, why, whylen);
	if (param[0] != '\0' && !json) {
		snprintf(why, whylen, "%s: unexpected '%s'", command, param);
		return -1;
	}
	for (i = 0; i < d->n_inst; i++)
		instance_info(d->inst[i], &info[i]);
	if (strcmp(command, "status") == 0) {
		report_status(info, d->n_inst, json, out);
	} else if (strcmp(command, "stats") == 0) {
		report_stats(info, d->n_inst, json, out);
	} else if (strcmp(command, "reload") == 0 && !json) {
		static struct config fresh;

		if (priv_reload(&fresh, why, whylen) < 0)
			return -1;
		take_config(d, &fresh);
	} else {
		snprintf(why, whylen, "unknown command '%s'", command);
		return -1;
	}
	return 0;
}

/* The engine, once forked: it opens its netlink socket, gives up its
 * privileges, and only then reads anything. */
static int
engine_main(struct daemon *d, int req, int evt, int listen_fd)
{
	sd_event_source *sig[2] = {NULL}, *nl = NULL, *parent = NULL;
	const int signals[2] = {SIGTERM, SIGINT};
	int r, i;

	priv_init(req);
	if ((r = sd_event_default(&d->event)) < 0)
		goto out;
	for (i = 0; i < 2; i++)
		if ((r = sd_event_add_signal(d->event, &sig[i], signals[i],
					     on_signal, d)) < 0)
			goto out;
	if ((d->rtnl = rtnl_open(RTNL_FOLLOW_HOST)) == NULL)
		fatal("netlink");
	if ((r = sd_event_add_io(d->event, &nl, rtnl_event_fd(d->rtnl), EPOLLIN,
				 on_rtnl, d)) < 0 ||
	    (r = sd_event_add_io(d->event, &parent, evt, EPOLLIN, on_parent,
				 d)) < 0)
		goto out;
	if (listen_fd >= 0)
		d->control = control_open(d->event, listen_fd, on_control, d);
	if ((r = sandbox_enter()) < 0) {
		errno = -r;
		fatal("sandbox");
	}
	if (start_instances(d) < 0) {
		r = -EINVAL;
		goto out;
	}
	priv_notify("READY=1");
	r = sd_event_loop(d->event);
out:
	if (r < 0) {
		errno = -r;
		log_warn("event loop");
	}
	stop_instances(d);
	sd_event_source_disable_unref(d->scan_timer);
	control_close(d->control);
	sd_event_source_disable_unref(nl);
	sd_event_source_disable_unref(parent);
	for (i = 0; i < 2; i++)
		sd_event_source_disable_unref(sig[i]);
	rtnl_close(d->rtnl);
	sd_event_unref(d->event);
	return r < 0 ? 1 : 0;
}

static int
reload_config(struct config *fresh, void *arg)
{
	return load_config(arg, fresh);
}

/* What needs the privileges and comes before the engine: what a crashed
 * run left, the secret, the control socket; then the fork. */
static int
run(struct daemon *d)
{
	const int signals[3] = {SIGTERM, SIGINT, SIGHUP};
	struct parent_env env = {&d->cfg, reload_config, d, NULL};
	int req, evt, listen_fd, r, i;
	sigset_t mask;

	sigemptyset(&mask);
	for (i = 0; i < 3; i++)
		sigaddset(&mask, signals[i]);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((env.rtnl = rtnl_open(RTNL_FOLLOW_NONE)) == NULL)
		fatal("netlink");
	rtnl_dump_links(env.rtnl, cleanup_link, d);
	if ((r = datapath_cleanup_stale(env.rtnl)) > 0)
		log_info("removed %d source rule(s) left by an earlier run", r);
	if ((r = router_cleanup_stale(env.rtnl)) > 0)
		log_info("removed %d unreachable route(s) left by an earlier "
			 "run",
			 r);
	secret_load(d->cfg.state_dir, d->secret);
	if ((listen_fd = control_listen(d->cfg.control_socket)) < 0) {
		errno = -listen_fd;
		log_warn("control socket %s", d->cfg.control_socket);
	}
	if ((r = parent_fork(&env, &req, &evt)) < 0) {
		errno = -r;
		fatal("fork");
	}
	rtnl_close(env.rtnl); /* the parent's */
	return engine_main(d, req, evt, listen_fd);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct daemon d = {.config_path = CONFIG_DEFAULT_PATH};
	bool check_only = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:dnqh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			d.config_path = optarg;
			d.config_explicit = true;
			break;
		case 'd':
			d.verbose++;
			break;
		case 'n':
			check_only = true;
			break;
		case 'q':
			d.quiet++;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("xlatd %s\n", XLATD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	d.argc = argc - optind;
	d.argv = argv + optind;
	log_init(1, d.verbose, "xlatd");
	if (load_config(&d, &d.cfg) < 0)
		return 1;
	log_setverbose(d.verbose + d.cfg.debug - d.quiet - d.cfg.quiet);
	report_ignored(&d.cfg);
	if (check_only)
		return 0;
	if (geteuid() != 0)
		log_warnx("not running as root: expect permission errors");
	return run(&d);
}
