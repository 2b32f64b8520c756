//! Model files travel between this crate and Python: NumPy reproduces the
//! crate's predictions from a saved file, and the crate loads a model that
//! NumPy wrote (scripts/safetensors_roundtrip.py).
//!
//! Python comes from `<repo>/.venv/bin/python` (made by ./kernel-install.sh)
//! or else `python3`, whichever has numpy and safetensors. Without either
//! the tests fail on CI (env `CI` set) and are skipped elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use nn::io::ModelInfo;
use nn::prelude::*;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A Python that can import numpy and safetensors, if there is one.
fn python() -> Option<PathBuf> {
    let candidates = [repo().join(".venv/bin/python"), PathBuf::from("python3")];
    let found = candidates.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import numpy, safetensors"])
            .output()
            .is_ok_and(|out| out.status.success())
    });
    if found.is_none() {
        let why = "no Python with numpy and safetensors: neither <repo>/.venv/bin/python nor \
                   python3 can import them; run ./kernel-install.sh to create .venv";
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("SKIPPED: {why}");
    }
    found
}

/// Runs the round-trip script with `args`, failing the test with its output.
fn script(python: &Path, args: &[&Path]) {
    let out = Command::new(python)
        .arg(repo().join("scripts/safetensors_roundtrip.py"))
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "the script failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nn-io-python-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `tensors` (name, matrix) as a safetensors file.
fn write_tensors(path: &Path, tensors: &[(&str, &Array2<f64>)]) {
    let bytes: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, m)| m.iter().flat_map(|v| v.to_le_bytes()).collect())
        .collect();
    let views = tensors.iter().zip(&bytes).map(|((name, m), b)| {
        let view = TensorView::new(Dtype::F64, vec![m.nrows(), m.ncols()], b).unwrap();
        (*name, view)
    });
    std::fs::write(path, safetensors::serialize(views, None).unwrap()).unwrap();
}

/// Reads the F64 matrix `name` from a safetensors file.
fn read_tensor(path: &Path, name: &str) -> Array2<f64> {
    let bytes = std::fs::read(path).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let t = file.tensor(name).unwrap();
    assert_eq!(t.dtype(), Dtype::F64);
    let values = t
        .data()
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
        .collect();
    Array2::from_shape_vec((t.shape()[0], t.shape()[1]), values).unwrap()
}

#[track_caller]
fn assert_close(got: &Array2<f64>, want: &Array2<f64>) {
    assert_eq!(got.dim(), want.dim());
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= 1e-12,
            "{g} vs {w}: off by {:e}",
            (g - w).abs()
        );
    }
}

#[test]
fn numpy_reproduces_the_predictions_of_a_saved_model() {
    let Some(python) = python() else { return };
    let dir = scratch("predict");
    let data = Array2::from_shape_fn((20, 3), |(r, c)| ((r * 7 + c * 3) % 11) as f64 / 5.0 - 1.0);
    let nets = [
        Network::builder(3)
            .dense(4, Activation::Sigmoid)
            .dense(1, Activation::Sigmoid)
            .no_bias()
            .build(),
        Network::builder(3)
            .dense(8, Activation::Relu)
            .dense(6, Activation::Tanh)
            .dense(4, Activation::Softmax)
            .seed(5)
            .build(),
        Network::builder(3)
            .dense(2, Activation::Identity)
            .seed(9)
            .build(),
    ];
    for (i, net) in nets.into_iter().enumerate() {
        let mut net = net.unwrap();
        // The second model scales its inputs: NumPy must too.
        let scaler = (i == 1).then(|| data::Scaler::from(data::MinMax::fit(&data).unwrap()));
        // Train a little, so that the biases are not all zero.
        let y = net
            .predict(&data)
            .unwrap()
            .mapv(|v| (v * 3.0).sin().abs().min(1.0));
        let d = Dataset::new(data.clone(), y).unwrap();
        Trainer::new(Loss::Mse, Optimizer::adam(0.05))
            .epochs(20)
            .fit(&mut net, &d)
            .unwrap();

        let (model, x, out) = (
            dir.join(format!("m{i}.safetensors")),
            dir.join("x.safetensors"),
            dir.join("y.safetensors"),
        );
        let info = ModelInfo {
            scaler: scaler.clone(),
            ..ModelInfo::default()
        };
        net.save(&model, &info).unwrap();
        write_tensors(&x, &[("x", &data)]);
        script(&python, &[Path::new("predict"), &model, &x, &out]);
        let scaled = match &scaler {
            Some(s) => s.transform(&data).unwrap(),
            None => data.clone(),
        };
        assert_close(&read_tensor(&out, "y"), &net.predict(&scaled).unwrap());
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_crate_loads_a_model_numpy_wrote() {
    let Some(python) = python() else { return };
    let dir = scratch("write");
    let (model, cases) = (dir.join("numpy.safetensors"), dir.join("cases.safetensors"));
    script(&python, &[Path::new("write"), &model, &cases]);

    let (net, info) = Network::load(&model).unwrap();
    assert_eq!(net.sizes(), [3, 5, 4, 2]);
    assert_eq!(net.output_activation(), Activation::Softmax);
    let run = info.run.expect("NumPy wrote a run description");
    assert_eq!(
        (run.network.seed, run.network.init),
        (2024, Init::XavierNormal)
    );
    assert_eq!(run.training.loss, Loss::CategoricalCrossEntropy);
    assert_eq!(run.training.optimizer, Optimizer::adam(0.01));
    assert_eq!(run.training.batch_size, BatchSize::Rows(16));
    assert!(
        run.training.shuffle,
        "what the JSON leaves out is the default"
    );
    assert!(info.extra["written_by"].starts_with("numpy "));

    let x = read_tensor(&cases, "x");
    let scaler = info.scaler.expect("NumPy wrote the scaler");
    assert_eq!(scaler.name(), "standard");
    let scaled = scaler.transform(&x).unwrap();
    assert_close(&net.predict(&scaled).unwrap(), &read_tensor(&cases, "y"));
    std::fs::remove_dir_all(dir).unwrap();
}
