//! A training step allocates nothing: the trainer sizes its buffers on the
//! first step and reuses them after. Counted with a global allocator that
//! counts the calls made by the current thread.
//!
//! Products of more than a few hundred multiply-adds go to matrixmultiply,
//! which allocates a packing buffer inside each call; the last test pins
//! that down to exactly one allocation per such product, none of the crate's.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use nn::prelude::*;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    // try_with: the thread's counter may be gone while the thread exits.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many allocations `f` makes on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// Allocations of a whole `fit` for `epochs` epochs, from a fresh copy of
/// `net`, first without observers and then with one that reads the network
/// and the gradients after every step and every epoch. Both counts must be
/// the same however many epochs run, so both are returned summed.
fn fit_allocations(config: &TrainConfig, epochs: usize, net: &Network, data: &Dataset) -> usize {
    let config = TrainConfig {
        epochs,
        ..config.clone()
    };
    let mut quiet = net.clone();
    let without = allocations(|| {
        Trainer::from_config(config.clone())
            .fit(&mut quiet, data)
            .unwrap();
    });
    let mut watched = net.clone();
    let (mut per_step, mut per_epoch) = (0.0, 0.0);
    let with = allocations(|| {
        Trainer::from_config(config.clone())
            .on_step(|s| {
                per_step += s.gradients.layers[0].weights[[0, 0]];
                ControlFlow::Continue(())
            })
            .on_epoch(|e| {
                per_epoch += e.network.layers[0].weights[[0, 0]] + e.stats.loss;
                ControlFlow::Continue(())
            })
            .fit(&mut watched, data)
            .unwrap();
    });
    assert!(per_step.is_finite() && per_epoch.is_finite());
    assert_eq!(quiet, watched, "observers that only read change nothing");
    without + with
}

#[test]
fn the_original_network_trains_without_allocating_after_its_first_step() {
    let data = data::study_sleep();
    let net = nn::original::OriginalNetwork::new().to_network().unwrap();
    let trainer = Trainer::new(Loss::Mse, Optimizer::gd(1.5)).config().clone();
    let one = fit_allocations(&trainer, 1, &net, &data);
    let many = fit_allocations(&trainer, 1000, &net, &data);
    assert_eq!(many, one, "999 more steps allocated {} times", many - one);
}

#[test]
fn shuffled_mini_batches_adam_softmax_and_validation_allocate_nothing_per_step() {
    let data = data::blobs(30, &data::circle_centers(3, 2.0).unwrap(), 0.5, 1).unwrap();
    let net = Network::builder(2)
        .dense(6, Activation::Tanh)
        .dense(3, Activation::Softmax)
        .seed(3)
        .build()
        .unwrap();
    for loss in [Loss::SparseCategoricalCrossEntropy, Loss::Mse] {
        let data = if loss == Loss::Mse {
            data.one_hot().unwrap()
        } else {
            data.clone()
        };
        for optimizer in [Optimizer::adam(0.01), Optimizer::momentum(0.1)] {
            // 24 training rows in batches of 5: four of 5 and a last one of 4.
            let trainer = Trainer::new(loss, optimizer)
                .batch_size(5)
                .validation_split(0.2)
                .config()
                .clone();
            let one = fit_allocations(&trainer, 1, &net, &data);
            let many = fit_allocations(&trainer, 50, &net, &data);
            assert_eq!(
                many,
                one,
                "{loss} {}: {} more",
                optimizer.name(),
                many - one
            );
        }
    }
}

#[test]
fn above_the_small_size_only_matrixmultiply_allocates_one_buffer_per_product() {
    // 8 → 32 → 4 with batches of 16: each of the step's five products
    // (two forward, three backward) has over 256 multiply-adds.
    let x = Array2::from_shape_fn((64, 8), |(r, c)| ((r * 5 + c * 3) % 11) as f64 / 11.0);
    let y = Array2::from_shape_fn((64, 1), |(r, _)| (r % 4) as f64);
    let data = Dataset::new(x, y).unwrap();
    let net = Network::builder(8)
        .dense(32, Activation::Sigmoid)
        .dense(4, Activation::Softmax)
        .build()
        .unwrap();
    let trainer = Trainer::new(Loss::SparseCategoricalCrossEntropy, Optimizer::sgd(0.1))
        .batch_size(16)
        .config()
        .clone();
    // The process's first large product starts matrixmultiply's thread pool
    // (the `threads` feature), allocating once: not part of any step.
    fit_allocations(&trainer, 1, &net, &data);
    let one = fit_allocations(&trainer, 1, &net, &data);
    let eleven = fit_allocations(&trainer, 11, &net, &data);
    assert_eq!(
        eleven - one,
        2 * 10 * 4 * 5,
        "10 epochs of 4 steps of 5 products, with and without observers"
    );
}
