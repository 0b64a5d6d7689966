#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Counters a user reads with xlatctl stats, in the full lab:
# - Packets the eBPF fast path translates count in the per-protocol
#   table, as the daemon's own do: after pings, HTTP and UDP echo, the
#   table shows them although the fast path carried most of them.
# - The ICMP errors xlatd sends itself keep to icmp-error-rate a second
#   (here 10): a flood of TTL=1 probes, each of which calls for a Time
#   Exceeded, gets the bucket (10) at once and then 10 a second, no more.
#   The rest is counted as held back, and the two add up to the probes.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

RATE=10

# stat PATH...: one counter of the stats, e.g. ipv4_to_ipv6 icmp out.
stat() {
	xlatctl stats --json | python3 -c '
import json, sys
v = json.load(sys.stdin)["instances"][0]
for k in sys.argv[1:]:
    v = v[k]
print(v)' "$@"
}

lab_up --mode full
xlatd_run "counters" icmp-error-rate="$RATE"

# The fast path's packets in the table.
before46=$(stat ipv4_to_ipv6 icmp out)
before64=$(stat ipv6_to_ipv4 icmp out)
check "5 pings to $SERVER4" in_ns client ping -n -q -c 5 -i 0.2 -W 3 "$SERVER4"
check_eq "HTTP over IPv4" "$SERVER_HTTP_BODY" \
	"$(in_ns client curl -s -m 10 "$SERVER_URL4")"
check "the fast path took part" test "$(stat fast_path_packets)" -gt 0
check_eq "5 echo requests in the table" $((before46 + 5)) \
	"$(stat ipv4_to_ipv6 icmp out)"
check_eq "5 echo replies in the table" $((before64 + 5)) \
	"$(stat ipv6_to_ipv4 icmp out)"
check "TCP out, IPv4 to IPv6" test "$(stat ipv4_to_ipv6 tcp out)" -gt 0
check "TCP out, IPv6 to IPv4" test "$(stat ipv6_to_ipv4 tcp out)" -gt 0
all=$(xlatctl stats --json | python3 -c '
import json, sys
i = json.load(sys.stdin)["instances"][0]
print(sum(i[d][p]["out"] for d in ("ipv4_to_ipv6", "ipv6_to_ipv4")
          for p in ("tcp", "udp", "icmp", "other")))')
check "the table holds every fast-path packet" \
	test "$all" -ge "$(stat fast_path_packets)"

# A flood of TTL=1 probes: 300 in 3 s, 30 times the rate.
sent0=$(stat ipv4_to_ipv6 icmp_errors_sent)
held0=$(stat ipv4_to_ipv6 icmp_errors_suppressed)
start=$EPOCHREALTIME
out=$(in_ns client ping -n -q -c 300 -i 0.01 -t 1 -W 1 "$SERVER4" 2>&1)
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" \
	'BEGIN { printf "%d", b - a + 1 }')
probes=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$out")
errors=$(sed -n 's/.* +\([0-9]*\) errors.*/\1/p' <<<"$out")
sent=$(($(stat ipv4_to_ipv6 icmp_errors_sent) - sent0))
held=$(($(stat ipv4_to_ipv6 icmp_errors_suppressed) - held0))
echo "  $probes probes in about $secs s: $errors errors back; xlatd sent" \
	"$sent, held back $held"
check_eq "all 300 probes sent" 300 "$probes"
# the bucket at once, then the rate: at most RATE * (1 + seconds)
check "at least the bucket's $RATE errors came back" \
	test "${errors:-0}" -ge "$RATE"
check "at most $((RATE * (1 + secs))) errors in $secs s" \
	test "${errors:-0}" -le $((RATE * (1 + secs)))
check_eq "every error sent came back" "$sent" "${errors:-0}"
check_eq "every probe answered or held back" "$probes" $((sent + held))
check_match "xlatctl stats names the errors held back" \
	"ipv4_to_ipv6 +ICMP errors sent $((sent0 + sent)), held back by the rate $((held0 + held))" \
	"$(xlatctl stats)"

xlatd_stop_ok
lab_down
summary
