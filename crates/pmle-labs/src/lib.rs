//! Tools that show a concept instead of telling it. Everything here computes and returns
//! data (figures, series, SVG text); front ends decide how to show it.
//!
//! - [`metrics`]: the classification metrics calculator (confusion matrix, ROC and PR curves).
//! - [`strategy`]: the TensorFlow distribution-strategy chooser from the seed's table.
//! - [`human`]: numbers rounded for people, the one formatter of every text front end.
//! - [`plot`]: SVG line charts for the curves and the labs.
//! - [`lab`] and [`labs`]: small experiments that run on the CPU in about a second.

pub mod human;
pub mod lab;
pub mod labs;
pub mod metrics;
pub mod plot;
pub mod strategy;
