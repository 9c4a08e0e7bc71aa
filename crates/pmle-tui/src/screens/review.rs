//! The review centre: past questions with the last answer, filtered by wrong, bookmarked,
//! flagged or reported (`App::review`), practice of exactly the listed questions, and the
//! practice-filters form (`x`).

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, ReviewEntry, ReviewFilter, date_of_ms, reports_text};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::filters::Filters;
use super::practice::{Practice, plain};
use super::{Screen, View, go};
use crate::theme::Theme;
use crate::tui::{Ctx, Nav};
use crate::widgets::excerpt;

pub(crate) struct Review {
    filter: ReviewFilter,
    /// How many questions each filter lists, in `ReviewFilter::ALL` order.
    counts: Vec<usize>,
    entries: Vec<ReviewEntry>,
    cursor: usize,
}

/// Lines each entry takes on screen.
const ENTRY_LINES: usize = 4;

impl Review {
    pub(crate) fn new(app: &App, filter: ReviewFilter) -> Result<Review, AppError> {
        let mut r = Review {
            filter,
            counts: Vec::new(),
            entries: Vec::new(),
            cursor: 0,
        };
        r.reload(app)?;
        Ok(r)
    }

    fn reload(&mut self, app: &App) -> Result<(), AppError> {
        let (counts, entries) = app.review_centre(self.filter)?;
        self.counts = counts.into_iter().map(|(_, n)| n).collect();
        self.entries = entries;
        self.cursor = self.cursor.min(self.entries.len().saturating_sub(1));
        Ok(())
    }

    fn switch(&mut self, app: &App, by: isize) -> Result<(), AppError> {
        let all = ReviewFilter::ALL;
        let at = all.iter().position(|f| *f == self.filter).unwrap_or(0) as isize;
        let n = all.len() as isize;
        self.filter = all[((at + by).rem_euclid(n)) as usize];
        self.cursor = 0;
        self.reload(app)
    }
}

fn label(f: ReviewFilter) -> &'static str {
    match f {
        ReviewFilter::All => "All",
        ReviewFilter::Wrong => "Wrong",
        ReviewFilter::Bookmarked => "Bookmarked",
        ReviewFilter::Flagged => "Flagged",
        ReviewFilter::Reported => "Reported",
    }
}

impl View for Review {
    fn title(&self, _app: &App) -> String {
        format!("Review centre · {}", label(self.filter))
    }

    fn keys(&self) -> &'static str {
        "←→ filter  ↑↓ move  p practise  u unseen  x filters  b/f mark  q back"
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "← → / Tab",
                "change the filter: all, wrong, bookmarked, flagged, reported",
            ),
            ("1–5", "pick a filter directly"),
            ("↑ ↓ / j k", "move in the list"),
            ("p / Enter", "practise the listed questions"),
            ("u", "practise questions you have never answered"),
            ("x", "practise with filters: difficulty, topic, marks"),
            (
                "b / f",
                "bookmark / flag the question under the cursor (again: undo)",
            ),
            ("q Esc", "back to home"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return Ok(Nav::Home),
            KeyCode::Left => self.switch(app, -1)?,
            KeyCode::Right | KeyCode::Tab => self.switch(app, 1)?,
            KeyCode::Char(c @ '1'..='5') => {
                self.filter = ReviewFilter::ALL[usize::from(c as u8 - b'1')];
                self.cursor = 0;
                self.reload(app)?;
            }
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(self.entries.len().saturating_sub(1));
            }
            KeyCode::Char('p') | KeyCode::Enter => {
                if self.entries.is_empty() {
                    return Ok(Nav::Say("Nothing listed to practise.".into()));
                }
                let p = Practice::filtered(app, self.filter.practice_filter())?;
                return Ok(go(Screen::Practice(p)));
            }
            KeyCode::Char('u') => {
                let filter = pmle_app::PracticeFilter {
                    unseen: true,
                    ..pmle_app::PracticeFilter::default()
                };
                return Ok(go(Screen::Practice(Practice::filtered(app, filter)?)));
            }
            KeyCode::Char('x') => {
                return Ok(go(Screen::Filters(Filters::new(app, self.filter))));
            }
            KeyCode::Char(c @ ('b' | 'f')) => {
                let Some(e) = self.entries.get(self.cursor) else {
                    return Ok(Nav::Stay);
                };
                let id = e.question_id.clone();
                let msg = if c == 'b' {
                    let on = !e.marks.bookmarked;
                    app.set_bookmark(&id, on)?;
                    if on {
                        "Bookmarked."
                    } else {
                        "Bookmark removed."
                    }
                } else {
                    let on = !e.marks.flagged;
                    app.set_flag(&id, on)?;
                    if on { "Flagged." } else { "Flag removed." }
                };
                self.reload(app)?;
                return Ok(Nav::Say(format!("{id}: {msg}")));
            }
            _ => {}
        }
        Ok(Nav::Stay)
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let w = usize::from(area.width.saturating_sub(2));
        let mut tabs: Vec<Span<'static>> = vec![Span::raw(" ")];
        for (i, (flt, n)) in ReviewFilter::ALL.iter().zip(&self.counts).enumerate() {
            let text = format!("{} {} ({n})", i + 1, label(*flt));
            tabs.push(if *flt == self.filter {
                Span::styled(format!("[{text}]"), t.bold())
            } else {
                Span::styled(format!(" {text} "), t.dim())
            });
            tabs.push(Span::raw(" "));
        }
        let mut lines = vec![Line::from(tabs), Line::default()];
        if self.entries.is_empty() {
            lines.push(Line::raw(
                " No question here yet. After a practice answer: b bookmarks, f flags, r reports.",
            ));
        }
        let room = usize::from(area.height).saturating_sub(2) / ENTRY_LINES;
        let first = self.cursor.saturating_sub(room.saturating_sub(1));
        for (i, e) in self
            .entries
            .iter()
            .enumerate()
            .skip(first)
            .take(room.max(1))
        {
            lines.extend(entry_lines(e, i == self.cursor, w, t));
        }
        f.render_widget(Paragraph::new(lines), area);
    }
}

fn entry_lines(e: &ReviewEntry, selected: bool, w: usize, t: Theme) -> Vec<Line<'static>> {
    let (mark, style) = match e.last_correct {
        Some(true) => ("✓", t.good()),
        Some(false) => ("✗", t.bad()),
        None => ("·", t.dim()),
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
    let head = vec![
        Span::styled(if selected { " › " } else { "   " }, t.accent()),
        Span::styled(format!("{mark} "), style),
        Span::styled(
            e.question_id.clone(),
            if selected { t.bold() } else { t.accent() },
        ),
        Span::styled(
            format!(" · {} · difficulty {}", e.section_id, e.difficulty),
            t.dim(),
        ),
    ];
    // The tags first, so a narrow terminal cuts the stem, never them.
    let tags = if tags.is_empty() {
        String::new()
    } else {
        format!("[{}] ", tags.join("] ["))
    };
    let last = match e.last_answered_at_ms {
        Some(at) => format!(
            "{} on {}: {}",
            if e.last_correct == Some(true) {
                "Right"
            } else {
                "Wrong"
            },
            date_of_ms(at),
            e.last_chosen.join(" + ")
        ),
        None => "Not answered yet.".to_owned(),
    };
    let note = e
        .marks
        .note
        .as_ref()
        .map_or_else(String::new, |n| format!("Note: {}", plain(n)));
    let body = w.saturating_sub(5);
    vec![
        Line::from(head),
        Line::from(vec![
            Span::raw("     "),
            Span::styled(tags.clone(), t.warn()),
            Span::styled(
                excerpt(&e.stem_start, body.saturating_sub(tags.chars().count())),
                t.dim(),
            ),
        ]),
        Line::raw(format!("     {}", excerpt(&last, body))),
        Line::styled(format!("     {}", excerpt(&note, body)), t.accent()),
    ]
}
