//! The engine the trainer runs equals the textbook the notebooks teach.
//!
//! The trainer's step is the allocation-free engine (`nn::engine`); the
//! textbook is `Network::forward`, `Network::backward` and
//! `Optimizer::step`, one matrix expression per formula. For random
//! architectures, activations, output/loss pairs, optimizers and batch
//! sizes, every step of the engine, taken from the textbook's weights and
//! optimizer memory, must give the textbook's next weights and memory to
//! the bit, and its loss to 1e-15; and a whole run of each from the same
//! start must end on the same bits. The products agree to the bit because
//! the engine sums them as matrixmultiply, behind the textbook's `dot`,
//! does; the loss may differ in its last bits because the engine adds its
//! terms one after another and ndarray's `sum` in eight lanes.
//!
//! `cargo test -p nn --test engine_equals_textbook -- --nocapture` prints
//! the largest differences seen.

use std::sync::atomic::{AtomicU64, Ordering};

use nn::prelude::*;
use proptest::prelude::*;

/// The largest difference of a loss seen so far (as f64 bits; for numbers
/// ≥ 0 the bits order as the numbers do).
static WORST_STEP: AtomicU64 = AtomicU64::new(0);

/// Notes `value` in `worst` and prints it when it is a new largest.
fn note(worst: &AtomicU64, what: &str, value: f64) {
    if worst.fetch_max(value.to_bits(), Ordering::Relaxed) < value.to_bits() {
        println!("largest relative difference so far, {what}: {value:e}");
    }
}

/// The output layers and losses that belong together.
const PAIRS: [(Activation, Loss); 10] = [
    (Activation::Identity, Loss::Mse),
    (Activation::Identity, Loss::Mae),
    (Activation::Sigmoid, Loss::Mse),
    (Activation::Sigmoid, Loss::BinaryCrossEntropy),
    (Activation::Tanh, Loss::Mse),
    (Activation::Relu, Loss::Mse),
    (Activation::Softmax, Loss::Mse),
    (Activation::Softmax, Loss::BinaryCrossEntropy),
    (Activation::Softmax, Loss::CategoricalCrossEntropy),
    (Activation::Softmax, Loss::SparseCategoricalCrossEntropy),
];

const HIDDEN: [Activation; 4] = [
    Activation::Identity,
    Activation::Sigmoid,
    Activation::Tanh,
    Activation::Relu,
];

fn optimizer(which: usize) -> Optimizer {
    [
        Optimizer::gd(0.3),
        Optimizer::sgd(0.1),
        Optimizer::momentum(0.05),
        Optimizer::adam(0.01),
    ][which]
}

fn targets(loss: Loss, rows: usize, outputs: usize, rng: &mut NumpyRng) -> Array2<f64> {
    match loss {
        Loss::SparseCategoricalCrossEntropy => Array2::from_shape_fn((rows, 1), |_| {
            (rng.random_sample() * outputs as f64).floor()
        }),
        Loss::CategoricalCrossEntropy => {
            let mut y = Array2::zeros((rows, outputs));
            for r in 0..rows {
                y[[r, (rng.random_sample() * outputs as f64) as usize]] = 1.0;
            }
            y
        }
        _ => Array2::from_shape_fn((rows, outputs), |_| rng.random_sample()),
    }
}

/// One textbook step: forward, loss, backward and the optimizer's update.
fn textbook_step(
    net: &mut Network,
    rows: &Dataset,
    loss: Loss,
    optimizer: Optimizer,
    state: &mut OptimizerState,
) -> f64 {
    let pass = net.forward(&rows.x).unwrap();
    let value = loss.value_of(&pass, net.output_activation(), &rows.y);
    let grads = net.backward(&pass, loss, &rows.y).unwrap();
    optimizer.step(net, &grads, state).unwrap();
    value
}

/// The same step taken by the trainer's engine: one epoch of one full
/// batch. `None` if the loss or the weights stopped being finite.
fn engine_step(
    net: &mut Network,
    rows: &Dataset,
    loss: Loss,
    optimizer: Optimizer,
    state: &mut OptimizerState,
) -> Option<f64> {
    let mut train = TrainState {
        epochs: 0,
        optimizer: std::mem::take(state),
    };
    let history = Trainer::new(loss, optimizer)
        .epochs(1)
        .fit_from(net, rows, &mut train);
    *state = train.optimizer;
    Some(history.ok()?.steps[0])
}

/// The batches of `epochs` epochs over the rows in order.
fn batches(data: &Dataset, batch: usize, epochs: usize) -> Vec<Dataset> {
    let one: Vec<Dataset> = (0..data.len())
        .step_by(batch)
        .map(|start| {
            let indices: Vec<usize> = (start..(start + batch).min(data.len())).collect();
            data.rows(&indices).unwrap()
        })
        .collect();
    (0..epochs).flat_map(|_| one.clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_engines_steps_equal_the_textbooks(
        inputs in 1usize..4,
        hidden in proptest::collection::vec((1usize..6, 0usize..4), 0..3),
        outputs in 1usize..4,
        pair in 0usize..PAIRS.len(),
        which in 0usize..4,
        bias in any::<bool>(),
        rows in 1usize..20,
        batch in 1usize..20,
        seed in 0u64..10_000,
    ) {
        let (output, loss) = PAIRS[pair];
        let outputs = if output == Activation::Softmax { outputs.max(2) } else { outputs };
        let mut builder = Network::builder(inputs).init(Init::XavierNormal).seed(seed);
        for &(units, act) in &hidden {
            builder = builder.dense(units, HIDDEN[act]);
        }
        builder = builder.dense(outputs, output);
        if !bias {
            builder = builder.no_bias();
        }
        let start = builder.build().unwrap();
        let mut rng = NumpyRng::new(seed + 1);
        let x = rng.randn_matrix(rows, inputs);
        let data = Dataset::new(x, targets(loss, rows, outputs, &mut rng)).unwrap();
        let optimizer = optimizer(which);
        let epochs = 4;

        // Step by step from the same weights and memory: each engine step
        // equals the textbook's step.
        let (mut net, mut state) = (start.clone(), OptimizerState::default());
        let mut worst = 0.0f64;
        for rows in batches(&data, batch, epochs) {
            let (mut fast, mut fast_state) = (net.clone(), state.clone());
            let fast_loss = engine_step(&mut fast, &rows, loss, optimizer, &mut fast_state);
            // A run that diverges (identity layers and a large step can) stops
            // the engine with an error; there is nothing to compare after it.
            prop_assume!(fast_loss.is_some());
            let slow_loss = textbook_step(&mut net, &rows, loss, optimizer, &mut state);
            let fast_loss = fast_loss.unwrap_or_default();
            prop_assert_eq!(&fast, &net);
            prop_assert_eq!(&fast_state, &state);
            worst = worst.max((fast_loss - slow_loss).abs() / slow_loss.abs().max(1e-300));
        }
        note(&WORST_STEP, "a step's loss", worst);
        prop_assert!(worst <= 1e-15, "largest relative difference of a loss {worst:e}");

        // And a whole run: the trainer's steps against the textbook's, from
        // the same start, end on the same bits.
        let mut trained = start.clone();
        let mut train = TrainState::default();
        Trainer::new(loss, optimizer)
            .epochs(epochs)
            .batch_size(batch)
            .shuffle(false)
            .fit_from(&mut trained, &data, &mut train)
            .unwrap();
        prop_assert_eq!(&trained, &net);
        prop_assert_eq!(&train.optimizer, &state);
    }
}

/// Where the order of operations is the same, the two agree to the bit:
/// the original's 2-3-1 network, trained by GD for 1 000 steps.
#[test]
fn the_original_network_trains_to_the_same_bits() {
    let data = data::study_sleep();
    let start = nn::original::OriginalNetwork::new().to_network().unwrap();
    let mut net = start.clone();
    let mut state = OptimizerState::default();
    let mut losses = Vec::new();
    for _ in 0..1000 {
        losses.push(textbook_step(
            &mut net,
            &data,
            Loss::Mse,
            Optimizer::gd(1.5),
            &mut state,
        ));
    }
    let mut trained = start;
    let history = Trainer::new(Loss::Mse, Optimizer::gd(1.5))
        .epochs(1000)
        .fit(&mut trained, &data)
        .unwrap();
    assert_eq!(trained, net);
    assert_eq!(
        history.steps, losses,
        "the losses too: three rows sum alike either way"
    );
}
