#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The dynamic pool (tayga.conf dynamic-pool) as users see it.
#
# Across a restart: the CLAT's mapping is saved in data-dir/dynamic.map
# (TAYGA's format), restored when xlat-siit starts again, and the CLAT
# keeps its IPv4 address in the pool.
#
# Against a flood: 100 forged IPv6 sources, each sending to a closed
# port every half second, take the pool (62 addresses: /26 less its
# lowest and ipv4-addr). The server's "port unreachable" is no answer:
# their mappings stay on probation. The CLAT's mapping, confirmed by the
# server's answers, stays and works. While the flood lasts a new host is
# refused with ICMPv6 "administratively prohibited", counted; once the
# forged sources have been quiet for 5 s, they give way to it.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

e2e_xlatd_dir

# pool_address V6: the pool address dynamic.map gives V6.
pool_address() {
	siit_dynamic_map | awk -v a="$1" '$2 == a { print $1 }'
}

# assigned_at_least N: the pool has assigned N addresses since start.
assigned_at_least() {
	[ "$(siit_stat 's["siit"]["pool_assigned"]')" -ge "$1" ]
}

lab_up --mode full --plat xlat-siit || exit 1
xlatd_run "CLAT"
clat=$(clat_v6)

check "ping through the pool" in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"
lab_cmd plat stop
addr=$(pool_address "$clat")
check_match "SIGTERM saved the CLAT's mapping" '^198\.51\.100\.[0-9]+$' \
	"$addr"
lab_cmd plat start
check_eq "restart: the mapping is restored" 1 "$(siit_status pool_active)"
check "ping after the restart" in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"
check_eq "restart: no new address was assigned" 0 \
	"$(siit_stat 's["siit"]["pool_assigned"]')"
lab_cmd plat stop
check_eq "restart: the CLAT kept its pool address" "$addr" \
	"$(pool_address "$clat")"
lab_cmd plat start

# The flood: 61 addresses left, 100 sources, for 4 s.
refused=$(siit_stat 's["drops"]["pool-exhausted"]')
in_ns client python3 "$E2E_LIB/packets.py" flood6 --src-prefix "$CLIENT_PREFIX" \
	--sources 100 --dst "$SERVER6" --seconds 4 >/dev/null &
flood=$!
wait_for 3 assigned_at_least 61 ||
	fail "the flood reached xlat-siit" "$(siit_ctl stats)"
check_eq "the flood took the rest of the pool, on probation" 61 \
	"$(siit_status pool_probation)"
siit_rose "the rest of the flood was refused, counted" \
	's["drops"]["pool-exhausted"]' "$refused"
check "the CLAT's confirmed mapping still works" \
	in_ns client ping -c 2 -i 0.2 -W 2 "$SERVER4"

# A new host: refused with an ICMPv6 error while the flood goes on.
newhost=${CLIENT_PREFIX%::/64}::99
in_ns client ip -6 addr add "$newhost/64" dev "$CLIENT_IF" nodad
errors=$(siit_stat 's["ipv6_to_ipv4"]["icmp_errors_sent"]')
check_match "a new host is told: administratively prohibited" \
	"Administratively prohibited" \
	"$(in_ns client ping -6 -c 1 -W 2 -I "$newhost" "$SERVER6")"
siit_rose "the refusal was an ICMPv6 error xlat-siit sent" \
	's["ipv6_to_ipv4"]["icmp_errors_sent"]' "$errors"
wait "$flood"
sleep 6
check "once the flood is quiet, the new host gets an address" \
	in_ns client ping -6 -c 2 -i 0.2 -W 2 -I "$newhost" "$SERVER6"
check "stats: its address was taken from the flood" test \
	"$(siit_stat 's["siit"]["pool_reclaimed"]')" -ge 1

summary
