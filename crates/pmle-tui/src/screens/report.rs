//! The report after an exam (`App::exam_report`): score, each section against its weight,
//! time, and a review of the questions with every option's explanation.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, ExamReport, ReportItem};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::View;
use super::practice::{option_explanations, references};
use crate::markdown::render;
use crate::tui::{Ctx, Nav};
use crate::widgets::{Scroll, bar, clock, excerpt, pct, scroll_view};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    Wrong,
    Flagged,
    All,
}

pub(crate) struct Report {
    report: ExamReport,
    filter: Filter,
    cursor: usize,
    open: Option<usize>,
    scroll: Scroll,
}

impl Report {
    pub(crate) fn new(report: ExamReport) -> Report {
        Report {
            report,
            filter: Filter::Wrong,
            cursor: 0,
            open: None,
            scroll: Scroll::default(),
        }
    }

    fn shown(&self) -> Vec<&ReportItem> {
        self.report
            .items
            .iter()
            .filter(|i| match self.filter {
                Filter::Wrong => !i.correct,
                Filter::Flagged => i.flagged,
                Filter::All => true,
            })
            .collect()
    }
}

impl View for Report {
    fn title(&self, _app: &App) -> String {
        format!("Exam report #{}", self.report.exam_id)
    }

    fn keys(&self) -> &'static str {
        if self.open.is_some() {
            "↑↓ PgUp PgDn scroll  Esc back to the list"
        } else {
            "↑↓ move  Enter review  w wrong  f flagged  a all  q home"
        }
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("↑ ↓ / j k", "move in the review list"),
            ("Enter", "review the question: every option explained"),
            ("w f a", "list wrong, flagged or all questions"),
            ("Esc", "back to the list"),
            ("q", "home"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, _app: &mut App) -> Result<Nav, AppError> {
        if self.open.is_some() {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('q') | KeyCode::Backspace
            ) {
                self.open = None;
            } else {
                self.scroll.key(key.code);
            }
            return Ok(Nav::Stay);
        }
        let n = self.shown().len();
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => return Ok(Nav::Home),
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(n.saturating_sub(1));
            }
            KeyCode::Char(c @ ('w' | 'f' | 'a')) => {
                self.filter = match c {
                    'w' => Filter::Wrong,
                    'f' => Filter::Flagged,
                    _ => Filter::All,
                };
                self.cursor = 0;
            }
            KeyCode::Enter => {
                if let Some(item) = self.shown().get(self.cursor) {
                    self.open = Some(item.position);
                    self.scroll.reset();
                }
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
        if let Some(pos) = self.open
            && let Some(item) = self.report.items.iter().find(|i| i.position == pos)
        {
            let mut lines = vec![Line::styled(
                format!(
                    "Question {} · {} · {} · {}",
                    item.position + 1,
                    item.section_id,
                    if !item.answered {
                        "not answered"
                    } else if item.correct {
                        "right"
                    } else {
                        "wrong"
                    },
                    clock(item.time_ms)
                ),
                if item.correct { t.good() } else { t.bad() },
            )];
            lines.push(Line::default());
            lines.extend(render(&item.stem, inner.width, t));
            lines.extend(option_explanations(&item.options, inner.width, t));
            lines.extend(references(&item.references, inner.width, t));
            scroll_view(f, inner, lines, &self.scroll, t);
            return;
        }
        let r = &self.report;
        let n_sec = u16::try_from(r.sections.len()).unwrap_or(6);
        let summary_height = if r.prediction.is_some() { 3 } else { 2 };
        let [summary, sections, list] = Layout::vertical([
            Constraint::Length(summary_height),
            Constraint::Length(n_sec + 1),
            Constraint::Min(3),
        ])
        .areas(inner);
        let summary_lines = vec![
            Line::from(vec![
                Span::styled(
                    format!("Score {}/{} ({})", r.correct, r.total, pct(r.score)),
                    t.bold(),
                ),
                Span::raw(format!(
                    " · answered {} of {} · flagged {} · all-or-nothing scoring",
                    r.answered, r.total, r.flagged
                )),
            ]),
            Line::raw(format!(
                "Time {} of {} · {}{}",
                clock(r.elapsed_ms),
                clock(r.time_limit_ms),
                r.mean_answered_ms.map_or_else(
                    || "no question answered".to_owned(),
                    |ms| format!("{} per answered question", clock(ms))
                ),
                if r.auto_submitted {
                    " · time ran out, so pmle submitted the exam"
                } else {
                    ""
                }
            )),
        ];
        let mut summary_lines = summary_lines;
        if let Some(p) = &r.prediction {
            let style = if p.held == Some(false) {
                t.warn()
            } else {
                t.dim()
            };
            summary_lines.push(Line::styled(
                format!("Readiness check: {}", p.sentence()),
                style,
            ));
        }
        f.render_widget(Paragraph::new(summary_lines), summary);
        let mut sec_lines = vec![Line::styled(
            format!("  {:<40} {:<16} {:>5}", "section", "score", "weight"),
            t.dim(),
        )];
        for s in &r.sections {
            let share = s.correct as f64 / s.total.max(1) as f64;
            let title = excerpt(&s.title, 40);
            sec_lines.push(Line::from(vec![
                Span::raw(format!(
                    "{} {title:<40} {:>2}/{:<2} ",
                    s.number, s.correct, s.total
                )),
                Span::styled(bar(share, 10), t.accent()),
                Span::raw(format!(" {:>4}%", s.weight)),
            ]));
        }
        f.render_widget(Paragraph::new(sec_lines), sections);

        let shown = self.shown();
        let label = match self.filter {
            Filter::Wrong => "wrong or unanswered",
            Filter::Flagged => "flagged",
            Filter::All => "all",
        };
        let height = usize::from(list.height.saturating_sub(1)).max(1);
        let top = self.cursor.saturating_sub(height - 1);
        let mut rows: Vec<Line<'static>> = shown
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, it)| {
                let mark = match (it.answered, it.correct) {
                    (false, _) => "–",
                    (true, true) => "✓",
                    (true, false) => "✗",
                };
                let flag = if it.flagged { "f" } else { " " };
                let text = format!(
                    "{:>3} {mark}{flag} {}",
                    it.position + 1,
                    excerpt(&it.stem, usize::from(list.width).saturating_sub(8))
                );
                if i == self.cursor {
                    Line::styled(text, t.selected())
                } else {
                    Line::raw(text)
                }
            })
            .collect();
        if shown.is_empty() {
            rows.push(Line::raw("  nothing to list; press a for all questions"));
        }
        f.render_widget(
            Paragraph::new(rows).block(
                Block::default()
                    .borders(Borders::TOP)
                    .title(format!(" Review: {label} ({}) ", shown.len())),
            ),
            list,
        );
    }
}
