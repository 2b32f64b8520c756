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
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

import nbcheck

REPO = nbcheck.REPO
SETUP_LINE = ':dep nn = { path = "../crates/nn" }'


class Kernel:
    """A rust-nn kernel started as JupyterLab starts it for `notebook`."""

    def __init__(self, notebook: Path):
        nbcheck._ensure_cargo_on_path()
        self.km = KernelManager(kernel_name=nbcheck.KERNEL_NAME)
        env = dict(os.environ, JPY_SESSION_NAME=str(notebook))
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
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


@pytest.fixture
def kernels():
    started = []

    def start(notebook: Path) -> Kernel:
        started.append(Kernel(notebook))
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
