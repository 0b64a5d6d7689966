#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Addressing, in the full lab:
# - the CLAT IPv6 address is none of the host's addresses, lies in the
#   uplink's SLAAC /64, and passed real DAD (an NS from :: for it on the
#   link, and the log), and is not assigned to any interface;
# - it is stable: a restart with the same secret (state-dir/secret)
#   picks the same address;
# - a planted duplicate (the router holds that address when xlatd starts)
#   makes the optimistic DAD (RFC 4429) fail: xlatd withdraws the
#   address, picks another, counts the conflict, and IPv4 works;
# - an explicit clat-v6-addr is used as it is.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir
STATE=$XLATD_DIR/state

# in_prefix ADDR PREFIX
in_prefix() {
	python3 -c '
import ipaddress, sys
sys.exit(ipaddress.IPv6Address(sys.argv[1]) not in
         ipaddress.IPv6Network(sys.argv[2]))' "$1" "$2"
}

# host_addrs: every IPv6 address on the client's interfaces.
host_addrs() {
	in_ns client ip -6 -o addr show | awk '{ sub("/.*", "", $4); print $4 }'
}

traffic() {
	check "$1: ping 203.0.113.10" \
		in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"
	check_eq "$1: HTTP over IPv4" "$SERVER_HTTP_BODY" \
		"$(in_ns client curl -s -m 10 "$SERVER_URL4")"
}

lab_up --mode full || exit 1

# --- first start: a fresh secret; watch the link for the DAD probe -----
# The router side sees every neighbour solicitation from :: (DAD).
# lab.sh exec execs, so $! is timeout's PID, which passes SIGTERM on.
"$LAB" exec router timeout -k 2 30 tcpdump -l -n -i "$ROUTER_IF" \
	'icmp6 and ip6[40] == 135 and src host ::' \
	>"$XLATD_DIR/dad.txt" 2>/dev/null &
tcpdump_pid=$!
sleep 1 # tcpdump listening
xlatd_run "first start"
v6=$(clat_v6)
# optimistic DAD: running before the verdict
passed_dad() { grep -q "CLAT address $1 passed DAD" "$XLATD_LOG"; }
wait_for 5 passed_dad "$v6"
sleep 0.2
kill -TERM "$tcpdump_pid" 2>/dev/null
wait "$tcpdump_pid" 2>/dev/null

check "secret kept in state-dir" test -s "$STATE/secret"
check "$v6 is in the uplink's /64 $CLIENT_PREFIX" in_prefix "$v6" \
	"$CLIENT_PREFIX"
check_fails "$v6 is none of the host's addresses" \
	grep -qixF "$v6" <<<"$(host_addrs)"
check_eq "$v6 is assigned to no interface" "" \
	"$(in_ns client ip -6 -o addr show to "$v6/128")"
check_match "DAD: a neighbour solicitation from :: for $v6" \
	"IP6 :: > ff02::1:ff[0-9a-f:]*: ICMP6, neighbor solicitation, who has $v6," \
	"$(cat "$XLATD_DIR/dad.txt")"
check_match "DAD: the log says $v6 passed" \
	"^up0: CLAT address $v6 passed DAD\$" "$(cat "$XLATD_LOG")"
check_eq "xlatctl status: the source is slaac" slaac "$(st clat_v6_source)"
traffic "first start"
xlatd_stop_ok "first start"

# --- the same secret gives the same address -------------------------------
xlatd_run "restart, same secret"
check_eq "restart, same secret: the same address" "$v6" "$(clat_v6)"
xlatd_stop_ok "restart, same secret"

# --- a planted duplicate ----------------------------------------------------
# The router holds $v6 (without DAD of its own), so it answers xlatd's
# DAD probe with a neighbour advertisement. Everything else is as in the
# restart above, which picked $v6.
in_ns router ip -6 addr add "$v6/64" dev "$ROUTER_IF" nodad
: >"$XLATD_LOG"
xlatd_run "duplicate"
conflict() { grep -q "CLAT address $v6 is in use" "$XLATD_LOG"; }
wait_for 5 conflict
v6b=$(clat_v6)
wait_for 5 passed_dad "$v6b"
check_match "duplicate: $v6 withdrawn" \
	"^up0: CLAT address $v6 is in use: withdrawn, choosing another\$" \
	"$(cat "$XLATD_LOG")"
check_match "duplicate: counted in xlatctl status" '"dad_conflicts":1[,}]' \
	"$(xlatctl status --json)"
check "duplicate: a new address ($v6b)" test "$v6b" != "$v6"
check "duplicate: $v6b in $CLIENT_PREFIX" in_prefix "$v6b" "$CLIENT_PREFIX"
check_fails "duplicate: $v6b is none of the host's addresses" \
	grep -qixF "$v6b" <<<"$(host_addrs)"
check_match "duplicate: $v6b passed DAD" \
	"^up0: CLAT address $v6b passed DAD\$" "$(cat "$XLATD_LOG")"
traffic "duplicate"
xlatd_stop_ok "duplicate"
in_ns router ip -6 addr del "$v6/64" dev "$ROUTER_IF"

# --- an explicit clat-v6-addr --------------------------------------------
explicit=2001:db8:1::c1a7
xlatd_run "clat-v6-addr=$explicit" clat-v6-addr="$explicit"
check_eq "clat-v6-addr: used as it is" "$explicit" "$(clat_v6)"
check_eq "clat-v6-addr: the source is static" static \
	"$(st clat_v6_source)"
traffic "clat-v6-addr"
xlatd_stop_ok "clat-v6-addr"
lab_down

summary
