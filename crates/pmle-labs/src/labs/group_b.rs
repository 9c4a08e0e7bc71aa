//! Labs of group B (registered here so that two authors never edit the same list).
//! The modules live in `group_b/`; `common` holds what several of them share.

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
