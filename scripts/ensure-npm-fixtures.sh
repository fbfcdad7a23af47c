#!/bin/sh
# Fetch the open-source consent manager that the consent tests build their banner with
# (vanilla-cookieconsent, MIT) from the npm registry into a cache folder outside git (idempotent).
# The tests themselves never reach the internet: they serve these files from the local web server.
set -eu
cache=${1:-.test-cache/npm}
package=vanilla-cookieconsent
version=3.1.0
target="$cache/$package-$version"
if [ -f "$target/package/dist/cookieconsent.umd.js" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "npm is needed once to fetch $package@$version for the consent tests (Debian: apt install npm)." >&2
    exit 3
fi
mkdir -p "$target"
npm pack "$package@$version" --pack-destination "$target" --silent >/dev/null
tar -xzf "$target/$package-$version.tgz" -C "$target"
