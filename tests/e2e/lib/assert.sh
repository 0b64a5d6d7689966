# SPDX-License-Identifier: BSD-2-Clause
#
# Small assertions for the end-to-end tests (bash). Source this file, call
# the checks, end with `summary`:
#
#   . tests/e2e/lib/assert.sh
#   check "client has a default route" ip -6 route show default
#   check_eq "body" "$expected" "$(curl -s ...)"
#   wait_for 5 grep -q ready log || fail "daemon ready" "no 'ready' in 5 s"
#   summary        # prints "N passed, M failed"; status 1 if any failed
#
# Each result is a line "PASS name", "FAIL name: reason" or "SKIP name:
# reason" on stdout. Results are also appended to $E2E_RESULTS, so checks
# made in subshells and pipelines count too. A failed check returns 1, so
# `check ... || return` works; do not run the tests under `set -e`.
#
# $E2E_TMP is a directory for the test's files, results included; the
# shell that sourced this file first owns it ($E2E_TMP_OWNER) and removes
# it on exit (e2e.sh, or the script itself).

if [ -z "${E2E_TMP:-}" ]; then
	E2E_TMP=$(mktemp -d /tmp/e2e.XXXXXX)
	E2E_TMP_OWNER=$$
	E2E_RESULTS=$E2E_TMP/results
	: >"$E2E_RESULTS"
fi
export E2E_TMP E2E_TMP_OWNER E2E_RESULTS

pass() {
	echo "PASS $1"
	echo PASS >>"$E2E_RESULTS"
}

# fail NAME REASON
fail() {
	echo "FAIL $1: ${2:-failed}"
	echo FAIL >>"$E2E_RESULTS"
	return 1
}

# skip NAME REASON
skip() {
	echo "SKIP $1: ${2:-skipped}"
	echo SKIP >>"$E2E_RESULTS"
}

# check NAME CMD...: pass if CMD exits 0; otherwise fail with its status and
# the last line it printed.
check() {
	local name=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	if [ "$rc" = 0 ]; then
		pass "$name"
	else
		fail "$name" "exit $rc${out:+: $(tail -n 1 <<<"$out")}"
	fi
}

# check_fails NAME CMD...: pass if CMD exits non-zero.
check_fails() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		fail "$name" "succeeded: $*"
	else
		pass "$name"
	fi
}

# check_eq NAME EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected '$2', got '$3'"
	fi
}

# check_rose NAME BEFORE NOW: a counter went up from BEFORE to NOW.
check_rose() {
	if [ "${3:-0}" -gt "$2" ]; then
		pass "$1"
	else
		fail "$1" "stayed at $2 (now ${3:-none})"
	fi
}

# check_match NAME ERE TEXT: TEXT has a line that matches ERE.
check_match() {
	if grep -Eq -- "$2" <<<"$3"; then
		pass "$1"
	else
		fail "$1" "no line matches /$2/ in '$(head -c 300 <<<"$3" |
			tr '\n' '|')'"
	fi
}

# wait_for SECONDS CMD...: run CMD (output discarded) every 0.1 s until it
# succeeds (status 0) or SECONDS (may be fractional) have passed (status 1).
wait_for() {
	local secs=$1 t end
	shift
	t=${EPOCHREALTIME//[.,]/}
	end=$((10#$t + $(awk -v s="$secs" 'BEGIN { printf "%d", s * 1e6 }')))
	until "$@" >/dev/null 2>&1; do
		t=${EPOCHREALTIME//[.,]/}
		((10#$t < end)) || return 1
		sleep 0.1
	done
}

# run_timeout SECONDS CMD...: CMD, killed (TERM, then KILL 2 s later) after
# SECONDS; status 124 on timeout, as timeout(1). CMD is a program, not a
# shell function (in_ns has its own limit, $E2E_CMD_TIMEOUT).
run_timeout() {
	local secs=$1
	shift
	if [ "$(type -t "$1")" = function ]; then
		echo "run_timeout: $1 is a shell function" >&2
		return 2
	fi
	timeout -k 2 "$secs" "$@"
}

# summary: print "N passed, M failed" (and ", K skipped" if any); status 1
# if anything failed or nothing ran. It removes the results file: call it
# last.
summary() {
	local p f s
	p=$(grep -c '^PASS$' "$E2E_RESULTS" || true)
	f=$(grep -c '^FAIL$' "$E2E_RESULTS" || true)
	s=$(grep -c '^SKIP$' "$E2E_RESULTS" || true)
	if [ "$s" -gt 0 ]; then
		echo "$p passed, $f failed, $s skipped"
	else
		echo "$p passed, $f failed"
	fi
	rm -f "$E2E_RESULTS"
	[ "$f" -eq 0 ] && [ $((p + s)) -gt 0 ]
}
