# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Traffic that end-to-end tests send through the CLAT, from any lab role,
# and check end to end; kernel counters, UDP round trips of any size
# either way, and a TCP echo. Source after assert.sh and lab.sh (and
# xlatd.sh for clat_v6).

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

# counter ROLE FILE NAME: a counter of /proc/net/snmp (IPv4, "Ip:" table)
# or /proc/net/snmp6 in the namespace of ROLE.
# shellcheck disable=SC2016 # awk's fields, not the shell's
counter() {
	local role=$1 file=$2 name=$3
	if [ "$file" = snmp6 ]; then
		in_ns "$role" awk -v n="$name" '$1 == n { print $2 }' \
			/proc/net/snmp6
	else
		in_ns "$role" awk -v n="$name" '
			$1 == "Ip:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
			$1 == "Ip:" { print $c[n] }' /proc/net/snmp
	fi
}

# grew WHAT ROLE FILE NAME BEFORE: the counter is above BEFORE.
grew() {
	check_rose "$1" "$5" "$(counter "$2" "$3" "$4")"
}

# clat_v6: the running xlatd's CLAT IPv6 address.
clat_v6() {
	st clat_v6
}

# udp_echo SIZE: the client sends SIZE random bytes to the server's echo
# port over IPv4 and prints "ok" if the same bytes come back.
udp_echo() {
	udp_echo_from client "$SERVER4" "$1"
}

# udp_from_server SIZE: the server sends SIZE random bytes from its
# synthesized address to the CLAT's IPv6 address; the client, an IPv4
# socket on 192.0.0.1, sends them back to 203.0.113.10. Prints "ok" if
# both sides got exactly the bytes.
udp_from_server() {
	local v6 port=40007 lpid out
	v6=$(clat_v6)
	in_ns client python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.0.1", int(sys.argv[1])))
s.settimeout(8)
data, peer = s.recvfrom(65535)
s.sendto(data, peer)
print(peer[0], len(data))' "$port" >"$XLATD_DIR/udp-client.out" 2>&1 &
	lpid=$!
	sleep 0.3
	out=$(in_ns server python3 -c "$UDP_ROUND_TRIP" "$SERVER6" "$v6" \
		"$port" "$1")
	wait "$lpid"
	echo "$out; client saw $(cat "$XLATD_DIR/udp-client.out")"
}

# tcp_echo: 1 MiB of random bytes up to the server's TCP echo and the
# same back, sent and read at once; prints "ok" if the echo is intact.
tcp_echo() {
	in_ns client python3 -c '
import hashlib, os, socket, sys, threading
data = os.urandom(1 << 20)
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
def send():
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
t = threading.Thread(target=send)
t.start()
h, n = hashlib.sha256(), 0
while (b := s.recv(65536)):
    h.update(b)
    n += len(b)
t.join()
print("ok" if h.digest() == hashlib.sha256(data).digest() else
      "differs: %d bytes" % n)' "$SERVER4" "$SERVER_ECHO_PORT"
}
