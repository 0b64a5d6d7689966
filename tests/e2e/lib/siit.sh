# shellcheck shell=bash
# SPDX-License-Identifier: BSD-2-Clause
#
# xlat-siit as the lab's PLAT (lab_up --plat xlat-siit) from an
# end-to-end test: its counters and status through xlatctl on its control
# socket ($PLAT_SOCK), its saved pool, and restarts. Source after
# assert.sh, lab.sh and xlatd.sh.
#
#   siit_stat 's["siit"]["pool_assigned"]'   # a value of stats --json
#   siit_status pool_active                  # a key of status --json
#   lab_cmd plat stop; lab_cmd plat start

XLAT_SIIT=${XLAT_SIIT:-$E2E_ROOT/build/src/siit/xlat-siit}
export XLAT_SIIT

# siit_ctl SUBCOMMAND ARGS...: xlatctl on the PLAT's control socket.
siit_ctl() {
	local sub=$1
	shift
	"$XLATCTL" "$sub" -s "$PLAT_SOCK" "$@"
}

# siit_stat PYEXPR: a value from xlat-siit's stats --json (s).
siit_stat() {
	siit_ctl stats --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(eval(sys.argv[1]))' "$1"
}

# siit_drop REASON: the count of drop reason REASON.
siit_drop() {
	siit_stat "s[\"drops\"][\"$1\"]"
}

# siit_status KEY: KEY of xlat-siit's status --json.
siit_status() {
	siit_ctl status --json | python3 -c '
import json, sys
v = json.load(sys.stdin).get(sys.argv[1])
print("" if v is None else v)' "$1"
}

# siit_dynamic_map: the mappings of the PLAT's saved dynamic pool, one
# "IPV4 IPV6" a line.
siit_dynamic_map() {
	awk '!/^#/ && NF == 3 { print $1, $2 }' "$LAB_DIR/plat1/dynamic.map" \
		2>/dev/null
}

# siit_rose WHAT PYEXPR BEFORE: check that the stats value rose.
siit_rose() {
	check_rose "$1" "$3" "$(siit_stat "$2")"
}
