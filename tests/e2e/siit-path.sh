#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The whole 464XLAT path with our programs on both sides: xlatd as the
# CLAT in the client, xlat-siit as the PLAT in the classic topology
# (tayga.conf with a dynamic pool, nft masquerade of the pool). Ping,
# HTTP, a checksummed download, UDP and a TCP echo from the client's
# IPv4; the same server through NAT64 alone, from the client's own IPv6
# address; what xlat-siit counted; and SIGTERM: its control socket goes,
# its pool is saved, its persistent device (--mktun) stays. Once with
# xlat-siit's eBPF fast path, which must carry the TCP and UDP, and once
# without (lab --plat-slow), all in userspace.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir

# http_client: the peer address of the last request in the server's log
# (an IPv4 one, without the ::ffff: of its dual-stack socket).
http_client() {
	awk 'END { sub(/^::ffff:/, "", $1); print $1 }' "$LAB_DIR/http.log"
}

# path MODE [lab.sh up options]: the whole test, the fast path on or not.
path() {
	local r=$1
	shift
	lab_up --mode full --plat xlat-siit "$@" || exit 1
	xlatd_run "$r: CLAT with xlat-siit as the PLAT"

	check "$r: ping 203.0.113.10" in_ns client ping -c 3 -i 0.2 -W 2 "$SERVER4"
	check_eq "$r: HTTP over IPv4" "$SERVER_HTTP_BODY" \
		"$(in_ns client curl -s -m 10 "$SERVER_URL4")"
	check_eq "$r: the server saw the masqueraded pool (the plat's address)" \
		"$PLAT_ADDR4" "$(http_client)"
	sum=$(in_ns client curl -s -m 30 "http://$SERVER4$SERVER_BIG_PATH" |
		sha256sum | cut -d' ' -f1)
	check_eq "$r: 1 MiB download, SHA-256" "$SERVER_BIG_SHA256" "$sum"
	check_eq "$r: UDP round trip, 100 bytes" ok "$(udp_echo 100)"
	check_eq "$r: TCP echo, 1 MiB up and back" ok "$(tcp_echo)"

	# NAT64 alone: the client's own address gets its own pool address.
	check "$r: NAT64: ping the synthesized address" \
		in_ns client ping -6 -c 2 -i 0.2 -W 2 "$SERVER6"
	check_eq "$r: NAT64: HTTP over IPv6" "$SERVER_HTTP_BODY" \
		"$(in_ns client curl -s -m 10 "$SERVER_URL6")"

	# Two hosts answered (the CLAT address and the client's): both mappings
	# are confirmed, none on probation.
	check_eq "$r: status: two active mappings" 2 "$(siit_status pool_active)"
	check_eq "$r: status: none on probation" 0 "$(siit_status pool_probation)"
	check_eq "$r: stats: two addresses assigned" 2 \
		"$(siit_stat 's["siit"]["pool_assigned"]')"
	if [ "$r" = fast ]; then
		check_eq "$r: stats: the fast path carried more than userspace, each way" \
			True "$(siit_stat 'all(s["siit"]["fast_path_" + d] > sum(v["out"] for k, v in s[d].items() if isinstance(v, dict)) for d in ("ipv4_to_ipv6", "ipv6_to_ipv4"))')"
		check_match "$r: status: the fast path is on" "^(tcx|clsact)$" \
			"$(siit_status fast_path)"
	else
		check "$r: stats: userspace translated TCP both ways" test \
			"$(siit_stat 'min(s["ipv4_to_ipv6"]["tcp"]["out"], s["ipv6_to_ipv4"]["tcp"]["out"])')" \
			-gt 10
		check_eq "$r: stats: nothing in the fast path" 0 \
			"$(siit_stat 's["siit"]["fast_path_ipv4_to_ipv6"] + s["siit"]["fast_path_ipv6_to_ipv4"]')"
	fi
	check_eq "$r: stats: nothing refused" 0 "$(siit_stat 's["siit"]["pool_refused"]')"
	check_match "$r: stats: text view" "^  pool_assigned +2$" "$(siit_ctl stats)"

	# ping the translator's own addresses, as TAYGA answers them
	check "$r: xlat-siit answers pings to ipv4-addr" \
		in_ns client ping -c 1 -W 2 "$PLAT_TAYGA4"
	check_eq "$r: stats: the echo request was xlat-siit's" 1 \
		"$(siit_stat 's["siit"]["echo_replies"]')"

	xlatd_stop_ok "$r"

	# SIGTERM: the pool saved, the socket gone, the device left as it was.
	v6=$(in_ns client ip -6 -o addr show dev "$CLIENT_IF" scope global |
		awk '{ sub(/\/.*/, "", $4); print $4; exit }')
	lab_cmd plat stop
	check "$r: SIGTERM: nothing runs in the plat namespace" test -z \
		"$(ip netns pids "$NS_PLAT")"
	check "$r: SIGTERM: its control socket is gone" test ! -e "$PLAT_SOCK"
	check_match "$r: SIGTERM: the client's mapping is saved in dynamic.map" \
		"^198\.51\.100\.[0-9]+ $v6\$" "$(siit_dynamic_map)"
	check "$r: SIGTERM: the persistent TUN device stays (--mktun)" \
		in_ns plat ip link show nat64
	lab_down
}

path fast
path slow --plat-slow

summary
