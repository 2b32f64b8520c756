//! Times the workloads for `bench/run.py` (and `scripts/bench.sh`), which runs
//! the NumPy and PyTorch versions in the same run and prints the ratios.
//!
//! `cargo bench -p nn --bench compare -- [W1 W2 W3 W4 peak] [--reps N]`
//!
//! Prints one JSON object per line: the workload, every run's seconds, rows
//! trained, flops, and a fingerprint of the trained weights (runs must agree
//! bit for bit).

use std::time::Instant;

use nn::ndarray::{linalg::general_mat_mul, Array2};

mod workloads;

fn main() {
    let mut names = Vec::new();
    let mut reps = 5;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--reps" => reps = args.next().and_then(|r| r.parse().ok()).expect("--reps N"),
            "--bench" => {}
            other => names.push(other.to_string()),
        }
    }
    if names.is_empty() {
        names = ["W1", "W2", "W3", "W4"].map(String::from).to_vec();
    }
    let threads = std::env::var("MATMUL_NUM_THREADS").unwrap_or_default();
    for name in names {
        if name == "peak" {
            peak(reps, &threads);
            continue;
        }
        let w = workloads::by_name(&name).unwrap_or_else(|| panic!("no workload {name}"));
        w.run(); // warm-up: page in the data, start matrixmultiply's threads
        let mut times = Vec::new();
        let mut prints = Vec::new();
        let mut loss = 0.0;
        for _ in 0..reps {
            let start = Instant::now();
            let (mut net, l) = w.run();
            times.push(start.elapsed().as_secs_f64());
            prints.push(format!("{:016x}", workloads::fingerprint(&mut net)));
            loss = l;
        }
        prints.dedup();
        println!(
            "{{\"system\": \"rust\", \"workload\": \"{}\", \"times\": {:?}, \"samples\": {}, \"flops\": {}, \"final_loss\": {}, \"fingerprints\": {:?}, \"matmul_threads\": \"{}\"}}",
            w.name, times, w.samples, w.flops, loss, prints, threads
        );
    }
}

/// f64 matrix-multiply speed of matrixmultiply (through ndarray) at 2048².
fn peak(reps: usize, threads: &str) {
    let n = 2048;
    let a = Array2::from_shape_fn((n, n), |(i, j)| ((i * 7 + j * 3) % 11) as f64 * 0.1);
    let b = a.t().to_owned();
    let mut c = Array2::zeros((n, n));
    general_mat_mul(1.0, &a, &b, 0.0, &mut c);
    let mut times = Vec::new();
    for _ in 0..reps.max(3) {
        let start = Instant::now();
        general_mat_mul(1.0, &a, &b, 0.0, &mut c);
        times.push(start.elapsed().as_secs_f64());
    }
    println!(
        "{{\"system\": \"rust\", \"workload\": \"peak\", \"times\": {:?}, \"samples\": 0, \"flops\": {}, \"matmul_threads\": \"{}\"}}",
        times,
        2.0 * (n * n * n) as f64,
        threads
    );
}
