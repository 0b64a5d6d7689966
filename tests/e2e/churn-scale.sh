#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Churn at scale: more than 10,000 link, address, route and router
# advertisement events on the uplink, counted by `ip monitor` in the
# client, in two halves, while xlatd runs. Links go down and up, /64
# addresses and routes come and go in bursts (`ip -batch`), and the
# router sends an RA with PREF64 every 5 ms. After the first half, once
# the instance runs again, the open files and the resident memory of
# both processes are the baseline; after the second, they must be the
# same files and at most 10% more memory, in the same processes, with
# the same objects on the system and IPv4 working. At SIGTERM xlatd exits
# 0 and leaves nothing; with an AddressSanitizer build, leak checks are
# on in both processes (with a small quarantine, so that freed memory is
# used again and the resident size means something).
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

EVENTS=${CHURN_EVENTS:-10000}

engine_pid() {
	pgrep -P "$XLATD_PID" -x xlatd
}
fds() {
	find "/proc/$1/fd" -mindepth 1 | wc -l
}
rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"
}
# usage: "PARENT_FDS ENGINE_FDS"
usage() {
	echo "$(fds "$XLATD_PID") $(fds "$(engine_pid)")"
}
usage_is() {
	[ "$(usage)" = "$1" ]
}
# stable_usage: usage, the same twice a second apart (a DNS64 lookup in
# flight holds a socket for a while).
stable_usage() {
	local a="" b
	b=$(usage)
	until [ "$a" = "$b" ]; do
		a=$b
		sleep 1
		b=$(usage)
	done
	echo "$b"
}

# burst N0: 100 `ip -batch` lines: /64 addresses (half with nodad) and
# routes added and deleted, and the link down and up.
burst() {
	local n0=$1 i n
	for i in $(seq 0 11); do
		n=$((n0 + i))
		printf 'addr add 2001:db8:1::beef:%x/64 dev %s%s\n' "$n" \
			"$CLIENT_IF" "$([ $((n % 2)) = 0 ] && echo ' nodad')"
		printf 'route add 2001:db8:99:%x::/64 via fe80::1 dev %s\n' "$n" \
			"$CLIENT_IF"
		printf 'addr add 2001:db8:1::cafe:%x/64 dev %s nodad\n' "$n" \
			"$CLIENT_IF"
		printf 'route add 198.51.100.%d/32 dev %s\n' "$((i + 1))" \
			"$CLIENT_IF"
		printf 'addr del 2001:db8:1::beef:%x/64 dev %s\n' "$n" "$CLIENT_IF"
		printf 'route del 2001:db8:99:%x::/64 via fe80::1 dev %s\n' "$n" \
			"$CLIENT_IF"
		printf 'addr del 2001:db8:1::cafe:%x/64 dev %s\n' "$n" "$CLIENT_IF"
		printf 'route del 198.51.100.%d/32 dev %s\n' "$((i + 1))" \
			"$CLIENT_IF"
	done
	printf 'link set %s down\n' "$CLIENT_IF"
	printf 'link set %s up\n' "$CLIENT_IF"
	printf 'link set %s down\n' "$CLIENT_IF"
	printf 'link set %s up\n' "$CLIENT_IF"
}

# events: what `ip monitor` has counted so far.
events() {
	grep -c . "$XLATD_DIR/monitor.log"
}

# half UNTIL: bursts until the monitor has counted UNTIL events; the
# link ends up, and the instance running again.
half() {
	local until=$1 b=${BURSTS:-0} pauses=(0 0.02 0.05 0.1)
	while [ "$(events)" -lt "$until" ]; do
		burst $((b * 12)) >"$XLATD_DIR/churn.batch"
		in_ns client ip -force -batch "$XLATD_DIR/churn.batch" \
			>/dev/null 2>&1
		sleep "${pauses[b % 4]}"
		b=$((b + 1))
	done
	BURSTS=$b
	in_ns client ip link set "$CLIENT_IF" up
}

# settle WHAT: "WHAT: running again, settled", with the state and the
# log on failure.
settle() {
	if wait_for 60 settled_running; then
		pass "$1: running again, settled"
	else
		fail "$1: running again, settled" \
			"state $(xlatd_state), cause $(st cause); $(xlatd_log)"
	fi
}

lab_up --mode full || exit 1
xlatd_use_asan
if xlatd_sanitized; then
	echo "# $XLATD is an ASan build: leak checks on"
	export ASAN_OPTIONS=$ASAN_OPTIONS:quarantine_size_mb=1
fi
XLATD_DIR=
xlatd_start client plat-dev="$CLIENT_IF" v4-conncheck-delay=1 \
	dns64-servers="$DNS64"
xlatd_remember
if wait_for 15 st_running "$PLAT_PREFIX" ra; then
	pass "running"
else
	fail "running" "state $(xlatd_state); $(xlatd_log)"
fi
# with optimistic DAD the anycast entry comes once DAD has passed: wait
# for it, so that the snapshot is the settled state
check "CLAT address passed DAD" xlatd_wait_dad 10
engine=$(engine_pid)
before=$(objects)
"$LAB" exec client ip -o monitor link address route prefix \
	>"$XLATD_DIR/monitor.log" 2>&1 &
monitor=$!
# an RA every 5 ms, with the PIO and PREF64 of the lab's
lab_cmd ra --interval 0.005 >/dev/null
t0=$SECONDS

half $((EVENTS / 2))
settle "first half ($(events) events)"
base=$(stable_usage)
rss_p=$(rss_kb "$XLATD_PID")
rss_e=$(rss_kb "$engine")
echo "# baseline: fds (parent engine) $base, RSS $rss_p kB, $rss_e kB"

half "$EVENTS"
lab_cmd ra --interval 10 >/dev/null
settle "second half ($(events) events)"
echo "# $(events) events in $((SECONDS - t0)) s: $(grep -c '^prefix' \
	"$XLATD_DIR/monitor.log") RA prefixes, $(grep -Ec '^[0-9]+: ' \
	"$XLATD_DIR/monitor.log") link and address, the rest routes"
kill "$monitor"
wait "$monitor" 2>/dev/null
check "at least $EVENTS events" test "$(events)" -ge "$EVENTS"
check "same parent" xlatd_same_process
check_eq "same engine" "$engine" "$(engine_pid)"
check "same open files as at the baseline ($base)" wait_for 10 usage_is "$base"
for p in "parent:$XLATD_PID:$rss_p" "engine:$engine:$rss_e"; do
	IFS=: read -r who pid was <<<"$p"
	now=$(rss_kb "$pid")
	check "$who: resident memory $now kB, within 10% of $was kB" \
		test "$now" -le $((was + was / 10))
done
check_eq "the same objects as before the churn" "$before" "$(objects)"
check_match "it stood down and came back during the churn" \
	"running -> waiting-for-uplink" "$(cat "$XLATD_LOG")"
ping_counted "after the churn" 3

xlatd_stop_nothing_left "stop"
lab_down
rm -rf "$XLATD_DIR"
summary
