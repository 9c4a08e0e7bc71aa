//! Practice: the question `App::next_practice` picks, the learner's pick, then the
//! explanation of every option from `App::answer` (recorded before it is shown).

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, Feedback, NextQuestion, Presented};
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
    },
    Done,
}

pub(crate) struct Practice {
    section: Option<String>,
    stage: Stage,
    scroll: Scroll,
    answered: usize,
    correct: usize,
}

impl Practice {
    pub(crate) fn new(app: &mut App, section: Option<String>) -> Result<Practice, AppError> {
        let mut p = Practice {
            section,
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
        self.stage = match app.next_practice(self.section.as_deref())? {
            Some(next) => {
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
            Stage::Feedback { .. } => "Enter/n next question  ↑↓ PgUp PgDn scroll  q back",
            Stage::Done => "q back",
        }
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("a–f / 1–6", "pick an option (multiple select: toggle it)"),
            ("← → space", "move the cursor / toggle the option under it"),
            ("Enter", "answer; then Enter or n for the next question"),
            ("↑ ↓ PgUp PgDn", "scroll the question or the explanations"),
            (
                "q Esc",
                "back to home (an unanswered question is not saved)",
            ),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
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
                    self.stage = Stage::Feedback { shown, feedback };
                    self.scroll.reset();
                } else {
                    choice.key(key.code);
                }
            }
            Stage::Feedback { .. } => {
                if matches!(key.code, KeyCode::Enter | KeyCode::Char('n')) {
                    self.advance(app)?;
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
            Stage::Feedback { feedback, .. } => feedback_lines(feedback, w, t),
            Stage::Done => vec![Line::raw(
                "No question is left to practise right now. Press q to go back.",
            )],
        };
        let inner = Rect {
            x: area.x + 1,
            width: w,
            ..area
        };
        scroll_view(f, inner, lines, &self.scroll, t);
    }
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
