//! Helpers shared by the classic-model labs: seeded normal draws, an Adam update over candle `Var`s
//! (candle's autodiff computes every gradient; nothing here differentiates by hand) and a
//! logistic regression built on it, so each lab stays about its concept.

use candle_core::{DType, Device, Tensor, Var};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::lab::LabError;

/// Candle's errors become the lab's typed error.
#[expect(
    clippy::needless_pass_by_value,
    reason = "used as `map_err(ce)`, which hands over the error by value"
)]
pub(super) fn ce(e: candle_core::Error) -> LabError {
    LabError::Compute(e.to_string())
}

/// One standard normal draw (Box–Muller), so data depends only on the seed.
pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Adam over a few variables; `step` calls `backward` on the loss and applies the update.
pub(super) struct Adam {
    vars: Vec<Var>,
    m: Vec<Tensor>,
    v: Vec<Tensor>,
    t: i32,
    lr: f64,
}

impl Adam {
    pub(super) fn new(vars: Vec<Var>, lr: f64) -> Result<Self, LabError> {
        let zeros = |v: &Var| v.as_tensor().zeros_like().map_err(ce);
        let m = vars.iter().map(zeros).collect::<Result<Vec<_>, _>>()?;
        let v = vars.iter().map(zeros).collect::<Result<Vec<_>, _>>()?;
        Ok(Adam {
            vars,
            m,
            v,
            t: 0,
            lr,
        })
    }

    pub(super) fn step(&mut self, loss: &Tensor) -> Result<(), LabError> {
        const B1: f64 = 0.9;
        const B2: f64 = 0.999;
        let grads = loss.backward().map_err(ce)?;
        self.t += 1;
        let (c1, c2) = (1.0 - B1.powi(self.t), 1.0 - B2.powi(self.t));
        for ((var, m), v) in self.vars.iter().zip(&mut self.m).zip(&mut self.v) {
            let Some(g) = grads.get(var.as_tensor()) else {
                continue;
            };
            *m = ((&*m * B1).map_err(ce)? + (g * (1.0 - B1)).map_err(ce)?).map_err(ce)?;
            *v = ((&*v * B2).map_err(ce)? + (g.sqr().map_err(ce)? * (1.0 - B2)).map_err(ce)?)
                .map_err(ce)?;
            let denom = ((&*v / c2).map_err(ce)?.sqrt().map_err(ce)? + 1e-8).map_err(ce)?;
            let update = ((&*m / c1).map_err(ce)? / denom).map_err(ce)?;
            let next = (var.as_tensor() - (update * self.lr).map_err(ce)?).map_err(ce)?;
            var.set(&next).map_err(ce)?;
        }
        Ok(())
    }
}

/// A fitted logistic regression and its training loss per epoch.
pub(super) struct LogReg {
    pub(super) w: Vec<f64>,
    pub(super) b: f64,
    pub(super) losses: Vec<f64>,
}

impl LogReg {
    /// Predicted probability of the positive class.
    pub(super) fn prob(&self, x: &[f64]) -> f64 {
        let z = self.b + self.w.iter().zip(x).map(|(w, x)| w * x).sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// Logistic regression by full-batch Adam on the (optionally sample-weighted) log loss.
pub(super) fn train_logreg(
    x: &[Vec<f64>],
    y: &[bool],
    sample_weight: Option<&[f64]>,
    epochs: usize,
    lr: f64,
) -> Result<LogReg, LabError> {
    let dev = Device::Cpu;
    let (n, d) = (x.len(), x.first().map_or(0, Vec::len));
    let xs = Tensor::from_vec(x.concat(), (n, d), &dev).map_err(ce)?;
    let ys: Vec<f64> = y.iter().map(|&l| f64::from(u8::from(l))).collect();
    let ys = Tensor::from_vec(ys, (n, 1), &dev).map_err(ce)?;
    let sw: Vec<f64> = sample_weight.map_or_else(|| vec![1.0; n], <[f64]>::to_vec);
    let total: f64 = sw.iter().sum();
    let sw = Tensor::from_vec(sw, (n, 1), &dev).map_err(ce)?;
    let w = Var::zeros((d, 1), DType::F64, &dev).map_err(ce)?;
    let b = Var::zeros((1, 1), DType::F64, &dev).map_err(ce)?;
    let mut opt = Adam::new(vec![w.clone(), b.clone()], lr)?;
    let mut losses = Vec::with_capacity(epochs);
    for _ in 0..epochs {
        let z = xs
            .matmul(w.as_tensor())
            .and_then(|z| z.broadcast_add(b.as_tensor()))
            .map_err(ce)?;
        // Stable log loss from logits: max(z, 0) − y·z + ln(1 + e^{−|z|}).
        let soft = (z.abs().and_then(|a| a.neg()?.exp()).map_err(ce)? + 1.0)
            .and_then(|t| t.log())
            .map_err(ce)?;
        let per =
            ((z.relu().map_err(ce)? - (&z * &ys).map_err(ce)?).map_err(ce)? + soft).map_err(ce)?;
        let loss = ((per * &sw).and_then(|t| t.sum_all()).map_err(ce)? / total).map_err(ce)?;
        losses.push(loss.to_scalar::<f64>().map_err(ce)?);
        opt.step(&loss)?;
    }
    let w = w
        .as_tensor()
        .flatten_all()
        .and_then(|t| t.to_vec1::<f64>())
        .map_err(ce)?;
    let b = b
        .as_tensor()
        .flatten_all()
        .and_then(|t| t.to_vec1::<f64>())
        .map_err(ce)?
        .first()
        .copied()
        .unwrap_or(0.0);
    Ok(LogReg { w, b, losses })
}

/// Accuracy, precision and recall of hard predictions (precision 0 when nothing is flagged).
pub(super) fn scores(pred: &[bool], y: &[bool]) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fn_, mut correct) = (0.0, 0.0, 0.0, 0.0);
    for (&p, &l) in pred.iter().zip(y) {
        match (p, l) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            (false, false) => {}
        }
        correct += f64::from(u8::from(p == l));
    }
    let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let recall = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    (correct / y.len().max(1) as f64, precision, recall)
}
