//! Criterion benches of the three workloads: `cargo bench -p nn --bench training`.
//! For the comparison with NumPy and PyTorch run `scripts/bench.sh`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

mod workloads;

fn training(c: &mut Criterion) {
    let mut group = c.benchmark_group("training");
    group.sample_size(10);
    for w in [workloads::w1(), workloads::w2(), workloads::w3()] {
        group.throughput(Throughput::Elements(w.samples as u64));
        group.bench_function(w.name, |b| b.iter(|| w.run()));
    }
    group.finish();
}

criterion_group!(benches, training);
criterion_main!(benches);
