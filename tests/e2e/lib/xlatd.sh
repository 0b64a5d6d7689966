# SPDX-License-Identifier: BSD-2-Clause
#
# Run xlatd in a lab namespace from an end-to-end test. Source after
# assert.sh and lab.sh. $XLATD and $XLATCTL name the binaries under test
# (meson passes them; by default those of build/).
#
#   xlatd_start client plat-dev=up0     # waits for the control socket
#   xlatd_wait_state running 10
#   xlatctl status --json
#   xlatd_stop                          # SIGTERM, waits for the exit

XLATD=${XLATD:-$E2E_ROOT/build/src/daemon/xlatd}
XLATCTL=${XLATCTL:-$E2E_ROOT/build/src/ctl/xlatctl}
XLATD_PID=
XLATD_ROLE=

# xlatd_start ROLE [key=value ...]: start xlatd in the namespace of ROLE
# with its control socket and log in a directory of the test's own (gone
# when the test exits), and the configuration file $XLATD_CONF (default:
# an empty one).
xlatd_start() {
	local role=$1
	shift
	[ -n "${XLATD_DIR:-}" ] || e2e_xlatd_dir
	XLATD_SOCK=$XLATD_DIR/control.sock
	XLATD_LOG=$XLATD_DIR/xlatd.log
	XLATD_ROLE=$role
	: >"$XLATD_DIR/empty.conf"
	# a socket left by a run killed with SIGKILL would end the wait below
	# before this xlatd is up
	rm -f "$XLATD_SOCK"
	# where this xlatd's lines begin in the log it appends to
	XLATD_LOG_START=1
	if [ -f "$XLATD_LOG" ]; then
		XLATD_LOG_START=$(($(wc -l <"$XLATD_LOG") + 1))
	fi
	"$LAB" exec "$role" "$XLATD" -d \
		-c "${XLATD_CONF:-$XLATD_DIR/empty.conf}" \
		control-socket="$XLATD_SOCK" "$@" >>"$XLATD_LOG" 2>&1 &
	XLATD_PID=$!
	wait_for 10 test -S "$XLATD_SOCK" ||
		fail "xlatd starts" "no control socket after 10 s"
}

# xlatd_stop: SIGTERM and wait (at most 10 s); returns xlatd's status.
xlatd_stop() {
	local rc=0 _
	[ -n "$XLATD_PID" ] || return 0
	kill -TERM "$XLATD_PID" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$XLATD_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$XLATD_PID" || rc=$?
	XLATD_PID=
	return "$rc"
}

# xlatd_kill: SIGKILL (the crash of a test), used on exit too.
xlatd_kill() {
	[ -n "$XLATD_PID" ] || return 0
	kill -KILL "$XLATD_PID" 2>/dev/null
	wait "$XLATD_PID" 2>/dev/null
	XLATD_PID=
}

# xlatctl ARGS...: xlatctl on the running xlatd's socket.
xlatctl() {
	local sub=$1
	shift
	"$LAB" exec "$XLATD_ROLE" "$XLATCTL" "$sub" -s "$XLATD_SOCK" "$@"
}

# xlatd_state: the first instance's state from xlatctl status --json.
xlatd_state() {
	xlatctl status --json 2>/dev/null |
		python3 -c 'import json,sys
i = json.load(sys.stdin)["instances"]
print(i[0]["state"] if i else "none")' 2>/dev/null
}

# xlatd_field UPLINK KEY: KEY of the instance on UPLINK from xlatctl
# status --json; empty when there is no such instance.
xlatd_field() {
	xlatctl status --json | python3 -c '
import json, sys
for i in json.load(sys.stdin)["instances"]:
    if i["uplink"] == sys.argv[1]:
        print(i.get(sys.argv[2]))' "$1" "$2"
}

# xlatd_running_on UPLINK...: whether the instance on each UPLINK runs.
xlatd_running_on() {
	local up
	for up in "$@"; do
		[ "$(xlatd_field "$up" state)" = running ] || return 1
	done
}

# xlatd_state_is STATE: whether the first instance is in STATE.
xlatd_state_is() {
	[ "$(xlatd_state)" = "$1" ]
}

# xlatd_wait_state STATE SECONDS: wait until the instance is in STATE.
xlatd_wait_state() {
	wait_for "$2" xlatd_state_is "$1"
}

# xlatd_log: the log so far, for failure messages.
xlatd_log() {
	tail -n 20 "$XLATD_LOG"
}

# xlatd_log_unnamed UPLINK...: the lines of the xlatd last started that
# start with none of the UPLINKs' names and are not about the daemon as
# a whole (reload, signals, the control socket, the configuration file)
# or libbpf's own debugging output. Every line about an instance starts
# with its uplink's name, so this prints nothing.
xlatd_log_unnamed() {
	local names
	names=$(printf '%s|' "$@")
	tail -n "+$XLATD_LOG_START" "$XLATD_LOG" | sed -E 's/^<[0-7]>//' |
		grep -Ev -e "^(${names%|}): " -e '^(libbpf|rtnl): ' \
			-e '^(reload|signal [0-9]+: stopping|log level: )' \
			-e '^(the engine |removed [0-9]+ |not running as root)' \
			-e '^(control|state-dir and control-socket )' \
			-e '^(netlink events|IPv6 default routes|event loop)' \
			-e '^(parent: |plat-dev: |no route from )' \
			-e '^[a-z0-9-]+: clatd setting ignored' -e '^/'
}

# xlatd_check_running WHAT: check "WHAT: running" within 15 s (with the
# state and the log on failure).
xlatd_check_running() {
	if xlatd_wait_state running 15; then
		pass "$1: running"
	else
		fail "$1: running" "state $(xlatd_state); $(xlatd_log)"
	fi
}

# xlatd_wait_dad [SECONDS]: wait (default 5 s) until the log of the
# xlatd last started says a CLAT address passed DAD: with optimistic DAD
# (RFC 4429) xlatd runs before that, and joins the address as anycast
# only then.
xlatd_passed_dad() {
	tail -n "+$XLATD_LOG_START" "$XLATD_LOG" | grep -q "passed DAD"
}
xlatd_wait_dad() {
	wait_for "${1:-5}" xlatd_passed_dad
}

# xlatd_run WHAT [key=value ...]: start xlatd in the client with
# v4-conncheck-delay=0 and its state in $XLATD_DIR/state, and check that
# it runs.
xlatd_run() {
	local what=$1
	shift
	[ -n "${XLATD_DIR:-}" ] || e2e_xlatd_dir
	xlatd_start client v4-conncheck-delay=0 state-dir="$XLATD_DIR/state" "$@"
	xlatd_check_running "$what"
}

# xlatd_stop_ok [WHAT]: SIGTERM, and check "WHAT: exit status after
# SIGTERM" is 0.
xlatd_stop_ok() {
	local rc=0
	xlatd_stop || rc=$?
	check_eq "${1:+$1: }exit status after SIGTERM" 0 "$rc"
}
