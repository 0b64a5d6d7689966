#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Show the whole of 464XLAT with our own programs on both sides: build
# them, bring up the namespace lab (an IPv6-only client, a router sending
# RAs with PREF64, unbound as DNS64, xlat-siit with nft masquerade as the
# NAT64 PLAT, an IPv4-only server; docs/lab.md), start xlatd in the
# client with no configuration at all, and use IPv4 from the client: ping
# and curl to an IPv4 literal. Show what both translators counted, stop
# xlatd, show that it left nothing behind, and take the lab down.
# Set SKIP_DEPS=1 to skip installing packages; DEMO_PLAT=tayga runs TAYGA
# as the PLAT instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SKIP_DEPS:-0}" != 1 ]; then
	./scripts/setup-deps.sh
fi
if [ ! -f build/build.ninja ]; then
	meson setup build
fi
meson compile -C build xlatd xlatctl xlat-siit >/dev/null
plat=${DEMO_PLAT:-xlat-siit}

LAB=scripts/lab/lab.sh
export XLAB_OWNER=demo-$$
work=$(mktemp -d /tmp/xlatd-demo.XXXXXX)
xlatd_pid=

cleanup() {
	if [ -n "$xlatd_pid" ]; then
		kill -TERM "$xlatd_pid" 2>/dev/null || true
		wait "$xlatd_pid" 2>/dev/null || true
	fi
	"$LAB" down --all-mine >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

step() {
	printf '\n== %s\n' "$*"
}

# client CMD...: run CMD in the client namespace, showing it.
client() {
	printf '%s\n' "client# $*"
	"$LAB" exec client "$@"
}

step "Bringing up the lab (namespaces, $plat, unbound, RAs with PREF64)"
eval "$("$LAB" up --plat "$plat")"
echo "client $CLIENT_ADDR on $CLIENT_IF, PLAT prefix $PLAT_PREFIX," \
	"IPv4-only server $SERVER4"
if [ "$plat" = xlat-siit ]; then
	echo "the PLAT's tayga.conf:"
	sed 's/^/  /' "$PLAT_CONF"
fi

step "Before xlatd: the client has no IPv4 at all"
client ip -4 route
client ping -c 1 -W 1 "$SERVER4" || true

step "Starting xlatd with no configuration (waits v4-conncheck-delay, 10 s)"
: >"$work/empty.conf"
"$LAB" exec client build/src/daemon/xlatd -c "$work/empty.conf" \
	control-socket="$work/control.sock" >"$work/xlatd.log" 2>&1 &
xlatd_pid=$!
xlatctl() {
	local sub=$1
	shift
	printf '%s\n' "client# xlatctl $sub $*"
	"$LAB" exec client build/src/ctl/xlatctl "$sub" \
		-s "$work/control.sock" "$@"
}
for _ in $(seq 300); do
	if "$LAB" exec client build/src/ctl/xlatctl status \
		-s "$work/control.sock" 2>/dev/null | grep -q ': running'; then
		break
	fi
	kill -0 "$xlatd_pid" 2>/dev/null || break
	sleep 0.1
done
sed 's/^/xlatd: /' "$work/xlatd.log"
xlatctl status

step "IPv4 through xlatd and $plat"
client ip -4 route
client ping -c 3 -i 0.3 "$SERVER4"
client curl -sS -m 10 "$SERVER_URL4"
echo
xlatctl stats
if [ "$plat" = xlat-siit ]; then
	step "What xlat-siit, the PLAT, did"
	printf '%s\n' "plat# xlatctl status -s $PLAT_SOCK"
	build/src/ctl/xlatctl status -s "$PLAT_SOCK"
	printf '%s\n' "plat# xlatctl stats -s $PLAT_SOCK"
	build/src/ctl/xlatctl stats -s "$PLAT_SOCK"
fi

step "Stopping xlatd (SIGTERM): nothing of it is left"
kill -TERM "$xlatd_pid"
wait "$xlatd_pid" || true
xlatd_pid=
client ip -br link
client ip -4 route
client ip -4 rule

step "Taking the lab down"
"$LAB" down --all-mine >/dev/null
echo "demo: done"
