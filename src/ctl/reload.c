/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatctl reload: read the configuration again, as SIGHUP does. */
#include "client.h"
#include "subcommands.h"

int
reload_main(int argc, char *argv[])
{
	return client_main(argc, argv, "reload", false);
}
