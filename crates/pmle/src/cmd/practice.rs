//! `pmle practice`: line-based practice that works at a prompt and through a pipe.
//!
//! Every answer is recorded by `App::answer` before the feedback is printed, so ending the
//! run at any moment (end of input, Ctrl-C, a killed process) loses nothing already given.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::Result;
use pmle_app::{App, Feedback, PracticeFilter, Presented, parse_choice};

use crate::cli::Cli;
use crate::context::open_app;
use crate::render::{indent, number_word};

pub(crate) fn run(
    cli: &Cli,
    filter: &PracticeFilter,
    count: usize,
    seed: Option<u64>,
) -> Result<ExitCode> {
    let mut app = open_app(cli, seed)?;
    let stdin = std::io::stdin();
    let mut input = Lines::new(stdin.lock());
    let mut out = crate::safe_out::stdout();
    session(&mut app, filter, count, &mut input, &mut out)
}

/// Input lines with one line of push-back: a line typed at the "keep it" prompt that is no
/// command there is the next question's answer, so piped answers work unchanged.
pub(crate) struct Lines<R> {
    inner: R,
    pending: Option<String>,
    /// Typed at a terminal: a line that is no command at the "keep it" prompt is asked
    /// again, never taken as the answer to a question not yet shown.
    interactive: bool,
}

impl<R: BufRead> Lines<R> {
    /// Lines from standard input (interactive when it is a terminal).
    pub(crate) fn new(inner: R) -> Lines<R> {
        use std::io::IsTerminal;
        Lines {
            inner,
            pending: None,
            interactive: std::io::stdin().is_terminal(),
        }
    }

    /// The next line, `None` at end of input.
    fn next_line(&mut self) -> std::io::Result<Option<String>> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        let mut line = String::new();
        Ok((self.inner.read_line(&mut line)? > 0).then_some(line))
    }
}

/// `pmle practice --id ID`: answer one chosen question (from `pmle show` or a search), then
/// the feedback; recorded like any practice answer.
pub(crate) fn run_one(cli: &Cli, id: &str, seed: Option<u64>) -> Result<ExitCode> {
    let mut app = open_app(cli, seed)?;
    let stdin = std::io::stdin();
    let mut input = Lines::new(stdin.lock());
    let mut out = crate::safe_out::stdout();
    one(&mut app, id, &mut input, &mut out)
}

fn one(
    app: &mut App,
    id: &str,
    input: &mut Lines<impl BufRead>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    if app.pack().question(id.trim()).is_none() {
        // The same message as `pmle show`: what the id is instead, or the closest ids.
        return Err(match app.open(id, false) {
            Ok(other) => anyhow::anyhow!(
                "`{}` is a {}, not a question; open it with `pmle show {}`",
                other.id(),
                kind_word(&other),
                other.id()
            ),
            Err(e) => e.into(),
        });
    }
    let shown = app.present(id.trim())?;
    write_question(out, &shown, 1, 1, "")?;
    let Some(picked) = read_choice(input, out, &shown)? else {
        writeln!(out)?;
        writeln!(out, "Not answered; nothing was recorded.")?;
        return Ok(ExitCode::SUCCESS);
    };
    let feedback = app.answer(&shown, &picked)?;
    write_feedback(out, &feedback)?;
    offer_keep(app, &feedback.question_id, input, out)?;
    Ok(ExitCode::SUCCESS)
}

fn kind_word(o: &pmle_app::Opened) -> &'static str {
    match o {
        pmle_app::Opened::Question(_) => "question",
        pmle_app::Opened::Card(_) => "flashcard",
        pmle_app::Opened::Note(_) => "note",
        pmle_app::Opened::Product(_) => "catalog entry",
    }
}

pub(crate) fn session(
    app: &mut App,
    filter: &PracticeFilter,
    count: usize,
    input: &mut Lines<impl BufRead>,
    out: &mut impl Write,
) -> Result<ExitCode> {
    writeln!(
        out,
        "Practice: up to {count} question(s). Type the letter(s) of your answer and press Enter; q quits."
    )?;
    let (mut answered, mut right) = (0, 0);
    let mut asked: Vec<String> = Vec::new();
    for n in 0..count {
        let Some(next) = app.next_filtered(filter, &asked)? else {
            if n == 0 {
                writeln!(
                    out,
                    "no questions to practise here; check the section with `pmle stats`"
                )?;
                return Ok(ExitCode::from(1));
            }
            if filter.describe().is_empty() || *filter == section_only(filter) {
                writeln!(
                    out,
                    "\nNothing more to ask right now: recent questions are not repeated."
                )?;
            } else {
                writeln!(
                    out,
                    "\nEvery question that matches {} was asked in this session.",
                    filter.describe().join(" ")
                )?;
            }
            break;
        };
        asked.push(next.question_id.clone());
        let shown = app.present(&next.question_id)?;
        write_question(out, &shown, n + 1, count, &next.reason)?;
        let Some(picked) = read_choice(input, out, &shown)? else {
            writeln!(out)?;
            writeln!(
                out,
                "Stopped after {answered} answered, {right} correct. Your answers are saved."
            )?;
            return Ok(ExitCode::SUCCESS);
        };
        let feedback = app.answer(&shown, &picked)?;
        answered += 1;
        right += usize::from(feedback.correct);
        write_feedback(out, &feedback)?;
        offer_keep(app, &feedback.question_id, input, out)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Done: {right} of {answered} correct. Your answers are saved; see `pmle stats`."
    )?;
    Ok(ExitCode::SUCCESS)
}

fn section_only(f: &PracticeFilter) -> PracticeFilter {
    PracticeFilter {
        section: f.section.clone(),
        ..PracticeFilter::default()
    }
}

/// After an answer: bookmark, flag, note or report the question, or go on. Piped in, a line
/// that is none of these is the next question's answer (pushed back), so `a\nb\n…` still
/// answers question after question; at a terminal it is asked again.
pub(crate) fn offer_keep(
    app: &mut App,
    question_id: &str,
    input: &mut Lines<impl BufRead>,
    out: &mut impl Write,
) -> Result<()> {
    writeln!(
        out,
        "\n  Keep it: bookmark · flag · note TEXT · report wrong-key|unclear|outdated|typo [TEXT] · Enter: go on"
    )?;
    loop {
        write!(out, "  > ")?;
        out.flush()?;
        let Some(line) = input.next_line()? else {
            return Ok(());
        };
        let trimmed = line.trim();
        let (word, rest) = trimmed
            .split_once(char::is_whitespace)
            .map_or((trimmed, ""), |(w, r)| (w, r.trim()));
        let done = match word.to_lowercase().as_str() {
            "" => return Ok(()),
            "bookmark" => app.set_bookmark(question_id, true).map(|_| {
                format!("Bookmarked {question_id}; `pmle review --bookmarked` lists them.")
            }),
            "flag" => app
                .set_flag(question_id, true)
                .map(|_| format!("Flagged {question_id}; `pmle review --flagged` lists them.")),
            "note" => app
                .set_question_note(question_id, rest)
                .map(|()| format!("Note saved on {question_id}.")),
            "report" => {
                let (reason, text) = rest
                    .split_once(char::is_whitespace)
                    .map_or((rest, ""), |(r, t)| (r, t.trim()));
                app.report_question(question_id, reason, Some(text))
                    .map(|r| {
                        format!(
                            "Reported {question_id} ({}); `pmle export reports FILE` writes your reports for the maintainers.",
                            r.reason.as_str()
                        )
                    })
            }
            _ if input.interactive => Err(pmle_app::AppError::Review(
                "type bookmark, flag, note TEXT or report REASON [TEXT], or press Enter for the next question"
                    .to_owned(),
            )),
            _ => {
                input.pending = Some(line);
                return Ok(());
            }
        };
        match done {
            Ok(msg) => writeln!(out, "  {msg}")?,
            Err(e) => writeln!(out, "  {e}")?,
        }
    }
}

pub(crate) fn write_question(
    out: &mut impl Write,
    q: &Presented,
    n: usize,
    total: usize,
    why: &str,
) -> Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "── Question {n}/{total} · {} · difficulty {} · {}",
        q.section_title, q.difficulty, q.question_id
    )?;
    if !why.is_empty() {
        writeln!(out, "   ({why})")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", indent(&q.stem, "  "))?;
    writeln!(out)?;
    for o in &q.options {
        let text = indent(&o.text, "     ");
        writeln!(out, "  {}. {}", o.letter, text.trim_start())?;
    }
    Ok(())
}

/// `None` at end of input or when the learner types `q`.
pub(crate) fn read_choice(
    input: &mut Lines<impl BufRead>,
    out: &mut impl Write,
    q: &Presented,
) -> Result<Option<Vec<usize>>> {
    let choose = q.kind.choose();
    let last = q.options.last().map_or('A', |o| o.letter);
    loop {
        if choose == 1 {
            write!(out, "\nYour answer (A–{last}): ")?;
        } else {
            write!(out, "\nChoose {} (e.g. A,C): ", number_word(choose))?;
        }
        out.flush()?;
        let Some(line) = input.next_line()? else {
            return Ok(None);
        };
        let line = line.trim();
        if line.eq_ignore_ascii_case("q") || line.eq_ignore_ascii_case("quit") {
            return Ok(None);
        }
        match parse_choice(line, q.options.len()) {
            Ok(p) if p.len() == choose as usize => return Ok(Some(p)),
            Ok(p) => writeln!(
                out,
                "This question takes {} answer(s); you gave {}.",
                choose,
                p.len()
            )?,
            Err(msg) => writeln!(out, "{msg}")?,
        }
    }
}

pub(crate) fn write_feedback(out: &mut impl Write, f: &Feedback) -> Result<()> {
    writeln!(out)?;
    let key: Vec<String> = f
        .options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.letter.to_string())
        .collect();
    if f.correct {
        writeln!(out, "✓ Correct ({}).", key.join(", "))?;
    } else {
        writeln!(out, "✗ Not quite: the answer is {}.", key.join(", "))?;
    }
    for o in &f.options {
        let mark = if o.correct { "✓" } else { "✗" };
        let yours = if o.chosen { "  ← your choice" } else { "" };
        writeln!(out, "  {} {}{yours}", o.letter, mark)?;
        writeln!(out, "{}", indent(&o.explanation, "     "))?;
    }
    writeln!(out, "  Read more: {}", f.references.join(" · "))?;
    for lab in pmle_labs::lab::explaining(&f.question_id) {
        writeln!(
            out,
            "  See it happen: `pmle lab run {}` ({})",
            lab.id, lab.title
        )?;
    }
    Ok(())
}
