//! Before a new mock exam: how many questions, how long, any section shortfall the draw
//! reported, and Enter to start it with `App::start_exam`.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, ExamPlan};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::exam::Exam;
use super::{Screen, View, go};
use crate::tui::{Ctx, Nav};

/// Before a new exam: what was drawn, and Enter to start.
pub(crate) struct ExamIntro {
    plan: ExamPlan,
}

impl ExamIntro {
    pub(crate) fn new(plan: ExamPlan) -> ExamIntro {
        ExamIntro { plan }
    }
}

impl View for ExamIntro {
    fn title(&self, _app: &App) -> String {
        "Mock exam".to_owned()
    }

    fn keys(&self) -> &'static str {
        "Enter start the exam  q back"
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("Enter", "start; the clock runs while pmle runs"),
            ("q Esc", "back to home"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        match key.code {
            KeyCode::Enter => {
                let session = app.start_exam(&self.plan)?;
                Ok(go(Screen::Exam(Exam::new(app, session)?)))
            }
            KeyCode::Char('q') | KeyCode::Esc => Ok(Nav::Home),
            _ => Ok(Nav::Stay),
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let p = &self.plan;
        let mut lines = vec![
            Line::styled(
                format!("{} questions · {} minutes", p.questions.len(), p.minutes),
                t.bold(),
            ),
            Line::default(),
            Line::raw("Questions are drawn by the weight of each exam section, unseen ones first."),
            Line::raw(
                "Scoring is all-or-nothing per question; unanswered questions count as wrong.",
            ),
            Line::raw("Every answer, flag and move is saved at once: q leaves and e on the home"),
            Line::raw("screen resumes with the time that was left."),
            Line::default(),
        ];
        for s in &p.shortfalls {
            lines.push(Line::styled(format!("Note: {s}"), t.warn()));
        }
        lines.push(Line::styled("Press Enter to start.", t.accent()));
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
