#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The Freifunk recipe verbatim.
# A mesh gateway (lab.sh up --mesh) whose IPv6 default route is in table
# fff only, the recipe's steps 1, 2, 3 and 5 as written, no plat-dev: the
# uplink comes from a route lookup toward the PLAT prefix, policy rules
# included, and the device is named clat. The router sends the replies
# over backbone link 2, not the uplink: with forwarding on, nothing of
# xlatd's (anycast, local routes) may swallow them.
#
# From both hoods: ping, HTTP, a checksummed download, UDP, a 3000-byte
# ping and a 4000-byte UDP echo; the path MTU behind a 1280-byte backbone
# link; traceroute sees the gateway as one hop; a reload (SIGHUP) loses
# no ping and keeps the admin's route on the device, and so does a flap of
# another link; SIGTERM leaves nothing of xlatd and everything of the
# admin; after kill -9 a new xlatd starts cleanly; the slow path alone;
# the uplink follows rule events. Then in a full lab, through TAYGA: the
# network-specific prefix from PREF64, a private IPv4 destination
# through it, and 64:ff9b::/96.
. "$(dirname "$0")/lib/e2e.sh"
. "$E2E_LIB/router.sh"
e2e_need_root
e2e_xlatd_dir

lab_up --mode clat-alone --mesh --mtu-1280 || exit 1
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
check_eq "$r, hood2: translated ICMPv6 too big: path MTU 1260" \
	"mtu 1260 Message too long" "$(pmtu_udp_from hood2 "$SERVER4")"
# hood -> gateway (1) -> backbone router (2) -> server (3)
check_eq "$r: traceroute sees the gateway as one hop" "3 $SERVER4" \
	"$(trace_from hood1)"

# SIGHUP while hood1 pings: nothing lost, the admin's route into the
# device still there.
reload_no_loss hood1 "$r"
check_match "$r: the admin's default dev clat table fff survives the reload" \
	'^default dev clat' \
	"$(in_ns client ip route show table "$MESH_TABLE" default)"

# A flap of another link (backbone link 2, over which the replies come):
# the same device, with the admin's route into it and xlatd's route of
# the CLAT address, and traffic again once the link is back.
dev_index() { in_ns client ip -o link show dev clat | cut -d: -f1; }
index=$(dev_index)
in_ns client ip link set dev "$BACKBONE2_IF" down
sleep 1
in_ns client ip link set dev "$BACKBONE2_IF" up
# the kernel drops a link-local address on down; the mesh sets its
# static one again
in_ns client ip addr replace "$BACKBONE2_LL/64" dev "$BACKBONE2_IF" nodad
sleep 1
check_eq "$r: a flap of $BACKBONE2_IF keeps the device" "$index" \
	"$(dev_index)"
check_match "$r: the admin's route into the device survives the flap" \
	'^default dev clat' \
	"$(in_ns client ip route show table "$MESH_TABLE" default)"
check_match "$r: the CLAT address is routed into the device" \
	"^$MESH_CLAT6 dev clat proto 88 " \
	"$(in_ns client ip -6 route show "$MESH_CLAT6/128")"
check "$r: ping from hood1 after the flap" \
	in_ns hood1 ping -c 1 -w 10 "$SERVER4"

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

# Without the fast path, xlatd itself translates what the kernel routes
# into the device from backbone link 2.
r="recipe verbatim, slow path"
recipe_conf fast-path=off
xlatd_run "$r"
recipe_route
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
lan_fragments hood2 "$r, hood2"
check_eq "$r: nothing on the fast path" 0 "$(fast_packets)"
xlatd_stop_ok "$r"
check_eq "$r: SIGTERM leaves nothing of xlatd" "$before" \
	"$(lab_cmd snapshot client)"

# The uplink follows the policy rules: without the mesh's rule toward
# table fff, no route leads from the CLAT address toward the PLAT, and
# there is no instance; once the rule is back, the CLAT runs on clat.
r="recipe, rule events"
recipe_conf
in_ns client ip -6 rule del priority 100
xlatd_start client v4-conncheck-delay=0 state-dir="$XLATD_DIR/state"
sleep 1
check_eq "$r: no route toward the PLAT, no instance" none "$(xlatd_state)"
check_match "$r: the log says why" "no route from $MESH_CLAT6 toward " \
	"$(cat "$XLATD_LOG")"
in_ns client ip -6 rule add from all lookup "$MESH_TABLE" priority 100
xlatd_check_running "$r"
recipe_route
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
xlatd_stop_ok "$r"
check_eq "$r: SIGTERM leaves the admin's rules and routes" \
	"$admin_before" "$(admin_state)"
lab_down

# TAYGA: the network-specific prefix (from PREF64), then 64:ff9b::/96.
lab_up --mode full --mesh || exit 1
mesh_policy
recipe_routes
in_ns client iptables -t nat -A POSTROUTING -o clat -j SNAT \
	--to-source 192.0.0.1
r="recipe verbatim, TAYGA $PLAT_PREFIX"
recipe_conf
xlatd_run "$r"
recipe_route
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
expect_traffic_from hood2 "$r, hood2, private destination" \
	"$SERVER4_PRIVATE"
xlatd_stop_ok "$r"

r="recipe verbatim, TAYGA $WKP_PREFIX"
recipe_conf "plat-prefix=$WKP_PREFIX"
xlatd_run "$r"
recipe_route
expect_traffic_from hood2 "$r, hood2" "$SERVER4_WKP"
xlatd_stop_ok "$r"
summary
