//! pmle's full-screen terminal UI.
//!
//! [`Tui`] is a state machine: [`Tui::handle_key`] maps a key to a call on
//! [`pmle_app::App`] and [`Tui::draw`] renders the current screen. Neither touches the
//! terminal, so every screen is tested on ratatui's `TestBackend`. [`run`] owns the real
//! terminal: raw mode, the alternate screen, a guard and a panic hook that restore it.
//!
//! The UI holds no study logic: the next question, grading, the schedule, the exam clock and
//! readiness all come from `App`. It writes no log; errors are shown on the status line.

mod error;
mod markdown;
mod screens;
mod terminal;
mod theme;
mod tui;
mod widgets;

pub use error::TuiError;
pub use terminal::run;
pub use theme::Theme;
pub use tui::{Action, Tui};
