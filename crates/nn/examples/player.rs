//! Measures the training player of a 2-8-8-1 moons run with 50 snapshots,
//! and writes it as a page that any browser opens:
//! `cargo run --release -p nn --example player -- OUT.html` (default `player.html`).
use nn::plot::Player;
use nn::prelude::*;

fn main() -> nn::Result<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "player.html".into());
    let data = data::moons(200, 0.15, 0)?;
    let mut net = Network::builder(2)
        .dense(8, Activation::Tanh)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(1)
        .build()?;
    let mut recorder = Recorder::new(Schedule::log_spaced(50, 500));
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.02))
        .epochs(500)
        .batch_size(32)
        .observe(&mut recorder)
        .fit(&mut net, &data)?;
    let recording = recorder.finish();
    let page = Player::new(&recording)
        .title("2-8-8-1 on the moons")
        .draw()?;
    println!(
        "{} frames; html {} bytes, fallback {} bytes, in a notebook {} bytes",
        page.frames(),
        page.html().len(),
        page.fallback().len(),
        page.notebook_bytes()
    );
    page.save(&out)?;
    Ok(())
}
