#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# A bad line of tayga.conf or of the map-file stops xlat-siit before it
# does anything, with status 1 and one message on stderr naming the file,
# the line, the directive and the values it takes; both `--check` and a
# real start are tried. Good files (TAYGA's example, clatd's ephemeral
# one) are accepted, and clatd's empty argument is ignored. No lab and no
# root needed: the configuration is read before xlat-siit touches the
# system.
. "$(dirname "$0")/lib/e2e.sh"

TMP=$(mktemp -d "$E2E_TMP/badconf.XXXXXX")

GOOD="tun-device nat64
ipv4-addr 192.168.255.1
prefix 2001:db8:64::/96"

# Each case: a name, the bad line (which goes on line 5 of a file of the
# good lines and a comment), and an ERE for the rest of the message.
CASES=(
	"unknown directive|frobnicate 1|unknown directive 'frobnicate' \(one of tun-device, ipv4-addr, .*workers\)"
	"a directive twice|ipv4-addr 192.0.2.7|ipv4-addr: given twice \(first on line 2\); only map may repeat"
	"prefix length /33|dynamic-pool 192.0.2.0/33|dynamic-pool: '192\.0\.2\.0/33' is not an IPv4 prefix ADDRESS/LENGTH"
	"pool too long|dynamic-pool 192.0.2.1/32|dynamic-pool: '192\.0\.2\.1/32' is not of a length from 8 to 31"
	"bad boolean|wkpf-strict maybe|wkpf-strict: 'maybe' is not a boolean \(yes/no, true/false, on/off, 1/0\)"
	"bad udp-cksum-mode|udp-cksum-mode always|udp-cksum-mode: 'always' is not one of drop, calc, fwd"
	"offlink-mtu too small|offlink-mtu 576|offlink-mtu: '576' is not a number between 1280 and 65535"
	"bad log word|log drop everything|log: 'everything' is not one of drop, reject, icmp, self, dyn"
	"map of one word|map 192.0.2.9|map: takes two values, IPV4\[/LEN\] IPV6\[/LEN\]; found 1"
	"relative data-dir|data-dir var/lib/xlat-siit|data-dir: 'var/lib/xlat-siit' is not an absolute path"
)

# expect_rejected WHAT ERE CMD...: CMD exits 1 and its stderr matches ERE.
expect_rejected() {
	local what=$1 ere=$2 rc=0 err
	shift 2
	err=$(run_timeout 10 "$@" 2>&1 >/dev/null) || rc=$?
	check_eq "$what: exit status 1" 1 "$rc"
	check_match "$what: the message names the place and the values" \
		"$ere" "$err"
}

for c in "${CASES[@]}"; do
	IFS='|' read -r name line ere <<<"$c"
	f=$TMP/tayga.conf
	printf '%s\n# a comment\n%s\n' "$GOOD" "$line" >"$f"
	expect_rejected "$name (--check)" "^xlat-siit: $f:5: $ere" \
		"$XLAT_SIIT" --check -c "$f"
	expect_rejected "$name (start)" "$f:5: " "$XLAT_SIIT" -n -c "$f" \
		-s "$TMP/sock"
done

# Across directives: no tun-device, a map over the prefix.
printf 'ipv4-addr 192.168.255.1\nprefix 2001:db8:64::/96\n' >"$TMP/a.conf"
expect_rejected "no tun-device" \
	"$TMP/a.conf: tun-device: missing: the name of the TUN device" \
	"$XLAT_SIIT" --check -c "$TMP/a.conf"
printf '%s\nmap 192.0.2.1 2001:db8:64::1\n' "$GOOD" >"$TMP/b.conf"
expect_rejected "a map inside the prefix" \
	"$TMP/b.conf:4: map: '192\.0\.2\.1/32 2001:db8:64::1/128' overlaps prefix" \
	"$XLAT_SIIT" --check -c "$TMP/b.conf"
# A bad map-file line, at start.
printf '%s\nmap-file %s/maps\n' "$GOOD" "$TMP" >"$TMP/c.conf"
printf '# maps\nmap 192.0.2.1\n' >"$TMP/maps"
expect_rejected "a bad map-file line" \
	"$TMP/maps:2: map: takes two values" \
	"$XLAT_SIIT" --check -c "$TMP/c.conf"
expect_rejected "a missing file" "$TMP/none.conf: No such file" \
	"$XLAT_SIIT" --check -c "$TMP/none.conf"

# Good files, with clatd's empty argument.
printf '%s\ndynamic-pool 192.168.255.0/24\ndata-dir /var/spool/tayga\n' \
	"$GOOD" >"$TMP/good.conf"
check "TAYGA's example is accepted" "$XLAT_SIIT" --check -c "$TMP/good.conf" ""
printf 'tun-device clat\nprefix 64:ff9b::/96\nipv4-addr 192.0.0.2\nmap 192.0.0.1 2001:db8:aaaa::c1a7\n' \
	>"$TMP/clatd.conf"
check "clatd's ephemeral file is accepted" "$XLAT_SIIT" --check \
	--config "$TMP/clatd.conf"
check_fails "an unknown option is refused" "$XLAT_SIIT" --check \
	-c "$TMP/good.conf" --frobnicate
check_fails "--chroot is refused" "$XLAT_SIIT" --check -c "$TMP/good.conf" -r

summary
