//! One module per screen. Each implements [`View`]: a title, a draw function, key hints, a
//! help table and a key handler that calls `pmle_app::App` and says where to go next.

pub(crate) mod asked;
pub(crate) mod cards;
pub(crate) mod choice;
pub(crate) mod chooser;
pub(crate) mod exam;
pub(crate) mod exam_intro;
pub(crate) mod filters;
pub(crate) mod home;
pub(crate) mod notes;
pub(crate) mod practice;
pub(crate) mod progress;
pub(crate) mod report;
pub(crate) mod review;
pub(crate) mod stats;

use crossterm::event::KeyEvent;
use pmle_app::{App, AppError};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::{Ctx, Nav};

pub(crate) trait View {
    /// Shown in the header after "pmle ·".
    fn title(&self, app: &App) -> String;
    /// Shown at the right of the header (the exam timer).
    fn status(&self, _app: &App) -> String {
        String::new()
    }
    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>);
    /// The short key list on the status line.
    fn keys(&self) -> &'static str;
    /// Key and description rows for the `?` overlay.
    fn help(&self) -> &'static [(&'static str, &'static str)];
    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError>;
    /// True while the screen reads typed text, so `?` and `q` are letters.
    fn typing(&self) -> bool {
        false
    }
    /// About once a second.
    fn tick(&mut self, _app: &mut App) -> Result<Nav, AppError> {
        Ok(Nav::Stay)
    }
    /// The screen is being left or the UI is quitting.
    fn leave(&mut self, _app: &mut App) -> Result<(), AppError> {
        Ok(())
    }
}

pub(crate) enum Screen {
    Home(home::Home),
    Practice(practice::Practice),
    Cards(cards::Cards),
    ExamIntro(exam_intro::ExamIntro),
    Exam(exam::Exam),
    Report(report::Report),
    Notes(notes::Notes),
    Stats(stats::StatsView),
    Progress(progress::ProgressView),
    Review(review::Review),
    Filters(filters::Filters),
    Chooser(chooser::Chooser),
}

impl Screen {
    pub(crate) fn view(&self) -> &dyn View {
        match self {
            Screen::Home(s) => s,
            Screen::Practice(s) => s,
            Screen::Cards(s) => s,
            Screen::ExamIntro(s) => s,
            Screen::Exam(s) => s,
            Screen::Report(s) => s,
            Screen::Notes(s) => s,
            Screen::Stats(s) => s,
            Screen::Progress(s) => s,
            Screen::Review(s) => s,
            Screen::Filters(s) => s,
            Screen::Chooser(s) => s,
        }
    }

    pub(crate) fn view_mut(&mut self) -> &mut dyn View {
        match self {
            Screen::Home(s) => s,
            Screen::Practice(s) => s,
            Screen::Cards(s) => s,
            Screen::ExamIntro(s) => s,
            Screen::Exam(s) => s,
            Screen::Report(s) => s,
            Screen::Notes(s) => s,
            Screen::Stats(s) => s,
            Screen::Progress(s) => s,
            Screen::Review(s) => s,
            Screen::Filters(s) => s,
            Screen::Chooser(s) => s,
        }
    }
}

/// `Nav::Go` for a screen.
pub(crate) fn go(s: Screen) -> Nav {
    Nav::Go(Box::new(s))
}
