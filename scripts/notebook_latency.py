"""How long a learner waits in the notebooks, measured with the real evcxr
kernel: kernel start to the first result (the setup cell), every cell, every
notebook, and the re-run of 05-training's "your run" cells after changing the
learning rate in a warm kernel.

    python scripts/notebook_latency.py [--notebooks DIR] [--variants default,cache,...]
                                       [--all VARIANT] [--json FILE]

Needs jupyter_client (a venv: pip install nbclient nbformat ipykernel
jupyter_client) and the kernelspecs that kernel-install.sh registers (`rust-nn`
by default, `rust` with --kernel rust).

Each variant is a set of evcxr startup lines, written to an init.evcxr in a
fresh EVCXR_CONFIG_DIR (the same lines work at the top of the setup cell),
plus environment variables for the kernel. A variant's setup is measured
twice: the first kernel fills whatever cache the variant has (the "install
warm-up"), the second is what a learner sees on every later start. Then every
notebook is run with the variant named by --all, and 05-training's
hyperparameter and training cells are run again with another learning rate.

The notebooks themselves are not changed.
"""
import argparse
import json
import os
import queue
import re
import statistics
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

VARIANTS = {
    # evcxr's defaults: opt-level 2, no cache, and lld or mold if installed.
    "default": ("", {}),
    "system-linker": (":linker system", {}),
    "cache": (":cache 500", {}),
    "cache-opt1": (":cache 500\n:opt 1", {}),
    # Without incremental compilation, evcxr's cache also keeps the nn crate
    # (it skips incrementally compiled crates, i.e. local paths): the setup
    # cell takes ~5 s. But every later cell then fails to load ("LOAD_AND_RUN
    # ... dlopen"), evcxr_jupyter 0.22; and the cache key is rustc's command
    # line, not the sources, so a changed crate would not be rebuilt.
    # Measured to show it, not recommended.
    "cache-noincr": (":cache 500", {"CARGO_INCREMENTAL": "0"}),
    # Not a variant: EVCXR_TMPDIR kept across kernels (so that the crate would
    # build incrementally) kills the second kernel ("dlopen failed" loading
    # libcode_1.so, evcxr_jupyter 0.22).
}


def code_cells(path):
    with open(path) as f:
        nb = json.load(f)
    return [("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
            for c in nb["cells"] if c["cell_type"] == "code"]


KERNEL = "rust-nn"  # set by --kernel


class Kernel:
    def __init__(self, cwd, variant):
        init, env = VARIANTS[variant]
        self.config = tempfile.TemporaryDirectory(prefix="evcxr-config-")
        with open(os.path.join(self.config.name, "init.evcxr"), "w") as f:
            f.write(init + "\n")
        full_env = dict(os.environ, EVCXR_CONFIG_DIR=self.config.name, **env)
        for d in env.values():
            if d.startswith("/"):
                os.makedirs(d, exist_ok=True)
        self.km = KernelManager(kernel_name=KERNEL)
        start = time.perf_counter()
        self.km.start_kernel(cwd=cwd, env=full_env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=300)
        self.ready = time.perf_counter() - start
        self.started = start

    def run(self, code, timeout=600):
        """Runs one cell; returns (seconds, problem or None)."""
        out = []

        def hook(msg):
            t = msg["msg_type"]
            c = msg["content"]
            if t == "stream":
                out.append(c["text"])
            elif t == "error":
                out.append("ERROR " + c.get("ename", "") + ": " + c.get("evalue", "") + "\n".join(c.get("traceback", [])))

        start = time.perf_counter()
        reply = self.kc.execute_interactive(code, output_hook=hook, timeout=timeout, store_history=False)
        took = time.perf_counter() - start
        text = "".join(out)
        problem = None
        if reply["content"]["status"] != "ok" or "ERROR " in text:
            problem = re.sub(r"\s+", " ", text)[:200] or reply["content"].get("evalue", "error")
        elif "panicked at" in text:
            problem = "panic: " + re.sub(r"\s+", " ", text[text.index("panicked at"):])[:200]
        return took, problem

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.config.cleanup()


def setup_latency(nbdir, variant, first_cell):
    k = Kernel(nbdir, variant)
    took, problem = k.run(first_cell)
    first_result = time.perf_counter() - k.started
    # A trivial cell after the setup: the floor of every later cell.
    trivial, _ = k.run("1 + 1")
    k.close()
    return {"kernel_ready": k.ready, "setup_cell": took, "first_result": first_result,
            "trivial_cell": trivial, "problem": problem}


def run_notebook(path, variant):
    nbdir = os.path.dirname(path)
    k = Kernel(nbdir, variant)
    cells = []
    for i, code in enumerate(code_cells(path)):
        took, problem = k.run(code)
        cells.append({"cell": i, "seconds": took, "first_line": code.splitlines()[0][:60] if code else "",
                      "problem": problem})
    total = time.perf_counter() - k.started
    return k, {"notebook": os.path.basename(path), "kernel_ready": k.ready, "total": total, "cells": cells}


def rerun_training(k, path):
    """05-training: change the learning rate in the "your run" cell and run
    it again (warm kernel), then the plot cell after it."""
    cells = code_cells(path)
    mine = next(i for i, c in enumerate(cells) if re.search(r"let learning_rate\s*(:\s*f64\s*)?=", c))
    runs = []
    for lr in ("0.5", "3.0", "1.5"):
        code = re.sub(r"(let learning_rate\s*(:\s*f64\s*)?=\s*)[0-9.]+", r"\g<1>" + lr, cells[mine], count=1)
        t1, p1 = k.run(code)
        t2, p2 = k.run(cells[mine + 1])
        runs.append({"learning_rate": lr, "training_cell": t1, "plot_cell": t2,
                     "both": t1 + t2, "problem": p1 or p2})
    return runs


def main():
    global KERNEL
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notebooks", default=os.path.join(ROOT, "notebooks"))
    ap.add_argument("--variants", default="default,system-linker,cache,cache-opt1",
                    help="comma-separated, from: " + ", ".join(VARIANTS))
    ap.add_argument("--all", default="cache", help="variant for running every notebook ('' to skip)")
    ap.add_argument("--only", default="", help="run only the notebooks whose name starts with this")
    ap.add_argument("--kernel", default="rust-nn",
                    help="kernelspec: rust-nn (kernel-install.sh's, keeps nn in evcxr's cache) or rust (evcxr's own)")
    ap.add_argument("--json")
    args = ap.parse_args()
    KERNEL = args.kernel
    nbdir = os.path.abspath(args.notebooks)
    books = sorted(os.path.join(nbdir, f) for f in os.listdir(nbdir) if f.endswith(".ipynb"))
    run_books = [b for b in books if os.path.basename(b).startswith(args.only)]
    first_cell = code_cells(books[0])[0]
    report = {"setup": {}, "notebooks": [], "rerun": None}

    print(f"kernel {KERNEL}; setup cell of {os.path.basename(books[0])}: {first_cell.splitlines()[0]}")
    for v in [v for v in args.variants.split(",") if v]:
        warm = setup_latency(nbdir, v, first_cell)
        again = setup_latency(nbdir, v, first_cell)
        report["setup"][v] = {"first": warm, "again": again}
        print(f"  {v:14} first kernel: {warm['first_result']:6.1f} s to first result   "
              f"next kernels: {again['first_result']:6.1f} s (kernel ready {again['kernel_ready']:.1f} s, "
              f"setup cell {again['setup_cell']:.1f} s, then a trivial cell {again['trivial_cell']:.2f} s)"
              + (f"  PROBLEM {again['problem']}" if again["problem"] else ""), flush=True)

    if args.all:
        grand = 0.0
        print(f"\nevery notebook, variant {args.all}:")
        for path in run_books:
            k, r = run_notebook(path, args.all)
            grand += r["total"]
            report["notebooks"].append(r)
            slow = sorted(r["cells"], key=lambda c: -c["seconds"])[:3]
            bad = [c for c in r["cells"] if c["problem"]]
            print(f"  {r['notebook']:28} {r['total']:6.1f} s, {len(r['cells'])} cells; slowest: "
                  + ", ".join(f"#{c['cell']} {c['seconds']:.1f} s" for c in slow)
                  + (f"; {len(bad)} cells failed (first: #{bad[0]['cell']} {bad[0]['problem'][:80]})" if bad else ""),
                  flush=True)
            if os.path.basename(path).startswith("05"):
                report["rerun"] = rerun_training(k, path)
                for run in report["rerun"]:
                    print(f"    re-run with learning rate {run['learning_rate']}: training cell "
                          f"{run['training_cell']:.2f} s, then its plot {run['plot_cell']:.2f} s" + (f"  PROBLEM {run['problem'][:100]}" if run["problem"] else ""),
                          flush=True)
            k.close()
        report["all_notebooks_seconds"] = grand
        print(f"  {'all notebooks' if len(run_books) == len(books) else 'these notebooks'} together: {grand:.1f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
