/* SPDX-License-Identifier: BSD-2-Clause */
/* xlatctl status: each instance's uplink, state, prefix and addresses. */
#include "client.h"
#include "subcommands.h"

int
status_main(int argc, char *argv[])
{
	return client_main(argc, argv, "status", true);
}
