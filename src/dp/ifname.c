/* SPDX-License-Identifier: BSD-2-Clause */
#include <stdio.h>

#include "ifname.h"

const char *
ifname_label(unsigned ifindex, char buf[IFNAME_LABEL_LEN])
{
	if (if_indextoname(ifindex, buf) == NULL)
		snprintf(buf, IFNAME_LABEL_LEN, "ifindex %u", ifindex);
	return buf;
}
