//! `pmle show ID [--answer] [--json]`: open what `pmle search` found.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::{Opened, OpenedQuestion};

use crate::cli::Cli;
use crate::context::open_app;
use crate::render::{indent, number_word};

pub(crate) fn run(cli: &Cli, id: &str, reveal: bool, as_json: bool) -> Result<ExitCode> {
    let app = open_app(cli, Some(0))?;
    let opened = app.open(id, reveal)?;
    let mut out = crate::safe_out::stdout();
    if as_json {
        writeln!(out, "{}", crate::safe_out::json(&opened)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    write_opened(&mut out, &opened)?;
    // The learner's own reports on this question and what the maintainers decided.
    if let Opened::Question(q) = &opened {
        for r in app.question_marks(&q.id)?.your_reports {
            writeln!(
                out,
                "Your report ({}): {}",
                r.reason.as_str(),
                pmle_app::report_standing(r.triage.as_ref())
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_opened(out: &mut impl Write, opened: &Opened) -> Result<()> {
    match opened {
        Opened::Question(q) => write_question(out, q)?,
        Opened::Card(c) => {
            writeln!(out, "── Flashcard {} · section {}", c.id, c.section_id)?;
            writeln!(out)?;
            writeln!(out, "{}", indent(&c.front, "  "))?;
            if let Some(back) = &c.back {
                writeln!(out, "  ──")?;
                writeln!(out, "{}", indent(back, "  "))?;
                write_references(out, &c.references)?;
                writeln!(out)?;
            } else {
                writeln!(out)?;
                writeln!(out, "Show the back: pmle show {} --answer", c.id)?;
            }
            writeln!(out, "Review your due cards: pmle cards")?;
        }
        Opened::Note(n) => {
            writeln!(out, "── Note {} · section {}", n.id, n.section_id)?;
            writeln!(out)?;
            writeln!(out, "{}", indent(&n.body, "  "))?;
            write_references(out, &n.more_references)?;
        }
        Opened::Product(p) => {
            write!(out, "── {} · catalog entry {}", p.name, p.id)?;
            if p.status != "active" {
                let date = p
                    .status_date
                    .as_ref()
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default();
                write!(out, " [{}{date}]", p.status)?;
            }
            writeln!(out)?;
            writeln!(out)?;
            if !p.former_names.is_empty() {
                writeln!(out, "  Formerly: {}", p.former_names.join(", "))?;
            }
            writeln!(out, "{}", indent(&p.purpose, "  "))?;
            writeln!(out)?;
            writeln!(out, "  Exam tip: {}", p.exam_tip.trim())?;
            if !p.status_note.is_empty() {
                writeln!(out, "  Status: {}", p.status_note.trim())?;
            }
            if let Some((id, name)) = &p.successor {
                writeln!(out, "  Replaced by: {name} (pmle show {id})")?;
            }
            writeln!(out, "  Docs: {}", p.docs_url)?;
        }
    }
    Ok(())
}

fn write_question(out: &mut impl Write, q: &OpenedQuestion) -> Result<()> {
    let choose = if q.choose == 1 {
        "choose one".to_owned()
    } else {
        format!("choose {}", number_word(q.choose))
    };
    let retired = if q.retired { " · retired" } else { "" };
    writeln!(
        out,
        "── Question {} · {} · difficulty {} · {choose}{retired}",
        q.id, q.section_title, q.difficulty
    )?;
    writeln!(out)?;
    writeln!(out, "{}", indent(&q.stem, "  "))?;
    writeln!(out)?;
    for o in &q.options {
        let mark = match o.correct {
            Some(true) => "✓ ",
            Some(false) => "✗ ",
            None => "",
        };
        let text = indent(&o.text, "     ");
        writeln!(out, "  {mark}{}. {}", o.letter, text.trim_start())?;
        if let Some(why) = &o.explanation {
            writeln!(out, "{}", indent(why, "       "))?;
        }
    }
    if q.revealed {
        let key: Vec<String> = q
            .options
            .iter()
            .filter(|o| o.correct == Some(true))
            .map(|o| o.letter.to_string())
            .collect();
        writeln!(out)?;
        writeln!(out, "  Answer: {}", key.join(", "))?;
        write_references(out, &q.references)?;
    } else {
        writeln!(out)?;
        writeln!(
            out,
            "Answer it (recorded like practice): pmle practice --id {}",
            q.id
        )?;
        writeln!(out, "Reveal the key: pmle show {} --answer", q.id)?;
    }
    Ok(())
}

fn write_references(out: &mut impl Write, refs: &[String]) -> Result<()> {
    if !refs.is_empty() {
        writeln!(out)?;
        writeln!(out, "  Read more: {}", refs.join(" · "))?;
    }
    Ok(())
}
