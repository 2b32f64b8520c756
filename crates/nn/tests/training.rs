//! The training loop: determinism, batches, optimizers, resuming, divergence
//! and every bad setting answered with a message.

use nn::prelude::*;

fn net(seed: u64) -> Network {
    Network::builder(2)
        .dense(3, Activation::Sigmoid)
        .dense(1, Activation::Sigmoid)
        .seed(seed)
        .build()
        .unwrap()
}

/// Eight rows, so that batches of 3 leave a last batch of 2.
fn eight_rows() -> Dataset {
    let x = Array2::from_shape_fn((8, 2), |(r, c)| ((r * 3 + c * 5) % 7) as f64 / 7.0);
    let y = Array2::from_shape_fn((8, 1), |(r, _)| (r % 2) as f64);
    Dataset::new(x, y).unwrap()
}

#[test]
fn the_same_seed_gives_bit_identical_histories() {
    let run = || {
        let mut n = net(7);
        let h = Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.01))
            .epochs(50)
            .batch_size(3)
            .seed(9)
            .fit(&mut n, &eight_rows())
            .unwrap();
        (h, n)
    };
    let (h1, n1) = run();
    let (h2, n2) = run();
    assert_eq!(h1, h2);
    assert_eq!(n1, n2);
    let mut other = net(7);
    let h3 = Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.01))
        .epochs(50)
        .batch_size(3)
        .seed(10)
        .fit(&mut other, &eight_rows())
        .unwrap();
    assert_ne!(
        h1.steps, h3.steps,
        "another shuffle seed gives other batches"
    );
}

#[test]
fn batches_cover_every_row_with_a_smaller_last_one() {
    let mut n = net(1);
    let h = Trainer::new(Loss::Mse, Optimizer::sgd(0.5))
        .epochs(4)
        .batch_size(3)
        .fit(&mut n, &eight_rows())
        .unwrap();
    assert_eq!(h.steps.len(), 4 * 3); // batches of 3, 3 and 2
    assert_eq!(h.batch_size, 3);
    let sgd = Trainer::new(Loss::Mse, Optimizer::sgd(0.5))
        .epochs(2)
        .batch_size(1)
        .fit(&mut net(1), &eight_rows())
        .unwrap();
    assert_eq!(sgd.steps.len(), 16);
}

#[test]
fn full_batch_epoch_loss_is_the_loss_before_the_update() {
    let d = data::study_sleep();
    let mut n = net(3);
    let before = n.loss(Loss::Mse, &d.x, &d.y).unwrap();
    let h = Trainer::new(Loss::Mse, Optimizer::gd(1.0))
        .epochs(2)
        .fit(&mut n, &d)
        .unwrap();
    assert_eq!(h.epochs[0].loss, before);
    assert_eq!(h.steps, h.losses());
}

#[test]
fn every_optimizer_lowers_the_loss() {
    let d = data::study_sleep();
    for opt in [
        Optimizer::gd(1.0),
        Optimizer::momentum(0.3),
        Optimizer::adam(0.05),
    ] {
        let mut n = net(5);
        let h = Trainer::new(Loss::Mse, opt)
            .epochs(500)
            .fit(&mut n, &d)
            .unwrap();
        assert!(
            h.final_loss() < h.losses()[0] / 5.0,
            "{}: {:?}",
            opt.name(),
            h.final_loss()
        );
    }
}

#[test]
fn ten_epochs_then_ten_more_equal_twenty_straight() {
    let d = eight_rows();
    let trainer = |epochs| {
        Trainer::new(Loss::Mse, Optimizer::adam(0.02))
            .epochs(epochs)
            .batch_size(3)
    };
    let mut straight = net(2);
    let whole = trainer(20).fit(&mut straight, &d).unwrap();

    let mut resumed = net(2);
    let mut state = TrainState::default();
    let first = trainer(10).fit_from(&mut resumed, &d, &mut state).unwrap();
    let second = trainer(10).fit_from(&mut resumed, &d, &mut state).unwrap();
    assert_eq!(resumed, straight);
    assert_eq!(second.epochs[0].epoch, 11);
    assert_eq!([first.steps, second.steps].concat(), whole.steps);
}

#[test]
fn classification_reports_accuracy_and_validation() {
    let d = eight_rows();
    let mut n = net(4);
    let h = Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05))
        .epochs(5)
        .validation_split(0.25)
        .fit(&mut n, &d)
        .unwrap();
    let last = h.epochs.last().unwrap();
    assert!(last.accuracy.is_some_and(|a| (0.0..=1.0).contains(&a)));
    assert!(last.val_loss.is_some_and(f64::is_finite));
    assert!(last.val_accuracy.is_some());
    assert_eq!(h.val_losses().len(), 5);
    let regression = Trainer::new(Loss::Mse, Optimizer::gd(0.1))
        .fit(&mut net(4), &d)
        .unwrap();
    assert_eq!(regression.epochs[0].accuracy, None);
}

/// Weights stored column by column (put in by hand) take the strided paths
/// of the products and the optimizer, and train to the same bits.
#[test]
fn weights_stored_column_by_column_train_to_the_same_bits() {
    let d = eight_rows();
    let mut trainer = Trainer::new(Loss::Mse, Optimizer::momentum(0.5))
        .epochs(20)
        .batch_size(3);
    let mut rows = net(3);
    let mut columns = rows.clone();
    for w in columns.parameters_mut() {
        *w = w.t().as_standard_layout().into_owned().reversed_axes();
    }
    assert!(!columns.layers[0].weights.is_standard_layout());
    assert_eq!(rows, columns);
    let h_rows = trainer.fit(&mut rows, &d).unwrap();
    let h_columns = trainer.fit(&mut columns, &d).unwrap();
    assert_eq!(h_rows.steps, h_columns.steps);
    assert_eq!(rows, columns);
}

#[test]
fn divergence_stops_with_the_epoch_and_keeps_finite_weights() {
    let d = data::study_sleep();
    let mut n = Network::builder(2)
        .dense(3, Activation::Sigmoid)
        .dense(1, Activation::Identity)
        .build()
        .unwrap();
    let err = Trainer::new(Loss::Mse, Optimizer::gd(100.0))
        .epochs(1000)
        .fit(&mut n, &d)
        .unwrap_err();
    let Error::Diverged { epoch, loss, .. } = err else {
        panic!("expected divergence, got {err}");
    };
    assert!(epoch < 200, "diverged late, at {epoch}");
    assert!(!loss.is_finite());
    assert!(err
        .to_string()
        .contains("Try a smaller learning rate (it was 100)"));
    assert!(n.parameters_mut().all(|p| p.iter().all(|v| v.is_finite())));
    assert!(n.loss(Loss::Mse, &d.x, &d.y).unwrap().is_finite());
}

#[test]
fn bad_settings_are_named_with_their_range() {
    let d = data::study_sleep();
    let fit = |mut t: Trainer| t.fit(&mut net(0), &d).unwrap_err().to_string();
    let base = || Trainer::new(Loss::Mse, Optimizer::gd(0.1));
    assert_eq!(
        fit(base().epochs(0)),
        "invalid epochs = 0: it must be at least 1"
    );
    assert_eq!(
        fit(base().batch_size(0)),
        "invalid batch size = 0: it must be at least 1 (1 is SGD; use .full_batch() for GD)"
    );
    assert_eq!(
        fit(Trainer::new(Loss::Mse, Optimizer::gd(0.0))),
        "invalid learning rate = 0: it must be a finite number > 0"
    );
    assert_eq!(
        fit(Trainer::new(
            Loss::Mse,
            Optimizer::Adam {
                learning_rate: 0.1,
                beta1: 0.9,
                beta2: -0.1,
                epsilon: 1e-8
            }
        )),
        "invalid beta2 = -0.1: it must be in [0, 1)"
    );
    assert_eq!(
        fit(base().validation_split(1.0)),
        "invalid validation split = 1: it must be a fraction strictly between 0 and 1"
    );
    assert!(fit(base().validation_split(0.9)).contains("leaves 0 for training and 3 for testing"));
}

#[test]
fn bad_data_is_named() {
    let mut n = net(0);
    let mut t = Trainer::new(Loss::Mse, Optimizer::gd(0.1));
    let wide = Dataset::new(array![[1.0, 2.0, 3.0]], array![[1.0]]).unwrap();
    assert!(t
        .fit(&mut n, &wide)
        .unwrap_err()
        .to_string()
        .contains("expected (rows, 2), got (1, 3)"));
    let two_targets = Dataset::new(array![[1.0, 2.0]], array![[1.0, 0.0]]).unwrap();
    assert!(t
        .fit(&mut n, &two_targets)
        .unwrap_err()
        .to_string()
        .contains("the output layer has 1 unit; give each target row 1 value"));
    let mut bce = Trainer::new(Loss::BinaryCrossEntropy, Optimizer::gd(0.1));
    let scores = data::study_sleep_raw();
    let scaled = Dataset::new(data::max_scale(&scores.x), scores.y).unwrap();
    assert!(bce
        .fit(&mut n, &scaled)
        .unwrap_err()
        .to_string()
        .contains("needs targets in [0, 1], but row 0, column 0 is 56"));
    let mut sparse = Trainer::new(Loss::SparseCategoricalCrossEntropy, Optimizer::gd(0.1));
    assert!(sparse
        .fit(&mut n, &data::study_sleep())
        .unwrap_err()
        .to_string()
        .contains("use a softmax output layer"));
    let nan = Dataset::new(array![[1.0, f64::NAN]], array![[1.0]]).unwrap_err();
    assert_eq!(nan.to_string(), "invalid data: the inputs: NaN at row 0, column 1; remove or replace non-finite values before training");
    let empty = Dataset::new(Array2::zeros((0, 2)), Array2::zeros((0, 1))).unwrap_err();
    assert!(empty
        .to_string()
        .contains("a dataset needs at least one row"));
    let ragged = Dataset::new(array![[1.0, 2.0], [3.0, 4.0]], array![[1.0]]).unwrap_err();
    assert!(ragged
        .to_string()
        .contains("the inputs have 2 rows but the targets are (1, 1)"));
    let zero_width = Network::builder(2)
        .dense(0, Activation::Relu)
        .build()
        .unwrap_err();
    assert_eq!(
        zero_width.to_string(),
        "invalid network: layer 1 has 0 units; every layer needs at least 1"
    );
}

#[test]
fn sparse_labels_and_one_hot_targets_train_identically() {
    let d = data::blobs(60, &data::circle_centers(3, 2.0).unwrap(), 0.5, 1).unwrap();
    let build = || {
        Network::builder(2)
            .dense(5, Activation::Relu)
            .dense(3, Activation::Softmax)
            .seed(3)
            .build()
            .unwrap()
    };
    let (mut a, mut b) = (build(), build());
    let trainer = |loss| {
        Trainer::new(loss, Optimizer::adam(0.01))
            .epochs(20)
            .batch_size(8)
    };
    let sparse = trainer(Loss::SparseCategoricalCrossEntropy)
        .fit(&mut a, &d)
        .unwrap();
    let dense = trainer(Loss::CategoricalCrossEntropy)
        .fit(&mut b, &d.one_hot().unwrap())
        .unwrap();
    assert_eq!(sparse.losses(), dense.losses());
    assert_eq!(a, b);
}

#[test]
fn schedules_name_their_epochs() {
    let epochs = |s: Schedule| (1..=10).filter(|&e| s.includes(e)).collect::<Vec<_>>();
    assert_eq!(epochs(Schedule::Every(3)), vec![1, 3, 6, 9]);
    assert_eq!(epochs(Schedule::Every(1)), (1..=10).collect::<Vec<_>>());
    assert_eq!(epochs(Schedule::Every(0)), vec![1]);
    assert_eq!(epochs(Schedule::Never), Vec::<usize>::new());
    assert_eq!(epochs(Schedule::At(vec![2, 7])), vec![2, 7]);
}

/// The trainer takes an epoch's rows in `epoch_order`, or in their own order
/// when told not to shuffle: the same weights as the same steps by hand.
#[test]
fn an_epoch_takes_its_rows_shuffled_or_in_order() {
    let data = eight_rows();
    let by_hand = |order: &[usize]| {
        let mut n = net(3);
        let mut state = OptimizerState::default();
        for rows in order.chunks(3) {
            let x = data.x.select(Axis(0), rows);
            let y = data.y.select(Axis(0), rows);
            let pass = n.forward(&x).unwrap();
            let grads = n.backward(&pass, Loss::BinaryCrossEntropy, &y).unwrap();
            Optimizer::sgd(0.5)
                .step(&mut n, &grads, &mut state)
                .unwrap();
        }
        n
    };
    let trained = |shuffle: bool| {
        let mut n = net(3);
        Trainer::new(Loss::BinaryCrossEntropy, Optimizer::sgd(0.5))
            .epochs(1)
            .batch_size(3)
            .seed(9)
            .shuffle(shuffle)
            .fit(&mut n, &data)
            .unwrap();
        n
    };
    let in_order: Vec<usize> = (0..8).collect();
    let shuffled = nn::train::epoch_order(9, 1, 8);
    assert_ne!(shuffled, in_order);
    assert_eq!(trained(true), by_hand(&shuffled));
    assert_eq!(trained(false), by_hand(&in_order));
    assert_ne!(trained(true), trained(false));
}

#[test]
fn log_spaced_schedules_hold_count_rising_epochs_from_1_to_last() {
    assert_eq!(
        Schedule::log_spaced(8, 100),
        Schedule::At(vec![1, 2, 4, 7, 14, 27, 52, 100])
    );
    // Crowded: nearly every epoch is taken, so each must leave room for the rest.
    for (count, last) in [(50, 60), (10, 12), (30, 100), (5, 5), (3, 2)] {
        let Schedule::At(epochs) = Schedule::log_spaced(count, last) else {
            panic!("log_spaced gives epochs")
        };
        assert_eq!(epochs.len(), count.min(last), "{count} of {last}");
        assert_eq!(
            (epochs[0], *epochs.last().unwrap()),
            (1, last),
            "{count} of {last}"
        );
        assert!(
            epochs.windows(2).all(|w| w[0] < w[1]),
            "{count} of {last}: {epochs:?}"
        );
    }
}

#[test]
fn a_validation_split_of_0_and_a_patience_of_0_are_refused() {
    let refused = |t: Trainer| t.check().unwrap_err().to_string();
    let trainer = || Trainer::new(Loss::Mse, Optimizer::gd(0.1));
    assert!(refused(trainer().validation_split(0.0)).contains("validation split"));
    assert!(refused(trainer().validation_split(0.2).early_stopping(0)).contains("patience"));
    assert!(trainer()
        .validation_split(0.2)
        .early_stopping(1)
        .check()
        .is_ok());
}

#[test]
fn a_history_labels_its_run_and_a_trainer_shows_its_settings() {
    let mut n = net(1);
    let h = Trainer::new(Loss::Mse, Optimizer::adam(0.05))
        .epochs(2)
        .batch_size(3)
        .fit(&mut n, &eight_rows())
        .unwrap();
    assert_eq!(h.label(), "adam η=0.05, batch 3");
    let full = Trainer::new(Loss::Mse, Optimizer::gd(1.5))
        .epochs(1)
        .fit(&mut net(1), &eight_rows())
        .unwrap();
    assert_eq!(full.label(), "gd η=1.5, batch 8");

    let trainer =
        Trainer::new(Loss::Mse, Optimizer::sgd(0.5)).observe(Recorder::new(Schedule::Every(1)));
    let shown = format!("{trainer:?}");
    assert!(
        shown.starts_with("Trainer { config: TrainConfig { loss: Mse"),
        "{shown}"
    );
    assert!(shown.ends_with("observers: 1 }"), "{shown}");
}
