/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatctl: the first word picks a command, which parses the rest itself. */
#include <err.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "subcommands.h"

struct command {
	const char *name;
	const char *args;
	const char *summary;
	int (*run)(int argc, char *argv[]);
};

static const struct command commands[] = {
	{"status", "[-j] [-s SOCKET]",
	 "each instance: uplink, state and cause, PLAT prefix, addresses",
	 status_main},
	{"stats", "[-j] [-s SOCKET]",
	 "packets translated per direction and protocol, drops by reason",
	 stats_main},
	{"reload", "[-s SOCKET]", "have xlatd read its configuration again",
	 reload_main},
	{"log", "[-s SOCKET] verbose|brief",
	 "turn xlatd's debug log lines on (verbose) or off (brief)", log_main},
	{"translate", "[-c FILE] [KEY=VALUE ...] IN.pcap OUT.pcap",
	 "run the packets of a capture through the translator, offline",
	 translate_main},
};

#define COMMANDS_COUNT (sizeof(commands) / sizeof(commands[0]))

static const struct command *
xlatctl_find(const char *name)
{
	size_t i;

	for (i = 0; i < COMMANDS_COUNT; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
xlatctl_overview(FILE *f)
{
	size_t i;

	fprintf(f, "xlatctl talks to a running xlatd, or translates a "
		   "capture without one.\n\n");
	for (i = 0; i < COMMANDS_COUNT; i++)
		fprintf(f, "  xlatctl %s %s\n      %s\n", commands[i].name,
			commands[i].args, commands[i].summary);
	fprintf(f, "  xlatctl help [COMMAND]\n"
		   "      this text, or the options of one command\n"
		   "  xlatctl version\n\n"
		   "The manual page xlatctl(8) describes each command.\n");
}

static bool
xlatctl_is(const char *word, const char *s, const char *l, const char *w)
{
	return strcmp(word, s) == 0 || strcmp(word, l) == 0 ||
	       strcmp(word, w) == 0;
}

/* "help COMMAND" is "COMMAND -h": the command knows its own options. */
static int
xlatctl_help(int argc, char *argv[])
{
	const struct command *c;
	char *args[] = {NULL, "-h", NULL};

	if (argc < 2) {
		xlatctl_overview(stdout);
		return 0;
	}
	if ((c = xlatctl_find(argv[1])) == NULL) {
		warnx("no command named '%s'", argv[1]);
		return 1;
	}
	args[0] = argv[1];
	return c->run(2, args);
}

int
main(int argc, char *argv[])
{
	const struct command *c;

	if (argc < 2) {
		xlatctl_overview(stderr);
		return 1;
	}
	if (xlatctl_is(argv[1], "-h", "--help", "help"))
		return xlatctl_help(argc - 1, argv + 1);
	if (xlatctl_is(argv[1], "-v", "--version", "version")) {
		printf("xlatd %s\n", XLATD_VERSION);
		return 0;
	}
	if ((c = xlatctl_find(argv[1])) == NULL) {
		warnx("no command named '%s'; 'xlatctl help' lists them",
		      argv[1]);
		return 1;
	}
	return c->run(argc - 1, argv + 1);
}
