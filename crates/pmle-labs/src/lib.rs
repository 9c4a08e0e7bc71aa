//! Tools that show a concept instead of telling it. Everything here computes and returns
//! data (figures, series, SVG text); front ends decide how to show it.
//!
//! - [`metrics`]: the classification metrics calculator (confusion matrix, ROC and PR curves).
//! - [`strategy`]: the TensorFlow distribution-strategy chooser from the seed's table.
//! - [`plot`]: SVG line charts for the curves.

pub mod metrics;
pub mod plot;
pub mod strategy;
