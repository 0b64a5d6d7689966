#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A PREF64 that ends (RFC 8781 §4): withdrawn with lifetime 0, or
# sent once with 8 s and left to expire.
#
# 1. With a DNS64 (dns64-servers=DNS64, RFC 7050) the instance falls back
#    to the DNS64's prefix and keeps running in place (same PID, same
#    device); ping works, counted exactly. It takes the PREF64 again when
#    the router sends one, and falls back again when an 8 s PREF64 sent
#    once expires by itself.
# 2. Without RDNSS and with a DNS64 server that does not answer (the
#    router's own address: no DNS there, so nothing depends on the host's
#    resolv.conf) there is no prefix at all: the instance stands down
#    (waiting-for-prefix), its device, IPv4 default route and eBPF program
#    go, and IPv4 fails. A new PREF64 brings it back; an 8 s PREF64 sent
#    once expires and stands it down again, by itself.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

# running_from WHAT SOURCE SECONDS: wait until running with PLAT_PREFIX
# from SOURCE.
running_from() {
	if wait_for "$3" st_running "$PLAT_PREFIX" "$2"; then
		pass "$1: running with $PLAT_PREFIX from $2"
	else
		fail "$1: running with $PLAT_PREFIX from $2 within $3 s" \
			"state $(xlatd_state), source $(st prefix_source); \
$(xlatd_log | tail -n 3)"
	fi
}

# in_place WHAT: same process, same device.
in_place() {
	check "$1: same xlatd process" xlatd_same_process
	check_eq "$1: same CLAT device" "$ifindex" "$(clat_ifindex "$dev")"
}

# stood_down WHAT: waiting for a prefix, with nothing of the data path.
stood_down() {
	local what=$1
	check_eq "$what: no PLAT prefix shown" "none " \
		"$(st prefix_source) $(st plat_prefix)"
	check_eq "$what: no IPv4 route of xlatd" "" "$(routes88)"
	check_eq "$what: no IPv4 default route" "" "$(defaults4)"
	check_eq "$what: no CLAT device" "" "$(clat_ifindex "$dev")"
	check_eq "$what: no eBPF program on $CLIENT_IF" "" "$(tcx_progs)"
	check_fails "$what: no IPv4 to $SERVER4" \
		in_ns client ping -n -c 1 -W 1 "$SERVER4"
}

xlatd_use_asan

# --- 1: fallback to DNS64 ---
lab_up --mode full || exit 1
xlatd_start client plat-dev="$CLIENT_IF" v4-conncheck-delay=1 \
	dns64-servers="$DNS64"
xlatd_remember
running_from "DNS64 lab, start" ra 15
dev=$(st clat_dev)
ifindex=$(clat_ifindex "$dev")
ping_counted "PREF64" 3

lab_cmd ra --pref64-lifetime 0 >/dev/null
running_from "PREF64 withdrawn" dns64 2
in_place "PREF64 withdrawn"
check_match "the withdrawal is logged" \
	"PREF64 $PLAT_PREFIX withdrawn" "$(cat "$XLATD_LOG")"
ping_counted "DNS64 after the withdrawal" 3

lab_cmd ra --pref64-lifetime 600 >/dev/null
running_from "PREF64 back" ra 2
check_match "the remaining lifetime is shown" '^(59[0-9]|600)$' \
	"$(st prefix_lifetime)"

lab_cmd ra --once --pref64-lifetime 8 >/dev/null
running_from "PREF64 of 8 s" ra 2
check_match "8 s or less remain" '^[0-8]$' "$(st prefix_lifetime)"
running_from "PREF64 of 8 s expired" dns64 11
in_place "PREF64 of 8 s expired"
check_match "the expiry is logged" "PREF64 lifetime ended" \
	"$(cat "$XLATD_LOG")"
ping_counted "DNS64 after the expiry" 3
xlatd_stop_clean "DNS64 lab"
lab_down

# --- 2: no prefix at all ---
lab_up --mode full --no-rdnss || exit 1
XLATD_DIR=
xlatd_start client plat-dev="$CLIENT_IF" v4-conncheck-delay=1 \
	dns64-servers="$ROUTER_ADDR"
xlatd_remember
running_from "no-DNS64 lab, start" ra 15
dev=$(st clat_dev)
ping_counted "PREF64 without DNS64" 3

lab_cmd ra --pref64-lifetime 0 >/dev/null
if wait_for 2 st_is state waiting-for-prefix; then
	pass "PREF64 withdrawn: stands down"
else
	fail "PREF64 withdrawn: stands down" "state $(xlatd_state)"
fi
stood_down "PREF64 withdrawn"

lab_cmd ra --pref64-lifetime 600 >/dev/null
running_from "PREF64 returns" ra 3
check "PREF64 returns: same xlatd process" xlatd_same_process
ping_counted "PREF64 returns" 3

lab_cmd ra --once --pref64-lifetime 8 >/dev/null
running_from "PREF64 of 8 s" ra 2
if wait_for 11 st_is state waiting-for-prefix; then
	pass "PREF64 of 8 s expired: stands down by itself"
else
	fail "PREF64 of 8 s expired: stands down by itself" \
		"state $(xlatd_state)"
fi
stood_down "PREF64 of 8 s expired"

lab_cmd ra --pref64-lifetime 600 >/dev/null
running_from "PREF64 returns again" ra 3
ping_counted "PREF64 returns again" 3
check "same xlatd process throughout" xlatd_same_process
xlatd_stop_clean "no-DNS64 lab"
summary
