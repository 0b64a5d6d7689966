#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A PREF64 that moves: the router advertises a new PLAT prefix
# (RFC 8781 §4: the newest replaces the old), and within 2 s the running
# instance translates with it, in place: same process, same device, and
# IPv4 (ping, counted exactly, and TCP) works again. Once with the eBPF
# fast path (fast-path=auto) and once without, as both must follow.
#
# The lab runs in clat-alone mode. TAYGA serves one prefix per process
# (its `prefix` directive), and the full lab runs one TAYGA for
# 2001:db8:64::/96. In clat-alone mode the server answers the synthesized
# address itself, so the test gives it 2001:db8:66::cb00:710a (203.0.113.10
# in the new prefix) and the router a route to 2001:db8:66::/96. Once the
# new prefix is advertised, the router makes the old one unreachable: a
# CLAT still translating with 2001:db8:64::/96 gets no answer.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

NEW_PREFIX=2001:db8:66::/96
NEW_SERVER6=2001:db8:66::cb00:710a

# run_case FAST_PATH: the whole test with fast-path=FAST_PATH (auto: the
# eBPF fast path translates; off: the daemon does), as the new prefix must
# reach both.
run_case() {
	local fp=$1 dev ifindex v6 t0 t1 life gw

	lab_up --mode clat-alone || return 1
	xlatd_start_uplink "$fp: running with $PLAT_PREFIX from PREF64" \
		fast-path="$fp"
	ping_counted "$fp: before the change" 3
	dev=$(st clat_dev)
	ifindex=$(clat_ifindex "$dev")
	v6=$(st clat_v6)

	# The new prefix at the far end, then the new RA.
	in_ns server ip -6 addr add "$NEW_SERVER6/128" dev s1
	in_ns server ip -6 route add unreachable "$NEW_PREFIX"
	gw=$(in_ns router ip -6 route show "$PLAT_PREFIX" |
		awk '{ print $3; exit }')
	in_ns router ip -6 route add "$NEW_PREFIX" via "$gw"
	check "$fp: the new prefix answers over IPv6" \
		in_ns client ping -6 -n -c 1 -W 2 "$NEW_SERVER6"
	lab_cmd ra --pref64 "$NEW_PREFIX" >/dev/null
	t0=${EPOCHREALTIME//[.,]/}
	if wait_for 2 st_running "$NEW_PREFIX" ra; then
		t1=${EPOCHREALTIME//[.,]/}
		pass "$fp: uses $NEW_PREFIX $(((10#$t1 - 10#$t0) / 1000)) ms after the RA"
	else
		fail "$fp: uses $NEW_PREFIX within 2 s of the RA" \
			"plat_prefix $(st plat_prefix), state $(xlatd_state)"
	fi
	in_ns router ip -6 route replace unreachable "$PLAT_PREFIX"
	check_fails "$fp: the old prefix is unreachable now" \
		in_ns client ping -6 -n -c 1 -W 1 "$SERVER6"
	life=$(st prefix_lifetime)
	check_match "$fp: the new PREF64's lifetime is shown" '^(59[0-9]|600)$' "$life"

	ping_counted "$fp: after the change" 3
	check_eq "$fp: HTTP over IPv4 after the change" "$SERVER_HTTP_BODY" \
		"$(in_ns client curl -s -m 10 "$SERVER_URL4")"
	check "$fp: same xlatd process (PID $XLATD_PID)" xlatd_same_process
	check_eq "$fp: same CLAT device $dev" "$ifindex" "$(clat_ifindex "$dev")"
	check_eq "$fp: same CLAT IPv6 address" "$v6" "$(st clat_v6)"
	check_eq "$fp: one IPv4 default route, through $dev" \
		"default dev $dev scope link src $(st clat_v4)" \
		"$(defaults4 | sed 's/ proto 88//; s/ metric.*//')"
	check_match "$fp: one eBPF program on $CLIENT_IF, taking the CLAT address" \
		"^prog=[0-9]+ name=clat_ingress clat_v6=$v6 tun_ifindex=$ifindex enabled=1\$" \
		"$(tcx_progs)"
	check_one_bpf "$fp: exactly one eBPF program on $CLIENT_IF"
	check_match "$fp: the change is logged with its cause" \
		"PREF64 \(RFC 8781\) gives PLAT prefix $NEW_PREFIX" "$(cat "$XLATD_LOG")"

	xlatd_stop_nothing_left "$fp: xlatd" "$fp"
	lab_down
}

xlatd_use_asan
run_case auto
run_case off
summary
