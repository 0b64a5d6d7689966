#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# check-keys.sh KEYS_C CONFIG_C MANPAGE
#
# Fails when xlatd.conf(5) misses a configuration key of the code, or
# documents one that the code no longer has. The code's keys are the
# names in the key tables, lines like
#     {"plat-prefix", set_plat_prefix,
# of src/conf/keys.c and src/daemon/config.c, and the strings of the
# ignored_keys[] list of src/daemon/config.c. The page's keys are its
# ".It Cm name" items: xlatd.conf(5) uses that macro only for keys.
set -eu

if [ $# -ne 3 ]; then
	echo "usage: $0 keys.c config.c xlatd.conf.5" >&2
	exit 2
fi
keys_c=$1
config_c=$2
page=$3
for f in "$keys_c" "$config_c" "$page"; do
	if [ ! -r "$f" ]; then
		echo "$0: cannot read $f" >&2
		exit 2
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# {"name", set_...: one key of a table.
sed -n 's/^[[:space:]]*{"\([a-z0-9-]*\)",[[:space:]]*set_.*/\1/p' \
	"$keys_c" "$config_c" >"$tmp/table"
# Every string from "ignored_keys[] = {" to the "};" that ends it.
sed -n '/ignored_keys\[\][[:space:]]*=/,/};/p' "$config_c" |
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
