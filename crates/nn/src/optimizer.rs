//! Optimizers.
/// placeholder
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Optimizer {
    Sgd { learning_rate: f64 },
}
impl Optimizer {
    /// gd
    pub fn gd(learning_rate: f64) -> Self {
        Optimizer::Sgd { learning_rate }
    }
}
