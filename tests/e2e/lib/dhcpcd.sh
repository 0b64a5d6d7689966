# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
#
# dhcpcd as the lab client's DHCP client, run so that it changes nothing
# outside the lab: no hooks (-c /bin/true, so never the host's
# /etc/resolv.conf), in a session of its own, its files removed after.
# Source after e2e.sh, call dhcpcd_remember before the first dhcpcd_start
# and dhcpcd_cleanup on exit.
#
#   dhcpcd_remember
#   dhcpcd_start c4 -f "$XLATD_DIR/c4.conf" -4   # logs to $XLATD_DIR/c4.log
#   dhcpcd_cleanup

DHCPCD_PIDS=()

# dhcpcd_need: skip (77) without dhcpcd.
dhcpcd_need() {
	command -v dhcpcd >/dev/null || {
		echo "SKIP: needs dhcpcd (apt-get install dhcpcd-base)"
		exit 77
	}
}

# dhcpcd_remember: note which of dhcpcd's host files exist already, so
# that dhcpcd_cleanup removes only those the test made.
dhcpcd_remember() {
	DHCPCD_HAD_DUID=0
	[ ! -e /var/lib/dhcpcd/duid ] || DHCPCD_HAD_DUID=1
	DHCPCD_HAD_RUNDIR=0
	[ ! -e /run/dhcpcd ] || DHCPCD_HAD_RUNDIR=1
}

# dhcpcd_start NAME ARGS...: dhcpcd in the client namespace on
# $CLIENT_IF, in a session of its own (its helper processes stay in it),
# logging to NAME.log. Not in a subshell: DHCPCD_PIDS must keep its PID.
dhcpcd_start() {
	local name=$1
	shift
	setsid "$LAB" exec client dhcpcd -c /bin/true --nobackground "$@" \
		"$CLIENT_IF" >"$XLATD_DIR/$name.log" 2>&1 &
	DHCPCD_PIDS+=($!)
}

# dhcpcd_cleanup: stop the dhcpcds started (their sessions), remove their
# leases and the files they made.
dhcpcd_cleanup() {
	local p
	for p in "${DHCPCD_PIDS[@]}"; do
		kill -TERM -- "-$p" 2>/dev/null
	done
	[ "${#DHCPCD_PIDS[@]}" = 0 ] || sleep 0.5
	for p in "${DHCPCD_PIDS[@]}"; do
		kill -KILL -- "-$p" 2>/dev/null
	done
	DHCPCD_PIDS=()
	rm -f "/var/lib/dhcpcd/$CLIENT_IF.lease" \
		"/var/lib/dhcpcd/$CLIENT_IF.lease6"
	[ "${DHCPCD_HAD_DUID:-1}" = 1 ] || rm -f /var/lib/dhcpcd/duid
	[ "${DHCPCD_HAD_RUNDIR:-1}" = 1 ] || rm -rf /run/dhcpcd
}
