//! Practice: the question `App::next_practice` picks (or `App::next_filtered`, for practice
//! from the review centre), the learner's pick, then the explanation of every option from
//! `App::answer` (recorded before it is shown), with keys to keep the question: bookmark,
//! flag, a private note, a report.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{
    App, AppError, Feedback, NextQuestion, PracticeFilter, Presented, QuestionMarks, ReportReason,
};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::View;
use super::choice::{Choice, kind_label};
use crate::markdown::{render, wrap};
use crate::theme::Theme;
use crate::tui::{Ctx, Nav};
use crate::widgets::{Scroll, scroll_view};

enum Stage {
    Question {
        next: NextQuestion,
        shown: Presented,
        choice: Choice,
    },
    Feedback {
        shown: Presented,
        feedback: Feedback,
        marks: QuestionMarks,
        input: Input,
    },
    Done,
}

/// What the feedback screen is reading.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Input {
    None,
    /// The note being typed.
    Note(String),
    /// Picking the reason of a report (1–4).
    Reason,
    /// The report's optional text.
    ReportText(ReportReason, String),
}

/// The longest text typed here (the app refuses longer notes with a message anyway).
const MAX_TYPED: usize = 2000;

pub(crate) struct Practice {
    filter: PracticeFilter,
    /// Questions asked in this session (a filtered session asks each once).
    asked: Vec<String>,
    stage: Stage,
    scroll: Scroll,
    answered: usize,
    correct: usize,
}

impl Practice {
    pub(crate) fn new(app: &mut App, section: Option<String>) -> Result<Practice, AppError> {
        Practice::filtered(
            app,
            PracticeFilter {
                section,
                ..PracticeFilter::default()
            },
        )
    }

    /// Practice within `filter` (the review centre's "practise these"); an error that names
    /// the filter to loosen when no question matches.
    pub(crate) fn filtered(app: &mut App, filter: PracticeFilter) -> Result<Practice, AppError> {
        let mut p = Practice {
            filter,
            asked: Vec::new(),
            stage: Stage::Done,
            scroll: Scroll::default(),
            answered: 0,
            correct: 0,
        };
        p.advance(app)?;
        Ok(p)
    }

    fn advance(&mut self, app: &mut App) -> Result<(), AppError> {
        self.scroll.reset();
        self.stage = match app.next_filtered(&self.filter, &self.asked)? {
            Some(next) => {
                self.asked.push(next.question_id.clone());
                let shown = app.present(&next.question_id)?;
                let choice = Choice::new(shown.options.len(), shown.kind, &[]);
                Stage::Question {
                    next,
                    shown,
                    choice,
                }
            }
            None => Stage::Done,
        };
        Ok(())
    }
}

impl View for Practice {
    fn title(&self, _app: &App) -> String {
        let tally = format!("{} answered, {} right", self.answered, self.correct);
        match &self.stage {
            Stage::Question { shown, .. } | Stage::Feedback { shown, .. } => format!(
                "Practice · {} · {} · {tally}",
                shown.section_id,
                kind_label(shown.kind)
            ),
            Stage::Done => format!("Practice · {tally}"),
        }
    }

    fn keys(&self) -> &'static str {
        match self.stage {
            Stage::Question { .. } => "a–f/1–6 pick  space toggle  Enter answer  ↑↓ scroll  q back",
            Stage::Feedback {
                input: Input::None, ..
            } => "Enter/n next  b bookmark  f flag  m note  r report  ↑↓ scroll  q back",
            Stage::Feedback {
                input: Input::Reason,
                ..
            } => "1–4 pick the reason  Esc cancel",
            Stage::Feedback { .. } => "type  Enter save  Esc cancel",
            Stage::Done => "q back",
        }
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("a–f / 1–6", "pick an option (multiple select: toggle it)"),
            ("← → space", "move the cursor / toggle the option under it"),
            ("Enter", "answer; then Enter or n for the next question"),
            (
                "b / f",
                "after answering: bookmark / flag the question (again: undo)",
            ),
            (
                "m",
                "after answering: write a private note (empty removes it)",
            ),
            (
                "r",
                "after answering: report it (wrong key, unclear, outdated, typo)",
            ),
            ("↑ ↓ PgUp PgDn", "scroll the question or the explanations"),
            (
                "q Esc",
                "back to home (an unanswered question is not saved)",
            ),
        ]
    }

    fn typing(&self) -> bool {
        matches!(
            self.stage,
            Stage::Feedback {
                input: Input::Note(_) | Input::ReportText(..),
                ..
            }
        )
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        if let Stage::Feedback {
            feedback,
            marks,
            input,
            ..
        } = &mut self.stage
            && *input != Input::None
        {
            return keep_key(key.code, &feedback.question_id, marks, input, app);
        }
        if matches!(key.code, KeyCode::Char('q') | KeyCode::Esc) {
            return Ok(Nav::Home);
        }
        if self.scroll.key(key.code) {
            return Ok(Nav::Stay);
        }
        match &mut self.stage {
            Stage::Question { shown, choice, .. } => {
                if key.code == KeyCode::Enter {
                    let picked = match choice.ready() {
                        Ok(p) => p,
                        Err(m) => return Ok(Nav::Say(m)),
                    };
                    let feedback = app.answer(shown, &picked)?;
                    self.answered += 1;
                    self.correct += usize::from(feedback.correct);
                    let shown = shown.clone();
                    let marks = app.question_marks(&feedback.question_id)?;
                    self.stage = Stage::Feedback {
                        shown,
                        feedback,
                        marks,
                        input: Input::None,
                    };
                    self.scroll.reset();
                } else {
                    choice.key(key.code);
                }
            }
            Stage::Feedback {
                feedback,
                marks,
                input,
                ..
            } => {
                let id = feedback.question_id.clone();
                match key.code {
                    KeyCode::Enter | KeyCode::Char('n') => self.advance(app)?,
                    KeyCode::Char('b') => {
                        let on = !marks.bookmarked;
                        app.set_bookmark(&id, on)?;
                        *marks = app.question_marks(&id)?;
                        let m = if on {
                            "Bookmarked."
                        } else {
                            "Bookmark removed."
                        };
                        return Ok(Nav::Say(m.to_owned()));
                    }
                    KeyCode::Char('f') => {
                        let on = !marks.flagged;
                        app.set_flag(&id, on)?;
                        *marks = app.question_marks(&id)?;
                        let m = if on {
                            "Flagged for review."
                        } else {
                            "Flag removed."
                        };
                        return Ok(Nav::Say(m.to_owned()));
                    }
                    KeyCode::Char('m') => {
                        *input = Input::Note(marks.note.clone().unwrap_or_default());
                        self.scroll.reset();
                    }
                    KeyCode::Char('r') => {
                        *input = Input::Reason;
                        self.scroll.reset();
                    }
                    _ => {}
                }
            }
            Stage::Done => {}
        }
        Ok(Nav::Stay)
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let w = area.width.saturating_sub(2);
        let lines = match &self.stage {
            Stage::Question {
                next,
                shown,
                choice,
            } => {
                let mut lines = vec![Line::styled(
                    format!("Why this one: {}", next.reason),
                    t.dim(),
                )];
                lines.push(Line::default());
                lines.extend(render(&shown.stem, w, t));
                lines.push(Line::default());
                lines.extend(choice.lines(&shown.options, w, t));
                lines
            }
            Stage::Feedback {
                feedback,
                marks,
                input,
                ..
            } => {
                let mut lines = keep_lines(marks, input, t);
                lines.extend(feedback_lines(feedback, w, t));
                lines
            }
            Stage::Done if self.asked.is_empty() || self.filter.describe().is_empty() => {
                vec![Line::raw(
                    "No question is left to practise right now. Press q to go back.",
                )]
            }
            Stage::Done => vec![Line::raw(format!(
                "Every question that matches {} was asked. Press q to go back.",
                self.filter.describe().join(" ")
            ))],
        };
        let inner = Rect {
            x: area.x + 1,
            width: w,
            ..area
        };
        scroll_view(f, inner, lines, &self.scroll, t);
    }
}

/// A key while a note or report is being written: the text, the reason, save or cancel.
fn keep_key(
    code: KeyCode,
    id: &str,
    marks: &mut QuestionMarks,
    input: &mut Input,
    app: &mut App,
) -> Result<Nav, AppError> {
    let said = match (std::mem::replace(input, Input::None), code) {
        (_, KeyCode::Esc) => "Cancelled.".to_owned(),
        (Input::Reason, KeyCode::Char(c @ '1'..='4')) => {
            let reason = ReportReason::ALL[usize::from(c as u8 - b'1')];
            *input = Input::ReportText(reason, String::new());
            return Ok(Nav::Stay);
        }
        (Input::Reason, _) => {
            *input = Input::Reason;
            return Ok(Nav::Say(
                "Pick a reason: 1, 2, 3 or 4 (Esc cancels).".into(),
            ));
        }
        (Input::Note(text), KeyCode::Enter) if text.trim().is_empty() => {
            app.clear_question_note(id)?;
            "Note removed.".to_owned()
        }
        (Input::Note(text), KeyCode::Enter) => match app.set_question_note(id, &text) {
            Ok(()) => "Note saved.".to_owned(),
            Err(e) => {
                *input = Input::Note(text);
                return Ok(Nav::Say(e.to_string()));
            }
        },
        (Input::ReportText(reason, text), KeyCode::Enter) => {
            match app.report_question(id, reason.as_str(), Some(&text)) {
                Ok(_) => format!(
                    "Reported ({}); `pmle export reports FILE` writes your reports for the maintainers.",
                    reason.as_str()
                ),
                Err(e) => {
                    *input = Input::ReportText(reason, text);
                    return Ok(Nav::Say(e.to_string()));
                }
            }
        }
        (Input::Note(mut text), code) => {
            edit(&mut text, code);
            *input = Input::Note(text);
            return Ok(Nav::Stay);
        }
        (Input::ReportText(reason, mut text), code) => {
            edit(&mut text, code);
            *input = Input::ReportText(reason, text);
            return Ok(Nav::Stay);
        }
        (Input::None, _) => return Ok(Nav::Stay),
    };
    *marks = app.question_marks(id)?;
    Ok(Nav::Say(said))
}

fn edit(text: &mut String, code: KeyCode) {
    match code {
        KeyCode::Char(c) if !c.is_control() && text.chars().count() < MAX_TYPED => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
        _ => {}
    }
}

/// What is kept about the question, and the note or report being written.
fn keep_lines(marks: &QuestionMarks, input: &Input, t: Theme) -> Vec<Line<'static>> {
    let on = |b: bool| if b { "[x]" } else { "[ ]" };
    let mut head = format!(
        "{} bookmarked (b)  {} flagged (f)  note (m)  report (r)",
        on(marks.bookmarked),
        on(marks.flagged)
    );
    if !marks.reports.is_empty() {
        head.push_str(&format!("  · reported: {}", pmle_app::reports_text(marks)));
    }
    let mut lines = vec![Line::styled(head, t.dim())];
    match input {
        Input::None => {
            if let Some(n) = &marks.note {
                lines.push(Line::styled(format!("Note: {}", plain(n)), t.accent()));
            }
        }
        Input::Note(text) => {
            lines.push(Line::styled(
                "Private note (Enter saves, empty removes it, Esc cancels):",
                t.bold(),
            ));
            lines.push(Line::raw(format!("> {text}▏")));
        }
        Input::Reason => {
            lines.push(Line::styled(
                "Report this question: what is wrong?",
                t.bold(),
            ));
            for (i, r) in ReportReason::ALL.iter().enumerate() {
                lines.push(Line::raw(format!("  {}  {}", i + 1, r.as_str())));
            }
        }
        Input::ReportText(reason, text) => {
            lines.push(Line::styled(
                format!(
                    "Report ({}): details, optional (Enter sends, Esc cancels):",
                    reason.as_str()
                ),
                t.bold(),
            ));
            lines.push(Line::raw(format!("> {text}▏")));
        }
    }
    lines.push(Line::default());
    lines
}

/// The learner's own text (a note may come from an imported backup) without control
/// characters, so it cannot drive the terminal; line breaks become spaces.
pub(crate) fn plain(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .collect()
}

/// The verdict, then every option with its explanation, then the references.
pub(crate) fn feedback_lines(fb: &Feedback, w: u16, t: Theme) -> Vec<Line<'static>> {
    let right: Vec<String> = fb
        .options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.letter.to_string())
        .collect();
    let mut lines = vec![if fb.correct {
        Line::styled("✓ Correct.", t.good())
    } else {
        Line::styled(
            format!("✗ Not quite: the answer is {}.", right.join(", ")),
            t.bad(),
        )
    }];
    lines.extend(option_explanations(&fb.options, w, t));
    lines.extend(references(&fb.references, w, t));
    lines
}

pub(crate) fn option_explanations(
    options: &[pmle_app::FeedbackOption],
    w: u16,
    t: Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for o in options {
        lines.push(Line::default());
        let mark = if o.correct { "✓" } else { "✗" };
        let style = if o.correct { t.good() } else { t.bad() };
        let head = Span::styled(format!("{mark} {}. ", o.letter), style);
        for (k, l) in render(&o.text, w.saturating_sub(5), t)
            .into_iter()
            .enumerate()
        {
            let first = if k == 0 {
                head.clone()
            } else {
                Span::raw("     ")
            };
            let mut spans = vec![first];
            spans.extend(l.spans);
            lines.push(Line::from(spans));
        }
        let explanation = if o.chosen {
            format!("**You picked this.** {}", o.explanation.trim_start())
        } else {
            o.explanation.clone()
        };
        for l in render(&explanation, w.saturating_sub(5), t) {
            let mut spans = vec![Span::raw("     ")];
            spans.extend(l.spans);
            lines.push(Line::from(spans));
        }
    }
    lines
}

/// The references, one per line; a URL longer than the width is broken, never cut.
pub(crate) fn references(refs: &[String], w: u16, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if !refs.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled("References", t.bold()));
        for r in refs {
            for chunk in wrap(&[(r.clone(), t.link())], usize::from(w).saturating_sub(2)) {
                let mut spans = vec![Span::raw("  ")];
                spans.extend(chunk);
                lines.push(Line::from(spans));
            }
        }
    }
    lines
}
