//! pmle's study logic as pure functions.
//!
//! Nothing here reads a clock, a file or a database: the caller passes the history, the
//! current time and the random source, so every decision can be replayed in a test. This
//! first version orders practice by novelty and recency; the adaptive scheduler (FSRS
//! reviews, mastery, exam assembly) grows here behind the same kind of functions.

pub mod grading;
pub mod selection;

pub use grading::{grade, shuffled_order};
pub use selection::{ItemHistory, practice_order};
