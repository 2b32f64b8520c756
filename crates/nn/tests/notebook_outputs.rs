//! The notebooks run the crate in the evcxr kernel (built at opt-level 2);
//! these tests run it here (a test build). Both must print the same numbers,
//! bit for bit: the notebook harness checks that the kernel still prints
//! what `notebooks/05-training.ipynb` stores, and this test that the stored
//! number is the crate's.

use nn::prelude::*;

fn stored_outputs(notebook: &str) -> String {
    let path = format!("{}/../../notebooks/{notebook}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let json: serde_json::Value = serde_json::from_str(&text).expect("a notebook is JSON");
    let mut out = String::new();
    for cell in json["cells"].as_array().unwrap() {
        for output in cell["outputs"].as_array().into_iter().flatten() {
            if let Some(lines) = output["text"].as_array() {
                out.extend(lines.iter().map(|l| l.as_str().unwrap()));
            }
        }
    }
    out
}

#[test]
fn the_training_notebook_prints_the_crates_final_loss() {
    let stored = stored_outputs("05-training.ipynb");
    let line = stored
        .lines()
        .find_map(|l| l.strip_prefix("final loss "))
        .expect("notebook 5 prints 'final loss …'");
    let printed: f64 = line.trim().parse().unwrap();

    let mut net = nn::original::OriginalNetwork::new().to_network().unwrap();
    let history = Trainer::new(Loss::Mse, Optimizer::gd(1.5))
        .epochs(10_000)
        .fit(&mut net, &data::study_sleep())
        .unwrap();
    assert_eq!(
        printed.to_bits(),
        history.final_loss().to_bits(),
        "{printed} vs {}",
        history.final_loss()
    );
}
