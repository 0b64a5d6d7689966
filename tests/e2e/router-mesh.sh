#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The Freifunk recipe verbatim (phase 2: not yet in meson.build).
# A mesh gateway (lab.sh up --mesh) whose IPv6 default route is in table
# fff only, the recipe's steps 1, 2, 3 and 5 as written, no plat-dev: the
# uplink comes from a route lookup toward the PLAT prefix, policy rules
# included, and the device is named clat. The router sends the replies
# over backbone link 2, not the uplink: with forwarding on, nothing of
# xlatd's (anycast, local routes) may swallow them.
#
# From both hoods: ping, HTTP, a checksummed download, UDP, a 3000-byte
# ping and a 4000-byte UDP echo; traceroute sees the gateway as one hop; a
# reload (SIGHUP) loses no ping and keeps the admin's route on the
# device; SIGTERM leaves nothing of xlatd and everything of the admin;
# after kill -9 a new xlatd starts cleanly.
. "$(dirname "$0")/lib/e2e.sh"
. "$E2E_LIB/router.sh"
e2e_need_root
e2e_xlatd_dir

lab_up --mode clat-alone --mesh || exit 1
mesh_policy
recipe_routes
in_ns client iptables -t nat -A POSTROUTING -o clat -j SNAT \
	--to-source 192.0.0.1
before=$(lab_cmd snapshot client)
admin_before=$(admin_state)
recipe_conf
r="recipe verbatim"
xlatd_run "$r"
check "$r: the device is clat" in_ns client ip link show dev clat
recipe_route
check_match "$r: the router sends the replies over link 2" \
	"dev $BACKBONE2_ROUTER_IF" \
	"$(in_ns router ip -6 route show "$MESH_CLAT6/128")"
check_eq "$r: no anycast or local route swallows $MESH_CLAT6" "" \
	"$(in_ns client ip -6 route show table local | grep -F "$MESH_CLAT6")"
for hood in hood1 hood2; do
	expect_traffic_from "$hood" "$r, $hood" "$SERVER4"
	lan_fragments "$hood" "$r, $hood"
done
# hood -> gateway (1) -> backbone router (2) -> server (3)
check_eq "$r: traceroute sees the gateway as one hop" "3 $SERVER4" \
	"$(trace_from hood1)"

# SIGHUP while hood1 pings every 0.1 s: nothing lost, the admin's route
# into the device still there.
in_ns hood1 ping -q -c 40 -i 0.1 -W 1 "$SERVER4" >"$XLATD_DIR/ping.out" &
ppid=$!
sleep 1
kill -HUP "$XLATD_PID"
wait "$ppid"
check_match "$r: reload during 40 pings, none lost" \
	' 0% packet loss' "$(cat "$XLATD_DIR/ping.out")"
check_match "$r: the admin's default dev clat table fff survives the reload" \
	'^default dev clat' \
	"$(in_ns client ip route show table "$MESH_TABLE" default)"

xlatd_stop_ok "$r"
check_eq "$r: SIGTERM leaves the admin's rules and routes" \
	"$admin_before" "$(admin_state)"
check_eq "$r: SIGTERM leaves nothing of xlatd" "$before" \
	"$(lab_cmd snapshot client)"

r="recipe after kill -9"
xlatd_run "$r, first run"
xlatd_kill
xlatd_run "$r"
recipe_route
expect_traffic_from hood2 "$r, hood2" "$SERVER4"
xlatd_stop_ok "$r"
check_eq "$r: SIGTERM leaves nothing of either run" "$before" \
	"$(lab_cmd snapshot client)"
summary
