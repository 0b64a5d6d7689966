#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Static maps, SIIT-DC style (RFC 7755): an IPv6-only service (here in the
# client namespace) reached from the IPv4 internet (the server) at an
# IPv4 address of its own, 198.51.100.240, which xlat-siit maps one to
# one onto the service's IPv6 address. The IPv4 client appears to the
# service as its address in the prefix (RFC 6052).
#
# The map is in the map-file, and the map-file is read again on reload
# (xlatctl reload, as SIGHUP): a TCP flow through the map goes on while a
# map is added; a map taken out stops answering; a map-file with an error
# is refused and the maps in use stay.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir

SERVICE4=198.51.100.240
OTHER4=198.51.100.241
PORT=8080
ECHO=7007

lab_up --mode full --plat xlat-siit || exit 1
MAPS=$LAB_DIR/plat1/maps
service6=$CLIENT_ADDR

# The map-file and a route for the service's IPv4 address into the TUN
# device, as an operator adds them; then xlat-siit again, to read it,
# telling a systemd of ours how it goes (sd_notify).
echo "map-file maps" >>"$PLAT_CONF"
printf 'map %s %s\n' "$SERVICE4" "$service6" >"$MAPS"
in_ns plat ip route add "$SERVICE4/31" dev nat64
notes=$XLATD_DIR/notify.log
notify_listen "$XLATD_DIR/notify.sock" "$notes"
NOTIFY_SOCKET=$XLATD_DIR/notify.sock lab_cmd plat start
check "sd_notify READY=1" wait_for 2 grep -q 'READY=1' "$notes"

# The service: HTTP and a line echo on its IPv6 address only.
mkdir -p "$XLATD_DIR/www"
echo "siit-dc-service-ok" >"$XLATD_DIR/www/index.html"
in_ns client python3 -m http.server --bind "$service6" \
	--directory "$XLATD_DIR/www" "$PORT" >"$XLATD_DIR/http.log" 2>&1 &
http_pid=$!
in_ns client python3 -c '
import socket, sys, threading
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(4)
def serve(c):
    while (b := c.recv(4096)):
        c.sendall(b)
while True:
    threading.Thread(target=serve, args=(s.accept()[0],), daemon=True).start()
' "$service6" "$ECHO" >"$XLATD_DIR/echo.log" 2>&1 &
echo_pid=$!
trap 'kill $http_pid $echo_pid 2>/dev/null; notify_stop; e2e_exit' EXIT
for port in "$PORT" "$ECHO"; do
	wait_for 5 in_ns client ss -Hntl "sport = :$port" ||
		fail "the service listens" "nothing on port $port"
done

check_eq "status: one host map" 1 "$(siit_status static_maps)"
check_eq "IPv4 to the service's own address" "siit-dc-service-ok" \
	"$(in_ns server curl -s -m 10 "http://$SERVICE4:$PORT/")"
check_match "the service saw the IPv4 client in the prefix" \
	"^$SERVER6 " "$(tail -n 1 "$XLATD_DIR/http.log")"
check "no pool address for a mapped host" test \
	"$(siit_stat 's["siit"]["pool_assigned"]')" -eq 0

# A flow of lines, 0.1 s apart for 4 s, while the map-file changes.
in_ns server python3 -c '
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
bad = 0
for i in range(40):
    line = b"line %d\n" % i
    s.sendall(line)
    got = b""
    while len(got) < len(line):
        got += s.recv(len(line) - len(got))
    bad += got != line
    time.sleep(0.1)
print("ok" if bad == 0 else "%d lines differ" % bad)' "$SERVICE4" "$ECHO" \
	>"$XLATD_DIR/flow.out" 2>&1 &
flow=$!
sleep 1
printf 'map %s %s\n' "$SERVICE4" "$service6" >"$MAPS"
printf 'map %s 2001:db8:1::241\n' "$OTHER4" >>"$MAPS"
check "reload with a second map" siit_ctl reload
check_match "sd_notify: RELOADING=1, then READY=1 again" \
	'RELOADING=1' "$(tail -n 2 "$notes" | head -n 1)"
check_eq "status: two host maps" 2 "$(siit_status static_maps)"
wait "$flow"
check_eq "the flow went on through the reload" ok "$(cat "$XLATD_DIR/flow.out")"
check_eq "and the service still answers" "siit-dc-service-ok" \
	"$(in_ns server curl -s -m 10 "http://$SERVICE4:$PORT/")"

# An error in the map-file: refused, with its place; the maps stay.
printf 'map %s\nmap 192.0.2.9 2001:db8:1::9\n' "$OTHER4" >"$MAPS"
out=$(siit_ctl reload 2>&1)
check_match "a bad map-file is refused" "map-file has errors" "$out"
check_match "the log names the file, line and directive" \
	"$MAPS:1: map: takes two values" "$(cat "$LAB_DIR/plat1.log")"
check_eq "the maps in use stay" 2 "$(siit_status static_maps)"
check "the service still answers" in_ns server curl -s -m 10 -o /dev/null \
	"http://$SERVICE4:$PORT/"

# The map taken out: the address answers no more.
printf 'map %s 2001:db8:1::241\n' "$OTHER4" >"$MAPS"
check "reload without the service's map" siit_ctl reload
check_eq "status: one host map" 1 "$(siit_status static_maps)"
check_fails "the service is gone from IPv4" in_ns server curl -s -m 3 \
	-o /dev/null "http://$SERVICE4:$PORT/"
lab_cmd plat stop
check "sd_notify STOPPING=1" grep -q 'STOPPING=1' "$notes"

summary
