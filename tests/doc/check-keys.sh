#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# check-keys.sh [-i] MANPAGE TABLE_C...
#
# Fails when MANPAGE misses a configuration key of the code, or documents
# one that the code no longer has. The code's keys are the names in the
# key tables, lines like
#     {"plat-prefix", set_plat_prefix,
# of the TABLE_C files (src/conf/keys.c, src/daemon/config.c and
# src/daemon/config_router.c for
# xlatd.conf(5), src/siit/tayga_keys.c for xlat-siit(8)), and with -i the
# strings of an ignored_keys[] list in one of them, which must be there.
# The page's keys are its ".It Cm name" items: the pages use that macro
# only for keys.
set -eu

ignored=0
if [ "${1:-}" = -i ]; then
	ignored=1
	shift
fi
if [ $# -lt 2 ]; then
	echo "usage: $0 [-i] MANPAGE TABLE_C..." >&2
	exit 2
fi
page=$1
shift
for f in "$page" "$@"; do
	if [ ! -r "$f" ]; then
		echo "$0: cannot read $f" >&2
		exit 2
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# {"name", set_...: one key of a table.
sed -n 's/^[[:space:]]*{"\([a-z0-9-]*\)",[[:space:]]*set_.*/\1/p' \
	"$@" >"$tmp/table"
# Every string from "ignored_keys[] = {" to the "};" that ends it.
sed -n '/ignored_keys\[\][[:space:]]*=/,/};/p' "$@" |
	grep -o '"[a-z0-9-]*"' | tr -d '"' >"$tmp/ignored" || true
sort -u "$tmp/table" "$tmp/ignored" >"$tmp/code"
sed -n 's/^\.It Cm \([a-z0-9-]*\).*/\1/p' "$page" | sort -u >"$tmp/doc"

# Guard against a table format the patterns above no longer match.
if [ "$(wc -l <"$tmp/table")" -lt 10 ] ||
	{ [ "$ignored" = 1 ] && [ ! -s "$tmp/ignored" ]; }; then
	echo "$0: found $(wc -l <"$tmp/table") table keys and" \
		"$(wc -l <"$tmp/ignored") ignored keys: has the format of" \
		"the key tables changed?" >&2
	exit 1
fi

status=0
for key in $(comm -23 "$tmp/code" "$tmp/doc"); do
	echo "$page: key '$key' of the code is not documented" >&2
	status=1
done
for key in $(comm -13 "$tmp/code" "$tmp/doc"); do
	echo "$page: key '$key' is documented but the code has no such key" >&2
	status=1
done
if [ $status -eq 0 ]; then
	echo "$page documents all $(wc -l <"$tmp/code") keys"
fi
exit $status
