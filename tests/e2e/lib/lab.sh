# SPDX-License-Identifier: BSD-2-Clause
#
# Use the lab (scripts/lab/lab.sh) from an end-to-end test. Source this
# file after assert.sh:
#
#   lab_up --mode full          # exports the lab's KEY=VALUE lines
#   in_ns client curl -s "$SERVER_URL6"
#   lab_down                    # also done on exit (e2e.sh)
#
# Labs belong to $XLAB_OWNER (set here to e2e-PID unless given), so a test
# never takes down someone else's lab.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
LAB="$E2E_ROOT/scripts/lab/lab.sh"
export XLAB_OWNER=${XLAB_OWNER:-e2e-$$}

# lab_up [lab.sh up options]: bring a lab up (at most 60 s) and export its
# keys.
lab_up() {
	local out
	out=$(timeout -k 5 60 "$LAB" up "$@") || {
		echo "lab_up: lab.sh up $* failed" >&2
		return 1
	}
	set -a
	eval "$out"
	set +a
	export XLAB_ID=$LAB_ID
}

# lab_down: take down the lab of the last lab_up.
lab_down() {
	[ -n "${XLAB_ID:-}" ] || return 0
	timeout -k 5 30 "$LAB" down "$XLAB_ID" || true
	unset XLAB_ID
}

# in_ns ROLE CMD...: run CMD in the lab namespace of ROLE (client, router,
# router2, plat, plat2, server), killed after $E2E_CMD_TIMEOUT seconds
# (default 30).
in_ns() {
	local role=$1
	shift
	"$LAB" exec "$role" timeout -k 2 "${E2E_CMD_TIMEOUT:-30}" "$@"
}

# lab_cmd ARGS...: any other lab.sh subcommand on the current lab
# (ra, native-ipv4, snapshot, env).
lab_cmd() {
	"$LAB" "$@"
}
