//! `pmle progress`: the mock-exam history beside its predictions, and each section's
//! mastery trend over the last 30 or 90 days. Every figure comes from `App::progress`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::Progress;

use crate::cli::Cli;
use crate::context::open_app;

pub(crate) fn run(cli: &Cli, days: u32, as_json: bool) -> Result<ExitCode> {
    let progress = open_app(cli, Some(0))?.progress(days)?;
    let mut out = crate::safe_out::stdout();
    if as_json {
        writeln!(out, "{}", crate::safe_out::json(&progress)?)?;
    } else {
        write_human(&mut out, &progress)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// "62% (48%–74%), 14 questions answered", or "too little evidence (3 questions)".
fn point(p: &pmle_app::TrendPointView) -> String {
    match p.mastery {
        Some(_) => format!("{}, {} questions answered", p.text(), p.questions),
        None => p.text(),
    }
}

pub(crate) fn write_human(out: &mut impl Write, p: &Progress) -> Result<()> {
    writeln!(out, "Mock exams (oldest first)")?;
    if !p.exams.is_empty() {
        let numbers: Vec<u32> = p.sections.iter().map(|s| s.number).collect();
        let mut head = format!(
            "  {:<4} {:<10}  {:<9}  {:<12}",
            "exam", "date", "kind", "score"
        );
        for n in &numbers {
            head.push_str(&format!("  {:>5}", format!("S{n}")));
        }
        head.push_str("  predicted (80% interval) · score against it");
        writeln!(out, "{head}")?;
        for e in &p.exams {
            let score = format!("{}/{} {}", e.correct, e.questions, pct(e.score));
            let mut line = format!(
                "  {:<4} {:<10}  {:<9}  {:<12}",
                e.exam_id, e.date, e.kind, score
            );
            for n in &numbers {
                line.push_str(&format!("  {:>5}", e.section_text(*n)));
            }
            line.push_str(&format!("  {}", e.prediction_text()));
            if e.auto_submitted {
                line.push_str(" (time ran out)");
            }
            writeln!(out, "{line}")?;
        }
    }
    if let Some(note) = &p.history_note {
        writeln!(out, "  {note}")?;
    }
    writeln!(out, "  Line on the chart (web, TUI): {}.", p.target_text)?;
    writeln!(out)?;
    writeln!(
        out,
        "Section mastery, last {} days (to {}): chance on an unseen question, 80% interval",
        p.days, p.as_of
    )?;
    for s in &p.sections {
        writeln!(out, "  S{} {}", s.number, s.title)?;
        let (then, now) = (s.then(), s.now());
        writeln!(
            out,
            "    {} days ago ({}): {}",
            p.days,
            then.date,
            point(then)
        )?;
        writeln!(out, "    now ({}): {}", now.date, point(now))?;
        writeln!(out, "    in these {} days: {}", p.days, s.window_text())?;
        writeln!(out, "    {}", s.summary)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "A figure needs {} different questions of the section answered by that date; a share right needs {} answers. \"up\" or \"down\" only when the two 80% intervals do not overlap.",
        p.min_questions, p.min_window_answers
    )?;
    Ok(())
}
