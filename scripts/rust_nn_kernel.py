"""Starts evcxr_jupyter as the notebooks' kernel `rust-nn`.

kernel-install.sh copies this file into the kernelspec folder as `launch.py`
and registers it as ``python3 launch.py --evcxr EVCXR --cargo-bin DIR --
--control_file {connection_file}``. It uses Python's standard library only.

Before evcxr starts, it prepares two things (docs/setup.md says why, and
docs/performance.md what each one saves):

1. **Build folders that let evcxr's cache keep nn.** evcxr builds every cell
   in a fresh folder under ``$TMPDIR``. Here those folders go into
   ``$TMPDIR/nn-notebooks-<uid>``, beside a ``.cargo/config.toml`` that
   compiles the nn crate without incremental compilation; evcxr's build cache
   (``:cache``) keeps only crates compiled that way. The folder stays in the
   temporary folder on purpose: rustc writes relative library paths into each
   cell's library that do not resolve from inside the home folder.

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
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
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
    config_dir = Path(tempfile.mkdtemp(prefix="kernel-", dir=build_dir))
    (config_dir / "pid").write_text(str(os.getpid()))
    started = config_dir / "started"

    env = dict(os.environ, TMPDIR=str(build_dir), EVCXR_CONFIG_DIR=str(config_dir))
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
        child = subprocess.Popen([args.evcxr, *evcxr_args], env=env)
        code = child.wait()
        # Stopped from outside (Jupyter shutting the kernel down or restarting
        # it) is not a failed start-up: then there is nothing to start again.
        if code != 0 and loads_nn and not started.exists() and not signalled:
            print("rust-nn: loading nn while the kernel started failed; starting again without it, "
                  "so that the notebook's set-up cell shows why", file=sys.stderr, flush=True)
            write_config(config_dir, [CACHE_LINE], user_dir)
            child = subprocess.Popen([args.evcxr, *evcxr_args], env=env)
            code = child.wait()
        return code
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
