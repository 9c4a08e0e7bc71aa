//! The exam report as text: score, the readiness check, sections, time, then the review.

use std::io::Write;

use anyhow::Result;
use pmle_app::{ExamReport, ExamStatus, clock_text};

use crate::cli::ReviewFilter;
use crate::render::indent;

pub(crate) fn write_report(
    out: &mut impl Write,
    r: &ExamReport,
    filter: ReviewFilter,
) -> Result<()> {
    writeln!(out)?;
    match r.status {
        ExamStatus::Submitted => {}
        ExamStatus::Abandoned => writeln!(
            out,
            "Exam {} was abandoned: it was never scored and counts nowhere. What was saved when it stopped:",
            r.exam_id
        )?,
        ExamStatus::Running => writeln!(
            out,
            "Exam {} is still running (resume it with `pmle exam`); what is saved so far:",
            r.exam_id
        )?,
    }
    writeln!(
        out,
        "Exam {} ({}): {:.0}% — {} of {} correct, {} answered, {} flagged, {} used of {}{}",
        r.exam_id,
        r.variant,
        r.score * 100.0,
        r.correct,
        r.total,
        r.answered,
        r.flagged,
        clock_text(r.elapsed_ms),
        clock_text(r.time_limit_ms),
        if r.auto_submitted {
            " (time ran out)"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        "Google publishes no pass mark; compare sections, not just the total."
    )?;
    if let Some(p) = &r.prediction {
        writeln!(out, "Readiness check: {}.", p.sentence())?;
    }
    writeln!(out, "  #  weight  score        section")?;
    for s in &r.sections {
        writeln!(
            out,
            "  {}  {:>5}%  {:>3}/{:<3} {:>4.0}%  {}",
            s.number,
            s.weight,
            s.correct,
            s.total,
            s.correct as f64 * 100.0 / s.total.max(1) as f64,
            s.title
        )?;
    }
    match r.mean_answered_ms {
        Some(ms) => writeln!(
            out,
            "  average time per answered question: {} ({} answered)",
            clock_text(ms),
            r.answered
        )?,
        None => writeln!(out, "  average time per answered question: none answered")?,
    }
    let keep = |i: &&pmle_app::ReportItem| match filter {
        ReviewFilter::Wrong => !i.correct,
        ReviewFilter::Flagged => i.flagged,
        ReviewFilter::All => true,
        ReviewFilter::None => false,
    };
    let items: Vec<&pmle_app::ReportItem> = r.items.iter().filter(keep).collect();
    if filter != ReviewFilter::None {
        writeln!(
            out,
            "\nReview ({} question(s); `pmle exam --report {} --review all|flagged|wrong`):",
            items.len(),
            r.exam_id
        )?;
    }
    for i in items {
        let status = if !i.answered {
            "unanswered"
        } else if i.correct {
            "correct"
        } else {
            "wrong"
        };
        writeln!(
            out,
            "\n── {} · {} · {status}{} · {}",
            i.position + 1,
            i.question_id,
            if i.flagged { " · flagged" } else { "" },
            clock_text(i.time_ms)
        )?;
        writeln!(out, "{}", indent(&i.stem, "  "))?;
        for o in &i.options {
            let mark = if o.correct { "✓" } else { "✗" };
            let yours = if o.chosen { "  ← your choice" } else { "" };
            writeln!(
                out,
                "  {} {mark} {}{yours}",
                o.letter,
                o.text.lines().next().unwrap_or("")
            )?;
            writeln!(out, "{}", indent(&o.explanation, "      "))?;
        }
        writeln!(out, "  Read more: {}", i.references.join(" · "))?;
    }
    Ok(())
}
