#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Renumbering: the router starts advertising 2001:db8:1:1::/64
# instead of 2001:db8:1::/64, and once the client has its new SLAAC
# address, deprecates the old prefix (one RA with preferred lifetime 0,
# RFC 4862 §5.5.3; Linux keeps the address, deprecated, for two hours).
# The running instance chooses a new CLAT address in the new /64, checks
# it with DAD (a DAD probe on the wire, and the log) while it already
# uses it (optimistic DAD, RFC 4429), and swaps it in
# place: the device, its ifindex and 192.0.0.x stay, the eBPF program
# takes the new address and not the old one, the old one is no longer
# joined as anycast, and IPv4 works again (counted exactly).
#
# The lab runs in clat-alone mode, so the server answers the synthesized
# address itself and can ping the CLAT address from it: translated
# (echo request 6->4, reply 4->6) for the CLAT address in use, not at all
# for the old one. The router and the server get routes to the new /64
# (the lab routes only 2001:db8:1::/64). Once with the eBPF fast path
# (fast-path=auto) and once without.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

NEW_PFX=2001:db8:1:1::/64
NEW_PFX_START=2001:db8:1:1:

# renumbered: running with a CLAT address in the new /64.
renumbered() {
	st_is state running && [[ $(st clat_v6) == "$NEW_PFX_START"* ]]
}

# from_server ADDR: one ping from the server's synthesized address (the
# PLAT prefix) to ADDR.
from_server() {
	in_ns server ping -6 -n -c 1 -W 3 -I "$SERVER6" "$1"
}

# run_case FAST_PATH: the whole test with fast-path=FAST_PATH (auto or
# off), as the new address must reach the eBPF fast path and the daemon.
run_case() {
	local fp=$1 dev ifindex v4 old6 new6 core1 dadlog tcpdump_pid log before

	lab_up --mode clat-alone || return 1
	xlatd_start_uplink "$fp: running" fast-path="$fp"
	dev=$(st clat_dev)
	ifindex=$(clat_ifindex "$dev")
	v4=$(st clat_v4)
	old6=$(st clat_v6)
	check_match "$fp: CLAT address $old6 in $CLIENT_PREFIX" '^2001:db8:1:0:' "$old6"
	check "$fp: the server reaches the CLAT address $old6" from_server "$old6"
	ping_counted "$fp: before renumbering" 3

	core1=$(in_ns server ip -6 route show "$CLIENT_PREFIX" |
		awk '{ print $3; exit }')
	in_ns router ip -6 route add "$NEW_PFX" dev "$ROUTER_IF"
	in_ns server ip -6 route add "$NEW_PFX" via "$core1"
	lab_cmd ra --prefix "$NEW_PFX" >/dev/null
	wait_for 10 client_addr_ready "$NEW_PFX_START" ||
		fail "$fp: the client has a SLAAC address in $NEW_PFX" "none after 10 s"

	# DAD probes (from ::) the client sends from now on.
	dadlog=$(mktemp "$E2E_TMP/dad.XXXXXX")
	"$LAB" exec router timeout 20 tcpdump -i "$ROUTER_IF" -n -l \
		'icmp6 and ip6[40] == 135 and src ::' >"$dadlog" 2>&1 &
	tcpdump_pid=$!
	wait_for 5 grep -q 'listening on' "$dadlog"
	in_ns router python3 "$E2E_ROOT/scripts/lab/ra-sender.py" --iface \
		"$ROUTER_IF" --prefix "$CLIENT_PREFIX" --preferred-lifetime 0 \
		--valid-lifetime 0 --router-lifetime 1800 --once >/dev/null 2>&1
	check_match "$fp: the old SLAAC address is deprecated" "deprecated" \
		"$(in_ns client ip -6 -o addr show dev "$CLIENT_IF" to "$CLIENT_PREFIX")"
	if wait_for 5 renumbered; then
		pass "$fp: running with a CLAT address in $NEW_PFX"
	else
		fail "$fp: running with a CLAT address in $NEW_PFX" \
			"state $(xlatd_state), clat_v6 $(st clat_v6); $(xlatd_log)"
	fi
	new6=$(st clat_v6)
	sleep 0.5
	kill -TERM "$tcpdump_pid" 2>/dev/null
	wait "$tcpdump_pid" 2>/dev/null

	check_match "$fp: a DAD probe for $new6 went out" "who has $new6" "$(cat "$dadlog")"
	rm -f "$dadlog"
	# optimistic DAD (RFC 4429): the new address is used while its DAD
	# runs
	wait_for 5 grep -q "CLAT address $new6 passed DAD" "$XLATD_LOG"
	log=$(cat "$XLATD_LOG")
	check_match "$fp: logged: running with $new6 at once" \
		"running -> running: $v4 <-> $new6 via" "$log"
	check_match "$fp: logged: $new6 passed DAD" "CLAT address $new6 passed DAD" "$log"
	check "$fp: same xlatd process" xlatd_same_process
	check_eq "$fp: same CLAT device $dev" "$ifindex" "$(clat_ifindex "$dev")"
	check_eq "$fp: same CLAT IPv4 address" "$v4" "$(st clat_v4)"
	check_match "$fp: $v4 still on $dev" "inet $v4/32" \
		"$(in_ns client ip -4 -o addr show dev "$dev")"
	check_eq "$fp: one IPv4 default route, through $dev" \
		"default dev $dev scope link src $v4" \
		"$(defaults4 | sed 's/ proto 88//; s/ metric.*//')"
	check_match "$fp: the eBPF program takes $new6" \
		"^prog=[0-9]+ name=clat_ingress clat_v6=$new6 tun_ifindex=$ifindex enabled=1\$" \
		"$(tcx_progs)"
	check_one_bpf "$fp: exactly one eBPF program on $CLIENT_IF"
	check "$fp: $new6 is joined as anycast" wait_for 3 anycast_has "$new6"
	check_fails "$fp: $old6 is not joined any more" anycast_has "$old6"

	ping_counted "$fp: after renumbering" 3
	check_eq "$fp: HTTP over IPv4 after renumbering" "$SERVER_HTTP_BODY" \
		"$(in_ns client curl -s -m 10 "$SERVER_URL4")"
	check "$fp: the server reaches the new CLAT address" from_server "$new6"
	before=$(all_counters)
	check_fails "$fp: the server does not reach the old CLAT address" \
		from_server "$old6"
	check_eq "$fp: nothing for the old address was translated or dropped" \
		"$before" "$(all_counters)"

	xlatd_stop_nothing_left "$fp: xlatd" "$fp"
	lab_down
}

xlatd_use_asan
run_case auto
run_case off
summary
