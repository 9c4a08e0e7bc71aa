//! `pmle exam`: a line-based mock exam over the same engine as the other front ends.
//!
//! Commands at the prompt: letters answer (`b`, `a,c`), `n`/`p` next/previous, `g 12` go to a
//! question, `f` flag or unflag, `l` list, `s` submit (after a summary), `q` save and leave.
//! Every action is saved at once; `pmle exam` later resumes with the time that was left, or,
//! after a second confirmation, abandons the unfinished exam unscored (`--abandon` does so
//! directly).
//! The database is the single source of truth, so `pmle serve` or the TUI may run the same
//! exam meanwhile: each question is shown as saved now, an answer typed over one that
//! changed elsewhere since it was shown is refused with a notice, and an exam submitted
//! elsewhere ends this one with its report.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use pmle_app::{
    App, Clock, ExamEvent, ExamSession, ExamVariant, SystemClock, clock_text, parse_choice,
};

use crate::cli::{Cli, ExamArgs, ReviewFilter};
use crate::cmd::exam_report::write_report;
use crate::context::open_app;
use crate::render::indent;

pub(crate) fn run(cli: &Cli, args: &ExamArgs) -> Result<ExitCode> {
    let seed = args
        .seed
        .unwrap_or_else(|| SystemClock.now().unix_timestamp_nanos() as u64 % 1_000_000);
    let mut app = open_app(cli, Some(seed))?;
    let mut out = crate::safe_out::stdout();
    if args.list {
        for e in app.finished_exams()? {
            let r = app.exam_report(e.id)?;
            writeln!(
                out,
                "exam {:>3}  {:<8} {:>3.0}%  {}/{} correct  seed {}",
                e.id,
                e.variant,
                r.score * 100.0,
                r.correct,
                r.total,
                e.seed
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(id) = args.report {
        let id = if id == 0 {
            match app.finished_exams()?.first() {
                Some(e) => e.id,
                None => bail!("no finished exam yet; start one with `pmle exam`"),
            }
        } else {
            id
        };
        let report = app.exam_report(id)?;
        if args.json {
            writeln!(out, "{}", crate::safe_out::json(&report)?)?;
        } else {
            write_report(&mut out, &report, args.review)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.abandon {
        return abandon(&mut app, args.json, &mut out);
    }
    let variant = match (&args.section, args.retry) {
        (Some(s), _) => ExamVariant::Section(s.clone()),
        (None, true) => ExamVariant::Retry,
        (None, false) => ExamVariant::Full,
    };
    if args.plan {
        let plan = app.plan_exam(&variant, seed)?;
        if args.json {
            let v = serde_json::json!({
                "seed": plan.seed, "minutes": plan.minutes, "variant": plan.variant,
                "section": plan.section, "questions": plan.questions, "shortfalls": plan.shortfalls,
            });
            writeln!(out, "{}", serde_json::to_string(&v)?)?;
        } else {
            writeln!(
                out,
                "exam plan: seed {}, {} minutes, {} questions",
                plan.seed,
                plan.minutes,
                plan.questions.len()
            )?;
            for s in &plan.shortfalls {
                writeln!(out, "note: {s}")?;
            }
            for (i, q) in plan.questions.iter().enumerate() {
                writeln!(out, "{:>3}. {:<4} {}", i + 1, q.section, q.id)?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut session = match app.resume_exam()? {
        Some(mut s) if args.new => {
            writeln!(
                out,
                "Submitting unfinished exam {} as it stands ({} answered).",
                s.id(),
                s.answered()
            )?;
            app.submit_exam(&mut s, false)?;
            start(&mut app, &variant, seed, &mut out)?
        }
        Some(mut s) => {
            if ask_resume(&s, app_now(&app), &mut input, &mut out)? {
                s
            } else {
                app.abandon_exam(&mut s)?;
                writeln!(
                    out,
                    "Exam {} abandoned: kept unscored, out of your history and readiness.",
                    s.id()
                )?;
                start(&mut app, &variant, seed, &mut out)?
            }
        }
        None => start(&mut app, &variant, seed, &mut out)?,
    };
    drive(&mut app, &mut session, &mut input, &mut out)
}

/// Ask whether to resume the unfinished exam: true unless the learner says no and then
/// confirms abandoning it. A single `n` never ends the exam; nothing here submits it.
fn ask_resume(
    s: &ExamSession,
    now_ms: i64,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> Result<bool> {
    writeln!(
        out,
        "You have an unfinished exam {} ({} of {} answered, {} left). Resume? [Y/n]",
        s.id(),
        s.answered(),
        s.len(),
        clock_text(s.time_left_ms(now_ms))
    )?;
    out.flush()?;
    let mut line = String::new();
    input.read_line(&mut line)?;
    if !line.trim().eq_ignore_ascii_case("n") {
        return Ok(true);
    }
    write!(
        out,
        "Abandon exam {} and start a new one? It is kept but never scored: its {} answer(s) are not recorded. Type `abandon` to confirm; anything else resumes it: ",
        s.id(),
        s.answered()
    )?;
    out.flush()?;
    let mut confirm = String::new();
    input.read_line(&mut confirm)?;
    if confirm.trim().eq_ignore_ascii_case("abandon") {
        return Ok(false);
    }
    writeln!(out, "Resuming exam {}.", s.id())?;
    Ok(true)
}

/// `pmle exam --abandon`: discard the unfinished exam without a score.
fn abandon(app: &mut App, json: bool, out: &mut impl Write) -> Result<ExitCode> {
    let Some(mut s) = app.resume_exam()? else {
        bail!("there is no unfinished exam to abandon; `pmle exam --list` lists finished ones");
    };
    app.abandon_exam(&mut s)?;
    if json {
        let v = serde_json::json!({
            "abandoned": s.id(), "questions": s.len(), "answered": s.answered(),
            "elapsed_ms": s.record.elapsed_ms,
        });
        writeln!(out, "{}", serde_json::to_string(&v)?)?;
    } else {
        writeln!(
            out,
            "Exam {} abandoned ({} of {} answered): kept unscored, out of your history, last score and readiness.",
            s.id(),
            s.answered(),
            s.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn app_now(app: &App) -> i64 {
    app.now_unix_ms()
}

fn start(
    app: &mut App,
    variant: &ExamVariant,
    seed: u64,
    out: &mut impl Write,
) -> Result<ExamSession> {
    let plan = app.plan_exam(variant, seed)?;
    for s in &plan.shortfalls {
        writeln!(out, "note: {s}")?;
    }
    let session = app.start_exam(&plan)?;
    writeln!(
        out,
        "Mock exam {}: {} questions, {} minutes (seed {}). Letters answer; n/p move; g N goes to N; f flags; l lists; s submits; q saves and leaves.",
        session.id(),
        session.len(),
        plan.minutes,
        plan.seed
    )?;
    Ok(session)
}

fn drive(
    app: &mut App,
    s: &mut ExamSession,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> Result<ExitCode> {
    let mut show = true;
    loop {
        if show {
            // Show the question as saved now: another front end may have changed the exam.
            app.exam_refresh(s)?;
            if s.is_submitted() {
                let report = app.exam_report(s.id())?;
                return finish(out, &ExamEvent::AlreadySubmitted(Box::new(report)));
            }
            if s.is_abandoned() {
                let event = ExamEvent::Abandoned(s.id());
                writeln!(out, "\n{}", event.notice().unwrap_or_default())?;
                return Ok(ExitCode::SUCCESS);
            }
        }
        let pos = s.current();
        if show {
            write_item(app, s, pos, out)?;
        }
        show = true;
        write!(
            out,
            "\n[{}/{} · {} left] > ",
            pos + 1,
            s.len(),
            clock_text(s.time_left_ms(app.now_unix_ms()))
        )?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(
                out,
                "\nSaved. Run `pmle exam` to resume where you left off."
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        let cmd = line.trim();
        let event = match cmd {
            "" => {
                show = false;
                continue;
            }
            "q" | "quit" => {
                writeln!(
                    out,
                    "Saved. Run `pmle exam` to resume with {} left.",
                    clock_text(s.time_left_ms(app.now_unix_ms()))
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            "n" => app.exam_goto(s, pos + 1)?,
            "p" => app.exam_goto(s, pos.saturating_sub(1))?,
            "f" => {
                let flagged = !s.record.items[pos].flagged;
                app.exam_flag(s, pos, flagged)?
            }
            "l" => {
                write_list(s, out)?;
                show = false;
                continue;
            }
            "s" => {
                write_list(s, out)?;
                write!(out, "Submit now? [y/N] ")?;
                out.flush()?;
                let mut confirm = String::new();
                input.read_line(&mut confirm)?;
                if confirm.trim().eq_ignore_ascii_case("y") {
                    let report = match app.submit_exam(s, false) {
                        Ok(report) => report,
                        Err(e) => match (e.submitted_exam(), e.abandoned_exam()) {
                            (Some(id), _) => {
                                let report = app.exam_report(id)?;
                                return finish(out, &ExamEvent::AlreadySubmitted(Box::new(report)));
                            }
                            (None, Some(id)) => {
                                let event = ExamEvent::Abandoned(id);
                                writeln!(out, "\n{}", event.notice().unwrap_or_default())?;
                                return Ok(ExitCode::SUCCESS);
                            }
                            (None, None) => return Err(e.into()),
                        },
                    };
                    write_report(out, &report, ReviewFilter::Wrong)?;
                    return Ok(ExitCode::SUCCESS);
                }
                continue;
            }
            _ if cmd.starts_with('g') => match cmd[1..].trim().parse::<usize>() {
                Ok(n) if (1..=s.len()).contains(&n) => app.exam_goto(s, n - 1)?,
                _ => {
                    writeln!(out, "type g and a question number from 1 to {}", s.len())?;
                    show = false;
                    continue;
                }
            },
            _ => {
                let n_options = s.record.items[pos].shown_order.len();
                match parse_choice(cmd, n_options) {
                    Ok(picked) => {
                        let want = app.exam_item(s, pos)?.kind.choose() as usize;
                        if picked.len() != want {
                            writeln!(
                                out,
                                "This question takes {want} answer(s); you gave {}.",
                                picked.len()
                            )?;
                            show = false;
                            continue;
                        }
                        match app.exam_answer(s, pos, &picked)? {
                            ExamEvent::Saved if pos + 1 < s.len() => app.exam_goto(s, pos + 1)?,
                            other => other,
                        }
                    }
                    Err(msg) => {
                        writeln!(out, "{msg} (or n, p, g N, f, l, s, q)")?;
                        show = false;
                        continue;
                    }
                }
            }
        };
        match event {
            ExamEvent::Saved => {}
            ExamEvent::ChangedElsewhere { .. } => {
                writeln!(out, "\n{}", event.notice().unwrap_or_default())?;
            }
            ExamEvent::TimeUp(_) | ExamEvent::AlreadySubmitted(_) => return finish(out, &event),
            ExamEvent::Abandoned(_) => {
                writeln!(out, "\n{}", event.notice().unwrap_or_default())?;
                return Ok(ExitCode::SUCCESS);
            }
        }
    }
}

/// The exam ended (time up, or submitted elsewhere): say so and show the report.
fn finish(out: &mut impl Write, event: &ExamEvent) -> Result<ExitCode> {
    if let ExamEvent::TimeUp(report) | ExamEvent::AlreadySubmitted(report) = event {
        writeln!(out, "\n{}", event.notice().unwrap_or_default())?;
        write_report(out, report, ReviewFilter::Wrong)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_item(app: &App, s: &ExamSession, pos: usize, out: &mut impl Write) -> Result<()> {
    let v = app.exam_item(s, pos)?;
    writeln!(out)?;
    let flag = if v.flagged { " · ⚑ flagged" } else { "" };
    writeln!(
        out,
        "── Question {}/{} · {}{flag}",
        pos + 1,
        v.total,
        v.section_title
    )?;
    writeln!(out)?;
    writeln!(out, "{}", indent(&v.stem, "  "))?;
    writeln!(out)?;
    for (p, o) in v.options.iter().enumerate() {
        let mark = if v.chosen.contains(&p) { "●" } else { " " };
        writeln!(
            out,
            " {mark}{}. {}",
            o.letter,
            indent(&o.text, "     ").trim_start()
        )?;
    }
    Ok(())
}

fn write_list(s: &ExamSession, out: &mut impl Write) -> Result<()> {
    let list = |v: Vec<usize>| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.iter()
                .map(|p| (p + 1).to_string())
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    writeln!(
        out,
        "answered {}/{}; unanswered: {}; flagged: {}",
        s.answered(),
        s.len(),
        list(s.unanswered_positions()),
        list(s.flagged_positions())
    )?;
    Ok(())
}
