//! Notes and search. Browsing lists the pack's notes (`App::pack().notes`); `/` searches
//! them with `App::search`. The Search menu item opens the same screen over every kind of
//! document: notes, questions, flashcards and products.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError};
use pmle_content::search::{DocKind, Hit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::View;
use super::asked::Asked;
use crate::markdown::render;
use crate::theme::Theme;
use crate::tui::{Ctx, Nav};
use crate::widgets::{Scroll, excerpt, scroll_view};

/// One row of the list.
struct Entry {
    kind: DocKind,
    id: String,
    title: String,
    detail: String,
}

pub(crate) struct Notes {
    /// `Some(kind)`: only this kind; `None`: everything (the Search screen).
    only: Option<DocKind>,
    query: String,
    editing: bool,
    entries: Vec<Entry>,
    cursor: usize,
    open: Option<usize>,
    /// The open entry when it is a question: asked, not revealed.
    asked: Option<Asked>,
    /// Whether the open flashcard shows its back.
    revealed: bool,
    scroll: Scroll,
}

impl Notes {
    pub(crate) fn browse(app: &App) -> Notes {
        let mut n = Notes {
            only: Some(DocKind::Note),
            query: String::new(),
            editing: false,
            entries: Vec::new(),
            cursor: 0,
            open: None,
            asked: None,
            revealed: false,
            scroll: Scroll::default(),
        };
        n.refresh(app);
        n
    }

    pub(crate) fn search() -> Notes {
        Notes {
            only: None,
            query: String::new(),
            editing: true,
            entries: Vec::new(),
            cursor: 0,
            open: None,
            asked: None,
            revealed: false,
            scroll: Scroll::default(),
        }
    }

    fn refresh(&mut self, app: &App) {
        self.cursor = 0;
        self.entries = if self.query.trim().is_empty() && self.only == Some(DocKind::Note) {
            app.pack()
                .notes
                .iter()
                .map(|n| Entry {
                    kind: DocKind::Note,
                    id: n.id.clone(),
                    title: n.title.clone(),
                    detail: n.section.clone(),
                })
                .collect()
        } else if self.query.trim().is_empty() {
            Vec::new()
        } else {
            app.search(&self.query, 50)
                .into_iter()
                .filter(|h: &Hit| self.only.is_none_or(|k| k == h.kind))
                .map(|h| Entry {
                    kind: h.kind,
                    id: h.id,
                    title: h.title,
                    detail: h.snippet,
                })
                .collect()
        };
    }

    fn document(&self, e: &Entry, app: &App, w: u16, t: Theme) -> Vec<Line<'static>> {
        let pack = app.pack();
        let mut lines = Vec::new();
        match e.kind {
            DocKind::Note => {
                if let Some(n) = pack.notes.iter().find(|n| n.id == e.id) {
                    lines.extend(render(&n.body, w, t));
                    let more: Vec<String> =
                        n.references_not_in_body().into_iter().cloned().collect();
                    lines.extend(super::practice::references(&more, w, t));
                }
            }
            // Asked through `Asked`, never shown with its key.
            DocKind::Question => {}
            DocKind::Card => {
                // The back is the answer: shown only when asked for.
                if let Ok(pmle_app::Opened::Card(c)) = app.open(&e.id, self.revealed) {
                    lines.extend(render(&c.front, w, t));
                    lines.push(Line::styled("─".repeat(usize::from(w)), t.dim()));
                    match &c.back {
                        Some(back) => lines.extend(render(back, w, t)),
                        None => lines.push(Line::styled("Enter or space shows the back.", t.dim())),
                    }
                }
            }
            DocKind::Product => {
                if let Some(p) = pack.products.iter().find(|p| p.id == e.id) {
                    let mut md = format!("**{}**\n\n{}\n\n{}", p.name, p.purpose, p.exam_tip);
                    if !p.former_names.is_empty() {
                        md.push_str(&format!("\n\nFormerly: {}", p.former_names.join(", ")));
                    }
                    if !p.status_note.is_empty() {
                        md.push_str(&format!("\n\n{}", p.status_note));
                    }
                    lines.extend(render(&md, w, t));
                    lines.push(Line::styled(format!("  {}", p.docs_url), t.link()));
                }
            }
        }
        if lines.is_empty() {
            lines.extend(render(&e.detail, w, t));
        }
        lines
    }
}

impl View for Notes {
    fn title(&self, _app: &App) -> String {
        let what = if self.only.is_some() {
            "Notes"
        } else {
            "Search"
        };
        match self.open.and_then(|i| self.entries.get(i)) {
            Some(e) => format!("{what} · {}", e.title),
            None => what.to_owned(),
        }
    }

    fn keys(&self) -> &'static str {
        if let Some(a) = &self.asked {
            if a.answered() {
                "↑↓ PgUp PgDn scroll  Esc back to the results"
            } else {
                "a–f/1–6 pick  space toggle  Enter answer  ↑↓ scroll  Esc back"
            }
        } else if let Some(e) = self.open.and_then(|i| self.entries.get(i))
            && e.kind == DocKind::Card
            && !self.revealed
        {
            "Enter/space show the back  ↑↓ PgUp PgDn scroll  Esc back to the list"
        } else if self.open.is_some() {
            "↑↓ PgUp PgDn scroll  Esc back to the list"
        } else if self.editing {
            "type to search  Enter/↓ to the results  Esc clear"
        } else {
            "↑↓ move  Enter open  / search  q back"
        }
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("↑ ↓ / j k", "move in the list"),
            (
                "Enter",
                "open the highlighted entry; a question is asked, not answered",
            ),
            (
                "a–f / 1–6",
                "in a question: pick an option, then Enter to answer",
            ),
            ("/", "search (BM25 over the pack; former product names too)"),
            ("Esc", "close the entry, or clear the search"),
            ("q", "back to home"),
        ]
    }

    fn typing(&self) -> bool {
        self.editing && self.open.is_none()
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        if self.open.is_some() {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('q') | KeyCode::Backspace
            ) {
                self.open = None;
                self.asked = None;
            } else if matches!(key.code, KeyCode::Enter | KeyCode::Char(' '))
                && self.asked.is_none()
            {
                self.revealed = true;
            } else if !self.scroll.key(key.code)
                && let Some(a) = &mut self.asked
            {
                let was = a.answered();
                if let Some(msg) = a.key(key.code, app)? {
                    return Ok(Nav::Say(msg));
                }
                if a.answered() && !was {
                    self.scroll.reset();
                }
            }
            return Ok(Nav::Stay);
        }
        if self.editing {
            match key.code {
                KeyCode::Char(c) => {
                    self.query.push(c);
                    self.refresh(app);
                }
                KeyCode::Backspace => {
                    self.query.pop();
                    self.refresh(app);
                }
                KeyCode::Enter | KeyCode::Down => self.editing = false,
                KeyCode::Esc => {
                    if self.query.is_empty() {
                        return Ok(Nav::Home);
                    }
                    self.query.clear();
                    self.editing = self.only.is_none();
                    self.refresh(app);
                }
                _ => {}
            }
            return Ok(Nav::Stay);
        }
        match key.code {
            KeyCode::Char('q') => return Ok(Nav::Home),
            KeyCode::Esc if self.query.is_empty() => return Ok(Nav::Home),
            KeyCode::Esc => {
                self.query.clear();
                self.refresh(app);
            }
            KeyCode::Char('/') => self.editing = true,
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(self.entries.len().saturating_sub(1));
            }
            KeyCode::Enter if !self.entries.is_empty() => {
                self.open = Some(self.cursor);
                self.scroll.reset();
                self.revealed = false;
                self.asked = match self.entries.get(self.cursor) {
                    Some(e) if e.kind == DocKind::Question => Some(Asked::new(app, &e.id)?),
                    _ => None,
                };
            }
            _ => {}
        }
        Ok(Nav::Stay)
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let inner = Rect {
            x: area.x + 1,
            width: area.width.saturating_sub(2),
            ..area
        };
        if let Some(e) = self.open.and_then(|i| self.entries.get(i)) {
            let lines = match &self.asked {
                Some(a) => a.lines(inner.width, t),
                None => self.document(e, cx.app, inner.width, t),
            };
            scroll_view(f, inner, lines, &self.scroll, t);
            return;
        }
        let [search, list] =
            Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
        let cursor = if self.editing { "_" } else { "" };
        let prompt = Line::from(vec![
            Span::styled("/ ", t.accent()),
            Span::raw(format!("{}{cursor}", self.query)),
        ]);
        f.render_widget(
            Paragraph::new(prompt).block(Block::default().borders(Borders::BOTTOM)),
            search,
        );
        let height = usize::from(list.height).max(1);
        let top = self.cursor.saturating_sub(height - 1);
        let w = usize::from(list.width);
        let mut rows: Vec<Line<'static>> = self
            .entries
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, e)| {
                let kind = format!("{:<8}", e.kind.as_str());
                let short_detail = self.query.trim().is_empty();
                let title_max = w.saturating_sub(if short_detail { 16 } else { 10 });
                let title = excerpt(&e.title, title_max);
                let rest = w.saturating_sub(10 + title.chars().count() + 2);
                let detail = if rest >= 6 {
                    excerpt(e.detail.trim_start_matches(['#', ' ']), rest)
                } else {
                    String::new()
                };
                let text = format!("{kind}  {title}  {detail}");
                if i == self.cursor && !self.editing {
                    Line::styled(text, t.selected())
                } else {
                    Line::from(vec![
                        Span::styled(kind, t.dim()),
                        Span::raw(format!("  {title}  ")),
                        Span::styled(detail, t.dim()),
                    ])
                }
            })
            .collect();
        if rows.is_empty() {
            let msg = if self.query.trim().is_empty() {
                "Type words to search notes, questions, flashcards and products."
            } else {
                "Nothing matches; try fewer or other words."
            };
            rows.push(Line::styled(msg, t.dim()));
        }
        f.render_widget(Paragraph::new(rows), list);
    }
}
