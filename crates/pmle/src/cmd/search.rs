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
        let product = (h.kind == pmle_content::search::DocKind::Product)
            .then(|| app.pack().products.iter().find(|p| p.id == h.id))
            .flatten();
        write!(out, "{:<8} {}", h.kind.as_str(), h.title)?;
        if let Some(alias) = &h.alias {
            write!(out, "  (formerly {alias})")?;
        }
        if let Some(p) = product.filter(|p| p.status != pmle_content::model::ProductStatus::Active)
        {
            let date = p.status_date.map(|d| format!(" {d}")).unwrap_or_default();
            write!(out, "  [{}{date}]", p.status.as_str())?;
        }
        writeln!(out, "  · {}", h.id)?;
        writeln!(out, "         {}", h.snippet)?;
    }
    Ok(ExitCode::SUCCESS)
}
