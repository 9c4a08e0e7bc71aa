//! `pmle settings [set KEY VALUE]`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::Cli;
use crate::context::open_app;

pub(crate) fn run(cli: &Cli, as_json: bool, change: &[String]) -> Result<ExitCode> {
    let mut app = open_app(cli, Some(0))?;
    let mut settings = app.settings()?;
    match change {
        [] => {}
        [verb, key, value] if verb == "set" => {
            settings.set(key, value)?;
            app.save_settings(&settings)?;
        }
        _ => bail!(
            "usage: pmle settings [set KEY VALUE], e.g. pmle settings set desired_retention 0.85"
        ),
    }
    let mut out = std::io::stdout().lock();
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&settings)?)?;
    } else {
        let value = serde_json::to_value(&settings)?;
        for (k, v) in value.as_object().into_iter().flatten() {
            writeln!(out, "{k:<20} {v}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
