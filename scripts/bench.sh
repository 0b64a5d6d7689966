#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# bench.sh [bench-xlat options]: build a release tree in build-bench and
# run the translation microbenchmark (not a test; docs/performance.md).
# With CALLGRIND=1 it instead counts instructions per packet under
# valgrind for each case and direction (default 100000 iterations).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f build-bench/build.ninja ]; then
	meson setup build-bench --buildtype=release >/dev/null
fi
meson compile -C build-bench bench/bench-xlat >/dev/null
bench=build-bench/bench/bench-xlat

echo "# $(date -u +%F), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "# $(meson introspect --buildoptions build-bench |
	python3 -c 'import json,sys; o={x["name"]: x["value"] for x in json.load(sys.stdin)}; print("buildtype", o["buildtype"], "optimization", o["optimization"])'), $(cc --version | head -n 1)"

if [ "${CALLGRIND:-0}" != 1 ]; then
	exec "$bench" "$@"
fi

# Instructions per call of xlat_4to6()/xlat_6to4(): their inclusive Ir
# divided by the calls callgrind counted (warm-up and both timing loops),
# so setup, restores and clock reads are not in the figure.
n=${ITERATIONS:-100000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-11s %-5s %8s %12s %10s\n' case dir calls Ir Ir/packet
for c in udp64 tcp1500 icmp-echo icmp-error; do
	for d in 46 64; do
		fn=$([ "$d" = 46 ] && echo xlat_4to6 || echo xlat_6to4)
		cg=$out/cg.$c.$d
		valgrind --tool=callgrind --toggle-collect=bench \
			--callgrind-out-file="$cg" \
			"$bench" --iterations "$n" --case "$c" --dir "$d" \
			>/dev/null 2>&1
		ir=$(callgrind_annotate --inclusive=yes "$cg" |
			sed -n "s/^ *\([0-9,]*\) .*:$fn .*/\1/p" | tr -d ,)
		id=$(sed -n "s/^c\{0,1\}fn=(\([0-9]*\)) $fn\$/\1/p" "$cg" |
			head -n 1)
		calls=$(grep -A1 "^cfn=($id)" "$cg" |
			sed -n 's/^calls=\([0-9]*\) .*/\1/p' |
			awk '{ n += $1 } END { print n }')
		printf '%-11s %-5s %8s %12s %10s\n' "$c" "${d:0:1}to${d:1:1}" \
			"$calls" "$ir" "$((ir / calls))"
	done
done
