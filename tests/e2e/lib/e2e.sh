# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
#
# The one library an end-to-end test sources: strict mode, the assertions
# (assert.sh), the lab (lab.sh), xlatd (xlatd.sh), the lifecycle helpers
# (lifecycle.sh), traffic (traffic.sh) and xlat-siit as the PLAT
# (siit.sh). Sourcing needs no root and changes nothing on the host; a
# test that does call e2e_need_root.
#
#   . "$(dirname "$0")/lib/e2e.sh"
#   e2e_need_root
#   e2e_xlatd_dir        # XLATD_DIR: a fresh directory of the test's own

set -uo pipefail

E2E_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/assert.sh
. "$E2E_LIB/assert.sh"
# shellcheck source=lib/lab.sh
. "$E2E_LIB/lab.sh"
# shellcheck source=lib/xlatd.sh
. "$E2E_LIB/xlatd.sh"
# shellcheck source=lib/lifecycle.sh
. "$E2E_LIB/lifecycle.sh"
# shellcheck source=lib/traffic.sh
. "$E2E_LIB/traffic.sh"
# shellcheck source=lib/siit.sh
. "$E2E_LIB/siit.sh"

# e2e_need_root: skip the test (exit 77) unless it runs as root.
e2e_need_root() {
	[ "$(id -u)" = 0 ] || {
		echo "SKIP: needs root"
		exit 77
	}
}

# e2e_xlatd_dir: set XLATD_DIR (xlatd's socket and log, and the test's
# own files) to a new directory, in $E2E_TMP.
e2e_xlatd_dir() {
	XLATD_DIR=$(mktemp -d "$E2E_TMP/xlatd.XXXXXX")
}

# e2e_exit: on exit, stop what the test started and remove what it made:
# xlatd, the lab and $E2E_TMP. When a check failed, xlatd's log goes to
# stdout first, into the test's log.
e2e_exit() {
	xlatd_kill
	lab_down
	if grep -q '^FAIL$' "$E2E_RESULTS" 2>/dev/null &&
		[ -s "${XLATD_LOG:-}" ]; then
		echo "--- the end of $XLATD_LOG"
		tail -n 40 "$XLATD_LOG"
	fi
	if [ "${E2E_TMP_OWNER:-}" = $$ ]; then
		rm -rf "$E2E_TMP"
	fi
}
trap e2e_exit EXIT
