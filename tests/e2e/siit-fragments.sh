#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Fragments both ways and path MTU through the whole path, xlatd as the
# CLAT and xlat-siit as the PLAT: what TAYGA 0.9.2 loses (a 3000-byte
# ping never comes back through it).
#
# Round 1, every link 1500: 4000-byte UDP datagrams and 3000-byte pings
# from the client's IPv4 (CLAT) and from its IPv6 address (NAT64 alone),
# fragmented on the way there and back. ICMP fragments are reassembled
# by the translators; TCP and UDP fragments are translated one by one.
#
# Round 2 (lab --mtu-1280), the router-plat link 1280: the server's
# 1500-byte TCP segments leave xlat-siit as IPv6 too big for that link;
# the plat's kernel answers "packet too big" into the TUN device, and
# xlat-siit turns it into ICMPv4 "fragmentation needed" (RFC 7915 §5.2,
# MTU 1280 - 20) for the server. The client's uploads meet the same link
# from the other side, through the CLAT (tests/e2e/fragments.sh).
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir

# udp6_echo SIZE: the client's own IPv6 address to the echo port of the
# synthesized address (NAT64 alone).
udp6_echo() {
	in_ns client python3 -c "$UDP_ROUND_TRIP" "" "$SERVER6" \
		"$SERVER_ECHO_PORT" "$1"
}

# fragments ROUND
fragments() {
	local r=$1 before

	before=$(counter server snmp ReasmOKs)
	check_eq "$r: CLAT: 4000-byte UDP to the server and back" ok \
		"$(udp_echo 4000)"
	grew "$r: the server reassembled IPv4 fragments" server snmp \
		ReasmOKs "$before"
	check_match "$r: CLAT: ping -s 3000, 3008 bytes back" \
		"^3008 bytes from $SERVER4: icmp_seq=1 " \
		"$(in_ns client ping -c 1 -W 3 -s 3000 "$SERVER4")"
	check_eq "$r: NAT64: 4000-byte UDP to the server and back" ok \
		"$(udp6_echo 4000)"
	check_match "$r: NAT64: ping -s 3000, 3008 bytes back" \
		"^3008 bytes from $SERVER6: icmp_seq=1 " \
		"$(in_ns client ping -6 -c 1 -W 3 -s 3000 "$SERVER6")"
	check "$r: xlat-siit refused nothing as too big" test \
		"$(siit_drop too-big)" -eq 0
}

lab_up --mode full --plat xlat-siit || exit 1
xlatd_run "MTU 1500"
fragments "MTU 1500"
xlatd_stop_ok "MTU 1500"
lab_down

r="MTU 1280"
lab_up --mode full --plat xlat-siit --mtu-1280 || exit 1
xlatd_run "$r"
fragments "$r"

# PMTU, the server's side: its segments are too big for the IPv6 link.
ptb=$(counter plat snmp6 Icmp6OutPktTooBigs)
icmp=$(siit_stat 's["ipv6_to_ipv4"]["icmp"]["out"]')
sum=$(in_ns client curl -s -m 30 "http://$SERVER4$SERVER_BIG_PATH" |
	sha256sum | cut -d' ' -f1)
check_eq "$r: CLAT: 1 MiB download, SHA-256" "$SERVER_BIG_SHA256" "$sum"
grew "$r: the plat's kernel sent packet too big into the TUN device" plat \
	snmp6 Icmp6OutPktTooBigs "$ptb"
siit_rose "$r: xlat-siit translated it into ICMPv4" \
	's["ipv6_to_ipv4"]["icmp"]["out"]' "$icmp"
check_match "$r: the server learnt the path MTU (1260)" ' mtu 1260 ' \
	"$(in_ns server ip -4 route get "$PLAT_ADDR4")"
in_ns server ip route flush cache
sum=$(in_ns client curl -6 -s -m 30 "http://[$SERVER6]$SERVER_BIG_PATH" |
	sha256sum | cut -d' ' -f1)
check_eq "$r: NAT64: 1 MiB download, SHA-256" "$SERVER_BIG_SHA256" "$sum"
check_eq "$r: CLAT: TCP echo, 1 MiB up and back" ok "$(tcp_echo)"
xlatd_stop_ok "$r"

summary
