#!/usr/bin/env bash
# test.sh — every test of the project in one command.
#
#   1. ./kernel-install.sh --no-warm   set-up (idempotent: seconds when done before)
#   2. cargo fmt --all -- --check      formatting
#   3. cargo clippy ... -D warnings    lints
#   4. cargo doc, cargo test --workspace   the docs' links, the crates' tests
#   5. pytest tests/notebooks          every notebooks/*.ipynb in a fresh Rust
#                                      kernel, and the harness's own tests
#   6. tests/browser (node --test)     every notebook run from JupyterLab's UI in
#                                      headless Chromium, checked as a learner sees it
#      (tests/browser/install.sh, run during set-up, installs Debian's chromium
#      and playwright-core)
#
# Stops at the first failure. The last lines it prints are node's test summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in
    *":$cargo_bin:"*) ;;
    *) [ -d "$cargo_bin" ] && export PATH="$cargo_bin:$PATH" ;;
esac

step() { printf '\n==> %s\n' "$*"; }
fail() {
    printf '\ntest.sh: FAILED at %s\n' "$1" >&2
    shift
    for line in "$@"; do printf '    %s\n' "$line" >&2; done
    exit 1
}

step "Set-up: ./kernel-install.sh --no-warm"
./kernel-install.sh --no-warm || fail "set-up (./kernel-install.sh --no-warm)" "see its message above"

step "Set-up: tests/browser/install.sh (Chromium and playwright-core, for the browser test)"
tests/browser/install.sh || fail "set-up of the browser test (tests/browser/install.sh)" "see its message above"

for tool in fmt clippy; do
    cargo "$tool" --version >/dev/null 2>&1 ||
        fail "cargo $tool" "it is not installed: rustup component add $([ "$tool" = fmt ] && echo rustfmt || echo clippy)"
done

step "cargo fmt --all -- --check"
cargo fmt --all -- --check || fail "cargo fmt" "run 'cargo fmt --all' and commit the result"

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings || fail "cargo clippy" "fix the warnings above"
# The notebooks build nn without its `files` feature: lint that build too.
step "cargo clippy -p nn --no-default-features --all-targets -- -D warnings"
cargo clippy -p nn --no-default-features --all-targets -- -D warnings || fail "cargo clippy (nn without features)" "fix the warnings above"

step "cargo doc --workspace --no-deps (warnings are errors: broken links in the docs)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet || fail "cargo doc" "fix the documentation warnings above"

step "cargo test --workspace"
cargo test --workspace || fail "cargo test" "see the failing tests above"

step "pytest tests/notebooks (each notebook in a fresh Rust kernel)"
.venv/bin/python -m pytest tests/notebooks -v -rfEs || fail "pytest tests/notebooks" "see the failing tests above"

step "Browser test: every notebook run from JupyterLab's UI in headless Chromium (tests/browser)"
# exec: node's test summary is the last output, and its exit status is ours.
exec node --test --test-reporter=spec --test-concurrency=1 tests/browser/harness.test.mjs tests/browser/notebooks.test.mjs
