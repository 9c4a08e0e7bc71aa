//! Flashcards: the next card from `App::card_queue` (due first, then today's new cards,
//! then learning cards due soon), the front, the back on Enter, and a rating 1–4 that
//! `App::rate_card` schedules. The queue is read again after every rating, so a card rated
//! Again comes back in the session through its learning steps.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, CardView, Rating};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::View;
use super::practice::references;
use crate::markdown::render;
use crate::tui::{Ctx, Nav};
use crate::widgets::{Scroll, interval, scroll_view};

pub(crate) struct Cards {
    /// Due, new and in-learning counts of the queue the card was picked from.
    due: usize,
    new: usize,
    learning: usize,
    /// The card is a learning card shown before its step is due.
    early: bool,
    card: Option<CardView>,
    revealed: bool,
    rated: usize,
    next_due_at_ms: Option<i64>,
    scroll: Scroll,
}

impl Cards {
    pub(crate) fn new(app: &App) -> Result<Cards, AppError> {
        let mut c = Cards {
            due: 0,
            new: 0,
            learning: 0,
            early: false,
            card: None,
            revealed: false,
            rated: 0,
            next_due_at_ms: None,
            scroll: Scroll::default(),
        };
        c.load(app)?;
        Ok(c)
    }

    /// Pick the next card from a fresh queue.
    fn load(&mut self, app: &App) -> Result<(), AppError> {
        let q = app.card_queue()?;
        self.due = q.due.len();
        self.new = q.new.len();
        self.learning = q.learning;
        self.next_due_at_ms = q.next_due_at_ms;
        let next = q.next_card();
        self.early = next.is_some_and(|id| q.learning_soon.iter().any(|l| l == id));
        self.card = next.map(|id| app.card(id)).transpose()?;
        self.revealed = false;
        self.scroll.reset();
        Ok(())
    }
}

const RATINGS: [&str; 4] = ["Again", "Hard", "Good", "Easy"];

impl View for Cards {
    fn title(&self, _app: &App) -> String {
        format!(
            "Flashcards · {} due, {} new, {} learning · {} rated",
            self.due, self.new, self.learning, self.rated
        )
    }

    fn keys(&self) -> &'static str {
        match (&self.card, self.revealed) {
            (None, _) => "q back",
            (Some(_), false) => "Enter/space show the answer  q back",
            (Some(_), true) => "1 Again  2 Hard  3 Good  4 Easy  ↑↓ scroll  q back",
        }
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("Enter space", "show the back of the card"),
            ("1 2 3 4", "rate: Again, Hard, Good, Easy (interval shown)"),
            ("↑ ↓ PgUp PgDn", "scroll a long card"),
            ("q Esc", "back to home (ratings given are saved)"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        if matches!(key.code, KeyCode::Char('q') | KeyCode::Esc) {
            return Ok(Nav::Home);
        }
        if self.scroll.key(key.code) {
            return Ok(Nav::Stay);
        }
        let Some(card) = &self.card else {
            return Ok(Nav::Stay);
        };
        match key.code {
            KeyCode::Enter | KeyCode::Char(' ') if !self.revealed => self.revealed = true,
            KeyCode::Char(c @ '1'..='4') if self.revealed => {
                let n = c as u32 - '0' as u32;
                let Some(rating) = Rating::from_number(n) else {
                    return Ok(Nav::Stay);
                };
                app.rate_card(&card.id, rating)?;
                self.rated += 1;
                self.load(app)?;
            }
            KeyCode::Char('1'..='4') => {
                return Ok(Nav::Say(
                    "show the answer first (Enter), then rate it".into(),
                ));
            }
            _ => {}
        }
        Ok(Nav::Stay)
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let w = area.width.saturating_sub(2);
        let mut lines = Vec::new();
        match &self.card {
            None => {
                lines.push(Line::styled("No cards left for now.", t.bold()));
                lines.push(Line::raw(format!(
                    "You rated {} card(s) in this session.",
                    self.rated
                )));
                if let Some(at) = self.next_due_at_ms {
                    let wait = at - cx.app.now_unix_ms();
                    lines.push(Line::raw(format!(
                        "The next card is due in {}.",
                        interval(wait)
                    )));
                }
                lines.push(Line::raw("Press q to go back."));
            }
            Some(card) => {
                let early = if self.early {
                    " · learning, shown early"
                } else {
                    ""
                };
                lines.push(Line::styled(
                    format!(
                        "{} · {} · reviews so far: {}{early}",
                        card.section_id, card.topic_id, card.reps
                    ),
                    t.dim(),
                ));
                lines.push(Line::default());
                lines.extend(render(&card.front, w, t));
                if self.revealed {
                    lines.push(Line::default());
                    lines.push(Line::styled("─".repeat(usize::from(w)), t.dim()));
                    lines.extend(render(&card.back, w, t));
                    lines.extend(references(&card.references, w, t));
                    lines.push(Line::default());
                    let mut spans = Vec::new();
                    for (i, name) in RATINGS.iter().enumerate() {
                        spans.push(Span::styled(format!("{} {name}", i + 1), t.accent()));
                        spans.push(Span::raw(format!(
                            " ({})   ",
                            interval(card.intervals_ms[i])
                        )));
                    }
                    lines.push(Line::from(spans));
                } else {
                    lines.push(Line::default());
                    lines.push(Line::styled(
                        "Recall the answer, then press Enter.",
                        t.dim(),
                    ));
                }
            }
        }
        let inner = Rect {
            x: area.x + 1,
            width: w,
            ..area
        };
        scroll_view(f, inner, lines, &self.scroll, t);
    }
}
