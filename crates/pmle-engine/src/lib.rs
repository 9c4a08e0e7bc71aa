//! pmle's study logic as pure functions.
//!
//! Nothing here reads a clock, a file or a database: callers pass the history, the current
//! time (Unix milliseconds) and a seed, so every decision can be replayed in a test.
//!
//! - [`srs`]: FSRS-6 spaced repetition for flashcards and missed questions.
//! - [`exam_day`]: reviews planned for retention on the exam date.
//! - [`study_plan`]: the daily plan towards an exam date.
//! - [`learning`]: the learning steps new and lapsed flashcards go through first.
//! - [`mastery`]: probability of answering an unseen question, per section and topic.
//! - [`adaptive`]: which question to practise next.
//! - [`exam`]: mock-exam assembly by blueprint weight.
//! - [`readiness`]: predicted exam score with an interval and a verdict.
//! - [`trend`]: each section's mastery then against now, over a window of days.
//! - [`calibrate`]: question difficulties fitted from pooled responses (calibration.toml).
//! - [`item_stats`]: how each question performs over many learners (item analysis).
//! - [`sim`]: synthetic learners that grade the strategies and the readiness estimate.

pub mod adaptive;
pub mod calibrate;
pub mod exam;
pub mod exam_day;
pub mod grading;
pub mod item_stats;
pub mod items;
pub mod learning;
pub mod mastery;
pub mod readiness;
pub mod sim;
pub mod srs;
pub mod study_plan;
pub mod trend;

pub use grading::{grade, shuffled_order};
pub use items::{Calibrated, ItemMeta, ItemStatus, Observation, item_status};
