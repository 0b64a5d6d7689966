/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef XLATD_SUBCOMMANDS_H
#define XLATD_SUBCOMMANDS_H

extern const char *PROG_NAME;

int translate_main(int argc, char *argv[]);
int status_main(int argc, char *argv[]);
int stats_main(int argc, char *argv[]);
int reload_main(int argc, char *argv[]);
int log_main(int argc, char *argv[]);

#endif
