#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Build xlatd twice and run every test: once plainly (and the unit tests
# again under valgrind), once with AddressSanitizer and UBSan under clang
# (the end-to-end tests run the sanitized xlatd then), and fuzz every
# libFuzzer target for FUZZ_SECONDS (default 20) each. The Debian package
# is built and checked with lintian too (scripts/build-deb.sh).
# Set SKIP_DEPS=1 to skip installing packages, and CONFORMANCE_DIR to the
# directory of the external translation vectors (docs/conformance.md);
# without it the tests that need them are skipped. Exits non-zero if
# anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SKIP_DEPS:-0}" != 1 ]; then
	./scripts/setup-deps.sh
fi

# setup DIR [MESON OPTION ...]: configure once, reconfigure after that.
setup() {
	local dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@"
	else
		meson setup "$dir" "$@"
	fi
}

# tally LOG...: one "N passed, N failed, N skipped" line for meson test logs.
tally() {
	local results pass fail skip
	results=$(grep -Eoh '"result": "[A-Z]+"' "$@" || true)
	pass=$(grep -Ec '"(OK|EXPECTEDFAIL)"' <<<"$results" || true)
	skip=$(grep -Ec '"SKIP"' <<<"$results" || true)
	fail=$(grep -Evc '"(OK|EXPECTEDFAIL|SKIP)"|^$' <<<"$results" || true)
	echo "run-tests: $pass passed, $fail failed, $skip skipped"
}

vectors=-Dconformance_dir=${CONFORMANCE_DIR:-}
setup build "$vectors"
meson compile -C build
# The Debian package, lintian-clean; tests/e2e/package.sh runs it.
./scripts/build-deb.sh
meson test -C build --print-errorlogs
meson test -C build --print-errorlogs --suite unit \
	--wrap='valgrind --quiet --error-exitcode=1 --leak-check=full'

CC=clang setup build-san -Db_sanitize=address,undefined -Db_lundef=false \
	"$vectors"
meson compile -C build-san
ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-san --print-errorlogs

# A short bounded fuzzing run of every libFuzzer target (docs/fuzzing.md).
fuzz_status=0
./scripts/fuzz.sh "${FUZZ_SECONDS:-20}" || fuzz_status=$?

tally build/meson-logs/testlog.json build/meson-logs/testlog-valgrind.json \
	build-san/meson-logs/testlog.json
exit "$fuzz_status"
