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


def _late_output_run(committed_streams, executed_streams):
    """A Run of two code cells with a markdown cell between, and the given stdout texts."""
    from nbformat import v4

    def notebook(streams):
        first, second = (
            v4.new_code_cell("a", outputs=[v4.new_output("stream", name="stdout", text=t)] if t else [])
            for t in streams
        )
        return v4.new_notebook(cells=[first, v4.new_markdown_cell("between"), second])

    return nbcheck.Run(
        path=Path("late.ipynb"),
        committed=notebook(committed_streams),
        executed=notebook(executed_streams),
        seconds=0.0,
        reply_status={0: "ok", 2: "ok"},
    )


def test_lines_sent_under_the_next_cell_are_given_back():
    # As CI saw it in notebook 03: the whole line of one cell arrived under the next.
    run = _late_output_run(["loss 27.63\n", "invalid data\n"], [None, "loss 27.63\ninvalid data\n"])
    notes = nbcheck.repair_late_output(run)
    assert [nbcheck.comparable_text(c) for c in run.executed.cells] == [
        "[stdout]\nloss 27.63",
        "",
        "[stdout]\ninvalid data",
    ]
    assert len(notes) == 1 and "1 line(s)" in notes[0] and "cell index 2" in notes[0]
    assert nbcheck.check_outputs_current(run) == []


def test_only_the_missing_end_of_a_cell_is_given_back():
    run = _late_output_run(["one\ntwo\n", "three\n"], ["one\n", "two\nthree\n"])
    nbcheck.repair_late_output(run)
    assert nbcheck.comparable_text(run.executed.cells[0]) == "[stdout]\none\ntwo"
    assert nbcheck.comparable_text(run.executed.cells[2]) == "[stdout]\nthree"


def test_output_that_merely_differs_is_not_moved():
    # The next cell does not start with the missing text: (c) must still report it.
    run = _late_output_run(["loss 27.63\n", "invalid data\n"], ["loss 27.64\n", "invalid data\n"])
    assert nbcheck.repair_late_output(run) == []
    problems = nbcheck.check_outputs_current(run)
    assert [p.cell_index for p in problems] == [0]
    # Nor when the next cell starts with text the first cell never had.
    run = _late_output_run(["x\n", "y\n"], [None, "z\ny\n"])
    assert nbcheck.repair_late_output(run) == []
    assert [p.cell_index for p in nbcheck.check_outputs_current(run)] == [0, 2]
