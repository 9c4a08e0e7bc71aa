//! `pmle review`, `pmle bookmark`, `pmle flag`, `pmle note-on`, `pmle report`: the review
//! centre and what the learner keeps about single questions (all logic in pmle-app).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::{ReviewEntry, ReviewFilter, date_of_ms, reports_text};

use crate::cli::{Cli, ReviewArgs};
use crate::context::open_app;
use crate::render::indent;

fn filter_of(args: &ReviewArgs) -> ReviewFilter {
    if args.wrong {
        ReviewFilter::Wrong
    } else if args.bookmarked {
        ReviewFilter::Bookmarked
    } else if args.flagged {
        ReviewFilter::Flagged
    } else if args.reported {
        ReviewFilter::Reported
    } else {
        ReviewFilter::All
    }
}

fn flag_of(f: ReviewFilter) -> &'static str {
    match f {
        ReviewFilter::All => "",
        ReviewFilter::Wrong => " --wrong",
        ReviewFilter::Bookmarked => " --bookmarked",
        ReviewFilter::Flagged => " --flagged",
        ReviewFilter::Reported => " --reported",
    }
}

pub(crate) fn list(cli: &Cli, args: &ReviewArgs) -> Result<ExitCode> {
    let filter = filter_of(args);
    let mut app = open_app(cli, args.seed)?;
    let mut out = crate::safe_out::stdout();
    if args.practice {
        let stdin = std::io::stdin();
        let mut input = super::practice::Lines::new(stdin.lock());
        return practise(&mut app, filter, args.count, &mut input, &mut out);
    }
    let entries = app.review(filter)?;
    if args.json {
        let v = serde_json::json!({
            "filter": filter.as_str(),
            "count": entries.len(),
            "questions": entries,
        });
        writeln!(out, "{}", crate::safe_out::json(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    write_list(&mut out, filter, &entries)?;
    Ok(ExitCode::SUCCESS)
}

fn practise(
    app: &mut pmle_app::App,
    filter: ReviewFilter,
    count: usize,
    input: &mut super::practice::Lines<impl BufRead>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    // The same questions the list shows; an error says what to do when there are none.
    super::practice::session(app, &filter.practice_filter(), count, input, out)
}

fn write_list(out: &mut impl Write, filter: ReviewFilter, entries: &[ReviewEntry]) -> Result<()> {
    let what = match filter {
        ReviewFilter::All => "answered or kept",
        ReviewFilter::Wrong => "whose last answer was wrong",
        ReviewFilter::Bookmarked => "bookmarked",
        ReviewFilter::Flagged => "flagged",
        ReviewFilter::Reported => "reported",
    };
    if entries.is_empty() {
        writeln!(out, "Review centre: no question {what} yet.")?;
        let hint = match filter {
            ReviewFilter::Bookmarked => "Bookmark one after an answer, or with `pmle bookmark ID`.",
            ReviewFilter::Flagged => "Flag one after an answer, or with `pmle flag ID`.",
            ReviewFilter::Reported => {
                "Report a faulty one after an answer, or with `pmle report ID --reason REASON`."
            }
            _ => "Practise first: `pmle practice`.",
        };
        writeln!(out, "{hint}")?;
        return Ok(());
    }
    writeln!(
        out,
        "Review centre: {} question{} {what} (newest answer first).",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" }
    )?;
    for e in entries {
        writeln!(out)?;
        let mark = match e.last_correct {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "·",
        };
        let mut tags = Vec::new();
        if e.marks.bookmarked {
            tags.push("bookmarked".to_owned());
        }
        if e.marks.flagged {
            tags.push("flagged".to_owned());
        }
        if !e.marks.reports.is_empty() {
            tags.push(format!("reported: {}", reports_text(&e.marks)));
        }
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", tags.join("] ["))
        };
        writeln!(
            out,
            "{mark} {} · {} · difficulty {}{tags}",
            e.question_id, e.section_id, e.difficulty
        )?;
        writeln!(out, "{}", indent(&e.stem_start, "    "))?;
        match e.last_answered_at_ms {
            Some(at) => writeln!(
                out,
                "    Your last answer ({}, {}): {}   — {} of {} right so far",
                date_of_ms(at),
                if e.last_correct == Some(true) {
                    "right"
                } else {
                    "wrong"
                },
                e.last_chosen.join(" + "),
                e.correct,
                e.answers
            )?,
            None => writeln!(out, "    Not answered yet.")?,
        }
        if let Some(note) = &e.marks.note {
            writeln!(out, "    Note: {}", note.replace('\n', " "))?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "Practise these: `pmle review{} --practice`. Open one: `pmle show ID --answer`.",
        flag_of(filter)
    )?;
    Ok(())
}

/// `pmle bookmark ID [--remove]` and `pmle flag ID [--remove]`.
pub(crate) fn mark(cli: &Cli, id: &str, on: bool, bookmark: bool) -> Result<ExitCode> {
    let mut app = open_app(cli, Some(0))?;
    let changed = if bookmark {
        app.set_bookmark(id, on)?
    } else {
        app.set_flag(id, on)?
    };
    let (word, list) = if bookmark {
        ("bookmarked", "--bookmarked")
    } else {
        ("flagged", "--flagged")
    };
    let id = id.trim();
    let msg = match (on, changed) {
        (true, true) => format!("{id} is {word}; `pmle review {list}` lists them."),
        (true, false) => format!("{id} was already {word}."),
        (false, true) => format!("{id} is no longer {word}."),
        (false, false) => format!("{id} was not {word}; nothing changed."),
    };
    writeln!(crate::safe_out::stdout(), "{msg}")?;
    Ok(ExitCode::SUCCESS)
}

/// `pmle note-on ID TEXT` and `pmle note-on ID --clear`.
pub(crate) fn note(cli: &Cli, id: &str, text: &str, clear: bool) -> Result<ExitCode> {
    let mut app = open_app(cli, Some(0))?;
    let id = id.trim();
    let msg = if clear {
        if app.clear_question_note(id)? {
            format!("The note on {id} is removed.")
        } else {
            format!("{id} had no note; nothing changed.")
        }
    } else {
        app.set_question_note(id, text)?;
        format!("Note saved on {id}; `pmle review` shows it.")
    };
    writeln!(crate::safe_out::stdout(), "{msg}")?;
    Ok(ExitCode::SUCCESS)
}

/// `pmle report ID --reason REASON [TEXT]`.
pub(crate) fn report(
    cli: &Cli,
    id: &str,
    reason: &str,
    text: &str,
    json: bool,
) -> Result<ExitCode> {
    let mut app = open_app(cli, Some(0))?;
    let r = app.report_question(id, reason, Some(text))?;
    let mut out = crate::safe_out::stdout();
    if json {
        writeln!(out, "{}", crate::safe_out::json(&r)?)?;
    } else {
        writeln!(
            out,
            "Reported {} ({}), report {}. `pmle export reports FILE` writes your reports for the pack's maintainers.",
            r.question_id,
            r.reason.as_str(),
            r.id
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
