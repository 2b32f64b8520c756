#!/usr/bin/env bash
# tests/browser/install.sh — install what the browser test needs; test.sh calls it.
#
#   1. Debian's `chromium` package (apt-get, as root; otherwise it says what to run).
#      The test drives that binary; Playwright never downloads a browser of its own.
#   2. playwright-core into tests/browser/node_modules with `npm ci`, exactly as
#      package-lock.json pins it (again only when the lock file changed).
#
# Idempotent: once done it takes well under a second and changes nothing.
# Nothing is downloaded when the test itself runs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

note() { printf '    %s\n' "$*"; }
die() {
    printf 'tests/browser/install.sh: FAILED: %s\n' "$1" >&2
    shift
    for line in "$@"; do printf '    %s\n' "$line" >&2; done
    exit 1
}

# --- 1. chromium ---------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
        die "the browser test needs Debian's chromium package, and it is not installed" \
            "install it (once) with:  sudo apt-get update && sudo apt-get install --no-install-recommends chromium" \
            "then re-run ./test.sh"
    fi
    command -v apt-get >/dev/null 2>&1 ||
        die "chromium is not installed and this machine has no apt-get" \
            "install Chromium so that 'command -v chromium' finds it, then re-run"
    printf '==> Installing Debian'"'"'s chromium package with apt-get (about a minute, once)\n'
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed" "check the network to Debian's mirrors, then re-run"
    apt-get install -y -qq --no-install-recommends chromium >/dev/null ||
        die "apt-get install chromium failed" "read apt-get's error above, then re-run"
    command -v chromium >/dev/null 2>&1 || die "apt-get installed chromium but 'command -v chromium' finds nothing"
fi
# Debian's launcher script prints a harmless shell warning on some machines: drop stderr.
note "$(chromium --version 2>/dev/null): $(command -v chromium)"

# --- 2. playwright-core --------------------------------------------------------
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    die "node and npm are not on PATH" "install Node.js 20 or newer (Debian: apt-get install nodejs npm)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
    die "node is $(node --version); the browser test needs Node.js 20 or newer"
lock_hash="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1) node$(node -e 'process.stdout.write(process.versions.node.split(".")[0])')"
stamp="$here/node_modules/.nn-lock.sha256"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ] && [ -f "$here/node_modules/playwright-core/package.json" ]; then
    note "playwright-core: installed as package-lock.json pins it"
else
    printf '==> Installing playwright-core with npm ci (tests/browser/package-lock.json)\n'
    (cd "$here" && npm ci --no-audit --no-fund --no-update-notifier --loglevel=error) ||
        die "npm ci in tests/browser failed" "read npm's error above (network to the npm registry?), then re-run"
    printf '%s\n' "$lock_hash" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
fi
note "playwright-core $(node -p 'require(process.argv[1]).version' "$here/node_modules/playwright-core/package.json")"
