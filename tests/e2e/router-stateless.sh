#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The stateless mapping (RFC 6877 §6.3, RFC 7757): the mesh gateway
# serves both hoods with no NAT44, each hood address mapped into the
# delegated prefix 2001:db8:5::/64 (lab.sh up --mesh), so the server,
# answering natively (clat-alone), sees two IPv6 sources, one per hood
# client. Ping, HTTP, a checksummed download, UDP, a 3000-byte ping and a
# 4000-byte UDP echo from both, on the fast path; hood1 cannot send
# from hood2's address, so not from its IPv6 address either; PMTU and
# traceroute from hood1; a reload during pings loses none; SIGTERM leaves the
# gateway as it was, and so do kill -9 and a restart. The hoods' packets
# are translated at their own interface's ingress (clat_lan_ingress), and
# the replies sent from the uplink's ingress straight to the hood, so the
# gateway's IPv4 forwarding sees neither; the program leaves a
# hood whose address goes and comes back with it; with fast-path=off, or
# without router-lan-fast-path, the program is on neither interface and
# the packets go through IPv4 forwarding.
. "$(dirname "$0")/lib/e2e.sh"
. "$E2E_LIB/router.sh"
e2e_need_root
e2e_xlatd_dir

# server_sources: the server listens on UDP 9999 for 4 s while both hoods
# send to it, and prints the sources it saw, sorted.
server_sources() {
	in_ns server python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 9999))
s.settimeout(0.2)
seen, end = set(), time.time() + 4
while time.time() < end:
    try:
        seen.add(s.recvfrom(100)[1][0])
    except socket.timeout:
        pass
print(" ".join(sorted(seen)))' >"$XLATD_DIR/sources.out" &
	local lpid=$! hood
	sleep 0.5
	for hood in hood1 hood2; do
		in_ns "$hood" python3 -c '
import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(
    b"who", (sys.argv[1], 9999))' "$SERVER4"
	done
	wait "$lpid"
	cat "$XLATD_DIR/sources.out"
}

# udp_burst: hood1 sends 50 datagrams to the server's UDP 9998, 10 ms
# apart; prints how many the server received (it does not answer).
udp_burst() {
	in_ns server python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 9998))
s.settimeout(3)
n = 0
try:
    while n < 50:
        s.recv(100)
        n += 1
except socket.timeout:
    pass
print(n)' >"$XLATD_DIR/burst.out" &
	local lpid=$!
	sleep 0.5
	in_ns hood1 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(50):
    s.sendto(b"burst", (sys.argv[1], 9998))
    time.sleep(0.01)' "$SERVER4"
	wait "$lpid"
	cat "$XLATD_DIR/burst.out"
}

lab_up --mode clat-alone --mesh --mtu-1280 || exit 1
mesh_policy
before=$(lab_cmd snapshot client)
r="stateless"
conf=("router-lan=$HOOD1_NET,$HOOD2_NET" "router-table=$MESH_TABLE"
	router-mode=stateless "router-v6-prefix=$MESH_DELEGATED6")
recipe_conf "${conf[@]}" router-lan-fast-path=yes
xlatd_run "$r"
p=${MESH_DELEGATED6%::/64}
check_eq "$r: the server sees one IPv6 source per hood client" \
	"$p::c0a8:20a $p::c0a8:a" "$(server_sources)"
for hood in hood1 hood2; do
	expect_traffic_from "$hood" "$r, $hood" "$SERVER4"
	lan_fragments "$hood" "$r, $hood"
done
check_match "$r: the fast path took the hoods' packets" '^[1-9][0-9]*$' \
	"$(fast_packets)"
for hood in hood1 hood2; do
	check_eq "$r: clat_lan_ingress at $hood's ingress" clat_lan_ingress \
		"$(lan_progs "$hood")"
done
f0=$(forwarded)
check_eq "$r: the server gets 50 datagrams from hood1" 50 "$(udp_burst)"
check_eq "$r: none of them went through the gateway's IPv4 forwarding" \
	0 "$(($(forwarded) - f0))"
f0=$(forwarded)
check_match "$r: 20 pings from hood1, all answered" ' 0% packet loss' \
	"$(in_ns hood1 ping -q -c 20 -i 0.05 -W 2 "$SERVER4")"
check_eq "$r: neither requests nor replies went through IPv4 forwarding" \
	0 "$(($(forwarded) - f0))"
# The program follows the plan: hood2 without its address serves nothing.
a2=$(in_ns client ip -4 -o addr show dev hood2 | awk '{ print $4; exit }')
in_ns client ip addr del "$a2" dev hood2
wait_for 5 test -z "$(lan_progs hood2)"
check_eq "$r: hood2's address gone, no program at its ingress" "" \
	"$(lan_progs hood2)"
in_ns client ip addr add "$a2" dev hood2
wait_for 5 test -n "$(lan_progs hood2)"
check_eq "$r: hood2's address back, the program too" clat_lan_ingress \
	"$(lan_progs hood2)"
expect_traffic_from hood2 "$r, hood2 again" "$SERVER4"
check_fails "$r: no SNAT" grep -q snat \
	<<<"$(in_ns client nft list ruleset)"
check_eq "$r: a hood cannot send with another hood's source" nothing \
	"$(spoofed_echo)"
check_eq "$r: the spoofed datagram is counted" 1 "$(lan_spoofed)"
path_from hood1 "$r, hood1"

reload_no_loss hood2 "$r"
xlatd_stop_ok "$r"
check_eq "$r: SIGTERM leaves the gateway as it was" "$before" \
	"$(lab_cmd snapshot client)"
check_eq "$r: after SIGTERM, no program at hood1's ingress" "" \
	"$(lan_progs hood1)"

# kernel_path NAME [KEY=VALUE...]: xlatd run with these keys puts no
# program at hood1's ingress, and hood1's datagrams go through the
# gateway's IPv4 forwarding (and the host's forward rules).
kernel_path() {
	local r=$1 f0
	shift
	xlatd_run "$r" "$@"
	check_eq "$r: no program at hood1's ingress" "" "$(lan_progs hood1)"
	f0=$(forwarded)
	check_eq "$r: the server gets 50 datagrams from hood1" 50 \
		"$(udp_burst)"
	check_rose "$r: they went through the gateway's IPv4 forwarding" \
		"$f0" "$(forwarded)"
	xlatd_stop_ok "$r"
}

kernel_path "stateless, fast path off" fast-path=off
# Without router-lan-fast-path (the default) the fast path translates the
# LANs' packets on the CLAT device, after IPv4 forwarding.
recipe_conf "${conf[@]}"
kernel_path "stateless, the LAN fast path not asked for"
recipe_conf "${conf[@]}" router-lan-fast-path=yes

r="stateless after kill -9"
xlatd_run "$r, first run"
xlatd_kill
xlatd_run "$r"
check_eq "$r: the server sees one IPv6 source per hood client" \
	"$p::c0a8:20a $p::c0a8:a" "$(server_sources)"
expect_traffic_from hood1 "$r, hood1" "$SERVER4"
check_eq "$r: clat_lan_ingress at hood1's ingress, once" clat_lan_ingress \
	"$(lan_progs hood1)"
xlatd_stop_ok "$r"
check_eq "$r: nothing left of either run" "$before" \
	"$(lab_cmd snapshot client)"
check_eq "$r: no program at hood1's ingress" "" "$(lan_progs hood1)"
summary
