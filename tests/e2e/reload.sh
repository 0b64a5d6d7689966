#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Hitless reload: a ping every 50 ms goes on across three reloads and
# loses at most one packet: the file unchanged (nothing happens, and the
# log says so), the route metric changed (the route is replaced in
# place), a translator key changed (decrement-ttl: the replies' TTL goes
# up by one, with the same device). The CLAT device keeps its ifindex,
# and a route an administrator added through it survives; the IPv4
# check (v4-conncheck-delay 5 s) is not waited again. A fourth reload
# renames the device (clat-dev): then, and only then, the device is made
# anew, under its new name.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir
XLATD_CONF=$XLATD_DIR/xlatd.conf
pinglog=$XLATD_DIR/ping.log

# write_conf METRIC DECREMENT_TTL [CLAT_DEV]
write_conf() {
	cat >"$XLATD_CONF" <<CONF
plat-dev = $CLIENT_IF
v4-conncheck-delay = 5
v4-defaultroute-metric = $1
decrement-ttl = $2
clat-dev = ${3:-clat}
CONF
}

metric() {
	in_ns client ip -4 route show default proto 88 |
		sed -n 's/.* metric \([0-9]*\).*/\1/p'
}
metric_is() { [ "$(metric)" = "$1" ]; }

# ttls: the TTLs of the ping's replies, in order, one a line.
ttls() {
	sed -n 's/.* ttl=\([0-9]*\) .*/\1/p' "$pinglog"
}

lab_up --mode full
xlatd_use_asan
write_conf 2048 yes
xlatd_start client
xlatd_remember
check "running" xlatd_wait_state running 20
dev=$(st clat_dev)
ifindex=$(clat_ifindex "$dev")
check_eq "the device is clat" clat "$dev"
# an administrator's routes through the CLAT device
check "an admin's route through $dev, table 4095" \
	in_ns client ip route add default dev "$dev" table 4095
check "an admin's route to 198.51.100.0/24 through $dev" \
	in_ns client ip route add 198.51.100.0/24 dev "$dev"
admin_routes() {
	in_ns client ip -4 route show table 4095
	in_ns client ip -4 route show 198.51.100.0/24
}
admin_before=$(admin_routes)

# 240 pings 50 ms apart: 12 s across the reloads
E2E_CMD_TIMEOUT=40 in_ns client ping -n -i 0.05 -c 240 -W 1 "$SERVER4" \
	>"$pinglog" 2>&1 &
ping_pid=$!
sleep 2

: >"$XLATD_DIR/mark"
check "reload 1, unchanged: xlatctl reload" xlatctl reload
check_match "reload 1: the log says unchanged" \
	"reload: the configuration is unchanged" "$(cat "$XLATD_LOG")"
sleep 2

write_conf 3000 yes
check "reload 2, metric 3000: xlatctl reload" xlatctl reload
check "reload 2: the route takes metric 3000" wait_for 5 metric_is 3000
check_eq "reload 2: one IPv4 default route of xlatd's" 1 \
	"$(in_ns client ip -4 route show default proto 88 | grep -c .)"
sleep 2

write_conf 3000 no
check "reload 3, decrement-ttl no: xlatctl reload" xlatctl reload
sleep 3

wait "$ping_pid"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$pinglog")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$pinglog")
check_eq "240 pings sent" 240 "$sent"
check "at most one lost across three reloads ($got of $sent received)" \
	test "$((sent - got))" -le 1
first=$(ttls | head -n 1)
last=$(ttls | tail -n 1)
check_eq "reload 3: replies' TTL one higher without decrement-ttl" \
	"$((first + 1))" "$last"

check "same process" xlatd_same_process
check_eq "same CLAT device, same ifindex" "$ifindex" "$(clat_ifindex clat)"
check_eq "the admin's routes through $dev are still there" \
	"$admin_before" "$(admin_routes)"
check_eq "the IPv4 check ran once, at the start" 1 \
	"$(grep -c -- '-> ipv4-check-delay' "$XLATD_LOG")"
check "still running" xlatd_state_is running

# a new device name: the device is made anew, under the new name
write_conf 3000 no clat9
check "reload 4, clat-dev clat9: xlatctl reload" xlatctl reload
check "reload 4: running on clat9" wait_for 5 st_is clat_dev clat9
check "reload 4: clat9 exists" test -n "$(clat_ifindex clat9)"
check_eq "reload 4: clat is gone" "" "$(clat_ifindex clat)"
check_eq "reload 4: one IPv4 default route, through clat9" \
	"default dev clat9" \
	"$(in_ns client ip -4 route show default proto 88 |
		sed 's/ scope.*//')"
ping_counted "reload 4" 3
check_eq "reload 4: still no second IPv4 check" 1 \
	"$(grep -c -- '-> ipv4-check-delay' "$XLATD_LOG")"

xlatd_stop_nothing_left "stop"
lab_down
rm -rf "$XLATD_DIR"
summary
