/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatctl stats: counters per direction and protocol, drops by reason. */
#include "client.h"
#include "subcommands.h"

int
stats_main(int argc, char *argv[])
{
	return client_main(argc, argv, "stats", true);
}
