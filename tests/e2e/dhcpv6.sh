#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A /128-only host: the lab's RAs have the M flag and no SLAAC prefix,
# Kea gives addresses of 2001:db8:1::1000-1fff, and dhcpcd, as the
# host's own DHCPv6 client, takes one for the host. xlatd's own DHCPv6
# client (a DUID and IAID of its own) takes another for the CLAT next to
# it: status source `dhcpv6`, checked by DAD, its address resolution
# answered by xlatd (no anycast membership: the kernel refuses one
# outside the host's prefixes); ping, HTTP, a 1 MiB download, UDP and
# fragments both ways (3000-byte ping, 4000-byte UDP), with the fast
# path and without; the lease renewed at T1, same address. At
# SIGTERM xlatd sends a DHCPv6 Release of that address, seen on the
# router's side of the link, and leaves nothing; the host keeps its own
# address, which still works. An address the router holds already is
# declined (a DHCPv6 Decline on the wire) and another one used. Skips
# without kea-dhcp6 or dhcpcd; dhcpcd's files are removed after.
. "$(dirname "$0")/lib/e2e.sh"
# shellcheck source=lib/router.sh
. "$E2E_LIB/router.sh"
# shellcheck source=lib/v6source.sh
. "$E2E_LIB/v6source.sh"
e2e_need_root
# leases of 16 s: renewed at 4 s (T1), while the test runs
v6source_dhcp_lab na "ia_na 1" --dhcp6-valid 16
TCPDUMP_PID=
trap '[ -z "$TCPDUMP_PID" ] || kill -TERM "$TCPDUMP_PID" 2>/dev/null
	v6source_cleanup; e2e_exit' EXIT

# host_addrs: the /128s of the pool on the uplink, sorted
host_addrs() {
	in_ns client ip -6 -o addr show dev "$CLIENT_IF" scope global |
		grep -v tentative |
		awk '$4 ~ /^2001:db8:1::1[0-9a-f]+\/128$/ { sub(/\/.*/, "", $4); print $4 }' |
		sort
}
have_addr() { [ -n "$(host_addrs)" ]; }
wait_for 20 have_addr ||
	fail "dhcpcd: the host's own /128" "$(tail -n 5 "$XLATD_DIR/c6.log")"
host=$(host_addrs)
check_match "dhcpcd: the host's own /128 of the pool" \
	"^2001:db8:1::1[0-9a-f]+$" "$host"
in_pool() {
	python3 -c 'import ipaddress, sys
a = int(ipaddress.ip_address(sys.argv[1]))
sys.exit(not int(ipaddress.ip_address("2001:db8:1::1000")) <= a <=
         int(ipaddress.ip_address("2001:db8:1::1fff")))' "$1"
}

# xlatd_renewed: the log of the xlatd last started shows a Renew that
# the server answered.
xlatd_renewed() {
	tail -n "+$XLATD_LOG_START" "$XLATD_LOG" | grep -q "DHCPv6 renew -> bound"
}

# wire_start: tcpdump on the router's side of the link, for DHCPv6;
# wire_stop KIND: stop it and print the messages of KIND (release,
# decline), one a line.
wire_start() {
	: >"$XLATD_DIR/wire.txt"
	# lab.sh exec execs: $! is timeout's PID, which passes SIGTERM on
	"$LAB" exec router timeout -k 2 120 tcpdump -l -n -vv \
		-i "$ROUTER_IF" udp port 547 >"$XLATD_DIR/wire.txt" \
		2>/dev/null &
	TCPDUMP_PID=$!
	sleep 1 # tcpdump listening
}
wire_stop() {
	sleep 1 # the last message through tcpdump
	kill -TERM "$TCPDUMP_PID" 2>/dev/null
	wait "$TCPDUMP_PID" 2>/dev/null
	TCPDUMP_PID=
	tr -s ' \n' ' ' <"$XLATD_DIR/wire.txt" | sed 's/ IP6 /\n/g' |
		grep "dhcp6 $1"
}

# dhcpv6_run WHAT FAST [key=value...]: v6source_run with the source
# dhcpv6, an address of the pool not the host's, DAD and its address
# resolution, the Renew; then SIGTERM, with the Release of that address
# on the wire.
dhcpv6_run() {
	local what=$1 fast=$2 v6
	shift 2
	wire_start
	v6source_run "$what" dhcpv6 "$fast" "$@"
	v6=$V6SOURCE_ADDR
	check "$what: CLAT address $v6 of the pool" in_pool "$v6"
	check_fails "$what: not the host's own address" \
		grep -qx "$v6" <<<"$host"
	check_fails "$what: not assigned to the uplink" \
		grep -qx "$v6" <<<"$(host_addrs)"
	if xlatd_wait_dad 10; then
		pass "$what: DAD passed"
	else
		fail "$what: DAD passed" "$(xlatd_log)"
	fi
	# the kernel lets a host join no address outside its own prefixes
	# as anycast: xlatd answers address resolution for it itself
	check_fails "$what: no anycast membership" anycast_has "$v6"
	check_match "$what: the router resolved $v6 to the client" \
		"^$v6 dev $ROUTER_IF lladdr $CLIENT_MAC " \
		"$(in_ns router ip -6 neigh show "$v6")"
	if wait_for 10 xlatd_renewed; then
		pass "$what: the lease renewed at T1"
	else
		fail "$what: the lease renewed at T1" "$(xlatd_log)"
	fi
	check_eq "$what: the same address after the Renew" "$v6" "$(clat_v6)"
	check_eq "$what: running after the Renew" running "$(st state)"
	v6source_stop "$what"
	check_match "$what: SIGTERM: a DHCPv6 Release of $v6 on the wire" \
		"IA_ADDR $v6 " "$(wire_stop release)"
	check_eq "$what: the host keeps its own address" "$host" \
		"$(host_addrs)"
	check "$what: the host's address still works" \
		in_ns client ping -6 -c 2 -i 0.2 -W 2 -I "$host" "$SERVER6"
}

dhcpv6_run "DHCPv6, fast path" yes
dhcpv6_run "DHCPv6, slow path" no fast-path=off

# --- a planted duplicate ------------------------------------------------
# Kea's iterative allocator gives the address after the last one it
# gave; the router holds it (without DAD of its own) and answers xlatd's
# DAD probe: xlatd declines it (RFC 8415 §18.2.8) and runs with another.
dup=$(python3 -c 'import ipaddress, sys
print(ipaddress.ip_address(sys.argv[1]) + 1)' "$V6SOURCE_ADDR")
in_ns router ip -6 addr add "$dup/128" dev "$ROUTER_IF" nodad
wire_start
xlatd_run "duplicate" plat-dev="$CLIENT_IF"
conflict() {
	tail -n "+$XLATD_LOG_START" "$XLATD_LOG" |
		grep -q "CLAT address $dup is in use"
}
if wait_for 10 conflict; then
	pass "duplicate: DAD finds $dup in use"
else
	fail "duplicate: DAD finds $dup in use" "$(xlatd_log)"
fi
another() {
	local v
	v=$(clat_v6)
	[ -n "$v" ] && [ "$v" != "$dup" ] && st_is state running
}
if wait_for 20 another; then
	pass "duplicate: running with another address, $(clat_v6)"
else
	fail "duplicate: running with another address" \
		"$(clat_v6) $(st state); $(xlatd_log)"
fi
check "duplicate: $(clat_v6) of the pool" in_pool "$(clat_v6)"
check_match "duplicate: counted in xlatctl status" '"dad_conflicts":1[,}]' \
	"$(xlatctl status --json)"
check "duplicate: ping $SERVER4" \
	in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"
xlatd_stop_ok "duplicate"
check_match "duplicate: a DHCPv6 Decline of $dup on the wire" \
	"IA_ADDR $dup " "$(wire_stop decline)"
in_ns router ip -6 addr del "$dup/128" dev "$ROUTER_IF"
summary
