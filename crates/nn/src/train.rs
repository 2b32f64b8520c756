//! Training.
use crate::prelude::*;
/// placeholder
pub struct Trainer;
/// placeholder
pub enum Schedule {}
/// placeholder
pub struct History;
impl Trainer {
    /// x
    pub fn new(_l: Loss, _o: Optimizer) -> Self {
        Trainer
    }
}
