#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Several uplinks: with no plat-dev, each of two IPv6-only
# uplinks (two routers, two PLATs with their own prefixes) gets its own
# instance and device with a distinct 192.0.0.x. Traffic bound to each
# instance's address leaves through its own uplink (source rules), both
# work at once, and deleting one uplink leaves the other working. Each
# PLAT prefix is reachable only through its own uplink, so a reply proves
# the path. A reload that changes the metric changes both in place. Every
# line of the log (debugging included) about an instance names its uplink,
# the one that goes away too.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

# translated UPLINK: ICMP packets the instance on UPLINK translated, both
# ways, by the daemon (slow path) or the eBPF fast path.
translated() {
	xlatctl stats --json | python3 -c '
import json, sys
for i in json.load(sys.stdin)["instances"]:
    if i["uplink"] == sys.argv[1]:
        print(i["ipv4_to_ipv6"]["icmp"]["out"] +
              i["ipv6_to_ipv4"]["icmp"]["out"])
' "$1"
}

lab_up --mode full --two-uplinks
xlatd_start client v4-conncheck-delay=1
if wait_for 20 xlatd_running_on "$CLIENT_IF" "$CLIENT_IF_2"; then
	pass "two instances running"
else
	fail "two instances running" "$(xlatd_log)"
fi
v4a=$(xlatd_field "$CLIENT_IF" clat_v4)
v4b=$(xlatd_field "$CLIENT_IF_2" clat_v4)
check_match "instance 1 has an address of 192.0.0.0/29" \
	'^192\.0\.0\.[1-7]$' "$v4a"
check_match "instance 2 has an address of 192.0.0.0/29" \
	'^192\.0\.0\.[1-7]$' "$v4b"
if [ "$v4a" != "$v4b" ]; then
	pass "distinct IPv4 addresses ($v4a, $v4b)"
else
	fail "distinct IPv4 addresses" "both $v4a"
fi
check_eq "instance 1 uses PLAT 1" "$PLAT_PREFIX" \
	"$(xlatd_field "$CLIENT_IF" plat_prefix)"
check_eq "instance 2 uses PLAT 2" "$PLAT_PREFIX_2" \
	"$(xlatd_field "$CLIENT_IF_2" plat_prefix)"
check "device clat-$CLIENT_IF exists" \
	in_ns client ip link show "clat-$CLIENT_IF"
check "device clat-$CLIENT_IF_2 exists" \
	in_ns client ip link show "clat-$CLIENT_IF_2"
# router 1 is preferred (medium over low): its route has the lower metric
m1=$(in_ns client ip -4 route show default dev "clat-$CLIENT_IF" |
	sed -n 's/.* metric \([0-9]*\).*/\1/p')
m2=$(in_ns client ip -4 route show default dev "clat-$CLIENT_IF_2" |
	sed -n 's/.* metric \([0-9]*\).*/\1/p')
if [ -n "$m1" ] && [ -n "$m2" ] && [ "$m1" -lt "$m2" ]; then
	pass "preferred uplink has the lower metric ($m1 < $m2)"
else
	fail "preferred uplink has the lower metric" "'$m1' vs '$m2'"
fi

check_eq "one source rule per instance while there are two" 2 \
	"$(in_ns client ip -4 rule show | grep -c 'proto 88')"

# Both at the same time, each bound to its instance's address.
a0=$(translated "$CLIENT_IF")
b0=$(translated "$CLIENT_IF_2")
in_ns client ping -c 5 -i 0.2 -W 2 -I "$v4a" "$SERVER4" >/dev/null &
pa=$!
in_ns client ping -c 5 -i 0.2 -W 2 -I "$v4b" "$SERVER4" >/dev/null &
pb=$!
if wait "$pa"; then pass "ping from $v4a"; else fail "ping from $v4a"; fi
if wait "$pb"; then pass "ping from $v4b"; else fail "ping from $v4b"; fi
# 5 echo requests and 5 replies each
check_eq "5 pings through instance 1" $((a0 + 10)) \
	"$(translated "$CLIENT_IF")"
check_eq "5 pings through instance 2" $((b0 + 10)) \
	"$(translated "$CLIENT_IF_2")"
body=$(in_ns client curl -s -m 10 --interface "$v4b" "$SERVER_URL4")
check_eq "HTTP bound to $v4b" "$SERVER_HTTP_BODY" "$body"

# A crash leaves the source rules (they are not tied to a device); the
# next start removes them before it adds its own: one per instance.
xlatd_kill
check_eq "kill -9 leaves the 2 source rules" 2 \
	"$(in_ns client ip -4 rule show | grep -c 'proto 88')"
rm -f "$XLATD_SOCK"
xlatd_start client v4-conncheck-delay=1 -d
check "both running again after the restart" \
	wait_for 20 xlatd_running_on "$CLIENT_IF" "$CLIENT_IF_2"
check_eq "still exactly 2 source rules after the restart" 2 \
	"$(in_ns client ip -4 rule show | grep -c 'proto 88')"
check_eq "exactly 2 IPv4 default routes of xlatd's" 2 \
	"$(in_ns client ip -4 route show default proto 88 | grep -c .)"
v4a=$(xlatd_field "$CLIENT_IF" clat_v4)
v4b=$(xlatd_field "$CLIENT_IF_2" clat_v4)
check "ping through instance 1 after the restart" \
	in_ns client ping -c 2 -i 0.2 -W 2 -I "$v4a" "$SERVER4"
check "ping through instance 2 after the restart" \
	in_ns client ping -c 2 -i 0.2 -W 2 -I "$v4b" "$SERVER4"

# A reload with another base metric: both instances change in place.
metric_of() {
	in_ns client ip -4 route show default dev "$1" |
		sed -n 's/.* metric \([0-9]*\).*/\1/p'
}
moved() {
	[ "$(metric_of "clat-$CLIENT_IF")" -ge 2990 ] &&
		[ "$(metric_of "clat-$CLIENT_IF_2")" -ge 2990 ]
}
ia=$(clat_ifindex "clat-$CLIENT_IF")
ib=$(clat_ifindex "clat-$CLIENT_IF_2")
echo "v4-defaultroute-metric = 3000" >"$XLATD_DIR/empty.conf"
check "reload with v4-defaultroute-metric 3000" xlatctl reload
check "both routes move near 3000" wait_for 5 moved
check_eq "device 1 stays" "$ia" "$(clat_ifindex "clat-$CLIENT_IF")"
check_eq "device 2 stays" "$ib" "$(clat_ifindex "clat-$CLIENT_IF_2")"
check "both still running" \
	xlatd_running_on "$CLIENT_IF" "$CLIENT_IF_2"
check "ping through instance 2 after the reload" \
	in_ns client ping -c 2 -i 0.2 -W 2 -I "$v4b" "$SERVER4"

# Deleting uplink 2 leaves uplink 1 alone.
pid=$XLATD_PID
in_ns client ip link del "$CLIENT_IF_2"
gone() {
	! in_ns client ip link show "clat-$CLIENT_IF_2" >/dev/null 2>&1 &&
		[ -z "$(xlatd_field "$CLIENT_IF_2" state)" ]
}
check "instance 2 gone with its uplink" wait_for 5 gone
check "same xlatd process" kill -0 "$pid"
check_eq "instance 1 still running" running \
	"$(xlatd_field "$CLIENT_IF" state)"
check_eq "instance 1 keeps its address" "$v4a" \
	"$(xlatd_field "$CLIENT_IF" clat_v4)"
check "ping through instance 1 after the delete" \
	in_ns client ping -c 3 -i 0.2 -W 2 "$SERVER4"
check_eq "no source rules left with one instance" "" \
	"$(in_ns client ip -4 rule show | grep 'proto 88')"

xlatd_stop_ok
check_eq "nothing of xlatd's left: routes" "" \
	"$(in_ns client ip -4 route show table all proto 88)"
check_eq "nothing of xlatd's left: rules" "" \
	"$(in_ns client ip -4 rule show | grep 'proto 88')"
check_eq "every line about an instance names its uplink (second run)" "" \
	"$(xlatd_log_unnamed "$CLIENT_IF" "$CLIENT_IF_2")"
lab_down
summary
