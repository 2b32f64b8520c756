//! How the time of one training step grows with the hidden layer's width and
//! with the batch size; draws docs/step-time-width.svg and
//! docs/step-time-batch.svg.
//!
//! `cargo bench -p nn --bench scaling`

use std::time::Instant;

use nn::plotters::prelude::*;
use nn::prelude::*;

mod workloads;

/// Median seconds per step of Adam on `inputs`-`hidden`-10 with batches of
/// `batch`, over at least ~0.2 s of training.
fn step_seconds(inputs: usize, hidden: usize, batch: usize) -> f64 {
    let steps_per_epoch = 8.max(10usize.div_ceil(batch)); // every class gets a row
    let data = workloads::blobs(batch * steps_per_epoch, inputs, 10, 5);
    let net = workloads::classifier(inputs, hidden, 10);
    let trainer = |epochs| {
        Trainer::new(Loss::CategoricalCrossEntropy, Optimizer::adam(0.001))
            .epochs(epochs)
            .batch_size(batch)
    };
    // Calibrate: enough epochs for about 40 ms per sample.
    let start = Instant::now();
    trainer(1).fit(&mut net.clone(), &data).unwrap();
    let one = start.elapsed().as_secs_f64();
    let epochs = ((0.04 / one).ceil() as usize).clamp(1, 100_000);
    let mut samples: Vec<f64> = (0..5)
        .map(|_| {
            let mut n = net.clone();
            let start = Instant::now();
            trainer(epochs).fit(&mut n, &data).unwrap();
            start.elapsed().as_secs_f64() / (epochs * steps_per_epoch) as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[2]
}

fn plot(
    path: &str,
    title: &str,
    x_label: &str,
    points: &[(usize, f64, f64)],
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::new(path, (720, 440)).into_drawing_area();
    root.fill(&WHITE)?;
    let (x0, x1) = (points[0].0 as f64, points[points.len() - 1].0 as f64);
    let y_min = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min) * 1e6 / 2.0;
    let y_max = points.iter().map(|p| p.1).fold(0.0, f64::max) * 1e6 * 2.0;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d((x0..x1).log_scale(), (y_min..y_max).log_scale())?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc("µs per training step")
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v}"))
        .draw()?;
    let line: Vec<(f64, f64)> = points.iter().map(|p| (p.0 as f64, p.1 * 1e6)).collect();
    chart
        .draw_series(LineSeries::new(line.clone(), BLUE.stroke_width(2)))?
        .label("measured step time")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLUE.stroke_width(2)));
    chart.draw_series(line.iter().map(|&p| Circle::new(p, 3, BLUE.filled())))?;
    for (&(x, _, gflops), &(px, py)) in points.iter().zip(&line) {
        let _ = x;
        chart.draw_series(std::iter::once(Text::new(
            format!("{gflops:.1}"),
            (px, py * 1.25),
            ("sans-serif", 11).into_font().color(&BLACK.mix(0.6)),
        )))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .border_style(BLACK.mix(0.3))
        .background_style(WHITE.mix(0.9))
        .draw()?;
    root.present()?;
    Ok(())
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs");
    std::fs::create_dir_all(docs)?;
    let mut width = Vec::new();
    for hidden in [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048] {
        let s = step_seconds(64, hidden, 32);
        let gflops = workloads::step_flops(&[64, hidden, 10], 32) / s / 1e9;
        println!(
            "width {hidden:5}, batch 32: {:9.2} µs per step, {gflops:5.1} GFLOP/s",
            s * 1e6
        );
        width.push((hidden, s, gflops));
    }
    plot(
        &format!("{docs}/step-time-width.svg"),
        "64 → width → 10, batch 32, Adam (labels: GFLOP/s)",
        "hidden units",
        &width,
    )?;
    let mut batch = Vec::new();
    for rows in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] {
        let s = step_seconds(64, 64, rows);
        let gflops = workloads::step_flops(&[64, 64, 10], rows) / s / 1e9;
        println!(
            "64-64-10, batch {rows:5}: {:9.2} µs per step, {gflops:5.1} GFLOP/s",
            s * 1e6
        );
        batch.push((rows, s, gflops));
    }
    plot(
        &format!("{docs}/step-time-batch.svg"),
        "64 → 64 → 10, Adam: step time by batch size (labels: GFLOP/s)",
        "rows per batch",
        &batch,
    )?;
    println!("wrote {docs}/step-time-width.svg and step-time-batch.svg");
    Ok(())
}
