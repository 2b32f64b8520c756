#!/usr/bin/env bash
# kernel-install.sh — set up the Rust Jupyter kernel (evcxr) and JupyterLab.
#
# Takes a machine that has rustup/cargo and python3 (3.11 or newer) to a
# working JupyterLab with the Rust kernel, in six phases, each with a line
# `==> [N/6] ...` and the seconds it took:
#   1. checks cargo, rustc and python3 are there;
#   2. adds the rust-src component if the toolchain lacks it (evcxr needs it);
#   3. installs evcxr_jupyter 0.22.0 with cargo (once; the longest phase:
#      see README.md for how long it took here);
#   4. makes .venv/ in this repository from requirements.txt (once per change
#      of requirements.txt), in the background while cargo compiles;
#   5. registers evcxr's kernel `rust` and the notebooks' kernel `rust-nn`
#      (scripts/rust_nn_kernel.py: evcxr started so that its build cache keeps
#      the nn crate and nn is loaded while the kernel starts) with Jupyter,
#      and checks that the venv's Jupyter sees them;
#   6. warms the build caches: starts a rust-nn kernel on notebooks/, which
#      compiles nn and its dependencies into evcxr's cache, and runs the first
#      notebook's set-up cell; again only when crates/nn, Cargo.lock or the
#      kernel changed.
#
# It is idempotent: a second run changes nothing and takes seconds. It needs no
# sudo and writes only to this repository, ~/.cargo, the user's Jupyter folders
# and the caches that cargo and evcxr keep (~/.cache/evcxr; the rust-nn
# kernel's build folders go to /tmp/nn-notebooks-<uid>/slot-N, one per kernel
# running at once, kept for the next kernel).
#
# Usage:
#   ./kernel-install.sh            set up (or check) everything
#   ./kernel-install.sh --lab      set up, then open JupyterLab on notebooks/
#   ./kernel-install.sh --no-warm  set up without warming the caches
#   ./kernel-install.sh --warm     warm the caches even if that was done before
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
phase_start=$SECONDS
phase() { # phase N TEXT: the line that opens phase N of 6
    phase_start=$SECONDS
    printf '==> [%s/6] %s\n' "$1" "$2"
}
took() { printf '    %s: %d s\n' "$1" "$((SECONDS - phase_start))"; }
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
phase 1 "Checking prerequisites"
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
    phase 2 "Adding the rust-src component (evcxr needs the standard library's source)"
    command -v rustup >/dev/null 2>&1 ||
        die "rust-src is missing and rustup is not on PATH" \
            "install the Rust standard library source for $(rustc --version) (rustup component add rust-src)"
    rustup component add rust-src ||
        die "'rustup component add rust-src' failed" "check the network to the Rust distribution server, then re-run"
    took "rust-src"
fi

# --- 3 and 4. evcxr_jupyter, and the Python virtual environment beside it ------
# evcxr_jupyter has no --version flag; cargo's install record tells the version.
evcxr_installed() {
    [ -x "$CARGO_BIN/evcxr_jupyter" ] &&
        cargo install --list 2>/dev/null | grep -qx "evcxr_jupyter v$EVCXR_VERSION:"
}

req_hash="$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$REQUIREMENTS")"
req_hash="$req_hash python$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
venv_ok() {
    [ -x "$VENV/bin/python" ] && [ -f "$REQ_STAMP" ] && [ "$(cat "$REQ_STAMP")" = "$req_hash" ] &&
        "$VENV/bin/python" -c '' 2>/dev/null
}
make_venv() { # runs in the foreground or, while cargo compiles, in the background
    if ! [ -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c '' 2>/dev/null; then
        rm -rf "$VENV"
        python3 -m venv "$VENV" ||
            die "python3 -m venv failed" "on Debian or Ubuntu install the venv module: apt-get install python3-venv"
    fi
    "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$REQUIREMENTS" ||
        die "pip install -r requirements.txt failed" \
            "read pip's error above (network to PyPI? disk space?), then re-run; 'rm -rf .venv' starts afresh"
    printf '%s\n' "$req_hash" >"$REQ_STAMP"
}

venv_pid=""
venv_log=""
cleanup() {
    [ -n "$venv_log" ] && rm -f "$venv_log"
    [ -n "${kernel_dir:-}" ] && rm -rf "$kernel_dir"
    return 0
}
trap cleanup EXIT

if venv_ok; then
    note ".venv: up to date with requirements.txt"
elif ! evcxr_installed; then
    # pip mostly waits for downloads: it costs cargo little to share the machine.
    phase 4 "Building .venv/ from requirements.txt (JupyterLab, nbclient, pytest, numpy, ...) in the background, while cargo compiles"
    venv_log="$(mktemp)"
    (make_venv) >"$venv_log" 2>&1 &
    venv_pid=$!
fi

if evcxr_installed; then
    note "evcxr_jupyter $EVCXR_VERSION: installed"
else
    phase 3 "Installing evcxr_jupyter $EVCXR_VERSION with cargo (the longest phase: about 12 minutes on 2 cores)"
    # cargo's default release profile on purpose: one that compiles faster
    # (CARGO_PROFILE_RELEASE_LTO=off, ..._OPT_LEVEL=2) used about a fifth less
    # CPU to build, but the kernel then needed 11-36 % more CPU to start and
    # answer its first cells (docs/performance.md).
    cargo install --locked evcxr_jupyter --version "$EVCXR_VERSION" ||
        die "cargo install evcxr_jupyter $EVCXR_VERSION failed" \
            "read cargo's error above; a C compiler (gcc or clang) and network access to crates.io are needed" \
            "then re-run ./kernel-install.sh"
    evcxr_installed || die "evcxr_jupyter $EVCXR_VERSION is not in $CARGO_BIN after cargo install" \
        "check CARGO_HOME and CARGO_INSTALL_ROOT, then re-run"
    took "evcxr_jupyter"
fi
EVCXR="$CARGO_BIN/evcxr_jupyter"

if [ -n "$venv_pid" ]; then
    if wait "$venv_pid"; then
        venv_pid=""
        note ".venv: built while cargo compiled"
    else
        venv_pid=""
        cat "$venv_log" >&2
        die "building .venv/ failed (its messages are above)"
    fi
elif ! venv_ok; then
    phase 4 "Building .venv/ from requirements.txt (JupyterLab, nbclient, pytest, numpy, ...): under a minute"
    make_venv
    took ".venv"
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
phase 5 "Registering the kernels 'rust' and 'rust-nn' with Jupyter"
if kernel_registered rust "$EVCXR"; then
    note "Jupyter kernel 'rust': registered"
else
    note "registering the Rust kernel (evcxr_jupyter --install)"
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

# The notebooks run in `rust-nn`: the same evcxr_jupyter, started by
# scripts/rust_nn_kernel.py (copied into the kernelspec as launch.py, run by
# this machine's python3, standard library only). It gives each kernel a build
# folder in $TMPDIR/nn-notebooks-<uid> that the next kernel reuses (slot-N, one
# per kernel running at once), beside a cargo setting that compiles
# the nn crate without incremental compilation: evcxr's build cache keeps only
# crates compiled that way, so nn is compiled once instead of in every kernel
# (crates/nn/build.rs puts a fingerprint of nn's sources in the cache key, so
# an edited crate is rebuilt). And it gives evcxr a start-up file that loads
# the notebook's nn while the kernel starts. docs/setup.md says more.
kernel_dir="$(mktemp -d)"
rust_spec="$("$VENV/bin/python" -c 'from jupyter_client.kernelspec import KernelSpecManager as K; print(K().get_kernel_spec("rust").resource_dir)')"
for f in "$rust_spec"/*; do
    case "$(basename "$f")" in kernel.json) ;; *) cp "$f" "$kernel_dir/" ;; esac # logos, editor support
done
cp "$REPO/scripts/rust_nn_kernel.py" "$kernel_dir/launch.py"
# The launcher runs with python3 itself, not a virtual environment that may go.
launcher_python="$(python3 -c 'import sys; print(getattr(sys, "_base_executable", "") or sys.executable)')"
python3 - "$kernel_dir/kernel.json" "$launcher_python" "$EVCXR" "$CARGO_BIN" <<'PY'
import json, sys
path, python, evcxr, cargo_bin = sys.argv[1:]
spec = {
    "argv": [python, "{resource_dir}/launch.py", "--evcxr", evcxr, "--cargo-bin", cargo_bin,
             "--", "--control_file", "{connection_file}"],
    "display_name": "Rust (nn)",
    "interrupt_mode": "message",
    "language": "rust",
}
with open(path, "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
PY
if kernel_registered rust-nn "$kernel_dir"; then
    note "Jupyter kernel 'rust-nn': registered"
else
    note "registering the notebooks' kernel 'rust-nn' with Jupyter"
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

# Trust the repository's notebooks: JupyterLab draws an SVG plot, or runs the
# training player's script, only in a notebook it trusts, and a notebook it
# has not seen run is not. These are the project's own notebooks, committed
# with the outputs they make; signing them here (in the user's Jupyter data
# folder, as `jupyter trust` does) lets their plots show as soon as they open.
# Signed again on every run, so that a notebook updated by `git pull` shows too.
notebooks=()
for nb in "$REPO"/notebooks/*.ipynb "$REPO"/notebooks/solutions/*.ipynb; do
    [ -f "$nb" ] && notebooks+=("$nb")
done
if [ ${#notebooks[@]} -gt 0 ]; then
    trust_log="$("$VENV/bin/jupyter" trust "${notebooks[@]}" 2>&1)" ||
        die "'jupyter trust' of the notebooks failed:" "$trust_log"
    note "notebooks trusted: ${#notebooks[@]} (their plots show when opened)"
fi

# --- 6. warm the build caches ---------------------------------------------------
# The first kernel compiles nn and its dependencies (a minute or more); evcxr's
# cache keeps them, so that the learner's first notebook starts like any later
# one. Done again only when what it compiled changed.
first_notebook=""
if [ -d "$REPO/notebooks" ]; then
    first_notebook="$(find "$REPO/notebooks" -maxdepth 1 -name '01-*.ipynb' | sort | head -n1)"
fi
if [ "$warm" = no ]; then
    note "warm-up: skipped (--no-warm)"
elif [ -z "$first_notebook" ]; then
    note "warm-up: skipped (no notebooks/01-*.ipynb yet)"
else
    warm_hash="$(cd "$REPO" && { find crates/nn/Cargo.toml crates/nn/build.rs crates/nn/src -type f | LC_ALL=C sort |
        xargs cat; cat Cargo.lock scripts/rust_nn_kernel.py; } 2>/dev/null | sha256sum | cut -d' ' -f1) evcxr$EVCXR_VERSION"
    if [ "$warm" = auto ] && [ -f "$WARM_STAMP" ] && [ "$(cat "$WARM_STAMP")" = "$warm_hash" ]; then
        note "warm-up: done before for these sources (--warm does it again)"
    else
        phase 6 "Warming the kernel's build cache: a rust-nn kernel compiles nn and its dependencies (a minute or more the first time)"
        "$VENV/bin/python" - "$first_notebook" <<'PY' ||
import json, os, sys, tempfile
from jupyter_client.manager import KernelManager
path = os.path.abspath(sys.argv[1])
nb = json.load(open(path, encoding="utf-8"))
setup = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
log = tempfile.TemporaryFile(mode="w+")
km = KernelManager(kernel_name="rust-nn")
# As JupyterLab starts it: in the notebook's folder, told the notebook's path.
km.start_kernel(cwd=os.path.dirname(path), env=dict(os.environ, JPY_SESSION_NAME=path), stdout=log, stderr=log)
kc = km.client()
kc.start_channels()
try:
    kc.wait_for_ready(timeout=1200)
    errors = []
    reply = kc.execute_interactive(setup, timeout=1200, store_history=False,
                                   output_hook=lambda m: m["msg_type"] == "error" and errors.append(m["content"]))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
log.seek(0)
kernel_log = log.read()
if reply["content"]["status"] != "ok" or errors:
    print("    the set-up cell of " + os.path.basename(path) + " failed in the kernel:", file=sys.stderr)
    for e in errors:
        print("    " + "\n    ".join(e.get("traceback", [e.get("evalue", "")])), file=sys.stderr)
    sys.exit(1)
if "rust-nn: loading nn while the kernel started failed" in kernel_log:
    print("    note: the kernel could not load nn while it started (its messages:", file=sys.stderr)
    print("    " + kernel_log[-3000:].replace("\n", "\n    ") + ")", file=sys.stderr)
PY
            die "warming the Rust kernel failed (see above)" \
                "check that 'evcxr_jupyter' starts and that cargo is on PATH; or re-run with --no-warm"
        printf '%s\n' "$warm_hash" >"$WARM_STAMP"
        took "warm-up"
    fi
fi

step "Ready: the Rust kernel and JupyterLab are set up ($((SECONDS / 60)) min $((SECONDS % 60)) s)"

# --- --lab: open the notebooks --------------------------------------------------
if [ "$lab" = 1 ]; then
    root_flag=()
    [ "$(id -u)" = 0 ] && root_flag=(--allow-root) # JupyterLab refuses to run as root without it
    cd "$REPO"
    # rust-nn loads nn before it answers its first request (15 s here, minutes on
    # a busy machine). Jupyter's server waits 60 s for that answer and then gives
    # up on the connection, and evcxr stops when it answers a connection that is
    # gone: the kernel would restart over and over. Give it 300 s, as the tests do.
    # And keep a rust-nn kernel warm, so that a notebook answers its first cell
    # at once (scripts/warm_kernels.py; docs/setup.md).
    PYTHONPATH="$REPO/scripts${PYTHONPATH:+:$PYTHONPATH}" exec "$VENV/bin/jupyter" lab "${root_flag[@]}" \
        --MappingKernelManager.kernel_info_timeout=300 \
        --ServerApp.kernel_manager_class=warm_kernels.WarmKernelManager \
        "${lab_args[@]}" notebooks/
fi
