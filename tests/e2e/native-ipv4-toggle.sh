#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Native IPv4 comes and goes: while xlatd runs, the lab gives the
# client 192.0.2.2/24 and a default route via 192.0.2.1 on the uplink
# (`lab.sh native-ipv4 on`). The instance stands down (state native-ipv4):
# its IPv4 default route (protocol 88, RTPROT_XLATD), device and eBPF
# program go, and IPv4 works natively. When the lab takes them away
# again, it comes back in the same process and IPv4 goes through the CLAT
# again (counted exactly in xlatctl stats). Twice, so the second round
# starts from what the first left.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

# route_dev: the device the client routes SERVER4 through.
route_dev() {
	in_ns client ip -4 route get "$SERVER4" |
		sed -n 's/.* dev \([^ ]*\).*/\1/p'
}

# through_clat WHAT: running, with exactly xlatd's default route.
through_clat() {
	local what=$1 dev
	if wait_for 5 st_running "$PLAT_PREFIX" ra; then
		pass "$what: running again"
	else
		fail "$what: running again" "state $(xlatd_state)"
	fi
	dev=$(st clat_dev)
	check_match "$what: xlatd's IPv4 default route, protocol 88" \
		"^default dev $dev scope link src $(st clat_v4) " \
		"$(routes88)"
	check_eq "$what: it is the only IPv4 default route" 1 \
		"$(defaults4 | grep -c .)"
	check_eq "$what: IPv4 goes through $dev" "$dev" "$(route_dev)"
	check_match "$what: one eBPF program on $CLIENT_IF" \
		"^prog=[0-9]+ name=clat_ingress .* enabled=1\$" "$(tcx_progs)"
	check_one_bpf "$what: exactly one eBPF program on $CLIENT_IF"
	ping_counted "$what" 3
	check "$what: same xlatd process" xlatd_same_process
}

# native WHAT: stood down for native IPv4.
native() {
	local what=$1 dev
	dev=$(st clat_dev)
	if wait_for 2 st_is state native-ipv4; then
		pass "$what: stands down (native-ipv4)"
	else
		fail "$what: stands down (native-ipv4)" "state $(xlatd_state)"
	fi
	check_match "$what: the cause is shown" "IPv4 default route" \
		"$(st cause)"
	check_eq "$what: no route of xlatd (protocol 88)" "" "$(routes88)"
	check_eq "$what: only the native default route" \
		"default via $NATIVE4_GW dev $CLIENT_IF" "$(defaults4 | sed 's/ *$//')"
	check_eq "$what: no CLAT device" "" "$(clat_ifindex "$dev")"
	check_eq "$what: no eBPF program on $CLIENT_IF" "" "$(tcx_progs)"
	check_eq "$what: IPv4 goes through $CLIENT_IF" "$CLIENT_IF" \
		"$(route_dev)"
	check "$what: native ping to $SERVER4" \
		in_ns client ping -n -q -c 2 -i 0.2 -W 2 "$SERVER4"
	check "$what: same xlatd process" xlatd_same_process
}

lab_up --mode full || exit 1
xlatd_use_asan
xlatd_start client plat-dev="$CLIENT_IF" v4-conncheck-delay=1
xlatd_remember
through_clat "start"
for round in 1 2; do
	lab_cmd native-ipv4 on >/dev/null
	native "native IPv4 on ($round)"
	lab_cmd native-ipv4 off >/dev/null
	through_clat "native IPv4 off ($round)"
done
check_match "the stand-down is logged with its cause" \
	"running -> native-ipv4: an IPv4 default route exists" \
	"$(cat "$XLATD_LOG")"
xlatd_stop_nothing_left "xlatd"
summary
