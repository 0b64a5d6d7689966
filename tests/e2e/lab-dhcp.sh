#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The lab's DHCP options (docs/lab.md), with dhcpcd as the host's client:
# RAs with the M flag and no SLAAC prefix leave the client with no global
# address of its own until DHCPv6 (Kea) gives it a /128 and a delegated
# /64, both routed to the server; DHCPv4 (dnsmasq) answers with option
# 108 to a client that asks for it, and without it in plain mode. `ra
# --slaac on` brings SLAAC back. Skips without dnsmasq, kea-dhcp6 or
# dhcpcd. dhcpcd's files are removed afterwards.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root
for c in dnsmasq kea-dhcp6 dhcpcd; do
	command -v "$c" >/dev/null || {
		echo "SKIP: needs $c (apt-get install dnsmasq-base" \
			"kea-dhcp6-server dhcpcd-base)"
		exit 77
	}
done
e2e_xlatd_dir
# shellcheck source=lib/dhcpcd.sh
. "$E2E_LIB/dhcpcd.sh"
dhcpcd_remember
cleanup() {
	dhcpcd_cleanup
	lab_down
}

# dhcp4_test: one DHCPv4 exchange in dhcpcd's test mode (-T: it configures
# nothing), asking for option 108; its log is c4.log once it has an
# answer. Not in a subshell: DHCPCD_PIDS must keep its PID.
dhcp4_test() {
	echo "option ipv6_only_preferred" >"$XLATD_DIR/c4.conf"
	: >"$XLATD_DIR/c4.log"
	dhcpcd_start c4 -f "$XLATD_DIR/c4.conf" -4 -T -1
	wait_for 10 grep -qE "offered|IPv6-Only" "$XLATD_DIR/c4.log"
}

lab_up --mode clat-alone --ra-managed --ra-no-slaac --dhcp4 v6only \
	--dhcp6 na+pd --dhcp6-valid 40 || exit 1
trap 'cleanup; e2e_exit' EXIT

check_eq "RA without SLAAC: no global address on $CLIENT_IF" "" \
	"$(in_ns client ip -6 -o addr show dev "$CLIENT_IF" scope global)"
check_match "RA: the prefix is on-link all the same" \
	"^${CLIENT_PREFIX} dev $CLIENT_IF " \
	"$(in_ns client ip -6 route show "$CLIENT_PREFIX")"

dhcp4_test
out=$(cat "$XLATD_DIR/c4.log")
check_match "DHCPv4: option 108 for a client that asks" \
	"IPv6-Only Preferred received \\($DHCP4_V6ONLY_WAIT seconds\\)" "$out"

# before dhcpcd takes RAs over from the kernel
have_slaac() {
	in_ns client ip -6 -o addr show dev "$CLIENT_IF" scope global |
		grep -q ' 2001:db8:1::[0-9a-f:]*/64 '
}
lab_cmd ra --slaac on >/dev/null
if wait_for 10 have_slaac; then
	pass "ra --slaac on: a SLAAC address"
else
	fail "ra --slaac on: a SLAAC address" \
		"$(in_ns client ip -6 addr show dev "$CLIENT_IF")"
fi
lab_cmd ra --slaac off >/dev/null

# dhcpcd starts DHCPv6 on its own only when an RA has the M flag.
printf 'ipv6only\ninterface %s\n  ia_na 1\n  ia_pd 2\n' "$CLIENT_IF" \
	>"$XLATD_DIR/c6.conf"
dhcpcd_start c6 -f "$XLATD_DIR/c6.conf" -6
na() {
	in_ns client ip -6 -o addr show dev "$CLIENT_IF" scope global |
		grep -v tentative | awk '$4 ~ /^2001:db8:1::1[0-9a-f]+\/128$/ { sub(/\/.*/, "", $4); print $4 }'
}
pd() {
	in_ns client ip -6 route show type unreachable proto dhcp |
		awk '$2 ~ /^2001:db8:11:/ { print $2 }'
}
have_na() { [ -n "$(na)" ]; }
have_pd() { [ -n "$(pd)" ]; }
if wait_for 15 have_na; then
	pass "M flag: DHCPv6 gives a /128 of the pool"
else
	fail "M flag: DHCPv6 gives a /128 of the pool" \
		"$(tail -n 5 "$XLATD_DIR/c6.log")"
fi
wait_for 5 have_pd || true
check_match "DHCPv6-PD: a /$DHCP6_PD_LEN of $DHCP6_PD_POOL, unreachable via lo" \
	"^2001:db8:11:[0-9a-f:]*/$DHCP6_PD_LEN$" "$(pd)"
check "ping $SERVER6 from the /128" \
	in_ns client ping -6 -c 2 -i 0.2 -W 2 -I "$(na)" "$SERVER6"
delegated=$(pd)
pd_addr=${delegated%%/*}5
in_ns client ip -6 addr add "$pd_addr/128" dev lo
check "ping $SERVER6 from the delegated prefix" \
	in_ns client ping -6 -c 2 -i 0.2 -W 2 -I "$pd_addr" "$SERVER6"
in_ns client ip -6 addr del "$pd_addr/128" dev lo

cleanup

lab_up --mode clat-alone --dhcp4 plain || exit 1
trap 'cleanup; e2e_exit' EXIT
check_eq "--dhcp4 plain: DHCP4_V6ONLY_WAIT" none "$DHCP4_V6ONLY_WAIT"
dhcp4_test
out=$(cat "$XLATD_DIR/c4.log")
check_match "--dhcp4 plain: an offer" "offered 192\\.0\\.2\\.1[0-9][0-9] from $DHCP4_SERVER" "$out"
check_fails "--dhcp4 plain: no option 108, even asked" \
	grep -q "IPv6-Only" <<<"$out"
summary
