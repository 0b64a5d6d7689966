#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Churn: 500 rapid events on the uplink while xlatd runs: link
# down and up (which takes the SLAAC address away until the next RA) and
# /64 addresses in the uplink's prefix added and deleted, some with
# `nodad` (usable at once, so the instance may build on them), in 20
# bursts of 25 (`ip -batch`) a few tens of milliseconds apart, so the
# instance is caught in every state. Then it must settle: the same process,
# running, and exactly the objects it had before the churn (one CLAT
# device, its IPv4 address and default route, one eBPF program on the
# uplink with the same CLAT address, the same rules, the same anycast
# membership, the same number of open files), and IPv4 works (counted
# exactly). After SIGTERM it exits 0 and leaves nothing; with an
# AddressSanitizer build of xlatd (meson's build-san) leak checks are on
# and the log must have no sanitizer report.
#
# Twice: with plat-dev set (one instance for the uplink) and without (an
# instance per eligible uplink, which comes and goes with it).
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

# churn_batch N0: 25 lines of `ip -batch`: link down and up, and /64
# addresses 2001:db8:1::beef:N added and deleted, half with nodad.
churn_batch() {
	local n0=$1 i n
	for i in 0 1 2 3 4 5; do
		n=$((n0 + i))
		printf 'addr add 2001:db8:1::beef:%x/64 dev %s%s\n' "$n" \
			"$CLIENT_IF" "$([ $((n % 2)) = 0 ] && echo ' nodad')"
		printf 'addr add 2001:db8:1::cafe:%x/64 dev %s nodad\n' "$n" \
			"$CLIENT_IF"
		printf 'addr del 2001:db8:1::beef:%x/64 dev %s\n' "$n" "$CLIENT_IF"
		if [ $((i % 2)) = 0 ]; then
			printf 'link set %s down\n' "$CLIENT_IF"
		else
			printf 'link set %s up\n' "$CLIENT_IF"
		fi
	done
	# ends up, with the cafe addresses gone
	printf 'link set %s up\n' "$CLIENT_IF"
}

run_case() {
	local what=$1 pristine before after fds0 fds1 b pauses=(0 0.02 0.05 0.1)
	shift
	lab_up --mode full || return 1
	XLATD_DIR=
	pristine=$(in_ns client ip -4 rule show; in_ns client ip -6 rule show)
	xlatd_start client v4-conncheck-delay=1 "$@"
	xlatd_remember
	if wait_for 15 st_running "$PLAT_PREFIX" ra; then
		pass "$what: running"
	else
		fail "$what: running" "state $(xlatd_state); $(xlatd_log)"
	fi
	ping_counted "$what: before the churn" 2
	# the anycast entry comes once DAD has passed (optimistic DAD)
	check "$what: CLAT address passed DAD" xlatd_wait_dad 10
	before=$(objects)
	fds0=$(find "/proc/$XLATD_PID/fd" -mindepth 1 | wc -l)

	for b in $(seq 0 19); do
		churn_batch $((b * 6)) >"$XLATD_DIR/churn.batch"
		# the cafe addresses of this burst go at the start of the next
		in_ns client ip -force -batch "$XLATD_DIR/churn.batch" \
			>/dev/null 2>&1
		in_ns client ip -6 addr flush dev "$CLIENT_IF" to \
			2001:db8:1::cafe:0/112 >/dev/null 2>&1
		sleep "${pauses[b % 4]}"
	done
	check "$what: xlatd survived the churn" xlatd_same_process
	# The last link up flushes the uplink's addresses (keep_addr_on_down
	# is 0) until the next RA brings SLAAC back, so the instance may run,
	# stand down and run again: wait until it stays running for 2 s.
	if wait_for 30 settled_running; then
		pass "$what: running again after the churn, settled for 2 s"
	else
		fail "$what: running again after the churn, settled for 2 s" \
			"state $(xlatd_state); $(xlatd_log)"
	fi
	after=$(objects)
	check_eq "$what: the same objects as before the churn" "$before" "$after"
	check_eq "$what: one CLAT device" 1 \
		"$(grep -c . <<<"$(sed -n '/^## devices/,/^##/p' <<<"$after" |
			grep -v '^##')")"
	check_eq "$what: one IPv4 default route in main" 1 \
		"$(in_ns client ip -4 route show default | grep -c .)"
	check_one_bpf "$what: one eBPF program on $CLIENT_IF"
	fds1=$(find "/proc/$XLATD_PID/fd" -mindepth 1 | wc -l)
	check_eq "$what: as many open files as before" "$fds0" "$fds1"
	ping_counted "$what: after the churn" 3
	check_match "$what: it stood down during the churn" \
		"running -> waiting-for-uplink" \
		"$(cat "$XLATD_LOG")"

	xlatd_stop_nothing_left "$what" "$what"
	check_eq "$what: nothing left: rules as before" "$pristine" \
		"$(in_ns client ip -4 rule show; in_ns client ip -6 rule show)"
	lab_down
}

xlatd_use_asan
xlatd_sanitized && echo "# $XLATD is an ASan build: leak checks on"
run_case "plat-dev" plat-dev=up0
run_case "per uplink"
summary
