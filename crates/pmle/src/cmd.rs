//! One module per subcommand; each returns the process exit code.

mod check;
mod practice;
mod search;
mod stats;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};

pub(crate) fn run(cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        None => stats::status(cli),
        Some(Command::Practice {
            section,
            count,
            seed,
        }) => practice::run(cli, section.as_deref(), *count, *seed),
        Some(Command::Stats { json }) => stats::run(cli, *json),
        Some(Command::Search { query, json, limit }) => {
            search::run(cli, &query.join(" "), *json, *limit)
        }
        Some(Command::Check { json }) => check::run(cli, *json),
    }
}
