#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Discovery: xlatd comes up with the PLAT prefix from PREF64 (RFC
# 8781), from DNS64 (RFC 7050, unbound) and from the configuration, each in
# a full lab (TAYGA as the PLAT), and ping, TCP and UDP to the IPv4-only
# server work through it.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

# source_is SOURCE PREFIX: the status names the prefix and its source.
source_is() {
	xlatctl status --json | python3 -c '
import json, sys
i = json.load(sys.stdin)["instances"][0]
sys.exit(not (i["prefix_source"] == sys.argv[1] and
              i["plat_prefix"] == sys.argv[2]))' "$1" "$2"
}

# fast_path_used: the eBPF fast path translated part of the traffic
# (docs/fast-path.md); the slow path, in the daemon, the rest.
fast_path_used() {
	xlatctl status --json | python3 -c '
import json, sys
i = json.load(sys.stdin)["instances"][0]
print("fast", i["fast_path_packets"], "slow", i["slow_path_packets"])
sys.exit(not i["fast_path_packets"] > 0)'
}

run_case() {
	local what=$1 source=$2
	shift 2
	xlatd_start client v4-conncheck-delay=1 "$@"
	xlatd_check_running "$what"
	check "$what: prefix $PLAT_PREFIX from $source" \
		source_is "$source" "$PLAT_PREFIX"
	expect_traffic_from client "$what" "$SERVER4"
	check "$what: fast path used" fast_path_used
	xlatd_stop_ok "$what"
}

lab_up --mode full
run_case "PREF64" ra
lab_down

lab_up --mode full --no-pref64
run_case "DNS64" dns64 dns64-servers="$DNS64"
lab_down

lab_up --mode full --no-pref64 --no-rdnss
run_case "static" static plat-prefix="$PLAT_PREFIX"
lab_down

summary
