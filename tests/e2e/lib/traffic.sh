# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Traffic that end-to-end tests send through the CLAT, from any lab role,
# and check end to end. Source after assert.sh and lab.sh.

# UDP_ROUND_TRIP SOURCE DEST PORT SIZE (python3 -c): send SIZE random
# bytes to DEST:PORT (IPv4 or IPv6; from SOURCE unless empty), up to three
# times 2 s apart, and print "ok" if the same bytes come back.
UDP_ROUND_TRIP='
import os, socket, sys
src, dst, port, size = sys.argv[1:5]
s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET,
                  socket.SOCK_DGRAM)
if src:
    s.bind((src, 0))
s.settimeout(2)
data = os.urandom(int(size))
for _ in range(3):
    s.sendto(data, (dst, int(port)))
    try:
        r = s.recv(65535)
    except socket.timeout:
        continue
    print("ok" if r == data else "differs: %d bytes" % len(r))
    break
else:
    print("no answer")'

# udp_echo_from ROLE DEST SIZE: ROLE sends SIZE random bytes to DEST's UDP
# echo port; prints "ok" if the same bytes come back.
udp_echo_from() {
	in_ns "$1" python3 -c "$UDP_ROUND_TRIP" "" "$2" "$SERVER_ECHO_PORT" "$3"
}

# big_sha256_from ROLE HOST: the SHA-256 of the server's big file,
# downloaded by ROLE over HTTP from HOST (an address or [IPv6]).
big_sha256_from() {
	in_ns "$1" curl -s -m 20 "http://$2$SERVER_BIG_PATH" |
		sha256sum | cut -d' ' -f1
}

# expect_traffic_from ROLE WHAT DEST: from ROLE over IPv4 to the server's
# address DEST: ping, HTTP, the big file intact, a UDP echo.
expect_traffic_from() {
	local role=$1 what=$2 dest=$3
	check "$what: ping $dest" in_ns "$role" ping -c 3 -i 0.2 -W 2 "$dest"
	check_eq "$what: HTTP to $dest" "$SERVER_HTTP_BODY" \
		"$(in_ns "$role" curl -s -m 10 "http://$dest:$SERVER_HTTP_PORT/")"
	check_eq "$what: 1 MiB TCP transfer from $dest intact" \
		"$SERVER_BIG_SHA256" "$(big_sha256_from "$role" "$dest")"
	check_eq "$what: UDP echo from $dest" ok \
		"$(udp_echo_from "$role" "$dest" 64)"
}

# pmtu_udp_from ROLE DEST: ROLE sends 1400-byte UDP datagrams with DF to
# DEST's echo port, for 2 s, until the kernel refuses one because an
# ICMPv4 "fragmentation needed" lowered the path MTU; prints "mtu N
# Message too long" then, else "no error".
pmtu_udp_from() {
	in_ns "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, 10, 2)  # IP_MTU_DISCOVER, IP_PMTUDISC_DO
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(b"x" * 1400)
for _ in range(20):
    time.sleep(0.1)
    try:
        s.send(b"x" * 1400)
    except OSError as e:
        print("mtu", s.getsockopt(socket.IPPROTO_IP, 14), e.strerror)
        break
else:
    print("no error")' "$2" "$SERVER_ECHO_PORT"
}
