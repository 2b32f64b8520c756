"""How long a learner waits in the notebooks, measured with the real kernel.

    .venv/bin/python scripts/notebook_latency.py [--kernel rust-nn] [--baseline rust]
        [--warm] [--pause 3] [--kernels 3] [--reruns 10] [--jobs 2] [--only open,rerun,all] [--json FILE]

It reports the four figures of docs/performance.md, each against its goal:

1. **Open to first result**, with a reading pause: the kernel starts when the
   notebook opens (JupyterLab passes the notebook's path in JPY_SESSION_NAME,
   and so does this script), the learner reads for --pause seconds, then runs
   the set-up cell and the first cell that computes something. From the
   kernel's start to that cell's answer; the median of --kernels fresh kernels.
   For an existing notebook (02-forward-pass, whose first cell defines a
   function, and 01-initialization, whose first cell binds variables) and for
   a new notebook in notebooks/ whose set-up cell is the `:dep` line alone and
   whose first cell is the README's example.
2. **Re-running 05-training's training cell** with another learning rate, in a
   kernel that ran the notebook top to bottom: median and max of --reruns runs.
3. **All notebooks top to bottom**, as the notebook tests run them
   (tests/notebooks/nbcheck.py, --jobs at a time): the wall time, and each
   notebook's own time.

With --warm, figure 1 is also measured as `./kernel-install.sh --lab` serves
the notebooks: through scripts/warm_kernels.py's kernel manager, which hands
the notebook a rust-nn kernel that warmed before it opened (label `warm`).

With --baseline KERNEL (e.g. `rust`, evcxr's own kernel), figure 1 is also
measured with that kernel, interleaved with the first, so that the ratio
between the two is from the same moments of the machine. The notebooks are
never changed. Needs the kernelspecs that kernel-install.sh registers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "tests" / "notebooks"))
import nbcheck  # noqa: E402  (the notebook tests' own runner)

GOALS = {"open": 4.0, "rerun_median": 0.35, "rerun_max": 0.5, "all": 90.0}
NEW_NOTEBOOK_SETUP = ':dep nn = { path = "../crates/nn" }'


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for c in nb["cells"] if c["cell_type"] == "code"]


def readme_example() -> str:
    """The README's first Rust example that starts with the prelude (section 'The crate')."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```rust\n(.*?)```", text, re.S):
        if block.startswith("use nn::prelude::*;"):
            return block
    sys.exit("README.md has no ```rust example starting with `use nn::prelude::*;`")


def load() -> float:
    return os.getloadavg()[0]


def tree_cpu(pid: int) -> float:
    """CPU seconds used by process `pid` and its descendants (Linux /proc; 0 elsewhere).

    On a shared machine the wall times depend on what else runs; the CPU the
    kernel's processes used does much less, so it is reported beside them.
    """
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except (OSError, ValueError):
        return 0.0
    own = sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
    return own + sum(tree_cpu(c) for c in children)


class CellOutput:
    """What a cell printed, to tell whether it failed (an error output or a panic)."""

    def __init__(self):
        self.text: list[str] = []

    def hook(self, msg) -> None:
        if msg["msg_type"] == "stream":
            self.text.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            self.text.append("ERROR " + msg["content"].get("evalue", ""))

    def failed(self, reply) -> bool:
        text = "".join(self.text)
        return reply["content"]["status"] != "ok" or "ERROR " in text or "panicked at" in text

    def exit(self, code: str):
        sys.exit(f"a cell failed, so no figure: {code.splitlines()[0][:60]!r}\n{''.join(self.text)[:2000]}")


class Kernel:
    """A fresh kernel started in the notebooks' folder, as JupyterLab starts it."""

    def __init__(self, name: str, notebook: Path):
        self.km = KernelManager(kernel_name=name)
        self.started = time.perf_counter()
        env = dict(os.environ, JPY_SESSION_NAME=str(notebook))
        self.km.start_kernel(cwd=str(notebook.parent), env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=600)
        self.ready = time.perf_counter() - self.started
        self.pid = self.km.provisioner.process.pid

    def cpu(self) -> float:
        return tree_cpu(self.pid)

    def run(self, code: str) -> float:
        """Runs one cell; returns its seconds. Exits on an error: a figure of a failing cell means nothing."""
        out = CellOutput()
        start = time.perf_counter()
        reply = self.kc.execute_interactive(code, output_hook=out.hook, timeout=900, store_history=False)
        took = time.perf_counter() - start
        if out.failed(reply):
            self.close()
            out.exit(code)
        return took

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def open_to_first(kernel: str, notebook: Path, cells: list[str], pause: float) -> dict:
    """Kernel start, `pause` seconds of reading, then the set-up cell and the first cell."""
    k = Kernel(kernel, notebook)
    cpu_ready = k.cpu()
    wait = pause - (time.perf_counter() - k.started)
    if wait > 0:
        time.sleep(wait)
    setup = k.run(cells[0])
    first = k.run(cells[1])
    total = time.perf_counter() - k.started
    cpu = k.cpu()
    k.close()
    return {"total": total, "ready": k.ready, "setup": setup, "first": first, "cpu_ready": cpu_ready, "cpu": cpu}


def open_to_first_warm(notebook: Path, cells: list[str], pause: float) -> dict:
    """As open_to_first, but through the kernel manager of `kernel-install.sh --lab`
    (scripts/warm_kernels.py): the notebook opens once the manager's spare kernel is
    warm (its processes used no CPU for a second), as for a learner who opens a
    notebook some seconds after JupyterLab started or after the notebook before."""
    import asyncio

    sys.path.insert(0, str(ROOT / "scripts"))
    import warm_kernels

    async def measure() -> dict:
        manager = warm_kernels.WarmKernelManager(root_dir=str(notebook.parent))
        try:
            begun = time.perf_counter()
            while manager._spare is None:
                await asyncio.sleep(0.1)
            pid = manager._spare.kernel.provisioner.process.pid
            last, still = tree_cpu(pid), 0
            while still < 10:  # ten tenths of a second without CPU: warm
                await asyncio.sleep(0.1)
                now = tree_cpu(pid)
                still, last = (still + 1 if now == last else 0), now
            warm = time.perf_counter() - begun
            started = time.perf_counter()
            kernel_id = await manager.start_kernel(
                kernel_name="rust-nn", path="", env=dict(os.environ, JPY_SESSION_NAME=str(notebook))
            )
            km = manager.get_kernel(kernel_id)
            kc = km.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=600)
            ready = time.perf_counter() - started
            cpu_ready = tree_cpu(km.provisioner.process.pid)
            await asyncio.sleep(max(0.0, pause - ready))
            took = []
            for code in cells:
                out = CellOutput()
                t = time.perf_counter()
                reply = await kc.execute_interactive(code, timeout=900, store_history=False, output_hook=out.hook)
                if out.failed(reply):
                    out.exit(code)
                took.append(time.perf_counter() - t)
            total = time.perf_counter() - started
            cpu = tree_cpu(km.provisioner.process.pid)
            kc.stop_channels()
            return {"total": total, "ready": ready, "setup": took[0], "first": took[1],
                    "cpu_ready": cpu_ready, "cpu": cpu, "warm_after": warm}
        finally:
            await manager.shutdown_all(now=True)

    return asyncio.run(measure())


def rerun_training(kernel: str, reruns: int) -> dict:
    """05-training top to bottom, then its training cell again with other learning rates."""
    path = next(NOTEBOOKS.glob("05-*.ipynb"))
    cells = code_cells(path)
    pattern = re.compile(r"(let learning_rate\s*(?::\s*f64\s*)?=\s*)[0-9.]+")
    mine = next(i for i, c in enumerate(cells) if pattern.search(c))
    k = Kernel(kernel, path)
    for code in cells:
        k.run(code)
    rates = ["0.5", "3.0", "1.5", "0.8", "2.0"]
    times, cpus = [], []
    for i in range(reruns):
        code = pattern.sub(lambda m: m.group(1) + rates[i % len(rates)], cells[mine], count=1)
        before = k.cpu()
        times.append(k.run(code))
        cpus.append(k.cpu() - before)
    k.close()
    return {"notebook": path.name, "cell": mine, "times": times, "cpu": cpus,
            "median": statistics.median(times), "max": max(times), "cpu_median": statistics.median(cpus)}


def all_notebooks(jobs: int) -> dict:
    books = sorted(NOTEBOOKS.glob("*.ipynb"))
    start = time.perf_counter()
    runs = nbcheck.Prefetch(books, jobs)
    results = []
    for b in books:
        run = runs.result(b)
        results.append({"notebook": b.name, "seconds": run.seconds, "problems": len(run.problems)})
        if run.problems:
            print(run.report(), file=sys.stderr)
    return {"wall": time.perf_counter() - start, "jobs": jobs, "notebooks": results}


def fmt_open(r: list[dict]) -> str:
    med = lambda key: statistics.median(x[key] for x in r)  # noqa: E731
    return (f"{med('total'):5.1f} s  (kernel ready {med('ready'):.1f} s, set-up cell {med('setup'):.2f} s, "
            f"first cell {med('first'):.2f} s; runs: " + ", ".join(f"{x['total']:.1f}" for x in r)
            + f"; CPU {med('cpu'):.1f} s, {med('cpu_ready'):.1f} s of it before the kernel was ready"
            + (f"; the spare was warm {med('warm_after'):.1f} s after it started" if "warm_after" in r[0] else "")
            + ")")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kernel", default="rust-nn", help="the kernel measured (default rust-nn)")
    ap.add_argument("--baseline", default="", help="a second kernel for figure 1, e.g. rust")
    ap.add_argument("--warm", action="store_true",
                    help="figure 1 also through kernel-install.sh --lab's kernel manager (a warm rust-nn kernel)")
    ap.add_argument("--pause", type=float, default=3.0, help="the reading pause, seconds (default 3)")
    ap.add_argument("--kernels", type=int, default=3, help="fresh kernels per notebook for figure 1")
    ap.add_argument("--reruns", type=int, default=10, help="re-runs of the training cell")
    ap.add_argument("--jobs", type=int, default=nbcheck.default_jobs(), help="notebooks at a time for figure 3")
    ap.add_argument("--only", default="open,rerun,all", help="which figures: open, rerun, all")
    ap.add_argument("--cases", default="02,01,new", help="figure 1's notebooks: 02, 01, new")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    only = set(args.only.split(","))
    nbcheck._ensure_cargo_on_path()
    nbcheck.KERNEL_NAME = args.kernel  # figure 3 runs the notebooks in the kernel measured

    report: dict = {"kernel": args.kernel, "baseline": args.baseline, "pause": args.pause,
                    "cores": os.cpu_count(), "load_start": load()}
    print(f"{os.cpu_count()} cores, load {load():.1f}; kernel {args.kernel}"
          + (f", baseline {args.baseline}" if args.baseline else "") + f"; reading pause {args.pause:g} s")

    if "open" in only:
        cases = {}
        wanted = args.cases.split(",")
        for name in ("02-forward-pass", "01-initialization"):
            path = next(NOTEBOOKS.glob(name + ".ipynb"), None)
            if path and name[:2] in wanted:
                cases[path.stem] = (path, code_cells(path)[:2])
        if "new" in wanted:
            # A new notebook: JupyterLab starts its kernel while the file has no cells yet.
            cases["new notebook"] = (NOTEBOOKS / "Untitled-latency.ipynb", [NEW_NOTEBOOK_SETUP, readme_example()])
        kernels = [args.kernel] + ([args.baseline] if args.baseline else []) + (["warm"] if args.warm else [])
        results = {k: {c: [] for c in cases} for k in kernels}
        for _ in range(args.kernels):
            for case, (path, cells) in cases.items():
                for k in kernels:  # interleaved: a busy moment falls on both
                    if k == "warm":
                        results[k][case].append(open_to_first_warm(path, cells, args.pause))
                    else:
                        results[k][case].append(open_to_first(k, path, cells, args.pause))
                    print(f"   ({case}, {k}: {results[k][case][-1]['total']:.1f} s, load {load():.1f})", flush=True)
        report["open"] = results
        print(f"\n1. open to first result, {args.pause:g} s reading pause included "
              f"(median of {args.kernels} fresh kernels; goal ≤ {GOALS['open']:g} s):")
        for case in cases:
            for k in kernels:
                print(f"   {case:18} {k:8} {fmt_open(results[k][case])}")

    if "rerun" in only:
        r = rerun_training(args.kernel, args.reruns)
        report["rerun"] = r
        print(f"\n2. {r['notebook']}'s training cell re-run with another learning rate ({args.reruns} runs): "
              f"median {r['median']:.2f} s, max {r['max']:.2f} s "
              f"(goal median ≤ {GOALS['rerun_median']:g} s, every run ≤ {GOALS['rerun_max']:g} s)\n   runs: "
              + ", ".join(f"{t:.2f}" for t in r["times"]) + f"; CPU per run: median {r['cpu_median']:.2f} s")

    if "all" in only:
        r = all_notebooks(args.jobs)
        report["all"] = r
        print(f"\n3. all {len(r['notebooks'])} notebooks top to bottom, {r['jobs']} at a time as the tests run them: "
              f"{r['wall']:.1f} s (goal ≤ {GOALS['all']:g} s)\n   "
              + ", ".join(f"{n['notebook'][:2]} {n['seconds']:.1f} s" for n in r["notebooks"])
              + f"; their sum {sum(n['seconds'] for n in r['notebooks']):.1f} s")
        if any(n["problems"] for n in r["notebooks"]):
            print("   (some notebooks failed their checks: see above)")

    report["load_end"] = load()
    print(f"\nload at the end {load():.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
