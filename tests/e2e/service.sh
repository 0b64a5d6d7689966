#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Lifecycle as a service: sd_notify READY=1, STATUS= and
# STOPPING=1 on a NOTIFY_SOCKET; script-up and script-down with clatd's
# environment (the values in use); SIGHUP and `xlatctl reload` read the
# file again in the same process, and a bad file on reload keeps the
# running configuration. Every line of the log (debugging included) about
# the instance starts with its uplink's name.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir
XLATD_CONF=$XLATD_DIR/xlatd.conf
notify=$XLATD_DIR/notify.sock
notes=$XLATD_DIR/notify.log

notify_listen "$notify" "$notes"

# write_conf METRIC: the file, with scripts that record their environment.
write_conf() {
	cat >"$XLATD_CONF" <<CONF
v4-conncheck-delay = 1
v4-defaultroute-metric = $1
script-up = env > $XLATD_DIR/up.env
script-down = env > $XLATD_DIR/down.env
CONF
}

metric() {
	in_ns client ip -4 route show default proto 88 |
		sed -n 's/.* metric \([0-9]*\).*/\1/p'
}

lab_up --mode full
write_conf 2048
export NOTIFY_SOCKET=$notify
xlatd_start client -d
unset NOTIFY_SOCKET
check "running" xlatd_wait_state running 15
check "sd_notify READY=1" wait_for 2 grep -q 'READY=1' "$notes"
check "sd_notify STATUS names the state" \
	grep -q 'STATUS=up0: running' "$notes"

check "script-up ran" wait_for 2 test -s "$XLATD_DIR/up.env"
v6=$(st clat_v6)
dev=$(st clat_dev)
for kv in "clat_dev=$dev" "clat_v4_addr=192.0.0.1" "clat_v6_addr=$v6" \
	"plat_prefix=$PLAT_PREFIX" "plat_dev=$CLIENT_IF" \
	"v4_defaultroute_metric=2048"; do
	check "script-up environment has $kv" grep -qx "$kv" "$XLATD_DIR/up.env"
done
check_eq "route metric 2048" 2048 "$(metric)"

# SIGHUP: a new metric, the same process
pid=$XLATD_PID
write_conf 3000
kill -HUP "$XLATD_PID"
check "SIGHUP: sd_notify RELOADING=1" wait_for 2 grep -q 'RELOADING=1' "$notes"
metric_is() { [ "$(metric)" = "$1" ]; }
check "SIGHUP: the route takes metric 3000" wait_for 5 metric_is 3000
check "SIGHUP: same process" kill -0 "$pid"
check "SIGHUP: running again" xlatd_wait_state running 10
check "SIGHUP: ping" in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"

# xlatctl reload, good and bad
write_conf 3100
check "xlatctl reload exits 0" xlatctl reload
check "reload: the route takes metric 3100" wait_for 5 metric_is 3100
printf 'v4-defaultroute-metric = lots\n' >>"$XLATD_CONF"
check_fails "xlatctl reload of a bad file exits non-zero" xlatctl reload
check "the bad file is named in the log" \
	grep -q "v4-defaultroute-metric" "$XLATD_LOG"
check_eq "the running configuration stays (metric 3100)" 3100 "$(metric)"
check "still running after the bad reload" kill -0 "$pid"
check "ping after the bad reload" \
	in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"

rc=0
xlatd_stop || rc=$?
check_eq "exit status after SIGTERM" 0 "$rc"
check "sd_notify STOPPING=1" grep -q 'STOPPING=1' "$notes"
check "script-down ran" test -s "$XLATD_DIR/down.env"
check "script-down environment names the device" \
	grep -qx "clat_dev=$dev" "$XLATD_DIR/down.env"
check_eq "every line about the instance names $CLIENT_IF" "" \
	"$(xlatd_log_unnamed "$CLIENT_IF")"
notify_stop
lab_down
summary
