#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# bench-net.sh [--full] [--plat] [--router [--repeat N]] [--one-cpu N]
# [--time S]: network benchmark in the namespace lab (not a test;
# docs/performance.md, "Network benchmark").
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
# With --router it measures a router instead (docs/performance.md, "A
# router"), in a clat-alone lab with --mesh: the client is the gateway,
# the same four paths are measured from hood 1 behind it, and the server
# answers natively on the synthesized IPv6 address, so no PLAT is in the
# way. native is IPv6 from a /64 of the delegated prefix on the hood link;
# xlatd runs as the recipe of docs/router.md has it (clat-v6-addr, SNAT to
# 192.0.0.1 in iptables), then with router mode's own NAT44 (router-lan,
# xlatd's nftables table, router-lan-fast-path = yes), then with the
# stateless mapping (router-mode = stateless, hood 1's prefix into a /96
# of the delegated /64, no NAT44, router-lan-fast-path = yes), and TAYGA
# as clatd would run it for that recipe. It adds UDP counted where it
# reaches the server's link, with 1200- and 64-byte datagrams, each run
# after a 3-second warm-up of the same flow, and the translator's CPU
# time (its process and its eBPF programs) per 64-byte packet. --repeat N
# measures every path N times, one after the other in each round, and
# prints the median of each figure.
#
# --one-cpu N runs the iperf3 client and server, xlatd and TAYGA on CPU N
# alone (taskset); the kernel's work for a packet sent over the lab's veth
# links stays on the sender's CPU, so each figure is then what one CPU does
# for the whole path, translator included, and a translator in a process
# of its own gets no second CPU.
#
# Needs root, iperf3, tayga, python3 (and bpftool with --router). It
# builds a release tree in build-bench (as scripts/bench.sh does) unless
# XLATD and XLATCTL (and XLAT_SIIT) name the binaries. It stops only the
# processes it started and takes its lab down on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

full=0
plat=0
router=0
rounds=1
pin=()
secs=5
while [ $# -gt 0 ]; do
	case $1 in
	--full) full=1 ;;
	--plat) plat=1 ;;
	--router) router=1 ;;
	--repeat)
		rounds=$2
		shift
		;;
	--one-cpu)
		pin=(taskset -c "$2")
		shift
		;;
	--time)
		secs=$2
		shift
		;;
	-h | --help)
		sed -n '3,61s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "usage: $0 [--full] [--plat] [--router [--repeat N]]" \
			"[--one-cpu N] [--time S]" >&2
		exit 2
		;;
	esac
	shift
done
[ "$(id -u)" = 0 ] || {
	echo "$0: needs root (network namespaces)" >&2
	exit 1
}
deps=(iperf3 tayga python3 ping)
[ "$router" = 0 ] || deps+=(bpftool)
for p in "${deps[@]}"; do
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
# where the traffic starts (hood1 with --router), and xlatd's settings
# beyond the path's own; with link_pps=1 (--router), UDP is also counted
# where it reaches the server's link (what the router forwarded, however
# many of those packets the iperf3 server then reads)
src_role=client
xlatd_args=()
link_pps=0

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

in_src() {
	"$LAB" --id "$lab_id" exec "$src_role" "$@"
}

# The key fast-path may not exist in this build yet: xlatd stops at the
# first bad setting, so a bad value after it shows whether it is known.
has_key() {
	local err
	: >"$work/empty.conf"
	err=$("$XLATD" -c "$work/empty.conf" "$1" clat-v4-addr=- 2>&1) || true
	[[ $err != *"unknown key '${1%%=*}'"* ]]
}

# iperf3 ARGS...: one iperf3 client run in $src_role's namespace; prints
# its JSON, or nothing if it failed.
iperf() {
	in_src timeout $((secs + 15)) "${pin[@]}" iperf3 --json -t "$secs" \
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

# thousands of datagrams per second received, from iperf3's UDP JSON
# link_kpps's UDP flows: one source port, so that a warm-up and the run
# after it are one flow for conntrack.
UDP_CPORT=40999

KPPS='round((e["sum"]["packets"] - e["sum"]["lost_packets"]) / e["sum"]["seconds"] / 1e3, 1)'

# server_rx: the packets received on the server's links, all together.
server_rx() {
	ip -n "$NS_SERVER" -s -j link show | python3 -c '
import json, sys
print(sum(l["stats64"]["rx"]["packets"] for l in json.load(sys.stdin)
          if l["ifname"] != "lo"))'
}

# cpu_ns PID: the CPU time of PID and its children so far (user and
# system), and the run time of the eBPF programs they hold while
# bpf_stats runs, in nanoseconds.
cpu_ns() {
	local p ids=() t=0
	for p in "$1" $(pgrep -P "$1"); do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
		mapfile -t -O "${#ids[@]}" ids < <(sed -n 's/^prog_id:[[:space:]]*//p' \
			"/proc/$p"/fdinfo/* 2>/dev/null)
	done
	t=$((t * 1000000000 / $(getconf CLK_TCK)))
	for p in $(printf '%s\n' "${ids[@]}" | sort -u); do
		t=$((t + $(bpftool prog show id "$p" --json |
			python3 -c 'import json, sys
print(json.load(sys.stdin).get("run_time_ns", 0))')))
	done
	echo "$t"
}

# bpf_stats SECONDS: the kernel times eBPF programs while this runs
# (BPF_ENABLE_STATS: until the file descriptor closes).
bpf_stats() {
	python3 -c 'import ctypes, sys, time
libc = ctypes.CDLL(None, use_errno=True)
attr = (ctypes.c_uint32 * 2)(0, 0)  # BPF_STATS_RUN_TIME
if libc.syscall(321, 32, attr, ctypes.sizeof(attr)) < 0:  # bpf, ENABLE_STATS
    sys.exit("bpf_stats: errno %d" % ctypes.get_errno())
time.sleep(float(sys.argv[1]))' "$1"
}

# link_kpps DST SIZE [PID]: iperf3 UDP with SIZE-byte datagrams to DST as
# fast as the sender goes; thousands of packets per second that reached
# the server's links, and with PID the CPU time of that process (and its
# children, and their eBPF programs) per packet, in microseconds; "-" for
# what failed.
link_kpps() {
	local n0 n1 c0=0 c1=0 t spid=
	# The same flow (source port) as a 3-second warm-up before: conntrack
	# holds it as an established stream (ASSURED) by then, as a router's
	# long flows are, which NAT44's LAN-side fast path waits for.
	in_src timeout 20 "${pin[@]}" iperf3 -t 3 -p "$SERVER_IPERF_PORT" \
		-c "$1" -u -l "$2" -b 0 --cport "$UDP_CPORT" >/dev/null 2>&1 || true
	if [ -n "${3:-}" ]; then
		bpf_stats $((secs + 20)) &
		spid=$!
		sleep 0.3
		c0=$(cpu_ns "$3")
	fi
	n0=$(server_rx)
	t=$(iperf -c "$1" -u -l "$2" -b 0 --cport "$UDP_CPORT" |
		json 'e["sum"]["seconds"]')
	n1=$(server_rx)
	if [ -n "$spid" ]; then
		c1=$(cpu_ns "$3")
		kill "$spid" 2>/dev/null || true
		wait "$spid" 2>/dev/null || true
	fi
	python3 -c 'import sys
n0, n1, c0, c1 = map(int, sys.argv[1:5])
try:
    kpps = round((n1 - n0) / float(sys.argv[5]) / 1e3, 1)
except ValueError:
    kpps = "-"
us = "-"
if sys.argv[6] and n1 > n0:
    us = round((c1 - c0) / (n1 - n0) / 1e3, 2)
print(kpps, us)' "$n0" "$n1" "$c0" "$c1" "$t" "${3:-}"
}

# measure PATH DST [PID]: every figure for one path; PID is xlatd's.
measure() {
	local path=$1 dst=$2 pid=${3:-} k c
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
		echo "udp $(json "$KPPS" <"$work/udp.json")"
		echo "loss $(json 'round(e["sum"]["lost_percent"], 1)' <"$work/udp.json")"
		if [ "$link_pps" = 1 ]; then
			read -r k c <<<"$(link_kpps "$dst" 1200)"
			echo "udplink $k"
			read -r k c <<<"$(link_kpps "$dst" 64 "$pid")"
			echo "udp64 $k"
			echo "udp64cpu $c"
		fi
		echo "rtt $(in_src ping -q -c 50 -i 0.01 -W 1 "$dst" 2>/dev/null |
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
	"$LAB" --id "$lab_id" exec client "${pin[@]}" "$XLATD" \
		-c "$work/empty.conf" control-socket="$work/xlatd.sock" \
		state-dir="$work" plat-prefix="$PLAT_PREFIX" v4-conncheck-delay=1 \
		"${xlatd_args[@]}" "$key" >"$work/xlatd-$path.log" 2>&1 &
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

# tayga_measure CLAT6 SETUP UNDO: TAYGA as clatd 2.x runs it, measured as
# the path "tayga": its configuration as clatd writes it (a TUN "clat",
# TAYGA's own IPv4 address 192.0.0.2, the host's 192.0.0.1 mapped to
# CLAT6), the TUN up with 192.0.0.1 and a route to CLAT6, the shell
# commands SETUP, and the IPv4 default route into the TUN with the
# uplink's MTU minus 28 (clatd's v4-defaultroute-mtu). Afterwards TAYGA
# stopped, the route removed, UNDO run and the TUN removed.
tayga_measure() {
	local mtu
	mtu=$(in_client cat "/sys/class/net/$CLIENT_IF/mtu")
	cat >"$work/tayga.conf" <<-EOF
		tun-device clat
		prefix $PLAT_PREFIX
		ipv4-addr 192.0.0.2
		map 192.0.0.1 $1
	EOF
	echo "  tayga" >&2
	in_client tayga -c "$work/tayga.conf" --mktun >/dev/null
	in_client sh -e -c "
		ip link set dev clat up
		ip -4 address add 192.0.0.1/32 dev clat
		ip -6 route add $1 dev clat
		$2
		ip -4 route add default dev clat mtu $((mtu - 28)) advmss $((mtu - 68))"
	"$LAB" --id "$lab_id" exec client "${pin[@]}" tayga -d \
		-c "$work/tayga.conf" >"$work/tayga.log" 2>&1 &
	tayga_pid=$!
	for _ in $(seq 50); do
		in_src ping -q -c 1 -W 1 "$SERVER4" >/dev/null 2>&1 && break
		sleep 0.1
	done
	measure tayga "$SERVER4" "$tayga_pid"
	kill -TERM "$tayga_pid" 2>/dev/null || true
	wait "$tayga_pid" 2>/dev/null || true
	tayga_pid=
	in_client sh -c "
		ip -4 route del default dev clat
		$3
		tayga -c $work/tayga.conf --rmtun" >/dev/null 2>&1 || true
}

# run_tayga: TAYGA as a CLAT in the client namespace, as clatd 2.x sets it
# up for the host: the CLAT address from the uplink's prefix, IPv6
# forwarding on (accept_ra=2 first, so the RA routes stay) and proxy-ND
# for the CLAT address on the uplink. Undone afterwards.
run_tayga() {
	local clat6=${CLIENT_PREFIX%%/*}c1a7
	tayga_measure "$clat6" "
		sysctl -qw net.ipv6.conf.$CLIENT_IF.accept_ra=2
		sysctl -qw net.ipv6.conf.all.forwarding=1
		sysctl -qw net.ipv6.conf.$CLIENT_IF.proxy_ndp=1
		ip -6 neigh add proxy $clat6 dev $CLIENT_IF" "
		ip -6 neigh del proxy $clat6 dev $CLIENT_IF
		sysctl -qw net.ipv6.conf.$CLIENT_IF.proxy_ndp=0
		sysctl -qw net.ipv6.conf.all.forwarding=0
		sysctl -qw net.ipv6.conf.$CLIENT_IF.accept_ra=1"
}

# table TITLE [TAYGA]: the Markdown table of the four paths in $work;
# TAYGA names the last column (default "TAYGA CLAT").
table() {
	python3 - "$1" "$work" "${2:-TAYGA CLAT}" <<-'EOF'
		import sys
		title, work, tayga = sys.argv[1:4]
		import os
		paths = [("native", "native IPv6"), ("fast", "xlatd fast path"),
		         ("slow", "xlatd slow path"), ("tayga", tayga)]
		# --router: xlatd's own NAT44 and the stateless mapping too
		if os.path.exists(f"{work}/stateless.res"):
		    paths.insert(2, ("stateless", "xlatd stateless, LAN fast path"))
		if os.path.exists(f"{work}/nat44keys.res"):
		    paths.insert(2, ("nat44keys", "xlatd NAT44 keys, LAN fast path"))
		rows = [("tcp1", "TCP 1 stream, Gbit/s"), ("tcp4", "TCP 4 streams, Gbit/s"),
		        ("tcpr", "TCP reverse, Gbit/s"), ("udp", "UDP 1200 B, kpps received"),
		        ("loss", "UDP loss, %"),
		        ("udplink", "UDP 1200 B, kpps at the server's link"),
		        ("udp64", "UDP 64 B, kpps at the server's link"),
		        ("udp64cpu", "UDP 64 B, translator CPU per packet, us"),
		        ("rtt", "ping RTT avg, ms"), ("rss", "translator peak VmRSS, MiB")]
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
		    if k not in res["native"]:
		        continue
		    cells = []
		    base = num(res["native"].get(k, "-"))
		    for p, _ in paths:
		        v = res[p].get(k, "-")
		        x = num(v)
		        if p != "native" and k not in ("loss", "rss", "udp64cpu") and x is not None and base:
		            v = f"{v} ({x / base:.2f})"
		        cells.append(v)
		    print(f"| {name} | " + " | ".join(cells) + " |")
		ratios = []
		for k in ("tcp1", "udp", "udplink", "udp64"):
		    f, t = num(res["fast"].get(k, "-")), num(res["tayga"].get(k, "-"))
		    if f and t:
		        ratios.append(f"{k} {f / t:.1f}x")
		if ratios:
		    print(f"\nxlatd fast path / {tayga}: " + ", ".join(ratios))
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
	run_tayga
	cleanup
	if [ "$mode" = full ]; then
		table "Full 464XLAT (TAYGA as the PLAT); native = IPv6 through the PLAT alone"
	else
		table "CLAT alone (server answers on the synthesized IPv6 address)"
	fi
}

# ---- a router ----

# run_tayga_router: TAYGA as the gateway's CLAT, as clatd would run it for
# the recipe of docs/router.md: the off-link CLAT address (the gateway
# forwards already, and the address needs no proxy-ND), with the recipe's
# SNAT (set up by bench_router).
run_tayga_router() {
	tayga_measure "$MESH_CLAT6" : :
}

# pin_server: the lab's iperf3 server on the CPU of --one-cpu, if given.
pin_server() {
	local pid
	[ ${#pin[@]} -gt 0 ] || return 0
	for pid in $(ip netns pids "$NS_SERVER"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = iperf3 ] || continue
		taskset -a -p -c "${pin[2]}" "$pid" >/dev/null
	done
}

# run_stateless HOOD6: xlatd in router mode with the stateless mapping
# (no NAT44): hood 1's prefix mapped into a /96 of the delegated /64
# HOOD6::/64 that the hood's native addresses leave free; the recipe's
# SNAT is taken out meanwhile.
run_stateless() {
	local saved=("${xlatd_args[@]}")
	in_client iptables -t nat -D POSTROUTING -o clat -j SNAT \
		--to-source 192.0.0.1
	xlatd_args+=("router-lan=$HOOD1_NET" router-mode=stateless
		router-lan-fast-path=yes
		"router-v6-prefix=$1:0:ffff::/96")
	run_xlatd stateless auto
	xlatd_args=("${saved[@]}")
	in_client iptables -t nat -A POSTROUTING -o clat -j SNAT \
		--to-source 192.0.0.1
}

# run_nat44_keys: xlatd in router mode with its own NAT44 (its nftables
# table SNATs hood 1) and the LAN-side fast path; the recipe's SNAT is
# taken out meanwhile.
run_nat44_keys() {
	local saved=("${xlatd_args[@]}")
	in_client iptables -t nat -D POSTROUTING -o clat -j SNAT \
		--to-source 192.0.0.1
	xlatd_args+=("router-lan=$HOOD1_NET" router-lan-fast-path=yes)
	run_xlatd nat44keys auto
	xlatd_args=("${saved[@]}")
	in_client iptables -t nat -A POSTROUTING -o clat -j SNAT \
		--to-source 192.0.0.1
}

# bench_router: a mesh gateway, every path measured from hood 1.
bench_router() {
	local env hood6 round
	echo "lab clat-alone --mesh: up" >&2
	lab_id=bn$$
	env=$("$LAB" up --id "$lab_id" --mode clat-alone --mesh --no-dad)
	eval "$env"
	pin_server
	# native: hood 1 gets the delegated /64 too, routed to the gateway
	hood6=${MESH_DELEGATED6%%::/64}
	in_client ip -6 addr add "$hood6::1/64" dev "$HOOD1_IF" nodad
	"$LAB" --id "$lab_id" exec hood1 ip -6 addr add "$hood6::10/64" \
		dev eth0 nodad
	"$LAB" --id "$lab_id" exec hood1 ip -6 route add default via "$hood6::1"
	src_role=hood1
	link_pps=1
	echo "  native" >&2
	measure native "$SERVER6"
	# the recipe's step 5; xlatd's own default route takes the hoods
	in_client iptables -t nat -A POSTROUTING -o clat -j SNAT \
		--to-source 192.0.0.1
	xlatd_args=("clat-v6-addr=$MESH_CLAT6" v4-conncheck-enable=no)
	for round in $(seq "$rounds"); do
		echo " round $round of $rounds" >&2
		[ "$round" = 1 ] || measure native "$SERVER6"
		run_xlatd fast auto
		run_nat44_keys
		run_stateless "$hood6"
		run_xlatd slow off
		run_tayga_router
		mkdir "$work/round$round"
		mv "$work"/*.res "$work/round$round"
	done
	cleanup
	medians
	table "A mesh gateway: from a hood, server answering on IPv6 (no PLAT)" \
		"TAYGA router"
	[ "$rounds" = 1 ] || echo "(median of $rounds rounds)"
}

# medians: each figure of each path in $work/round*/ as its median, in
# $work/PATH.res.
medians() {
	python3 - "$work" <<-'EOF'
		import glob, os, statistics, sys
		work = sys.argv[1]
		for f in glob.glob(f"{work}/round1/*.res"):
		    name = os.path.basename(f)
		    vals = {}
		    for r in sorted(glob.glob(f"{work}/round*/{name}")):
		        for line in open(r):
		            k, _, v = line.strip().partition(" ")
		            try:
		                vals.setdefault(k, []).append(float(v))
		            except ValueError:
		                vals.setdefault(k, [])
		    with open(f"{work}/{name}", "w") as out:
		        for k, v in vals.items():
		            m = round(statistics.median(v), 3) if v else "-"
		            out.write(f"{k} {m}\n")
	EOF
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
			json "$KPPS")"
		echo "alone_tcp $(iperf -c "$dst6" |
			json 'round(e["sum_received"]["bits_per_second"] / 1e9, 2)')"
		echo "alone_udp $(iperf -c "$dst6" -u -l 64 -b 0 |
			json "$KPPS")"
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
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg); iperf3 -t $secs${pin:+; everything on CPU ${pin[2]}}; xlatd $("$XLATD" --version | cut -d' ' -f2), $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
if [ "$plat" = 1 ]; then
	plat_bench
elif [ "$router" = 1 ]; then
	bench_router
else
	bench clat-alone
	[ "$full" = 1 ] && bench full
fi
echo
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ratios to native in parentheses (RTT: higher is worse)"
