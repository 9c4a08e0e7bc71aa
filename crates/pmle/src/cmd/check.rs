//! `pmle check`: lint a pack, print every problem and the quality figures.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::{Clock, SystemClock};
use pmle_content::{CheckReport, MAX_LONGEST_CORRECT_SHARE, PackSource, check};
use serde_json::json;

use crate::cli::Cli;

pub(crate) fn run(cli: &Cli, as_json: bool) -> Result<ExitCode> {
    let source = match &cli.pack {
        Some(dir) => match PackSource::from_dir(dir) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {}", crate::safe_out::clean(&e.to_string()));
                return Ok(ExitCode::from(2));
            }
        },
        None => PackSource::embedded(),
    };
    let report = check(&source, SystemClock.today());
    let mut out = crate::safe_out::stdout();
    if as_json {
        let value = json!({
            "pack": source.origin,
            "ok": report.errors() == 0,
            "errors": report.errors(),
            "warnings": report.warnings(),
            "problems": report.diagnostics,
            "figures": report.figures,
        });
        writeln!(out, "{}", crate::safe_out::json(&value)?)?;
    } else {
        write_human(&mut out, &source.origin, &report)?;
    }
    Ok(if report.errors() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub(crate) fn write_human(out: &mut impl Write, origin: &str, r: &CheckReport) -> Result<()> {
    for d in &r.diagnostics {
        writeln!(out, "{d}")?;
    }
    if !r.diagnostics.is_empty() {
        writeln!(out)?;
    }
    let f = &r.figures;
    writeln!(out, "pack: {origin}")?;
    writeln!(
        out,
        "  {} questions · {} cards · {} notes · {} catalog entries · {} topics",
        f.questions, f.cards, f.notes, f.products, f.topics
    )?;
    if !f.sections.is_empty() {
        writeln!(
            out,
            "  section  weight  questions  share  multiple  longest-key  shortest-key  difficulty 1/2/3"
        )?;
        for s in &f.sections {
            writeln!(
                out,
                "  {:<7} {:>5}%  {:>9}  {:>4.0}%  {:>8}  {:>11}  {:>12}  {}/{}/{}",
                s.id,
                s.weight,
                s.questions,
                s.share_pct,
                s.multiple,
                format!("{}/{}", s.longest_correct, s.single),
                format!("{}/{}", s.shortest_correct, s.single),
                s.difficulty[0],
                s.difficulty[1],
                s.difficulty[2]
            )?;
        }
    }
    writeln!(
        out,
        "  correct option strictly longest: {:.0}% of single-select ({}/{}; limit {:.0}%)",
        f.longest_correct_share * 100.0,
        f.longest_correct,
        f.single_questions,
        MAX_LONGEST_CORRECT_SHARE * 100.0
    )?;
    writeln!(
        out,
        "  multiple-select: {:.0}% ({} of {})",
        f.multiple_share * 100.0,
        f.multiple_questions,
        f.questions
    )?;
    let verdict = match (r.errors(), r.warnings()) {
        (0, 0) => "ok: no problems".to_owned(),
        (0, w) => format!("ok: 0 errors, {w} warning(s)"),
        (e, w) => format!("{e} error(s), {w} warning(s)"),
    };
    writeln!(out, "{verdict}")?;
    Ok(())
}
