#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The MTU follows: an RA with a smaller MTU option lowers the
# uplink's IPv6 MTU (RFC 4861 §6.3.4), and the CLAT's IPv4 route MTU
# follows in place (uplink MTU - 28), with the same device and process.
# A ping with DF that fits the new route MTU still works; one that does
# not is refused by the host stack itself.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

lab_up --mode full
xlatd_start client v4-conncheck-delay=1
check "running" xlatd_wait_state running 15
dev=$(st clat_dev)
ifindex=$(in_ns client cat "/sys/class/net/$dev/ifindex")
check_eq "route MTU from a 1500 uplink" 1472 "$(st route_mtu)"

lab_cmd ra --mtu 1400 >/dev/null
check "route MTU follows an RA with MTU 1400 within 2 s" \
	wait_for 2 st_is route_mtu 1372
check_match "the IPv4 default route has MTU 1372" ' mtu 1372 ' \
	"$(in_ns client ip -4 route show default dev "$dev")"
check_eq "same device" "$ifindex" \
	"$(in_ns client cat "/sys/class/net/$dev/ifindex")"
check "same process" kill -0 "$XLATD_PID"
# 1372 - 20 (IPv4) - 8 (ICMP) = 1344 bytes of payload fits exactly
check "a 1372-byte ping with DF works" \
	in_ns client ping -c 2 -i 0.2 -W 2 -M "do" -s 1344 "$SERVER4"
check_fails "a 1373-byte ping with DF is refused" \
	in_ns client ping -c 1 -W 1 -M "do" -s 1345 "$SERVER4"

lab_cmd ra --mtu 1500 >/dev/null
check "route MTU back to 1472 with MTU 1500" wait_for 2 st_is route_mtu 1472

rc=0
xlatd_stop || rc=$?
check_eq "exit status after SIGTERM" 0 "$rc"
lab_down
summary
