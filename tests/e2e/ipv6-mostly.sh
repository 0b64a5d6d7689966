#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Starting on DHCPv4 evidence (docs/ipv6-mostly.md), with v4-conncheck-delay
# not set, dnsmasq as the lab's DHCPv4 server and dhcpcd as the host's
# client, asking for RFC 8925 option 108:
#  (a) the server answers with option 108: xlatd starts at once and IPv4
#      through it works; the cause is ipv6-only-preferred. The time is
#      measured from xlatd's start, with RAs already flowing (its router
#      solicitation brings the RA with PREF64 at once), and from dhcpcd's
#      start, which xlatd has to wait for;
#  (b) the same server without option 108: the host takes an address and
#      a default route; xlatd never sets its device up, translates
#      nothing, and stands down for native IPv4;
#  (c) no DHCPv4 at all: xlatd starts 3 s after it began watching;
#  (d) as (a), with v4-conncheck-delay=10 (clatd's default) set: the
#      timer is honoured, option 108 or not.
# The times are printed as "# ..." lines (docs/performance.md).
# Skips without dnsmasq or dhcpcd.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root
command -v dnsmasq >/dev/null || {
	echo "SKIP: needs dnsmasq (apt-get install dnsmasq-base)"
	exit 77
}
# shellcheck source=lib/dhcpcd.sh
. "$E2E_LIB/dhcpcd.sh"
dhcpcd_need
e2e_xlatd_dir
dhcpcd_remember
cleanup() {
	xlatd_kill
	dhcpcd_cleanup
	lab_down
}
trap 'cleanup; e2e_exit' EXIT
# nodelay: dhcpcd's random wait before its first DISCOVER (up to 1 s)
# is the host's, not xlatd's; without it the time below is xlatd's own
printf 'option ipv6_only_preferred\nnoipv4ll\nnodelay\n' \
	>"$XLATD_DIR/c4.conf"

now() { date +%s.%N; }
# ms FROM TO: the milliseconds between two times of now().
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

# cause: the first instance's cause in xlatctl status.
cause() {
	xlatctl status --json 2>/dev/null | python3 -c 'import json,sys
i = json.load(sys.stdin)["instances"]
print(i[0]["cause"] if i else "")' 2>/dev/null
}

ping4_once() { in_ns client ping -c 1 -W 1 "$SERVER4" >/dev/null 2>&1; }

# first_reply WHAT SECONDS MIN_MS: wait up to SECONDS for IPv4 through
# xlatd, print the time since T0 and check that it is MIN_MS or more.
first_reply() {
	local t
	if wait_for "$2" ping4_once; then
		t=$(now)
		pass "$1: ping $SERVER4 through xlatd"
		echo "# $1: first IPv4 reply $(ms "$T0" "$t") ms after xlatd" \
			"started"
		check "$1: not before $3 ms" test "$(ms "$T0" "$t")" -ge "$3"
	else
		fail "$1: ping $SERVER4 through xlatd" "$(xlatd_log)"
	fi
}

# start_pair [key=value ...]: xlatd, then dhcpcd at once, as when a
# host joins a link; T0 is xlatd's start, T1 dhcpcd's. Each case has a
# log of its own.
start_pair() {
	rm -f "$XLATD_DIR/xlatd.log"
	T0=$(now)
	xlatd_start client plat-dev="$CLIENT_IF" state-dir="$XLATD_DIR/state" \
		"$@"
	T1=$(now)
	dhcpcd_start c4 -f "$XLATD_DIR/c4.conf" -4
}

# (a) option 108
lab_up --mode clat-alone --dhcp4 v6only || exit 1
start_pair
# T2: dhcpcd has the answer (its log is polled every 0.1 s)
wait_for 10 grep -q "IPv6-Only Preferred received" "$XLATD_DIR/c4.log"
T2=$(now)
if wait_for 10 ping4_once; then
	t=$(now)
	pass "108: ping $SERVER4 through xlatd"
	echo "# 108: first IPv4 reply $(ms "$T0" "$t") ms after xlatd" \
		"started, $(ms "$T1" "$t") ms after dhcpcd started," \
		"$(ms "$T2" "$t") ms after dhcpcd had option 108"
	# optimistic DAD: the CLAT address is in use while DAD runs; the
	# RA with PREF64 answers xlatd's RS at its start
	check "108: IPv4 within 1 s of xlatd's start (and its RA)" \
		test "$(ms "$T0" "$t")" -lt 1000
else
	fail "108: ping $SERVER4 through xlatd" "$(xlatd_log)"
fi
check_match "108: the cause in xlatctl status" \
	"started: ipv6-only-preferred" "$(cause)"
check_match "108: xlatd logged the OFFER" \
	"DHCPv4 (OFFER|ACK) for this host, with option 108" \
	"$(cat "$XLATD_LOG")"
check_match "108: dhcpcd took no IPv4 address" "^$" \
	"$(in_ns client ip -4 -o addr show dev "$CLIENT_IF")"
xlatd_stop_ok "108"
cleanup

# (b) no option 108: native IPv4 comes; xlatd's device must never appear
lab_up --mode clat-alone --dhcp4 plain || exit 1
start_pair
native4() {
	in_ns client ip -4 route show default | grep -q "dev $CLIENT_IF"
}
seen_dev=0
for _ in $(seq 150); do
	in_ns client ip link show clat >/dev/null 2>&1 && seen_dev=1
	native4 && break
	sleep 0.1
done
if native4; then
	pass "plain: the host has a DHCPv4 default route"
else
	fail "plain: the host has a DHCPv4 default route" \
		"$(tail -n 5 "$XLATD_DIR/c4.log")"
fi
xlatd_wait_state native-ipv4 5 || true
check_eq "plain: xlatd stands down for native IPv4" native-ipv4 \
	"$(xlatd_state)"
# a little longer than the 10 s xlatd would wait for IPv4 after an offer
for _ in $(seq 20); do
	in_ns client ip link show clat >/dev/null 2>&1 && seen_dev=1
	sleep 0.1
done
check_eq "plain: xlatd's device never appeared" 0 "$seen_dev"
check_fails "plain: xlatd never ran" grep -q -- "-> running" "$XLATD_LOG"
check_match "plain: xlatd logged the answer without 108" \
	"without option 108" "$(cat "$XLATD_LOG")"
check "plain: IPv4 to $SERVER4 is native" \
	in_ns client ping -c 1 -W 2 "$SERVER4"
xlatd_stop_ok "plain"
cleanup

# (c) no DHCPv4 on the link at all
lab_up --mode clat-alone || exit 1
rm -f "$XLATD_DIR/xlatd.log"
T0=$(now)
xlatd_start client plat-dev="$CLIENT_IF" state-dir="$XLATD_DIR/state"
first_reply "no DHCPv4" 15 3000
check_match "no DHCPv4: the cause" "started: no-dhcpv4$" "$(cause)"
xlatd_stop_ok "no DHCPv4"
cleanup

# (d) clatd's timer, set explicitly
lab_up --mode clat-alone --dhcp4 v6only || exit 1
start_pair v4-conncheck-delay=10
first_reply "v4-conncheck-delay=10" 20 10000
check_match "v4-conncheck-delay=10: the cause" \
	"started: v4-conncheck-delay-passed$" "$(cause)"
xlatd_stop_ok "v4-conncheck-delay=10"
summary
