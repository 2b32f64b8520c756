//! Watching training: observers see every epoch and step in order and can
//! stop it, early stopping gives back the best weights, and snapshots hold
//! the network exactly as it was.

use std::ops::ControlFlow;

use nn::prelude::*;
use nn::snapshot::LayerHealth;

fn moons() -> Dataset {
    data::moons(120, 0.15, 5).unwrap()
}

fn moons_net(seed: u64) -> Network {
    Network::builder(2)
        .dense(8, Activation::Tanh)
        .dense(8, Activation::Tanh)
        .dense(1, Activation::Sigmoid)
        .seed(seed)
        .build()
        .unwrap()
}

fn adam() -> Trainer<'static> {
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.02)).batch_size(16)
}

#[test]
fn observers_see_every_epoch_and_step_in_order() {
    let (mut epochs, mut steps) = (Vec::new(), Vec::new());
    let mut net = moons_net(1);
    let history = adam()
        .epochs(7)
        .on_epoch(|e| {
            epochs.push((e.stats.epoch, e.stats.loss));
            ControlFlow::Continue(())
        })
        .on_step(|s| {
            steps.push((s.epoch, s.step, s.loss));
            ControlFlow::Continue(())
        })
        .fit(&mut net, &moons())
        .unwrap();
    let want: Vec<(usize, f64)> = history.epochs.iter().map(|e| (e.epoch, e.loss)).collect();
    assert_eq!(epochs, want);
    // 120 rows in batches of 16: 8 steps an epoch (the last of 8 rows).
    assert_eq!(steps.len(), 7 * 8);
    for (i, &(epoch, step, loss)) in steps.iter().enumerate() {
        assert_eq!((epoch, step), (i / 8 + 1, i + 1));
        assert_eq!(loss, history.steps[i]);
    }
}

#[test]
fn an_observer_can_stop_training_and_the_network_is_as_it_saw_it() {
    let mut seen: Option<Network> = None;
    let mut net = moons_net(2);
    let history = adam()
        .epochs(100)
        .on_epoch(|e| {
            if e.stats.epoch == 12 {
                seen = Some(e.network.clone());
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .fit(&mut net, &moons())
        .unwrap();
    assert_eq!(history.epochs.len(), 12);
    assert_eq!(seen.unwrap(), net);
    // The same 12 epochs without an observer end on the same bits.
    let mut plain = moons_net(2);
    adam().epochs(12).fit(&mut plain, &moons()).unwrap();
    assert_eq!(plain, net);

    // A step observer can stop in the middle of an epoch.
    let mut net = moons_net(2);
    let history = adam()
        .epochs(5)
        .on_step(|s| {
            if s.step == 11 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .fit(&mut net, &moons())
        .unwrap();
    assert_eq!(history.steps.len(), 11);
    assert_eq!(history.epochs.len(), 1, "only the first epoch was finished");
}

#[test]
fn the_event_shows_the_last_steps_update() {
    let mut checked = 0;
    let mut net = moons_net(3);
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::gd(0.5))
        .epochs(5)
        .on_epoch(|e| {
            // GD: W = W_before − η ∂L/∂W, computed the same way, to the bit.
            for ((now, before), g) in e
                .network
                .layers
                .iter()
                .zip(&e.before_last_step.layers)
                .zip(&e.gradients.layers)
            {
                assert_eq!(now.weights, &before.weights - &(0.5 * &g.weights));
            }
            checked += 1;
            ControlFlow::Continue(())
        })
        .fit(&mut net, &moons())
        .unwrap();
    assert_eq!(checked, 5);
}

#[test]
fn early_stopping_gives_back_the_weights_of_the_best_epoch() {
    let data = data::moons(200, 0.35, 8).unwrap();
    let build = || {
        Network::builder(2)
            .dense(64, Activation::Relu)
            .dense(1, Activation::Sigmoid)
            .seed(4)
            .build()
            .unwrap()
    };
    let trainer = || {
        Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05))
            .epochs(3000)
            .validation_split(0.3)
    };
    let mut recorder = Recorder::new(Schedule::Every(1));
    let mut net = build();
    let history = trainer()
        .early_stopping(25)
        .observe(&mut recorder)
        .fit(&mut net, &data)
        .unwrap();
    let best = history.best_epoch.expect("it stopped early");
    let val: Vec<f64> = history.val_losses();
    let lowest = val.iter().copied().fold(f64::INFINITY, f64::min);
    assert_eq!(
        val[best - 1],
        lowest,
        "the best epoch has the lowest validation loss"
    );
    assert_eq!(
        history.epochs.len(),
        best + 25,
        "25 epochs without improvement"
    );
    assert!(history.epochs.len() < 3000);
    let recording = recorder.finish();
    let snapshot = &recording.snapshots[best - 1];
    assert_eq!(snapshot.stats.epoch, best);
    assert_eq!(
        snapshot.network, net,
        "the network holds the best epoch's weights"
    );

    // Without a validation split there is nothing to watch.
    let err = Trainer::new(Loss::BinaryCrossEntropy, Optimizer::adam(0.05))
        .early_stopping(5)
        .fit(&mut build(), &data)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid early stopping = without a validation split: it must be used with \
         .validation_split(fraction): it watches the validation loss"
    );
}

#[test]
fn a_snapshot_holds_the_network_of_its_epoch_to_the_bit() {
    let mut recorder = Recorder::new(Schedule::At(vec![1, 10, 40]));
    let mut net = moons_net(5);
    adam()
        .epochs(40)
        .observe(&mut recorder)
        .fit(&mut net, &moons())
        .unwrap();
    let recording = recorder.finish();
    assert_eq!(recording.epochs.len(), 40);
    let epochs: Vec<usize> = recording.snapshots.iter().map(|s| s.stats.epoch).collect();
    assert_eq!(epochs, vec![1, 10, 40]);
    for snapshot in &recording.snapshots {
        let mut again = moons_net(5);
        adam()
            .epochs(snapshot.stats.epoch)
            .fit(&mut again, &moons())
            .unwrap();
        assert_eq!(snapshot.network, again, "epoch {}", snapshot.stats.epoch);
    }
    assert_eq!(recording.at(25).unwrap().stats.epoch, 10);
    assert_eq!(recording.data.as_ref().unwrap(), &moons());
}

#[test]
fn a_snapshot_measures_each_layers_health() {
    let data = moons();
    let mut recorder = Recorder::new(Schedule::At(vec![3]));
    let mut net = Network::builder(2)
        .dense(6, Activation::Relu)
        .dense(1, Activation::Sigmoid)
        .seed(6)
        .build()
        .unwrap();
    let mut seen = None;
    Trainer::new(Loss::BinaryCrossEntropy, Optimizer::gd(0.3))
        .epochs(3)
        .observe(&mut recorder)
        .on_epoch(|e| {
            seen = Some((
                e.network.clone(),
                e.before_last_step.clone(),
                e.gradients.clone(),
            ));
            ControlFlow::Continue(())
        })
        .fit(&mut net, &data)
        .unwrap();
    let (now, before, grads) = seen.unwrap();
    let snapshot = &recorder.recording().snapshots[0];
    let norm = |m: &Array2<f64>| m.iter().map(|v| v * v).sum::<f64>().sqrt();
    let pass = now.forward(&data.x).unwrap();
    for (l, health) in snapshot.layers.iter().enumerate() {
        let LayerHealth {
            gradient_norm,
            update_ratio,
            saturated,
            dead,
            activations,
        } = health;
        assert_eq!(*gradient_norm, norm(&grads.layers[l].weights));
        let change = &now.layers[l].weights - &before.layers[l].weights;
        assert_eq!(
            *update_ratio,
            norm(&change) / norm(&before.layers[l].weights)
        );
        assert_eq!(
            activations.counts.iter().sum::<usize>(),
            pass.layers[l].a.len()
        );
        let a = &pass.layers[l].a;
        if l == 0 {
            assert_eq!(*saturated, None);
            let dead_units = a
                .columns()
                .into_iter()
                .filter(|c| c.iter().all(|&v| v == 0.0))
                .count();
            assert_eq!(*dead, Some(dead_units as f64 / 6.0));
        } else {
            let near = a.iter().filter(|&&v| !(0.01..=0.99).contains(&v)).count();
            assert_eq!(*saturated, Some(near as f64 / a.len() as f64));
            assert_eq!(*dead, None);
        }
    }
}

#[test]
fn deep_sigmoid_layers_show_their_vanishing_gradient_and_relu_its_dead_units() {
    let data = moons();
    let deep = |activation| {
        let mut b = Network::builder(2).init(Init::StandardNormal).seed(7);
        for _ in 0..6 {
            b = b.dense(16, activation);
        }
        b.dense(1, Activation::Sigmoid).build().unwrap()
    };
    let health = |activation| {
        let mut recorder = Recorder::new(Schedule::At(vec![1]));
        Trainer::new(Loss::BinaryCrossEntropy, Optimizer::sgd(0.1))
            .epochs(1)
            .observe(&mut recorder)
            .fit(&mut deep(activation), &data)
            .unwrap();
        recorder.finish().snapshots.remove(0).layers
    };
    let sigmoid = health(Activation::Sigmoid);
    // The gradient shrinks from the output layer back to the first.
    assert!(
        sigmoid[0].gradient_norm < sigmoid[5].gradient_norm / 10.0,
        "{sigmoid:?}"
    );
    let relu = health(Activation::Relu);
    assert!(relu[..6].iter().all(|l| l.saturated.is_none()));
    assert!(
        relu[6].saturated.is_some(),
        "the sigmoid output layer can saturate"
    );
    assert!(relu[..6].iter().all(|l| l.dead.is_some()));
}

#[test]
fn log_spaced_schedules_are_dense_early_and_end_at_the_last_epoch() {
    for (count, last) in [(1, 1), (1, 10), (5, 3), (50, 500), (10, 100_000)] {
        let Schedule::At(epochs) = Schedule::log_spaced(count, last) else {
            panic!("log_spaced gives a list")
        };
        assert_eq!(epochs.len(), count.min(last), "{count} of {last}");
        assert_eq!(*epochs.last().unwrap(), last);
        assert_eq!(epochs[0], if count == 1 { last } else { 1 });
        assert!(epochs.windows(2).all(|w| w[0] < w[1]), "{epochs:?}");
    }
}
