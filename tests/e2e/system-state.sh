#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# System state: xlatd changes nothing on the host outside what it
# owns, and leaves nothing behind.
#
# - `lab.sh snapshot client` (forwarding sysctls, nft, iptables and
#   ip6tables, ip rules, proxy-ND entries) is the same before xlatd,
#   while it runs and after SIGTERM. The one expected difference is the
#   per-device sysctls of xlatd's own TUN device, which exist while the
#   device does; they are left out of the comparison and checked to be 0
#   (no forwarding even there).
# - After SIGTERM nothing of xlatd is left: no TUN device, no 192.0.0.x
#   address, no route of protocol 88 (RTPROT_XLATD, src/common/rtnl.h)
#   in any table, no anycast membership for the CLAT address, nothing at
#   the uplink's tcx ingress or in its clsact qdisc, and the eBPF
#   programs and links xlatd held no longer exist.
# - After kill -9 the same holds (the kernel drops the TUN, the tcx link
#   and the sockets with the process), and a restart makes exactly one
#   device, one IPv4 default route through it and one tcx program, and
#   traffic works.
# - With two uplinks xlatd also adds a source rule per instance; those
#   are the one thing a kill -9 leaves here, and the restart removes them
#   and ends with exactly one per instance.
#
# Not covered here: the clsact fallback, whose cls_bpf filter is the one
# thing that outlives a crash. On this kernel xlatd always attaches with
# tcx and has no setting to force clsact (DP_BPF_F_CLSACT is only for
# tests/bpf), so it cannot be made to leave such a filter, and planting
# one by hand would test the planting; tests/bpf/test-dp-bpf.c
# (test_cleanup_stale) covers dp_bpf_cleanup_stale in namespaces.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir

# snapshot: lab.sh snapshot client, without the sysctls of $CLAT_DEV.
snapshot() {
	lab_cmd snapshot client |
		grep -v "^net\.ipv[46]\.conf\.${CLAT_DEV:-none}\."
}

status_key() {
	xlatctl status --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["instances"][0][sys.argv[1]])' "$1"
}

# bpf_fds PID: "prog ID" for each eBPF program and "link ID" for each
# link that PID holds open (from /proc/PID/fdinfo).
bpf_fds() {
	local f
	for f in /proc/"$1"/fdinfo/*; do
		awk '/^prog_id:/ { p = $2 } /^link_id:/ { l = $2 }
			END { if (l) print "link", l; else if (p) print "prog", p }' \
			"$f" 2>/dev/null
	done | sort -u
}

# links_at PID IFINDEX: how many tcx ingress links on IFINDEX PID holds.
links_at() {
	local f
	for f in /proc/"$1"/fdinfo/*; do
		awk -v i="$2" '/^link_type:/ { t = $2 } /^ifindex:/ { x = $2 }
			/^attach_type:/ { a = $2 }
			END { if (t == "tcx" && x == i && a == 46) print }' \
			"$f" 2>/dev/null
	done | wc -l
}

# bpf_gone KIND ID: bpftool finds no such program or link.
bpf_gone() {
	! bpftool "$1" show id "$2" >/dev/null 2>&1
}

# anycast6: the client's anycast addresses, "IFACE ADDRESS" a line.
anycast6() {
	in_ns client cat /proc/net/anycast6 | python3 -c '
import ipaddress, sys
for l in sys.stdin:
    f = l.split()
    print(f[1], ipaddress.IPv6Address(bytes.fromhex(f[2])))'
}

# routes: every route of every table (IPv4 and IPv6), without the
# expiry times.
routes() {
	in_ns client ip route show table all | sed 's/ expires [0-9]*sec//'
}

links() {
	in_ns client ip -o link show | awk -F': ' '{ print $2 }'
}

# nothing_left WHEN: xlatd's traces are all gone from the client.
nothing_left() {
	local when=$1 kind id
	wait_for 3 test "$(links)" = "$LINKS0"
	check_eq "$when: no device $CLAT_DEV" "$LINKS0" "$(links)"
	check_eq "$when: no 192.0.0.x address" "" \
		"$(in_ns client ip -4 -o addr show to 192.0.0.0/29)"
	check_eq "$when: no IPv4 route of protocol 88 in any table" "" \
		"$(in_ns client ip -4 route show table all proto 88)"
	check_eq "$when: no IPv6 route of protocol 88 in any table" "" \
		"$(in_ns client ip -6 route show table all proto 88)"
	check_eq "$when: routes as before" "$ROUTES0" "$(routes)"
	check_eq "$when: anycast addresses as before" "$ANYCAST0" \
		"$(anycast6)"
	check_eq "$when: nothing at up0's tcx ingress" "" \
		"$(tcx_ids "$CLIENT_IF")"
	check_eq "$when: no tc filter at up0's ingress" "" \
		"$(in_ns client tc filter show dev "$CLIENT_IF" ingress)"
	check_eq "$when: up0's qdiscs as before" "$QDISC0" \
		"$(in_ns client tc qdisc show dev "$CLIENT_IF")"
	check_match "$when: bpftool net show lists nothing on up0" \
		'^tc:$' "$(in_ns client bpftool net show dev "$CLIENT_IF")"
	check_eq "$when: bpftool net show has no entries" "" \
		"$(in_ns client bpftool -j net show dev "$CLIENT_IF" |
			python3 -c 'import json, sys
print("".join(str(v) for d in json.load(sys.stdin) for v in d.values()
              if v))')"
	while read -r kind id; do
		[ -n "$kind" ] || continue
		if wait_for 3 bpf_gone "$kind" "$id"; then
			pass "$when: $kind $id of the earlier xlatd is gone"
		else
			fail "$when: $kind $id of the earlier xlatd is gone" \
				"$(bpftool "$kind" show id "$id" 2>&1 | head -n 1)"
		fi
	done <<<"$BPF_IDS"
}

# running WHAT: what a running xlatd must have, exactly once.
running() {
	local what=$1 ids
	CLAT_DEV=$(status_key clat_dev)
	CLAT_V6=$(status_key clat_v6)
	check_eq "$what: one TUN device" 1 \
		"$(in_ns client ip -o link show type tun | grep -c ": ${CLAT_DEV}[:@]")"
	check_eq "$what: one device more than before" \
		"$(($(wc -l <<<"$LINKS0") + 1))" \
		"$(in_ns client ip -o link show | wc -l)"
	check_eq "$what: one IPv4 default route, through $CLAT_DEV" \
		"default dev $CLAT_DEV proto 88 scope link src 192.0.0.1 metric 2048" \
		"$(in_ns client ip -4 route show default |
			sed 's/ mtu .*//; s/ *$//')"
	check_eq "$what: protocol 88 routes: that one only" 1 \
		"$(in_ns client ip -4 route show table all proto 88 | wc -l)"
	check_eq "$what: no IPv6 route of protocol 88" "" \
		"$(in_ns client ip -6 route show table all proto 88)"
	check_eq "$what: one 192.0.0.x address" \
		"$CLAT_DEV 192.0.0.1/32" \
		"$(in_ns client ip -4 -o addr show to 192.0.0.0/29 |
			awk '{ print $2, $4 }')"
	check_eq "$what: anycast membership for the CLAT address, only" \
		"$(printf '%s\n%s' "$ANYCAST0" "$CLIENT_IF $CLAT_V6" | sed '/^$/d' |
			sort)" "$(anycast6 | sort)"
	ids=$(tcx_ids "$CLIENT_IF")
	check_eq "$what: one program at up0's tcx ingress" 1 \
		"$(grep -c . <<<"$ids")"
	check_eq "$what: no tc filter at up0's ingress (tcx, not clsact)" "" \
		"$(in_ns client tc filter show dev "$CLIENT_IF" ingress)"
	BPF_IDS=$(bpf_fds "$XLATD_PID")
	check_eq "$what: xlatd holds one eBPF link at up0's tcx ingress" 1 \
		"$(links_at "$XLATD_PID" \
			"$(in_ns client cat "/sys/class/net/$CLIENT_IF/ifindex")")"
	check "$what: the tcx program is xlatd's" \
		grep -q "^prog_id:[[:space:]]*$ids\$" \
		-r "/proc/$XLATD_PID/fdinfo"
	check_eq "$what: $CLAT_DEV forwarding sysctls all 0" "" \
		"$(lab_cmd snapshot client |
			grep "^net\.ipv[46]\.conf\.$CLAT_DEV\." | grep -v ' = 0$')"
	check_eq "$what: system state as before" "$SNAP0" "$(snapshot)"
	check "$what: ping 203.0.113.10" \
		in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"
	check_eq "$what: HTTP over IPv4" "$SERVER_HTTP_BODY" \
		"$(in_ns client curl -s -m 10 "$SERVER_URL4")"
}

start() {
	local what=$1
	xlatd_start client v4-conncheck-delay=0 state-dir="$XLATD_DIR/state"
	check "$what: /proc/PID is xlatd" \
		grep -qx xlatd "/proc/$XLATD_PID/comm"
	xlatd_check_running "$what"
}

lab_up --mode full || exit 1
SNAP0=$(snapshot)
LINKS0=$(links)
ROUTES0=$(routes)
ANYCAST0=$(anycast6)
QDISC0=$(in_ns client tc qdisc show dev "$CLIENT_IF")
check_match "before: the snapshot has its sections" '^## ip -6 neigh' \
	"$SNAP0"
check_eq "before: no IPv4 route at all" "" \
	"$(in_ns client ip -4 route show table main)"

start "first run"
running "first run"
xlatd_stop_ok "first run"
check_eq "after SIGTERM: system state as before" "$SNAP0" "$(snapshot)"
nothing_left "after SIGTERM"

start "second run"
running "second run"
xlatd_kill
nothing_left "after kill -9"
check_eq "after kill -9: system state as before" "$SNAP0" "$(snapshot)"

start "after kill -9, restart"
running "after kill -9, restart"
xlatd_stop_ok "restart"
nothing_left "restart, after SIGTERM"
check_eq "restart, after SIGTERM: system state as before" "$SNAP0" \
	"$(snapshot)"
lab_down

# Two uplinks: an instance on each, and with them a source rule each
# (from 192.0.0.x, protocol 88) so that replies leave through the
# instance they came in by. Rules belong to no device, so they are what a
# crash leaves on this kernel; the next start removes them.
lab_up --mode full --two-uplinks || exit 1
SNAP0=$(snapshot)
LINKS0=$(links)
CLAT_DEV=none
rules88() {
	in_ns client ip -4 rule show | grep -c ' proto 88'
}
both_running() {
	xlatctl status --json | python3 -c '
import json, sys
i = json.load(sys.stdin)["instances"]
sys.exit(not (len(i) == 2 and all(x["state"] == "running" for x in i)))'
}
two_uplinks() {
	local what=$1 dev
	if wait_for 15 both_running; then
		pass "$what: two instances running"
	else
		fail "$what: two instances running" "$(xlatd_log)"
	fi
	check_eq "$what: two TUN devices" 2 \
		"$(in_ns client ip -o link show type tun | wc -l)"
	check_eq "$what: one source rule per instance" 2 "$(rules88)"
	for dev in "$CLIENT_IF" "$CLIENT_IF_2"; do
		check_eq "$what: one program at $dev's tcx ingress" 1 \
			"$(tcx_ids "$dev" | grep -c .)"
	done
	check "$what: ping 203.0.113.10" \
		in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"
}
xlatd_start client v4-conncheck-delay=0 state-dir="$XLATD_DIR/state"
two_uplinks "two uplinks"
xlatd_kill
wait_for 3 test "$(links)" = "$LINKS0"
check_eq "two uplinks, after kill -9: no device" "$LINKS0" "$(links)"
check_eq "two uplinks, after kill -9: no route of protocol 88" "" \
	"$(in_ns client ip route show table all proto 88)"
for dev in "$CLIENT_IF" "$CLIENT_IF_2"; do
	check_eq "two uplinks, after kill -9: nothing at $dev's tcx ingress" \
		"" "$(tcx_ids "$dev")"
done
left=$(rules88)
check_eq "two uplinks, after kill -9: nothing else left than source rules" \
	"$SNAP0" "$(snapshot | grep -v ' proto 88$')"
: >"$XLATD_LOG"
xlatd_start client v4-conncheck-delay=0 state-dir="$XLATD_DIR/state"
two_uplinks "two uplinks, restart"
if [ "$left" -gt 0 ]; then
	check_match "two uplinks, restart: removed the $left stale rule(s)" \
		"^removed $left source rule\(s\) left by an earlier run\$" \
		"$(cat "$XLATD_LOG")"
else
	check_eq "two uplinks, restart: no stale rule reported" "" \
		"$(grep 'left by an earlier run' "$XLATD_LOG")"
fi
xlatd_stop_ok "two uplinks"
check_eq "two uplinks, after SIGTERM: system state as before" "$SNAP0" \
	"$(snapshot)"
check_eq "two uplinks, after SIGTERM: no device" "$LINKS0" "$(links)"
check_eq "two uplinks, after SIGTERM: no route of protocol 88" "" \
	"$(in_ns client ip route show table all proto 88)"
lab_down

summary
