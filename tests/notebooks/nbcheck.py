"""Run notebooks in a fresh evcxr (Rust) kernel and check what they print.

Every notebook runs in a new kernel ``rust-nn`` (set up by
``./kernel-install.sh``) whose working directory is the notebook's own folder,
so relative ``:dep`` paths such as ``../crates/nn`` resolve as in JupyterLab;
the kernel is told the notebook's path as JupyterLab tells it
(``JPY_SESSION_NAME``), so it loads the notebook's ``:dep`` while it starts.
A cell may take up to 600 s (a cold build of the dependencies), the kernel
300 s to start (it compiles the notebook's crate while it starts, two kernels
at a time on two cores). Execution stops at the first cell that fails to compile.

A notebook FAILS when:

(a) a cell has an output of type ``error`` (evcxr reports compile errors,
    failed ``:dep`` builds and a crashed subprocess this way), or its execute
    reply has status ``error``;
(b) a cell prints ``panicked at`` (evcxr catches panics, prints them on stderr
    and reports success), or a rustc error such as ``error[E0308]:`` or
    ``could not compile`` on stderr;
(c) the text a cell prints differs from the outputs stored in the committed
    notebook: its ``stdout`` stream and the ``text/plain`` of its results, after
    run-dependent text is normalized (durations such as ``12.3 ms`` or
    ``1.2s``, timestamps, absolute paths, memory addresses such as
    ``0x7ffd5e8c``, ANSI colours, trailing spaces). Committed outputs must be
    current: refresh them with ``--update``. A race in evcxr_jupyter can send
    a cell's last stdout line after the cell's end: the client listens LINGER
    seconds longer after each cell, and lines that still went to the next cell
    are given back where the committed notebook proves it (repair_late_output;
    each repair is printed);
(d) a code cell tagged ``plot`` has no ``image/svg+xml`` output.

Cell tags that change this:
    ``plot``              (d) applies to the cell.
    ``raises-exception``  the cell may fail or panic (nbclient's own tag: it
                          goes on after the error); (a) and (b) skip it.
    ``output-varies``     (c) skips the cell (output that no normalization
                          makes stable, e.g. a speed-up factor).
    ``skip-execution``    nbclient does not run the cell; its stored outputs
                          are kept and not compared.

Usage (from the repository root):

    .venv/bin/python -m pytest tests/notebooks -v
        every notebooks/*.ipynb, one test each, and the harness's own tests.

    .venv/bin/python tests/notebooks/nbcheck.py --check notebooks/03-loss.ipynb [...]
        run the checks (a)-(d) on the notebooks given; exit status 1 on failure.

    .venv/bin/python tests/notebooks/nbcheck.py --update notebooks/03-loss.ipynb [...]
        execute and write the fresh outputs back into each notebook file
        (execution counts kept, nbclient's timing metadata dropped, streams
        merged, JSON with indent 1 and a trailing newline as Jupyter writes).
        It still fails, and writes nothing, when (a), (b) or (d) fail.

Environment: NBCHECK_CELL_TIMEOUT and NBCHECK_STARTUP_TIMEOUT (seconds)
override the two timeouts; NBCHECK_JOBS sets how many notebooks the tests run
at a time (default: 2, or 1 on a single core); NBCHECK_KERNEL another
kernelspec than ``rust-nn`` (for comparisons).
"""

from __future__ import annotations

import argparse
import copy
import queue
import difflib
import json
import os
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KERNEL_NAME = os.environ.get("NBCHECK_KERNEL", "rust-nn")
CELL_TIMEOUT = int(os.environ.get("NBCHECK_CELL_TIMEOUT", "600"))
STARTUP_TIMEOUT = int(os.environ.get("NBCHECK_STARTUP_TIMEOUT", "300"))

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = REPO / "notebooks"

PLOT_TAG = "plot"
RAISES_TAG = "raises-exception"
VARIES_TAG = "output-varies"
SVG_MIME = "image/svg+xml"


class HarnessError(Exception):
    """The notebook could not be run at all (no kernel, kernel did not start)."""


# --------------------------------------------------------------------------
# Results


@dataclass
class Problem:
    cell_index: int | None  # index into nb.cells (0-based); None: whole notebook
    first_line: str
    message: str


@dataclass(repr=False)
class Run:
    path: Path
    committed: nbformat.NotebookNode  # as read from disk
    executed: nbformat.NotebookNode  # after execution in a fresh kernel
    seconds: float
    started: float = 0.0  # time.monotonic() when the kernel was started, and when the last cell ended
    finished: float = 0.0
    reply_status: dict[int, str] = field(default_factory=dict)
    stopped: str | None = None  # why execution stopped early, if it did
    stopped_index: int | None = None  # the cell it stopped at
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the harness repaired (see repair_late_output)

    def __repr__(self) -> str:
        return f"<Run {self.name}: {len(self.problems)} problem(s), {self.seconds:.1f} s>"

    @property
    def name(self) -> str:
        try:
            return str(self.path.relative_to(REPO))
        except ValueError:
            return str(self.path)

    def report(self) -> str:
        """All problems, one block each, naming notebook, cell index and first line."""
        lines = [f"{self.name}: {len(self.problems)} problem(s) ({self.seconds:.1f} s)"]
        for p in self.problems:
            where = "notebook" if p.cell_index is None else f"cell index {p.cell_index}"
            head = f"{self.name}, {where}"
            if p.first_line:
                head += f" ({p.first_line})"
            lines.append(f"- {head}: " + p.message.rstrip().replace("\n", "\n    "))
        return "\n".join(lines)


# --------------------------------------------------------------------------
# Execution


def _ensure_cargo_on_path() -> None:
    """The kernel runs cargo and rustc: make sure ~/.cargo/bin is on its PATH."""
    cargo_bin = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo")) / "bin"
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if cargo_bin.is_dir() and str(cargo_bin) not in parts:
        os.environ["PATH"] = os.pathsep.join([str(cargo_bin), *parts])


# Seconds to go on listening for a cell's stdout after the kernel said the cell
# is done, before the next cell is sent (see repair_late_output for why).
LINGER = 0.1


class _Client(NotebookClient):
    """nbclient's client, listening LINGER seconds longer after each cell.

    evcxr can send a cell's last stdout line just after the cell's end: then
    nbclient, which stops listening at the end, would drop it, or, once the
    next cell has been sent, evcxr labels it as the next cell's. Lines that
    arrive while this client lingers still carry their own cell's label.
    """

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        deadline = time.monotonic() + LINGER
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=left))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id and msg["msg_type"] == "stream":
                self.process_message(msg, cell, cell_index)


def execute(path: str | os.PathLike, kernel_name: str | None = None) -> Run:
    """Execute the notebook at `path` in a fresh `rust-nn` kernel; never writes the file.

    `kernel_name` defaults to KERNEL_NAME. Returns the Run, with the executed notebook in `run.executed` and the
    notebook as read from disk in `run.committed`. Errors in cells do not raise
    (they are checked afterwards); a kernel that cannot start raises HarnessError.
    """
    path = Path(path).resolve()
    committed = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(committed)
    _ensure_cargo_on_path()
    kernel_name = kernel_name or KERNEL_NAME
    client = _Client(
        nb,
        kernel_name=kernel_name,
        timeout=CELL_TIMEOUT,
        startup_timeout=STARTUP_TIMEOUT,
        allow_errors=False,  # stop at the first error: later cells would only cascade
        record_timing=False,
        coalesce_streams=True,  # evcxr sends one stream message per line
        resources={"metadata": {"path": str(path.parent)}},
    )
    run = Run(path=path, committed=committed, executed=nb, seconds=0.0)
    current = {"index": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    def on_cell_executed(cell, cell_index, execute_reply):
        run.reply_status[cell_index] = execute_reply["content"].get("status", "")

    client.on_cell_start = on_cell_start
    client.on_cell_executed = on_cell_executed

    # As JupyterLab does: the kernel reads the notebook's :dep line while it starts.
    env = dict(os.environ, JPY_SESSION_NAME=str(path))
    start = time.monotonic()
    try:
        client.execute(stdout=subprocess.DEVNULL, env=env)  # stdout: the kernel's "No configuration file found"
    except CellExecutionError:
        run.stopped = "execution stopped here: the kernel reported an error"
    except CellTimeoutError:
        run.stopped = f"timed out after {CELL_TIMEOUT} s (NBCHECK_CELL_TIMEOUT)"
    except DeadKernelError as e:
        run.stopped = f"the kernel died: {e}"
    except Exception as e:  # kernel missing or not starting
        if current["index"] is None:
            raise HarnessError(
                f"{path}: could not start the Jupyter kernel '{kernel_name}': "
                f"{type(e).__name__}: {e}\n"
                "Run ./kernel-install.sh (see docs/setup.md, 'The Rust kernel does not show up')."
            ) from e
        run.stopped = f"execution stopped: {type(e).__name__}: {e}"
    run.started, run.finished = start, time.monotonic()
    run.seconds = run.finished - start
    if run.stopped:
        run.stopped_index = current["index"]
    return run


def default_jobs() -> int:
    """Notebooks run at a time: NBCHECK_JOBS, else 2 (1 on a single core).

    A kernel spends most of its time in one thread (rust-analyzer, then one
    rustc or the cell's code), so two kernels keep two cores busy.
    """
    if os.environ.get("NBCHECK_JOBS"):
        return max(1, int(os.environ["NBCHECK_JOBS"]))
    return 2 if (os.cpu_count() or 1) > 1 else 1


class Prefetch:
    """Checks notebooks `jobs` at a time, in the order given; `result(path)` waits for one.

    Each notebook still runs in its own fresh kernel with its own Run and
    report: only the waiting overlaps. A run that raised (HarnessError) raises
    again from `result`.
    """

    def __init__(self, paths, jobs: int | None = None, run=None):
        self._run = run or check
        self._pool = ThreadPoolExecutor(max_workers=jobs or default_jobs(), thread_name_prefix="nbcheck")
        self._lock = threading.Lock()
        self._futures: dict[Path, Future] = {}
        for p in paths:
            self._futures[Path(p).resolve()] = self._pool.submit(self._run, p)

    def result(self, path: str | os.PathLike) -> Run:
        key = Path(path).resolve()
        with self._lock:
            future = self._futures.get(key)
            if future is None:  # not prefetched: run it now
                future = self._futures[key] = self._pool.submit(self._run, path)
        return future.result()

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------
# Text helpers

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_TIMESTAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\s?UTC)?)?\b"
)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b")
_DURATION = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?(?:e[+-]?\d+)?\s?"
    r"(?:ns|µs|μs|us|ms|s|sec|secs|second|seconds|min|mins|minute|minutes)(?![\w])"
)
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_ABS_PATH = re.compile(r"(?<![\w.~/])/(?:[\w.+@-]+/)+[\w.+@-]*")


def normalize(text: str) -> str:
    """Replace run-dependent parts of printed text by placeholders."""
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    text = _TIMESTAMP.sub("<timestamp>", text)
    text = _CLOCK.sub("<time>", text)
    text = _ADDRESS.sub("<address>", text)
    text = _ABS_PATH.sub("<path>", text)
    text = _DURATION.sub("<duration>", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def first_line(cell) -> str:
    for line in _text(cell.get("source", "")).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 70 else line[:67] + "..."
    return "<empty>"


def _streams(cell, name: str) -> str:
    return "".join(
        _text(o.get("text"))
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == name
    )


def comparable_text(cell) -> str:
    """The text of a cell that must match the committed notebook, normalized.

    stdout and the text/plain of results are kept apart so that the order in
    which the kernel sends them cannot make the comparison flaky.
    """
    stdout = _streams(cell, "stdout")
    plain = [
        _text(o.get("data", {}).get("text/plain"))
        for o in cell.get("outputs", [])
        if o.get("output_type") in ("execute_result", "display_data") and "text/plain" in o.get("data", {})
    ]
    parts = []
    if stdout:
        parts.append("[stdout]\n" + normalize(stdout))
    for p in plain:
        parts.append("[text/plain]\n" + normalize(p))
    return "\n".join(parts)


# --------------------------------------------------------------------------
# A race in evcxr_jupyter

def _next_code_cell(cells, i: int) -> int | None:
    for j in range(i + 1, len(cells)):
        if cells[j].cell_type == "code" and "skip-execution" not in cells[j].metadata.get("tags", []):
            return j
    return None


def repair_late_output(run: Run) -> list[str]:
    """Give back to a cell the stdout lines that evcxr sent under the next cell's request.

    evcxr_jupyter (0.22.0, ``core.rs``) forwards a cell's stdout from a thread
    of its own, one line at a time, and labels each line with the request that
    is the latest *when the line is sent*. When that thread is held up (two
    kernels compiling on two cores), a cell's last lines can leave after the
    cell has ended and the next cell has started: JupyterLab and nbclient then
    show them under the next cell. A learner sees that now and then; the code
    that printed the lines did nothing wrong.

    This moves such lines back, but only where the committed notebook proves
    it: cell N printed less than its committed output, the missing end is
    exactly the first lines of the next executed code cell M, and moving them
    makes N's output equal the committed one. Anything else is left for (c) to
    report. Returns one note per repair (the tests print them).
    """
    notes = []
    cells = run.executed.cells
    for i, (old, new) in enumerate(zip(run.committed.cells, cells)):
        if new.cell_type != "code" or i not in run.reply_status:
            continue
        m = _next_code_cell(cells, i)
        if m is None or m not in run.reply_status:
            continue
        want, have = normalize(_streams(old, "stdout")), _streams(new, "stdout")
        if not want or normalize(have) == want:
            continue
        first = next((o for o in cells[m].get("outputs", []) if o.get("output_type") == "stream"), None)
        if first is None or first.get("name") != "stdout":
            continue
        text = _text(first.get("text"))
        lines = text.splitlines(keepends=True)
        for k in range(1, len(lines) + 1):
            late = "".join(lines[:k])
            if normalize(have + late) == want:
                first["text"] = text[len(late) :]
                if not first["text"]:
                    cells[m].outputs.remove(first)
                _append_stdout(new, old, late)
                notes.append(
                    f"{run.name}: cell index {i} ({first_line(new)}): {k} line(s) of its stdout arrived "
                    f"under cell index {m} (evcxr_jupyter's stdout race) and were given back"
                )
                break
    return notes


def _append_stdout(cell, committed_cell, text: str) -> None:
    """Add `text` to the end of the cell's stdout, where the committed cell has its stdout."""
    streams = [o for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stdout"]
    if streams:
        streams[-1]["text"] = _text(streams[-1].get("text")) + text
        return
    kinds = [o.get("output_type") for o in committed_cell.get("outputs", [])]
    at = kinds.index("stream") if "stream" in kinds else len(cell.outputs)
    cell.outputs.insert(min(at, len(cell.outputs)), nbformat.v4.new_output("stream", name="stdout", text=text))


# --------------------------------------------------------------------------
# Checks

_PANIC = re.compile(r"panicked at")
_RUSTC_ERROR = re.compile(r"^(?:error(?:\[E\d{4}\])?: .*|.*could not compile.*)$", re.MULTILINE)


def _panic_summary(text: str) -> str:
    """The 'panicked at' line and the message lines after it (no backtrace)."""
    lines = _ANSI.sub("", text).splitlines()
    for i, line in enumerate(lines):
        if "panicked at" in line:
            out = [line.strip()]
            for more in lines[i + 1 : i + 6]:
                if more.startswith(("stack backtrace:", "note: ")):
                    break
                out.append(more.rstrip())
            return "\n".join(out)
    return ""


def check_errors_and_panics(run: Run) -> list[Problem]:
    """Checks (a) and (b)."""
    problems = []
    for i, cell in enumerate(run.executed.cells):
        if cell.cell_type != "code" or RAISES_TAG in cell.metadata.get("tags", []):
            continue
        head = first_line(cell)
        saw_error = False
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                saw_error = True
                tb = [_ANSI.sub("", t) for t in out.get("traceback", [])]
                detail = "\n".join(tb[:20]) if tb else f"{out.get('ename')}: {out.get('evalue')}"
                problems.append(Problem(i, head, f"error output: {out.get('evalue', '')}\n{detail}"))
        if run.reply_status.get(i) == "error" and not saw_error:
            problems.append(Problem(i, head, "the kernel reported status 'error' for this cell"))
        texts = [_streams(cell, "stderr"), _streams(cell, "stdout")] + [
            _text(o.get("data", {}).get("text/plain"))
            for o in cell.get("outputs", [])
            if o.get("output_type") in ("execute_result", "display_data")
        ]
        for text in texts:
            if _PANIC.search(text):
                problems.append(Problem(i, head, "panicked:\n" + _panic_summary(text)))
                break
        stderr = _ANSI.sub("", _streams(cell, "stderr"))
        errors = _RUSTC_ERROR.findall(stderr)
        if errors:
            problems.append(Problem(i, head, "compile error on stderr:\n" + "\n".join(errors[:10])))
    return problems


def check_plots(run: Run) -> list[Problem]:
    """Check (d): a cell tagged `plot` shows an image/svg+xml output."""
    problems = []
    for i, cell in enumerate(run.executed.cells):
        if cell.cell_type != "code" or PLOT_TAG not in cell.metadata.get("tags", []):
            continue
        mimes = [m for o in cell.get("outputs", []) for m in o.get("data", {})]
        if SVG_MIME not in mimes:
            got = ", ".join(sorted(set(mimes))) or "no display output"
            problems.append(
                Problem(
                    i,
                    first_line(cell),
                    f"tagged '{PLOT_TAG}' but has no {SVG_MIME} output (got: {got}); "
                    "show the plot through an evcxr_display that emits image/svg+xml "
                    "(plotters' evcxr_figure emits text/html, which GitHub does not render)",
                )
            )
    return problems


def check_outputs_current(run: Run, context: int = 2, max_lines: int = 40) -> list[Problem]:
    """Check (c): the printed text equals the committed outputs, normalized."""
    problems = []
    executed_cells = run.executed.cells
    for i, (old, new) in enumerate(zip(run.committed.cells, executed_cells)):
        if new.cell_type != "code" or VARIES_TAG in new.metadata.get("tags", []):
            continue
        if run.stopped and i not in run.reply_status:
            continue  # not executed: another problem already explains why
        before, after = comparable_text(old), comparable_text(new)
        if before == after:
            continue
        diff = list(
            difflib.unified_diff(
                before.splitlines(), after.splitlines(), "committed", "executed", n=context, lineterm=""
            )
        )
        if len(diff) > max_lines:
            diff = diff[:max_lines] + [f"... ({len(diff) - max_lines} more diff lines)"]
        hint = " (the committed cell has no output)" if not before else ""
        problems.append(
            Problem(
                i,
                first_line(new),
                f"output differs from the committed notebook{hint}; "
                f"if the new output is right, run: .venv/bin/python tests/notebooks/nbcheck.py "
                f"--update {run.name}\n" + "\n".join(diff),
            )
        )
    return problems


def check(path: str | os.PathLike, compare_outputs: bool = True) -> Run:
    """Execute the notebook and run every check; problems land in run.problems."""
    run = execute(path)
    run.notes += repair_late_output(run)
    run.problems += check_errors_and_panics(run)
    if run.stopped:
        # A compile error explains itself; a timeout, a dead kernel or a kernel
        # error without an error output needs its own line.
        explained = any(p.cell_index == run.stopped_index for p in run.problems)
        if not explained:
            cells = run.executed.cells
            i = run.stopped_index
            head = first_line(cells[i]) if i is not None and i < len(cells) else ""
            run.problems.append(Problem(i, head, run.stopped))
    run.problems += check_plots(run)
    if compare_outputs:
        run.problems += check_outputs_current(run)
    return run


# --------------------------------------------------------------------------
# Update mode


def clean_for_commit(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run-timing metadata; keep outputs and execution counts."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("ExecuteTime", None)
    return nb


def notebook_json(nb: nbformat.NotebookNode) -> str:
    """The file text Jupyter writes: sorted keys, indent 1, trailing newline."""
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def _normalized_outputs(cell) -> str:
    """A cell's outputs with every string normalized, for 'did anything change?'."""

    def norm(value):
        if isinstance(value, str):
            return normalize(value)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return normalize("".join(value))
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return [norm(v) for v in value]
        return value

    return json.dumps(norm(cell.get("outputs", [])), sort_keys=True)


def keep_unchanged_outputs(run: Run) -> nbformat.NotebookNode:
    """The executed notebook, but with the committed outputs of every cell whose
    outputs differ only in run-dependent text (so --update causes no churn)."""
    nb = copy.deepcopy(run.executed)
    for old, new in zip(run.committed.cells, nb.cells):
        if new.cell_type == "code" and _normalized_outputs(old) == _normalized_outputs(new):
            new.outputs = copy.deepcopy(old.get("outputs", []))
    return nb


def update(path: str | os.PathLike) -> Run:
    """Execute, and write the outputs back unless (a), (b) or (d) fail."""
    run = check(path, compare_outputs=False)
    if not run.problems:
        new_text = notebook_json(clean_for_commit(keep_unchanged_outputs(run)))
        old_text = run.path.read_text(encoding="utf-8")
        if new_text != old_text:
            _write_atomically(run.path, new_text)
    return run


def _write_atomically(path: Path, text: str) -> None:
    """Temp file beside it, fsync, rename: a crash leaves the old notebook or the new one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


# --------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run notebooks in a fresh evcxr kernel: check them, or refresh their stored outputs.",
        epilog="See the module docstring (python -m pydoc tests/notebooks/nbcheck.py) for the checks.",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="run the checks on the notebooks given")
    mode.add_argument("--update", action="store_true", help="execute and write fresh outputs back")
    parser.add_argument("notebooks", nargs="+", metavar="FILE.ipynb")
    args = parser.parse_args(argv)

    failed = 0
    paths = [Path(name) for name in args.notebooks]
    before = {p: p.read_bytes() for p in paths if p.is_file()}
    # Several notebooks run NBCHECK_JOBS at a time (each in its own kernel); reports stay in order.
    runs = Prefetch(list(before), run=update if args.update else check)
    for path in paths:
        if path not in before:
            print(f"{path}: no such notebook", file=sys.stderr)
            failed += 1
            continue
        try:
            run = runs.result(path)
        except HarnessError as e:
            print(e, file=sys.stderr)
            failed += 1
            continue
        for note in run.notes:
            print(f"note: {note}", file=sys.stderr)
        if run.problems:
            failed += 1
            print(run.report(), file=sys.stderr)
            if args.update:
                print(f"{run.name}: NOT updated", file=sys.stderr)
        elif args.update:
            state = "updated" if path.read_bytes() != before[path] else "unchanged"
            print(f"{run.name}: {state} ({run.seconds:.1f} s)")
        else:
            print(f"{run.name}: ok ({run.seconds:.1f} s)")
    runs.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
