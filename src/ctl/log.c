/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatctl log verbose|brief: xlatd's debug lines on or off, at run time. */
#include <stddef.h>

#include "client.h"
#include "subcommands.h"

int
log_main(int argc, char *argv[])
{
	static const char *const levels[] = {"verbose", "brief", NULL};

	return client_main_word(argc, argv, "log", false, levels);
}
