#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Native IPv4: with an IPv4 default route of its own on the
# host (lab.sh native-ipv4 on: 192.0.2.2/24 via 192.0.2.1 on up0, NATed
# by the plat), xlatd does not translate: state native-ipv4, no TUN, no
# route of its own, nothing at the uplink's tcx ingress, and IPv4 goes
# out natively. When the native route goes, xlatd starts translating;
# when it comes back, xlatd stops again. With v4-conncheck-enable=no it
# translates regardless (its route has metric 2048, the native one wins).
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir

# translated: the packets xlatd translated, both directions, by the
# slow path (the TUN) or the eBPF fast path.
translated() {
	xlatctl stats --json | python3 -c '
import json, sys
i = json.load(sys.stdin)["instances"][0]
print(sum(i[d][p]["out"] for d in ("ipv4_to_ipv6", "ipv6_to_ipv4")
          for p in ("tcp", "udp", "icmp", "other")))'
}

tun_count() {
	in_ns client ip -o link show type tun | wc -l
}

# not_translating WHAT
not_translating() {
	local what=$1
	check_eq "$what: state native-ipv4" native-ipv4 "$(xlatd_state)"
	check_eq "$what: no TUN device" 0 "$(tun_count)"
	check_eq "$what: no route of xlatd's (protocol 88)" "" \
		"$(in_ns client ip route show table all proto 88)"
	check_eq "$what: nothing at up0's tcx ingress" 0 \
		"$(tcx_count "$CLIENT_IF")"
	check_match "$what: 203.0.113.10 is routed natively" \
		"^$SERVER4 via $NATIVE4_GW dev $CLIENT_IF src ${NATIVE4_ADDR%/*} " \
		"$(in_ns client ip -4 route get "$SERVER4")"
	check "$what: ping 203.0.113.10" \
		in_ns client ping -c 3 -i 0.2 -W 2 "$SERVER4"
	check_eq "$what: HTTP over IPv4" "$SERVER_HTTP_BODY" \
		"$(in_ns client curl -s -m 10 "$SERVER_URL4")"
	check_eq "$what: xlatd translated nothing" 0 "$(translated)"
}

lab_up --mode full || exit 1
lab_cmd native-ipv4 on >/dev/null || fail "native-ipv4 on" "lab.sh failed"

xlatd_start client v4-conncheck-delay=0 state-dir="$XLATD_DIR/state"
if xlatd_wait_state native-ipv4 10; then
	pass "native IPv4 at start: xlatd sees it"
else
	fail "native IPv4 at start: xlatd sees it" \
		"state $(xlatd_state); $(xlatd_log)"
fi
sleep 2 # past DAD time: it must not have gone on to translate meanwhile
not_translating "native IPv4 at start"

# The native route goes: xlatd takes over.
lab_cmd native-ipv4 off >/dev/null
xlatd_check_running "native IPv4 gone"
check_eq "native IPv4 gone: one TUN device" 1 "$(tun_count)"
check "native IPv4 gone: ping 203.0.113.10 through the CLAT" \
	in_ns client ping -c 3 -i 0.2 -W 2 "$SERVER4"
check "native IPv4 gone: xlatd translated the pings" \
	test "$(translated)" -ge 6

# It comes back: xlatd stops translating and removes its own.
lab_cmd native-ipv4 on >/dev/null
if xlatd_wait_state native-ipv4 10; then
	pass "native IPv4 back: xlatd stops"
else
	fail "native IPv4 back: xlatd stops" "state $(xlatd_state)"
fi
wait_for 3 test "$(tun_count)" = 0
not_translating "native IPv4 back"
xlatd_stop_ok

# v4-conncheck-enable=no: xlatd translates even so, but the host keeps
# using its native route (metric 0 against xlatd's 2048).
xlatd_start client v4-conncheck-enable=no state-dir="$XLATD_DIR/state"
if xlatd_wait_state running 15; then
	pass "v4-conncheck-enable=no: running despite native IPv4"
else
	fail "v4-conncheck-enable=no: running despite native IPv4" \
		"state $(xlatd_state); $(xlatd_log)"
fi
check_match "v4-conncheck-enable=no: the native route still wins" \
	"^$SERVER4 via $NATIVE4_GW dev $CLIENT_IF " \
	"$(in_ns client ip -4 route get "$SERVER4")"
xlatd_stop_ok "v4-conncheck-enable=no"
lab_down

summary
