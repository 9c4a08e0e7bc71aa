//! Labs on training neural networks (small candle MLPs): regularisation, vanishing, exploding
//! and dead gradients, overfitting and feature attributions.

use crate::lab::Lab;

mod attributions;
mod common;
mod dead_relu;
mod exploding;
mod l1_vs_l2;
mod overfitting;
mod vanishing;

pub(crate) static LABS: &[&dyn Lab] = &[
    &l1_vs_l2::L1VsL2,
    &vanishing::Vanishing,
    &dead_relu::DeadRelu,
    &exploding::Exploding,
    &overfitting::Overfitting,
    &attributions::Attributions,
];
