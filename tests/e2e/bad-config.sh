#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Bad config: every bad key or value stops xlatd before it does
# anything, with status 1 and one message on stderr that names the file
# and line (or "command line"), the key, the bad value and what is
# allowed. Both `xlatd -n` (check and exit) and a real start (`xlatd -c
# FILE`) are tried. A clatd 2.x clatd.conf, renamed, is accepted as it is.
# No lab and no root needed: the configuration is read before xlatd
# touches the system.
. "$(dirname "$0")/lib/e2e.sh"

TMP=$E2E_TMP

# Each case: a name, the key, the bad line, the line number it goes on,
# and an ERE for "what is allowed" in the message. The file has a comment
# and a good line first, so the line number is not 1 by accident.
CASES=(
	"unknown key|frobnicate|frobnicate=1|unknown key 'frobnicate' \(see xlatd\.conf\(5\)\)"
	"bad IPv4 address|clat-v4-addr|clat-v4-addr=192.0.0.300|'192\.0\.0\.300' is not an IPv4 address"
	"prefix length /33|plat-prefix|plat-prefix=2001:db8::/33|length 33 of '2001:db8::/33' is not one of 32, 40, 48, 56, 64, 96 \(RFC 6052"
	"prefix u-octet|plat-prefix|plat-prefix=2001:db8:0:0:100::/96|'2001:db8:0:0:100::/96' has bits 64-71 \(the u-octet\) set"
	"prefix not an address|plat-fallback-prefix|plat-fallback-prefix=64:ff9b::/96x|'64:ff9b::/96x' is not an IPv6 prefix ADDRESS/LENGTH \(or empty for none\)"
	"bad IPv6 address|clat-v6-addr|clat-v6-addr=2001:db8::/64|'2001:db8::/64' is not an IPv6 address \(or 'auto', 'shared', 'derived' or empty"
	"non-numeric metric|v4-defaultroute-metric|v4-defaultroute-metric=high|'high' is not a number between 0 and 4294967295"
	"conncheck delay out of range|v4-conncheck-delay|v4-conncheck-delay=3601|'3601' is not a number between 0 and 3600"
	"negative conncheck delay|v4-conncheck-delay|v4-conncheck-delay=-1|'-1' is not a number between 0 and 3600"
	"bad boolean|v4-conncheck-enable|v4-conncheck-enable=maybe|'maybe' is not a boolean \(yes/no, true/false, on/off, 1/0\)"
	"route MTU too small|v4-defaultroute-mtu|v4-defaultroute-mtu=67|'67' is not 0 \(automatic\) or a number between 68 and 65535"
	"debug level|debug|debug=3|'3' is not 0, 1 or 2"
	"interface name too long|clat-dev|clat-dev=clat-with-a-long-name|'clat-with-a-long-name' is not an interface name \(1 to 15 characters"
	"bad DNS64 server|dns64-servers|dns64-servers=2001:db8::53,dns.example|'dns\.example' is not an IPv6 or IPv4 address"
	"relative state-dir|state-dir|state-dir=var/lib/xlatd|'var/lib/xlatd' is not an absolute path"
	"translator key range|lowest-ipv6-mtu|lowest-ipv6-mtu=1000|'1000' is not a number between 1280 and 65535"
	"router LAN prefix|router-lan|router-lan=192.168.0.0/23,192.168.1.300/24|'192\.168\.1\.300/24' is not an IPv4 prefix \(A\.B\.C\.D/LEN, host bits zero\)"
	"router LAN without length|router-lan|router-lan=192.168.1.0|'192\.168\.1\.0' has no prefix length \(A\.B\.C\.D/LEN\)"
	"router table reserved|router-table|router-table=255|'255' is not a routing table for xlatd \(a number from 1 to 4294967295 but 253 and 255, main, or a name from rt_tables\)"
	"router table unknown name|router-table|router-table=no-such-table|'no-such-table' is not a table number or a table name in /etc/iproute2/rt_tables"
	"router mode|router-mode|router-mode=nat64|'nat64' is not nat44 or stateless"
	"router IPv6 prefix|router-v6-prefix|router-v6-prefix=2001:db8::1/64|'2001:db8::1/64' is not an IPv6 prefix \(IPv6/LEN with LEN 32 to 128, host bits zero\), or empty"
	"router fallback|router-fallback|router-fallback=drop|'drop' is not unreachable or native"
)

# expect_rejected WHAT ERE CMD...: CMD exits 1 (not 0, not a crash, not a
# timeout) and its stderr matches ERE.
expect_rejected() {
	local what=$1 ere=$2 rc=0 err
	shift 2
	err=$(timeout -k 2 10 "$@" 2>&1 >/dev/null) || rc=$?
	check_eq "$what: exit status" 1 "$rc"
	check_match "$what: message" "$ere" "$err"
}

for c in "${CASES[@]}"; do
	IFS='|' read -r name key line allowed <<<"$c"
	f=$TMP/bad.conf
	printf '# a clatd-style file\nclat-dev=clat\n\n%s\n' "$line" >"$f"
	# FILE:4: KEY: 'VALUE' is not ... (what is allowed); for an unknown
	# key, the key and the page that lists the keys.
	ere="^$f:4: $key: $allowed"
	[ "$key" = frobnicate ] && ere="^$f:4: $allowed"
	expect_rejected "$name (-n)" "$ere" "$XLATD" -n -c "$f"
	# A real start stops at the same place, before touching anything
	# (control-socket and state-dir point into $TMP in case it did not).
	expect_rejected "$name (start)" "$ere" "$XLATD" -c "$f" \
		control-socket="$TMP/ctl.sock" state-dir="$TMP/state"
	# On the command line: "command line" instead of file:line.
	expect_rejected "$name (command line)" \
		"^command line: ${ere#"^$f:4: "}" \
		"$XLATD" -n -c /dev/null "$line"
done

# The key names the line even when an earlier line was good and a later
# one is bad too: the first error wins.
printf 'plat-prefix=64:ff9b::/96\nv4-conncheck-delay=x\nquiet=9\n' \
	>"$TMP/two.conf"
expect_rejected "first of two errors" \
	"^$TMP/two.conf:2: v4-conncheck-delay: 'x' is not a number" \
	"$XLATD" -n -c "$TMP/two.conf"

# Not key=value at all.
printf 'plat-prefix 64:ff9b::/96\n' >"$TMP/noeq.conf"
expect_rejected "line without '='" \
	"^$TMP/noeq.conf:1: expected key=value" \
	"$XLATD" -n -c "$TMP/noeq.conf"
expect_rejected "argument without '='" \
	"^command line: 'plat-prefix' is not key=value" \
	"$XLATD" -n -c /dev/null plat-prefix

# Keys that only make sense together.
expect_rejected "advmss larger than the MTU allows" \
	"v4-defaultroute-advmss: 1400 does not fit in v4-defaultroute-mtu 1280" \
	"$XLATD" -n -c /dev/null v4-defaultroute-mtu=1280 \
	v4-defaultroute-advmss=1400

# Router keys that only make sense together: the message names the line
# of the key to change.
printf 'router-lan=192.168.0.0/23\nrouter-mode=stateless\n' >"$TMP/router.conf"
expect_rejected "stateless without its IPv6 prefix" \
	"^$TMP/router.conf:2: router-mode: stateless needs router-v6-prefix" \
	"$XLATD" -n -c "$TMP/router.conf"
printf 'router-lan=192.168.0.0/16\nrouter-mode=stateless\n%s\n' \
	'router-v6-prefix=2001:db8:1:1::/120' >"$TMP/router.conf"
expect_rejected "stateless prefix too long for the LAN" \
	"^$TMP/router.conf:3: router-v6-prefix: too long for the LAN prefixes" \
	"$XLATD" -n -c "$TMP/router.conf"
printf 'router-lan=192.168.0.0/23 hood2\nrouter-table=main\n' \
	>"$TMP/router.conf"
rc=0
timeout -k 2 10 "$XLATD" -n -c "$TMP/router.conf" >/dev/null 2>&1 || rc=$?
check_eq "router keys accepted" 0 "$rc"

# An explicit -c FILE must exist.
expect_rejected "missing file" "^$TMP/none.conf: No such file" \
	"$XLATD" -n -c "$TMP/none.conf"

# A bad file stops the start even when the command line sets the same
# key to a good value: the file is checked as a whole.
printf 'v4-conncheck-delay=soon\n' >"$TMP/override.conf"
expect_rejected "bad file, good override" \
	"^$TMP/override.conf:1: v4-conncheck-delay" \
	"$XLATD" -n -c "$TMP/override.conf" v4-conncheck-delay=5

# A clatd 2.x clatd.conf (the keys of clatd's manual page, with clatd's
# own defaults and typical values) renamed to xlatd.conf is accepted. The
# keys for TAYGA, forwarding, proxy-ND and nftables are ignored, each
# with a message.
cat >"$TMP/xlatd.conf" <<'EOF'
# clatd.conf, clatd 2.x
quiet=0
debug=0
script-up=
script-down=
clat-dev=clat
clat-v4-addr=192.0.0.1
clat-v6-addr=shared
dns64-servers=
cmd-ip=ip
cmd-nft=nft
cmd-tayga=tayga
forwarding-enable=yes
proxynd-enable=yes
ctmark=
route-table=
plat-dev=
plat-prefix=64:ff9b::/96
plat-fallback-prefix=
tayga-conffile=
tayga-v4-addr=192.0.0.2
v4-conncheck-enable=yes
v4-conncheck-delay=10
v4-defaultroute-enable=yes
v4-defaultroute-replace=no
v4-defaultroute-metric=2048
v4-defaultroute-mtu=0
v4-defaultroute-advmss=0
EOF
rc=0
out=$(timeout -k 2 10 "$XLATD" -n -c "$TMP/xlatd.conf" 2>&1) || rc=$?
check_eq "clatd.conf renamed: accepted" 0 "$rc"
for k in forwarding-enable proxynd-enable tayga-conffile cmd-tayga; do
	check_match "clatd.conf renamed: $k ignored, with a message" \
		"^$k: clatd setting ignored" "$out"
done
check_eq "clatd.conf renamed: no warnings" "" \
	"$(grep -v 'clatd setting ignored' <<<"$out")"
# The same file with one value spoiled is not: -n really checks.
sed 's/^v4-conncheck-enable=yes/v4-conncheck-enable=perhaps/' \
	"$TMP/xlatd.conf" >"$TMP/spoiled.conf"
expect_rejected "clatd.conf with one bad value" \
	"^$TMP/spoiled.conf:22: v4-conncheck-enable: 'perhaps'" \
	"$XLATD" -n -c "$TMP/spoiled.conf"

# Under systemd, with stderr connected to the journal (JOURNAL_STREAM
# names it), each line starts with its priority for journalctl -p: the
# error a warning (<4>), the notices information (<6>). With stderr
# elsewhere, a JOURNAL_STREAM inherited from a parent changes nothing.
journal_stream() { stat -c '%d:%i' "$1"; }
: >"$TMP/journal"
rc=0
JOURNAL_STREAM=$(journal_stream "$TMP/journal") \
	timeout -k 2 10 "$XLATD" -n -c "$TMP/spoiled.conf" \
	2>"$TMP/journal" || rc=$?
check_eq "journal: exit status" 1 "$rc"
check_match "journal: the error is a warning" \
	"^<4>$TMP/spoiled.conf:22: v4-conncheck-enable: 'perhaps'" \
	"$(cat "$TMP/journal")"
: >"$TMP/journal"
JOURNAL_STREAM=$(journal_stream "$TMP/journal") \
	timeout -k 2 10 "$XLATD" -n -c "$TMP/xlatd.conf" 2>"$TMP/journal"
check_match "journal: an ignored key is information" \
	"^<6>cmd-tayga: clatd setting ignored" "$(cat "$TMP/journal")"
rc=0
JOURNAL_STREAM=$(journal_stream "$TMP/journal") \
	timeout -k 2 10 "$XLATD" -n -c "$TMP/spoiled.conf" \
	2>"$TMP/other" || rc=$?
check_match "journal elsewhere: plain lines" \
	"^$TMP/spoiled.conf:22: v4-conncheck-enable" "$(cat "$TMP/other")"

summary
