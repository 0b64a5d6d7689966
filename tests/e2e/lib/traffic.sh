# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Traffic through the lab for the end-to-end tests: kernel counters,
# UDP round trips of any size either way, and a TCP echo. Source after
# assert.sh, lab.sh and xlatd.sh.

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

# udp_echo SIZE: the client sends SIZE random bytes to the server's echo
# port over IPv4 and prints "ok" if the same bytes come back.
udp_echo() {
	in_ns client python3 -c "$UDP_ROUND_TRIP" "" "$SERVER4" \
		"$SERVER_ECHO_PORT" "$1"
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
