//! Where the first weights come from.
//!
//! Training starts from random weights, and which random numbers those are
//! decides where it ends. Two things matter here:
//!
//! * **Reproducibility.** One `u64` seed gives the same weights, bit for bit,
//!   on every run and every machine.
//! * **Agreement with NumPy.** [`NumpyRng`] reproduces `np.random.seed(s)`
//!   followed by `np.random.randn(...)` / `np.random.random_sample(...)`
//!   exactly, so a network here can start from the very weights a Python
//!   notebook had.
//!
//! ```
//! use nn::init::NumpyRng;
//!
//! // np.random.seed(42); np.random.randn(2)
//! let mut rng = NumpyRng::new(42);
//! assert_eq!(rng.randn(), 0.4967141530112327);
//! assert_eq!(rng.randn(), -0.13826430117118466);
//! ```

use ndarray::Array2;
use rand_mt::Mt;

/// NumPy's legacy generator: MT19937 plus the polar Box–Muller method.
///
/// `np.random.randn` draws two uniforms `x1, x2` in (−1, 1) until
/// `r² = x1² + x2²` lies in (0, 1), then returns `x2·f` and *keeps* `x1·f`
/// (`f = sqrt(−2 ln r² / r²)`) for the next call. Dropping that cached value
/// is the usual way to get out of step with NumPy, so it is kept here too.
///
/// ```
/// use nn::init::NumpyRng;
///
/// // np.random.seed(0); np.random.random_sample()
/// assert_eq!(NumpyRng::new(0).random_sample(), 0.5488135039273248);
/// ```
#[derive(Clone)]
pub struct NumpyRng {
    twister: Mt,
    cached_normal: Option<f64>,
}

impl std::fmt::Debug for NumpyRng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NumpyRng { .. }")
    }
}

impl NumpyRng {
    /// Seeds like `np.random.seed(seed)`.
    ///
    /// NumPy accepts seeds below 2³²; a larger `u64` is fed to the twister as
    /// the two-word key `[low, high]`, as `np.random.seed(np.array([low,
    /// high], dtype=np.uint32))` would.
    pub fn new(seed: u64) -> Self {
        let twister = match u32::try_from(seed) {
            Ok(small) => Mt::new(small),
            Err(_) => Mt::new_with_key([seed as u32, (seed >> 32) as u32]),
        };
        NumpyRng {
            twister,
            cached_normal: None,
        }
    }

    /// Throws away `n` standard-normal draws, as if `np.random.randn(n)` had
    /// been called and its result ignored. Returns `self` for chaining.
    ///
    /// ```
    /// use nn::init::NumpyRng;
    /// let mut a = NumpyRng::new(42).skip_normals(3);
    /// let mut b = NumpyRng::new(42);
    /// for _ in 0..3 { b.randn(); }
    /// assert_eq!(a.randn(), b.randn());
    /// ```
    pub fn skip_normals(mut self, n: usize) -> Self {
        for _ in 0..n {
            self.randn();
        }
        self
    }

    /// A double in [0, 1) with 53 random bits, like `np.random.random_sample()`:
    /// `((a >> 5) · 2²⁶ + (b >> 6)) / 2⁵³` from two 32-bit draws.
    pub fn random_sample(&mut self) -> f64 {
        let a = (self.twister.next_u32() >> 5) as f64;
        let b = (self.twister.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// A standard-normal draw, like `np.random.randn()`.
    pub fn randn(&mut self) -> f64 {
        if let Some(cached) = self.cached_normal.take() {
            return cached;
        }
        loop {
            let x1 = 2.0 * self.random_sample() - 1.0;
            let x2 = 2.0 * self.random_sample() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * r2.ln() / r2).sqrt();
                self.cached_normal = Some(f * x1);
                return f * x2;
            }
        }
    }

    /// A `rows × cols` matrix of standard-normal draws, filled row by row like
    /// `np.random.randn(rows, cols)`.
    pub fn randn_matrix(&mut self, rows: usize, cols: usize) -> Array2<f64> {
        Array2::from_shape_simple_fn((rows, cols), || self.randn())
    }

    /// A `rows × cols` matrix uniform in [low, high), like
    /// `np.random.uniform(low, high, (rows, cols))`.
    pub fn uniform_matrix(&mut self, rows: usize, cols: usize, low: f64, high: f64) -> Array2<f64> {
        Array2::from_shape_simple_fn((rows, cols), || low + (high - low) * self.random_sample())
    }
}

/// How a layer's weight matrix (inputs × outputs) is first filled.
///
/// Biases always start at zero: a random bias adds nothing that random
/// weights do not already give, and zero keeps the draws in step with a NumPy
/// notebook that has no bias at all.
///
/// | initializer | draw | scale |
/// | --- | --- | --- |
/// | `StandardNormal` | N(0, 1) | 1 |
/// | `XavierUniform` | U(−l, l) | l = √(6 / (in + out)) |
/// | `XavierNormal` | N(0, σ²) | σ = √(2 / (in + out)) |
/// | `HeNormal` | N(0, σ²) | σ = √(2 / in) |
/// | `Uniform(a, b)` | U(a, b) | |
/// | `Zeros` | 0 | |
///
/// ```
/// use nn::init::{Init, NumpyRng};
///
/// let w = Init::HeNormal.weights(4, 3, &mut NumpyRng::new(1));
/// assert_eq!(w.dim(), (4, 3));
/// // He normal is the standard normal scaled by √(2 / fan_in).
/// let z = Init::StandardNormal.weights(4, 3, &mut NumpyRng::new(1));
/// assert_eq!(w[[0, 0]], z[[0, 0]] * (2.0f64 / 4.0).sqrt());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "files", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "files", serde(rename_all = "snake_case"))]
pub enum Init {
    /// `np.random.randn(in, out)`: what the original notebook uses.
    StandardNormal,
    /// Glorot & Bengio (2010), uniform: keeps the variance of activations
    /// and of gradients alike from layer to layer, for sigmoid and tanh.
    XavierUniform,
    /// Glorot & Bengio (2010), normal.
    XavierNormal,
    /// He et al. (2015): twice Xavier's variance for ReLU, which zeroes half
    /// of its inputs.
    HeNormal,
    /// Uniform in [low, high).
    Uniform(f64, f64),
    /// All zeros: every hidden unit then computes the same thing and gets the
    /// same gradient, so they never become different. Here to show that.
    Zeros,
}

impl Init {
    /// A `fan_in × fan_out` weight matrix drawn from `rng`.
    pub fn weights(self, fan_in: usize, fan_out: usize, rng: &mut NumpyRng) -> Array2<f64> {
        let (i, o) = (fan_in as f64, fan_out as f64);
        match self {
            Init::StandardNormal => rng.randn_matrix(fan_in, fan_out),
            Init::XavierNormal => rng.randn_matrix(fan_in, fan_out) * (2.0 / (i + o)).sqrt(),
            Init::HeNormal => rng.randn_matrix(fan_in, fan_out) * (2.0 / i).sqrt(),
            Init::XavierUniform => {
                let limit = (6.0 / (i + o)).sqrt();
                rng.uniform_matrix(fan_in, fan_out, -limit, limit)
            }
            Init::Uniform(low, high) => rng.uniform_matrix(fan_in, fan_out, low, high),
            Init::Zeros => Array2::zeros((fan_in, fan_out)),
        }
    }

    /// Checks the parameters of [`Init::Uniform`]: finite, with low < high.
    ///
    /// ```
    /// use nn::init::Init;
    /// assert!(Init::Uniform(1.0, -1.0).check().is_err());
    /// assert!(Init::HeNormal.check().is_ok());
    /// ```
    pub fn check(self) -> crate::Result<()> {
        match self {
            Init::Uniform(low, high) if !(low.is_finite() && high.is_finite() && low < high) => {
                Err(crate::Error::InvalidParameter {
                    name: "Init::Uniform(low, high)",
                    value: format!("({low}, {high})"),
                    valid: "finite with low < high",
                })
            }
            _ => Ok(()),
        }
    }

    /// Every initializer that needs no numbers, so that a name alone gives
    /// it (all but [`Init::Uniform`]).
    pub const NAMED: [Init; 5] = [
        Init::StandardNormal,
        Init::XavierUniform,
        Init::XavierNormal,
        Init::HeNormal,
        Init::Zeros,
    ];

    /// The name used in messages, plots and model files.
    ///
    /// ```
    /// assert_eq!(nn::init::Init::HeNormal.name(), "he_normal");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Init::StandardNormal => "standard_normal",
            Init::XavierUniform => "xavier_uniform",
            Init::XavierNormal => "xavier_normal",
            Init::HeNormal => "he_normal",
            Init::Uniform(..) => "uniform",
            Init::Zeros => "zeros",
        }
    }
}

/// An initializer of [`Init::NAMED`] by its [`name`](Init::name), with `-`
/// or `_` between the words (`xavier-uniform`, `xavier_uniform`).
///
/// ```
/// use nn::init::Init;
/// assert_eq!("he-normal".parse::<Init>()?, Init::HeNormal);
/// assert_eq!("xavier_uniform".parse::<Init>()?, Init::XavierUniform);
/// assert!("uniform".parse::<Init>().is_err()); // it needs its bounds: Init::Uniform(low, high)
/// # Ok::<(), nn::Error>(())
/// ```
impl std::str::FromStr for Init {
    type Err = crate::Error;

    fn from_str(name: &str) -> crate::Result<Init> {
        let wanted = name.replace('-', "_");
        Init::NAMED
            .into_iter()
            .find(|init| init.name() == wanted)
            .ok_or(crate::Error::InvalidParameter {
                name: "initializer",
                value: name.to_string(),
                valid: "one of standard_normal, xavier_uniform, xavier_normal, he_normal, zeros \
                        (Init::Uniform(low, high) needs its bounds, so it has no name alone)",
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_numpy_seed_42_first_draws() {
        // np.random.seed(42); np.random.randn(5)
        let expected = [
            0.4967141530112327,
            -0.13826430117118466,
            0.6476885381006925,
            1.5230298564080254,
            -0.23415337472333597,
        ];
        let mut rng = NumpyRng::new(42);
        for e in expected {
            assert_eq!(rng.randn(), e);
        }
    }

    #[test]
    fn matches_the_original_notebooks_weights_after_45_draws() {
        let mut rng = NumpyRng::new(42).skip_normals(45);
        let w1 = rng.randn_matrix(2, 3);
        let w2 = rng.randn_matrix(3, 1);
        assert_eq!(w1[[0, 0]], -0.7198442083947086);
        assert_eq!(w1[[1, 2]], 0.324083969394795);
        assert_eq!(w2[[2, 0]], 0.6116762888408679);
    }

    #[test]
    fn numpy_random_sample_seed_0() {
        // np.random.seed(0); np.random.random_sample(3)
        let mut rng = NumpyRng::new(0);
        assert_eq!(rng.random_sample(), 0.5488135039273248);
        assert_eq!(rng.random_sample(), 0.7151893663724195);
        assert_eq!(rng.random_sample(), 0.6027633760716439);
    }

    #[test]
    fn large_seeds_use_both_halves() {
        let a = NumpyRng::new(1 << 32).randn();
        let b = NumpyRng::new(2 << 32).randn();
        assert_ne!(a, b);
    }

    #[test]
    fn xavier_uniform_stays_within_its_limit() {
        let w = Init::XavierUniform.weights(30, 20, &mut NumpyRng::new(3));
        let limit = (6.0f64 / 50.0).sqrt();
        assert!(w.iter().all(|v| v.abs() < limit));
    }
}
