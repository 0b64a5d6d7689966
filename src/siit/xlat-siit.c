/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * xlat-siit: a SIIT/NAT64 translator (RFC 7915) that reads TAYGA's
 * tayga.conf and takes TAYGA's options, on xlatd's translation core.
 * This file is the process: options, --mktun and --rmtun, detaching,
 * the PID file, dropping privileges, signals and the event loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "common/log.h"
#include "conffile.h"
#include "dp/tun.h"
#include "siit.h"

#define PROG "xlat-siit"

struct options {
	const char *conf_path;
	const char *pidfile;
	const char *user, *group;
	const char *socket_path;
	bool debug, foreground, mktun, rmtun, check, fast_path;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [-dnh] [-c FILE] [-p PIDFILE] [-u USER] "
		"[-g GROUP]\n"
		"                 [-s SOCKET] [--no-fast-path] [--check]\n"
		"       " PROG " --mktun|--rmtun [-c FILE]\n"
		"  -c, --config FILE    tayga.conf to read (default %s)\n"
		"  -d                   debug messages on stderr; stay in the "
		"foreground\n"
		"  -n, --nodetach       stay in the foreground\n"
		"  -p, --pidfile FILE   write the process ID to FILE\n"
		"  -u, --user USER      run as USER once set up\n"
		"  -g, --group GROUP    run as GROUP once set up\n"
		"  -s, --socket SOCKET  control socket for xlatctl (default "
		"%s/TUN-DEVICE.sock)\n"
		"      --no-fast-path   translate every packet in userspace\n"
		"      --check          check the configuration and exit\n"
		"      --mktun          create tun-device, persistent, and "
		"exit\n"
		"      --rmtun          remove the persistent tun-device and "
		"exit\n"
		"See xlat-siit(8).\n",
		TAYGA_CONF_DEFAULT_PATH, SIIT_SOCKET_DIR);
}

enum {
	OPT_MKTUN = 256,
	OPT_RMTUN,
	OPT_CHECK,
	OPT_NO_FAST,
	OPT_VERSION,
};

/* Returns -1 to go on, or the exit status. */
static int
parse_options(int argc, char *argv[], struct options *o)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"nodetach", no_argument, NULL, 'n'},
		{"pidfile", required_argument, NULL, 'p'},
		{"user", required_argument, NULL, 'u'},
		{"group", required_argument, NULL, 'g'},
		{"socket", required_argument, NULL, 's'},
		{"chroot", no_argument, NULL, 'r'},
		{"mktun", no_argument, NULL, OPT_MKTUN},
		{"rmtun", no_argument, NULL, OPT_RMTUN},
		{"check", no_argument, NULL, OPT_CHECK},
		{"no-fast-path", no_argument, NULL, OPT_NO_FAST},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, OPT_VERSION},
		{NULL, 0, NULL, 0},
	};
	int ch, i;

	while ((ch = getopt_long(argc, argv, "c:dnp:u:g:s:rh", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->conf_path = optarg;
			break;
		case 'd':
			o->debug = o->foreground = true;
			break;
		case 'n':
			o->foreground = true;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'g':
			o->group = optarg;
			break;
		case 's':
			o->socket_path = optarg;
			break;
		case 'r':
			fprintf(stderr,
				PROG ": --chroot is not supported; run it "
				     "under systemd's protections instead "
				     "(xlat-siit(8))\n");
			return 1;
		case OPT_MKTUN:
			o->mktun = true;
			break;
		case OPT_RMTUN:
			o->rmtun = true;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_NO_FAST:
			o->fast_path = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf(PROG " %s\n", XLATD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* clatd passes an empty word where it has no -d to give. */
	for (i = optind; i < argc; i++)
		if (argv[i][0] != '\0') {
			fprintf(stderr, PROG ": unexpected argument '%s'\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	if (o->mktun && o->rmtun) {
		fprintf(stderr, PROG ": --mktun or --rmtun, not both\n");
		return 2;
	}
	return -1;
}

/* --mktun and --rmtun, as TAYGA does them. */
static int
persist(const struct tayga_conf *c, bool on)
{
	int r = tun_set_persist(c->tun_device, on);

	if (r < 0) {
		fprintf(stderr, PROG ": %s: %s\n", c->tun_device, strerror(-r));
		return 1;
	}
	printf("%s persistent TUN device %s\n", on ? "Created" : "Removed",
	       c->tun_device);
	return 0;
}

/* Into the background: the parent waits until the child says, through
 * a pipe, whether it is set up, and exits with that status. Returns the
 * pipe's write end in the child. */
static int
detach(void)
{
	int fds[2], devnull;
	char status = 1;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		fatal("pipe");
	if ((pid = fork()) < 0)
		fatal("fork");
	if (pid > 0) {
		close(fds[1]);
		if (read(fds[0], &status, 1) != 1)
			status = 1;
		_exit(status);
	}
	close(fds[0]);
	if (setsid() < 0)
		fatal("setsid");
	if (chdir("/") < 0)
		fatal("chdir");
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		if (devnull > STDERR_FILENO)
			close(devnull);
	}
	return fds[1];
}

static void
detach_done(int fd, char status)
{
	if (fd < 0)
		return;
	if (write(fd, &status, 1) != 1)
		log_warn("%s", __func__);
	close(fd);
}

static int
write_pidfile(const char *path)
{
	FILE *f;

	if (path == NULL)
		return 0;
	if ((f = fopen(path, "we")) == NULL) {
		log_warn("pidfile %s", path);
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0) {
		log_warn("pidfile %s", path);
		return -1;
	}
	return 0;
}

/* -u and -g, once the TUN device, the eBPF programs and the control
 * socket are open: the rest needs only the data-dir (and the map-file). */
static int
drop_privileges(const struct options *o)
{
	struct passwd *pw = NULL;
	struct group *gr = NULL;
	gid_t gid;

	if (o->user == NULL && o->group == NULL)
		return 0;
	if (o->user != NULL && (pw = getpwnam(o->user)) == NULL) {
		log_warnx("user %s: no such user", o->user);
		return -1;
	}
	if (o->group != NULL && (gr = getgrnam(o->group)) == NULL) {
		log_warnx("group %s: no such group", o->group);
		return -1;
	}
	gid = gr != NULL ? gr->gr_gid : pw != NULL ? pw->pw_gid : getgid();
	if (setgroups(1, &gid) < 0 || setresgid(gid, gid, gid) < 0) {
		log_warn("group %u", (unsigned)gid);
		return -1;
	}
	if (pw != NULL && setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) {
		log_warn("user %s", o->user);
		return -1;
	}
	return 0;
}

static int
on_signal(sd_event_source *src, const struct signalfd_siginfo *si, void *arg)
{
	struct siit *s = arg;

	(void)src;
	if (si->ssi_signo == SIGHUP) {
		siit_reload(s);
		return 0;
	}
	log_info("signal %u: stopping", si->ssi_signo);
	sd_notify(0, "STOPPING=1");
	return sd_event_exit(sd_event_source_get_event(src), 0);
}

static int
run(const struct options *o, struct tayga_conf *conf)
{
	static const int signals[] = {SIGTERM, SIGINT, SIGHUP};
	struct siit_opts so = {
		.conf_path = o->conf_path,
		.socket_path = o->socket_path,
		.fast_path = o->fast_path,
	};
	sd_event_source *sig[3] = {NULL};
	sd_event *event = NULL;
	struct siit *s = NULL;
	int status_fd = -1, r;
	sigset_t mask;
	unsigned i;

	if (!o->foreground)
		status_fd = detach();
	sigemptyset(&mask);
	for (i = 0; i < 3; i++)
		sigaddset(&mask, signals[i]);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((r = sd_event_new(&event)) < 0)
		goto out;
	if ((s = siit_new(event, conf, &so)) == NULL) {
		r = -EINVAL;
		goto out;
	}
	for (i = 0; i < 3; i++)
		if ((r = sd_event_add_signal(event, &sig[i], signals[i],
					     on_signal, s)) < 0)
			goto out;
	if (write_pidfile(o->pidfile) < 0 || drop_privileges(o) < 0) {
		r = -EPERM;
		goto out;
	}
	log_info("translating on %s", conf->tun_device);
	detach_done(status_fd, 0);
	status_fd = -1;
	sd_notify(0, "READY=1");
	r = sd_event_loop(event);
out:
	if (r < 0 && r != -EINVAL && r != -EPERM) {
		errno = -r;
		log_warn("event loop");
	}
	detach_done(status_fd, 1);
	for (i = 0; i < 3; i++)
		sd_event_source_disable_unref(sig[i]);
	siit_free(s);
	sd_event_unref(event);
	if (o->pidfile != NULL)
		unlink(o->pidfile);
	return r < 0 ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	struct options o = {
		.conf_path = TAYGA_CONF_DEFAULT_PATH,
		.fast_path = true,
	};
	struct tayga_conf *conf;
	char err[1024];
	int r;

	if ((r = parse_options(argc, argv, &o)) >= 0)
		return r;
	log_init(o.foreground || o.mktun || o.rmtun || o.check, o.debug ? 1 : 0,
		 PROG);
	if ((conf = malloc(sizeof(*conf))) == NULL)
		fatal("malloc");
	tayga_conf_init(conf);
	if (conffile_read(o.conf_path, getenv("STATE_DIRECTORY"), conf, err,
			  sizeof(err)) < 0) {
		/* Before detaching: the error goes to the terminal. */
		fprintf(stderr, PROG ": %s\n", err);
		free(conf);
		return 1;
	}
	if (o.check || o.mktun || o.rmtun) {
		r = o.check ? 0 : persist(conf, o.mktun);
		free(conf);
		return r;
	}
	if (geteuid() != 0)
		log_warnx("not running as root: expect permission errors");
	return run(&o, conf);
}
