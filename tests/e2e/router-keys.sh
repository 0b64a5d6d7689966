#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The mesh gateway of router-mesh.sh set up with router mode's
# keys and no hand-made step: xlatd routes both hoods into the CLAT from
# table fff with policy rules of its own, SNATs them in its nftables
# table, and removes all of it on stop.
#
# From both hoods: ping, HTTP, a checksummed download, UDP, a 3000-byte
# ping, a 4000-byte UDP echo; PMTU and traceroute from hood1; a reload
# during pings loses none. While the CLAT is not running the hoods get
# an unreachable route, not the native one. Forwarding off is said in
# `xlatctl status`. A hood cannot send with another hood's source, and
# the drop is counted in `xlatctl stats`. SIGTERM and kill -9 followed
# by a restart and SIGTERM leave the gateway as it was. With
# router-lan-fast-path, a long UDP flow from a hood is translated at the
# hood's ingress once conntrack has it ASSURED. An admin's table of the
# same name is left alone.
. "$(dirname "$0")/lib/e2e.sh"
. "$E2E_LIB/router.sh"
e2e_need_root
e2e_xlatd_dir

# forwarding_logged N: whether the log says N times that forwarding is
# off.
forwarding_logged() {
	[ "$(grep -c 'net.ipv4.ip_forward is 0' "$XLATD_LOG")" = "$1" ]
}

# hood1_rule PREFIX [TABLE]: whether xlatd's rule sends PREFIX on hood1
# to TABLE (the mesh's).
hood1_rule() {
	in_ns client ip rule show |
		grep -F "from $1 iif $HOOD1_IF lookup ${2:-$MESH_TABLE} proto 88" \
			>/dev/null
}

not() { ! "$@"; }

no_table_default() {
	[ -z "$(in_ns client ip route show table "$MESH_TABLE" default)" ]
}

lab_up --mode clat-alone --mesh --mtu-1280 || exit 1
mesh_policy
before=$(lab_cmd snapshot client)
r="router keys"
recipe_conf "router-lan=$HOOD1_IF,$HOOD2_IF" "router-table=$MESH_TABLE"
xlatd_run "$r"
check_match "$r: xlatd's nftables table SNATs the hoods" \
	"iifname \"$HOOD2_IF\" snat to 192.0.0.1" \
	"$(in_ns client nft list table ip xlatd)"
for hood in hood1 hood2; do
	expect_traffic_from "$hood" "$r, $hood" "$SERVER4"
	lan_fragments "$hood" "$r, $hood"
done
path_from hood1 "$r, hood1"
check_match "$r: the fast path took the hoods' SNATed packets" \
	'^[1-9][0-9]*$' "$(fast_packets)"
check_eq "$r: no program at hood1's ingress without router-lan-fast-path" \
	"" "$(lan_progs hood1)"
check_eq "$r: nothing dropped for its source yet" 0 "$(lan_spoofed)"
check_eq "$r: a hood cannot send with another hood's source" nothing \
	"$(spoofed_echo)"
check_eq "$r: the spoofed datagram is counted" 1 "$(lan_spoofed)"

reload_no_loss hood1 "$r"

in_ns client sysctl -qw net.ipv4.ip_forward=0
check_match "$r: status says forwarding is off" 'forwarding' \
	"$(xlatctl status)"
kill -HUP "$XLATD_PID"
check "$r: so does the log, once" wait_for 5 forwarding_logged 1
kill -HUP "$XLATD_PID"
sleep 1
check "$r: not again" forwarding_logged 1
in_ns client sysctl -qw net.ipv4.ip_forward=1
check_eq "$r: and no more once it is on" "" \
	"$(xlatctl status | grep forwarding)"

# Each hood prefix looks up the main table without its default routes
# first (to the other hood, the gateway's other networks), then fff.
check_match "$r: hood1's prefix sees main's routes but the default" \
	"^31000:	from $HOOD1_NET iif $HOOD1_IF lookup main suppress_prefixlength 0 proto 88" \
	"$(in_ns client ip rule show)"

# The hoods' interfaces are followed: a new address on hood1 brings its
# rules, which go with the address.
in_ns client ip addr add 10.99.0.1/24 dev hood1
check "$r: a new address of hood1 gets its rule" \
	wait_for 5 hood1_rule 10.99.0.0/24
in_ns client ip addr del 10.99.0.1/24 dev hood1
check "$r: and loses it with the address" \
	wait_for 5 not hood1_rule 10.99.0.0/24

# No route toward the PLAT (the mesh's IPv6 rule gone): the CLAT stands
# down, and the hoods get an unreachable route, not the native one.
in_ns client ip -6 rule del priority 100
xlatd_wait_state waiting-for-uplink 15 ||
	fail "$r: standing down without a route" "$(xlatd_state)"
check_match "$r: no leak, an unreachable route for the hoods" \
	'^unreachable default proto 88' \
	"$(in_ns client ip route show table "$MESH_TABLE" default)"
check_match "$r: a hood's packet finds no route" 'No route to host' \
	"$(in_ns client ip route get "$SERVER4" from "$HOOD1_ADDR" iif hood1 2>&1)"
# router-fallback=native by a reload: no route of xlatd's in the table
conf=("router-lan=$HOOD1_IF,$HOOD2_IF"
	"router-table=$MESH_TABLE")
recipe_conf "${conf[@]}" router-fallback=native
kill -HUP "$XLATD_PID"
check "$r: router-fallback=native leaves table $MESH_TABLE alone" \
	wait_for 5 no_table_default
recipe_conf "${conf[@]}"
kill -HUP "$XLATD_PID"
check "$r: and back to unreachable" wait_for 5 not no_table_default
# another router-table by a reload: the rules and the route move
recipe_conf "router-lan=$HOOD1_IF,$HOOD2_IF" router-table=464
kill -HUP "$XLATD_PID"
check "$r: a reload moves the rules to table 464" \
	wait_for 5 hood1_rule "$HOOD1_NET" 464
check_match "$r: and the unreachable route" '^unreachable default proto 88' \
	"$(in_ns client ip route show table 464 default)"
check "$r: none left in $MESH_TABLE" no_table_default
check_fails "$r: nor a rule toward it" hood1_rule "$HOOD1_NET"
recipe_conf "${conf[@]}"
kill -HUP "$XLATD_PID"
check "$r: back to $MESH_TABLE" wait_for 5 hood1_rule "$HOOD1_NET"
in_ns client ip -6 rule add from all lookup "$MESH_TABLE" priority 100
xlatd_check_running "$r, route back"
expect_traffic_from hood1 "$r, route back, hood1" "$SERVER4"

xlatd_stop_ok "$r"
check_eq "$r: SIGTERM leaves the gateway as it was" "$before" \
	"$(lab_cmd snapshot client)"

# router-lan-fast-path with NAT44: once conntrack has the flow ASSURED
# (UDP: over 2 s old, with replies), hood1's datagrams are translated at
# hood1's ingress and skip the gateway's IPv4 forwarding; the echoes
# still come back (through forwarding), and xlatctl stats counts them.
r="router keys, router-lan-fast-path"
recipe_conf "${conf[@]}" router-lan-fast-path=yes
xlatd_run "$r"
for hood in hood1 hood2; do
	check_eq "$r: clat_nat44_ingress at $hood's ingress" \
		clat_nat44_ingress "$(lan_progs "$hood")"
done
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
f0=$(forwarded)
s0=$(fast_packets)
check_eq "$r: a 5-second UDP flow from hood1, all 50 echoed" 50 \
	"$(udp_flow_from hood1 50)"
# 50 echoes forwarded to hood1, and the requests of the flow's first
# 2 s (about 20): the later ones at hood1's ingress
fwd=$(($(forwarded) - f0))
check "$r: at most 85 of the 100 datagrams forwarded ($fwd)" \
	test "$fwd" -le 85
check "$r: at least the 50 echoes forwarded ($fwd)" test "$fwd" -ge 50
check "$r: xlatctl stats counts the flow both ways" \
	test "$(($(fast_packets) - s0))" -ge 100
xlatd_stop_ok "$r"
for hood in hood1 hood2; do
	check_eq "$r: SIGTERM leaves no program at $hood's ingress" "" \
		"$(lan_progs "$hood")"
done
check_eq "$r: nor anything else" "$before" "$(lab_cmd snapshot client)"

r="router keys after kill -9"
xlatd_run "$r, first run"
xlatd_kill
check_fails "$r: the nftables table went with the process" \
	in_ns client nft list table ip xlatd
xlatd_run "$r"
expect_traffic_from hood2 "$r, hood2" "$SERVER4"
xlatd_stop_ok "$r"
check_eq "$r: nothing left of either run" "$before" \
	"$(lab_cmd snapshot client)"

# The main table as router-table: the rules look it up, the hoods go
# through the CLAT, and nothing is left after SIGTERM. The mesh looks up
# table fff for all IPv6 first, so, as in the recipe, a rule sends what is
# for the CLAT address to main, where xlatd routes it.
r="router keys, router-table=main"
recipe_conf "router-lan=$HOOD1_IF,$HOOD2_IF" router-table=main
in_ns client ip -6 rule add to "$MESH_CLAT6/128" lookup main priority 10
before_main=$(lab_cmd snapshot client)
xlatd_run "$r"
check "$r: hood1's rule looks up main" wait_for 5 hood1_rule "$HOOD1_NET" main
check_match "$r: main's default goes into the CLAT" '^default dev clat ' \
	"$(in_ns client ip route show table main default)"
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
xlatd_stop_ok "$r"
check_eq "$r: nothing left" "$before_main" "$(lab_cmd snapshot client)"
in_ns client ip -6 rule del to "$MESH_CLAT6/128" lookup main priority 10

# A table ip xlatd that the admin made: left alone, and the log names it.
r="router keys, the admin's table"
in_ns client nft add table ip xlatd
admin_table=$(in_ns client nft list table ip xlatd)
xlatd_run "$r"
check_match "$r: the log names the table" \
	"an nftables table 'ip xlatd' exists that xlatd did not make" \
	"$(cat "$XLATD_LOG")"
check_eq "$r: the admin's table as it was" "$admin_table" \
	"$(in_ns client nft list table ip xlatd)"
xlatd_stop_ok "$r"
check_eq "$r: and still there after SIGTERM" "$admin_table" \
	"$(in_ns client nft list table ip xlatd)"
in_ns client nft delete table ip xlatd
summary
