#!/usr/bin/env bash
# kernel-install.sh — set up the Rust Jupyter kernel (evcxr) and JupyterLab.
#
# Takes a machine that has rustup/cargo and python3 (3.11 or newer) to a
# working JupyterLab with the Rust kernel:
#   1. checks cargo, rustc and python3 are there;
#   2. adds the rust-src component if the toolchain lacks it (evcxr needs it);
#   3. installs evcxr_jupyter 0.22.0 with cargo (about 7 minutes, once);
#   4. makes .venv/ in this repository from requirements.txt (once per change
#      of requirements.txt);
#   5. registers evcxr's kernel `rust` and the notebooks' kernel `rust-nn`
#      (evcxr started so that its build cache keeps the nn crate) with
#      Jupyter, and checks that the venv's Jupyter sees them;
#   6. warms the build caches by running notebooks/01-*.ipynb headless, in
#      memory (the committed notebook is never modified); again only when the
#      notebook or Cargo.lock changed.
#
# It is idempotent: a second run changes nothing and takes seconds. It needs no
# sudo and writes only to this repository, ~/.cargo, the user's Jupyter folders
# and the caches that cargo and evcxr keep (~/.cache/evcxr; the rust-nn
# kernel's build folders go to /tmp/nn-notebooks-<uid>).
#
# Usage:
#   ./kernel-install.sh            set up (or check) everything
#   ./kernel-install.sh --lab      set up, then open JupyterLab on notebooks/
#   ./kernel-install.sh --no-warm  set up without running the first notebook
#   ./kernel-install.sh --warm     run the first notebook even if it ran before
#   Arguments after `--` go to `jupyter lab` (with --lab).
set -euo pipefail

EVCXR_VERSION=0.22.0
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$REPO/.venv"
REQUIREMENTS="$REPO/requirements.txt"
REQ_STAMP="$VENV/.requirements.sha256"
WARM_STAMP="$VENV/.warm.sha256"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

lab=0
warm=auto
lab_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --lab) lab=1 ;;
        --no-warm) warm=no ;;
        --warm) warm=force ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        --)
            shift
            lab_args=("$@")
            break
            ;;
        *)
            echo "kernel-install.sh: unknown option '$1' (try --help)" >&2
            exit 2
            ;;
    esac
    shift
done

step() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() {
    printf 'kernel-install.sh: FAILED: %s\n' "$1" >&2
    shift
    for line in "$@"; do printf '    %s\n' "$line" >&2; done
    exit 1
}

# cargo installs binaries here; the kernel also needs cargo on PATH when it runs.
case ":$PATH:" in
    *":$CARGO_BIN:"*) ;;
    *) [ -d "$CARGO_BIN" ] && export PATH="$CARGO_BIN:$PATH" ;;
esac

# --- 1. prerequisites ---------------------------------------------------------
step "Checking prerequisites"
missing=()
command -v cargo >/dev/null 2>&1 || missing+=(cargo)
command -v rustc >/dev/null 2>&1 || missing+=(rustc)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    hints=()
    case " ${missing[*]} " in *" cargo "* | *" rustc "*)
        hints+=("cargo, rustc: install Rust with rustup (https://rustup.rs), then open a new shell"
            "  or run: source \"\$HOME/.cargo/env\"") ;;
    esac
    case " ${missing[*]} " in *" python3 "*)
        hints+=("python3: install Python 3.11 or newer with its venv module, e.g. apt-get install python3 python3-venv") ;;
    esac
    die "missing: ${missing[*]}" "${hints[@]}"
fi
if ! python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    die "python3 is $(python3 --version 2>&1); the pinned packages need Python 3.11 or newer" \
        "install a newer python3 and put it first on PATH"
fi
note "$(cargo --version), $(rustc --version), $(python3 --version 2>&1)"

# --- 2. rust-src ---------------------------------------------------------------
sysroot="$(rustc --print sysroot)"
if [ -d "$sysroot/lib/rustlib/src/rust/library" ]; then
    note "rust-src: present"
else
    step "Adding the rust-src component (evcxr needs the standard library's source)"
    command -v rustup >/dev/null 2>&1 ||
        die "rust-src is missing and rustup is not on PATH" \
            "install the Rust standard library source for $(rustc --version) (rustup component add rust-src)"
    rustup component add rust-src ||
        die "'rustup component add rust-src' failed" "check the network to the Rust distribution server, then re-run"
fi

# --- 3. evcxr_jupyter -------------------------------------------------------------
# evcxr_jupyter has no --version flag; cargo's install record tells the version.
evcxr_installed() {
    [ -x "$CARGO_BIN/evcxr_jupyter" ] &&
        cargo install --list 2>/dev/null | grep -qx "evcxr_jupyter v$EVCXR_VERSION:"
}
if evcxr_installed; then
    note "evcxr_jupyter $EVCXR_VERSION: installed"
else
    step "Installing evcxr_jupyter $EVCXR_VERSION with cargo: this takes about 7 minutes on 2 cores"
    cargo install --locked evcxr_jupyter --version "$EVCXR_VERSION" ||
        die "cargo install evcxr_jupyter $EVCXR_VERSION failed" \
            "read cargo's error above; a C compiler (gcc or clang) and network access to crates.io are needed" \
            "then re-run ./kernel-install.sh"
    evcxr_installed || die "evcxr_jupyter $EVCXR_VERSION is not in $CARGO_BIN after cargo install" \
        "check CARGO_HOME and CARGO_INSTALL_ROOT, then re-run"
fi
EVCXR="$CARGO_BIN/evcxr_jupyter"

# --- 4. Python virtual environment --------------------------------------------
req_hash="$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$REQUIREMENTS")"
req_hash="$req_hash python$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ -x "$VENV/bin/python" ] && [ -f "$REQ_STAMP" ] && [ "$(cat "$REQ_STAMP")" = "$req_hash" ] &&
    "$VENV/bin/python" -c '' 2>/dev/null; then
    note ".venv: up to date with requirements.txt"
else
    if ! [ -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c '' 2>/dev/null; then
        step "Creating the virtual environment .venv/"
        rm -rf "$VENV"
        python3 -m venv "$VENV" ||
            die "python3 -m venv failed" "on Debian or Ubuntu install the venv module: apt-get install python3-venv"
    fi
    step "Installing requirements.txt into .venv/ (JupyterLab, nbclient, pytest, numpy, ...): under a minute"
    "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$REQUIREMENTS" ||
        die "pip install -r requirements.txt failed" \
            "read pip's error above (network to PyPI? disk space?), then re-run; 'rm -rf .venv' starts afresh"
    printf '%s\n' "$req_hash" >"$REQ_STAMP"
fi

# --- 5. register the kernels ---------------------------------------------------
# evcxr_jupyter --install writes kernels/rust/ under $JUPYTER_PATH if set, else
# under the XDG data folder (~/.local/share/jupyter) — Jupyter's user data folder.
kernel_registered() {
    "$VENV/bin/python" - "$1" "$2" <<'PY'
import os, sys
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
name, want = sys.argv[1], sys.argv[2]
try:
    spec = KernelSpecManager().get_kernel_spec(name)
except NoSuchKernel:
    sys.exit(1)
if name == "rust":  # evcxr's own spec: it must start this evcxr_jupyter
    sys.exit(0 if spec.argv and os.path.realpath(spec.argv[0]) == os.path.realpath(want) else 1)
# ours: every file must be what kernel_dir below writes
for f in os.listdir(want):
    try:
        same = open(os.path.join(want, f), "rb").read() == open(os.path.join(spec.resource_dir, f), "rb").read()
    except OSError:
        same = False
    if not same:
        sys.exit(1)
PY
}
if kernel_registered rust "$EVCXR"; then
    note "Jupyter kernel 'rust': registered"
else
    step "Registering the Rust kernel with Jupyter (evcxr_jupyter --install)"
    install_log="$("$EVCXR" --install 2>&1)" ||
        die "evcxr_jupyter --install failed:" "$install_log"
    if ! kernel_registered rust "$EVCXR"; then
        # Jupyter looks elsewhere (e.g. JUPYTER_DATA_DIR is set): copy the spec there.
        spec_dir="$(printf '%s\n' "$install_log" | sed -n 's|^Writing \(.*\)/kernel\.json$|\1|p' | head -n1)"
        [ -n "$spec_dir" ] || die "could not tell where evcxr_jupyter --install wrote the kernel:" "$install_log"
        copy_log="$("$VENV/bin/jupyter" kernelspec install --user --replace --name rust "$spec_dir" 2>&1)" ||
            die "jupyter kernelspec install --user --name rust $spec_dir failed:" "$copy_log"
    fi
fi

# The notebooks run in `rust-nn`: the same evcxr_jupyter, started by a launcher
# that puts evcxr's build folders in $TMPDIR/nn-notebooks-<uid>, beside a
# cargo setting that compiles the nn crate without incremental compilation.
# evcxr's build cache (`:cache` in each setup cell) keeps only crates compiled
# that way, so nn is compiled once instead of in every kernel: the setup cell
# takes ~3 s instead of ~10-15 s (docs/performance.md). crates/nn/build.rs puts
# a fingerprint of nn's sources in the cache key, so an edited crate is rebuilt.
kernel_dir="$(mktemp -d)"
trap 'rm -rf "$kernel_dir"' EXIT
rust_spec="$("$VENV/bin/python" -c 'from jupyter_client.kernelspec import KernelSpecManager as K; print(K().get_kernel_spec("rust").resource_dir)')"
for f in "$rust_spec"/*; do
    case "$(basename "$f")" in kernel.json) ;; *) cp "$f" "$kernel_dir/" ;; esac # logos, editor support
done
cat >"$kernel_dir/kernel.json" <<'JSON'
{
  "argv": ["/bin/sh", "{resource_dir}/launch.sh", "--control_file", "{connection_file}"],
  "display_name": "Rust (nn)",
  "interrupt_mode": "message",
  "language": "rust"
}
JSON
cat >"$kernel_dir/launch.sh" <<SH
#!/bin/sh
# Starts evcxr_jupyter for the nn notebooks. Written by kernel-install.sh.
#
# evcxr builds each cell in a fresh folder under \$TMPDIR. Here those folders
# go one level deeper, into nn-notebooks-<uid>, beside a cargo setting that
# compiles the nn crate without incremental compilation, which is what evcxr's
# build cache needs to keep it: later kernels then start without compiling nn
# again. (The folder stays in the temporary folder on purpose: rustc writes
# relative library paths into each cell's library that do not resolve from
# inside the home folder, where rustup keeps the standard library.)
set -e
dir="\${TMPDIR:-/tmp}/nn-notebooks-\$(id -u)"
mkdir -p "\$dir/.cargo"
config='# Written by the nn notebooks kernel (kernel-install.sh): lets evcxr cache the nn crate.
[profile.dev.package.nn]
incremental = false

[profile.dev.build-override]
incremental = false
'
if [ "\$(cat "\$dir/.cargo/config.toml" 2>/dev/null)" != "\$(printf '%s' "\$config")" ]; then
    printf '%s' "\$config" >"\$dir/.cargo/config.toml.\$\$"
    mv "\$dir/.cargo/config.toml.\$\$" "\$dir/.cargo/config.toml"
fi
export TMPDIR="\$dir"
export PATH="$CARGO_BIN:\$PATH"
exec "$EVCXR" "\$@"
SH
if kernel_registered rust-nn "$kernel_dir"; then
    note "Jupyter kernel 'rust-nn': registered"
else
    step "Registering the notebooks' kernel 'rust-nn' with Jupyter"
    copy_log="$("$VENV/bin/jupyter" kernelspec install --user --replace --name rust-nn "$kernel_dir" 2>&1)" ||
        die "jupyter kernelspec install --user --name rust-nn failed:" "$copy_log"
    kernel_registered rust-nn "$kernel_dir" ||
        die "Jupyter does not see the kernel 'rust-nn' it just installed:" "$copy_log" \
            "see docs/setup.md, 'The Rust kernel does not show up'"
fi
rm -rf "$kernel_dir"
kernels="$("$VENV/bin/jupyter" kernelspec list 2>&1)" || die "'.venv/bin/jupyter kernelspec list' failed:" "$kernels"
for name in rust rust-nn; do
    if ! printf '%s\n' "$kernels" | grep -Eq "^[[:space:]]+$name[[:space:]]"; then
        die "'.venv/bin/jupyter kernelspec list' does not show the kernel '$name':" "$kernels" \
            "see docs/setup.md, 'The Rust kernel does not show up'"
    fi
    note "$(printf '%s\n' "$kernels" | grep -E "^[[:space:]]+$name[[:space:]]" | sed 's/^ *//')"
done

# --- 6. warm the build caches ---------------------------------------------------
first_notebook=""
if [ -d "$REPO/notebooks" ]; then
    first_notebook="$(find "$REPO/notebooks" -maxdepth 1 -name '01-*.ipynb' | sort | head -n1)"
fi
if [ "$warm" = no ]; then
    note "warm-up: skipped (--no-warm)"
elif [ -z "$first_notebook" ]; then
    note "warm-up: skipped (no notebooks/01-*.ipynb yet)"
else
    warm_hash="$(cat "$first_notebook" "$REPO/Cargo.lock" 2>/dev/null | sha256sum | cut -d' ' -f1) evcxr$EVCXR_VERSION rust-nn"
    if [ "$warm" = auto ] && [ -f "$WARM_STAMP" ] && [ "$(cat "$WARM_STAMP")" = "$warm_hash" ]; then
        note "warm-up: $(basename "$first_notebook") already ran with these sources (--warm runs it again)"
    else
        step "Warming the kernel's build cache: running $(basename "$first_notebook") headless (a cold build takes a minute or more)"
        start=$SECONDS
        "$VENV/bin/python" - "$first_notebook" <<'PY' ||
import os, subprocess, sys, tempfile
import nbformat
from nbclient import NotebookClient
path = os.path.abspath(sys.argv[1])
nb = nbformat.read(path, as_version=4)  # executed in memory; the file is not touched
client = NotebookClient(nb, kernel_name="rust-nn", timeout=600, startup_timeout=120,
                        allow_errors=True, resources={"metadata": {"path": os.path.dirname(path)}})
client.execute(stdout=subprocess.DEVNULL)
errors = [i for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if o.get("output_type") == "error"]
if errors:
    fd, out = tempfile.mkstemp(prefix="kernel-install-warm-", suffix=".ipynb")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    print(f"    note: cells {errors} raised errors (executed copy: {out});")
    print("    the set-up is fine; .venv/bin/python -m pytest tests/notebooks shows the details")
PY
            die "running $(basename "$first_notebook") in the Rust kernel failed (see above)" \
                "check that 'evcxr_jupyter' starts and that cargo is on PATH; or re-run with --no-warm"
        printf '%s\n' "$warm_hash" >"$WARM_STAMP"
        note "warm-up took $((SECONDS - start)) s"
    fi
fi

step "Ready: the Rust kernel and JupyterLab are set up"

# --- --lab: open the notebooks --------------------------------------------------
if [ "$lab" = 1 ]; then
    root_flag=()
    [ "$(id -u)" = 0 ] && root_flag=(--allow-root) # JupyterLab refuses to run as root without it
    cd "$REPO"
    exec "$VENV/bin/jupyter" lab "${root_flag[@]}" "${lab_args[@]}" notebooks/
fi
