//! The practice-filters form (`x` in the review centre): the same filters as `pmle practice
//! --unseen --missed --bookmarked --flagged --difficulty N --topic ID`, combinable. It only
//! builds a `PracticeFilter`; `App::next_filtered` picks the questions, and its message (the
//! filter to loosen) is shown here when nothing matches.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, PracticeFilter, ReviewFilter};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::practice::Practice;
use super::review::Review;
use super::{Screen, View, go};
use crate::tui::{Ctx, Nav};
use crate::widgets::excerpt;

/// The four toggles, in row order.
const TOGGLES: [&str; 4] = [
    "never answered",
    "missed last time",
    "bookmarked",
    "flagged",
];
const DIFFICULTY_ROW: usize = 4;
const TOPIC_ROW: usize = 5;

pub(crate) struct Filters {
    /// The review-centre filter to go back to.
    back: ReviewFilter,
    row: usize,
    on: [bool; 4],
    difficulty: Option<u8>,
    /// An index into `topics`.
    topic: Option<usize>,
    /// (id, title) of every topic of the pack, as the web form lists them.
    topics: Vec<(String, String)>,
    /// The app's message when the last Enter matched nothing.
    error: Option<String>,
}

impl Filters {
    pub(crate) fn new(app: &App, back: ReviewFilter) -> Filters {
        Filters {
            back,
            row: 0,
            on: [false; 4],
            difficulty: None,
            topic: None,
            topics: app
                .pack()
                .topics
                .iter()
                .map(|t| (t.id.clone(), t.title.clone()))
                .collect(),
            error: None,
        }
    }

    fn filter(&self) -> PracticeFilter {
        PracticeFilter {
            unseen: self.on[0],
            missed: self.on[1],
            bookmarked: self.on[2],
            flagged: self.on[3],
            difficulty: self.difficulty,
            topic: self.topic.map(|i| self.topics[i].0.clone()),
            ..PracticeFilter::default()
        }
    }

    /// Step the choice on the current row: ←/→ for difficulty and topic, any way for a toggle.
    fn change(&mut self, by: isize) {
        self.error = None;
        match self.row {
            r if r < TOGGLES.len() => self.on[r] = !self.on[r],
            DIFFICULTY_ROW => {
                self.difficulty = step(self.difficulty.map(usize::from), 3, by)
                    .and_then(|d| u8::try_from(d).ok());
            }
            _ => {
                self.topic = step(self.topic.map(|i| i + 1), self.topics.len(), by).map(|i| i - 1);
            }
        }
    }
}

/// Cycle through "any" (None) and 1..=n, by one either way.
fn step(at: Option<usize>, n: usize, by: isize) -> Option<usize> {
    let len = n as isize + 1;
    let next = (at.unwrap_or(0) as isize + by).rem_euclid(len) as usize;
    (next > 0).then_some(next)
}

fn difficulty_label(d: Option<u8>) -> &'static str {
    match d {
        None => "any",
        Some(1) => "1 recall",
        Some(2) => "2 applied",
        _ => "3 trade-off",
    }
}

impl View for Filters {
    fn title(&self, _app: &App) -> String {
        "Review centre · Practise with filters".to_owned()
    }

    fn keys(&self) -> &'static str {
        "↑↓ move  space toggle  ←→ change  Enter practise  Esc back"
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("↑ ↓ / j k", "move between the choices"),
            ("space", "toggle a choice, or step difficulty / topic"),
            (
                "← → / h l",
                "step the difficulty or the topic (any, then each)",
            ),
            ("Enter", "practise the questions that match every choice"),
            ("q Esc", "back to the review centre"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => {
                return Ok(go(Screen::Review(Review::new(app, self.back)?)));
            }
            KeyCode::Up | KeyCode::Char('k') => self.row = self.row.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.row = (self.row + 1).min(TOPIC_ROW),
            KeyCode::Char(' ') | KeyCode::Right | KeyCode::Char('l') => self.change(1),
            KeyCode::Left | KeyCode::Char('h') => self.change(-1),
            KeyCode::Enter => match Practice::filtered(app, self.filter()) {
                Ok(p) => return Ok(go(Screen::Practice(p))),
                // Nothing matches (or a topic is gone): the app names what to loosen.
                Err(AppError::Review(m)) => self.error = Some(m),
                Err(e) => return Err(e),
            },
            _ => {}
        }
        Ok(Nav::Stay)
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let w = usize::from(area.width.saturating_sub(2));
        let cursor = |r: usize| Span::styled(if r == self.row { " › " } else { "   " }, t.accent());
        let value = |r: usize, text: String| {
            Span::styled(text, if r == self.row { t.bold() } else { t.dim() })
        };
        let mut lines = vec![
            Line::raw(" Practise only the questions that match every choice below."),
            Line::default(),
        ];
        for (r, name) in TOGGLES.iter().enumerate() {
            let mark = if self.on[r] { "[x]" } else { "[ ]" };
            lines.push(Line::from(vec![
                cursor(r),
                value(r, format!("{mark} {name}")),
            ]));
        }
        lines.push(Line::from(vec![
            cursor(DIFFICULTY_ROW),
            Span::raw("difficulty  "),
            value(
                DIFFICULTY_ROW,
                format!("‹ {} ›", difficulty_label(self.difficulty)),
            ),
        ]));
        let topic = match self.topic {
            None => "any".to_owned(),
            Some(i) => self.topics[i].0.clone(),
        };
        let n = self.topics.len();
        let at = self
            .topic
            .map_or(format!("{n} topics"), |i| format!("{} of {n}", i + 1));
        lines.push(Line::from(vec![
            cursor(TOPIC_ROW),
            Span::raw("topic       "),
            value(TOPIC_ROW, format!("‹ {topic} ›")),
            Span::styled(format!("  {at}"), t.dim()),
        ]));
        let title = self.topic.map_or("", |i| self.topics[i].1.as_str());
        lines.push(Line::styled(
            format!("               {}", excerpt(title, w.saturating_sub(15))),
            t.dim(),
        ));
        lines.push(Line::default());
        let f_now = self.filter();
        lines.push(Line::styled(
            if f_now.is_empty() {
                " Nothing chosen: Enter starts the usual adaptive practice.".to_owned()
            } else {
                format!(" As the CLI: pmle practice {}", f_now.describe().join(" "))
            },
            t.dim(),
        ));
        if let Some(e) = &self.error {
            lines.push(Line::default());
            lines.push(Line::styled(format!(" {e}"), t.bad()));
        }
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    }
}
