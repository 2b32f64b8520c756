//! Arbitrary small networks, losses, optimizers (hyperparameters NaN, 0 or
//! negative included), epochs, batch sizes and data (NaN and ±∞ included):
//! building and training must return Ok or Err, never panic. A network that
//! trained must save and load back with its optimizer state.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use nn::io::ModelInfo;
use nn::network::NetworkBuilder;
use nn::prelude::*;

#[derive(Arbitrary, Debug)]
struct Case {
    /// 0 to 4 inputs (0 is an error to report).
    inputs: u8,
    /// Up to 3 layers of 0 to 4 units, activations by index.
    layers: Vec<(u8, u8)>,
    bias: bool,
    init: u8,
    init_range: (f64, f64),
    seed: u64,
    loss: u8,
    optimizer: u8,
    hyper: [f64; 4],
    /// 0 to 5.
    epochs: u8,
    batch: Option<u8>,
    shuffle: bool,
    trainer_seed: u64,
    validation: Option<f64>,
    /// 0 to 8 rows.
    rows: u8,
    /// Target columns: 0 to 4.
    target_cols: u8,
    /// Cycled through to fill the inputs, then the targets.
    values: Vec<f64>,
    /// Stop after this many epochs and resume from the state.
    resume_after: u8,
    /// Resume with the state of another network (a user error to report).
    foreign_state: bool,
}

fn build(case: &Case, units_shift: u8) -> nn::Result<Network> {
    builder(case, units_shift).build()
}

fn builder(case: &Case, units_shift: u8) -> NetworkBuilder {
    let init = match case.init % 7 {
        0 => Init::StandardNormal,
        1 => Init::XavierUniform,
        2 => Init::XavierNormal,
        3 => Init::HeNormal,
        4 => Init::Zeros,
        _ => Init::Uniform(case.init_range.0, case.init_range.1),
    };
    let mut builder = Network::builder(usize::from(case.inputs % 5))
        .init(init)
        .seed(case.seed);
    for &(units, activation) in case.layers.iter().take(3) {
        builder = builder.dense(
            usize::from((units + units_shift) % 5),
            Activation::ALL[usize::from(activation) % 5],
        );
    }
    if !case.bias {
        builder = builder.no_bias();
    }
    builder
}

fuzz_target!(|case: Case| {
    let Ok(mut net) = build(&case, 0) else {
        return;
    };
    let loss = Loss::ALL[usize::from(case.loss) % 5];
    let [a, b, c, d] = case.hyper;
    let optimizer = match case.optimizer % 4 {
        0 => Optimizer::gd(a),
        1 => Optimizer::sgd(a),
        2 => Optimizer::Momentum {
            learning_rate: a,
            momentum: b,
        },
        _ => Optimizer::Adam {
            learning_rate: a,
            beta1: b,
            beta2: c,
            epsilon: d,
        },
    };

    // The data, built without Dataset::new so that NaN, ±∞, ragged targets
    // and empty matrices reach the trainer and must be caught there.
    let rows = usize::from(case.rows % 9);
    let cols = usize::from(case.inputs % 5);
    let target_cols = usize::from(case.target_cols % 5);
    let mut values = case.values.iter().copied().cycle();
    let mut next = || {
        if case.values.is_empty() {
            0.0
        } else {
            values.next().unwrap_or(0.0)
        }
    };
    let x = Array2::from_shape_fn((rows, cols), |_| next());
    let y = Array2::from_shape_fn((rows, target_cols), |_| next());
    let data = Dataset { x, y };

    let mut trainer = Trainer::new(loss, optimizer)
        .epochs(usize::from(case.epochs % 6))
        .shuffle(case.shuffle)
        .seed(case.trainer_seed);
    if let Some(batch) = case.batch {
        trainer = trainer.batch_size(usize::from(batch % 10));
    }
    if let Some(fraction) = case.validation {
        trainer = trainer.validation_split(fraction);
    }

    // The pieces a notebook calls one by one must hold up too.
    if let Ok(pass) = net.forward(&data.x) {
        let _ = net.backward(&pass, loss, &data.y);
    }
    let _ = net.loss(loss, &data.x, &data.y);
    let _ = gradient_check(&net, loss, &data.x, &data.y);

    let mut state = TrainState::default();
    let first = usize::from(case.resume_after % 3);
    let history = if first > 0 {
        let _ = Trainer::from_config(trainer.config().clone())
            .epochs(first)
            .fit_from(&mut net, &data, &mut state);
        if case.foreign_state {
            if let Ok(mut other) = build(&case, 1) {
                let _ = trainer.fit_from(&mut other, &data, &mut state);
            }
            return;
        }
        trainer.fit_from(&mut net, &data, &mut state)
    } else {
        trainer.fit_from(&mut net, &data, &mut state)
    };
    let Ok(history) = history else {
        return;
    };

    let info = ModelInfo::new(builder(&case, 0).config(), &history).with_state(state);
    let bytes = net
        .to_safetensors(&info)
        .expect("a network that trained can be saved");
    let (loaded, back) = Network::from_safetensors(&bytes).expect("and loaded");
    assert_eq!(loaded, net);
    assert_eq!(back, info);
});
