//! Labs on classic models and their decisions: thresholds, class imbalance, feature crosses,
//! k-means and matrix factorization. `common` holds what several of them share.

use crate::lab::Lab;

mod class_imbalance;
mod common;
mod feature_crosses;
mod kmeans;
mod matrix_factorization;
mod threshold;

pub(crate) static LABS: &[&dyn Lab] = &[
    &threshold::Threshold,
    &class_imbalance::ClassImbalance,
    &feature_crosses::FeatureCrosses,
    &kmeans::KMeans,
    &matrix_factorization::MatrixFactorization,
];
