/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatd: a 464XLAT CLAT (RFC 6877) for Linux. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "dp/dp_bpf.h"
#include "instance.h"
#include "log.h"
#include "report.h"
#include "rtnl.h"
#include "secret.h"

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
	struct instance *inst;
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

static void
on_rtnl_event(const struct rtnl_event *ev, void *arg)
{
	struct daemon *d = arg;

	if (d->inst != NULL)
		instance_on_event(d->inst, ev);
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

static int
start_instance(struct daemon *d)
{
	struct inst_env env = {
		.event = d->event,
		.rtnl = d->rtnl,
		.cfg = &d->cfg,
		.secret = d->secret,
	};
	unsigned ifindex = 0;

	if (d->cfg.plat_dev[0] != '\0') {
		ifindex = if_nametoindex(d->cfg.plat_dev);
		if (ifindex == 0) {
			log_warnx("plat-dev: no interface '%s'",
				  d->cfg.plat_dev);
			return -1;
		}
	}
	d->inst = instance_new(&env, ifindex);
	return d->inst == NULL ? -1 : 0;
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

/* SIGHUP and xlatctl reload: a bad file leaves everything as it is. */
static int
reload(struct daemon *d)
{
	struct config fresh;
	int r = 0;

	sd_notify(0, "RELOADING=1");
	if (load_config(d, &fresh) < 0) {
		log_warnx("reload failed: keeping the running configuration");
		r = -1;
	} else {
		log_info("reloading the configuration");
		instance_free(d->inst);
		d->inst = NULL;
		d->cfg = fresh;
		log_setverbose(d->verbose + d->cfg.debug - d->quiet -
			       d->cfg.quiet);
		report_ignored(&d->cfg);
		start_instance(d);
	}
	sd_notify(0, "READY=1");
	return r;
}

static int
on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *arg)
{
	struct daemon *d = arg;

	(void)s;
	if (si->ssi_signo == SIGHUP) {
		reload(d);
		return 0;
	}
	log_info("signal %u: stopping", si->ssi_signo);
	sd_notify(0, "STOPPING=1");
	return sd_event_exit(d->event, 0);
}

static int
on_control(const char *command, bool json, FILE *out, char *why, size_t whylen,
	   void *arg)
{
	struct daemon *d = arg;
	struct inst_info info;
	unsigned n = 0;

	if (d->inst != NULL) {
		instance_info(d->inst, &info);
		n = 1;
	}
	if (strcmp(command, "status") == 0) {
		report_status(&info, n, json, out);
	} else if (strcmp(command, "stats") == 0) {
		report_stats(&info, n, json, out);
	} else if (strcmp(command, "reload") == 0) {
		if (reload(d) < 0) {
			snprintf(why, whylen,
				 "the configuration has errors (see the log); "
				 "the running one is kept");
			return -1;
		}
	} else {
		snprintf(why, whylen, "unknown command '%s'", command);
		return -1;
	}
	return 0;
}

static int
run(struct daemon *d)
{
	sd_event_source *sig[3] = {NULL}, *nl = NULL;
	const int signals[3] = {SIGTERM, SIGINT, SIGHUP};
	sigset_t mask;
	int r, i;

	sigemptyset(&mask);
	for (i = 0; i < 3; i++)
		sigaddset(&mask, signals[i]);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((r = sd_event_default(&d->event)) < 0)
		goto out;
	for (i = 0; i < 3; i++)
		if ((r = sd_event_add_signal(d->event, &sig[i], signals[i],
					     on_signal, d)) < 0)
			goto out;
	if ((d->rtnl = rtnl_open(true)) == NULL)
		fatal("netlink");
	r = sd_event_add_io(d->event, &nl, rtnl_event_fd(d->rtnl), EPOLLIN,
			    on_rtnl, d);
	if (r < 0)
		goto out;
	rtnl_dump_links(d->rtnl, cleanup_link, d);
	d->control =
		control_open(d->event, d->cfg.control_socket, on_control, d);
	secret_load(d->cfg.state_dir, d->secret);
	if (start_instance(d) < 0) {
		r = -EINVAL;
		goto out;
	}
	sd_notify(0, "READY=1");
	r = sd_event_loop(d->event);
out:
	if (r < 0) {
		errno = -r;
		log_warn("event loop");
	}
	instance_free(d->inst);
	control_close(d->control);
	sd_event_source_disable_unref(nl);
	for (i = 0; i < 3; i++)
		sd_event_source_disable_unref(sig[i]);
	rtnl_close(d->rtnl);
	sd_event_unref(d->event);
	return r < 0 ? 1 : 0;
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
