# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Helpers for the lifecycle tests (one uplink): the first
# instance's status and counters from xlatctl --json, what xlatd put on
# the client (device, routes, eBPF, anycast), pings that are counted, and
# AddressSanitizer. Source after assert.sh, lab.sh and xlatd.sh.

LIFECYCLE_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# st KEY: KEY of the first instance in `xlatctl status --json` (empty
# for null or when there is no instance).
st() {
	xlatctl status --json 2>/dev/null | python3 -c '
import json, sys
i = json.load(sys.stdin)["instances"]
v = i[0].get(sys.argv[1]) if i else None
print("" if v is None else v)' "$1"
}

# st_is KEY VALUE
st_is() {
	[ "$(st "$1")" = "$2" ]
}

# st_running PREFIX SOURCE: running with PREFIX from SOURCE.
st_running() {
	local s
	s=$(xlatctl status --json 2>/dev/null) || return 1
	python3 -c '
import json, sys
i = json.loads(sys.argv[1])["instances"][0]
sys.exit(not (i["state"] == "running" and i["plat_prefix"] == sys.argv[2]
              and i["prefix_source"] == sys.argv[3]))' "$s" "$1" "$2"
}

# stats_json: the first instance's `xlatctl stats --json`.
stats_json() {
	xlatctl stats --json 2>/dev/null | python3 -c '
import json, sys
print(json.dumps(json.load(sys.stdin)["instances"][0], sort_keys=True))'
}

# all_counters: every counter of the first instance, as one line.
all_counters() {
	stats_json | sed 's/"uplink": "[^"]*", //'
}

# counted_delta N BEFORE AFTER: "ok" if the counters (stats_json) rose by
# exactly N ICMP packets each way (N echo requests 4->6, N replies 6->4),
# whichever path took them, and nothing else changed but the fast path's
# share (fast_path_packets, at most 2N); otherwise what did.
counted_delta() {
	python3 -c '
import json, sys
n = int(sys.argv[1])
b, a = json.loads(sys.argv[2]), json.loads(sys.argv[3])
def leaves(d, p=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from leaves(v, p + k + ".")
        elif isinstance(v, int):
            yield p + k, v
bl, al = dict(leaves(b)), dict(leaves(a))
d = {k: al[k] - bl.get(k, 0) for k in al if al[k] != bl.get(k, 0)}
s46 = ("ipv4_to_ipv6.icmp.in", "ipv4_to_ipv6.icmp.out")
s64 = ("ipv6_to_ipv4.icmp.in", "ipv6_to_ipv4.icmp.out")
fast = d.pop("fast_path_packets", 0)
i46, o46 = (d.pop(k, 0) for k in s46)
i64, o64 = (d.pop(k, 0) for k in s64)
bad = []
if d:
    bad.append("other counters changed: %s" % d)
if (i46, o46, i64, o64) != (n, n, n, n):
    bad.append("ICMP in/out 4->6 %d/%d, 6->4 %d/%d, not %d each" %
               (i46, o46, i64, o64, n))
if not 0 <= fast <= 2 * n:
    bad.append("fast path %d of %d" % (fast, 2 * n))
print("; ".join(bad) if bad else "ok (4->6 %d, 6->4 %d, fast path %d)" %
      (o46, o64, fast))' "$@"
}

# ping_counted WHAT N: N pings to SERVER4 through the CLAT, all answered,
# and the counters rise by exactly N ICMP packets each way, nothing else
# (see counted_delta).
ping_counted() {
	local what=$1 n=$2 before verdict
	before=$(stats_json)
	check "$what: $n pings to $SERVER4 through the CLAT" \
		in_ns client ping -n -q -c "$n" -i 0.2 -W 3 "$SERVER4"
	verdict=$(counted_delta "$n" "$before" "$(stats_json)")
	check_match "$what: counters rose by $n pings, nothing else" \
		'^ok' "$verdict" && echo "  $verdict"
}

# clat_ifindex DEV: the device's ifindex in the client, or nothing.
clat_ifindex() {
	in_ns client cat "/sys/class/net/$1/ifindex" 2>/dev/null
}

# routes88: xlatd's routes (protocol 88, RTPROT_XLATD) in every table.
routes88() {
	in_ns client ip -4 route show table all proto 88
}

# defaults4: every IPv4 default route of the client, in every table.
defaults4() {
	in_ns client ip -4 route show table all default
}

# tcx_progs: the eBPF programs on the uplink's tcx ingress, with the
# CLAT address in their map (tests/e2e/lib/bpf-attach.py).
tcx_progs() {
	in_ns client python3 "$LIFECYCLE_LIB/bpf-attach.py" "$CLIENT_IF"
}

# tcx_ids IFACE: the ids of the programs at the client's IFACE's tcx
# ingress, one a line; tcx_count IFACE: how many (nothing if the query
# fails).
tcx_ids() {
	in_ns client python3 "$LIFECYCLE_LIB/bpf-attach.py" --ids "$1"
}
tcx_count() {
	in_ns client python3 "$LIFECYCLE_LIB/bpf-attach.py" --count "$1"
}

# clsact_filters: eBPF filters on the uplink's clsact ingress (the
# fallback when there is no tcx).
clsact_filters() {
	in_ns client tc filter show dev "$CLIENT_IF" ingress 2>/dev/null |
		grep -c ' bpf ' || true
}

# anycast_has ADDR: the client holds ADDR as anycast (the CLAT address
# answers neighbour solicitations that way).
anycast_has() {
	local hex
	hex=$(python3 -c 'import socket, sys
print(socket.inet_pton(socket.AF_INET6, sys.argv[1]).hex())' "$1")
	in_ns client grep -q " $hex " /proc/net/anycast6
}

# client_addr_ready PREFIX: the client's uplink has a SLAAC address in
# PREFIX (like 2001:db8:1:1:), not tentative and not deprecated.
client_addr_ready() {
	in_ns client ip -6 -o addr show dev "$CLIENT_IF" scope global |
		grep -v -e tentative -e deprecated | grep -q " $1"
}

# xlatd_same_process: the xlatd started by xlatd_start still runs (same
# PID and start time: no restart).
XLATD_START_TIME=
xlatd_start_time() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	# shellcheck disable=SC2086 # split into fields
	set -- $s
	echo "${20}"
}
xlatd_remember() {
	XLATD_START_TIME=$(xlatd_start_time "$XLATD_PID")
}
xlatd_same_process() {
	[ -n "$XLATD_PID" ] && [ -n "$XLATD_START_TIME" ] &&
		[ "$(xlatd_start_time "$XLATD_PID")" = "$XLATD_START_TIME" ] &&
		[ "$(cat "/proc/$XLATD_PID/comm" 2>/dev/null)" = xlatd ]
}

# xlatd_sanitized: the xlatd under test was built with AddressSanitizer
# (meson's build-san runs the suite with its own).
xlatd_sanitized() {
	# not grep -q: readelf would die of SIGPIPE, and pipefail tell
	readelf -Ws "$XLATD" 2>/dev/null | grep ' __asan_init$' >/dev/null
}

# xlatd_use_asan: with a sanitizer build, leak checks on and every report
# in the log.
xlatd_use_asan() {
	xlatd_sanitized || return 0
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1
}

# xlatd_stop_clean WHAT: SIGTERM; exit status 0 and no sanitizer report
# in the log.
xlatd_stop_clean() {
	local bad
	xlatd_stop_ok "$1"
	bad=$(grep -E -m 3 'LeakSanitizer|AddressSanitizer|runtime error' \
		"$XLATD_LOG")
	check_eq "$1: no sanitizer report in the log" "" "$bad"
}

# check_one_bpf NAME: exactly one eBPF program on the uplink, at its tcx
# ingress or its clsact.
check_one_bpf() {
	check_eq "$1" 1 "$(($(tcx_progs | grep -c .) + $(clsact_filters)))"
}

# xlatd_stop_nothing_left STOP_NAME [PREFIX]: xlatd_stop_clean STOP_NAME,
# then "PREFIX: nothing left": no IPv4 route of xlatd's and no eBPF
# program on the uplink.
xlatd_stop_nothing_left() {
	local pre=${2:+$2: }
	xlatd_stop_clean "$1"
	check_eq "${pre}nothing left: IPv4 routes of xlatd" "" "$(routes88)"
	check_eq "${pre}nothing left: eBPF on $CLIENT_IF" "" "$(tcx_progs)"
}

# xlatd_start_uplink NAME [key=value ...]: xlatd in a new XLATD_DIR for
# the client's uplink (plat-dev, v4-conncheck-delay=1) with KEY=VALUEs,
# remembered (xlatd_remember); check NAME: running with PLAT_PREFIX from
# the RA within 15 s.
xlatd_start_uplink() {
	local name=$1
	shift
	XLATD_DIR=
	xlatd_start client plat-dev="$CLIENT_IF" v4-conncheck-delay=1 "$@"
	xlatd_remember
	if wait_for 15 st_running "$PLAT_PREFIX" ra; then
		pass "$name"
	else
		fail "$name" "state $(xlatd_state); $(xlatd_log)"
	fi
}

# notify_listen SOCKET LOG: the systemd side of sd_notify(3) on SOCKET,
# one line in LOG for each datagram, in the background (NOTIFY_PID),
# until notify_stop.
notify_listen() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", " ") + "\n")
        log.flush()' "$1" "$2" &
	NOTIFY_PID=$!
	wait_for 5 test -S "$1"
}

notify_stop() {
	[ -n "${NOTIFY_PID:-}" ] || return 0
	kill "$NOTIFY_PID" 2>/dev/null
	wait "$NOTIFY_PID" 2>/dev/null
	NOTIFY_PID=
}
# objects: what xlatd has on the client, normalised (ifindexes and
# program ids change when the data path is built again).
objects() {
	local v6
	v6=$(st clat_v6)
	echo "## devices"
	in_ns client ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2);
		print $2 }' | grep -v -e '^lo$' -e "^$CLIENT_IF\$" | sort
	echo "## IPv4 addresses"
	in_ns client ip -4 -o addr show | awk '{ print $2, $4 }' | sort
	echo "## IPv4 routes of xlatd, all tables"
	routes88 | sed 's/ *$//' | sort
	echo "## IPv4 default routes, all tables"
	defaults4 | sed 's/ *$//' | sort
	echo "## rules"
	in_ns client ip -4 rule show
	in_ns client ip -6 rule show
	echo "## eBPF on $CLIENT_IF"
	tcx_progs | sed 's/prog=[0-9]* //; s/tun_ifindex=[0-9]*/tun_ifindex=N/'
	echo "clsact filters: $(clsact_filters)"
	echo "## CLAT address $v6, anycast: $(anycast_has "$v6" && echo yes)"
}

# settled_running: running with the RA's prefix now and 2 s later.
settled_running() {
	st_running "$PLAT_PREFIX" ra && sleep 2 && st_running "$PLAT_PREFIX" ra
}

