//! `pmle stats` and the short status that bare `pmle` prints.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::Stats;

use crate::cli::Cli;
use crate::context::open_app;

pub(crate) fn run(cli: &Cli, as_json: bool) -> Result<ExitCode> {
    let stats = open_app(cli, Some(0))?.stats()?;
    let mut out = crate::safe_out::stdout();
    if as_json {
        writeln!(out, "{}", crate::safe_out::json(&stats)?)?;
    } else {
        write_human(&mut out, &stats)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

pub(crate) fn write_human(out: &mut impl Write, s: &Stats) -> Result<()> {
    let c = &s.content;
    writeln!(out, "{} (guide of {})", s.pack.title, s.pack.guide_version)?;
    writeln!(
        out,
        "content: {} questions, {} flashcards, {} notes, {} catalog entries",
        c.questions, c.cards, c.notes, c.catalog
    )?;
    let p = &s.progress;
    writeln!(
        out,
        "progress: {} answers, {} correct ({}), {} distinct questions seen",
        p.answers_total,
        p.answers_correct,
        percent(p.correct_share),
        p.questions_seen
    )?;
    writeln!(out)?;
    let plan = &s.exam_plan;
    match &plan.exam_date {
        Some(d) => writeln!(out, "exam date: {d}")?,
        None => writeln!(out, "exam date: not set")?,
    }
    for line in &plan.summary {
        writeln!(out, "  {line}")?;
    }
    writeln!(out)?;
    let r = &s.readiness;
    writeln!(out, "readiness: {}", r.verdict)?;
    if r.mean.is_some() {
        writeln!(
            out,
            "  estimate {} · target {:.0}% · P(reach target) {} · evidence {:.0}%",
            r.estimate_text(),
            r.target * 100.0,
            r.p_pass_text(),
            r.coverage * 100.0
        )?;
    }
    if !r.mock_exams.is_empty() {
        writeln!(
            out,
            "  mock exams, predicted against scored (newest first):"
        )?;
        for m in &r.mock_exams {
            writeln!(
                out,
                "    exam {} ({}): {}",
                m.exam_id,
                m.variant,
                m.sentence()
            )?;
        }
        if r.calibration.shift < 0.0 {
            writeln!(
                out,
                "  your mock scores fell below the predictions: the estimate is moved down and widened ({} exam(s))",
                r.calibration.checks
            )?;
        }
    }
    writeln!(
        out,
        "cards: {} due, {} new today; {} missed questions on the review schedule",
        s.cards.due, s.cards.new_today, s.cards.scheduled_questions
    )?;
    if let Some(u) = &s.exams.unfinished {
        writeln!(
            out,
            "unfinished exam {}: {} of {} answered, {} min left — `pmle exam` resumes it",
            u.id,
            u.answered,
            u.questions,
            u.seconds_left / 60
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "  #  weight  questions  answers  correct  mastery (80% band)  section"
    )?;
    for sec in &s.sections {
        writeln!(
            out,
            "  {}  {:>5}%  {:>9}  {:>7}  {:>7}  {:<18}  {}",
            sec.number,
            sec.weight,
            sec.questions,
            sec.answers,
            percent(sec.correct_share),
            sec.mastery_text(),
            sec.title
        )?;
    }
    writeln!(out)?;
    writeln!(out, "database: {}", s.database)?;
    Ok(())
}

/// Bare `pmle`: the full-screen UI on a terminal; when output is piped, the status and the
/// next step instead.
pub(crate) fn status(cli: &Cli) -> Result<ExitCode> {
    let app = open_app(cli, None)?;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        pmle_tui::run(app)?;
        return Ok(ExitCode::SUCCESS);
    }
    let stats = app.stats()?;
    let mut out = crate::safe_out::stdout();
    write_human(&mut out, &stats)?;
    writeln!(out)?;
    writeln!(
        out,
        "next: `pmle practice` to answer questions, `pmle --help` for every command"
    )?;
    Ok(ExitCode::SUCCESS)
}
