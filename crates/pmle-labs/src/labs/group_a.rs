//! Labs of group A (registered here so that two authors never edit the same list).

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
