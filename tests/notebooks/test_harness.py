"""Tests of the notebook harness itself, on tiny fixture notebooks that need no
crates (fixtures/*.ipynb). They prove that each check can fail. The fixtures
marked ``checks`` run in the background with the notebooks (conftest.py)."""

import json
import shutil
from pathlib import Path

import pytest

import nbcheck

FIXTURES = Path(__file__).parent / "fixtures"


def assert_passes(run):
    if run.problems:
        pytest.fail(run.report(), pytrace=False)


def only_problem(run):
    assert len(run.problems) == 1, run.report()
    return run.problems[0]


@pytest.mark.checks(FIXTURES / "clean.ipynb")
def test_clean_notebook_passes(checked_run):
    run = checked_run
    assert_passes(run)
    assert run.stopped is None


@pytest.mark.checks(FIXTURES / "allowed_error.ipynb")
def test_raises_exception_tag_allows_an_error_and_goes_on(checked_run):
    run = checked_run
    assert_passes(run)
    last = run.executed.cells[-1]
    assert last.outputs[0]["data"]["text/plain"] == "42"


@pytest.mark.checks(FIXTURES / "panic.ipynb")
def test_panic_fails_and_is_named(checked_run):
    run = checked_run
    problem = only_problem(run)
    assert problem.cell_index == 1
    assert problem.first_line == 'panic!("boom");'
    assert "panicked at" in problem.message and "boom" in problem.message
    report = run.report()
    assert "panic.ipynb" in report and "cell index 1" in report


@pytest.mark.checks(FIXTURES / "compile_error.ipynb")
def test_compile_error_fails(checked_run):
    run = checked_run
    problem = only_problem(run)
    assert problem.cell_index == 1
    assert "mismatched types" in problem.message
    assert "E0308" in problem.message
    # execution stopped at the error: the next cell did not run
    assert run.stopped and 2 not in run.reply_status


@pytest.mark.checks(FIXTURES / "stale.ipynb")
def test_stale_output_fails_with_a_diff(checked_run):
    run = checked_run
    problem = only_problem(run)
    assert problem.cell_index == 0
    assert "differs from the committed notebook" in problem.message
    assert "-3" in problem.message.splitlines() and "+2" in problem.message.splitlines()
    assert "--update tests/notebooks/fixtures/stale.ipynb" in problem.message


@pytest.mark.checks(FIXTURES / "plot_without_svg.ipynb")
def test_plot_tag_without_svg_fails(checked_run):
    run = checked_run
    problem = only_problem(run)
    assert problem.cell_index == 0
    assert "image/svg+xml" in problem.message and "'plot'" in problem.message


def test_update_writes_fresh_outputs_cleanly(tmp_path, record_time):
    path = tmp_path / "stale.ipynb"
    shutil.copy(FIXTURES / "stale.ipynb", path)
    assert nbcheck.main(["--update", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n "cells": [\n  {\n')  # indent 1
    nb = json.loads(text)
    cell = nb["cells"][0]
    assert cell["outputs"] == [{"name": "stdout", "output_type": "stream", "text": ["2\n"]}]
    assert cell["execution_count"] == 1
    assert "execution" not in cell["metadata"]
    run = nbcheck.check(path)
    record_time("stale.ipynb after --update", run.seconds)
    assert_passes(run)


def test_update_refuses_to_write_a_panicking_notebook(tmp_path, capsys):
    path = tmp_path / "panic.ipynb"
    shutil.copy(FIXTURES / "panic.ipynb", path)
    before = path.read_bytes()
    assert nbcheck.main(["--update", str(path)]) == 1
    assert path.read_bytes() == before
    err = capsys.readouterr().err
    assert "boom" in err and "NOT updated" in err


def test_check_command_line_fails_on_a_stale_notebook(capsys):
    assert nbcheck.main(["--check", str(FIXTURES / "stale.ipynb")]) == 1
    assert "stale.ipynb, cell index 0" in capsys.readouterr().err


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("took 12.3 ms", "took <duration>"),
        ("took 1.2s.", "took <duration>."),
        ("sum 500500 in 6.532µs", "sum 500500 in <duration>"),
        ("3 samples, 10 000 iterations, 2 steps", "3 samples, 10 000 iterations, 2 steps"),
        ("at 0x7ffe1bf535c8", "at <address>"),
        ("saved /tmp/x/model.safetensors", "saved <path>"),
        ("see ../crates/nn and https://example.org/a/b", "see ../crates/nn and https://example.org/a/b"),
        ("run 2024-05-01T12:34:56Z done 12:00:01", "run <timestamp> done <time>"),
        ("\x1b[31mred\x1b[0m  \n\n", "red"),
        ("loss 0.0030512 ratio 1/2", "loss 0.0030512 ratio 1/2"),
    ],
)
def test_normalize(raw, normalized):
    assert nbcheck.normalize(raw) == normalized


def test_missing_kernel_says_what_to_do():
    with pytest.raises(nbcheck.HarnessError, match="kernel-install.sh"):
        nbcheck.execute(FIXTURES / "stale.ipynb", kernel_name="no-such-kernel")
