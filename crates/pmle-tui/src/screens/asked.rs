//! A question opened from search: shown as practice shows it (no key, options wrapped),
//! answered with the same keys, then the feedback of `App::answer` (recorded before it is
//! shown). Esc goes back to the results.

use crossterm::event::KeyCode;
use pmle_app::{App, AppError, Feedback, Presented};
use ratatui::text::Line;

use super::choice::{Choice, kind_label};
use super::practice::feedback_lines;
use crate::markdown::render;
use crate::theme::Theme;

pub(crate) struct Asked {
    shown: Presented,
    choice: Choice,
    feedback: Option<Feedback>,
}

impl Asked {
    pub(crate) fn new(app: &mut App, id: &str) -> Result<Asked, AppError> {
        let shown = app.present(id)?;
        let choice = Choice::new(shown.options.len(), shown.kind, &[]);
        Ok(Asked {
            shown,
            choice,
            feedback: None,
        })
    }

    pub(crate) fn answered(&self) -> bool {
        self.feedback.is_some()
    }

    /// A selection key, or Enter to answer. `Ok(Some(message))` when the answer is not ready;
    /// `Ok(None)` otherwise, also for keys that are not its own.
    pub(crate) fn key(&mut self, code: KeyCode, app: &mut App) -> Result<Option<String>, AppError> {
        if self.feedback.is_some() {
            return Ok(None);
        }
        if code == KeyCode::Enter {
            let picked = match self.choice.ready() {
                Ok(p) => p,
                Err(m) => return Ok(Some(m)),
            };
            self.feedback = Some(app.answer(&self.shown, &picked)?);
        } else {
            self.choice.key(code);
        }
        Ok(None)
    }

    pub(crate) fn lines(&self, w: u16, t: Theme) -> Vec<Line<'static>> {
        if let Some(fb) = &self.feedback {
            return feedback_lines(fb, w, t);
        }
        let mut lines = vec![Line::styled(
            format!(
                "{} · {} · {} · difficulty {}",
                self.shown.question_id,
                self.shown.section_title,
                kind_label(self.shown.kind),
                self.shown.difficulty
            ),
            t.dim(),
        )];
        lines.push(Line::default());
        lines.extend(render(&self.shown.stem, w, t));
        lines.push(Line::default());
        lines.extend(self.choice.lines(&self.shown.options, w, t));
        lines
    }
}
