//! Backprop agrees with finite differences for random small networks, every
//! hidden activation and every output activation / loss pair that makes sense.

use nn::prelude::*;
use proptest::prelude::*;

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

/// Kinks (ReLU at 0, |x| at 0) have no derivative; finite differences that
/// straddle one disagree with any backprop. Such draws are skipped, and so
/// are those where the loss cannot be measured finely enough.
fn near_a_kink(net: &Network, x: &Array2<f64>, y: &Array2<f64>, loss: Loss) -> bool {
    let pass = net.forward(x).unwrap();
    let relu = net
        .layers
        .iter()
        .zip(&pass.layers)
        .any(|(l, p)| l.activation == Activation::Relu && p.z.iter().any(|z| z.abs() < 1e-3));
    let mae = loss == Loss::Mae
        && pass
            .output()
            .iter()
            .zip(y)
            .any(|(p, y)| (p - y).abs() < 1e-3);
    // Binary cross-entropy after a softmax takes ln(1 − ŷ) of ŷ itself (there
    // is no logit form for it): where ŷ is within 10⁻⁶ of 1, rounding in
    // 1 − ŷ makes the loss itself noisy at the 10⁻⁹ level, and a finite
    // difference over 2·10⁻⁵ amplifies that to 10⁻⁴. Backprop is fine there;
    // the measurement is not.
    let saturated = loss == Loss::BinaryCrossEntropy
        && net.output_activation() == Activation::Softmax
        && pass
            .output()
            .iter()
            .any(|&p| !(1e-6..=1.0 - 1e-6).contains(&p));
    relu || mae || saturated
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn backprop_matches_finite_differences(
        inputs in 1usize..4,
        hidden in proptest::collection::vec((1usize..5, 0usize..4), 0..3),
        outputs in 1usize..4,
        pair in 0usize..PAIRS.len(),
        bias in any::<bool>(),
        rows in 1usize..5,
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
        let mut net = builder.build().unwrap();
        let mut rng = NumpyRng::new(seed + 1);
        // Random biases too, so that their gradients are checked away from zero.
        for p in net.parameters_mut() {
            p.mapv_inplace(|w| w + 0.1 * rng.randn());
        }
        let x = rng.randn_matrix(rows, inputs);
        let y = targets(loss, rows, outputs, &mut rng);
        prop_assume!(!near_a_kink(&net, &x, &y, loss));
        let check = gradient_check(&net, loss, &x, &y).unwrap();
        prop_assert!(check.max() < 1e-6, "{} with {loss}: {check}", net);
        prop_assert!(check.passes(1e-6));
    }
}

#[test]
fn the_original_update_rule_fails_the_check() {
    use nn::gradcheck::{compare, numerical_gradients};
    use nn::original::{OriginalNetwork, Rule};

    let d = data::study_sleep();
    let original = OriginalNetwork::new();
    // The original descends ½ Σ (y − ŷ)², which is 1.5 × the MSE of 3 rows.
    let half_sse = |n: &Network| Ok(1.5 * n.loss(Loss::Mse, &d.x, &d.y)?);
    let numeric = numerical_gradients(&original.to_network().unwrap(), half_sse).unwrap();
    let truth = compare(
        &original.gradients(&d.x, &d.y, Rule::TrueGradient),
        &numeric,
    )
    .unwrap();
    let written = compare(&original.gradients(&d.x, &d.y, Rule::AsWritten), &numeric).unwrap();
    assert!(truth.max() < 1e-7, "{truth}");
    assert!(truth.passes(1e-6));
    assert!(written.layers[0].weights > 0.1, "{written}");
    assert!(written.layers[1].weights > 0.05, "{written}");
    assert!(!written.passes(1e-6));
}

#[test]
fn a_gradient_that_is_not_a_number_fails_the_check() {
    use nn::gradcheck::{compare, numerical_gradients};
    let d = data::study_sleep();
    let net = Network::builder(2)
        .dense(2, Activation::Sigmoid)
        .dense(1, Activation::Sigmoid)
        .build()
        .unwrap();
    let numeric = numerical_gradients(&net, |n| n.loss(Loss::Mse, &d.x, &d.y)).unwrap();
    let mut backprop = net
        .backward(&net.forward(&d.x).unwrap(), Loss::Mse, &d.y)
        .unwrap();
    assert!(compare(&backprop, &numeric).unwrap().passes(1e-6));
    // One NaN among right numbers: `f64::max` would drop it and pass.
    backprop.layers[1].weights[[1, 0]] = f64::NAN;
    let check = compare(&backprop, &numeric).unwrap();
    assert!(check.max().is_nan(), "{check}");
    assert!(!check.passes(1e-6));
    assert!(!check.passes(f64::INFINITY));
}

#[test]
fn a_check_passes_only_below_its_tolerance_and_prints_every_layer() {
    use nn::gradcheck::LayerCheck;
    let check = GradCheck {
        layers: vec![
            LayerCheck {
                weights: 1e-6,
                bias: Some(1e-9),
            },
            LayerCheck {
                weights: 2e-10,
                bias: None,
            },
        ],
    };
    assert!(
        !check.passes(1e-6),
        "an error equal to the tolerance is not below it"
    );
    assert!(check.passes(2e-6));
    assert_eq!(
        check.to_string(),
        "layer 1: weights 1.0e-6, bias 1.0e-9\nlayer 2: weights 2.0e-10\n"
    );
}
