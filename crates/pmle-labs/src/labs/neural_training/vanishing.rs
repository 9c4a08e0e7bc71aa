//! Vanishing gradients: per-layer gradient norms of a 10-layer sigmoid network against the same
//! network with ReLU, from one backward pass. Why: the exam describes "early layers barely
//! learn, their gradients are orders of magnitude smaller" and expects ReLU (plus sensible
//! initialisation, batch normalisation or residual connections) as the fix.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::common::{Act, Mlp, ce, fig, grad_norm, mse, randn};
use crate::lab::{Chart, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct Vanishing;

const ID: &str = "vanishing-gradients";
const TITLE: &str = "Vanishing gradients: sigmoid vs ReLU in a 10-layer network";
const ROWS: usize = 256;
const INPUTS: usize = 16;
const WIDTH: usize = 32;
const LAYERS: usize = 10;

/// Gradient norm of every weight matrix, first layer first, after one backward pass.
fn layer_grad_norms(
    mlp: &Mlp,
    x: &candle_core::Tensor,
    y: &candle_core::Tensor,
    act: Act,
) -> Result<Vec<f64>, LabError> {
    let loss = mse(&mlp.forward(x, act).map_err(ce)?, y).map_err(ce)?;
    let grads = loss.backward().map_err(ce)?;
    mlp.ws.iter().map(|w| grad_norm(&grads, &[w])).collect()
}

impl Lab for Vanishing {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: ID,
            title: TITLE,
            shows: "sigmoid gradients shrink layer by layer towards the input; ReLU's do not",
            questions: &["s3-m-nn-001", "s3-m-nn-009", "s3-m-nn-006"],
            notes: &["neural-networks"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x = randn(&mut rng, ROWS, INPUTS, 1.0)?;
        // A target that depends on the inputs: the sign of the sum of the first four features.
        let first4 = x
            .narrow(1, 0, 4)
            .and_then(|t| t.sum_keepdim(1))
            .map_err(ce)?;
        let y = first4
            .ge(0.0)
            .and_then(|t| t.to_dtype(candle_core::DType::F64))
            .map_err(ce)?;
        let mut sizes = vec![INPUTS];
        sizes.extend(std::iter::repeat_n(WIDTH, LAYERS - 1));
        sizes.push(1);
        // The same initial weights (He scaling) for both networks: only the activation differs.
        let mlp = Mlp::new(&mut rng, &sizes, 2f64.sqrt())?;
        let sig = layer_grad_norms(&mlp, &x, &y, Act::Sigmoid)?;
        let relu = layer_grad_norms(&mlp, &x, &y, Act::Relu)?;
        let ratio = |g: &[f64]| g[LAYERS - 1] / g[0];
        let (sig_ratio, relu_ratio) = (ratio(&sig), ratio(&relu));
        let line = |name: &str, g: &[f64]| Line {
            name: name.into(),
            points: g
                .iter()
                .enumerate()
                .map(|(i, v)| ((i + 1) as f64, *v))
                .collect(),
        };
        Ok(LabResult {
            id: ID,
            title: TITLE,
            seed,
            headline: format!(
                "with sigmoid the first layer's gradient is {sig_ratio:.0}× smaller than the last layer's; with ReLU the last/first ratio is {relu_ratio:.2}"
            ),
            lesson: "Backpropagation multiplies one factor per layer on the way back to the \
                     input. The sigmoid's slope is at most 0.25, so each layer scales the \
                     gradient down and after ten layers the first layer receives almost nothing: \
                     its weights barely move, which is the vanishing-gradient symptom the exam \
                     describes (tiny early-layer gradients in TensorBoard histograms, loss that \
                     plateaus early). ReLU has slope 1 for active units, so with He \
                     initialisation the gradient keeps its size through depth. The usual \
                     remedies are ReLU-family activations, good initialisation, batch \
                     normalisation and residual connections; LSTM/GRU gates play this role in \
                     recurrent models.",
            figures: vec![
                fig("sigmoid_first_layer_grad_norm", sig[0]),
                fig("sigmoid_last_layer_grad_norm", sig[LAYERS - 1]),
                fig("sigmoid_last_over_first", sig_ratio),
                fig("relu_first_layer_grad_norm", relu[0]),
                fig("relu_last_layer_grad_norm", relu[LAYERS - 1]),
                fig("relu_last_over_first", relu_ratio),
            ],
            charts: vec![Chart {
                title: "Gradient norm of each layer's weights (one backward pass)".into(),
                x_label: "layer (1 = next to the input)".into(),
                y_label: "‖∂loss/∂W‖ (log scale)".into(),
                log_y: true,
                lines: vec![line("sigmoid", &sig), line("ReLU", &relu)],
            }],
            questions: &["s3-m-nn-001", "s3-m-nn-009", "s3-m-nn-006"],
            notes: &["neural-networks"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_gradients_vanish_and_relu_gradients_do_not() {
        for seed in 1..=4 {
            let r = Vanishing.run(seed).unwrap();
            let s = r.figure("sigmoid_last_over_first").unwrap();
            let q = r.figure("relu_last_over_first").unwrap();
            assert!(s >= 100.0, "seed {seed}: {}", r.headline);
            assert!(q < 100.0 && q > 0.01, "seed {seed}: {}", r.headline);
            assert!(s > 10.0 * q, "seed {seed}: {}", r.headline);
        }
        assert_eq!(Vanishing.run(2).unwrap(), Vanishing.run(2).unwrap());
    }
}
