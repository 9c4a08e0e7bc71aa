//! The mock exam, on the same engine as the line-based `pmle exam`: `App::plan_exam`,
//! `start_exam` or `resume_exam`, then `exam_answer`/`exam_flag`/`exam_goto` on every key
//! (each is saved at once) and `submit_exam`. The timer is `ExamSession::time_left_ms` at
//! `App::now_unix_ms`; when it reaches zero the next tick lets the engine submit.
//!
//! The database is the single source of truth: the CLI or the web may run the same exam at
//! once. Each tick re-reads the exam when anything was committed; an answer changed
//! elsewhere replaces the choice being made here (with a notice), and an exam submitted
//! elsewhere shows its report. The engine refuses to write back an answer this screen
//! showed if it changed since ([`ExamEvent::ChangedElsewhere`]).

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, ChangeToken, ExamEvent, ExamItemView, ExamSession};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::choice::{Choice, kind_label};
use super::report::Report;
use super::{Screen, View, go};
use crate::markdown::render;
use crate::tui::{Ctx, Nav};
use crate::widgets::{Scroll, centered, clock, para, scroll_view};

enum Mode {
    Normal,
    Goto(String),
    ConfirmSubmit,
}

pub(crate) struct Exam {
    session: ExamSession,
    item: ExamItemView,
    choice: Choice,
    mode: Mode,
    scroll: Scroll,
    /// The store's change token when the session was last read.
    seen: Option<ChangeToken>,
}

impl Exam {
    pub(crate) fn new(app: &App, session: ExamSession) -> Result<Exam, AppError> {
        let item = app.exam_item(&session, session.current())?;
        let choice = Choice::new(item.options.len(), item.kind, &item.chosen);
        Ok(Exam {
            session,
            item,
            choice,
            mode: Mode::Normal,
            scroll: Scroll::default(),
            seen: app.change_token().ok(),
        })
    }

    /// Reload the current item after the session changed.
    fn refresh(&mut self, app: &App) -> Result<(), AppError> {
        let pos = self.session.current();
        if pos != self.item.position {
            self.scroll.reset();
        }
        self.item = app.exam_item(&self.session, pos)?;
        self.choice = Choice::new(self.item.options.len(), self.item.kind, &self.item.chosen);
        Ok(())
    }

    /// Follow an engine event: saved (reload) or time up (the report).
    fn after(&mut self, event: ExamEvent, app: &App) -> Result<Nav, AppError> {
        match event {
            ExamEvent::Saved => {
                self.refresh(app)?;
                Ok(Nav::Stay)
            }
            ExamEvent::TimeUp(report) => Ok(go(Screen::Report(Report::new(*report)))),
            ExamEvent::AlreadySubmitted(ref report) => Ok(Nav::GoSay(
                Box::new(Screen::Report(Report::new((**report).clone()))),
                event.notice().unwrap_or_default(),
            )),
            ExamEvent::ChangedElsewhere { .. } => {
                self.refresh(app)?;
                Ok(Nav::Say(event.notice().unwrap_or_default()))
            }
            ExamEvent::Abandoned(id) => abandoned_elsewhere(app, id),
        }
    }

    /// The report of this exam, submitted by another front end, with a notice.
    fn submitted_elsewhere(&self, app: &App, id: i64) -> Result<Nav, AppError> {
        let report = app.exam_report(id)?;
        let notice = ExamEvent::AlreadySubmitted(Box::new(report.clone())).notice();
        Ok(Nav::GoSay(
            Box::new(Screen::Report(Report::new(report))),
            notice.unwrap_or_default(),
        ))
    }

    /// Re-read the exam if anything was committed since it was last read (by another front
    /// end, or by this one). The choice being made is kept unless the saved answer of this
    /// question changed meanwhile.
    fn follow_store(&mut self, app: &App) -> Result<Nav, AppError> {
        let token = app.change_token()?;
        if self.seen == Some(token) {
            return Ok(Nav::Stay);
        }
        self.seen = Some(token);
        app.exam_refresh(&mut self.session)?;
        if self.session.is_submitted() {
            return self.submitted_elsewhere(app, self.session.id());
        }
        if self.session.is_abandoned() {
            return abandoned_elsewhere(app, self.session.id());
        }
        let item = app.exam_item(&self.session, self.session.current())?;
        let changed = item.position == self.item.position && item.version != self.item.version;
        if changed {
            self.refresh(app)?;
            return Ok(Nav::Say(format!(
                "Question {} was answered in another window or by `pmle exam`; it now shows the saved answer.",
                item.position + 1
            )));
        }
        self.item = item;
        Ok(Nav::Stay)
    }

    fn goto(&mut self, app: &mut App, position: usize) -> Result<Nav, AppError> {
        let e = app.exam_goto(&mut self.session, position)?;
        self.after(e, app)
    }

    fn normal_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        let pos = self.item.position;
        let last = self.session.len().saturating_sub(1);
        match key.code {
            KeyCode::Enter => {
                let picked = match self.choice.ready() {
                    Ok(p) => p,
                    Err(m) => return Ok(Nav::Say(m)),
                };
                let e = app.exam_answer(&mut self.session, pos, &picked)?;
                if matches!(e, ExamEvent::Saved) && pos < last {
                    return self.goto(app, pos + 1);
                }
                self.after(e, app)
            }
            KeyCode::Char('n') | KeyCode::Tab => self.goto(app, (pos + 1).min(last)),
            KeyCode::Char('p') | KeyCode::BackTab => self.goto(app, pos.saturating_sub(1)),
            KeyCode::Char('f') => {
                let e = app.exam_flag(&mut self.session, pos, !self.item.flagged)?;
                self.after(e, app)
            }
            KeyCode::Char('g') => {
                self.mode = Mode::Goto(String::new());
                Ok(Nav::Stay)
            }
            KeyCode::Char('s') => {
                self.mode = Mode::ConfirmSubmit;
                Ok(Nav::Stay)
            }
            KeyCode::Char('q') | KeyCode::Esc => Ok(Nav::Home),
            code => {
                if !self.scroll.key(code) {
                    self.choice.key(code);
                }
                Ok(Nav::Stay)
            }
        }
    }

    fn navigator(&self, cx: &Ctx<'_>, width: u16) -> Vec<Line<'static>> {
        let t = cx.theme;
        let per_row = usize::from(width / 5).max(1);
        let items = &self.session.record.items;
        let mut rows = Vec::new();
        for chunk in items.chunks(per_row) {
            let spans: Vec<ratatui::text::Span<'static>> = chunk
                .iter()
                .map(|it| {
                    let current = it.position == self.item.position;
                    let answered = it.chosen.is_some();
                    // Both marks, as the legend shows them: `*` answered, `f` flagged.
                    let text = format!(
                        "{}{:>2}{}{}",
                        if current { '>' } else { ' ' },
                        it.position + 1,
                        if answered { '*' } else { ' ' },
                        if it.flagged { 'f' } else { ' ' },
                    );
                    let style = if current {
                        t.selected()
                    } else if it.flagged {
                        t.warn()
                    } else if answered {
                        t.good()
                    } else {
                        t.dim()
                    };
                    ratatui::text::Span::styled(text, style)
                })
                .collect();
            rows.push(Line::from(spans));
        }
        rows
    }
}

impl View for Exam {
    fn title(&self, _app: &App) -> String {
        format!(
            "Exam · Q{}/{} · {} answered · {} flagged",
            self.item.position + 1,
            self.item.total,
            self.session.answered(),
            self.session.flagged_positions().len()
        )
    }

    fn status(&self, app: &App) -> String {
        format!(
            "time left {}",
            clock(self.session.time_left_ms(app.now_unix_ms()))
        )
    }

    fn keys(&self) -> &'static str {
        match self.mode {
            Mode::Normal => "a–e pick  Enter confirm  n/p move  f flag  g go to  s submit  q leave",
            Mode::Goto(_) => "type a question number, Enter go, Esc cancel",
            Mode::ConfirmSubmit => "y submit now  n/Esc keep working",
        }
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("a–e / 1–6", "pick an option (multiple select: toggle it)"),
            ("F or 6", "the sixth option (lower-case f flags)"),
            ("← → space", "move the cursor / toggle the option under it"),
            ("Enter", "confirm the answer and go to the next question"),
            ("n p / Tab", "next / previous question"),
            ("f", "flag or unflag this question"),
            ("g 12 Enter", "go to question 12"),
            ("s", "submit (lists unanswered and flagged first)"),
            ("↑ ↓ PgUp PgDn", "scroll a long question"),
            ("q Esc", "save and leave; e on the home screen resumes"),
            ("navigator", "> current  * answered  f flagged (both: *f)"),
        ]
    }

    fn typing(&self) -> bool {
        matches!(self.mode, Mode::Goto(_))
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        match &mut self.mode {
            Mode::Normal => self.normal_key(key, app),
            Mode::Goto(typed) => match key.code {
                KeyCode::Char(c) if c.is_ascii_digit() && typed.len() < 4 => {
                    typed.push(c);
                    Ok(Nav::Stay)
                }
                KeyCode::Backspace => {
                    typed.pop();
                    Ok(Nav::Stay)
                }
                KeyCode::Enter => {
                    let n: usize = typed.parse().unwrap_or(0);
                    self.mode = Mode::Normal;
                    if n == 0 || n > self.session.len() {
                        return Ok(Nav::Say(format!(
                            "there is no question {n}; type a number from 1 to {}",
                            self.session.len()
                        )));
                    }
                    self.goto(app, n - 1)
                }
                KeyCode::Esc => {
                    self.mode = Mode::Normal;
                    Ok(Nav::Stay)
                }
                _ => Ok(Nav::Stay),
            },
            Mode::ConfirmSubmit => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    match app.submit_exam(&mut self.session, false) {
                        Ok(report) => Ok(go(Screen::Report(Report::new(report)))),
                        Err(e) => match (e.submitted_exam(), e.abandoned_exam()) {
                            (Some(id), _) => self.submitted_elsewhere(app, id),
                            (None, Some(id)) => abandoned_elsewhere(app, id),
                            (None, None) => Err(e),
                        },
                    }
                }
                _ => {
                    self.mode = Mode::Normal;
                    Ok(Nav::Stay)
                }
            },
        }
    }

    fn tick(&mut self, app: &mut App) -> Result<Nav, AppError> {
        if self.session.time_left_ms(app.now_unix_ms()) == 0 {
            return self.goto(app, self.item.position);
        }
        self.follow_store(app)
    }

    fn leave(&mut self, app: &mut App) -> Result<(), AppError> {
        if !self.session.is_submitted() {
            app.exam_goto(&mut self.session, self.item.position)?;
        }
        Ok(())
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let nav_lines = self.navigator(cx, area.width.saturating_sub(2));
        let nav_h = u16::try_from(nav_lines.len()).unwrap_or(4) + 1;
        let [body, nav] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(nav_h)]).areas(area);
        let w = body.width.saturating_sub(2);
        let mut lines = vec![Line::styled(
            format!(
                "Question {} · {}{} · {}",
                self.item.position + 1,
                kind_label(self.item.kind),
                if self.item.flagged { " · FLAGGED" } else { "" },
                self.item.section_title,
            ),
            t.dim(),
        )];
        lines.extend(render(&self.item.stem, w, t));
        lines.push(Line::default());
        lines.extend(self.choice.lines(&self.item.options, w, t));
        let saved = if self.item.chosen.is_empty() {
            "not answered yet".to_owned()
        } else {
            let letters: Vec<String> = self
                .item
                .chosen
                .iter()
                .filter_map(|&p| self.item.options.get(p).map(|o| o.letter.to_string()))
                .collect();
            format!("saved answer: {}", letters.join(", "))
        };
        lines.push(Line::styled(saved, t.dim()));
        scroll_view(
            f,
            Rect {
                x: body.x + 1,
                width: w,
                ..body
            },
            lines,
            &self.scroll,
            t,
        );
        f.render_widget(
            Paragraph::new(nav_lines).block(
                Block::default()
                    .borders(Borders::TOP)
                    .title(" Questions: >current *answered f flagged (both *f) "),
            ),
            nav,
        );
        match &self.mode {
            Mode::Normal => {}
            Mode::Goto(typed) => {
                let area = centered(body, 40, 3);
                f.render_widget(Clear, area);
                f.render_widget(
                    Paragraph::new(format!("Go to question: {typed}_"))
                        .block(Block::default().borders(Borders::ALL)),
                    area,
                );
            }
            Mode::ConfirmSubmit => self.draw_confirm(f, body, cx),
        }
    }
}

impl Exam {
    fn draw_confirm(&self, f: &mut Frame<'_>, body: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let list = |v: Vec<usize>| {
            if v.is_empty() {
                "none".to_owned()
            } else {
                v.iter()
                    .map(|p| (p + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let unanswered = self.session.unanswered_positions();
        let flagged = self.session.flagged_positions();
        let w = body.width.saturating_sub(2).min(64);
        let mut lines = vec![Line::styled("Submit the exam?", t.bold()), Line::default()];
        let plain = ratatui::style::Style::new();
        let unanswered = format!("Unanswered ({}): {}", unanswered.len(), list(unanswered));
        lines.extend(para(&unanswered, w.saturating_sub(2), plain));
        let flagged = format!("Flagged ({}): {}", flagged.len(), list(flagged));
        lines.extend(para(&flagged, w.saturating_sub(2), plain));
        lines.push(Line::default());
        lines.push(Line::raw("Unanswered questions count as wrong."));
        lines.push(Line::styled(
            "y submit now · n or Esc keep working",
            t.accent(),
        ));
        let area = centered(body, w, u16::try_from(lines.len() + 2).unwrap_or(u16::MAX));
        f.render_widget(Clear, area);
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL).title(" Submit ")),
            area,
        );
    }
}

/// The exam was abandoned by another front end: back home, saying so.
fn abandoned_elsewhere(app: &App, id: i64) -> Result<Nav, AppError> {
    Ok(Nav::GoSay(
        Box::new(Screen::Home(super::home::Home::new(app)?)),
        ExamEvent::Abandoned(id).notice().unwrap_or_default(),
    ))
}
