#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Fragmentation and PMTU: 4000-byte UDP datagrams and 3000-byte
# pings in both directions, and TCP bulk transfers (1 MiB each way)
# through a path with a 1280-byte link, where the CLAT must turn the
# router's ICMPv6 "packet too big" into ICMPv4 "fragmentation needed".
#
# The labs are clat-alone (lab.sh up --mode clat-alone): no PLAT, the
# server answers natively on its synthesized address 2001:db8:64::cb00:710a
# (203.0.113.10 in the PLAT prefix). That exercises the CLAT alone, which
# is the point: TAYGA 0.9.2 drops fragments both as a CLAT and as a PLAT
# (docs/kernel.md: a 1300-byte IPv4 ping through its 1260 route MTU is
# lost, and fragmented IPv6 towards it is lost), so in the full lab a
# fragment test would test TAYGA, and fail for TAYGA's sake.
#
# Round 1: every link 1500. Round 2 (--mtu-1280): the router-server link
# is 1280, so the server's replies come as smaller fragments and the
# CLAT's translated packets must fit 1280 on the way out.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir

fragments() {
	local r=$1 v6 before before2 out
	v6=$(clat_v6)

	# client -> server: the client's IPv4 stack fragments, the CLAT
	# translates each fragment (Fragment header), the server reassembles
	# IPv6 and echoes 4000 bytes, fragmented, back.
	before=$(counter server snmp6 Ip6ReasmOKs)
	before2=$(counter client snmp ReasmOKs)
	check_eq "$r: 4000-byte UDP to the server and back" ok \
		"$(udp_echo 4000)"
	grew "$r: the server reassembled IPv6 fragments" \
		server snmp6 Ip6ReasmOKs "$before"
	grew "$r: the client reassembled IPv4 fragments of the reply" \
		client snmp ReasmOKs "$before2"

	# server -> client: the same, started by the server on IPv6.
	check_match "$r: 4000-byte UDP from the server and back" \
		"^ok; client saw $SERVER4 4000\$" "$(udp_from_server 4000)"

	# ping -s 3000, client -> server; the 3028-byte echo reply leaves
	# the server in IPv6 fragments.
	before=$(counter server snmp6 Ip6FragCreates)
	check "$r: ping -s 3000 203.0.113.10" \
		in_ns client ping -c 3 -i 0.3 -W 3 -s 3000 "$SERVER4"
	grew "$r: the server's echo replies were fragmented" \
		server snmp6 Ip6FragCreates "$before"
	out=$(in_ns client ping -c 1 -W 3 -s 3000 "$SERVER4")
	check_match "$r: ping reply of 3008 bytes" \
		"^3008 bytes from $SERVER4: icmp_seq=1 " "$out"

	# ping -s 3000, server -> the CLAT address: the CLAT turns the
	# fragmented echo request into IPv4 for the host, and the host's
	# 3028-byte reply into fragmented IPv6.
	before=$(counter server snmp6 Ip6ReasmOKs)
	check "$r: ping -s 3000 from the server to the CLAT address" \
		in_ns server ping -c 3 -i 0.3 -W 3 -s 3000 -I "$SERVER6" "$v6"
	grew "$r: the server reassembled the fragmented echo replies" \
		server snmp6 Ip6ReasmOKs "$before"
}

lab_up --mode clat-alone || exit 1
xlatd_run "MTU 1500"
fragments "MTU 1500"
xlatd_stop_ok "MTU 1500"
lab_down

lab_up --mode clat-alone --mtu-1280 || exit 1
r="MTU 1280"
xlatd_run "$r"
fragments "$r"

# PMTU, UDP: a 1400-byte datagram with DF set leaves the CLAT as 1420
# bytes of IPv6; the router answers "packet too big" (1280), the CLAT
# translates it into "fragmentation needed" (1260 = 1280 - 20, RFC 7915
# section 5.2) and the host learns the path MTU: the next send of 1400
# bytes fails with EMSGSIZE.
before=$(counter router snmp6 Icmp6OutPktTooBigs)
out=$(pmtu_udp_from client "$SERVER4")
grew "$r: the router sent packet too big" router snmp6 Icmp6OutPktTooBigs \
	"$before"
check_eq "$r: translated PTB: path MTU 1260, then EMSGSIZE" \
	"mtu 1260 Message too long" "$out"
in_ns client ip route flush cache

# PMTU, TCP. The server's own link is the 1280 one, so left alone it
# would announce MSS 1220 and no packet would ever be too big. Its route
# to the client announces MSS 1440 instead, as a server on a 1500 link
# behind a 1280 link would: the client then sends 1472-byte IPv4
# segments, the router answers "packet too big" and TCP works only if
# the CLAT's translated ICMPv4 gets through.
gw=$(in_ns server ip -6 route show "$CLIENT_PREFIX" | awk '{ print $3 }')
in_ns server ip -6 route change "$CLIENT_PREFIX" via "$gw" dev s1 advmss 1440
before=$(counter router snmp6 Icmp6OutPktTooBigs)
check_eq "$r: 1 MiB up and back over TCP (echo)" ok "$(tcp_echo)"
grew "$r: the router sent packet too big for TCP" router snmp6 \
	Icmp6OutPktTooBigs "$before"
check_match "$r: the client's path MTU to the server is 1260" \
	' mtu 1260 ' "$(in_ns client ip -4 route get "$SERVER4")"
check_eq "$r: 1 MiB download (curl), SHA-256" "$SERVER_BIG_SHA256" \
	"$(big_sha256_from client "$SERVER4")"
xlatd_stop_ok "$r"
lab_down

summary
