#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A script-up and a script-down that never end do not stop xlatd: while
# script-up hangs, IPv4 goes through the CLAT and xlatctl answers at
# once; 10 s after it started (SCRIPT_TIMEOUT_SEC), it is killed with
# the processes it started, and the log says so. At SIGTERM, a hanging
# script-down holds the exit up for no more than that, and xlatd still
# exits 0 and leaves nothing.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir
XLATD_CONF=$XLATD_DIR/xlatd.conf
# Each script writes the PID of its shell, then waits on a child that
# would outlive it by far.
cat >"$XLATD_CONF" <<CONF
v4-conncheck-delay = 1
script-up = echo \$\$ > $XLATD_DIR/up.pid; sleep 600
script-down = echo \$\$ > $XLATD_DIR/down.pid; sleep 600
CONF

# gone PIDFILE: the script's shell and every process of its group ended.
gone() {
	local pid
	pid=$(cat "$1") || return 1
	! kill -0 "$pid" 2>/dev/null && ! pgrep -g "$pid" >/dev/null
}

lab_up --mode full
xlatd_use_asan
xlatd_start client
xlatd_remember
check "running" xlatd_wait_state running 15
check "script-up started" wait_for 5 test -s "$XLATD_DIR/up.pid"
up_pid=$(cat "$XLATD_DIR/up.pid")
check "script-up still runs" kill -0 "$up_pid"

# While it hangs: xlatctl answers, and IPv4 goes through the CLAT.
t0=${EPOCHREALTIME/[.,]/}
check "xlatctl status answers while script-up hangs" xlatctl status
t1=${EPOCHREALTIME/[.,]/}
check "it answers within 2 s" test $(((t1 - t0) / 1000)) -lt 2000
ping_counted "while script-up hangs" 3
check "script-up is still running after all that" kill -0 "$up_pid"

# The timeout, counted from its start: 10 s, and a few for a busy host.
check "script-up is killed, its sleep too" wait_for 20 gone "$XLATD_DIR/up.pid"
check_match "the kill is logged" \
	"script-up \(.*\) did not end within 10 s: killed" \
	"$(cat "$XLATD_LOG")"
check "same xlatd process" xlatd_same_process
ping_counted "after the kill" 3

t0=${EPOCHREALTIME/[.,]/}
xlatd_stop_nothing_left "SIGTERM with a hanging script-down"
t1=${EPOCHREALTIME/[.,]/}
check "script-down ran" test -s "$XLATD_DIR/down.pid"
check "script-down and its sleep are gone after the exit" wait_for 2 \
	gone "$XLATD_DIR/down.pid"
check_match "its kill is logged" \
	"script-down \(.*\) did not end within 10 s: killed" \
	"$(cat "$XLATD_LOG")"
secs=$(((t1 - t0) / 1000000))
check "the exit took 10 s or a little more ($secs s)" \
	test "$secs" -ge 9 -a "$secs" -le 20
lab_down
rm -rf "$XLATD_DIR"
summary
