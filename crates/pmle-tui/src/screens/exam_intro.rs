//! Before a new mock exam: which exam (full, one section, or a retry of wrong answers), how
//! many questions and how long, any section shortfall the draw reported, and Enter to start
//! it with `App::start_exam`. Each choice is drawn by `App::plan_exam`.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, ExamPlan, ExamVariant};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::exam::Exam;
use super::{Screen, View, go};
use crate::tui::{Ctx, Nav};

/// Before a new exam: the kinds of exam to choose from, what the chosen one drew, and Enter
/// to start.
pub(crate) struct ExamIntro {
    /// Full, each section by number, retry.
    choices: Vec<(ExamVariant, String)>,
    cursor: usize,
    seed: u64,
    /// The chosen exam as drawn, or why it cannot be (no wrong answers to retry yet).
    plan: Result<ExamPlan, String>,
}

impl ExamIntro {
    pub(crate) fn new(app: &App, seed: u64) -> ExamIntro {
        let mut choices = vec![(ExamVariant::Full, "Full".to_owned())];
        for s in &app.pack().sections {
            choices.push((ExamVariant::Section(s.id.clone()), format!("§{}", s.number)));
        }
        choices.push((ExamVariant::Retry, "Retry wrong".to_owned()));
        let mut intro = ExamIntro {
            choices,
            cursor: 0,
            seed,
            plan: Err(String::new()),
        };
        intro.choose(app, 0);
        intro
    }

    fn choose(&mut self, app: &App, cursor: usize) {
        self.cursor = cursor.min(self.choices.len() - 1);
        self.plan = app
            .plan_exam(&self.choices[self.cursor].0, self.seed)
            .map_err(|e| e.to_string());
    }

    /// A one-line description of the chosen kind of exam.
    fn what(&self, app: &App) -> String {
        match &self.choices[self.cursor].0 {
            ExamVariant::Full => {
                "The whole exam, drawn by the weight of each section, unseen questions first."
                    .to_owned()
            }
            ExamVariant::Section(id) => {
                let (n, title) = app
                    .pack()
                    .section(id)
                    .map_or((0, ""), |s| (s.number, s.title.as_str()));
                format!("Only section {n} ({title}), at the full exam's pace per question.")
            }
            ExamVariant::Retry => {
                "Only questions whose last answer was wrong, at the full exam's pace per question."
                    .to_owned()
            }
        }
    }
}

impl View for ExamIntro {
    fn title(&self, _app: &App) -> String {
        "Mock exam".to_owned()
    }

    fn keys(&self) -> &'static str {
        "← → choose the exam  f full  1–6 section  r retry  Enter start  q back"
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "← → Tab",
                "choose: full, one section, or retry wrong answers",
            ),
            ("f 1–6 r", "full exam, section 1–6, retry wrong answers"),
            ("Enter", "start; the clock runs while pmle runs"),
            ("q Esc", "back to home"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        let last = self.choices.len() - 1;
        match key.code {
            KeyCode::Enter => match &self.plan {
                Ok(plan) => {
                    let session = app.start_exam(plan)?;
                    Ok(go(Screen::Exam(Exam::new(app, session)?)))
                }
                Err(why) => Ok(Nav::Say(why.clone())),
            },
            KeyCode::Right | KeyCode::Tab | KeyCode::Char('l') => {
                self.choose(
                    app,
                    if self.cursor == last {
                        0
                    } else {
                        self.cursor + 1
                    },
                );
                Ok(Nav::Stay)
            }
            KeyCode::Left | KeyCode::BackTab | KeyCode::Char('h') => {
                self.choose(app, self.cursor.checked_sub(1).unwrap_or(last));
                Ok(Nav::Stay)
            }
            KeyCode::Char('f') => {
                self.choose(app, 0);
                Ok(Nav::Stay)
            }
            KeyCode::Char('r') => {
                self.choose(app, last);
                Ok(Nav::Stay)
            }
            KeyCode::Char(c @ '1'..='9') => {
                let n = c as usize - '0' as usize;
                if n < last {
                    self.choose(app, n);
                }
                Ok(Nav::Stay)
            }
            KeyCode::Char('q') | KeyCode::Esc => Ok(Nav::Home),
            _ => Ok(Nav::Stay),
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let mut tabs = vec![Span::raw("Exam: ")];
        for (i, (_, label)) in self.choices.iter().enumerate() {
            if i > 0 {
                tabs.push(Span::raw(" "));
            }
            if i == self.cursor {
                tabs.push(Span::styled(format!("[{label}]"), t.selected()));
            } else {
                tabs.push(Span::styled(format!(" {label} "), t.dim()));
            }
        }
        let mut lines = vec![
            Line::from(tabs),
            Line::default(),
            Line::raw(self.what(cx.app)),
        ];
        match &self.plan {
            Ok(p) => {
                lines.push(Line::styled(
                    format!("{} questions · {} minutes", p.questions.len(), p.minutes),
                    t.bold(),
                ));
                lines.push(Line::default());
                lines.push(Line::raw(
                    "Scoring is all-or-nothing per question; unanswered questions count as wrong.",
                ));
                lines.push(Line::raw(
                    "Every answer, flag and move is saved at once: q leaves and e on the home",
                ));
                lines.push(Line::raw("screen resumes with the time that was left."));
                lines.push(Line::default());
                for s in &p.shortfalls {
                    lines.push(Line::styled(format!("Note: {s}"), t.warn()));
                }
                lines.push(Line::styled("Press Enter to start.", t.accent()));
            }
            Err(why) => {
                lines.push(Line::default());
                lines.push(Line::styled(
                    format!("This exam cannot start: {why}."),
                    t.warn(),
                ));
            }
        }
        f.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }),
            Rect {
                x: area.x + 1,
                width: area.width.saturating_sub(2),
                ..area
            },
        );
    }
}
