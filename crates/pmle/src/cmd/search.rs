//! `pmle search QUERY`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::Cli;
use crate::context::open_app;

pub(crate) fn run(cli: &Cli, query: &str, as_json: bool, limit: usize) -> Result<ExitCode> {
    let app = open_app(cli, Some(0))?;
    let hits = app.search(query, limit);
    let mut out = crate::safe_out::stdout();
    if as_json {
        writeln!(
            out,
            "{}",
            crate::safe_out::json(&serde_json::json!({ "query": query, "hits": hits }))?
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        writeln!(out, "no results for {query:?}; try fewer or other words")?;
        return Ok(ExitCode::from(1));
    }
    for h in &hits {
        write!(out, "{:<8} {}", h.kind.as_str(), h.title)?;
        if let Some(alias) = &h.alias {
            write!(out, "  (formerly {alias})")?;
        }
        if let Some(r) = &h.replaces {
            write!(out, "  (replaces {}, which is {})", r.name, r.status)?;
        }
        // The status label is this entry's own (a replaced entry's status stays on it).
        if let Some(status) = &h.status {
            let date = h
                .status_date
                .as_ref()
                .map(|d| format!(" {d}"))
                .unwrap_or_default();
            write!(out, "  [{status}{date}]")?;
        }
        writeln!(out)?;
        writeln!(out, "         {}", h.snippet)?;
        writeln!(out, "         open: pmle show {}", h.id)?;
    }
    Ok(ExitCode::SUCCESS)
}
