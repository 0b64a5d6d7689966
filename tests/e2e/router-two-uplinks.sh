#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Router mode with two uplinks and no plat-dev: two instances, and the
# LAN routed through one of them in xlatd's table. When that one's
# uplink goes away, the LAN is routed through the other, not sent to the
# fallback (an unreachable route) while a CLAT still runs. SIGTERM
# leaves no route or rule of xlatd's.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

LAN_IF=xlan0
TABLE=464

# lan_default: the LAN's default route in xlatd's table.
lan_default() {
	in_ns client ip -4 route show table "$TABLE" default
}

routed_into() { lan_default | grep "^default dev $1 " >/dev/null; }

lab_up --mode full --two-uplinks
in_ns client ip link add "$LAN_IF" type veth peer name "${LAN_IF}p"
in_ns client ip link set "${LAN_IF}p" up
in_ns client ip addr add 192.168.77.1/24 dev "$LAN_IF"
in_ns client ip link set "$LAN_IF" up
xlatd_start client v4-conncheck-delay=1 router-lan="$LAN_IF"
check "two instances running" \
	wait_for 20 xlatd_running_on "$CLIENT_IF" "$CLIENT_IF_2"

first=$(lan_default | sed -n 's/^default dev \([^ ]*\) .*/\1/p')
case $first in
"clat-$CLIENT_IF") gone_if=$CLIENT_IF left_if=$CLIENT_IF_2 ;;
"clat-$CLIENT_IF_2") gone_if=$CLIENT_IF_2 left_if=$CLIENT_IF ;;
*) gone_if="" left_if="" ;;
esac
if [ -n "$gone_if" ]; then
	pass "the LAN is routed into $first"
else
	fail "the LAN is routed into one of the CLAT devices" "$(lan_default)"
	lab_down
	summary
	exit 1
fi
lan_rule() {
	in_ns client ip rule show |
		grep -F "from 192.168.77.0/24 iif $LAN_IF lookup $TABLE proto 88" >/dev/null
}
check "rule for the LAN into table $TABLE" lan_rule

pid=$XLATD_PID
in_ns client ip link del "$gone_if"
if wait_for 10 routed_into "clat-$left_if"; then
	pass "without $gone_if the LAN goes through clat-$left_if"
else
	fail "without $gone_if the LAN goes through clat-$left_if" \
		"$(lan_default)"
fi
check "same xlatd process" kill -0 "$pid"
check_eq "instance on $left_if still running" running \
	"$(xlatd_field "$left_if" state)"

xlatd_stop_ok
check_eq "nothing of xlatd's left: routes" "" \
	"$(in_ns client ip -4 route show table all proto 88)"
check_eq "nothing of xlatd's left: rules" "" \
	"$(in_ns client ip -4 rule show | grep 'proto 88')"
lab_down
summary
