#!/usr/bin/env bash
# Builds the crate's benchmarks in release mode, makes a Python environment
# with NumPy and PyTorch (bench/requirements.txt), and runs the crate's
# workloads W1-W4 against the NumPy and PyTorch versions in the same run
# (bench/run.py prints medians, ratios, rows/s and GFLOP/s).
#
#   scripts/bench.sh [--no-torch] [bench/run.py options: --rounds 3 --reps 3 --workloads W1,W2,W3,W4,peak --systems …]
#
# BENCH_VENV (default ~/.cache/nn-bench-venv) holds the environment. PyTorch
# from PyPI brings CUDA libraries: about 5.4 GB and 3 minutes here; if it
# cannot be installed within BENCH_TORCH_TIMEOUT seconds (default 900), the
# comparison goes on with NumPy alone.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${BENCH_VENV:-$HOME/.cache/nn-bench-venv}
NO_TORCH=0
for a in "$@"; do [[ $a == --no-torch ]] && NO_TORCH=1; done

if [[ ! -x $VENV/bin/python ]]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import numpy" 2>/dev/null; then
    "$VENV/bin/pip" install -q "$(grep '^numpy' bench/requirements.txt)"
fi
if [[ $NO_TORCH == 0 ]] && ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
    echo "installing PyTorch into $VENV (about 5.4 GB; --no-torch skips it)..."
    if ! timeout "${BENCH_TORCH_TIMEOUT:-900}" "$VENV/bin/pip" install -q "$(grep '^torch' bench/requirements.txt)"; then
        echo "PyTorch could not be installed in time: comparing with NumPy alone."
    fi
fi

echo "building the benchmarks (release)..."
cargo bench -q -p nn --bench compare --no-run
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
exec python3 bench/run.py --python "$VENV/bin/python" "$@"
