//! The training player at the size the notebooks use: 50 snapshots of a
//! 2-8-8-1 network must stay under 1.5 MB in a notebook file.

use nn::plot::Player;
use nn::prelude::*;

fn moons_run() -> nn::Result<(nn::snapshot::Recording, Dataset)> {
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
    Ok((recorder.finish(), data))
}

#[test]
fn fifty_snapshots_of_a_2_8_8_1_network_stay_under_1_5_mb() -> nn::Result<()> {
    let (recording, _) = moons_run()?;
    assert_eq!(recording.snapshots.len(), 50);
    let page = Player::new(&recording)
        .title("2-8-8-1 on the moons")
        .draw()?;
    assert_eq!(page.frames(), 50);
    let bytes = page.notebook_bytes();
    assert!(bytes < 1_500_000, "{bytes} bytes");
    // What a notebook stores is the JSON of both outputs: measure that too.
    let json = serde_json_len(page.html()) + serde_json_len(page.fallback().as_str());
    assert!(json < 1_500_000, "{json} bytes as JSON");
    Ok(())
}

#[test]
fn the_page_is_written_atomically_and_opens_offline() -> nn::Result<()> {
    let (recording, data) = moons_run()?;
    let dir = std::env::temp_dir().join(format!("nn-player-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.html");
    Player::new(&recording).data(&data).frames(10).save(&path)?;
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
    for needle in [
        "src=\"http",
        "href=\"http",
        "<link",
        "<script src",
        "import(",
    ] {
        assert!(!page.contains(needle), "the page must not load {needle}");
    }
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("run.html")]);
    let err = Player::new(&recording)
        .save(dir.join("missing/run.html"))
        .unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}

/// The length of `text` written as a JSON string.
fn serde_json_len(text: &str) -> usize {
    let mut n = 2;
    for c in text.chars() {
        n += match c {
            '"' | '\\' | '\n' | '\r' | '\t' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        };
    }
    n
}
