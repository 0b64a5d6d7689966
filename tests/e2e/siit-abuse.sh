#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A PLAT faces the internet and its users, both untrusted. Malformed and
# odd packets from either side (lib/packets.py) are counted under their
# drop reason and dropped, and xlat-siit translates on. A burst of
# packets whose hop limit ends in the translator gets its ICMPv6 "time
# exceeded" at most at the rate xlat-siit allows (1000 a second, 1000
# at once), the rest counted. With tayga.conf's "log drop reject", each
# drop and refusal is a log line naming its reason, 10 a second at most.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir
PACKETS=$E2E_LIB/packets.py

# dropped_more REASON BEFORE: the drop count of REASON is above BEFORE.
dropped_more() {
	[ "$(siit_drop "$1")" -gt "$2" ]
}

lab_up --mode full --plat xlat-siit || exit 1
xlatd_run "CLAT"
check "ping through xlat-siit" in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"
# the CLAT's pool address, for packets from the server's side; and the
# log of drops and refusals from now on
lab_cmd plat stop
echo "log drop reject" >>"$PLAT_CONF"
lab_cmd plat start
pool4=$(siit_dynamic_map | awk -v a="$(clat_v6)" '$2 == a { print $1 }')

# From the IPv6 side, from the client's own address to the server.
for kind in ipv6-routing-header icmp-wrong-family icmp-untranslatable-type \
	icmp-error-bad-checksum ext-header-after-fragment; do
	before=$(siit_drop "$kind")
	in_ns client python3 "$PACKETS" bad6 "$kind" --src "$CLIENT_ADDR" \
		--dst "$SERVER6"
	wait_for 3 dropped_more "$kind" "$before"
	check_rose "IPv6 side: dropped as $kind" "$before" "$(siit_drop "$kind")"
done

# From the IPv4 side, from the server to the CLAT's pool address.
for kind in icmp-wrong-family icmp-untranslatable-type \
	icmp-error-bad-checksum; do
	before=$(siit_drop "$kind")
	in_ns server python3 "$PACKETS" bad4 "$kind" --src "$SERVER4" \
		--dst "$pool4"
	wait_for 3 dropped_more "$kind" "$before"
	check_rose "IPv4 side: dropped as $kind" "$before" "$(siit_drop "$kind")"
done

check "still translating" in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"
log=$(cat "$LAB_DIR/plat1.log")
check_match "log: a drop names its reason and addresses" \
	"^drop icmp-wrong-family: $SERVER4 -> $pool4\$" "$log"
check_match "log: a refusal with an ICMP error too" \
	"^reject ipv6-routing-header: $CLIENT_ADDR -> $SERVER6\$" "$log"

# Hop limit 3: the router and the plat's kernel take two, xlat-siit
# finds 1 and answers with "time exceeded" (RFC 7915 section 5.1).
expired=$(siit_drop ttl-expired)
assigned=$(siit_stat 's["siit"]["pool_assigned"]')
limited=$(siit_stat 's["siit"]["icmp_errors_ratelimited"]')
sent=$(in_ns client python3 "$PACKETS" flood6 \
	--src-prefix "$CLIENT_PREFIX" --sources 1 --dst "$SERVER6" --hlim 3 \
	--seconds 3 --interval 0)
sleep 0.5
got=$(($(siit_drop ttl-expired) - expired))
# more than the bucket (1000) and three seconds of its refill
check "the burst reached xlat-siit ($got of $sent packets)" \
	test "$got" -gt 4000
siit_rose "ICMP errors over the rate were not sent, counted" \
	's["siit"]["icmp_errors_ratelimited"]' "$limited"
check "log lines over the rate were not written, counted" test \
	"$(siit_stat 's["siit"]["log_lines_suppressed"]')" -gt 0
check_eq "no pool address for packets about to expire" "$assigned" \
	"$(siit_stat 's["siit"]["pool_assigned"]')"
check "still translating after the burst" \
	in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"

summary
