//! Stats: progress, mastery per section with its 80% interval, flashcards and exams, from
//! `App::stats`; `r` opens the latest exam report, `t` progress over time.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, Stats};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::progress::ProgressView;
use super::report::Report;
use super::{Screen, View, go};
use crate::tui::{Ctx, Nav};
use crate::widgets::{Scroll, bar, clock, para, pct, scroll_view};

pub(crate) struct StatsView {
    stats: Stats,
    latest_exam: Option<i64>,
    scroll: Scroll,
}

impl StatsView {
    pub(crate) fn new(app: &App) -> Result<StatsView, AppError> {
        Ok(StatsView {
            stats: app.stats()?,
            latest_exam: app.finished_exams()?.first().map(|e| e.id),
            scroll: Scroll::default(),
        })
    }
}

impl View for StatsView {
    fn title(&self, _app: &App) -> String {
        "Stats".to_owned()
    }

    fn keys(&self) -> &'static str {
        "r latest exam report  t progress over time  ↑↓ scroll  q back"
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("r", "report and review of the latest finished exam"),
            (
                "t",
                "progress over time: mock-exam history and section trends",
            ),
            ("↑ ↓ PgUp PgDn", "scroll"),
            ("q Esc", "back to home"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => Ok(Nav::Home),
            KeyCode::Char('r') => match self.latest_exam {
                Some(id) => Ok(go(Screen::Report(Report::new(app.exam_report(id)?)))),
                None => Ok(Nav::Say(
                    "no finished exam yet; start one with e on the home screen".into(),
                )),
            },
            KeyCode::Char('t') => Ok(go(Screen::Progress(ProgressView::new(app, 30)?))),
            code => {
                self.scroll.key(code);
                Ok(Nav::Stay)
            }
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let s = &self.stats;
        let p = &s.progress;
        let share = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), pct);
        let w = area.width.saturating_sub(2);
        let raw = |text: String| para(&text, w, ratatui::style::Style::new());
        let mut lines = vec![Line::styled("Progress", t.heading())];
        lines.extend(raw(format!(
            "{} answers, {} correct ({}), {} distinct questions of {}",
            p.answers_total,
            p.answers_correct,
            share(p.correct_share),
            p.questions_seen,
            s.content.questions
        )));
        lines.push(Line::default());
        lines.push(Line::styled(
            "Mastery by section (80% interval)",
            t.heading(),
        ));
        for sec in &s.sections {
            let title = crate::widgets::excerpt(&sec.title, 30);
            let gauge = match sec.mastery {
                Some(m) => Span::styled(bar(m, 12), t.accent()),
                None => Span::styled(" ".repeat(12), t.dim()),
            };
            lines.push(Line::from(vec![
                Span::raw(format!("{} {title:<30} ", sec.number)),
                gauge,
                Span::raw(format!(
                    " {:<16} {:>3}% {:>4} ans",
                    sec.mastery_text(),
                    sec.weight,
                    sec.answers
                )),
            ]));
        }
        lines.push(Line::default());
        lines.push(Line::styled("Exam date and daily plan", t.heading()));
        for l in &s.exam_plan.summary {
            lines.extend(raw(l.clone()));
        }
        let r = &s.readiness;
        lines.push(Line::default());
        lines.push(Line::styled("Readiness", t.heading()));
        lines.extend(raw(format!(
            "estimate {}, target {}, P(reach target) {}, evidence {}",
            r.estimate_text(),
            pct(r.target),
            r.p_pass_text(),
            pct(r.coverage)
        )));
        lines.extend(para(&r.verdict, w, t.dim()));
        if !r.mock_exams.is_empty() {
            lines.push(Line::default());
            lines.push(Line::styled(
                "Mock exams: predicted against scored",
                t.heading(),
            ));
            for m in &r.mock_exams {
                let style = if m.held == Some(false) {
                    t.warn()
                } else {
                    ratatui::style::Style::new()
                };
                lines.extend(para(
                    &format!("exam {} ({}): {}", m.exam_id, m.variant, m.sentence()),
                    w,
                    style,
                ));
            }
        }
        lines.push(Line::default());
        lines.push(Line::styled("Flashcards and exams", t.heading()));
        let c = &s.cards;
        lines.extend(raw(format!(
            "{} cards, {} due, {} new today; {} questions scheduled; FSRS parameters: {}",
            c.total, c.due, c.new_today, c.scheduled_questions, c.fsrs_parameters
        )));
        lines.extend(raw(format!(
            "{} exams finished{}{}",
            s.exams.finished,
            s.exams
                .last_score
                .map_or_else(String::new, |x| format!(", last score {}", pct(x))),
            s.exams
                .unfinished
                .as_ref()
                .map_or_else(String::new, |u| format!(
                    "; unfinished: {}/{} answered, {} left",
                    u.answered,
                    u.questions,
                    clock(u.seconds_left * 1000)
                ))
        )));
        lines.extend(para(&format!("database: {}", s.database), w, t.dim()));
        let inner = Rect {
            x: area.x + 1,
            width: area.width.saturating_sub(2),
            ..area
        };
        scroll_view(f, inner, lines, &self.scroll, t);
    }
}
