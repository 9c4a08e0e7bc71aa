//! Helpers shared by the neural-network training labs: candle error mapping, seeded data and weights, a plain
//! multi-layer perceptron made of candle `Var`s, gradient norms and the SGD update. They live
//! here so that each lab file shows only its experiment. Gradients always come from candle's
//! `backward()`; nothing here differentiates by hand.

use candle_core::backprop::GradStore;
use candle_core::{Device, Tensor, Var};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::lab::{Figure, LabError};

/// Candle's errors become the labs' typed compute error (by value, to fit `map_err`).
#[allow(clippy::needless_pass_by_value)]
pub(super) fn ce(e: candle_core::Error) -> LabError {
    LabError::Compute(e.to_string())
}

/// A named figure.
pub(super) fn fig(name: &str, value: f64) -> Figure {
    Figure {
        name: name.to_owned(),
        value,
    }
}

/// One standard-normal draw (Box–Muller), so that data depend only on the seeded generator.
pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A `rows × cols` tensor of f64 on the CPU.
pub(super) fn matrix(rows: usize, cols: usize, data: Vec<f64>) -> Result<Tensor, LabError> {
    Tensor::from_vec(data, (rows, cols), &Device::Cpu).map_err(ce)
}

/// A `rows × cols` tensor of normal draws with standard deviation `std`.
pub(super) fn randn(
    rng: &mut ChaCha8Rng,
    rows: usize,
    cols: usize,
    std: f64,
) -> Result<Tensor, LabError> {
    let data = (0..rows * cols).map(|_| std * normal(rng)).collect();
    matrix(rows, cols, data)
}

/// The value of a one-element tensor.
pub(super) fn scalar(t: &Tensor) -> Result<f64, LabError> {
    t.flatten_all()
        .and_then(|t| t.to_vec1::<f64>())
        .map_err(ce)?
        .first()
        .copied()
        .ok_or_else(|| LabError::Compute("empty tensor".into()))
}

/// Hidden-layer activation functions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Act {
    Sigmoid,
    Relu,
    /// Leaky ReLU with this slope for negative inputs.
    Leaky(f64),
}

impl Act {
    pub(super) fn apply(self, t: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            // σ(x) = (1 + tanh(x/2)) / 2: the same function, without exp overflow.
            Act::Sigmoid => t.affine(0.5, 0.0)?.tanh()?.affine(0.5, 0.5),
            Act::Relu => t.relu(),
            Act::Leaky(slope) => t.relu()? - (t.neg()?.relu()? * slope)?,
        }
    }
}

/// A fully connected network: `ws[i]` is `in × out`, `bs[i]` is `1 × out`.
pub(super) struct Mlp {
    pub(super) ws: Vec<Var>,
    pub(super) bs: Vec<Var>,
}

impl Mlp {
    /// Weights drawn N(0, (gain² / fan_in)), biases zero; `sizes` = input, hidden…, output.
    pub(super) fn new(rng: &mut ChaCha8Rng, sizes: &[usize], gain: f64) -> Result<Self, LabError> {
        let (mut ws, mut bs) = (Vec::new(), Vec::new());
        for pair in sizes.windows(2) {
            let (fan_in, out) = (pair[0], pair[1]);
            let w = randn(rng, fan_in, out, gain / (fan_in as f64).sqrt())?;
            ws.push(Var::from_tensor(&w).map_err(ce)?);
            bs.push(Var::from_tensor(&matrix(1, out, vec![0.0; out])?).map_err(ce)?);
        }
        Ok(Self { ws, bs })
    }

    /// `x · ws[i] + bs[i]`.
    pub(super) fn layer(&self, i: usize, x: &Tensor) -> candle_core::Result<Tensor> {
        x.matmul(&self.ws[i])?.broadcast_add(&self.bs[i])
    }

    /// Plain forward pass: activation after every layer but the last.
    pub(super) fn forward(&self, x: &Tensor, act: Act) -> candle_core::Result<Tensor> {
        let mut h = x.clone();
        for i in 0..self.ws.len() {
            h = self.layer(i, &h)?;
            if i + 1 < self.ws.len() {
                h = act.apply(&h)?;
            }
        }
        Ok(h)
    }

    /// Every parameter, weights then biases.
    pub(super) fn vars(&self) -> Vec<&Var> {
        self.ws.iter().chain(self.bs.iter()).collect()
    }
}

/// Mean squared error between two same-shaped tensors.
pub(super) fn mse(pred: &Tensor, y: &Tensor) -> candle_core::Result<Tensor> {
    (pred - y)?.sqr()?.mean_all()
}

/// Euclidean norm of the gradients of `vars` (missing gradients count as zero).
pub(super) fn grad_norm(grads: &GradStore, vars: &[&Var]) -> Result<f64, LabError> {
    let mut sq = 0.0;
    for v in vars {
        if let Some(g) = grads.get(v.as_tensor()) {
            sq += scalar(&g.sqr().and_then(|s| s.sum_all()).map_err(ce)?)?;
        }
    }
    Ok(sq.sqrt())
}

/// One SGD step `v ← v − lr · ∂L/∂v` for every var.
pub(super) fn sgd(grads: &GradStore, vars: &[&Var], lr: f64) -> Result<(), LabError> {
    for v in vars {
        if let Some(g) = grads.get(v.as_tensor()) {
            let next = (v.as_tensor() - (g * lr).map_err(ce)?).map_err(ce)?;
            v.set(&next).map_err(ce)?;
        }
    }
    Ok(())
}
