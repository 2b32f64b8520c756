use nn::prelude::*;
fn main() -> nn::Result<()> {
    let d = data::study_sleep();
    for _ in 0..3 {
        let mut net = nn::original::OriginalNetwork::new().to_network()?;
        let t = std::time::Instant::now();
        let h = Trainer::new(Loss::Mse, Optimizer::gd(1.5))
            .epochs(10_000)
            .fit(&mut net, &d)?;
        println!("{:?} {}", t.elapsed(), h.final_loss());
    }
    Ok(())
}
