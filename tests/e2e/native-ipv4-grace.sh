#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Native IPv4 arriving while xlatd translates must not cut the flows it
# carries: a TCP download through the CLAT (from 192.0.0.1, slowed to
# last several seconds) runs while the lab gives the client native IPv4
# (`lab.sh native-ipv4 on`). It completes, whole; a new connection made
# meanwhile goes out natively, from 192.0.2.2; xlatd says why it stays
# (state native-ipv4, v4-native-grace), its default route is gone but
# its source rule is there; when the grace period ends, the device goes.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root
e2e_xlatd_dir

GRACE=12
tun_count() {
	in_ns client ip -o link show type tun | wc -l
}
no_tun() { [ "$(tun_count)" = 0 ]; }

lab_up --mode full || exit 1
xlatd_run "start" v4-native-grace="$GRACE"

# 1 MiB at 100 kB/s: about 10 s
in_ns client curl -s -m 30 --limit-rate 100k -o "$XLATD_DIR/big.bin" \
	-w '%{local_ip}\n' "http://$SERVER4:$SERVER_HTTP_PORT$SERVER_BIG_PATH" \
	>"$XLATD_DIR/big.txt" 2>&1 &
curl_pid=$!
sleep 2
lab_cmd native-ipv4 on >/dev/null || fail "native-ipv4 on" "lab.sh failed"
if xlatd_wait_state native-ipv4 5; then
	pass "native IPv4: xlatd stands down for new flows"
else
	fail "native IPv4: xlatd stands down for new flows" "$(xlatd_log)"
fi
check_match "native IPv4: the cause names the grace period" \
	"kept for v4-native-grace \\($GRACE s\\)" \
	"$(xlatctl status)"
check_eq "native IPv4: a new connection goes out natively" "192.0.2.2" \
	"$(in_ns client curl -s -m 10 -o /dev/null -w '%{local_ip}' \
		"$SERVER_URL4")"
check_eq "native IPv4: xlatd's default route is gone" "" \
	"$(in_ns client ip -4 route show default proto 88)"
check_match "native IPv4: the source rule for 192.0.0.1 stays" \
	"from 192.0.0.1 lookup" "$(in_ns client ip -4 rule show)"
check_eq "native IPv4: the TUN stays" 1 "$(tun_count)"

if wait "$curl_pid"; then
	pass "the download through xlatd completed"
else
	fail "the download through xlatd completed" "$(cat "$XLATD_DIR/big.txt")"
fi
check_eq "the download came from 192.0.0.1" "192.0.0.1" \
	"$(cat "$XLATD_DIR/big.txt")"
check_eq "the download is whole" "$SERVER_BIG_SHA256" \
	"$(sha256sum "$XLATD_DIR/big.bin" | cut -d' ' -f1)"

if wait_for "$GRACE" no_tun; then
	pass "after v4-native-grace: the TUN is gone"
else
	fail "after v4-native-grace: the TUN is gone" "$(xlatd_log)"
fi
check_fails "after v4-native-grace: the source rule is gone" \
	grep -q "from 192.0.0.1 lookup" <<<"$(in_ns client ip -4 rule show)"
check_eq "after v4-native-grace: still native-ipv4" native-ipv4 \
	"$(xlatd_state)"
xlatd_stop_ok
lab_cmd native-ipv4 off >/dev/null
summary
