#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# bench-net.sh [--full] [--time S] [--keep-build]: network benchmark in the
# namespace lab (not a test; docs/performance.md, "Network benchmark").
#
# In a clat-alone lab (scripts/lab/lab.sh; the server answers natively on
# 2001:db8:64::cb00:710a) it measures four paths, one after the other:
#   native   IPv6 from the client straight to 2001:db8:64::cb00:710a
#   fast     xlatd fast-path=auto, IPv4 to 203.0.113.10
#   slow     xlatd fast-path=off (the TUN slow path only)
#   tayga    TAYGA as a CLAT, set up the way clatd 2.x sets it up
# With --full it then does the same in a full lab, with TAYGA as the
# PLAT; "native" is there IPv6 to the server's synthesized address, i.e.
# through the PLAT alone.
#
# For each path: iperf3 TCP, one stream, 4 streams (-P 4) and reverse
# (-R); iperf3 UDP with 1200-byte datagrams as fast as the sender goes
# (-b 0), packets per second received and loss; ping RTT (50 pings, 10 ms
# apart); and for xlatd its peak VmRSS during the TCP runs. Prints a
# Markdown table with each figure and its ratio to native. Each iperf3
# run lasts --time seconds (default 5); the whole benchmark takes about
# two minutes per lab.
#
# Needs root, iperf3, tayga, python3. It builds a release tree in
# build-bench (as scripts/bench.sh does) unless XLATD and XLATCTL name the
# binaries. It stops only the processes it started and takes its lab
# down on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

full=0
secs=5
while [ $# -gt 0 ]; do
	case $1 in
	--full) full=1 ;;
	--time)
		secs=$2
		shift
		;;
	-h | --help)
		sed -n '3,29s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "usage: $0 [--full] [--time S]" >&2
		exit 2
		;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || {
	echo "$0: needs root (network namespaces)" >&2
	exit 1
}
for p in iperf3 tayga python3 ping; do
	command -v "$p" >/dev/null || {
		echo "$0: $p is missing (scripts/setup-deps.sh)" >&2
		exit 1
	}
done

if [ -z "${XLATD:-}" ]; then
	if [ ! -f build-bench/build.ninja ]; then
		meson setup build-bench --buildtype=release >/dev/null
	fi
	meson compile -C build-bench src/daemon/xlatd src/ctl/xlatctl >/dev/null
	XLATD=$root/build-bench/src/daemon/xlatd
	XLATCTL=$root/build-bench/src/ctl/xlatctl
fi
XLATCTL=${XLATCTL:-$(dirname "$XLATD")/../ctl/xlatctl}

LAB=$root/scripts/lab/lab.sh
export XLAB_OWNER=${XLAB_OWNER:-bench-net}
work=$(mktemp -d /tmp/bench-net.XXXXXX)
lab_id=
xlatd_pid=
tayga_pid=
mon_pid=

cleanup() {
	local pid
	for pid in "$mon_pid" "$xlatd_pid" "$tayga_pid"; do
		[ -n "$pid" ] || continue
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	mon_pid=''
	xlatd_pid=''
	tayga_pid=''
	[ -n "$lab_id" ] && "$LAB" down "$lab_id" >/dev/null 2>&1
	lab_id=
}
trap 'cleanup; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

in_client() {
	"$LAB" --id "$lab_id" exec client "$@"
}

# The key fast-path may not exist in this build yet: xlatd stops at the
# first bad setting, so a bad value after it shows whether it is known.
has_key() {
	local err
	: >"$work/empty.conf"
	err=$("$XLATD" -c "$work/empty.conf" "$1" clat-v4-addr=- 2>&1) || true
	[[ $err != *"unknown key '${1%%=*}'"* ]]
}

# iperf3 ARGS...: one iperf3 client run in the client namespace; prints
# its JSON, or nothing if it failed.
iperf() {
	in_client timeout $((secs + 15)) iperf3 --json -t "$secs" \
		-p "$SERVER_IPERF_PORT" "$@" 2>/dev/null || true
}

# json EXPR: a figure from iperf3's JSON on stdin, "-" when there is none.
json() {
	python3 -c '
import json, sys
try:
    j = json.load(sys.stdin)
    e = j["end"]
    print(eval(sys.argv[1]))
except Exception:
    print("-")' "$1"
}

# rss_watch PID: the peak VmRSS of PID (kB) into $work/rss until killed.
rss_watch() {
	local peak=0 v
	while :; do
		v=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' \
			"/proc/$1/status" 2>/dev/null) || v=
		if [ -n "$v" ] && [ "$v" -gt "$peak" ]; then
			peak=$v
			echo "$peak" >"$work/rss"
		fi
		sleep 0.2
	done
}

# measure PATH DST [PID]: every figure for one path; PID is xlatd's.
measure() {
	local path=$1 dst=$2 pid=${3:-}
	local out=$work/$path.res
	echo "  $path: TCP" >&2
	rm -f "$work/rss"
	if [ -n "$pid" ]; then
		rss_watch "$pid" &
		mon_pid=$!
	fi
	{
		echo "tcp1 $(iperf -c "$dst" |
			json 'round(e["sum_received"]["bits_per_second"] / 1e9, 2)')"
		echo "tcp4 $(iperf -c "$dst" -P 4 |
			json 'round(e["sum_received"]["bits_per_second"] / 1e9, 2)')"
		echo "tcpr $(iperf -c "$dst" -R |
			json 'round(e["sum_received"]["bits_per_second"] / 1e9, 2)')"
	} >"$out"
	if [ -n "$mon_pid" ]; then
		kill "$mon_pid" 2>/dev/null || true
		wait "$mon_pid" 2>/dev/null || true
		mon_pid=
	fi
	echo "  $path: UDP, ping" >&2
	iperf -c "$dst" -u -l 1200 -b 0 >"$work/udp.json"
	{
		echo "udp $(json 'round((e["sum"]["packets"] - e["sum"]["lost_packets"]) / e["sum"]["seconds"] / 1e3, 1)' <"$work/udp.json")"
		echo "loss $(json 'round(e["sum"]["lost_percent"], 1)' <"$work/udp.json")"
		echo "rtt $(in_client ping -q -c 50 -i 0.01 -W 1 "$dst" 2>/dev/null |
			sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p' |
			grep . || echo -)"
		if [ -s "$work/rss" ]; then
			echo "rss $(awk '{ printf "%.1f", $1 / 1024 }' "$work/rss")"
		else
			echo "rss -"
		fi
	} >>"$out"
}

# na PATH: the row of a path that could not run.
na() {
	printf '%s\n' tcp1 tcp4 tcpr udp loss rtt rss |
		sed 's/$/ n\/a/' >"$work/$1.res"
}

xlatd_state() {
	in_client "$XLATCTL" status -s "$work/xlatd.sock" --json 2>/dev/null |
		python3 -c 'import json,sys
i = json.load(sys.stdin)["instances"]
print(i[0]["state"] if i else "none")' 2>/dev/null || true
}

# run_xlatd PATH MODE: xlatd with fast-path=MODE, measured as PATH.
run_xlatd() {
	local path=$1 key=fast-path=$2
	if ! has_key "$key"; then
		# Without the key every packet takes the slow path.
		if [ "$2" != off ]; then
			echo "  $path: this xlatd has no fast-path key: n/a" >&2
			na "$path"
			return
		fi
		echo "  $path: this xlatd has no fast-path key: run without" >&2
		key=debug=0
	fi
	# not through in_client: $! must be xlatd itself (lab.sh execs it)
	"$LAB" --id "$lab_id" exec client "$XLATD" -c "$work/empty.conf" \
		control-socket="$work/xlatd.sock" state-dir="$work" \
		plat-prefix="$PLAT_PREFIX" v4-conncheck-delay=1 \
		"$key" >"$work/xlatd-$path.log" 2>&1 &
	xlatd_pid=$!
	for _ in $(seq 150); do
		[ "$(xlatd_state)" = running ] && break
		sleep 0.1
	done
	if [ "$(xlatd_state)" != running ]; then
		echo "  $path: xlatd did not reach running:" >&2
		tail -n 5 "$work/xlatd-$path.log" >&2
		na "$path"
	else
		measure "$path" "$SERVER4" "$xlatd_pid"
	fi
	kill -TERM "$xlatd_pid" 2>/dev/null || true
	wait "$xlatd_pid" 2>/dev/null || true
	xlatd_pid=
}

# run_tayga: TAYGA as a CLAT in the client namespace, as clatd 2.x sets it
# up: a TUN "clat", TAYGA's own IPv4 address 192.0.0.2, the host's
# 192.0.0.1 mapped to a CLAT IPv6 address from the uplink's prefix, IPv6
# forwarding on (accept_ra=2 first, so the RA routes stay), proxy-ND for
# the CLAT address on the uplink, a route to it into the TUN, and the
# IPv4 default route into the TUN with the uplink MTU minus 28 (clatd's
# v4-defaultroute-mtu). Undone afterwards, TUN included.
run_tayga() {
	local clat6=${CLIENT_PREFIX%%/*}c1a7 mtu
	mtu=$(in_client cat "/sys/class/net/$CLIENT_IF/mtu")
	cat >"$work/tayga.conf" <<-EOF
		tun-device clat
		prefix $PLAT_PREFIX
		ipv4-addr 192.0.0.2
		map 192.0.0.1 $clat6
	EOF
	in_client tayga -c "$work/tayga.conf" --mktun >/dev/null
	in_client sh -e -c "
		ip link set dev clat up
		ip -4 address add 192.0.0.1/32 dev clat
		ip -6 route add $clat6 dev clat
		sysctl -qw net.ipv6.conf.$CLIENT_IF.accept_ra=2
		sysctl -qw net.ipv6.conf.all.forwarding=1
		sysctl -qw net.ipv6.conf.$CLIENT_IF.proxy_ndp=1
		ip -6 neigh add proxy $clat6 dev $CLIENT_IF
		ip -4 route add default dev clat mtu $((mtu - 28)) advmss $((mtu - 68))"
	"$LAB" --id "$lab_id" exec client tayga -d -c "$work/tayga.conf" \
		>"$work/tayga.log" 2>&1 &
	tayga_pid=$!
	for _ in $(seq 50); do
		in_client ping -q -c 1 -W 1 "$SERVER4" >/dev/null 2>&1 && break
		sleep 0.1
	done
	measure tayga "$SERVER4"
	kill -TERM "$tayga_pid" 2>/dev/null || true
	wait "$tayga_pid" 2>/dev/null || true
	tayga_pid=
	in_client sh -c "
		ip -4 route del default dev clat
		ip -6 neigh del proxy $clat6 dev $CLIENT_IF
		sysctl -qw net.ipv6.conf.$CLIENT_IF.proxy_ndp=0
		sysctl -qw net.ipv6.conf.all.forwarding=0
		sysctl -qw net.ipv6.conf.$CLIENT_IF.accept_ra=1
		tayga -c $work/tayga.conf --rmtun" >/dev/null 2>&1 || true
}

# table TITLE: the Markdown table of the four paths in $work.
table() {
	python3 - "$1" "$work" <<-'EOF'
		import sys
		title, work = sys.argv[1], sys.argv[2]
		paths = [("native", "native IPv6"), ("fast", "xlatd fast path"),
		         ("slow", "xlatd slow path"), ("tayga", "TAYGA CLAT")]
		rows = [("tcp1", "TCP 1 stream, Gbit/s"), ("tcp4", "TCP 4 streams, Gbit/s"),
		        ("tcpr", "TCP reverse, Gbit/s"), ("udp", "UDP 1200 B, kpps received"),
		        ("loss", "UDP loss, %"), ("rtt", "ping RTT avg, ms"),
		        ("rss", "xlatd peak VmRSS, MiB")]
		res = {}
		for p, _ in paths:
		    res[p] = {}
		    for line in open(f"{work}/{p}.res"):
		        k, _, v = line.strip().partition(" ")
		        res[p][k] = v
		def num(v):
		    try:
		        return float(v)
		    except ValueError:
		        return None
		print(f"\n### {title}\n")
		print("| measure | " + " | ".join(n for _, n in paths) + " |")
		print("|---" * (len(paths) + 1) + "|")
		for k, name in rows:
		    cells = []
		    base = num(res["native"].get(k, "-"))
		    for p, _ in paths:
		        v = res[p].get(k, "-")
		        x = num(v)
		        if p != "native" and k not in ("loss", "rss") and x is not None and base:
		            v = f"{v} ({x / base:.2f})"
		        cells.append(v)
		    print(f"| {name} | " + " | ".join(cells) + " |")
	EOF
}

# bench MODE: one lab of MODE, every path.
bench() {
	local mode=$1 env
	echo "lab $mode: up" >&2
	lab_id=bn$$
	env=$("$LAB" up --id "$lab_id" --mode "$mode" --no-dad)
	eval "$env"
	echo "  native" >&2
	measure native "$SERVER6"
	run_xlatd fast auto
	run_xlatd slow off
	echo "  tayga" >&2
	run_tayga
	cleanup
	if [ "$mode" = full ]; then
		table "Full 464XLAT (TAYGA as the PLAT); native = IPv6 through the PLAT alone"
	else
		table "CLAT alone (server answers on the synthesized IPv6 address)"
	fi
}

echo "# $(date -u +%F), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), kernel $(uname -r)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg); iperf3 -t $secs; xlatd $("$XLATD" --version | cut -d' ' -f2), $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
bench clat-alone
[ "$full" = 1 ] && bench full
echo
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ratios to native in parentheses (RTT: higher is worse)"
