#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A host whose CLAT address comes from a prefix delegated to it (RFC
# 9663): the lab's RAs have the M flag and no SLAAC prefix, Kea delegates
# a /64 of 2001:db8:11::/48 (routed to the client by the router), and
# dhcpcd, as the host's client, leaves it as an unreachable route of
# protocol dhcp. The uplink has no global address at all. xlatd takes
# its CLAT address from that /64 with no DAD: status source `delegated`,
# a /128 route into the device, no anycast membership; ping, HTTP, a
# 1 MiB download, UDP and fragments both ways (3000-byte ping, 4000-byte
# UDP), with the fast path and without. The same /64 named by
# clat-v6-prefix gives the same. SIGTERM leaves nothing: no route, no
# eBPF, the lab's forwarding, firewall, rules and proxy ND as they were.
# Skips without kea-dhcp6 or dhcpcd; dhcpcd's files are removed after.
. "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=lib/router.sh
. "$E2E_LIB/router.sh"
# shellcheck source=lib/v6source.sh
. "$E2E_LIB/v6source.sh"
e2e_need_root
v6source_dhcp_lab pd "ia_pd 1"
snap_before=$(lab_cmd snapshot client)

pd() {
	in_ns client ip -6 route show type unreachable proto dhcp |
		awk '$2 ~ /^2001:db8:11:/ { print $2 }'
}
have_pd() { [ -n "$(pd)" ]; }
wait_for 20 have_pd ||
	fail "dhcpcd: a delegated prefix" "$(tail -n 5 "$XLATD_DIR/c6.log")"
delegated=$(pd)
check_match "dhcpcd: a /$DHCP6_PD_LEN of $DHCP6_PD_POOL, unreachable" \
	"^2001:db8:11:[0-9a-f:]*/64$" "$delegated"
check_eq "no global address on $CLIENT_IF" "" \
	"$(in_ns client ip -6 -o addr show dev "$CLIENT_IF" scope global)"

# in_delegated ADDR: ADDR is in the delegated /64.
in_delegated() {
	python3 -c 'import ipaddress, sys
sys.exit(ipaddress.ip_address(sys.argv[1]) not in ipaddress.ip_network(sys.argv[2]))' \
		"$1" "$delegated"
}

# delegated_run WHAT FAST [key=value...]: v6source_run with the source
# delegated: an address of the /64, routed into the device, no anycast,
# no DAD; then SIGTERM, and the delegation's route stays.
delegated_run() {
	local what=$1 fast=$2 v6
	shift 2
	v6source_run "$what" delegated "$fast" "$@"
	v6=$V6SOURCE_ADDR
	check "$what: CLAT address $v6 in $delegated" in_delegated "$v6"
	check_match "$what: a /128 route into the device" \
		"^$v6 dev clat proto 88 " \
		"$(in_ns client ip -6 route show "$v6/128")"
	check_fails "$what: no anycast membership" anycast_has "$v6"
	check_fails "$what: no DAD run" grep -q "passed DAD" "$XLATD_LOG"
	v6source_stop "$what"
	check_eq "$what: the delegated prefix's route stays" "$delegated" \
		"$(pd)"
}

delegated_run "delegated, fast path" yes
delegated_run "delegated, slow path" no fast-path=off
rm -f "$XLATD_LOG"
delegated_run "clat-v6-prefix" yes "clat-v6-prefix=$delegated"
check_match "clat-v6-prefix: the log names the key" \
	"from the prefix $delegated delegated to the host \\(clat-v6-prefix\\)" \
	"$(cat "$XLATD_LOG")"
check_eq "forwarding, firewall, rules and proxy ND as before" \
	"$snap_before" "$(lab_cmd snapshot client)"
summary
