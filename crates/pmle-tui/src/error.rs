//! The errors [`run`](crate::run) can return.

use pmle_app::AppError;

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The terminal could not be set up, read or drawn on.
    #[error(
        "the terminal could not be used ({0}); run pmle in an interactive terminal, or use `pmle stats` when output is piped"
    )]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    App(#[from] AppError),
}
