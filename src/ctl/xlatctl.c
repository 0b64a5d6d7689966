/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatctl: one table of subcommands, one file for each. */
#include <stdio.h>
#include <string.h>

#include "subcommands.h"

const char *PROG_NAME;

static const struct {
	const char *name;
	int (*main)(int argc, char *argv[]);
	const char *description;
} subcommands[] = {
	{"status", status_main,
	 "Show each instance: uplink, state, PLAT prefix, addresses"},
	{"stats", stats_main,
	 "Show packet counters per direction and protocol, and drops"},
	{"reload", reload_main, "Make xlatd read its configuration again"},
	{"log", log_main,
	 "Turn xlatd's debug log lines on (verbose) or off "
	 "(brief)"},
	{"translate", translate_main,
	 "Translate the packets of a pcap file into another, offline"},
};

static void
show_usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s <cmd> [<args>]\n\n", PROG_NAME);
	fprintf(f, "Available subcommands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %s: %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(f, "You may pass `--help' to any of these subcommands to view "
		   "usage.\n");
}

int
main(int argc, char *argv[])
{
	const char *slash = strrchr(argv[0], '/');
	size_t i;

	PROG_NAME = slash != NULL ? slash + 1 : argv[0];
	if (argc == 2 &&
	    (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--version") == 0 ||
	     strcmp(argv[1], "version") == 0)) {
		printf("xlatd %s\n", XLATD_VERSION);
		return 0;
	}
	if (argc == 2 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	     strcmp(argv[1], "help") == 0)) {
		show_usage(stdout);
		return 0;
	}
	if (argc < 2) {
		show_usage(stderr);
		return 1;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].main(argc - 1, argv + 1);
	fprintf(stderr, "%s: invalid subcommand `%s'\n", PROG_NAME, argv[1]);
	show_usage(stderr);
	return 1;
}
