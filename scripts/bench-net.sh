#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# bench-net.sh [--full] [--plat] [--time S]: network benchmark in the
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
# With --plat it measures the PLAT instead (docs/performance.md, "The
# PLAT"), in full labs with TAYGA and with xlat-siit (its fast path on,
# then off): the whole path (xlatd as the CLAT, TCP one stream and UDP
# 1200-byte packets per second), the PLAT alone (NAT64 from the client's
# IPv6: TCP and UDP 64-byte packets per second), and native IPv6 over the
# same namespaces and links (the plat-server link gets IPv6 for it). Then
# xlat-siit's resident memory with a /16 dynamic pool full: 65534 IPv6
# sources into a TUN device of its own, in a namespace of its own.
#
# Needs root, iperf3, tayga, python3. It builds a release tree in
# build-bench (as scripts/bench.sh does) unless XLATD and XLATCTL (and
# XLAT_SIIT) name the binaries. It stops only the processes it started
# and takes its lab down on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

full=0
plat=0
secs=5
while [ $# -gt 0 ]; do
	case $1 in
	--full) full=1 ;;
	--plat) plat=1 ;;
	--time)
		secs=$2
		shift
		;;
	-h | --help)
		sed -n '3,38s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "usage: $0 [--full] [--plat] [--time S]" >&2
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
	meson compile -C build-bench src/daemon/xlatd src/ctl/xlatctl \
		src/siit/xlat-siit >/dev/null
	XLATD=$root/build-bench/src/daemon/xlatd
	XLATCTL=$root/build-bench/src/ctl/xlatctl
	XLAT_SIIT=$root/build-bench/src/siit/xlat-siit
fi
XLATCTL=${XLATCTL:-$(dirname "$XLATD")/../ctl/xlatctl}
export XLAT_SIIT=${XLAT_SIIT:-$(dirname "$XLATD")/../siit/xlat-siit}

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

# ---- the PLAT ----

# native_v6: IPv6 on the plat-server link and routes to it, so that the
# client reaches the server natively over the namespaces and links the
# translated packets take. Prints the server's address.
native_v6() {
	local ns_r ns_p
	ns_r=$(env_get NS_ROUTER)
	ns_p=$(env_get NS_PLAT)
	ip -n "$ns_p" addr add 2001:db8:f9::1/64 dev v4up
	ip -n "$NS_SERVER" addr add 2001:db8:f9::2/64 dev s1 nodad
	ip -n "$ns_r" route add 2001:db8:f9::/64 via 2001:db8:f1::2
	ip -n "$NS_SERVER" route add "$CLIENT_PREFIX" via 2001:db8:f9::1
	ip netns exec "$ns_p" sysctl -qw net.ipv6.conf.all.forwarding=1
	echo 2001:db8:f9::2
}

env_get() {
	awk -F= -v k="$1" '$1 == k { sub(/^[^=]*=/, ""); print; exit }' \
		"$work/lab.env"
}

# plat_measure COLUMN DST6 [PID]: a column of the PLAT table. The whole
# path (if xlatd runs) to SERVER4, the PLAT alone to DST6.
plat_measure() {
	local col=$1 dst6=$2 pid=${3:-} out=$work/plat-$1.res dst
	echo "  $col" >&2
	rm -f "$work/rss"
	if [ -n "$pid" ]; then
		rss_watch "$pid" &
		mon_pid=$!
	fi
	{
		# the whole path: through xlatd, or natively for "native"
		dst=$SERVER4
		[ -n "$xlatd_pid" ] || dst=$dst6
		echo "path_tcp $(iperf -c "$dst" |
			json 'round(e["sum_received"]["bits_per_second"] / 1e9, 2)')"
		echo "path_udp $(iperf -c "$dst" -u -l 1200 -b 0 |
			json 'round((e["sum"]["packets"] - e["sum"]["lost_packets"]) / e["sum"]["seconds"] / 1e3, 1)')"
		echo "alone_tcp $(iperf -c "$dst6" |
			json 'round(e["sum_received"]["bits_per_second"] / 1e9, 2)')"
		echo "alone_udp $(iperf -c "$dst6" -u -l 64 -b 0 |
			json 'round((e["sum"]["packets"] - e["sum"]["lost_packets"]) / e["sum"]["seconds"] / 1e3, 1)')"
	} >"$out"
	if [ -n "$mon_pid" ]; then
		kill "$mon_pid" 2>/dev/null || true
		wait "$mon_pid" 2>/dev/null || true
		mon_pid=
		echo "rss $(awk '{ printf "%.1f", $1 / 1024 }' "$work/rss" 2>/dev/null || echo -)" >>"$out"
	fi
}

# plat_lab COLUMN PLAT [lab.sh up options]: a full lab with PLAT, xlatd
# in the client with its fast path on (off with --plat-slow), measured.
plat_lab() {
	local col=$1 which=$2 pid key=fast-path=auto
	shift 2
	echo "lab with $col: up" >&2
	lab_id=bn$$
	"$LAB" up --id "$lab_id" --mode full --plat "$which" --no-dad "$@" \
		>"$work/lab.env"
	eval "$(cat "$work/lab.env")"
	[[ " $* " != *" --plat-slow "* ]] || key=fast-path=off
	if [ "$col" = siit-fast ]; then
		plat_measure native "$(native_v6)"
	fi
	pid=$(ip netns pids "$(env_get NS_PLAT)" | head -n 1)
	"$LAB" --id "$lab_id" exec client "$XLATD" -c "$work/empty.conf" \
		control-socket="$work/xlatd.sock" state-dir="$work" \
		plat-prefix="$PLAT_PREFIX" v4-conncheck-delay=1 "$key" \
		>"$work/xlatd-$col.log" 2>&1 &
	xlatd_pid=$!
	for _ in $(seq 150); do
		[ "$(xlatd_state)" = running ] && break
		sleep 0.1
	done
	plat_measure "$col" "$SERVER6" "$pid"
	cleanup
}

# plat_rss: xlat-siit's peak VmRSS (MiB) with a /16 pool full, in a
# namespace of its own: 65534 IPv6 sources, one packet each.
plat_rss() {
	local ns=bn$$-rss d=$work/rss16 pid n
	mkdir -p "$d"
	printf '%s\n' "tun-device nat64" "ipv4-addr 10.255.0.1" \
		"prefix 2001:db8:64::/96" "dynamic-pool 10.64.0.0/16" >"$d/tayga.conf"
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" "$XLAT_SIIT" --mktun -c "$d/tayga.conf" >/dev/null
	ip -n "$ns" link set nat64 up
	ip -n "$ns" route add 2001:db8:64::/96 dev nat64
	ip netns exec "$ns" "$XLAT_SIIT" -n -c "$d/tayga.conf" \
		-s "$d/control.sock" >"$d/log" 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		[ -S "$d/control.sock" ] && break
		sleep 0.1
	done
	# Rounds, until every source has its address: what overflows the TUN
	# device's queue in one round comes again in the next (the others
	# take the fast path then).
	for _ in $(seq 20); do
		ip netns exec "$ns" python3 "$root/tests/e2e/lib/packets.py" \
			flood6 --src-prefix 2001:db8:cafe::/64 --sources 65534 \
			--dst 2001:db8:64::cb00:710a >/dev/null
		sleep 0.5
		n=$("$XLATCTL" status -s "$d/control.sock" --json |
			python3 -c 'import json, sys; print(json.load(sys.stdin)["pool_probation"])')
		[ "$n" -ge 65534 ] && break
	done
	echo "rss16 $(awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status") $n" \
		>"$work/plat-rss.res"
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	ip netns exec "$ns" "$XLAT_SIIT" --rmtun -c "$d/tayga.conf" >/dev/null
	ip netns del "$ns"
}

# plat_table: the Markdown table of the PLAT.
plat_table() {
	python3 - "$work" <<-'EOF'
		import sys
		work = sys.argv[1]
		cols = [("native", "native IPv6"), ("tayga", "TAYGA 0.9.2"),
		        ("siit-fast", "xlat-siit, fast path"),
		        ("siit-slow", "xlat-siit, no fast path")]
		rows = [("path_tcp", "whole path, TCP 1 stream, Gbit/s"),
		        ("path_udp", "whole path, UDP 1200 B, kpps"),
		        ("alone_tcp", "PLAT alone, TCP 1 stream, Gbit/s"),
		        ("alone_udp", "PLAT alone, UDP 64 B, kpps"),
		        ("rss", "PLAT daemon peak VmRSS, MiB")]
		res = {}
		for c, _ in cols:
		    res[c] = {}
		    for line in open(f"{work}/plat-{c}.res"):
		        k, _, v = line.strip().partition(" ")
		        res[c][k] = v
		def num(v):
		    try:
		        return float(v)
		    except ValueError:
		        return None
		print("\n### The PLAT: TAYGA and xlat-siit, xlatd as the CLAT\n")
		print("| measure | " + " | ".join(n for _, n in cols) + " |")
		print("|---" * (len(cols) + 1) + "|")
		for k, name in rows:
		    base = num(res["native"].get(k, "-"))
		    cells = []
		    for c, _ in cols:
		        v = res[c].get(k, "-")
		        x = num(v)
		        if c != "native" and k != "rss" and x is not None and base:
		            v = f"{v} ({x / base:.2f})"
		        cells.append(v)
		    print(f"| {name} | " + " | ".join(cells) + " |")
		t, f = num(res["tayga"].get("path_tcp", "-")), \
		    num(res["siit-fast"].get("path_tcp", "-"))
		if t and f:
		    print(f"\nwhole path, TCP: xlat-siit {f / t:.1f}x TAYGA")
		rss = open(f"{work}/plat-rss.res").read().split()
		print(f"xlat-siit VmRSS with a /16 pool full ({rss[2]} mappings): "
		      f"{rss[1]} MiB")
	EOF
}

plat_bench() {
	: >"$work/empty.conf"
	plat_lab siit-fast xlat-siit
	plat_lab siit-slow xlat-siit --plat-slow
	plat_lab tayga tayga
	echo "  xlat-siit with a /16 pool" >&2
	plat_rss
	plat_table
}

echo "# $(date -u +%F), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), kernel $(uname -r)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg); iperf3 -t $secs; xlatd $("$XLATD" --version | cut -d' ' -f2), $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
if [ "$plat" = 1 ]; then
	plat_bench
else
	bench clat-alone
	[ "$full" = 1 ] && bench full
fi
echo
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ratios to native in parentheses (RTT: higher is worse)"
