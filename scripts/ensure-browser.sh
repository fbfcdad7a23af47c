#!/bin/sh
# Make sure a Chromium and NSS's certutil are present (idempotent).
# Debian: the distribution's chromium and libnss3-tools. Elsewhere (no apt, or Ubuntu, whose
# chromium package is only a wrapper around a snap): Playwright's own Chromium download.
set -eu
bin=$1

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

have_chromium() {
    [ -n "${GOVSCAN_CHROMIUM:-}" ] && [ -x "${GOVSCAN_CHROMIUM}" ] && return 0
    [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ] && return 0
    "$bin/python" - <<'PY' 2>/dev/null
import sys
from playwright.sync_api import sync_playwright
from pathlib import Path
with sync_playwright() as p:
    sys.exit(0 if Path(p.chromium.executable_path).is_file() else 1)
PY
}

distro=$( . /etc/os-release 2>/dev/null && echo "${ID:-unknown}" || echo unknown)
packages=""
have_chromium || { [ "$distro" != ubuntu ] && packages="chromium"; }
command -v certutil >/dev/null 2>&1 || packages="$packages libnss3-tools"

if [ -n "$packages" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing$packages with apt-get ..." >&2
    as_root apt-get update -qq || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null \
        || echo "apt-get could not install$packages" >&2
fi

if ! have_chromium; then
    echo "Installing Playwright's Chromium ..." >&2
    if [ "$(id -u)" = 0 ]; then "$bin/playwright" install --with-deps chromium; else "$bin/playwright" install chromium; fi
fi
have_chromium || { echo "No Chromium available: install it, or set GOVSCAN_CHROMIUM" >&2; exit 3; }
command -v certutil >/dev/null 2>&1 || echo "note: certutil (libnss3-tools) is missing; --ca-bundle and the demo need it" >&2
exit 0
