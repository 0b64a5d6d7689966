#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The Freifunk recipe with xlatd as it is: a mesh gateway
# (lab.sh up --mesh) with two hoods behind it, its IPv6 default route in
# table fff, the recipe's steps 1, 2, 3 and 5 done by hand, and plat-dev
# set (without it this xlatd finds no uplink: tests/e2e/router-mesh.sh).
# The router sends the replies over backbone link 1, the uplink (over
# link 2, with the recipe as written: router-mesh.sh).
#
# From both hoods: ping, HTTP, a 1 MiB download with its checksum, UDP, a
# 3000-byte ping and a 4000-byte UDP datagram, the path MTU behind a
# 1280-byte backbone link, traceroute, a reload losing no ping; with the
# fast path, which takes the SNATed traffic as the host's own, and
# without. SIGTERM leaves the admin's setup as it was and nothing of
# xlatd; after kill -9 a new xlatd starts cleanly. In a full lab, through
# TAYGA with the network-specific prefix (a private IPv4 destination too)
# and with 64:ff9b::/96. Last, a CE router (docs/router.md): the CLAT
# address from the prefix delegated to the gateway, a hood masqueraded by
# hand, the IPv6 default route in main.
. "$(dirname "$0")/lib/e2e.sh"
. "$E2E_LIB/router.sh"
e2e_need_root
e2e_xlatd_dir

# gateway_up WHAT [LINE...]: the recipe, xlatd started with it (plus
# LINEs), step 5 once the CLAT device is there.
gateway_up() {
	local what=$1
	shift
	recipe_conf plat-dev=up0 "$@"
	xlatd_run "$what"
	recipe_snat
}

lab_up --mode clat-alone --mesh --mtu-1280 || exit 1
mesh_policy
recipe_routes
replies_over_link 1
in_ns client iptables -t nat -A POSTROUTING -o clat -j SNAT \
	--to-source 192.0.0.1
before=$(lab_cmd snapshot client)
r="recipe, fast path"
gateway_up "$r"
admin_before=$(admin_state)
for hood in hood1 hood2; do
	expect_traffic_from "$hood" "$r, $hood" "$SERVER4"
	lan_fragments "$hood" "$r, $hood"
done
check_eq "$r, hood1: translated ICMPv6 too big: path MTU 1260" \
	"mtu 1260 Message too long" "$(pmtu_udp_from hood1 "$SERVER4")"
check_match "$r: the fast path took the hoods' SNATed packets" \
	'^[1-9][0-9]*$' "$(fast_packets)"
check_match "$r, hood1: traceroute reaches the server" \
	" $SERVER4\$" "$(trace_from hood1)"
reload_no_loss hood2 "$r"
xlatd_stop_ok "$r"
check_eq "$r: SIGTERM leaves the admin's rules and routes" \
	"$admin_before" "$(admin_state)"
check_eq "$r: SIGTERM leaves nothing of xlatd" "$before" \
	"$(lab_cmd snapshot client)"

r="recipe after kill -9"
gateway_up "$r, first run"
xlatd_kill
gateway_up "$r"
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
xlatd_stop_ok "$r"
check_eq "$r: nothing left of either run" "$before" \
	"$(lab_cmd snapshot client)"

r="recipe, slow path"
gateway_up "$r" fast-path=off
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
lan_fragments hood2 "$r, hood2"
check_eq "$r: nothing on the fast path" 0 "$(fast_packets)"
xlatd_stop_ok "$r"
lab_down

# TAYGA: the network-specific prefix (from PREF64), then 64:ff9b::/96.
lab_up --mode full --mesh || exit 1
mesh_policy
recipe_routes
replies_over_link 1
r="recipe, TAYGA $PLAT_PREFIX"
gateway_up "$r"
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
expect_traffic_from hood2 "$r, hood2" "$SERVER4_PRIVATE"
xlatd_stop_ok "$r"

r="recipe, TAYGA $WKP_PREFIX"
gateway_up "$r" "plat-prefix=$WKP_PREFIX"
expect_traffic_from hood2 "$r, hood2" "$SERVER4_WKP"
xlatd_stop_ok "$r"

lab_down

lab_up --mode clat-alone --mesh || exit 1
in_ns client iptables -t nat -A POSTROUTING -s "$HOOD1_NET" -o clat \
	-j MASQUERADE
before=$(lab_cmd snapshot client)
r="CE router"
XLATD_CONF=
xlatd_run "$r" "clat-v6-addr=${MESH_DELEGATED6%::/64}::42"
check_match "$r: the CLAT address of the delegated prefix is routed into clat" \
	"dev clat proto 88 " \
	"$(in_ns client ip -6 route show "${MESH_DELEGATED6%::/64}::42/128")"
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
lan_fragments hood1 "$r, hood1"
xlatd_stop_ok "$r"
check_eq "$r: SIGTERM leaves the router as it was" "$before" \
	"$(lab_cmd snapshot client)"
summary
