"""Runs the crate's workloads and their NumPy and PyTorch peers in the same
run, on the same machine, and prints for each workload every system's median
time, its ratio to the crate's, rows trained per second and GFLOP/s.

    python3 bench/run.py [--python VENV_PYTHON] [--rounds 3] [--reps 3]
                         [--workloads W1,W2,W3,W4,peak] [--no-torch] [--json FILE]
                         [--systems rust,rust-1t,numpy,pytorch-2t,pytorch-1t]

The systems take turns, round after round, so that a busy moment of the
machine falls on all of them alike; each figure is the median over all
rounds. Only ratios measured in one run mean anything on a shared machine.
scripts/bench.sh builds the crate, makes the Python environment and calls this.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def rust_cmd(names, reps):
    return ["cargo", "bench", "-q", "-p", "nn", "--bench", "compare", "--", *names, "--reps", str(reps)]


def run(cmd, env=None):
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--python", default=sys.executable, help="interpreter with numpy (and torch)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3, help="runs per system and round")
    ap.add_argument("--workloads", default="W1,W2,W3,W4,peak")
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--systems", help="run only these (comma-separated); 'rust' is always run, "
                    "as the base of the ratios. On a busy machine the threaded peers crawl "
                    "(OpenMP and OpenBLAS spin-wait): rust,rust-1t,pytorch-1t compares one core each")
    ap.add_argument("--json", help="also write every measurement here")
    args = ap.parse_args()
    names = args.workloads.split(",")

    torch_ok = False
    if not args.no_torch:
        probe = subprocess.run([args.python, "-c", "import torch; print(torch.__version__)"],
                               capture_output=True, text=True)
        torch_ok = probe.returncode == 0
        print("PyTorch:", probe.stdout.strip() if torch_ok else
              "not importable by " + args.python + ": comparing with NumPy alone")
    numpy_v = subprocess.run([args.python, "-c", "import numpy; print(numpy.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    print("NumPy:", numpy_v)

    base_env = dict(os.environ)
    systems = {
        "rust": (rust_cmd, base_env),
        "rust-1t": (rust_cmd, {**base_env, "MATMUL_NUM_THREADS": "1"}),
        "numpy": (lambda n, r: [args.python, "bench/numpy_peer.py", *n, "--reps", str(r)], base_env),
    }
    if torch_ok:
        for t in (2, 1):
            systems[f"pytorch-{t}t"] = (
                lambda n, r, t=t: [args.python, "bench/torch_peer.py", *n, "--reps", str(r), "--threads", str(t)],
                base_env)

    if args.systems:
        wanted = set(args.systems.split(",")) | {"rust"}
        systems = {name: system for name, system in systems.items() if name in wanted}

    results = {}  # (workload, system) -> [seconds]
    meta = {}
    for rnd in range(args.rounds):
        for name in names:
            for system, (cmd, env) in systems.items():
                if system == "rust-1t" and name not in ("W3", "W4", "peak"):
                    continue  # one thread changes nothing below matrixmultiply's threading size
                for rec in run(cmd([name], args.reps), env):
                    results.setdefault((name, system), []).extend(rec["times"])
                    meta[name] = rec
                    meta[(name, system)] = rec
                    if "fingerprints" in rec:
                        meta.setdefault(("prints", name), set()).update(rec["fingerprints"])
                print(f"round {rnd + 1}/{args.rounds} {name} {system}: "
                      f"{statistics.median(results[(name, system)]) * 1e3:.1f} ms so far", file=sys.stderr)

    peak_rust = results.get(("peak", "rust"))
    print()
    print(f"{'workload':8} {'system':11} {'median':>10} {'min':>10} {'ratio':>8} {'rows/s':>12} {'GFLOP/s':>8}")
    for name in names:
        base = results.get((name, "rust"))
        for system in systems:
            t = results.get((name, system))
            if not t:
                continue
            med = statistics.median(t)
            ratio = med / statistics.median(base) if base else float("nan")
            samples = meta[(name, system)]["samples"]
            flops = meta[(name, system)]["flops"]
            rate = f"{samples / med:12.0f}" if samples else f"{'':12}"
            print(f"{name:8} {system:11} {med * 1e3:8.2f} ms {min(t) * 1e3:7.2f} ms {ratio:7.2f}x {rate} {flops / med / 1e9:8.1f}")
        prints = meta.get(("prints", name))
        if prints is not None:
            print(f"{'':8} rust weights identical in every run (1 and 2 threads): {len(prints) == 1}")
    print("\nratio = the system's median time / the crate's (rust, default threads); "
          "rust-1t = MATMUL_NUM_THREADS=1. peak = one 2048 × 2048 f64 matrix product.")
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"workload": w, "system": s, "times": t} for (w, s), t in results.items()], f, indent=1)


if __name__ == "__main__":
    main()
