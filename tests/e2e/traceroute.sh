#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Traceroute and TTL: an IPv4 traceroute (ICMP and UDP) through
# xlatd in the full lab shows every hop, the IPv6 ones by their ICMPv6
# "time exceeded" translated into ICMPv4, and ping shows the TTL the
# replies really arrive with; with TAYGA as the PLAT, then xlat-siit,
# which must look the same.
#
# What a correct CLAT shows. The path, IPv4 TTL 64 on the server's
# replies:
#
#   client --- router --- plat (kernel, then the PLAT) --- server
#    CLAT      IPv6 fwd    IPv6 fwd  SIIT + IPv4 fwd    203.0.113.10
#
#   hop 1  192.0.0.8       the CLAT itself. A translator is a router
#                          (RFC 7915 sections 4.1 and 5.1: it decrements
#                          the TTL and the hop limit), and xlatd does so by
#                          default (decrement-ttl=yes, xlatd.conf(5)), as
#                          TAYGA does under clatd. A probe with TTL 1 ends
#                          in the CLAT, which answers from xlat-v4-addr,
#                          192.0.0.8 (RFC 7600) by default.
#   hop 2  192.0.0.8       the router: its ICMPv6 error comes from
#                          2001:db8:1::1, outside the PLAT prefix, so it
#                          has no IPv4 form; RFC 6791 says to use a
#                          source of the translator's own: rfc6791-v4,
#                          192.0.0.8 by default.
#   hop 3  192.0.0.8       the plat's kernel forwarding IPv6 into the
#                          PLAT (2001:db8:f1::2): the same.
#   hop 4  PLAT_TAYGA4     the PLAT. It answers from its IPv6 address,
#                          which is its IPv4 address in the PLAT prefix,
#                          so the CLAT extracts 198.51.100.129 (RFC 6052).
#   hop 5  198.51.100.x    the plat's kernel forwarding IPv4 to the
#                          server: an ICMPv4 error that the PLAT turns
#                          into ICMPv6 from inside the prefix, which the
#                          CLAT turns back into IPv4.
#   hop 6  203.0.113.10    the server.
#
# Hops 2 and 3 look the same as hop 1, so the test also counts: the
# router and the plat must have sent ICMPv6 "time exceeded" and xlatd
# must have translated ICMPv6 to ICMPv4 and generated errors itself.
#
# Replies: 64, less one at each of the plat's IPv4 forwarding, the PLAT, the
# plat's IPv6 forwarding, the router and the CLAT: ttl=59, which is 64 -
# (6 - 1), the hops before the server. With decrement-ttl=no the CLAT
# is no hop: five hops, the router first, and ttl=60.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir

# hops METHOD: "N ADDRESS" for each hop of a traceroute to the server
# (METHOD icmp: ICMP echo; default: UDP to port 33434 and up); tried up
# to three times until no hop is missing ("*"): the routers rate-limit
# their ICMP errors.
hops() {
	local method=$1 out
	for _ in 1 2 3; do
		out=$(in_ns client traceroute -n -M "$method" -q 1 -w 2 -m 10 \
			"$SERVER4" 2>&1 | awk 'NR > 1 { print $1, $2 }')
		grep -q '\*' <<<"$out" || break
		sleep 1
	done
	echo "$out"
}

# icmp6_time_exceeded ROLE: how many ICMPv6 "time exceeded" ROLE sent.
icmp6_time_exceeded() {
	# shellcheck disable=SC2016 # awk's $1, not the shell's
	in_ns "$1" awk '$1 == "Icmp6OutTimeExcds" { print $2 }' \
		/proc/net/snmp6
}

# xstat PYEXPR: a value from xlatctl stats --json (i = the instance).
xstat() {
	xlatctl stats --json | python3 -c '
import json, sys
i = json.load(sys.stdin)["instances"][0]
print(eval(sys.argv[1]))' "$1"
}

# ping_ttls: the distinct TTLs of three echo replies.
ping_ttls() {
	in_ns client ping -c 3 -i 0.2 -W 2 "$SERVER4" |
		sed -n 's/.* ttl=\([0-9]*\) .*/\1/p' | sort -u | tr '\n' ' ' |
		sed 's/ $//'
}

for plat in tayga xlat-siit; do
	lab_up --mode full --plat "$plat" || exit 1
	xlatd_run "$plat: decrement-ttl=yes"
	want="1 192.0.0.8
2 192.0.0.8
3 192.0.0.8
4 $PLAT_TAYGA4"
	for mode in icmp default; do
		r0=$(icmp6_time_exceeded router)
		p0=$(icmp6_time_exceeded plat)
		gen0=$(xstat 'i["ipv4_to_ipv6"]["icmp_errors_sent"]')
		tr0=$(xstat 'i["ipv6_to_ipv4"]["icmp"]["out"]')
		h=$(hops "$mode")
		check_eq "$plat: traceroute ($mode): hops 1-4 (CLAT, router, plat, PLAT)" \
			"$want" "$(head -n 4 <<<"$h")"
		check_match "$plat: traceroute ($mode): hop 5 is the plat's IPv4 side" \
			'^5 198\.51\.100\.[0-9]+$' "$(sed -n 5p <<<"$h")"
		check_eq "$plat: traceroute ($mode): hop 6 is the server, the last" \
			"6 $SERVER4" "$(tail -n +6 <<<"$h")"
		check "$plat: traceroute ($mode): the router sent ICMPv6 time exceeded" \
			test "$(icmp6_time_exceeded router)" -gt "$r0"
		check "$plat: traceroute ($mode): the plat sent ICMPv6 time exceeded" \
			test "$(icmp6_time_exceeded plat)" -gt "$p0"
		# hops 2-5 and, for -U, the port unreachable of hop 6
		check "$plat: traceroute ($mode): xlatd translated ICMPv6 errors" \
			test "$(xstat 'i["ipv6_to_ipv4"]["icmp"]["out"]')" -ge \
			"$((tr0 + 4))"
		check "$plat: traceroute ($mode): xlatd sent hop 1's time exceeded" \
			test "$(xstat 'i["ipv4_to_ipv6"]["icmp_errors_sent"]')" -gt \
			"$gen0"
	done
	check_eq "$plat: ping: reply TTL 64 - 5 hops" 59 "$(ping_ttls)"
	xlatd_stop_ok "$plat: decrement-ttl=yes"

	xlatd_run "$plat: decrement-ttl=no" decrement-ttl=no
	h=$(hops icmp)
	check_eq "$plat: decrement-ttl=no: the router is hop 1, the PLAT hop 3" \
		"1 192.0.0.8
2 192.0.0.8
3 $PLAT_TAYGA4" "$(head -n 3 <<<"$h")"
	check_eq "$plat: decrement-ttl=no: the server is hop 5" "5 $SERVER4" \
		"$(tail -n +5 <<<"$h")"
	check_eq "$plat: decrement-ttl=no: ping reply TTL 64 - 4 hops" 60 "$(ping_ttls)"
	xlatd_stop_ok "$plat: decrement-ttl=no"
	lab_down
done

summary
