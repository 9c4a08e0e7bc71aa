//! The real terminal: raw mode and the alternate screen, restored by a guard when `run`
//! returns and by a panic hook before the panic message is printed, so a crash never
//! leaves the learner's shell unusable.

use std::io::{self, Stdout};
use std::time::Duration;

use crossterm::event::{self, Event};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use pmle_app::App;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::{Action, Theme, Tui, TuiError};

/// Run the UI on the terminal until the learner quits. Colours follow `NO_COLOR`.
pub fn run(app: App) -> Result<(), TuiError> {
    let mut tui = Tui::new(app, Theme::from_env())?;
    install_panic_hook();
    let _guard = Guard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;
    event_loop(&mut terminal, &mut tui)
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    tui: &mut Tui,
) -> Result<(), TuiError> {
    loop {
        terminal.draw(|f| tui.draw(f))?;
        // Wake at least once a second so the exam timer moves and time-up is noticed.
        if event::poll(Duration::from_millis(1000))? {
            let action = match event::read()? {
                Event::Key(key) => tui.handle_key(key),
                Event::Resize(_, _) => {
                    terminal.autoresize()?;
                    Action::Continue
                }
                _ => Action::Continue,
            };
            if action == Action::Quit {
                return Ok(());
            }
        } else {
            tui.tick();
        }
    }
}

/// Leaves raw mode and the alternate screen when dropped.
struct Guard;

impl Guard {
    fn enter() -> io::Result<Guard> {
        enable_raw_mode()?;
        if let Err(e) = execute!(io::stdout(), EnterAlternateScreen) {
            let _ = disable_raw_mode();
            return Err(e);
        }
        Ok(Guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
}

/// Restore the terminal first, then let the previous hook print the panic.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
