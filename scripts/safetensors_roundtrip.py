#!/usr/bin/env python3
"""Read and write the nn crate's model files with NumPy and safetensors.

A model file is a safetensors file: F64 tensors `layers.{l}.weight`
(inputs x outputs) and `layers.{l}.bias` (1 x outputs), and string metadata
describing the architecture, the run (`run.config`, JSON) and the input
scaling (`run.scaler`, JSON; see docs/model-files.md). The forward pass is
a = f(a_prev @ W + b), layer after layer, on inputs scaled as training's.

    python scripts/safetensors_roundtrip.py predict MODEL X_FILE OUT_FILE
        Loads MODEL, reads the tensor `x` (raw inputs) from X_FILE, writes
        the predictions as tensor `y` to OUT_FILE (all .safetensors).

    python scripts/safetensors_roundtrip.py write MODEL CASES_FILE
        Makes a small network with NumPy, saves it as MODEL for the crate to
        load, and saves raw inputs `x` with NumPy's predictions `y` to
        CASES_FILE.

Needs numpy and safetensors (both in requirements.txt).
"""

import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    # Subtracting each row's maximum changes nothing and keeps exp finite.
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "softmax": softmax,
}


def load_model(path):
    """The layers [(W, b or None, activation name)] and the metadata."""
    with safe_open(path, framework="numpy") as f:
        meta = f.metadata()
    tensors = load_file(path)
    activations = meta["architecture.activations"].split(",")
    layers = []
    for l, name in enumerate(activations):
        w = tensors[f"layers.{l}.weight"]
        b = tensors.get(f"layers.{l}.bias")  # None for a layer without bias
        assert w.dtype == np.float64
        layers.append((w, b, name))
    return layers, meta


def scale(meta, x):
    """Raw inputs scaled as the training inputs were (if the file says how)."""
    if "run.scaler" not in meta:
        return x
    s = json.loads(meta["run.scaler"])
    if s["kind"] == "standard":
        shift, by = np.array(s["mean"]), np.array(s["std"])
    else:  # "min_max"
        shift, by = np.array(s["min"]), np.array(s["max"]) - np.array(s["min"])
    by = np.where(by == 0, 1.0, by)  # a constant column is only shifted
    return (x - shift) / by


def predict(layers, x):
    """The forward pass: a = f(a_prev @ W + b) for every layer."""
    a = x
    for w, b, name in layers:
        z = a @ w
        if b is not None:
            z = z + b  # b is 1 x outputs: added to every row
        a = ACTIVATIONS[name](z)
    return a


def save_model(path, layers, run=None, scaler=None, notes=None):
    """Writes layers [(W, b or None, activation name)] as the crate expects,
    with the run description and scaler (dicts, written as JSON) if given."""
    sizes = [layers[0][0].shape[0]] + [w.shape[1] for w, _, _ in layers]
    meta = {
        "nn.format": "2",
        "architecture.sizes": ",".join(str(s) for s in sizes),
        "architecture.activations": ",".join(name for _, _, name in layers),
        "architecture.bias": ",".join(
            "true" if b is not None else "false" for _, b, _ in layers
        ),
    }
    if run is not None:
        meta["run.config"] = json.dumps(run)
    if scaler is not None:
        meta["run.scaler"] = json.dumps(scaler)
    meta.update(notes or {})
    tensors = {}
    for l, (w, b, _) in enumerate(layers):
        tensors[f"layers.{l}.weight"] = np.ascontiguousarray(w, dtype=np.float64)
        if b is not None:
            tensors[f"layers.{l}.bias"] = np.ascontiguousarray(
                b.reshape(1, -1), dtype=np.float64
            )
    save_file(tensors, path, metadata=meta)


def command_predict(model, x_file, out_file):
    layers, meta = load_model(model)
    x = load_file(x_file)["x"]
    y = predict(layers, scale(meta, x))
    save_file({"y": np.ascontiguousarray(y)}, out_file)
    print(f"{model}: {meta['architecture.sizes']} network, {x.shape[0]} rows predicted")


def command_write(model, cases_file):
    rng = np.random.default_rng(2024)
    layers = [
        (rng.normal(size=(3, 5)), rng.normal(size=(1, 5)), "tanh"),
        (rng.normal(size=(5, 4)), rng.normal(size=(1, 4)), "relu"),
        (rng.normal(size=(4, 2)), rng.normal(size=(1, 2)), "softmax"),
    ]
    # The RunConfig as JSON; what it leaves out takes the crate's defaults.
    run = {
        "network": {
            "inputs": 3,
            "layers": [
                {"units": w.shape[1], "activation": name} for w, _, name in layers
            ],
            "bias": True,
            "init": "xavier_normal",
            "seed": 2024,
        },
        "training": {
            "loss": "categorical_crossentropy",
            "optimizer": {"name": "adam", "learning_rate": 0.01, "beta1": 0.9,
                          "beta2": 0.999, "epsilon": 1e-8},
            "epochs": 100,
            "batch_size": {"rows": 16},
        },
    }
    raw = rng.normal(loc=5.0, scale=3.0, size=(7, 3))
    scaler = {"kind": "standard", "mean": raw.mean(axis=0).tolist(),
              "std": raw.std(axis=0).tolist()}
    notes = {"written_by": "numpy " + np.__version__}
    save_model(model, layers, run, scaler, notes)
    meta = {"run.scaler": json.dumps(scaler)}
    save_file({"x": raw, "y": predict(layers, scale(meta, raw))}, cases_file)
    print(f"{model}: 3-5-4-2 network written by NumPy")


def main(argv):
    commands = {"predict": (command_predict, 3), "write": (command_write, 2)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    function, _ = commands[argv[1]]
    function(*argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
