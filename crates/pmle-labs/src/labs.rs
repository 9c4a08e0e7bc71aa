//! The labs, one module each. Add a lab: write its module, list it in its group's `LABS`,
//! and give it a test that asserts its phenomenon with numbers.

use crate::lab::Lab;

mod canary;
mod group_a;
mod group_b;

/// Every lab, in the order `pmle lab list` shows them.
pub fn all() -> Vec<&'static dyn Lab> {
    let mut v: Vec<&'static dyn Lab> = Vec::new();
    v.extend_from_slice(group_a::LABS);
    v.extend_from_slice(group_b::LABS);
    v.push(&canary::Canary);
    v
}
