#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A point-to-point uplink with no Neighbor Discovery: a link of the
# kind WireGuard and PPP make (ARPHRD_NONE, IFF_POINTOPOINT | IFF_NOARP,
# no header in front of IP), here two TUN devices joined by
# lib/tun-link.py, from the client to the router: WireGuard's device
# type, on any kernel (the lab's has no WireGuard, PPP or IP tunnels).
# It carries the
# client's IPv6 default route and a /64 routed to it, 2001:db8:7::/64;
# the Ethernet link keeps no default route. xlatd (no plat-dev: one
# instance per link with an IPv6 default route) runs on p2p0 alone, takes
# its CLAT address from the /64 on p2p0 with no DAD and no anycast
# membership (the router routes the whole /64 over the link), and
# translates through xlat-siit as the PLAT: ping, HTTP, a 1 MiB
# transfer, UDP and a 3000-byte ping, with the eBPF fast path on a link
# that has no Ethernet header, and without it. Then a fixed clat-v6-addr
# in the routed /64 with only a /128 on p2p0 (the way a tunnel broker or
# a hosting provider routes a prefix): the address is off-link, routed
# into the device. Then, as on PPP, router advertisements over the link
# (a /64 for SLAAC, PREF64) and nothing configured. SIGTERM leaves
# nothing.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

[ -c /dev/net/tun ] || {
	echo "SKIP: needs /dev/net/tun"
	exit 77
}

ROUTED=2001:db8:7::
# where the rounds' PLAT prefix comes from
PREFIX_SOURCE=static
P2P=p2p0
LINK_PID=
RA_PID=

# on exit: the link and the RA sender first (the link's process is in
# the client's namespace), then the rest
p2p_exit() {
	local pid
	for pid in $RA_PID $LINK_PID; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	e2e_exit
}
trap p2p_exit EXIT

lab_up --mode full --plat xlat-siit || {
	fail "lab up"
	summary
}
e2e_xlatd_dir

python3 "$E2E_LIB/tun-link.py" "$NS_ROUTER" "$NS_CLIENT" "$P2P" \
	>"$XLATD_DIR/link.out" 2>&1 &
LINK_PID=$!
wait_for 5 grep -q ready "$XLATD_DIR/link.out" ||
	fail "the point-to-point link" "$(cat "$XLATD_DIR/link.out")"
check_match "$P2P has no Neighbor Discovery and no link-layer header" \
	'POINTOPOINT,.*NOARP.*link/none' \
	"$(in_ns client ip -o link show "$P2P")"

# Link-local addresses on the link (no MAC for an EUI-64 interface
# identifier: random ones), as IPv6CP gives PPP; the router: its end of
# the link, the routed /64 over it, and the PLAT's way back to that /64.
in_ns router ip link set "$P2P" addrgenmode random
in_ns client ip link set "$P2P" addrgenmode random
in_ns router ip addr add "${ROUTED}1/128" dev "$P2P"
in_ns router ip link set "$P2P" up
in_ns router ip -6 route add "${ROUTED}/64" dev "$P2P"
in_ns plat ip -6 route add "${ROUTED}/64" via 2001:db8:f1::1

# The client: the IPv6 default route over the link, none on Ethernet.
in_ns client sysctl -qw "net.ipv6.conf.$CLIENT_IF.accept_ra=0"
in_ns client ip -6 route del default dev "$CLIENT_IF"
in_ns client ip link set "$P2P" up
in_ns client ip -6 route add default dev "$P2P"

# client_has_slaac: the client has an address of the routed /64 on the
# link, from a router advertisement, and a default route over it.
client_has_slaac() {
	in_ns client ip -6 -o addr show dev "$P2P" scope global |
		grep -q " ${ROUTED%::}:" &&
		in_ns client ip -6 route show default dev "$P2P" | grep -q .
}

# p2p_addr ADDR/LEN: the client's only global address on the link.
p2p_addr() {
	in_ns client ip -6 addr flush dev "$P2P" scope global
	in_ns client ip -6 addr add "$1" dev "$P2P"
}

# round NAME FAST CLAT_V6 [key=value ...]: xlatd on the link with the keys
# and fast-path=FAST (auto or off); the PLAT prefix (from
# $PREFIX_SOURCE), the CLAT address (CLAT_V6: what status shows, or
# "auto" for one in the routed /64), traffic both ways, the fast path's
# share, no anycast, and SIGTERM.
round() {
	local r=$1 fast=$2 want=$3 v6 fast0 slow0 out
	shift 3
	XLATD_DIR=$XLATD_DIR/$r
	mkdir -p "$XLATD_DIR"
	xlatd_start client v4-conncheck-delay=0 state-dir="$XLATD_DIR/state" \
		fast-path="$fast" "$@"
	xlatd_check_running "$r"
	check_eq "$r: the PLAT prefix" "$PLAT_PREFIX" "$(st plat_prefix)"
	check_eq "$r: the PLAT prefix's source" "$PREFIX_SOURCE" \
		"$(st prefix_source)"
	check_eq "$r: the instance is on $P2P" "$P2P" "$(st uplink)"
	v6=$(clat_v6)
	if [ "$want" = auto ]; then
		check_match "$r: the CLAT address is in the routed /64" \
			"^2001:db8:7:0:[0-9a-f:]+\$" "$v6"
		check_match "$r: no DAD on a link without ND" \
			"no Neighbor Discovery on $P2P: CLAT address $v6 used" \
			"$(tail -n "+$XLATD_LOG_START" "$XLATD_LOG")"
		check_fails "$r: no DAD probe, no verdict" xlatd_passed_dad
	else
		check_eq "$r: the CLAT address" "$want" "$v6"
	fi
	check_fails "$r: no anycast membership for $v6" anycast_has "$v6"
	fast0=$(st fast_path_packets)
	slow0=$(st slow_path_packets)
	check "$r: 5 pings to $SERVER4" \
		in_ns client ping -c 5 -i 0.2 -W 3 "$SERVER4"
	if [ "$fast" = auto ]; then
		# the requests at the device's egress, the replies at the
		# link's ingress, where IPv6 has no header in front
		check_eq "$r: the slow path took none of them" "$slow0" \
			"$(st slow_path_packets)"
		check "$r: the fast path took them both ways" \
			test $(($(st fast_path_packets) - fast0)) -ge 10
	else
		check_eq "$r: nothing through the fast path" "$fast0" \
			"$(st fast_path_packets)"
		check "$r: the slow path took them both ways" \
			test $(($(st slow_path_packets) - slow0)) -ge 10
	fi
	expect_traffic_from client "$r" "$SERVER4"
	check "$r: ping -s 3000 $SERVER4" \
		in_ns client ping -c 3 -i 0.3 -W 3 -s 3000 "$SERVER4"
	out=$(in_ns client ping -c 1 -W 3 -s 3000 "$SERVER4")
	check_match "$r: ping reply of 3008 bytes" \
		"^3008 bytes from $SERVER4: icmp_seq=1 " "$out"
	if [ "$fast" = off ]; then
		check_eq "$r: still nothing through the fast path" "$fast0" \
			"$(st fast_path_packets)"
	fi
	xlatd_stop_clean "$r"
	check_fails "$r: the device is gone" in_ns client ip link show \
		"clat-$P2P"
	check_eq "$r: nothing left: IPv4 routes of xlatd" "" "$(routes88)"
	check_eq "$r: nothing left: IPv6 routes of xlatd" "" \
		"$(in_ns client ip -6 route show table all proto 88)"
	check_eq "$r: nothing left: eBPF on $P2P" 0 "$(tcx_count "$P2P")"
	XLATD_DIR=${XLATD_DIR%/*}
}

# Round 1, as on WireGuard: a /64 configured on the link, the CLAT
# address chosen in it.
p2p_addr "${ROUTED}2/64"
round fast auto auto plat-prefix="$PLAT_PREFIX"
round slow off auto plat-prefix="$PLAT_PREFIX"

# Round 2: a /128 on the link and a fixed CLAT address in the routed /64.
p2p_addr "${ROUTED}2/128"
round static-fast auto "${ROUTED}c1a7" clat-v6-addr="${ROUTED}c1a7" \
	plat-prefix="$PLAT_PREFIX"
round static-slow off "${ROUTED}c1a7" clat-v6-addr="${ROUTED}c1a7" \
	plat-prefix="$PLAT_PREFIX"

# Round 3, as on PPP: router advertisements over the link with the /64
# for SLAAC, PREF64 and the default route; nothing configured.
in_ns client ip -6 addr flush dev "$P2P" scope global
in_ns client ip -6 route del default dev "$P2P"
in_ns client sysctl -qw "net.ipv6.conf.$P2P.accept_ra=1" \
	"net.ipv6.conf.$P2P.autoconf=1"
"$LAB" exec router python3 "$E2E_ROOT/scripts/lab/ra-sender.py" \
	--iface "$P2P" --prefix "${ROUTED}/64" --pref64 "$PLAT_PREFIX" \
	--interval 5 >"$XLATD_DIR/ra.log" 2>&1 &
RA_PID=$!
if wait_for 10 client_has_slaac; then
	pass "SLAAC over $P2P"
else
	fail "SLAAC over $P2P" "$(cat "$XLATD_DIR/ra.log")"
fi
PREFIX_SOURCE=ra
round ra-fast auto auto
round ra-slow off auto

summary
