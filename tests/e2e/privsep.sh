#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Privilege separation: xlatd runs as two processes. While IPv4 flows
# through the CLAT, the engine (the child, which parses netlink, router
# advertisements, DNS64 answers, DAD replies, packets and control
# requests, and holds the TUN device for the slow path) has no
# capability at all (CapEff, CapPrm, CapInh, CapAmb 0), no_new_privs and
# a seccomp filter (Seccomp: 2); the parent keeps its capabilities. If
# the engine dies, the parent takes everything down and exits non-zero.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

# engine_pid: the xlatd process the parent forked.
engine_pid() {
	pgrep -P "$XLATD_PID" -x xlatd
}

# field PID NAME: a line of /proc/PID/status, its value.
field() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"
}

lab_up --mode full
xlatd_use_asan
xlatd_run "start"
xlatd_remember
engine=$(engine_pid)
check_match "one engine process under the parent" '^[0-9]+$' "$engine"

in_ns client ping -n -q -c 30 -i 0.1 -W 2 "$SERVER4" \
	>"$XLATD_DIR/ping.log" 2>&1 &
ping_pid=$!
sleep 1
for f in CapEff CapPrm CapInh CapAmb; do
	check_eq "the engine's $f while traffic flows" 0000000000000000 \
		"$(field "$engine" "$f")"
done
check_eq "the engine's NoNewPrivs" 1 "$(field "$engine" NoNewPrivs)"
check_eq "the engine's Seccomp (2: filter)" 2 "$(field "$engine" Seccomp)"
check "the parent keeps capabilities" \
	test "$(field "$XLATD_PID" CapEff)" != 0000000000000000
check_eq "the parent has no seccomp filter" 0 \
	"$(field "$XLATD_PID" Seccomp)"
check "the engine holds the TUN device (the slow path)" \
	grep -q /dev/net/tun <<<"$(ls -l "/proc/$engine/fd")"
rc=0
wait "$ping_pid" || rc=$?
check_eq "the ping through the CLAT" 0 "$rc"
check_match "30 of 30 answered" ' 30 received' "$(cat "$XLATD_DIR/ping.log")"
check "xlatctl status answers (the engine's control socket)" xlatctl status
check "xlatctl log brief reaches both processes" xlatctl log brief
check "xlatctl log verbose" xlatctl log verbose

# The engine dies: the parent takes the CLAT down and exits non-zero.
kill -KILL "$engine"
rc=0
wait_for 10 sh -c "! kill -0 $XLATD_PID 2>/dev/null"
wait "$XLATD_PID" || rc=$?
XLATD_PID=
check "the parent exits non-zero when the engine is killed" test "$rc" != 0
check_match "it says why" "the engine was killed by signal 9" \
	"$(cat "$XLATD_LOG")"
check_eq "nothing left: IPv4 routes of xlatd" "" "$(routes88)"
check_eq "nothing left: eBPF on $CLIENT_IF" "" "$(tcx_progs)"
check_eq "nothing left: the CLAT device" "" "$(clat_ifindex clat-up0)"
check "nothing left: the control socket" test ! -e "$XLATD_SOCK"

# And a clean stop: exit 0, nothing left.
XLATD_DIR=
xlatd_run "again"
xlatd_stop_nothing_left "stop"
lab_down
summary
