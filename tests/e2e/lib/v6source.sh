# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
#
# What the tests of the CLAT address's sources (xlatd(8), CLAT IPV6
# ADDRESS) check of a running xlatd: the source xlatctl status names,
# traffic end to end, fragments both ways, which path translated, and
# what SIGTERM leaves; a lab with DHCPv6 and dhcpcd as the host's
# client. Source after e2e.sh and router.sh.

# shellcheck source=lib/dhcpcd.sh
. "$E2E_LIB/dhcpcd.sh"

# v6source_cleanup: xlatd, dhcpcd (and its files) and the lab go.
v6source_cleanup() {
	xlatd_kill
	dhcpcd_cleanup
	lab_down
}

# v6source_dhcp_lab MODE IA [LAB_OPTION...]: skip (77) without kea-dhcp6 or dhcpcd; a lab
# whose RAs have the M flag and no SLAAC prefix, Kea in --dhcp6 MODE, and
# dhcpcd as the host's client with IA ("ia_na 1", "ia_pd 1") and
# noipv6rs: the kernel keeps the RAs, so that their M flag and PREF64
# reach xlatd. On exit, v6source_cleanup. Not in a subshell (dhcpcd's
# PID).
v6source_dhcp_lab() {
	command -v kea-dhcp6 >/dev/null || {
		echo "SKIP: needs kea-dhcp6 (apt-get install kea-dhcp6-server)"
		exit 77
	}
	dhcpcd_need
	[ -n "${XLATD_DIR:-}" ] || e2e_xlatd_dir
	dhcpcd_remember
	local mode=$1 ia=$2
	shift 2
	lab_up --mode clat-alone --ra-managed --ra-no-slaac --dhcp6 "$mode" \
		"$@" || exit 1
	trap 'v6source_cleanup; e2e_exit' EXIT
	printf 'ipv6only\nnoipv6rs\ninterface %s\n  %s\n' "$CLIENT_IF" "$ia" \
		>"$XLATD_DIR/c6.conf"
	dhcpcd_start c6 -f "$XLATD_DIR/c6.conf" -6
}

# v6source_run WHAT SOURCE FAST [key=value...]: xlatd on the client's
# uplink with the keys; running with its CLAT address from SOURCE
# (status text and JSON); ping, HTTP, 1 MiB, UDP, a 3000-byte ping and
# a 4000-byte UDP echo; the fast path took packets when FAST is yes,
# none when no. V6SOURCE_ADDR is the CLAT address after it.
v6source_run() {
	local what=$1 source=$2 fast=$3
	shift 3
	xlatd_run "$what" plat-dev="$CLIENT_IF" "$@"
	check_eq "$what: clat_v6_source" "$source" "$(st clat_v6_source)"
	V6SOURCE_ADDR=$(clat_v6)
	check_match "$what: xlatctl status names the source" \
		"CLAT IPv6: +$V6SOURCE_ADDR \\($source\\)" "$(xlatctl status)"
	expect_traffic_from client "$what" "$SERVER4"
	lan_fragments client "$what"
	if [ "$fast" = yes ]; then
		check_match "$what: the fast path took packets" \
			'^[1-9][0-9]*$' "$(fast_packets)"
	else
		check_eq "$what: nothing on the fast path" 0 "$(fast_packets)"
	fi
}

# v6source_stop WHAT: SIGTERM; nothing of xlatd's left: no IPv4 or IPv6
# route, no eBPF, no anycast membership for V6SOURCE_ADDR.
v6source_stop() {
	xlatd_stop_nothing_left "$1: SIGTERM" "$1"
	check_eq "$1: no IPv6 route of xlatd left" "" \
		"$(in_ns client ip -6 route show table all proto 88)"
	check_fails "$1: no anycast membership left" anycast_has \
		"$V6SOURCE_ADDR"
}
