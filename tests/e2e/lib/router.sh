# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The Freifunk gateway of docs/router.md in a lab brought up
# with --mesh: the mesh's own policy routing, the recipe's steps, and what
# the hoods check through the CLAT. Source after e2e.sh.

# mesh_policy: the gateway as the mesh sets it up before the recipe: its
# IPv6 default route in table fff (RAs still give it addresses, not a
# default route in main) for everything, and the hoods' IPv4 looked up
# in table fff too.
mesh_policy() {
	in_ns client sysctl -qw net.ipv6.conf.up0.accept_ra_defrtr=0
	in_ns client ip -6 route flush default dev up0
	in_ns client ip -6 route add default via "$ROUTER_LL" dev up0 \
		table "$MESH_TABLE"
	in_ns client ip -6 rule add from all lookup "$MESH_TABLE" priority 100
	in_ns client ip rule add iif hood1 lookup "$MESH_TABLE" priority 101
	in_ns client ip rule add iif hood2 lookup "$MESH_TABLE" priority 102
}

# recipe_routes: the recipe's steps 1 and 2: the CLAT address announced
# into the mesh from table fff, and looked up in main, where the CLAT
# puts its route.
recipe_routes() {
	in_ns client ip -6 ro replace "$MESH_CLAT6/128" dev lo proto static \
		table "$MESH_TABLE"
	in_ns client ip -6 ru add from all to "$MESH_CLAT6/128" lookup main \
		priority 10
}

# recipe_conf [LINE...]: step 3, /etc/clatd.conf, as $XLATD_CONF, with
# LINEs (key=value) added.
recipe_conf() {
	XLATD_CONF=$XLATD_DIR/xlatd.conf
	{
		echo "dns64-servers=$DNS64"
		echo "v4-conncheck-enable=no"
		echo "clat-v6-addr=$MESH_CLAT6"
		printf '%s\n' "$@"
	} >"$XLATD_CONF"
}

# recipe_snat: step 5: the hoods' default route into the CLAT device
# (recipe_route) and the SNAT to its address, which may be there before
# the device is.
recipe_snat() {
	local rule=(POSTROUTING -o clat -j SNAT --to-source 192.0.0.1)
	in_ns client iptables -t nat -C "${rule[@]}" 2>/dev/null ||
		in_ns client iptables -t nat -A "${rule[@]}"
	recipe_route
}

recipe_route() {
	in_ns client ip ro replace default dev clat table "$MESH_TABLE"
}

# replies_over_link 1|2: the router, as babel would, sends what is for
# the CLAT address over backbone link 1 (up0) or 2 (bb1).
replies_over_link() {
	if [ "$1" = 1 ]; then
		in_ns router ip -6 route replace "$MESH_CLAT6/128" \
			via "$CLIENT_LL" dev "$ROUTER_IF"
	else
		in_ns router ip -6 route replace "$MESH_CLAT6/128" \
			via "$BACKBONE2_LL" dev "$BACKBONE2_ROUTER_IF"
	fi
}

# admin_state: what the admin set up on the gateway, which xlatd must
# leave as it is: rules, table fff's IPv6 routes, the SNAT rule.
admin_state() {
	in_ns client ip rule
	in_ns client ip -6 rule
	in_ns client ip -6 route show table "$MESH_TABLE"
	in_ns client iptables -t nat -S POSTROUTING
}

# lan_fragments ROLE WHAT: a 3000-byte ping and a 4000-byte UDP echo
# from the hood ROLE: fragmented both ways (clat-alone labs: TAYGA drops
# fragments, docs/kernel.md).
lan_fragments() {
	local out
	check "$2: ping -s 3000 $SERVER4" \
		in_ns "$1" ping -c 2 -i 0.3 -W 3 -s 3000 "$SERVER4"
	out=$(in_ns "$1" ping -c 1 -W 3 -s 3000 "$SERVER4")
	check_match "$2: the 3008-byte reply arrives whole" \
		"^3008 bytes from $SERVER4: " "$out"
	check_eq "$2: 4000-byte UDP echo" ok \
		"$(udp_echo_from "$1" "$SERVER4" 4000)"
}

# lan_progs IFACE: the names of the eBPF programs at the tcx ingress of
# the gateway's IFACE, on one line.
lan_progs() {
	in_ns client python3 "$E2E_LIB/bpf-attach.py" "$1" |
		sed -n 's/^prog=[0-9]* name=\([^ ]*\).*/\1/p' | sort | xargs
}

# forwarded: the IPv4 datagrams the gateway's kernel has forwarded.
forwarded() {
	# shellcheck disable=SC2016 # awk's $1, not the shell's
	in_ns client awk '$1 == "Ip:" && !n { for (i = 2; i <= NF; i++)
		if ($i == "ForwDatagrams") c = i; n = 1; next }
		$1 == "Ip:" { print $c }' /proc/net/snmp
}

# fast_packets: the fast path's packets in xlatctl stats.
fast_packets() {
	stats_json | python3 -c '
import json, sys
print(json.load(sys.stdin).get("fast_path_packets", 0))'
}

# trace_from ROLE: the last hop traceroute reaches from ROLE to the
# server, as "HOPS ADDRESS".
trace_from() {
	in_ns "$1" traceroute -n -q 1 -w 2 -m 10 "$SERVER4" 2>/dev/null |
		awk 'NR > 1 { n = $1; a = $2 } END { print n, a }'
}

# reload_no_loss ROLE WHAT: SIGHUP to xlatd while ROLE pings the server
# every 0.1 s; not one ping may be lost.
reload_no_loss() {
	local ppid
	in_ns "$1" ping -q -c 40 -i 0.1 -W 1 "$SERVER4" >"$XLATD_DIR/ping.out" &
	ppid=$!
	sleep 1
	kill -HUP "$XLATD_PID"
	wait "$ppid"
	check_match "$2: reload during 40 pings, none lost" \
		' 0% packet loss' "$(cat "$XLATD_DIR/ping.out")"
}

# host_lan_checks ROLE WHAT [key=value...]: a machine behind a host whose
# own firewall rules (Docker's, libvirt's) NAT it, through xlatd with only
# the settings given, in a lab up with --mtu-1280: traffic and fragments
# both ways, the path MTU of the 1280-byte backbone link, traceroute (the
# host one hop), a reload losing no ping, SIGTERM leaving the host's rules
# and sysctls as they were, kill -9 and a restart; then the same traffic
# without the fast path.
host_lan_checks() {
	local role=$1 what=$2 before
	shift 2
	before=$(lab_cmd snapshot client)
	xlatd_run "$what" "$@"
	expect_traffic_from "$role" "$what" "$SERVER4"
	lan_fragments "$role" "$what"
	path_from "$role" "$what"
	check_match "$what: the fast path took the packets" '^[1-9][0-9]*$' \
		"$(fast_packets)"
	reload_no_loss "$role" "$what"
	xlatd_stop_ok "$what"
	check_eq "$what: SIGTERM leaves the host's rules and sysctls" \
		"$before" "$(lab_cmd snapshot client)"

	xlatd_run "$what, before kill -9" "$@"
	xlatd_kill
	xlatd_run "$what, after kill -9" "$@"
	expect_traffic_from "$role" "$what, after kill -9" "$SERVER4"
	xlatd_stop_ok "$what, after kill -9"
	check_eq "$what: nothing left of either run" "$before" \
		"$(lab_cmd snapshot client)"

	xlatd_run "$what, slow path" "$@" fast-path=off
	expect_traffic_from "$role" "$what, slow path" "$SERVER4"
	lan_fragments "$role" "$what, slow path"
	check_eq "$what, slow path: nothing on the fast path" 0 \
		"$(fast_packets)"
	xlatd_stop_ok "$what, slow path"
}

# path_from ROLE WHAT: in a lab brought up with --mtu-1280, PMTU
# discovery through the translated ICMPv6 too big, and traceroute that
# sees the gateway as one hop (hood -> gateway -> backbone router ->
# server).
path_from() {
	check_eq "$2: translated ICMPv6 too big: path MTU 1260" \
		"mtu 1260 Message too long" "$(pmtu_udp_from "$1" "$SERVER4")"
	check_eq "$2: traceroute sees the gateway as one hop" "3 $SERVER4" \
		"$(trace_from "$1")"
}

# spoofed_echo: hood1 sends a UDP datagram to the server's echo port with
# hood2's address as its source; prints what hood2 gets back in 3 s.
spoofed_echo() {
	in_ns hood2 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 40123))
s.settimeout(3)
try:
    print(s.recv(100).decode())
except socket.timeout:
    print("nothing")' >"$XLATD_DIR/spoof.out" &
	local lpid=$!
	sleep 0.3
	in_ns hood1 python3 -c '
import socket, struct, sys
src, dst, port = socket.inet_aton(sys.argv[1]), socket.inet_aton(sys.argv[2]), int(sys.argv[3])
data = b"spoofed"
udp = struct.pack("!HHHH", 40123, port, 8 + len(data), 0) + data
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, src, dst)
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.sendto(ip + udp, (sys.argv[2], 0))' "$HOOD2_ADDR" "$SERVER4" "$SERVER_ECHO_PORT"
	wait "$lpid"
	cat "$XLATD_DIR/spoof.out"
}

# lan_spoofed: what xlatctl stats counts as dropped for its source.
lan_spoofed() {
	stats_json | python3 -c '
import json, sys
print(json.load(sys.stdin).get("lan_spoofed"))'
}

# udp_flow_from ROLE N: ROLE sends N datagrams to the server's UDP echo
# from one socket (one flow), 0.1 s apart; prints how many echoes came
# back.
udp_flow_from() {
	in_ns "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
n = 0
for i in range(int(sys.argv[3])):
    s.sendto(b"flow %d" % i, (sys.argv[1], int(sys.argv[2])))
    try:
        s.recv(100)
        n += 1
    except socket.timeout:
        pass
    time.sleep(0.1)
print(n)' "$SERVER4" "$SERVER_ECHO_PORT" "$2"
}
