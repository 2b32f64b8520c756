"""The notebooks' kernel `rust-nn` (scripts/rust_nn_kernel.py, registered by
kernel-install.sh): what it loads while it starts, that a broken crate still
gives a working kernel, and that evcxr's build cache never answers with the
build of a crate that has since been edited.

Each test starts real kernels. The crate-editing tests use a small stand-in
crate named nn, with nn's own build.rs, in a checkout-like temporary folder
(crates/nn beside notebooks/), so that nothing in the repository is touched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

import nbcheck

REPO = nbcheck.REPO
SETUP_LINE = ':dep nn = { path = "../crates/nn" }'


class Kernel:
    """A rust-nn kernel started as JupyterLab starts it for `notebook`."""

    def __init__(self, notebook: Path, **env: str):
        nbcheck._ensure_cargo_on_path()
        self.km = KernelManager(kernel_name=nbcheck.KERNEL_NAME)
        env = dict(os.environ, JPY_SESSION_NAME=str(notebook), **env)
        self.km.start_kernel(cwd=str(notebook.parent), env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=nbcheck.STARTUP_TIMEOUT + nbcheck.CELL_TIMEOUT)

    def run(self, code: str) -> tuple[str, str, list[str]]:
        """Runs a cell: (reply status, its text output, its error messages)."""
        text, errors = [], []

        def hook(msg):
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                text.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                text.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                errors.append(content.get("evalue", "") + "\n" + "\n".join(content.get("traceback", [])))

        reply = self.kc.execute_interactive(code, output_hook=hook, timeout=nbcheck.CELL_TIMEOUT, store_history=False)
        return reply["content"]["status"], "".join(text), errors

    def value(self, code: str) -> str:
        status, text, errors = self.run(code)
        assert status == "ok" and not errors, f"{code!r} failed: {errors or text}"
        return text.strip()

    def close(self):
        if self.km.has_kernel:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)


@pytest.fixture
def kernels():
    started = []

    def start(notebook: Path, **env: str) -> Kernel:
        started.append(Kernel(notebook, **env))
        return started[-1]

    yield start
    for k in started:
        k.close()


def stand_in_checkout(root: Path, body: str) -> Path:
    """root/crates/nn, a crate named nn with nn's build.rs and `body` as lib.rs, and
    root/notebooks/; returns the path of a (new, not yet written) notebook there."""
    crate = root / "crates" / "nn"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "nn"\nversion = "0.1.0"\nedition = "2021"\n')
    shutil.copyfile(REPO / "crates" / "nn" / "build.rs", crate / "build.rs")
    (crate / "src" / "lib.rs").write_text(body)
    (root / "notebooks").mkdir()
    return root / "notebooks" / "Untitled.ipynb"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    # cargo compares modification times: make sure this one is newer than the last build
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_the_kernel_loads_the_notebooks_nn_while_it_starts(kernels):
    notebook = next(nbcheck.NOTEBOOKS_DIR.glob("02-*.ipynb"))
    k = kernels(notebook)
    # No :dep yet: nn is there because the start-up file loaded it.
    assert k.value("nn::ndarray::Array2::<f64>::zeros((2, 3)).dim()") == "(2, 3)"
    # and the start-up left no variable behind
    assert "nn_warm_up" not in k.run(":vars")[1]
    # The notebook's own set-up cell then works as always.
    setup = nbcheck.nbformat.read(notebook, as_version=4).cells
    setup = next(c.source for c in setup if c.cell_type == "code")
    status, _, errors = k.run(setup)
    assert status == "ok" and not errors, errors


def test_a_new_notebook_gets_nn_and_the_cache(kernels):
    # JupyterLab starts the kernel of a new notebook before it has any cell.
    k = kernels(nbcheck.NOTEBOOKS_DIR / "Untitled-test-kernel.ipynb")
    assert "Size limit: 500 MiB" in k.value(":cache")  # set by the start-up file, not by the notebook
    assert k.value(SETUP_LINE + "\nuse nn::prelude::*;\nActivation::Sigmoid.value(0.0)") == "0.5"


def test_a_crate_that_does_not_compile_still_gives_a_kernel_that_says_why(tmp_path, kernels):
    notebook = stand_in_checkout(tmp_path, 'pub fn probe() -> u32 { "not a number" }\n')
    k = kernels(notebook)  # the start-up fails to load nn; the kernel starts without it
    status, _, errors = k.run(SETUP_LINE)
    assert status == "error"
    assert any("mismatched types" in e for e in errors), errors
    assert k.value("1 + 1") == "2"


def test_an_edited_crate_is_compiled_again_never_taken_from_the_cache(tmp_path, kernels):
    notebook = stand_in_checkout(tmp_path, "pub fn probe() -> u32 { 1 }\n")
    lib = tmp_path / "crates" / "nn" / "src" / "lib.rs"
    first = kernels(notebook)
    assert first.value("nn::probe()") == "1"  # loaded while the kernel started
    edit(lib, "{ 1 }", "{ 2 }")
    # The same kernel, the set-up cell run again: cargo sees the edit.
    assert first.value(SETUP_LINE + "\nnn::probe()") == "2"
    edit(lib, "{ 2 }", "{ 3 }")
    # A new kernel: evcxr's cache knows builds with 1 and 2, keyed by rustc's
    # command line; nn's build.rs puts a fingerprint of the sources on it.
    assert kernels(notebook).value(SETUP_LINE + "\nnn::probe()") == "3"
    assert re.search(r"nn_sources", (REPO / "crates" / "nn" / "build.rs").read_text())


def _launcher():
    import importlib.util

    spec = importlib.util.spec_from_file_location("rust_nn_kernel", REPO / "scripts" / "rust_nn_kernel.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook(path: Path, first_cell: str | None) -> Path:
    cells = [] if first_cell is None else [{"cell_type": "code", "source": first_cell, "metadata": {}}]
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "# x", "metadata": {}}, *cells]}))
    return path


def test_the_start_up_file_takes_the_notebooks_own_dep_line_and_nothing_else(tmp_path):
    launcher = _launcher()
    notebook = stand_in_checkout(tmp_path, "")
    cwd = str(notebook.parent)
    files = ':cache 500\n:dep nn = { path = "../crates/nn", features = ["files"] }\nuse nn::prelude::*;'
    assert launcher.init_lines(cwd, str(_notebook(notebook, files))) == (
        [":cache 500", ':dep nn = { path = "../crates/nn", features = ["files"] }'],
        True,
    )
    # a new notebook (no cells yet, or no file yet): the README's line
    assert launcher.init_lines(cwd, str(_notebook(notebook, None)))[0][1] == SETUP_LINE
    assert launcher.init_lines(cwd, str(tmp_path / "notebooks" / "none.ipynb"))[0][1] == SETUP_LINE
    # a notebook that loads no nn, or another crate, or an nn from elsewhere: only the cache
    for cell in ["1 + 1", ':dep rand = "0.9"', ':dep nn = { path = "/somewhere/else/nn" }']:
        assert launcher.init_lines(cwd, str(_notebook(notebook, cell))) == ([":cache 500"], False), cell
    # a kernel started outside a checkout loads nothing either
    assert launcher.init_lines(str(tmp_path), None) == ([":cache 500"], False)


def test_each_running_kernel_has_a_build_folder_of_its_own_and_the_next_kernel_keeps_it(tmp_path):
    launcher = _launcher()
    first, lock = launcher.claim_build_folder(tmp_path)
    second, other = launcher.claim_build_folder(tmp_path)
    assert (first.name, second.name) == ("slot-0", "slot-1")
    (first / "kept").write_text("built")
    # evcxr inherits the lock: while it runs, the folder stays taken even if
    # the launcher is gone
    holder = subprocess.Popen(["sleep", "30"], pass_fds=(lock,))
    try:
        os.close(lock)
        third, lock3 = launcher.claim_build_folder(tmp_path)
        assert third.name == "slot-2"
    finally:
        holder.kill()
        holder.wait()
    again, lock4 = launcher.claim_build_folder(tmp_path)
    assert again == first and (again / "kept").read_text() == "built"
    for fd in (other, lock3, lock4):
        os.close(fd)


def _cache_entry(cache: Path, key: str, crate: str, meta: str = "", dep_info: str = "") -> None:
    entry = cache / key
    entry.mkdir(parents=True)
    for ext in ("rlib", "rmeta"):
        (entry / f"lib{crate}.{ext}").write_bytes(b"")
    (entry / f"{crate}.d").write_text(dep_info)
    (entry / "meta").write_text(meta)
    (entry / "stderr").write_text("")


def test_cache_entries_that_name_a_gone_build_folder_go_with_every_crate_compiled_against_them(tmp_path):
    launcher = _launcher()
    cache = tmp_path / "evcxr"
    kept_out = tmp_path / "slot-0" / "target" / "debug" / "build" / "ndarray-1" / "out"
    kept_out.mkdir(parents=True)
    (kept_out / "kept.rs").write_text("")
    gone = tmp_path / "gone" / "target" / "debug" / "build" / "serde_core-2" / "out" / "private.rs"
    deps = "<target_dir>/debug/deps"
    _cache_entry(cache, "1", "serde_core-41c9", dep_info=f"x.rlib: src/lib.rs {gone}\n\n{gone}:\n")
    _cache_entry(cache, "2", "nn-76e3", meta=f"--extern\nserde_core={deps}/libserde_core-41c9.rmeta\n")
    _cache_entry(cache, "3", "ctx-8e7f", meta=f"--extern\nnn={deps}/libnn-76e3.rlib\n")
    _cache_entry(cache, "4", "ndarray-3e81", dep_info=f"x.rlib: {kept_out / 'kept.rs'}\n")
    _cache_entry(cache, "5", "rand-da44", meta=f"--extern\nndarray={deps}/libndarray-3e81.rlib\n")
    assert launcher.forget_builds_of_gone_folders(cache) == 3
    assert sorted(e.name for e in cache.iterdir()) == ["4", "5"]
    assert launcher.forget_builds_of_gone_folders(cache) == 0
    assert launcher.forget_builds_of_gone_folders(tmp_path / "no-cache-yet") == 0


def test_a_kernel_builds_in_a_folder_that_the_next_kernel_takes_over(kernels, tmp_path):
    # a temporary folder of this test's own: no other kernel takes a slot meanwhile
    notebook, tmp = REPO / "notebooks" / "02-forward-pass.ipynb", str(tmp_path)
    folder = 'std::env::var("EVCXR_TMPDIR").unwrap()'
    first, second = kernels(notebook, TMPDIR=tmp), kernels(notebook, TMPDIR=tmp)
    build_dir = f'"{tmp_path}/nn-notebooks-{os.getuid()}'
    assert (first.value(folder), second.value(folder)) == (f'{build_dir}/slot-0"', f'{build_dir}/slot-1"')
    first.close()
    built = sorted((tmp_path / f"nn-notebooks-{os.getuid()}" / "slot-0" / "target").rglob("libctx.so"))
    assert built, "the stopped kernel's builds are kept"
    assert kernels(notebook, TMPDIR=tmp).value(folder) == f'{build_dir}/slot-0"', "the stopped kernel's folder"
    assert not list(tmp_path.glob("nn-notebooks-*/.tmp*")), "no folder of evcxr's own"


def test_folders_that_evcxr_made_itself_go_once_no_cell_wrote_to_them_for_a_day(tmp_path):
    launcher = _launcher()
    old, recent = tmp_path / ".tmpOld", tmp_path / ".tmpNew"
    for d in (old, recent):
        (d / "src").mkdir(parents=True)
        (d / "target").mkdir()
    two_days_ago = time.time() - 2 * 86400
    for p in (old / "src", old / "target", old):
        os.utime(p, (two_days_ago, two_days_ago))
    launcher.remove_old_evcxr_folders(tmp_path)
    assert [d.name for d in tmp_path.iterdir()] == [".tmpNew"]
