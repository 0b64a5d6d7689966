#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Package: the Debian package that scripts/build-deb.sh built holds what
# a host needs (xlatd, xlatctl, the systemd unit, the manual pages, the
# NetworkManager dispatcher script, the example configuration and the
# system user), and the xlatd it installs runs the CLAT in the lab. The
# package is unpacked into a scratch root (dpkg-deb -x), and the user is
# made there (systemd-sysusers --root): nothing is installed on the host.
. "$(dirname "$0")/lib/e2e.sh"
e2e_need_root

deb=$(ls "$E2E_ROOT"/build-deb/xlatd_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	echo "SKIP: no package in build-deb/: run scripts/build-deb.sh first"
	exit 77
fi
root=$E2E_TMP/root

check "unpack $(basename "$deb")" dpkg-deb -x "$deb" "$root"
for f in usr/sbin/xlatd usr/bin/xlatctl lib/systemd/system/xlatd.service \
	usr/share/man/man8/xlatd.8.gz usr/share/man/man8/xlatctl.8.gz \
	usr/share/man/man5/xlatd.conf.5.gz \
	usr/share/doc/xlatd/xlatd.conf.example \
	usr/lib/sysusers.d/xlatd.conf; do
	check "installs /$f" test -s "$root/$f"
done
check "installs the NetworkManager dispatcher script, executable" \
	test -x "$root/etc/NetworkManager/dispatcher.d/90-xlatd"
check_match "the unit starts the installed xlatd" \
	'^ExecStart=/usr/sbin/xlatd$' \
	"$(cat "$root/lib/systemd/system/xlatd.service")"
check_match "postinst makes the system user" "systemd-sysusers.*xlatd" \
	"$(dpkg-deb -I "$deb" postinst)"
if command -v systemd-sysusers >/dev/null; then
	check "systemd-sysusers makes the user in the scratch root" \
		systemd-sysusers --root="$root" \
		"$root/usr/lib/sysusers.d/xlatd.conf"
	check_match "the user xlatd exists there, with no login shell" \
		'^xlatd:x:[0-9]+:[0-9]+:.*:/usr/sbin/nologin$' \
		"$(cat "$root/etc/passwd")"
else
	skip "the system user" "no systemd-sysusers here"
fi

# The installed programs, in the full lab.
XLATD=$root/usr/sbin/xlatd
XLATCTL=$root/usr/bin/xlatctl
check_match "the installed xlatctl knows its version" '^xlatd [0-9.]+$' \
	"$("$XLATCTL" version)"
lab_up --mode full
xlatd_run "installed xlatd"
check "ping $SERVER4 through the installed xlatd" \
	in_ns client ping -n -q -c 3 -i 0.2 -W 3 "$SERVER4"
check_eq "HTTP through the installed xlatd" "$SERVER_HTTP_BODY" \
	"$(in_ns client curl -s -m 10 "$SERVER_URL4")"
xlatd_stop_ok "installed xlatd"
lab_down
summary
