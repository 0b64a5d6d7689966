#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# fuzz.sh SECONDS: build the libFuzzer targets with clang in build-fuzz and
# run each one for SECONDS, starting from its seed corpus in tests/fuzz.
# New inputs go to build-fuzz/corpus/TARGET (the seeds are not touched),
# crashes to build-fuzz/artifacts/TARGET-*. Prints executions, exec/s and
# coverage per target; exits non-zero if any target crashed.
# FUZZ_MAX_LEN (default 4096) caps the input size.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:?usage: $0 SECONDS}
max_len=${FUZZ_MAX_LEN:-4096}
targets=(fuzz-xlat46:corpus-46 fuzz-xlat64:corpus-64 fuzz-reasm:corpus-reasm
	fuzz-conf:corpus-conf fuzz-tayga-conf:corpus-tayga-conf
	fuzz-pref64:corpus-pref64 fuzz-rtnl:corpus-rtnl
	fuzz-dns64:corpus-dns64 fuzz-control:corpus-control
	fuzz-dhcp4:corpus-dhcp4 fuzz-dad-nd:corpus-dad-nd fuzz-dhcp6:corpus-dhcp6
	fuzz-msg:corpus-msg)

if [ -f build-fuzz/build.ninja ]; then
	meson setup --reconfigure build-fuzz -Dfuzz=true >/dev/null
else
	CC=clang meson setup build-fuzz -Dfuzz=true >/dev/null
fi
meson compile -C build-fuzz "${targets[@]%%:*}" >/dev/null
mkdir -p build-fuzz/artifacts

status=0
for t in "${targets[@]}"; do
	name=${t%%:*}
	work=build-fuzz/corpus/$name
	log=build-fuzz/$name.log
	mkdir -p "$work"
	if ! "build-fuzz/tests/fuzz/$name" -max_total_time="$secs" \
		-max_len="$max_len" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="build-fuzz/artifacts/$name-" \
		"$work" "tests/fuzz/${t#*:}" >"$log" 2>&1; then
		echo "fuzz: $name crashed; log in $log, input in build-fuzz/artifacts"
		tail -n 40 "$log"
		status=1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1)
	printf 'fuzz: %-12s %12s execs %8s exec/s  %s\n' "$name" \
		"${execs:-?}" "${rate:-?}" "${cov:-no coverage line}"
done
exit $status
