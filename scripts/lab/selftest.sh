#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Smoke test of the lab itself, without xlatd: bring the lab up in each
# mode, check what the client gets (SLAAC, default route, PREF64 and RDNSS
# over netlink, DNS64) and that the server answers on its synthesized IPv6
# address (through TAYGA in full mode, natively in clat-alone mode), then
# take it down and check that nothing is left. Also checks `ra`,
# `native-ipv4`, `snapshot` and the cleanup after a failed `up`.
#
#   sudo scripts/lab/selftest.sh [UP-OPTIONS...]
#
# With UP-OPTIONS it tests only that lab; without, five labs: full,
# clat-alone, full --two-uplinks --mtu-1280, clat-alone --two-uplinks
# --no-pref64 --no-rdnss and full --mesh --docker. Ends with "N passed, M failed"; status 1 if
# anything failed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/e2e/lib/assert.sh

LAB=scripts/lab/lab.sh
NDU=scripts/lab/nduseropt.py
STATE_ROOT=${XLAB_STATE_DIR:-/run/xlatd-lab}
export XLAB_OWNER=selftest-$$
unset XLAB_ID
trap '"$LAB" down --all-mine >/dev/null 2>&1; rm -rf "$E2E_TMP"' EXIT

ms_since() { # start (from now_us)
	echo $((($(now_us) - $1) / 1000))
}
now_us() {
	local t=${EPOCHREALTIME//[.,]/}
	echo $((10#$t))
}

# lx client|server|... CMD...: run CMD in the lab, killed after 15 s.
lx() {
	local role=$1
	shift
	"$LAB" --id "$LAB_ID" exec "$role" timeout -k 1 15 "$@"
}

udp_echo() { # ADDR [IFACE]
	lx client python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET,
                  socket.SOCK_DGRAM)
if len(sys.argv) > 2:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[2].encode())
s.settimeout(3)
s.connect((sys.argv[1], 7))
s.send(b"lab-echo")
sys.exit(s.recv(100) != b"lab-echo")' "$@"
}

# uplink_checks N: what the client sees on uplink N (1 or 2).
uplink_checks() {
	local k=$1 s="" t
	[ "$k" = 1 ] || s=_2
	local cif prefix rll dns pfx server6 ra_pref64 ra_rdnss life
	eval "cif=\$CLIENT_IF$s prefix=\$CLIENT_PREFIX$s rll=\$ROUTER_LL$s"
	eval "dns=\$DNS64$s pfx=\$PLAT_PREFIX$s server6=\$SERVER6$s"
	eval "ra_pref64=\$RA_PREF64$s ra_rdnss=\$RA_RDNSS$s"
	eval "life=\$RA_PREF64_LIFETIME$s"
	local m="$LAB_MODE up$((k - 1))"

	check_match "$m: SLAAC address in $prefix" \
		"inet6 ${prefix%::/64}:[0-9a-f:]+/64 scope global dynamic" \
		"$(lx client ip -6 addr show dev "$cif" scope global)"
	check_match "$m: default route via $rll" "^default via $rll dev $cif" \
		"$(lx client ip -6 route show default)"

	local opts
	opts=$(lx client python3 "$NDU" --solicit "$cif" --iface "$cif" \
		--settle 0.3 --timeout 3)
	if [ "$ra_pref64" != none ]; then
		check_match "$m: nduseropt PREF64 (type 38) $pfx" \
			"^iface=$cif src=$rll type=38 pref64=$pfx lifetime=$life\$" \
			"$opts"
	else
		check_fails "$m: no PREF64 in the RA" grep -q 'type=38' <<<"$opts"
	fi
	if [ "$ra_rdnss" != none ]; then
		check_match "$m: nduseropt RDNSS (type 25) $dns" \
			"^iface=$cif src=$rll type=25 rdnss=$dns " "$opts"
	else
		check_fails "$m: no RDNSS in the RA" grep -q 'type=25' <<<"$opts"
	fi

	local p=${pfx%/96}
	check_eq "$m: DNS64 AAAA ipv4only.arpa" "${p}c000:aa ${p}c000:ab" \
		"$(lx client dig +short +time=2 +tries=2 @"$dns" AAAA \
			ipv4only.arpa | sort | xargs)"
	check_eq "$m: DNS64 AAAA $SERVER_NAME" "$server6" \
		"$(lx client dig +short +time=2 +tries=2 @"$dns" AAAA \
			"$SERVER_NAME")"

	t=$(now_us)
	check_eq "$m: curl -6 http://[$server6]/" "$SERVER_HTTP_BODY" \
		"$(lx client curl -sS -6 --max-time 5 --interface "$cif" \
			"http://[$server6]:$SERVER_HTTP_PORT/")"
	check "$m: ping6 $server6" lx client ping -6 -c 2 -i 0.2 -W 2 \
		-I "$cif" "$server6"
	check "$m: UDP echo $server6" udp_echo "$server6" "$cif"
	check_eq "$m: 1 MiB download intact" "$SERVER_BIG_SHA256" \
		"$(lx client curl -sS -6 --max-time 10 --interface "$cif" \
			"http://[$server6]:$SERVER_HTTP_PORT$SERVER_BIG_PATH" |
			sha256sum | cut -d' ' -f1)"
	echo "     (data path checks: $(ms_since "$t") ms)"
}

# run_lab UP-OPTIONS...: one lab, up to down.
run_lab() {
	local t out
	t=$(now_us)
	if ! out=$(timeout -k 5 60 "$LAB" up "$@"); then
		fail "up $*" "lab.sh up failed"
		return
	fi
	eval "$out"
	pass "up $* ($LAB_UP_MS ms): $LAB_ID"
	local m=$LAB_MODE

	check_eq "$m: client has no IPv4" "" "$(client_v4)"
	uplink_checks 1
	[ "$LAB_TWO_UPLINKS" = 0 ] || uplink_checks 2

	if [ "$m" = full ]; then
		check_match "$m: the server sees the PLAT's address $PLAT_ADDR4" \
			"^::ffff:$PLAT_ADDR4 .*GET / " "$(cat "$LAB_DIR/http.log")"
	else
		check_match "$m: the server sees the client's IPv6 address" \
			"^$CLIENT_ADDR .*GET / " "$(cat "$LAB_DIR/http.log")"
		check "$m: IPv6 fragments answered (ping6 -s 3000)" \
			lx client ping -6 -c 1 -W 2 -s 3000 "$SERVER6"
	fi
	if [ "$LAB_MTU_1280" = 1 ]; then
		check_match "$m: 1280 link: Packet Too Big from $ROUTER_ADDR" \
			"From $ROUTER_ADDR .*Packet too big: mtu=1280" \
			"$(lx client ping -6 -c 1 -W 2 -s 1400 -M "do" "$SERVER6")"
	fi

	# A new PREF64 reaches the client at once.
	if [ "$RA_PREF64" != none ]; then
		local lis="$LAB_DIR/selftest-nduseropt.out"
		lx client python3 "$NDU" --iface up0 --type 38 --count 1 \
			--timeout 4 >"$lis" 2>&1 &
		local lpid=$!
		sleep 0.3 # the listener subscribes (python start-up)
		t=$(now_us)
		"$LAB" --id "$LAB_ID" ra --pref64 2001:db8:99::/96 \
			--pref64-lifetime 80 >/dev/null
		wait "$lpid"
		check_match "$m: ra --pref64 2001:db8:99::/96 seen by the client" \
			"type=38 pref64=2001:db8:99::/96 lifetime=80" "$(cat "$lis")"
		echo "     (new PREF64 seen after $(ms_since "$t") ms)"
		check "$m: ra back to $PLAT_PREFIX" "$LAB" --id "$LAB_ID" ra \
			--pref64 "$PLAT_PREFIX" --pref64-lifetime "$RA_PREF64_LIFETIME"
	fi

	check "$m: native-ipv4 on" "$LAB" --id "$LAB_ID" native-ipv4 on
	check_match "$m: client has $NATIVE4_ADDR and a default route" \
		"^default via $NATIVE4_GW dev up0" \
		"$(lx client ip -4 route show default)"
	check_eq "$m: curl -4 $SERVER_URL4 natively" "$SERVER_HTTP_BODY" \
		"$(lx client curl -sS -4 --max-time 5 "$SERVER_URL4")"
	check "$m: native-ipv4 off" "$LAB" --id "$LAB_ID" native-ipv4 off
	check_eq "$m: client has no IPv4 again" "" "$(client_v4)"

	local snap
	snap=$("$LAB" --id "$LAB_ID" snapshot client)
	check_match "$m: snapshot has all sections" '^## ip -6 neigh show proxy$' \
		"$snap"
	if [ "$LAB_MESH$LAB_DOCKER" = 00 ]; then
		check_fails "$m: client forwarding is off everywhere" \
			grep -Eq '\.forwarding = 1' <<<"$snap"
	fi
	[ "$LAB_MESH" = 0 ] || mesh_checks "$m"
	[ "$LAB_DOCKER" = 0 ] || check "$m: the container reaches docker0" \
		lx ctr ping -c 1 -W 2 "$CTR_GW"
	check_eq "$m: snapshot is stable" "$snap" \
		"$("$LAB" --id "$LAB_ID" snapshot client)"

	# Take it down and check that nothing is left.
	local ns pids=() more n
	while read -r ns; do
		read -ra more <<<"$(ip netns pids "$ns" 2>/dev/null | xargs)"
		pids+=("${more[@]}")
	done <"$LAB_DIR/netns"
	t=$(now_us)
	check "$m: down" "$LAB" down "$LAB_ID"
	echo "     (down: $(ms_since "$t") ms)"
	n=$(ip netns list | grep -c "^$LAB_ID-")
	check_eq "$m: no namespace $LAB_ID-* left" 0 "$n"
	check "$m: none of its ${#pids[@]} processes left" \
		wait_for 5 none_alive "${pids[@]}"
	check_fails "$m: no state left" ls -d "$STATE_ROOT/$LAB_ID" \
		"$STATE_ROOT/$LAB_ID.env" "/etc/netns/$LAB_ID-client"
}

# client_v4: the client's own IPv4 (not that of its LANs, with --mesh or
# --docker): addresses and routes.
client_v4() {
	if [ "$LAB_MESH$LAB_DOCKER" = 00 ]; then
		lx client ip -4 -o addr show scope global
		lx client ip -4 route
	else
		lx client ip -4 -o addr show dev up0 scope global
		lx client ip -4 route show default
	fi
}

# mesh_checks M: the hoods, the backbone's second link, the recipe's
# table and (full mode) the PLAT with the well-known prefix.
mesh_checks() {
	local m=$1 k
	for k in 1 2; do
		check "$m: hood$k reaches its gateway" lx "hood$k" ping -c 1 \
			-W 2 "$(eval echo "\$HOOD${k}_GW")"
	done
	check "$m: table $MESH_TABLE is named in the client" \
		lx client grep -q "^${MESH_TABLE_ID}[[:space:]]${MESH_TABLE}\$" \
		/etc/iproute2/rt_tables
	check_match "$m: the router sends $MESH_CLAT6 over link 2" \
		"via $BACKBONE2_LL dev $BACKBONE2_ROUTER_IF" \
		"$(lx router ip -6 route show "$MESH_CLAT6/128")"
	[ "$LAB_MODE" = full ] || return 0
	check_eq "$m: curl [$SERVER6_WKP] through TAYGA with $WKP_PREFIX" \
		"$SERVER_HTTP_BODY" \
		"$(lx client curl -sS -6 --max-time 5 "http://[$SERVER6_WKP]/")"
	check "$m: ping $SERVER6_PRIVATE (private $SERVER4_PRIVATE)" \
		lx client ping -6 -c 1 -W 2 "$SERVER6_PRIVATE"
}

none_alive() { # PID...: none runs (zombies waiting for init do not count)
	local p st
	for p; do
		st=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$p/stat" \
			2>/dev/null) || continue
		[ "$st" = Z ] || [ -z "$st" ] || return 1
	done
}

# A failed `up` cleans up after itself, and `down` after it is harmless.
failed_up() {
	local id=sf-$$ t
	t=$(now_us)
	check_fails "up with XLAB_FAIL_AT=ready fails" \
		env XLAB_FAIL_AT=ready timeout -k 5 60 "$LAB" up --id "$id"
	echo "     (failed up and cleanup: $(ms_since "$t") ms)"
	check_eq "failed up: no namespace left" 0 \
		"$(ip netns list | grep -c "^$id-")"
	check_fails "failed up: no state left" ls -d "$STATE_ROOT/$id" \
		"$STATE_ROOT/$id.env"
	check_fails "failed up: no daemon left" pgrep -f "$STATE_ROOT/$id/"
	check "down after a failed up is harmless" "$LAB" down "$id"
}

[ "$(id -u)" = 0 ] || { echo "selftest: run as root" >&2; exit 1; }
T0=$(now_us)
if [ $# -gt 0 ]; then
	(run_lab "$@")
else
	(run_lab --mode full)
	(run_lab --mode clat-alone)
	(run_lab --mode full --two-uplinks --mtu-1280)
	(run_lab --mode clat-alone --two-uplinks --no-pref64 --no-rdnss)
	(run_lab --mode full --mesh --docker)
	failed_up
fi
echo "selftest: $(ms_since "$T0") ms"
summary
