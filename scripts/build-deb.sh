#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
#
# build-deb.sh: build the Debian package (debian/) from a copy of the
# tracked files in build-deb/src, so that nothing lands beside the tree,
# and check it with lintian: any error or warning fails. The package and
# lintian's report are left in build-deb/.
set -euo pipefail
cd "$(dirname "$0")/.."

out=build-deb
rm -rf "$out"
mkdir -p "$out/src"
printf '*\n' >"$out/.gitignore"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$out/src"
(cd "$out/src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log"
	echo "build-deb: dpkg-buildpackage failed; log in $out/build.log" >&2
	exit 1
}
rm -rf "$out/src"
changes=$(ls "$out"/xlatd_*.changes)
# lintian leaves caches in $TMPDIR: keep them in build-deb/ too
mkdir -p "$out/tmp"
if ! TMPDIR=$PWD/$out/tmp lintian --fail-on error,warning --info "$changes" \
	>"$out/lintian.log" 2>&1; then
	cat "$out/lintian.log"
	echo "build-deb: lintian found errors or warnings" >&2
	exit 1
fi
echo "build-deb: $(ls "$out"/xlatd_*.deb), lintian clean"
