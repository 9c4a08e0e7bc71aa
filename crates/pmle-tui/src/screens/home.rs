//! Home: the readiness estimate and its verdict, mastery per exam section against the
//! section's weight, what is due, the exam date's days left and daily figures, the last
//! mock exam against its prediction, and the menu.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, Stats};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Screen, View, go};
use crate::screens::{
    cards::Cards, chooser::Chooser, exam, exam_intro, notes::Notes, practice::Practice,
    review::Review, stats::StatsView,
};
use crate::tui::{Ctx, Nav};
use crate::widgets::{bar, clock, pct};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Practice,
    Review,
    Exam,
    Cards,
    Notes,
    Search,
    Stats,
    /// Not in the menu (24 rows hold seven items): the `w` key opens it.
    Chooser,
}

/// Seven rows fit the menu box at 80×24; q (and Esc) quit, as the key line says.
const MENU: [(Item, char, &str); 7] = [
    (Item::Practice, 'p', "Practice"),
    (Item::Review, 'r', "Review centre"),
    (Item::Exam, 'e', "Mock exam"),
    (Item::Cards, 'c', "Flashcards"),
    (Item::Notes, 'n', "Notes"),
    (Item::Search, '/', "Search"),
    (Item::Stats, 's', "Stats"),
];

pub(crate) struct Home {
    stats: Stats,
    cursor: usize,
}

impl Home {
    pub(crate) fn new(app: &App) -> Result<Home, AppError> {
        Ok(Home {
            stats: app.stats()?,
            cursor: 0,
        })
    }

    fn open(&self, item: Item, app: &mut App) -> Result<Nav, AppError> {
        Ok(match item {
            Item::Practice => go(Screen::Practice(Practice::new(app, None)?)),
            Item::Review => go(Screen::Review(Review::new(
                app,
                pmle_app::ReviewFilter::All,
            )?)),
            Item::Exam => match app.resume_exam()? {
                Some(session) => go(Screen::Exam(exam::Exam::new(app, session)?)),
                None => {
                    let seed = app.now_unix_ms().unsigned_abs();
                    go(Screen::ExamIntro(exam_intro::ExamIntro::new(app, seed)))
                }
            },
            Item::Cards => go(Screen::Cards(Cards::new(app)?)),
            Item::Notes => go(Screen::Notes(Notes::browse(app))),
            Item::Search => go(Screen::Notes(Notes::search())),
            Item::Stats => go(Screen::Stats(StatsView::new(app)?)),
            Item::Chooser => go(Screen::Chooser(Chooser::new(app)?)),
        })
    }
}

impl View for Home {
    fn title(&self, _app: &App) -> String {
        format!(
            "{} (guide {})",
            self.stats.pack.title, self.stats.pack.guide_version
        )
    }

    fn keys(&self) -> &'static str {
        "↑↓ move  Enter open  p r e c n / s w shortcuts  q quit"
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("↑ ↓ / j k", "move in the menu"),
            ("Enter", "open the highlighted item"),
            ("p", "practice: adaptive questions with explanations"),
            ("r", "review centre: missed, bookmarked, flagged, reported"),
            ("e", "mock exam (resumes an unfinished one)"),
            ("c", "flashcards due today"),
            ("n", "notes; / inside to search them"),
            ("/", "search notes, questions, cards and products"),
            ("s", "stats, last exam report; t there: progress"),
            ("w", "which product? the product chooser"),
            ("q Esc", "quit"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.cursor = (self.cursor + 1).min(MENU.len() - 1);
            }
            KeyCode::Enter => return self.open(MENU[self.cursor].0, app),
            KeyCode::Esc | KeyCode::Char('q') => return Ok(Nav::Quit),
            KeyCode::Char('w') => return self.open(Item::Chooser, app),
            KeyCode::Char(c) => {
                if let Some(&(item, _, _)) = MENU.iter().find(|m| m.1 == c) {
                    return self.open(item, app);
                }
            }
            _ => {}
        }
        Ok(Nav::Stay)
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let s = &self.stats;
        let n_sections = u16::try_from(s.sections.len()).unwrap_or(6);
        let [ready, sections, bottom] = Layout::vertical([
            Constraint::Length(6),
            Constraint::Length(n_sections + 1),
            Constraint::Min(3),
        ])
        .areas(area);

        let r = &s.readiness;
        let verdict_style = match r.status.as_str() {
            "likely_ready" => t.good(),
            "borderline" => t.warn(),
            "not_ready" => t.bad(),
            _ => t.dim(),
        };
        let figures = match (r.mean, r.low, r.high) {
            (Some(mean), Some(low), Some(high)) => Line::from(vec![
                Span::styled(format!("Estimated score {}", pct(mean)), t.bold()),
                Span::raw(format!(
                    " ({}–{}) · target {} · P(pass) {} · evidence {}",
                    pct(low),
                    pct(high),
                    pct(r.target),
                    r.p_pass_text(),
                    pct(r.coverage)
                )),
            ]),
            _ => Line::from(vec![
                Span::styled("Estimated score: not measured yet", t.bold()),
                Span::raw(format!(" · target {}", pct(r.target))),
            ]),
        };
        let lines = vec![figures, Line::styled(r.verdict.clone(), verdict_style)];
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL).title(" Readiness ")),
            ready,
        );

        let inner_w = usize::from(sections.width);
        let title_w = inner_w.saturating_sub(36).max(8);
        let rows: Vec<Line<'static>> = s
            .sections
            .iter()
            .map(|sec| {
                let title = crate::widgets::excerpt(&sec.title, title_w);
                let style = if Some(&sec.id) == r.weakest_section.as_ref() {
                    t.warn()
                } else {
                    t.accent()
                };
                let (gauge, figure) = match sec.mastery {
                    Some(m) => (Span::styled(bar(m, 16), style), pct(m)),
                    None => (
                        Span::styled(format!("{:<16}", "not measured yet"), t.dim()),
                        "–".to_owned(),
                    ),
                };
                Line::from(vec![
                    Span::raw(format!("{} {title:<title_w$} ", sec.number)),
                    gauge,
                    Span::raw(format!(
                        " {figure:>4} {:>4}% {:>5}",
                        sec.weight, sec.answers
                    )),
                ])
            })
            .collect();
        f.render_widget(
            Paragraph::new(rows).block(
                Block::default()
                    .borders(Borders::TOP)
                    .title(" Sections: mastery · weight · answers "),
            ),
            sections,
        );

        let [menu, today] =
            Layout::horizontal([Constraint::Length(26), Constraint::Min(20)]).areas(bottom);
        let items: Vec<Line<'static>> = MENU
            .iter()
            .enumerate()
            .map(|(i, (item, key, label))| {
                let label = if *item == Item::Exam && s.exams.unfinished.is_some() {
                    "Resume exam"
                } else {
                    label
                };
                let text = format!(" {key}  {label:<18}");
                if i == self.cursor {
                    Line::styled(text, t.selected())
                } else {
                    Line::raw(text)
                }
            })
            .collect();
        f.render_widget(
            Paragraph::new(items).block(Block::default().borders(Borders::ALL).title(" Menu ")),
            menu,
        );

        let mut info = vec![
            Line::raw(format!(
                "Cards due: {}  · new today: {}",
                s.cards.due, s.cards.new_today
            )),
            Line::raw(format!(
                "Answers: {}  · correct: {}",
                s.progress.answers_total,
                s.progress.correct_share.map_or_else(|| "–".to_owned(), pct)
            )),
            Line::raw(mock_line(s)),
        ];
        if let Some(u) = &s.exams.unfinished {
            info.push(Line::styled(
                format!(
                    "Unfinished exam: {}/{} answered, {} left (e resumes)",
                    u.answered,
                    u.questions,
                    clock(u.seconds_left * 1000)
                ),
                t.warn(),
            ));
        }
        info.extend(exam_lines(s, t));
        info.push(Line::styled(
            format!(
                "{} questions · {} cards · {} notes",
                s.content.questions, s.content.cards, s.content.notes
            ),
            t.dim(),
        ));
        f.render_widget(
            Paragraph::new(info)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL).title(" Today ")),
            today,
        );
    }
}

/// Mock exams taken, and the latest one's prediction against its score.
fn mock_line(s: &Stats) -> String {
    let last = s
        .readiness
        .mock_exams
        .iter()
        .find(|m| m.actual.is_some())
        .map_or_else(String::new, |m| format!(" · last {}", m.sentence()));
    format!("Mock exams: {}{last}", s.exams.finished)
}

/// Days left and the daily plan, or how to set the exam date.
fn exam_lines(s: &Stats, t: crate::theme::Theme) -> Vec<Line<'static>> {
    let e = &s.exam_plan;
    let (Some(date), Some(days)) = (&e.exam_date, e.days_left) else {
        return vec![Line::styled(
            "No exam date: `pmle settings set exam_date YYYY-MM-DD` gives a daily plan",
            t.dim(),
        )];
    };
    let Some(p) = &e.plan else {
        // The exam is today or has passed: the app's sentence says what to do.
        return e.summary.iter().map(|l| Line::raw(l.clone())).collect();
    };
    let mock = match &p.next_mock {
        None => "no more mocks".to_owned(),
        Some(m) if m.in_days == 0 => "mock exam today".to_owned(),
        Some(m) if m.in_days == 1 => "mock exam tomorrow".to_owned(),
        Some(m) => format!("mock {}", m.date),
    };
    vec![
        Line::from(vec![
            Span::styled(format!("Exam {date}: {days} days left"), t.bold()),
            Span::raw(" (s: the plan in full)"),
        ]),
        Line::raw(format!(
            "Daily: {} questions · {} cards · {mock}",
            p.questions_per_day, p.card_reviews_per_day
        )),
    ]
}
