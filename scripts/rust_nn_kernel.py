"""Starts evcxr_jupyter as the notebooks' kernel `rust-nn`.

kernel-install.sh copies this file into the kernelspec folder as `launch.py`
and registers it as ``python3 launch.py --evcxr EVCXR --cargo-bin DIR --
--control_file {connection_file}``. It uses Python's standard library only.

Before evcxr starts, it prepares two things (docs/setup.md says why, and
docs/performance.md what each one saves):

1. **A build folder that stays, and a cache that keeps nn.** evcxr builds
   every cell in one folder. Here it is ``$TMPDIR/nn-notebooks-<uid>/slot-N``,
   the first such folder that no running kernel holds (a lock file beside it,
   held by this launcher and by evcxr), kept when the kernel stops and used by
   the next one: cargo then finds every dependency already built, and a
   killed kernel leaves no folder behind (evcxr's own folders, one per kernel,
   were left by every kernel that was killed). Beside the folders, a
   ``.cargo/config.toml`` compiles the nn crate without incremental
   compilation; evcxr's build cache (``:cache``) keeps only crates compiled
   that way. The folders stay in the temporary folder on purpose: rustc
   writes relative library paths into each cell's library that do not
   resolve from inside the home folder. Entries of evcxr's cache that name a
   file from a build folder that is gone are removed first (serde's
   ``private.rs``, which its build script writes): cargo would otherwise
   compile that crate and everything that uses it again at every cell.

2. **A start-up file** (``init.evcxr`` in a config folder of this kernel's
   own, ``EVCXR_CONFIG_DIR``). evcxr runs it while the kernel starts, before
   it takes the first cell, that is while the learner reads the notebook's
   first lines: ``:cache 500``, so that a new notebook is cached too, and the
   notebook's own ``:dep nn = ...`` line (from its first code cell, or
   ``../crates/nn`` for a new notebook), followed by one statement that makes
   rust-analyzer answer its first type question about the crate. The
   notebook's set-up cell then finds nn loaded. A relative path resolves
   against the kernel's working folder, the notebook's folder, exactly as in
   the cell, so the two ``:dep`` lines are the same dependency.

If evcxr exits during that start-up (nn does not compile, say), it is started
again with ``:cache 500`` only, so the set-up cell shows the compiler's
message as it always did. The user's own evcxr configuration
(``~/.config/evcxr``) is carried over.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CACHE_LINE = ":cache 500"
DEFAULT_DEP = ':dep nn = { path = "../crates/nn" }'

# Only the notebooks' own crate is loaded before the learner runs anything:
# opening a notebook must not build whatever a notebook names.
DEP_LINE = re.compile(r'^\s*:dep\s+nn\s*=\s*\{\s*path\s*=\s*"([^"]+)"\s*(?:,\s*features\s*=\s*\[[\w\s",-]*\]\s*)?\}\s*$')

# Makes rust-analyzer, inside evcxr, answer a first type question: the first
# `let` of a kernel costs seconds (it reads the trait impls of std and of
# every dependency), and this one is paid during start-up instead. It names
# nothing from nn, so no change to nn's API can break it; the variable is
# dropped again, so the notebook starts with no variables.
WARM_UP = "let nn_warm_up = vec![0.5_f64];\ndrop(nn_warm_up);"

# The same text as earlier launchers wrote: kernels of both kinds can share the folder.
CARGO_CONFIG = """# Written by the nn notebooks kernel (kernel-install.sh): lets evcxr cache the nn crate.
[profile.dev.package.nn]
incremental = false

[profile.dev.build-override]
incremental = false
"""


def notebook_setup_lines(notebook: str | None) -> list[str] | None:
    """The `:dep nn` lines of the notebook's first code cell.

    None when there is no notebook to read (a new one, or none named), so the
    caller uses the default; [] when its first code cell loads no nn.
    """
    if not notebook:
        return None
    try:
        with open(notebook, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError):
        return None
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if not source.strip():
            continue
        return [line.strip() for line in source.splitlines() if DEP_LINE.match(line)]
    return None


def checkout_nn(cwd: Path) -> Path | None:
    """crates/nn of the checkout that holds `cwd` (the notebook's folder), if any."""
    for d in (cwd, *cwd.parents):
        if (d / "crates" / "nn" / "Cargo.toml").is_file():
            return (d / "crates" / "nn").resolve()
    return None


def init_lines(cwd: str, notebook: str | None) -> tuple[list[str], bool]:
    """The start-up lines for a kernel working in `cwd`, and whether they load nn.

    Only a `:dep nn` whose path is this checkout's own crates/nn is loaded.
    """
    nn = checkout_nn(Path(cwd))
    deps = notebook_setup_lines(notebook)
    if deps is None:
        deps = [DEFAULT_DEP]
    deps = [d for d in deps if nn is not None and (Path(cwd) / DEP_LINE.match(d).group(1)).resolve() == nn]
    if not deps:
        return [CACHE_LINE], False
    return [CACHE_LINE, *deps[-1:]], True


def user_config_dir() -> Path:
    """Where evcxr would look for the user's own init.evcxr (its `config_dir`)."""
    if os.environ.get("EVCXR_CONFIG_DIR"):
        return Path(os.environ["EVCXR_CONFIG_DIR"])
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "evcxr"


def write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_config(config_dir: Path, lines: list[str], user_dir: Path) -> None:
    """Fills this kernel's evcxr config folder: the user's files, then our lines."""
    user_init = ""
    for name in ("prelude.rs", "evcxr.toml"):
        if (user_dir / name).is_file():
            shutil.copyfile(user_dir / name, config_dir / name)
    if (user_dir / "init.evcxr").is_file():
        user_init = (user_dir / "init.evcxr").read_text(encoding="utf-8").rstrip("\n") + "\n"
    write_atomically(config_dir / "init.evcxr", user_init + "\n".join(lines) + "\n")


def remove_stale_kernel_dirs(build_dir: Path) -> None:
    """Config folders of kernels that are gone (killed before they cleaned up)."""
    for d in build_dir.glob("kernel-*"):
        try:
            pid = int((d / "pid").read_text())
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except (OSError, ValueError):
            pass  # being written, or not ours: leave it


def remove_old_evcxr_folders(build_dir: Path, days: float = 1.0) -> None:
    """Build folders that evcxr made itself (``.tmp*``, one per kernel, before
    the slots) and that no cell has written to for `days`: a killed kernel
    left its own behind."""
    now = time.time()
    for d in build_dir.glob(".tmp*"):
        try:
            touched = max(p.stat().st_mtime for p in (d, d / "src", d / "target") if p.exists())
        except (OSError, ValueError):
            continue
        if now - touched > days * 86400:
            shutil.rmtree(d, ignore_errors=True)


def claim_build_folder(build_dir: Path) -> tuple[Path, int]:
    """The first folder slot-0, slot-1, ... of `build_dir` that no running
    kernel holds, and the open lock file that holds it from now on.

    The lock (``flock`` on ``slot-N.lock``) goes when every process that has
    the file open has ended: the launcher and evcxr, which inherits it.
    """
    n = 0
    while True:
        fd = os.open(build_dir / f"slot-{n}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            n += 1
            continue
        folder = build_dir / f"slot-{n}"
        folder.mkdir(exist_ok=True)
        return folder, fd


# A file that a build script wrote (cargo's `OUT_DIR`), as dep-info names it.
BUILD_SCRIPT_OUTPUT = re.compile(r"/build/[^/]+/out/")


def evcxr_cache_dir() -> Path:
    """evcxr's build cache (its `dirs::cache_dir()` joined with `evcxr`)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "evcxr"


def forget_builds_of_gone_folders(cache_dir: Path) -> int:
    """Removes the entries of evcxr's cache whose dep-info names a build
    script's output that no longer exists, and every entry compiled against
    one of those; returns how many.

    evcxr keys its cache on rustc's command line with the build folder left
    out, and restores a crate's dep-info as it was written: in the folder of
    the kernel that compiled it first. Where that names a file of a folder
    that is gone, cargo finds the crate out of date at every build, compiles
    it again (from the cache: the same dep-info) and every crate that uses it.
    Compiled anew, such a crate is a different crate to rustc (its hash
    covers the path of the included file), so the crates compiled against
    the old one must go too; the key, naming dependencies by file name,
    cannot tell.
    """
    try:
        entries = [e for e in cache_dir.iterdir() if e.is_dir() and e.name.isdigit()]
    except OSError:
        return 0

    def outputs(entry: Path) -> set[str]:
        # libserde_core-41c9cc42c6f3f2fa.rlib -> serde_core-41c9cc42c6f3f2fa
        return {f.stem.removeprefix("lib") for f in entry.iterdir() if f.suffix in (".rlib", ".rmeta", ".so")}

    def names_gone_file(entry: Path) -> bool:
        for dep_info in entry.glob("*.d"):
            try:
                words = dep_info.read_text(encoding="utf-8", errors="replace").split()
            except OSError:
                continue
            if any(BUILD_SCRIPT_OUTPUT.search(w) and not os.path.exists(w.rstrip(":")) for w in words):
                return True
        return False

    stale = {e for e in entries if names_gone_file(e)}
    if not stale:
        return 0
    gone_crates = set().union(*(outputs(e) for e in stale))
    metas = {}
    for e in entries:
        try:
            metas[e] = (e / "meta").read_text(encoding="utf-8", errors="replace")
        except OSError:
            metas[e] = ""
    grew = True
    while grew:
        grew = False
        for e in entries:
            if e not in stale and any(f"/lib{c}." in metas[e] for c in gone_crates):
                stale.add(e)
                gone_crates |= outputs(e)
                grew = True
    for entry in stale:
        # Renamed first, so that a kernel reading the cache right now finds
        # the entry whole or not at all.
        gone = entry.with_name(f"{entry.name}.gone-{os.getpid()}")
        try:
            os.rename(entry, gone)
        except OSError:
            continue
        shutil.rmtree(gone, ignore_errors=True)
    return len(stale)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Start evcxr_jupyter as the nn notebooks' kernel.")
    ap.add_argument("--evcxr", required=True, help="the evcxr_jupyter binary")
    ap.add_argument("--cargo-bin", required=True, help="cargo's bin folder, put first on PATH")
    ap.add_argument("--print-init", action="store_true", help="print the start-up file and exit")
    ap.add_argument("evcxr_args", nargs=argparse.REMAINDER, help="after --: evcxr_jupyter's arguments")
    args = ap.parse_args(argv)
    evcxr_args = args.evcxr_args[1:] if args.evcxr_args[:1] == ["--"] else args.evcxr_args

    cwd = os.getcwd()
    lines, loads_nn = init_lines(cwd, os.environ.get("JPY_SESSION_NAME"))
    if args.print_init:
        print("\n".join(lines + ([WARM_UP] if loads_nn else [])))
        return 0

    build_dir = Path(os.environ.get("TMPDIR") or "/tmp") / f"nn-notebooks-{os.getuid()}"
    (build_dir / ".cargo").mkdir(parents=True, exist_ok=True)
    cargo_config = build_dir / ".cargo" / "config.toml"
    if not cargo_config.is_file() or cargo_config.read_text(encoding="utf-8") != CARGO_CONFIG:
        write_atomically(cargo_config, CARGO_CONFIG)
    remove_stale_kernel_dirs(build_dir)
    remove_old_evcxr_folders(build_dir)
    if os.environ.get("EVCXR_TMPDIR"):  # the user's own choice
        lock_fds: tuple[int, ...] = ()
    else:
        folder, lock = claim_build_folder(build_dir)
        lock_fds = (lock,)
    forget_builds_of_gone_folders(evcxr_cache_dir())
    config_dir = Path(tempfile.mkdtemp(prefix="kernel-", dir=build_dir))
    (config_dir / "pid").write_text(str(os.getpid()))
    started = config_dir / "started"

    env = dict(os.environ, TMPDIR=str(build_dir), EVCXR_CONFIG_DIR=str(config_dir))
    if lock_fds:
        env["EVCXR_TMPDIR"] = str(folder)
    env["PATH"] = os.pathsep.join([args.cargo_bin, env.get("PATH", "")])
    user_dir = user_config_dir()
    if loads_nn:
        # The statement after the dependency runs only if nn compiled: its file
        # tells a failed start-up from a kernel that ran and then stopped.
        write_config(config_dir, [*lines, WARM_UP, f'std::fs::write(r#"{started}"#, b"").ok();'], user_dir)
    else:
        write_config(config_dir, lines, user_dir)

    child: subprocess.Popen | None = None
    signalled = False

    def forward(signum, _frame):
        nonlocal signalled
        signalled = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    # Jupyter signals the whole process group; forwarding covers a signal sent
    # to this process alone. A handler (not SIG_IGN) is reset in the child.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    try:
        child = subprocess.Popen([args.evcxr, *evcxr_args], env=env, pass_fds=lock_fds)
        code = child.wait()
        # Stopped from outside (Jupyter shutting the kernel down or restarting
        # it) is not a failed start-up: then there is nothing to start again.
        if code != 0 and loads_nn and not started.exists() and not signalled:
            print("rust-nn: loading nn while the kernel started failed; starting again without it, "
                  "so that the notebook's set-up cell shows why", file=sys.stderr, flush=True)
            write_config(config_dir, [CACHE_LINE], user_dir)
            child = subprocess.Popen([args.evcxr, *evcxr_args], env=env, pass_fds=lock_fds)
            code = child.wait()
        return code
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
