#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# check-keys.sh SOURCE.c... MANPAGE
#
# Fails when xlatd.conf(5) misses a configuration key of the code, or
# documents one that the code no longer has. The code's keys are the
# names in the key tables of the SOURCE files (src/conf/keys.c,
# src/daemon/config.c and src/daemon/config_router.c), lines like
#     {"plat-prefix", set_plat_prefix,
# and the strings of the ignored_keys[] list of src/daemon/config.c. The
# page's keys are its ".It Cm name" items: xlatd.conf(5) uses that macro
# only for keys.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 source.c... xlatd.conf.5" >&2
	exit 2
fi
for f in "$@"; do
	if [ ! -r "$f" ]; then
		echo "$0: cannot read $f" >&2
		exit 2
	fi
done
# The last argument is the page; the others are the sources.
for page in "$@"; do :; done
sources=
while [ $# -gt 1 ]; do
	sources="$sources $1"
	shift
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# {"name", set_...: one key of a table.
# shellcheck disable=SC2086 # the source paths, split
sed -n 's/^[[:space:]]*{"\([a-z0-9-]*\)",[[:space:]]*set_.*/\1/p' \
	$sources >"$tmp/table"
# Every string from "ignored_keys[] = {" to the "};" that ends it.
# shellcheck disable=SC2086 # the source paths, split
sed -n '/ignored_keys\[\][[:space:]]*=/,/};/p' $sources |
	grep -o '"[a-z0-9-]*"' | tr -d '"' >"$tmp/ignored"
sort -u "$tmp/table" "$tmp/ignored" >"$tmp/code"
sed -n 's/^\.It Cm \([a-z0-9-]*\).*/\1/p' "$page" | sort -u >"$tmp/doc"

# Guard against a table format the patterns above no longer match.
if [ "$(wc -l <"$tmp/table")" -lt 10 ] || [ ! -s "$tmp/ignored" ]; then
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
