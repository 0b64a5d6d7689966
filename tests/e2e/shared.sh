#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Shared mode (clat-v6-addr=shared): a host whose only global address is a
# static /128, 2001:db8:1::5, with RAs that offer no SLAAC prefix. xlatd
# uses that address as the CLAT's: status source `shared`, no DAD, no
# anycast membership, no route. Ping, HTTP, a 1 MiB download, UDP, a
# 3000-byte ping and a 4000-byte UDP echo over IPv4, with the fast path
# and without; at the same time the host's own IPv6 flows to the same
# server (the DNS64-synthesized address, through the NAT64), forced onto
# the same port numbers: an IPv6 TCP connection and UDP socket bound to
# the very port the kernel picked for an IPv4 one, all four answered in
# turn (the translator swaps the ephemeral ports, xlatd(8)), and the
# port unreachable errors for UDP to a closed port reach each of a pair
# bound the same way. The PLAT is
# xlat-siit: TAYGA answers no fragmented ICMPv6 (the 3000-byte ping's
# request). Inbound
# flows the host owns stay the host's: a TCP listener on a port of the
# swapped low block, one below it with SYN cookies, and pings to the
# address. SIGTERM leaves the
# address and nothing of xlatd's; the lab's forwarding, firewall, rules
# and proxy ND as they were.
. "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=lib/router.sh
. "$E2E_LIB/router.sh"
e2e_need_root

SHARED6=2001:db8:1::5
# a port of the block the ephemeral ports swap with (below 32768), and
# one below that block
LISTEN_PORT=8080
COOKIE_PORT=443

lab_up --mode full --plat xlat-siit --ra-no-slaac || {
	fail "lab up"
	summary
}
e2e_xlatd_dir
in_ns client ip -6 addr add "$SHARED6/128" dev "$CLIENT_IF" nodad
check_eq "$SHARED6 is the only global address on $CLIENT_IF" \
	"$SHARED6/128" \
	"$(in_ns client ip -6 -o addr show dev "$CLIENT_IF" scope global |
		awk '{ print $4 }')"
snap_before=$(lab_cmd snapshot client)

# COLLIDE (python3 -c): an IPv4 TCP connection and UDP socket to the
# server, and IPv6 ones from the shared address bound to the ports the
# kernel picked for them, to the server's synthesized address; all four
# open at once, then each asks and reads its own answer. Prints the TCP
# port and "tcp4 tcp6 udp4 udp6" for those that got theirs.
COLLIDE='
import socket, sys
shared6, server4, server6, echo = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t4 = socket.create_connection((server4, 80), timeout=10)
port = t4.getsockname()[1]
t6 = socket.socket(socket.AF_INET6)
t6.settimeout(10)
t6.bind((shared6, port))
t6.connect((server6, 80))
u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u4.connect((server4, echo))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.bind((shared6, u4.getsockname()[1]))
u6.connect((server6, echo))
print(port, end="")
for name, s in (("tcp4", t4), ("tcp6", t6)):
    s.sendall(b"GET / HTTP/1.0\r\nHost: server\r\n\r\n")
    data = b""
    while True:
        d = s.recv(4096)
        if not d:
            break
        data += d
    if b"xlatd-lab-server4-ok" in data:
        print(" " + name, end="")
for name, s in (("udp4", u4), ("udp6", u6)):
    s.settimeout(2)
    for _ in range(3):
        s.send(name.encode())
        try:
            if s.recv(100) == name.encode():
                print(" " + name, end="")
            break
        except socket.timeout:
            pass
print()'

# REFUSED (python3 -c): UDP over IPv4 to a closed port of the server,
# and over IPv6 from the shared address, bound to the same port, to the
# server's synthesized address: the ICMP errors reach each socket (the
# one inside the ICMPv6 error decides). Prints "udp4 udp6" for those
# that saw the error.
REFUSED='
import socket, sys
shared6, server4, server6 = sys.argv[1], sys.argv[2], sys.argv[3]
u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u4.connect((server4, 9))
u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u6.bind((shared6, u4.getsockname()[1]))
u6.connect((server6, 9))
out = []
for name, s in (("udp4", u4), ("udp6", u6)):
    s.settimeout(2)
    for _ in range(3):
        s.send(b"x")
        try:
            s.recv(100)
        except ConnectionRefusedError:
            out.append(name)
            break
        except socket.timeout:
            pass
print(" ".join(out))'

# LISTEN (python3 -c): a TCP listener on [ADDR]:PORT that answers one
# connection with "host", after printing "ready".
LISTEN='
import socket, sys
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
print("ready", flush=True)
s.settimeout(15)
c, _ = s.accept()
c.sendall(b"host")
c.close()'

# host_listener NAME PORT: a listener of the host on [SHARED6]:PORT, and
# the router connects to it: NAME passes when the host answers.
host_listener() {
	local lpid
	in_ns client python3 -c "$LISTEN" "$SHARED6" "$2" \
		>"$XLATD_DIR/listen.out" 2>&1 &
	lpid=$!
	wait_for 5 grep -q ready "$XLATD_DIR/listen.out"
	check_eq "$1" host \
		"$(in_ns router curl -s -m 5 "telnet://[$SHARED6]:$2" </dev/null)"
	kill "$lpid" 2>/dev/null
	wait "$lpid" 2>/dev/null
}

# round NAME FAST [key=value ...]: xlatd in shared mode with fast-path=FAST
# (auto or off), the checks above, and SIGTERM.
round() {
	local r=$1 fast=$2 out fast0 port lo hi cookies
	shift 2
	XLATD_DIR=$XLATD_DIR/$r
	mkdir -p "$XLATD_DIR"
	xlatd_start client v4-conncheck-delay=0 state-dir="$XLATD_DIR/state" \
		plat-dev="$CLIENT_IF" clat-v6-addr=shared fast-path="$fast" "$@"
	xlatd_check_running "$r"
	check_eq "$r: clat_v6_source" shared "$(st clat_v6_source)"
	check_eq "$r: the CLAT address is the host's" "$SHARED6" "$(clat_v6)"
	check_match "$r: xlatctl status names the source" \
		"CLAT IPv6: +$SHARED6 \\(shared\\)" "$(xlatctl status)"
	check_match "$r: the log names the swapped ports" \
		"ports 32768-60999 swapped with 4536-32767" \
		"$(tail -n "+$XLATD_LOG_START" "$XLATD_LOG")"
	check_fails "$r: no anycast membership" anycast_has "$SHARED6"
	check_eq "$r: no route of xlatd for $SHARED6" "" \
		"$(in_ns client ip -6 route show table all proto 88)"
	check_fails "$r: no DAD" grep -q "passed DAD" "$XLATD_LOG"
	fast0=$(st fast_path_packets)

	expect_traffic_from client "$r" "$SERVER4"
	lan_fragments client "$r"
	check_eq "$r: native IPv6 HTTP to $SERVER6" "$SERVER_HTTP_BODY" \
		"$(in_ns client curl -s -m 10 "http://[$SERVER6]:$SERVER_HTTP_PORT/")"
	check "$r: native ping6 $SERVER6" \
		in_ns client ping -6 -c 3 -i 0.2 -W 2 "$SERVER6"
	check_eq "$r: native 1 MiB from $SERVER6 intact" \
		"$SERVER_BIG_SHA256" "$(big_sha256_from client "[$SERVER6]")"
	out=$(in_ns client python3 -c "$COLLIDE" "$SHARED6" "$SERVER4" \
		"$SERVER6" "$SERVER_ECHO_PORT")
	check_match "$r: IPv4 and IPv6 on the same ports at once, each answered" \
		"^[0-9]+ tcp4 tcp6 udp4 udp6$" "$out"
	check_eq "$r: ICMP errors reach the IPv4 and the IPv6 socket on one port" \
		"udp4 udp6" "$(in_ns client python3 -c "$REFUSED" "$SHARED6" \
			"$SERVER4" "$SERVER6")"
	port=${out%% *}
	read -r lo hi <<<"$(in_ns client cat /proc/sys/net/ipv4/ip_local_port_range)"
	check "$r: the IPv4 flow's port $port is an ephemeral one ($lo-$hi)" \
		test "${port:-0}" -ge "$lo" -a "${port:-0}" -le "$hi"

	host_listener "$r: a host listener on port $LISTEN_PORT answers" \
		"$LISTEN_PORT"
	# SYN cookies always: the ACK that ends the handshake finds only the
	# listener, which owns it outside the low block
	cookies=$(in_ns client sysctl -n net.ipv4.tcp_syncookies)
	in_ns client sysctl -qw net.ipv4.tcp_syncookies=2
	host_listener "$r: with SYN cookies, a host listener on port $COOKIE_PORT answers" \
		"$COOKIE_PORT"
	in_ns client sysctl -qw net.ipv4.tcp_syncookies="$cookies"
	check "$r: the host answers pings to $SHARED6" \
		in_ns router ping -6 -c 2 -i 0.2 -W 2 "$SHARED6"

	if [ "$fast" = auto ]; then
		check_rose "$r: the fast path took packets" "$fast0" \
			"$(st fast_path_packets)"
	else
		check_eq "$r: nothing through the fast path" "$fast0" \
			"$(st fast_path_packets)"
	fi
	xlatd_stop_nothing_left "$r: SIGTERM" "$r"
	check_eq "$r: the host keeps its address" "$SHARED6/128" \
		"$(in_ns client ip -6 -o addr show dev "$CLIENT_IF" scope global |
			awk '{ print $4 }')"
	check_fails "$r: no anycast membership left" anycast_has "$SHARED6"
	XLATD_DIR=${XLATD_DIR%/*}
}

round fast auto
round slow off

# without the key, never shared: no source
xlatd_start client v4-conncheck-delay=0 state-dir="$XLATD_DIR/state" \
	plat-dev="$CLIENT_IF"
check "without clat-v6-addr=shared: waiting for an address" \
	wait_for 10 st_is state waiting-for-uplink
check_fails "without clat-v6-addr=shared: no CLAT address" \
	test -n "$(clat_v6)"
xlatd_stop_clean "without clat-v6-addr=shared"

check_eq "forwarding, firewall, rules and proxy ND as before" \
	"$snap_before" "$(lab_cmd snapshot client)"
summary
