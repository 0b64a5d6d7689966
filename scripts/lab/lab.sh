#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The xlatd test lab: network namespaces with an IPv6-only client, a router
# that sends RAs with PREF64 and RDNSS and runs a DNS64, a NAT64 (TAYGA or
# xlat-siit, plus nft masquerade) and an IPv4-only server. See docs/lab.md.
#
#   lab.sh up [--id ID] [--mode full|clat-alone] [--plat tayga|xlat-siit]
#             [--plat-slow] [--mtu-1280] [--two-uplinks]
#             [--no-pref64] [--no-rdnss] [--pref64-lifetime S]
#             [--ra-interval S] [--router-lifetime S] [--no-dad]
#             [--mesh] [--docker] [--libvirt]
#             [--ra-managed] [--ra-no-slaac] [--dhcp4 v6only|plain]
#             [--dhcp6 na|pd|na+pd] [--dhcp6-valid S]
#   lab.sh down ID|--all-mine
#   lab.sh [--id ID] exec ROLE CMD...
#   lab.sh [--id ID] native-ipv4 on|off [--uplink 1|2]
#   lab.sh [--id ID] ra [--uplink 1|2] [--once|--stop] [--pref64 P|none]
#             [--pref64-lifetime S] [--rdnss A|none] [--router-lifetime S]
#             [--router-pref high|medium|low] [--prefix P] [--interval S]
#             [--mtu N] [--managed on|off] [--slaac on|off]
#   lab.sh [--id ID] plat stop|start [--uplink 1|2]
#   lab.sh [--id ID] snapshot ROLE
#   lab.sh [--id ID] env
#   lab.sh list
#
# ROLE is client, router, plat, server, router2, plat2, hood1, hood2 (with
# --mesh), ctr (with --docker) or vm (with --libvirt). Without --id the
# commands use $XLAB_ID, or the only lab of $XLAB_OWNER. `up` prints KEY=VALUE
# lines on stdout and writes them to $XLAB_STATE_DIR/ID.env (default
# /run/xlatd-lab). Labs belong to $XLAB_OWNER (default: the user); `down
# --all-mine` removes all labs of that owner. Everything runs as root.
# --plat xlat-siit runs $XLAT_SIIT (default: build/src/siit/xlat-siit of
# this tree) with the same tayga.conf TAYGA would get; --plat-slow runs it
# without its eBPF fast path (--no-fast-path).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
XLAT_SIIT=${XLAT_SIIT:-$HERE/../../build/src/siit/xlat-siit}
STATE_ROOT=${XLAB_STATE_DIR:-/run/xlatd-lab}
OWNER=${XLAB_OWNER:-${SUDO_USER:-$(id -un)}}
ID=${XLAB_ID:-}

# Fixed lab addressing; k is the uplink number (1 or 2).
SERVER4=203.0.113.10
SERVER_NAME=server.lab.example
HTTP_PORT=80
IPERF_PORT=5201
ECHO_PORT=7
HTTP_BODY=xlatd-lab-server4-ok
BIG_SIZE=1048576
NATIVE4_ADDR=192.0.2.2/24
NATIVE4_GW=192.0.2.1
# DHCP servers on uplink 1's router: dnsmasq (DHCPv4) and Kea (DHCPv6).
DHCP4_RANGE=192.0.2.100,192.0.2.199
DHCP4_V6ONLY_WAIT=1800
DHCP6_NA_POOL=2001:db8:1::1000-2001:db8:1::1fff
DHCP6_PD_POOL=2001:db8:11::/48
DHCP6_PD_LEN=64
client_if() { echo "up$(($1 - 1))"; }
client_pfx() { echo "2001:db8:$1::/64"; }
router_ll() { echo "fe80::$1"; }
client_ll() { echo "fe80::ff:fe00:$1""02"; }     # EUI-64 of mac k 2
router_addr() { echo "2001:db8:$1::1"; }
dns64_addr() { echo "2001:db8:$1::53"; }
plat_pfx() { echo "2001:db8:$((63 + $1))::/96"; }
server6() { echo "2001:db8:$((63 + $1))::cb00:710a"; }
core6() { echo "2001:db8:f$1::$2"; }             # router=1, far end=2
core4() { echo "198.51.100.$((8 + 4 * ($1 - 1) + $2))"; }
v4up() { echo "198.51.100.$((4 * ($1 - 1) + $2))"; }  # plat=1, server=2
pool4() { echo "198.51.100.$((64 + 64 * $1))/26"; }
tayga4() { echo "198.51.100.$((65 + 64 * $1))"; }
mac() { printf '02:00:00:00:%02x:%02x' "$1" "$2"; }

# Router mode (--mesh): the client is a community-mesh gateway with two
# hoods behind it and a second link into the backbone, over which the
# router (the babel stand-in) sends what is for the CLAT address. The
# CLAT /128 and the table are those of the Freifunk recipe (docs/lab.md).
MESH_CLAT6=fd43:5602:29bd:ffff::42
MESH_TABLE=fff
MESH_TABLE_ID=4095
# The prefix delegated to the gateway (routed to its uplink address), for
# router mode's stateless mapping.
MESH_DELEGATED6=2001:db8:5::/64
hood_net() { echo "192.168.$((2 * ($1 - 1))).0/23"; }
hood_gw() { echo "192.168.$((2 * ($1 - 1))).1"; }
hood_addr() { echo "192.168.$((2 * ($1 - 1))).10"; }
CLIENT_LL=fe80::ff:fe00:102 # up0's, EUI-64 of its MAC (mac 1 2)
BB2_LL=fe80::b:2            # the client's end of backbone link 2 (bb1)
BB2_ROUTER_LL=fe80::b:1     # the router's end (gw1)
# A second PLAT (TAYGA) with the well-known prefix, which refuses
# documentation addresses (docs/kernel.md): its server address is in
# 192.88.99.0/24. And a private destination, through the network-specific
# prefix.
WKP_PREFIX=64:ff9b::/96
WKP_POOL4=198.51.100.64/27
WKP_TAYGA4=198.51.100.65
# TAYGA wants an IPv6 address of its own when its IPv4 one is not global.
WKP_TAYGA6=2001:db8:f4::1
SERVER4_WKP=192.88.99.10
SERVER4_PRIVATE=10.64.0.10
# Docker's default bridge (--docker): a container behind the client.
CTR_NET=172.17.0.0/16
CTR_GW=172.17.0.1
CTR_ADDR=172.17.0.2
# libvirt's default NAT network (--libvirt): a guest behind virbr0.
VM_NET=192.168.122.0/24
VM_GW=192.168.122.1
VM_ADDR=192.168.122.2

say() { [ "${XLAB_VERBOSE:-0}" = 0 ] || echo "lab: $*" >&2; }
die() {
	echo "lab: $*" >&2
	exit 1
}
usage() {
	sed -n '/^#   lab.sh/,/^# --all/s/^# \{0,1\}//p' "$0" >&2
	exit "${1:-2}"
}

# now_us: microseconds since the epoch.
now_us() {
	local t=${EPOCHREALTIME//[.,]/}
	echo $((10#$t))
}

# wait_until SECONDS WHAT CMD...: run CMD every 0.1 s until it succeeds;
# fail, naming WHAT, after SECONDS (an integer).
wait_until() {
	local secs=$1 what=$2 end
	shift 2
	end=$(($(now_us) + secs * 1000000))
	until "$@" >/dev/null 2>&1; do
		if (($(now_us) >= end)); then
			echo "lab: timed out after ${secs}s waiting for $what" >&2
			return 1
		fi
		sleep 0.1
	done
}

# ---------------------------------------------------------------- state

lab_dir() { echo "$STATE_ROOT/$1"; }
env_file() { echo "$STATE_ROOT/$1.env"; }

# env_get ID KEY: the value of KEY in the lab's env file.
env_get() {
	awk -F= -v k="$2" '$1 == k { sub(/^[^=]*=/, ""); print; exit }' \
		"$(env_file "$1")"
}

# env_set ID KEY VALUE: set KEY (replace or append) in the env file.
env_set() {
	local f tmp
	f=$(env_file "$1")
	tmp=$f.tmp.$$
	awk -F= -v k="$2" -v v="$3" '
		$1 == k { print k "=" v; done = 1; next } { print }
		END { if (!done) print k "=" v }' "$f" >"$tmp"
	mv -f "$tmp" "$f"
}

# resolve_id: set ID from --id, $XLAB_ID or the only lab of $OWNER.
resolve_id() {
	if [ -n "$ID" ]; then
		[ -f "$(env_file "$ID")" ] || die "no lab $ID"
		return
	fi
	local f mine=()
	for f in "$STATE_ROOT"/*.env; do
		[ -e "$f" ] || continue
		[ "$(env_get "$(basename "$f" .env)" LAB_OWNER)" = "$OWNER" ] &&
			mine+=("$(basename "$f" .env)")
	done
	[ ${#mine[@]} -gt 0 ] || die "no lab of $OWNER is up"
	[ ${#mine[@]} -eq 1 ] ||
		die "$OWNER has ${#mine[@]} labs up; use --id or XLAB_ID"
	ID=${mine[0]}
}

role_ns() {
	local key
	case $1 in
	client) key=NS_CLIENT ;;
	router | router1) key=NS_ROUTER ;;
	router2) key=NS_ROUTER_2 ;;
	plat | plat1) key=NS_PLAT ;;
	plat2) key=NS_PLAT_2 ;;
	server) key=NS_SERVER ;;
	hood1) key=NS_HOOD1 ;;
	hood2) key=NS_HOOD2 ;;
	ctr) key=NS_CTR ;;
	vm) key=NS_VM ;;
	*) die "unknown role $1 (client, router, router2, plat, plat2, server," \
		"hood1, hood2, ctr, vm)" ;;
	esac
	local ns
	ns=$(env_get "$ID" "$key")
	[ -n "$ns" ] || die "lab $ID has no $1"
	echo "$ns"
}

# proc_start PID: the process's start time (field 22 of /proc/PID/stat).
proc_start() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	# After "comm) " the fields start at 3 (state); starttime is 22.
	# shellcheck disable=SC2086 # split into fields
	set -- $stat
	echo "${20}"
}

# proc_alive PID START: the recorded process exists and is not a zombie.
proc_alive() {
	local stat want=$2
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	# shellcheck disable=SC2086 # split into fields
	set -- $stat
	[ "$1" != Z ] && [ "$1" != X ] && [ "${20}" = "$want" ]
}

# start_bg NAME NS CMD...: run CMD in NS in its own session, log to
# LDIR/NAME.log, record "NAME PID START" in LDIR/pids.
start_bg() {
	local name=$1 ns=$2
	shift 2
	# fd 9 is the lab's lock: the daemon must not hold it.
	ip netns exec "$ns" setsid "$@" >>"$LDIR/$name.log" 2>&1 </dev/null 9>&- &
	LAST_PID=$!
	echo "$name $LAST_PID $(proc_start $LAST_PID)" >>"$LDIR/pids"
	say "started $name (pid $LAST_PID) in $ns"
}

# stop_recorded NAME|'': stop the recorded processes (all, or NAME): TERM,
# then KILL after 3 s. Only PIDs whose start time still matches.
stop_recorded() {
	local only=${1:-} name pid start keep=() victims=()
	[ -f "$LDIR/pids" ] || return 0
	while read -r name pid start; do
		if [ -n "$only" ] && [ "$name" != "$only" ]; then
			keep+=("$name $pid $start")
			continue
		fi
		if proc_alive "$pid" "$start"; then
			kill -TERM "$pid" 2>/dev/null || true
			victims+=("$pid $start")
		fi
	done <"$LDIR/pids"
	local v deadline=$((SECONDS + 3))
	for v in "${victims[@]}"; do
		# shellcheck disable=SC2086 # "PID START"
		set -- $v
		while proc_alive "$1" "$2" && ((SECONDS < deadline)); do
			sleep 0.05
		done
		if proc_alive "$1" "$2"; then
			kill -KILL "$1" 2>/dev/null || true
		fi
	done
	printf '%s\n' "${keep[@]}" | sed '/^$/d' >"$LDIR/pids"
}

# fail_point NAME: fail here if XLAB_FAIL_AT=NAME (for testing the cleanup).
fail_point() {
	[ "${XLAB_FAIL_AT:-}" != "$1" ] || die "failing at $1 (XLAB_FAIL_AT)"
}

# mkns NAME: record, then create a namespace with lo up.
mkns() {
	echo "$1" >>"$LDIR/netns"
	ip netns add "$1"
	ip -n "$1" link set lo up
}

nsexec() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

sysctls() {
	local ns=$1
	shift
	ip netns exec "$ns" sysctl -qw "$@" >/dev/null
}

# down_lab ID: stop the lab's processes and delete its namespaces.
down_lab() {
	local id=$1 ns
	LDIR=$(lab_dir "$id")
	if [ -d "$LDIR" ]; then
		exec 9>>"$LDIR/lock"
		flock -w 10 9 || true
		stop_recorded ""
		if [ -f "$LDIR/netns" ]; then
			tac "$LDIR/netns" | while read -r ns; do
				[ -e "/run/netns/$ns" ] || continue
				local left
				left=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
				[ -z "$left" ] || echo "lab: $ns still has" \
					"processes not started by the lab: $left" \
					"(namespace removed from the list; they keep it alive)" >&2
				ip -n "$ns" link del nat64 2>/dev/null || true
				ip -n "$ns" link del nat64w 2>/dev/null || true
				ip netns del "$ns" 2>/dev/null || true
			done
		fi
		exec 9>&-
		# files ip netns exec binds over /etc (--mesh: rt_tables)
		if [ -f "$LDIR/netns" ]; then
			while read -r ns; do
				rm -rf "/etc/netns/$ns"
			done <"$LDIR/netns"
			rmdir /etc/netns 2>/dev/null || true
		fi
		rm -rf "$LDIR"
	fi
	rm -f "$(env_file "$id")"
	say "lab $id is down"
}

# ---------------------------------------------------------------- up

OUT=()
kv() {
	OUT+=("$1=$2")
}

ra_args() { # k: the ra-sender command line from the env file
	local k=$1 s=""
	[ "$k" = 1 ] || s=_2
	local pfx pref64 life rdnss rl ivl mtu prf
	pfx=$(env_get "$ID" "RA_PREFIX$s")
	pref64=$(env_get "$ID" "RA_PREF64$s")
	life=$(env_get "$ID" "RA_PREF64_LIFETIME$s")
	rdnss=$(env_get "$ID" "RA_RDNSS$s")
	rl=$(env_get "$ID" "RA_ROUTER_LIFETIME$s")
	ivl=$(env_get "$ID" "RA_INTERVAL$s")
	mtu=$(env_get "$ID" "RA_MTU$s")
	prf=$(env_get "$ID" "RA_ROUTER_PREF$s")
	RA_CMD=(python3 "$HERE/ra-sender.py" --iface cl0 --prefix "$pfx"
		--router-lifetime "$rl" --router-pref "$prf" --interval "$ivl"
		--mtu "$mtu")
	if [ "$(env_get "$ID" "RA_MANAGED$s")" = 1 ]; then
		RA_CMD+=(--managed --other)
	fi
	if [ "$(env_get "$ID" "RA_SLAAC$s")" = 0 ]; then
		RA_CMD+=(--no-autonomous)
	fi
	if [ "$pref64" != none ]; then
		RA_CMD+=(--pref64 "$pref64" --pref64-lifetime "$life")
	fi
	if [ "$rdnss" != none ]; then
		local a
		for a in ${rdnss//,/ }; do
			RA_CMD+=(--rdnss "$a")
		done
	fi
}

write_unbound() { # k dir
	local k=$1 d=$2
	cat >"$d/zone.ipv4only" <<EOF
\$ORIGIN ipv4only.arpa.
\$TTL 60
@ IN SOA ns.lab.example. hostmaster.lab.example. 1 3600 600 86400 60
@ IN NS ns.lab.example.
@ IN A 192.0.0.170
@ IN A 192.0.0.171
EOF
	cat >"$d/zone.lab" <<EOF
\$ORIGIN lab.example.
\$TTL 60
@ IN SOA ns.lab.example. hostmaster.lab.example. 1 3600 600 86400 60
@ IN NS ns.lab.example.
server IN A $SERVER4
v6only IN AAAA $(server6 "$k")
EOF
	# Local data (local-zone/local-data) is answered before the modules
	# run, so DNS64 would never see it. The zones are auth-zones "for
	# upstream": the iterator reads them as if from an authority, and
	# dns64 synthesises the AAAA. No root hints: nothing leaves the lab.
	cat >"$d/unbound.conf" <<EOF
server:
	interface: $(dns64_addr "$k")
	port: 53
	do-ip4: no
	do-daemonize: no
	username: ""
	chroot: ""
	directory: "$d"
	pidfile: "$d/unbound.pid"
	logfile: ""
	use-syslog: no
	verbosity: 1
	access-control: ::/0 allow
	module-config: "dns64 iterator"
	dns64-prefix: $(plat_pfx "$k")
	root-hints: ""
	cache-max-ttl: 60
	cache-max-negative-ttl: 10
auth-zone:
	name: "ipv4only.arpa."
	zonefile: "$d/zone.ipv4only"
	for-downstream: no
	for-upstream: yes
	fallback-enabled: no
auth-zone:
	name: "lab.example."
	zonefile: "$d/zone.lab"
	for-downstream: no
	for-upstream: yes
	fallback-enabled: no
remote-control:
	control-enable: no
EOF
}

# build_router k: router namespace, client link, DNS64 and RA sender.
build_router() {
	local k=$1 s="" ns cif
	[ "$k" = 1 ] || s=_2
	ns=$ID-router$([ "$k" = 1 ] || echo 2)
	cif=$(client_if "$k")
	mkns "$ns"
	sysctls "$ns" net.ipv6.conf.all.forwarding=1 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_ra=0 net.ipv4.ip_forward=1
	ip link add "$cif" netns "$NS_CLIENT" address "$(mac "$k" 2)" type veth \
		peer name cl0 netns "$ns" address "$(mac "$k" 1)"
	ip -n "$ns" link set cl0 addrgenmode none
	ip -n "$ns" addr add "$(router_ll "$k")/64" dev cl0
	ip -n "$ns" addr add "$(router_addr "$k")/64" dev cl0
	# Deprecated: the DNS64 answers from it, but the router's own packets
	# (ICMPv6 errors) come from ROUTER_ADDR.
	ip -n "$ns" addr add "$(dns64_addr "$k")/64" dev cl0 preferred_lft 0
	ip -n "$ns" link set cl0 up
	sysctls "$NS_CLIENT" "net.ipv6.conf.$cif.forwarding=0" \
		"net.ipv6.conf.$cif.accept_ra=1" "net.ipv6.conf.$cif.autoconf=1"
	if [ "$NO_DAD" = 1 ]; then
		sysctls "$NS_CLIENT" "net.ipv6.conf.$cif.accept_dad=0"
	fi
	ip -n "$NS_CLIENT" link set "$cif" up

	local d="$LDIR/router$k"
	mkdir -p "$d"
	write_unbound "$k" "$d"
	start_bg "unbound$k" "$ns" unbound -d -c "$d/unbound.conf"

	kv "NS_ROUTER$s" "$ns"
	kv "CLIENT_IF$s" "$cif"
	kv "CLIENT_MAC$s" "$(mac "$k" 2)"
	kv "CLIENT_PREFIX$s" "$(client_pfx "$k")"
	kv "ROUTER_IF$s" cl0
	kv "ROUTER_MAC$s" "$(mac "$k" 1)"
	kv "ROUTER_LL$s" "$(router_ll "$k")"
	kv "ROUTER_ADDR$s" "$(router_addr "$k")"
	kv "DNS64$s" "$(dns64_addr "$k")"
	kv "PLAT_PREFIX$s" "$(plat_pfx "$k")"
	kv "SERVER6$s" "$(server6 "$k")"
	kv "RA_PREFIX$s" "$(client_pfx "$k")"
	if [ "$NO_PREF64" = 1 ]; then
		kv "RA_PREF64$s" none
	else
		kv "RA_PREF64$s" "$(plat_pfx "$k")"
	fi
	kv "RA_PREF64_LIFETIME$s" "$PREF64_LIFETIME"
	if [ "$NO_RDNSS" = 1 ]; then
		kv "RA_RDNSS$s" none
	else
		kv "RA_RDNSS$s" "$(dns64_addr "$k")"
	fi
	kv "RA_ROUTER_LIFETIME$s" "$ROUTER_LIFETIME"
	# Uplink 1 is the preferred default router, so the path is known.
	kv "RA_ROUTER_PREF$s" "$([ "$k" = 1 ] && echo medium || echo low)"
	kv "RA_INTERVAL$s" "$RA_INTERVAL"
	kv "RA_MTU$s" 1500
	kv "RA_MANAGED$s" "$RA_M"
	kv "RA_SLAAC$s" "$RA_SLAAC"
	kv "RA_RUNNING$s" 1
	eval "R_NS_$k=\$ns"
}

# core_link k far_ns far_if: the router's core0 to the PLAT or server.
core_link() {
	local k=$1 rns far=$2 fif=$3
	eval "rns=\$R_NS_$k"
	eval "F_NS_$k=\$far"
	ip link add core0 netns "$rns" address "$(mac "$k" 3)" type veth \
		peer name "$fif" netns "$far" address "$(mac "$k" 4)"
	if [ "$MTU1280" = 1 ]; then
		ip -n "$rns" link set core0 mtu 1280
		ip -n "$far" link set "$fif" mtu 1280
	fi
	ip -n "$rns" addr add "$(core6 "$k" 1)/64" dev core0
	ip -n "$rns" addr add "$(core4 "$k" 1)/30" dev core0
	ip -n "$far" addr add "$(core6 "$k" 2)/64" dev "$fif"
	ip -n "$far" addr add "$(core4 "$k" 2)/30" dev "$fif"
	ip -n "$rns" link set core0 up
	ip -n "$far" link set "$fif" up
	ip -n "$rns" route add "$(plat_pfx "$k")" via "$(core6 "$k" 2)"
	ip -n "$rns" route add default via "$(core4 "$k" 2)"
	ip -n "$far" route add "$(client_pfx "$k")" via "$(core6 "$k" 1)"
	# Return path for native-ipv4 (the server has one, through uplink 1).
	if [ "$k" = 1 ] || [ "$far" != "$NS_SERVER" ]; then
		ip -n "$far" route add 192.0.2.0/24 via "$(core4 "$k" 1)"
	fi
}

# plat_args PLAT DIR: PLAT_CMD, the command of TAYGA or xlat-siit (with
# its control socket in DIR: /run is shared by all namespaces).
plat_args() {
	if [ "$1" = tayga ]; then
		PLAT_CMD=(tayga)
	else
		PLAT_CMD=("$XLAT_SIIT" -s "$2/control.sock")
		[ "$(env_get "$ID" LAB_PLAT_SLOW 2>/dev/null)" != 1 ] ||
			PLAT_CMD+=(--no-fast-path)
	fi
}

# start_plat k NS PLAT DIR: the PLAT in the foreground with DIR's
# tayga.conf; for xlat-siit, until its control socket is there.
start_plat() {
	local k=$1 ns=$2 plat=$3 d=$4
	plat_args "$plat" "$d"
	[ "$plat" = tayga ] || rm -f "$d/control.sock"
	start_bg "plat$k" "$ns" "${PLAT_CMD[@]}" -d -c "$d/tayga.conf"
	[ "$plat" = tayga ] || wait_until 5 "xlat-siit's control socket" \
		test -S "$d/control.sock"
}

# build_plat k: TAYGA or xlat-siit with a dynamic pool behind nft
# masquerade, set up the way TAYGA's documentation does it.
build_plat() {
	local k=$1 s="" ns d
	[ "$k" = 1 ] || s=_2
	ns=$ID-plat$([ "$k" = 1 ] || echo 2)
	mkns "$ns"
	sysctls "$ns" net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1 \
		net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_ra=0
	core_link "$k" "$ns" rtr0
	ip link add v4up netns "$ns" address "$(mac "$k" 5)" type veth \
		peer name "s$k" netns "$NS_SERVER" address "$(mac "$k" 6)"
	ip -n "$ns" addr add "$(v4up "$k" 1)/30" dev v4up
	ip -n "$NS_SERVER" addr add "$(v4up "$k" 2)/30" dev "s$k"
	ip -n "$ns" link set v4up up
	ip -n "$NS_SERVER" link set "s$k" up
	ip -n "$ns" route add 203.0.113.0/24 via "$(v4up "$k" 2)"
	server_src "s$k" "$(v4up "$k" 0)/30" "$(v4up 1 1)"

	d="$LDIR/plat$k"
	mkdir -p "$d"
	cat >"$d/tayga.conf" <<EOF
tun-device nat64
ipv4-addr $(tayga4 "$k")
prefix $(plat_pfx "$k")
dynamic-pool $(pool4 "$k")
data-dir $d
EOF
	# xlat-siit's control socket is the lab's own: /run is shared.
	plat_args "$PLAT" "$d"
	nsexec "$ns" "${PLAT_CMD[@]}" --mktun -c "$d/tayga.conf" \
		>"$d/mktun.log" 2>&1
	ip -n "$ns" link set nat64 up
	ip -n "$ns" route add "$(plat_pfx "$k")" dev nat64
	ip -n "$ns" route add "$(pool4 "$k")" dev nat64
	nsexec "$ns" nft -f - <<EOF
table ip xlatd_lab {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "v4up" masquerade
	}
}
EOF
	start_plat "$k" "$ns" "$PLAT" "$d"
	[ "$PLAT" = tayga ] || kv "PLAT_SOCK$s" "$d/control.sock"
	kv "NS_PLAT$s" "$ns"
	kv "PLAT_CONF$s" "$d/tayga.conf"
	kv "PLAT_POOL4$s" "$(pool4 "$k")"
	kv "PLAT_TAYGA4$s" "$(tayga4 "$k")"
	kv "PLAT_ADDR4$s" "$(v4up "$k" 1)"
}

# build_wkp_plat: a second TAYGA on the plat, with the well-known prefix,
# and the server's addresses behind it and behind the private range.
build_wkp_plat() {
	local ns=$ID-plat d="$LDIR/plat-wkp"
	mkdir -p "$d"
	cat >"$d/tayga.conf" <<EOF
tun-device nat64w
ipv4-addr $WKP_TAYGA4
ipv6-addr $WKP_TAYGA6
prefix $WKP_PREFIX
dynamic-pool $WKP_POOL4
data-dir $d
EOF
	nsexec "$ns" tayga --mktun -c "$d/tayga.conf" >"$d/mktun.log" 2>&1
	ip -n "$ns" link set nat64w up
	ip -n "$ns" route add "$WKP_PREFIX" dev nat64w
	ip -n "$ns" route add "$WKP_POOL4" dev nat64w
	ip -n "$ns" route add "$WKP_TAYGA6/128" dev nat64w
	start_bg tayga-wkp "$ns" tayga -d -c "$d/tayga.conf"
	ip -n "$R_NS_1" route add "$WKP_PREFIX" via "$(core6 1 2)"
	ip -n "$NS_SERVER" addr add "$SERVER4_WKP/32" dev lo
	ip -n "$NS_SERVER" addr add "$SERVER4_PRIVATE/32" dev lo
	ip -n "$ns" route add "${SERVER4_WKP%.*}.0/24" via "$(v4up 1 2)"
	ip -n "$ns" route add "${SERVER4_PRIVATE%.*}.0/24" via "$(v4up 1 2)"
	kv WKP_PREFIX "$WKP_PREFIX"
	kv PLAT_WKP_POOL4 "$WKP_POOL4"
	kv SERVER4_WKP "$SERVER4_WKP"
	kv SERVER6_WKP "$(embed96 "$WKP_PREFIX" "$SERVER4_WKP")"
	kv SERVER4_PRIVATE "$SERVER4_PRIVATE"
	kv SERVER6_PRIVATE "$(embed96 "$(plat_pfx 1)" "$SERVER4_PRIVATE")"
}

# embed96 PREFIX/96 A.B.C.D: the IPv4 address in the /96 (RFC 6052).
embed96() {
	local a b c d
	IFS=. read -r a b c d <<<"$2"
	printf '%s%x:%x\n' "${1%/96}" $((a << 8 | b)) $((c << 8 | d))
}

# build_mesh: the client as a mesh gateway (forwarding, hoods, a second
# backbone link), the router as the babel stand-in, the recipe's table.
build_mesh() {
	local k ns
	# A router that keeps taking RAs on its uplink (accept_ra 2).
	sysctls "$NS_CLIENT" net.ipv6.conf.up0.accept_ra=2 \
		net.ipv6.conf.default.accept_ra=0 \
		net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1
	for k in 1 2; do
		ns=$ID-hood$k
		mkns "$ns"
		ip link add "hood$k" netns "$NS_CLIENT" address "$(mac 9 "$k")" \
			type veth peer name eth0 netns "$ns" \
			address "$(mac 10 "$k")"
		ip -n "$NS_CLIENT" addr add "$(hood_gw "$k")/23" dev "hood$k"
		ip -n "$ns" addr add "$(hood_addr "$k")/23" dev eth0
		ip -n "$NS_CLIENT" link set "hood$k" up
		ip -n "$ns" link set eth0 up
		ip -n "$ns" route add default via "$(hood_gw "$k")"
		kv "NS_HOOD$k" "$ns"
		kv "HOOD${k}_IF" "hood$k"
		kv "HOOD${k}_NET" "$(hood_net "$k")"
		kv "HOOD${k}_GW" "$(hood_gw "$k")"
		kv "HOOD${k}_ADDR" "$(hood_addr "$k")"
	done
	# Backbone link 2, link-local only; the router sends what is for
	# the CLAT address over it (the route babel would have learned).
	ip link add bb1 netns "$NS_CLIENT" address "$(mac 11 2)" type veth \
		peer name gw1 netns "$R_NS_1" address "$(mac 11 1)"
	ip -n "$NS_CLIENT" link set bb1 addrgenmode none
	ip -n "$R_NS_1" link set gw1 addrgenmode none
	ip -n "$NS_CLIENT" addr add "$BB2_LL/64" dev bb1 nodad
	ip -n "$R_NS_1" addr add "$BB2_ROUTER_LL/64" dev gw1 nodad
	ip -n "$NS_CLIENT" link set bb1 up
	ip -n "$R_NS_1" link set gw1 up
	ip -n "$R_NS_1" route add "$MESH_CLAT6/128" via "$BB2_LL" dev gw1
	# The delegated prefix goes to the gateway's uplink address.
	ip -n "$R_NS_1" route add "$MESH_DELEGATED6" via "$CLIENT_LL" dev cl0
	# The rest of the backbone knows the way to both.
	local far=$ID-plat
	[ "$MODE" = full ] || far=$NS_SERVER
	ip -n "$far" route add "$MESH_CLAT6/128" via "$(core6 1 1)"
	ip -n "$far" route add "$MESH_DELEGATED6" via "$(core6 1 1)"
	# The recipe names its table: ip netns exec binds this over
	# /etc/iproute2 in the client's namespace only.
	mkdir -p "/etc/netns/$NS_CLIENT/iproute2"
	printf '255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n%s\t%s\n' \
		"$MESH_TABLE_ID" "$MESH_TABLE" \
		>"/etc/netns/$NS_CLIENT/iproute2/rt_tables"
	kv MESH_CLAT6 "$MESH_CLAT6"
	kv MESH_TABLE "$MESH_TABLE"
	kv MESH_TABLE_ID "$MESH_TABLE_ID"
	kv MESH_DELEGATED6 "$MESH_DELEGATED6"
	kv CLIENT_LL "$CLIENT_LL"
	kv BACKBONE2_IF bb1
	kv BACKBONE2_LL "$BB2_LL"
	kv BACKBONE2_ROUTER_IF gw1
	kv BACKBONE2_ROUTER_LL "$BB2_ROUTER_LL"
	[ "$MODE" = clat-alone ] || build_wkp_plat
}

# guest KEY NS IF NET GW ADDR: the guest's end of its link (eth0 in NS)
# with ADDR in NET and its default route via GW, the host's end being IF;
# the lab's keys NS_KEY, KEY_IF, KEY_NET, KEY_GW and KEY_ADDR.
guest() {
	ip -n "$2" addr add "$6/${4#*/}" dev eth0
	ip -n "$2" link set eth0 up
	ip -n "$2" route add default via "$5"
	kv "NS_$1" "$2"
	kv "$1_IF" "$3"
	kv "$1_NET" "$4"
	kv "$1_GW" "$5"
	kv "$1_ADDR" "$6"
}

# build_docker: a container behind the client's docker0, and Docker's
# firewall rules in the client.
build_docker() {
	local ns=$ID-ctr
	mkns "$ns"
	sysctls "$NS_CLIENT" net.ipv4.ip_forward=1
	ip link add docker0 netns "$NS_CLIENT" address "$(mac 12 1)" type veth \
		peer name eth0 netns "$ns" address "$(mac 12 2)"
	ip -n "$NS_CLIENT" addr add "$CTR_GW/${CTR_NET#*/}" dev docker0
	ip -n "$NS_CLIENT" link set docker0 up
	guest CTR "$ns" docker0 "$CTR_NET" "$CTR_GW" "$CTR_ADDR"
	"$HERE/docker-rules.sh" "$NS_CLIENT"
}

# build_libvirt: a guest behind the client's bridge virbr0, its port
# vnet0 as libvirt names a guest's tap device, and libvirt's firewall
# rules for its default network in the client. The guest has the first
# address of the DHCP range, set statically.
build_libvirt() {
	local ns=$ID-vm
	mkns "$ns"
	ip -n "$NS_CLIENT" link add virbr0 address "$(mac 13 1)" type bridge
	ip -n "$NS_CLIENT" addr add "$VM_GW/${VM_NET#*/}" dev virbr0
	ip link add vnet0 netns "$NS_CLIENT" address "$(mac 13 3)" type veth \
		peer name eth0 netns "$ns" address "$(mac 13 2)"
	ip -n "$NS_CLIENT" link set vnet0 master virbr0 up
	ip -n "$NS_CLIENT" link set virbr0 up
	guest VM "$ns" virbr0 "$VM_NET" "$VM_GW" "$VM_ADDR"
	"$HERE/libvirt-rules.sh" "$NS_CLIENT"
}

# clat_alone_link k: the server answers the synthesized address natively.
clat_alone_link() {
	local k=$1 s=""
	[ "$k" = 1 ] || s=_2
	core_link "$k" "$NS_SERVER" "s$k"
	ip -n "$NS_SERVER" addr add "$(server6 "$k")/128" dev "s$k"
	# The rest of the prefix is unreachable, not looped back.
	ip -n "$NS_SERVER" route add unreachable "$(plat_pfx "$k")"
	# Deprecated, so replies never come from the link's own address.
	ip -n "$NS_SERVER" addr change "$(core6 "$k" 2)/64" dev "s$k" \
		preferred_lft 0
	server_src "s$k" "$(core4 "$k" 0)/30" "$(core4 1 1)"
	kv "NS_PLAT$s" ""
}

# server_src IF NET GW: the server's IPv4 replies leave from SERVER4, not
# from its link address: the NAT (full mode) and connected UDP sockets
# (iperf3 -u) only accept answers from the address they sent to. On uplink
# 1, GW is the default route.
server_src() {
	ip -n "$NS_SERVER" route replace "$2" dev "$1" proto kernel \
		scope link src "$SERVER4"
	if [ "$1" = s1 ]; then
		ip -n "$NS_SERVER" route add default via "$3" src "$SERVER4"
	fi
}

build_server() {
	mkns "$NS_SERVER"
	sysctls "$NS_SERVER" net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_ra=0
	# The kernel may lack the dummy module: the address goes on lo.
	ip -n "$NS_SERVER" addr add "$SERVER4/32" dev lo
	local www="$LDIR/www"
	mkdir -p "$www"
	echo "$HTTP_BODY" >"$www/index.html"
	python3 -c '
import sys
n = int(sys.argv[1])
sys.stdout.buffer.write(bytes((i * 7 + i // 251) & 255 for i in range(n)))
' "$BIG_SIZE" >"$www/big.bin"
	BIG_SHA256=$(sha256sum "$www/big.bin" | cut -d' ' -f1)
}

start_services() {
	start_bg http "$NS_SERVER" python3 -m http.server --bind :: \
		--directory "$LDIR/www" "$HTTP_PORT"
	start_bg iperf3 "$NS_SERVER" iperf3 -s -p "$IPERF_PORT"
	start_bg echo "$NS_SERVER" python3 "$HERE/echo-server.py" \
		--port "$ECHO_PORT"
}

# start_dhcp4: dnsmasq as the DHCPv4 server of uplink 1, offering
# DHCP4_RANGE with the router as gateway, and RFC 8925 option 108 with
# --dhcp4 v6only (dnsmasq sends it only to clients that ask for it).
start_dhcp4() {
	local rns=$R_NS_1 opts=()
	ip -n "$rns" addr replace "$NATIVE4_GW/24" dev cl0
	[ "$DHCP4" = plain ] || opts+=("--dhcp-option=108,$DHCP4_V6ONLY_WAIT")
	start_bg dnsmasq4 "$rns" dnsmasq --keep-in-foreground --no-daemon \
		--port=0 --interface=cl0 --bind-interfaces --no-ping --log-dhcp \
		"--dhcp-range=$DHCP4_RANGE,10m" "--dhcp-option=3,$NATIVE4_GW" \
		"--dhcp-leasefile=$LDIR/dnsmasq4.leases" "${opts[@]}"
	kv DHCP4_SERVER "$NATIVE4_GW"
	kv DHCP4_RANGE "$DHCP4_RANGE"
	if [ "$DHCP4" = v6only ]; then
		kv DHCP4_V6ONLY_WAIT "$DHCP4_V6ONLY_WAIT"
	else
		kv DHCP4_V6ONLY_WAIT none
	fi
}

# start_dhcp6: Kea as the DHCPv6 server of uplink 1: addresses from
# DHCP6_NA_POOL (na), /DHCP6_PD_LEN prefixes of DHCP6_PD_POOL (pd), with a
# valid lifetime of DHCP6_VALID s, T1 a quarter and T2 two fifths of it.
# Delegated prefixes are routed to the client's link-local address, on
# the router and on the far side of its core link.
start_dhcp6() {
	local rns=$R_NS_1 far=$F_NS_1 d="$LDIR/kea" na="" pd=""
	mkdir -p "$d"
	if [ "$DHCP6" != pd ]; then
		na="\"pools\": [{\"pool\": \"$DHCP6_NA_POOL\"}],"
	fi
	if [ "$DHCP6" != na ]; then
		pd="\"pd-pools\": [{\"prefix\": \"${DHCP6_PD_POOL%/*}\","
		pd+=" \"prefix-len\": ${DHCP6_PD_POOL#*/},"
		pd+=" \"delegated-len\": $DHCP6_PD_LEN}],"
		ip -n "$rns" -6 route add "$DHCP6_PD_POOL" \
			via "$(client_ll 1)" dev cl0
		ip -n "$far" -6 route add "$DHCP6_PD_POOL" via "$(core6 1 1)"
	fi
	cat >"$d/kea-dhcp6.conf" <<KEAEOF
{"Dhcp6": {
	"interfaces-config": {"interfaces": ["cl0"],
		"service-sockets-max-retries": 20,
		"service-sockets-retry-wait-time": 250},
	"server-id": {"type": "EN", "enterprise-id": 32473,
		"identifier": "786c6174", "persist": false},
	"lease-database": {"type": "memfile", "persist": true,
		"name": "$d/leases6.csv", "lfc-interval": 0},
	"renew-timer": $((DHCP6_VALID / 4)),
	"rebind-timer": $((DHCP6_VALID * 2 / 5)),
	"preferred-lifetime": $((DHCP6_VALID * 3 / 4)),
	"valid-lifetime": $DHCP6_VALID,
	"subnet6": [{"id": 1, "subnet": "$(client_pfx 1)", "interface": "cl0",
		$na $pd
		"option-data": [{"name": "dns-servers",
			"data": "$(dns64_addr 1)"}]}]
}}
KEAEOF
	start_bg kea6 "$rns" env KEA_PIDFILE_DIR="$d" KEA_LOCKFILE_DIR="$d" \
		kea-dhcp6 -c "$d/kea-dhcp6.conf"
	kv DHCP6_SERVER "$(router_ll 1)"
	kv DHCP6_NA_POOL "$([ "$DHCP6" = pd ] && echo none || echo "$DHCP6_NA_POOL")"
	kv DHCP6_PD_POOL "$([ "$DHCP6" = na ] && echo none || echo "$DHCP6_PD_POOL")"
	kv DHCP6_PD_LEN "$DHCP6_PD_LEN"
	kv DHCP6_VALID "$DHCP6_VALID"
}

# client_ready IF SLAAC: a global address (SLAAC=1 only), no tentative one
# (the kernel sends its RS when the link-local one is done) and a default
# route.
client_ready() {
	local a
	a=$(ip -n "$NS_CLIENT" -6 -o addr show dev "$1")
	{ [ "$2" = 0 ] || grep -q 'scope global' <<<"$a"; } &&
		grep -q 'scope link' <<<"$a" && ! grep -q tentative <<<"$a" &&
		ip -n "$NS_CLIENT" -6 route show default dev "$1" | grep -q via
}

dns_ready() { # ns addr
	nsexec "$1" timeout 3 dig +time=1 +tries=1 +short @"$2" \
		AAAA ipv4only.arpa | grep -q :
}

listening() { # ns proto port
	nsexec "$1" ss -Hn -l "-$2" "sport = :$3" | grep -q .
}

check_deps() {
	local c missing=()
	local cmds=(ip python3 unbound dig iperf3 curl flock setsid)
	if [ "$MODE" = full ] && [ "$PLAT" = tayga ]; then
		cmds+=(tayga nft)
	elif [ "$MODE" = full ]; then
		cmds+=(nft)
		[ -x "$XLAT_SIIT" ] ||
			die "no xlat-siit at $XLAT_SIIT (build the tree, or set XLAT_SIIT)"
	fi
	[ "$DOCKER$VIRT" = 00 ] || cmds+=(iptables-nft)
	[ "$DHCP4" = off ] || cmds+=(dnsmasq)
	[ "$DHCP6" = off ] || cmds+=(kea-dhcp6)
	for c in "${cmds[@]}"; do
		command -v "$c" >/dev/null || missing+=("$c")
	done
	[ ${#missing[@]} -eq 0 ] || die "missing commands: ${missing[*]}" \
		"(apt-get install iproute2 python3 unbound bind9-dnsutils" \
		"iperf3 curl util-linux tayga nftables dnsmasq-base" \
		"kea-dhcp6-server)"
	[ "$(id -u)" = 0 ] || die "must run as root"
}

up_failed() {
	local rc=$?
	trap - EXIT INT TERM
	[ "$rc" != 0 ] || return 0
	echo "lab: up failed (status $rc); logs:" >&2
	local f
	for f in "$LDIR"/*.log "$LDIR"/*/*.log; do
		[ -s "$f" ] || continue
		echo "--- $f" >&2
		tail -n 5 "$f" >&2
	done
	down_lab "$ID" || true
	exit "$rc"
}

cmd_up() {
	MODE=full PLAT=tayga PLAT_SLOW=0 MTU1280=0 TWO=0 NO_PREF64=0 NO_RDNSS=0
	NO_DAD=0 MESH=0 DOCKER=0 VIRT=0
	PREF64_LIFETIME=600 RA_INTERVAL=10 ROUTER_LIFETIME=1800
	RA_M=0 RA_SLAAC=1 DHCP4=off DHCP6=off DHCP6_VALID=600
	while [ $# -gt 0 ]; do
		case $1 in
		--id) ID=$2; shift ;;
		--mode) MODE=$2; shift ;;
		--plat) PLAT=$2; shift ;;
		--plat-slow) PLAT_SLOW=1 ;;
		--mtu-1280) MTU1280=1 ;;
		--two-uplinks) TWO=1 ;;
		--no-pref64) NO_PREF64=1 ;;
		--no-rdnss) NO_RDNSS=1 ;;
		--no-dad) NO_DAD=1 ;;
		--pref64-lifetime) PREF64_LIFETIME=$2; shift ;;
		--ra-interval) RA_INTERVAL=$2; shift ;;
		--router-lifetime) ROUTER_LIFETIME=$2; shift ;;
		--mesh) MESH=1 ;;
		--docker) DOCKER=1 ;;
		--libvirt) VIRT=1 ;;
		--ra-managed) RA_M=1 ;;
		--ra-no-slaac) RA_SLAAC=0 ;;
		--dhcp4) DHCP4=$2; shift ;;
		--dhcp6) DHCP6=$2; shift ;;
		--dhcp6-valid) DHCP6_VALID=$2; shift ;;
		*) usage ;;
		esac
		shift
	done
	case $MODE in full | clat-alone) ;; *) die "--mode full|clat-alone" ;; esac
	case $PLAT in tayga | xlat-siit) ;; *) die "--plat tayga|xlat-siit" ;; esac
	[ "$MESH" = 0 ] || [ "$TWO" = 0 ] || die "--mesh needs one uplink"
	case $DHCP4 in off | v6only | plain) ;; *) die "--dhcp4 v6only|plain" ;; esac
	case $DHCP6 in off | na | pd | na+pd) ;; *) die "--dhcp6 na|pd|na+pd" ;; esac
	if ! [[ $DHCP6_VALID =~ ^[0-9]+$ ]] || [ "$DHCP6_VALID" -lt 8 ]; then
		die "--dhcp6-valid: seconds, at least 8"
	fi
	check_deps
	local t0
	t0=$(now_us)
	ID=${ID:-xl-$$}
	[[ $ID =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$ ]] ||
		die "bad id $ID (letters, digits, - and _, at most 21)"
	LDIR=$(lab_dir "$ID")
	mkdir -p "$STATE_ROOT"
	if [ -e "$LDIR" ] || [ -e "$(env_file "$ID")" ]; then
		die "lab $ID exists; lab.sh down $ID"
	fi
	local n
	for n in client router router2 plat plat2 server hood1 hood2 ctr vm; do
		[ ! -e "/run/netns/$ID-$n" ] || die "namespace $ID-$n exists"
	done
	mkdir -p "$LDIR"
	echo "$OWNER" >"$LDIR/owner"
	: >"$LDIR/pids"
	: >"$LDIR/netns"
	trap up_failed EXIT
	trap 'exit 130' INT TERM
	# Until the env file is complete, it holds what down needs (and
	# plat_args).
	printf 'LAB_ID=%s\nLAB_OWNER=%s\nLAB_PLAT_SLOW=%s\n' "$ID" "$OWNER" \
		"$PLAT_SLOW" >"$(env_file "$ID")"

	NS_CLIENT=$ID-client
	NS_SERVER=$ID-server
	kv LAB_ID "$ID"
	kv LAB_MODE "$MODE"
	kv LAB_PLAT "$([ "$MODE" = full ] && echo "$PLAT" || echo none)"
	kv LAB_PLAT_SLOW "$PLAT_SLOW"
	kv LAB_OWNER "$OWNER"
	kv LAB_ENV "$(env_file "$ID")"
	kv LAB_DIR "$LDIR"
	kv LAB_MTU_1280 "$MTU1280"
	kv LAB_TWO_UPLINKS "$TWO"
	kv LAB_NATIVE4 off
	kv LAB_MESH "$MESH"
	kv LAB_DOCKER "$DOCKER"
	kv LAB_LIBVIRT "$VIRT"
	kv NS_CLIENT "$NS_CLIENT"
	kv NS_SERVER "$NS_SERVER"

	mkns "$NS_CLIENT"
	sysctls "$NS_CLIENT" net.ipv6.conf.all.forwarding=0 \
		net.ipv4.ip_forward=0 net.ipv6.conf.default.accept_ra=1
	build_server
	local ks=(1)
	[ "$TWO" = 0 ] || ks=(1 2)
	local k
	for k in "${ks[@]}"; do
		build_router "$k"
		if [ "$MODE" = full ]; then
			build_plat "$k"
		else
			clat_alone_link "$k"
		fi
	done
	[ "$MESH" = 0 ] || build_mesh
	[ "$DOCKER" = 0 ] || build_docker
	[ "$VIRT" = 0 ] || build_libvirt
	fail_point links
	start_services
	kv DHCP4_MODE "$DHCP4"
	kv DHCP6_MODE "$DHCP6"
	[ "$DHCP4" = off ] || start_dhcp4
	[ "$DHCP6" = off ] || start_dhcp6
	fail_point services

	kv SERVER4 "$SERVER4"
	kv SERVER_NAME "$SERVER_NAME"
	kv SERVER_HTTP_PORT "$HTTP_PORT"
	kv SERVER_HTTP_BODY "$HTTP_BODY"
	kv SERVER_URL6 "http://[$(server6 1)]:$HTTP_PORT/"
	kv SERVER_URL4 "http://$SERVER4:$HTTP_PORT/"
	kv SERVER_BIG_PATH /big.bin
	kv SERVER_BIG_SIZE "$BIG_SIZE"
	kv SERVER_BIG_SHA256 "$BIG_SHA256"
	kv SERVER_IPERF_PORT "$IPERF_PORT"
	kv SERVER_ECHO_PORT "$ECHO_PORT"
	kv NATIVE4_ADDR "$NATIVE4_ADDR"
	kv NATIVE4_GW "$NATIVE4_GW"
	printf '%s\n' "${OUT[@]}" >"$(env_file "$ID")"

	# RA senders once the env file has their parameters.
	for k in "${ks[@]}"; do
		local rns
		eval "rns=\$R_NS_$k"
		ra_args "$k"
		start_bg "ra$k" "$rns" "${RA_CMD[@]}"
	done

	for k in "${ks[@]}"; do
		local s="" rns cif addr
		[ "$k" = 1 ] || s=_2
		eval "rns=\$R_NS_$k"
		cif=$(client_if "$k")
		wait_until 10 "an RA on $NS_CLIENT $cif" client_ready "$cif" \
			"$(env_get "$ID" "RA_SLAAC$s")"
		addr=$(ip -n "$NS_CLIENT" -6 -o addr show dev "$cif" scope global |
			awk '{ sub(/\/.*/, "", $4); print $4; exit }')
		env_set "$ID" "CLIENT_ADDR$s" "$addr"
		wait_until 5 "DNS64 in $rns" dns_ready "$rns" "$(dns64_addr "$k")"
	done
	fail_point ready
	wait_until 5 "HTTP server" listening "$NS_SERVER" t "$HTTP_PORT"
	wait_until 5 "iperf3 server" listening "$NS_SERVER" t "$IPERF_PORT"
	wait_until 5 "echo server" listening "$NS_SERVER" u "$ECHO_PORT"
	if [ "$DHCP4" != off ]; then
		wait_until 5 "dnsmasq" listening "$R_NS_1" u 67
	fi
	if [ "$DHCP6" != off ]; then
		wait_until 10 "kea-dhcp6" listening "$R_NS_1" u 547
	fi
	local name pid start
	while read -r name pid start; do
		proc_alive "$pid" "$start" ||
			die "$name (pid $pid) exited; see $LDIR/$name.log"
	done <"$LDIR/pids"
	local ms=$((($(now_us) - t0) / 1000))
	env_set "$ID" LAB_UP_MS "$ms"
	trap - EXIT INT TERM
	cat "$(env_file "$ID")"
}

# ---------------------------------------------------------------- others

cmd_down() {
	[ $# -eq 1 ] || usage
	if [ "$1" = --all-mine ]; then
		local f id
		for f in "$STATE_ROOT"/*.env; do
			[ -e "$f" ] || continue
			id=$(basename "$f" .env)
			[ "$(cat "$(lab_dir "$id")/owner" 2>/dev/null ||
				env_get "$id" LAB_OWNER)" = "$OWNER" ] || continue
			down_lab "$id"
		done
		# A lab whose env file is gone but whose directory is not.
		for f in "$STATE_ROOT"/*/owner; do
			[ -e "$f" ] || continue
			[ "$(cat "$f")" = "$OWNER" ] || continue
			down_lab "$(basename "$(dirname "$f")")"
		done
	else
		if [ ! -e "$(env_file "$1")" ] && [ ! -d "$(lab_dir "$1")" ]; then
			echo "lab: no lab $1, nothing to do" >&2
			return 0
		fi
		down_lab "$1"
	fi
}

cmd_exec() {
	[ $# -ge 2 ] || usage
	resolve_id
	local ns
	ns=$(role_ns "$1")
	shift
	exec ip netns exec "$ns" "$@"
}

cmd_native_ipv4() {
	local what=${1:-} k=1
	shift || true
	[ "${1:-}" != --uplink ] || { k=$2; shift 2; }
	[ $# -eq 0 ] || usage
	resolve_id
	local s="" cns rns cif
	[ "$k" = 1 ] || s=_2
	cns=$(env_get "$ID" NS_CLIENT)
	rns=$(env_get "$ID" "NS_ROUTER$s")
	[ -n "$rns" ] || die "lab $ID has no uplink $k"
	cif=$(env_get "$ID" "CLIENT_IF$s")
	case $what in
	on)
		ip -n "$rns" addr replace "$NATIVE4_GW/24" dev cl0
		ip -n "$cns" addr replace "$NATIVE4_ADDR" dev "$cif"
		ip -n "$cns" route replace default via "$NATIVE4_GW" dev "$cif"
		;;
	off)
		ip -n "$cns" route del default via "$NATIVE4_GW" dev "$cif" \
			2>/dev/null || true
		ip -n "$cns" addr del "$NATIVE4_ADDR" dev "$cif" 2>/dev/null || true
		ip -n "$rns" addr del "$NATIVE4_GW/24" dev cl0 2>/dev/null || true
		;;
	*) usage ;;
	esac
	env_set "$ID" "LAB_NATIVE4$s" "$what"
	echo "LAB_NATIVE4$s=$what"
}

onoff() {
	case $1 in on) echo 1 ;; off) echo 0 ;; *) die "on or off, not $1" ;; esac
}

cmd_ra() {
	local k=1 once=0 stop=0 sets=()
	while [ $# -gt 0 ]; do
		case $1 in
		--uplink) k=$2; shift ;;
		--once) once=1 ;;
		--stop) stop=1 ;;
		--pref64) sets+=("RA_PREF64 $2"); shift ;;
		--pref64-lifetime) sets+=("RA_PREF64_LIFETIME $2"); shift ;;
		--rdnss) sets+=("RA_RDNSS $2"); shift ;;
		--router-lifetime) sets+=("RA_ROUTER_LIFETIME $2"); shift ;;
		--router-pref) sets+=("RA_ROUTER_PREF $2"); shift ;;
		--prefix) sets+=("RA_PREFIX $2"); shift ;;
		--interval) sets+=("RA_INTERVAL $2"); shift ;;
		--mtu) sets+=("RA_MTU $2"); shift ;;
		--managed) sets+=("RA_MANAGED $(onoff "$2")"); shift ;;
		--slaac) sets+=("RA_SLAAC $(onoff "$2")"); shift ;;
		*) usage ;;
		esac
		shift
	done
	resolve_id
	local s="" rns kv1
	[ "$k" = 1 ] || s=_2
	rns=$(env_get "$ID" "NS_ROUTER$s")
	[ -n "$rns" ] || die "lab $ID has no uplink $k"
	LDIR=$(lab_dir "$ID")
	exec 9>>"$LDIR/lock"
	flock -w 10 9 || die "lab $ID is busy"
	for kv1 in "${sets[@]}"; do
		env_set "$ID" "${kv1%% *}$s" "${kv1#* }"
	done
	stop_recorded "ra$k"
	if [ "$stop" = 1 ]; then
		env_set "$ID" "RA_RUNNING$s" 0
		echo "RA_RUNNING$s=0"
		return
	fi
	ra_args "$k"
	if [ "$once" = 1 ]; then
		nsexec "$rns" timeout 15 "${RA_CMD[@]}" --once \
			2>>"$LDIR/ra$k.log"
		env_set "$ID" "RA_RUNNING$s" 0
	else
		start_bg "ra$k" "$rns" "${RA_CMD[@]}"
		wait_until 5 "the first RA" grep -q \
			"^ra-sender\[$LAST_PID\]: RA (start)" "$LDIR/ra$k.log"
		env_set "$ID" "RA_RUNNING$s" 1
	fi
	grep -E "^RA_[A-Z0-9_]*$s=" "$(env_file "$ID")" |
		{ if [ -z "$s" ]; then grep -v '_2='; else cat; fi; }
}

# cmd_plat stop|start [--uplink k]: stop the PLAT's daemon (SIGTERM), or
# start it again; its TUN device, routes and data-dir stay.
cmd_plat() {
	local what=${1:-} k=1
	shift || true
	[ "${1:-}" != --uplink ] || { k=$2; shift 2; }
	[ $# -eq 0 ] || usage
	resolve_id
	local s="" ns plat
	[ "$k" = 1 ] || s=_2
	ns=$(env_get "$ID" "NS_PLAT$s")
	plat=$(env_get "$ID" LAB_PLAT)
	[ -n "$ns" ] || die "lab $ID has no PLAT on uplink $k"
	LDIR=$(lab_dir "$ID")
	exec 9>>"$LDIR/lock"
	flock -w 10 9 || die "lab $ID is busy"
	case $what in
	stop) stop_recorded "plat$k" ;;
	start)
		stop_recorded "plat$k"
		start_plat "$k" "$ns" "$plat" "$LDIR/plat$k"
		;;
	*) usage ;;
	esac
}

cmd_snapshot() {
	[ $# -eq 1 ] || usage
	resolve_id
	local ns
	ns=$(role_ns "$1")
	# shellcheck disable=SC2016 # expanded by the inner bash
	nsexec "$ns" bash -c '
		export LC_ALL=C
		echo "## sysctl forwarding"
		sysctl -a 2>/dev/null | grep forwarding | sort
		# without packet counters, which traffic changes
		echo "## nft list ruleset"
		if command -v nft >/dev/null; then
			nft list ruleset 2>&1 |
				sed "s/counter packets [0-9]* bytes [0-9]*/counter/"
		fi
		for t in iptables ip6tables; do
			echo "## $t-save"
			if command -v $t-save >/dev/null; then
				$t-save 2>/dev/null | grep -v "^#" |
					sed "s/ \[[0-9]*:[0-9]*\]\$//" || true
			fi
		done
		echo "## ip -4 rule"
		ip -4 rule
		echo "## ip -6 rule"
		ip -6 rule
		echo "## ip -6 neigh show proxy"
		ip -6 neigh show proxy | sort
	'
}

cmd_list() {
	local f id
	for f in "$STATE_ROOT"/*.env; do
		[ -e "$f" ] || continue
		id=$(basename "$f" .env)
		echo "$id owner=$(env_get "$id" LAB_OWNER)" \
			"mode=$(env_get "$id" LAB_MODE)"
	done
}

while [ $# -gt 0 ]; do
	case $1 in
	--id) ID=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
sub=$1
shift
case $sub in
up) cmd_up "$@" ;;
down) cmd_down "$@" ;;
exec) cmd_exec "$@" ;;
native-ipv4) cmd_native_ipv4 "$@" ;;
ra) cmd_ra "$@" ;;
plat) cmd_plat "$@" ;;
snapshot) cmd_snapshot "$@" ;;
env) resolve_id; cat "$(env_file "$ID")" ;;
list) cmd_list ;;
-h | --help | help) usage 0 ;;
*) usage ;;
esac
