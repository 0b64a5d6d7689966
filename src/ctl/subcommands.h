/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef XLATD_SUBCOMMANDS_H
#define XLATD_SUBCOMMANDS_H

/* Each command of xlatctl: argv[0] is the command's name. */

int translate_main(int argc, char *argv[]);
int status_main(int argc, char *argv[]);
int stats_main(int argc, char *argv[]);
int reload_main(int argc, char *argv[]);
int log_main(int argc, char *argv[]);

#endif
