//! The state machine: which screen is showing, global keys (help, quit), the header and
//! the status line. Screens live in `crate::screens`, one module each.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use pmle_app::{App, AppError};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::TuiError;
use crate::screens::{Screen, home::Home};
use crate::theme::Theme;
use crate::widgets::{centered, key_line};

/// What the caller should do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Continue,
    Quit,
}

/// Where a screen wants to go after a key.
pub(crate) enum Nav {
    Stay,
    Home,
    Quit,
    Go(Box<Screen>),
    /// Go there, and show this on the status line.
    GoSay(Box<Screen>, String),
    /// Stay, and show this on the status line.
    Say(String),
}

/// What a screen draws with.
pub(crate) struct Ctx<'a> {
    pub(crate) app: &'a App,
    pub(crate) theme: Theme,
}

/// The whole UI: an [`App`], the current screen, the help overlay and the status message.
pub struct Tui {
    app: App,
    theme: Theme,
    screen: Screen,
    help: bool,
    message: Option<String>,
}

impl Tui {
    /// Start on the home screen.
    pub fn new(app: App, theme: Theme) -> Result<Tui, TuiError> {
        let home = Home::new(&app)?;
        Ok(Tui {
            app,
            theme,
            screen: Screen::Home(home),
            help: false,
            message: None,
        })
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    /// React to one key press.
    pub fn handle_key(&mut self, key: KeyEvent) -> Action {
        if key.kind != KeyEventKind::Press {
            return Action::Continue;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            self.leave_screen();
            return Action::Quit;
        }
        self.message = None;
        if self.help {
            self.help = false;
            return Action::Continue;
        }
        if key.code == KeyCode::Char('?') && !self.screen.view().typing() {
            self.help = true;
            return Action::Continue;
        }
        let nav = self.screen.view_mut().handle_key(key, &mut self.app);
        self.follow(nav)
    }

    /// Called about once a second: lets the exam screen submit when time runs out.
    pub fn tick(&mut self) {
        let nav = self.screen.view_mut().tick(&mut self.app);
        self.follow(nav);
    }

    /// Before quitting: let the screen save what it holds (the exam clock).
    fn leave_screen(&mut self) {
        if let Err(e) = self.screen.view_mut().leave(&mut self.app) {
            self.message = Some(e.to_string());
        }
    }

    fn follow(&mut self, nav: Result<Nav, AppError>) -> Action {
        match nav {
            Ok(Nav::Stay) => {}
            Ok(Nav::Quit) => {
                self.leave_screen();
                return Action::Quit;
            }
            Ok(Nav::Home) => {
                self.leave_screen();
                match Home::new(&self.app) {
                    Ok(h) => self.screen = Screen::Home(h),
                    Err(e) => self.message = Some(e.to_string()),
                }
            }
            Ok(Nav::Go(screen)) => self.screen = *screen,
            Ok(Nav::GoSay(screen, m)) => {
                self.screen = *screen;
                self.message = Some(m);
            }
            Ok(Nav::Say(m)) => self.message = Some(m),
            Err(e) => self.message = Some(e.to_string()),
        }
        Action::Continue
    }

    /// Render the current screen (and the help overlay) into `f`.
    pub fn draw(&self, f: &mut Frame<'_>) {
        let [head, body, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(f.area());
        let view = self.screen.view();
        let cx = Ctx {
            app: &self.app,
            theme: self.theme,
        };
        let title = format!(" pmle · {}", view.title(&self.app));
        let status = view.status(&self.app);
        let pad = usize::from(head.width)
            .saturating_sub(title.chars().count() + status.chars().count() + 1);
        f.render_widget(
            Paragraph::new(format!("{title}{}{status} ", " ".repeat(pad)))
                .style(self.theme.header()),
            head,
        );
        view.draw(f, body, &cx);
        let footer = match &self.message {
            Some(m) => Line::styled(format!(" {m}"), self.theme.warn()),
            None => Line::styled(format!(" {}  ? help", view.keys()), self.theme.dim()),
        };
        f.render_widget(Paragraph::new(footer), foot);
        if self.help {
            self.draw_help(f, body);
        }
    }

    fn draw_help(&self, f: &mut Frame<'_>, body: Rect) {
        let view = self.screen.view();
        let mut lines: Vec<Line<'static>> = view
            .help()
            .iter()
            .map(|(k, w)| key_line(k, w, self.theme))
            .collect();
        lines.push(key_line("?", "show or hide this help", self.theme));
        lines.push(key_line(
            "Ctrl-C",
            "quit at once (an exam is saved)",
            self.theme,
        ));
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "  press any key to close",
            self.theme.dim(),
        )));
        let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let area = centered(body, 74, h);
        f.render_widget(Clear, area);
        f.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" Keys ")),
            area,
        );
    }
}

#[cfg(test)]
mod filters_tests;
#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod tests;
