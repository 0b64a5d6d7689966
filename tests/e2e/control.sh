#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The control socket serves each client without waiting on it: clients
# that connect and send nothing do not hold up xlatctl or IPv4 through
# the CLAT, and are dropped after their deadline (2 s). `xlatctl log
# brief` turns the daemon's debug lines off and `xlatctl log verbose` on
# again, at run time: the data path's debug line "attached with" shows
# up only when a rebuild happens in verbose mode.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

# silent_client OUT: connect, send nothing, write to OUT how long until
# the daemon hung up and what it sent.
silent_client() {
	python3 - "$XLATD_SOCK" "$1" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
t0 = time.monotonic()
data = s.recv(100)
with open(sys.argv[2], "w") as f:
    f.write("%.1f %r\n" % (time.monotonic() - t0, data))
PY
}

# attached_lines: the data path's debug lines so far.
attached_lines() {
	grep -c 'attached with' "$XLATD_LOG" || true
}

# rebuild WHAT: native IPv4 on and off; the CLAT stands down and comes
# back with a new data path.
rebuild() {
	lab_cmd native-ipv4 on >/dev/null
	check "$1: stood down" wait_for 10 st_is state native-ipv4
	lab_cmd native-ipv4 off >/dev/null
	xlatd_check_running "$1"
}

lab_up --mode full
xlatd_use_asan
xlatd_run "start"
xlatd_remember

# --- clients that say nothing ---
pids=()
for i in 1 2 3; do
	silent_client "$XLATD_DIR/silent.$i"
	pids+=($!)
done
sleep 0.3
t0=${EPOCHREALTIME/[.,]/}
check "xlatctl status answers with three silent clients connected" \
	xlatctl status
t1=${EPOCHREALTIME/[.,]/}
check "it answers within 1 s" test $(((t1 - t0) / 1000)) -lt 1000
ping_counted "with three silent clients connected" 3
wait "${pids[@]}"
for i in 1 2 3; do
	check_match "silent client $i is dropped after 2 s, with nothing" \
		"^(1\.9|2\.[0-9]|3\.[0-9]) b''$" "$(cat "$XLATD_DIR/silent.$i")"
done
check "same process" xlatd_same_process

# --- the log level ---
check_fails "xlatctl log loud is refused" xlatctl log loud
check "xlatctl log brief" xlatctl log brief
check_match "the change is logged" "log level: brief" "$(cat "$XLATD_LOG")"
before=$(attached_lines)
rebuild "brief"
check_eq "brief: no debug line for the new data path" "$before" \
	"$(attached_lines)"
check "xlatctl log verbose" xlatctl log verbose
rebuild "verbose"
check "verbose: a debug line for the new data path" \
	test "$(attached_lines)" -gt "$before"
check "same process" xlatd_same_process

xlatd_stop_nothing_left "stop"
lab_down
rm -rf "$XLATD_DIR"
summary
