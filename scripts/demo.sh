#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Show the translator at work: build xlatctl if needed, translate the
# sample captures (samples/demo.conf: a CLAT at 192.0.0.1 and
# 2001:db8:1::c1a7 in front of the PLAT prefix 2001:db8:64::/96) and
# print each packet before and after. Set SKIP_DEPS=1 to skip installing
# packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SKIP_DEPS:-0}" != 1 ]; then
	./scripts/setup-deps.sh
fi
if [ ! -f build/build.ninja ]; then
	meson setup build
fi
meson compile -C build xlatctl >/dev/null

out=build/demo
mkdir -p "$out"

# decode FILE: print every packet of FILE.
decode() {
	tcpdump -nn -v -r "$1" 2>/dev/null | sed 's/^/    /'
}

for v in v4 v6; do
	in=samples/demo-$v.pcap
	res=$out/demo-$v.out.pcap
	echo "=== $in, before translation"
	decode "$in"
	echo
	echo "=== xlatctl translate -c samples/demo.conf $in $res"
	build/src/ctl/xlatctl translate -c samples/demo.conf "$in" "$res" |
		sed 's/^/    /'
	echo
	echo "=== $res, after translation"
	decode "$res"
	echo
done
echo "The translated captures are in $out/."
