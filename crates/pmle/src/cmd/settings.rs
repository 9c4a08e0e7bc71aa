//! `pmle settings [set KEY VALUE | reset KEY | reset --all]`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::Cli;
use crate::context::open_app_to_repair;

const USAGE: &str = "usage: pmle settings [set KEY VALUE | reset KEY | reset --all], e.g. pmle settings set desired_retention 0.85 or pmle settings set exam_date 2027-03-15";

pub(crate) fn run(cli: &Cli, as_json: bool, change: &[String], all: bool) -> Result<ExitCode> {
    let mut app = open_app_to_repair(cli, Some(0))?;
    match (change, all) {
        ([], false) => {}
        ([verb, key, value], false) if verb == "set" => {
            app.set_setting(key, value)?;
        }
        ([verb, key], false) if verb == "reset" => app.reset_settings(Some(key))?,
        ([verb], true) if verb == "reset" => app.reset_settings(None)?,
        _ => bail!(USAGE),
    }
    let settings = app.settings()?;
    let mut out = std::io::stdout().lock();
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&settings)?)?;
    } else {
        let value = serde_json::to_value(&settings)?;
        for (k, v) in value.as_object().into_iter().flatten() {
            writeln!(out, "{k:<20} {}", shown(v))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A setting as a person types it: words unquoted, `0.9` rather than the f32's `0.8999…`.
fn shown(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(x) if x.fract() != 0.0 => {
                let text = format!("{x:.4}");
                text.trim_end_matches('0').to_owned()
            }
            _ => n.to_string(),
        },
        serde_json::Value::Null => "not set".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn settings_read_as_typed() {
        assert_eq!(super::shown(&serde_json::json!(0.8999999761581421)), "0.9");
        assert_eq!(super::shown(&serde_json::json!(0.85)), "0.85");
        assert_eq!(super::shown(&serde_json::json!(60)), "60");
        assert_eq!(super::shown(&serde_json::json!("dark")), "dark");
        assert_eq!(super::shown(&serde_json::Value::Null), "not set");
    }
}
