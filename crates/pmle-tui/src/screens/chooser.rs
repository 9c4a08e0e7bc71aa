//! The product chooser: the pack's decision tree walked one question at a time
//! (`App::decide`), with the path so far, then the recommendation, the runner-up and why not.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, DecisionStep};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::View;
use crate::tui::{Ctx, Nav};
use crate::widgets::{Scroll, para, scroll_view};

const TREE: &str = "product";

pub(crate) struct Chooser {
    answers: Vec<(String, String)>,
    step: DecisionStep,
    cursor: usize,
    scroll: Scroll,
}

impl Chooser {
    pub(crate) fn new(app: &App) -> Result<Chooser, AppError> {
        Ok(Chooser {
            step: app.decide(TREE, &[])?,
            answers: Vec::new(),
            cursor: 0,
            scroll: Scroll::default(),
        })
    }

    fn walk(&mut self, app: &App) -> Result<(), AppError> {
        self.step = app.decide(TREE, &self.answers)?;
        self.cursor = 0;
        self.scroll.reset();
        Ok(())
    }

    fn answer(&mut self, i: usize, app: &App) -> Result<Nav, AppError> {
        let DecisionStep::Question { key, choices, .. } = &self.step else {
            return Ok(Nav::Stay);
        };
        let Some(c) = choices.get(i) else {
            return Ok(Nav::Say(format!(
                "type a number from 1 to {}",
                choices.len()
            )));
        };
        self.answers.push((key.clone(), c.value.clone()));
        self.walk(app)?;
        Ok(Nav::Stay)
    }
}

impl View for Chooser {
    fn title(&self, _app: &App) -> String {
        "Which product?".to_owned()
    }

    fn keys(&self) -> &'static str {
        "↑↓ move  Enter or 1-9 answer  Backspace undo  q back"
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("↑ ↓ / j k", "move between the answers"),
            ("Enter", "choose the highlighted answer"),
            ("1 … 9", "choose that answer"),
            ("Backspace u", "take back the last answer"),
            ("r", "start again"),
            ("PgUp PgDn", "scroll a long recommendation"),
            ("q Esc", "back to home"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        let n = match &self.step {
            DecisionStep::Question { choices, .. } => choices.len(),
            DecisionStep::Result { .. } => 0,
        };
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return Ok(Nav::Home),
            KeyCode::Up | KeyCode::Char('k') if n > 0 => {
                self.cursor = self.cursor.saturating_sub(1);
            }
            KeyCode::Down | KeyCode::Char('j') if n > 0 => {
                self.cursor = (self.cursor + 1).min(n - 1);
            }
            KeyCode::Enter if n > 0 => return self.answer(self.cursor, app),
            KeyCode::Char(c @ '1'..='9') if n > 0 => {
                return self.answer(usize::from(c as u8 - b'1'), app);
            }
            KeyCode::Backspace | KeyCode::Char('u') => {
                if self.answers.pop().is_none() {
                    return Ok(Nav::Say("nothing to take back".into()));
                }
                self.walk(app)?;
            }
            KeyCode::Char('r') => {
                self.answers.clear();
                self.walk(app)?;
            }
            code => {
                self.scroll.key(code);
            }
        }
        Ok(Nav::Stay)
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let w = area.width.saturating_sub(2);
        let mut lines: Vec<Line<'static>> = Vec::new();
        let path = match &self.step {
            DecisionStep::Result { path, .. } => path.clone(),
            DecisionStep::Question { .. } => path_of(cx.app, &self.answers),
        };
        for (q, a) in &path {
            lines.extend(para(q, w, t.dim()));
            lines.extend(para(&format!("  → {a}"), w, ratatui::style::Style::new()));
        }
        if !path.is_empty() {
            lines.push(Line::default());
        }
        match &self.step {
            DecisionStep::Question {
                question, choices, ..
            } => {
                lines.extend(para(question, w, t.heading()));
                for (i, c) in choices.iter().enumerate() {
                    let style = if i == self.cursor {
                        t.selected()
                    } else {
                        ratatui::style::Style::new()
                    };
                    let text = format!("{}. {}", i + 1, c.label);
                    let mut wrapped = para(&text, w.saturating_sub(2), style);
                    for (k, l) in wrapped.iter_mut().enumerate() {
                        let lead = if k == 0 && i == self.cursor {
                            "› "
                        } else {
                            "  "
                        };
                        l.spans.insert(0, Span::styled(lead, t.accent()));
                    }
                    lines.extend(wrapped);
                }
            }
            DecisionStep::Result {
                product_name,
                why,
                runner_up_name,
                why_not,
                notes,
                docs_url,
                ..
            } => {
                lines.push(Line::styled(
                    format!("Recommendation: {product_name}"),
                    t.good(),
                ));
                lines.extend(para(why, w, ratatui::style::Style::new()));
                lines.push(Line::default());
                lines.push(Line::styled(
                    format!("Runner-up: {runner_up_name}"),
                    t.bold(),
                ));
                lines.extend(para(why_not, w, ratatui::style::Style::new()));
                lines.push(Line::default());
                if !notes.is_empty() {
                    lines.extend(para(
                        &format!("Read: {} (n on the home screen)", notes.join(", ")),
                        w,
                        t.dim(),
                    ));
                }
                if !docs_url.is_empty() {
                    lines.extend(para(&format!("Docs: {docs_url}"), w, t.link()));
                }
                lines.extend(para(
                    "Backspace takes back the last answer; r starts again.",
                    w,
                    t.dim(),
                ));
            }
        }
        let inner = Rect {
            x: area.x + 1,
            width: area.width.saturating_sub(2),
            ..area
        };
        scroll_view(f, inner, lines, &self.scroll, t);
    }
}

/// (question, answer label) for each answer given, by walking the tree one answer at a time.
fn path_of(app: &App, answers: &[(String, String)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for k in 0..answers.len() {
        if let Ok(DecisionStep::Question {
            question, choices, ..
        }) = app.decide(TREE, &answers[..k])
            && let Some(c) = choices.iter().find(|c| c.value == answers[k].1)
        {
            out.push((question, c.label.clone()));
        }
    }
    out
}
