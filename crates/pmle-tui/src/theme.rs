//! Styles in one place, so `NO_COLOR` (https://no-color.org) is honoured by switching a
//! single flag: without colour every style falls back to bold, reverse or italic, which
//! still tells selected, right and wrong apart on a monochrome terminal.

use ratatui::style::{Color, Modifier, Style};

/// Whether colours may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless the `NO_COLOR` environment variable is set to a non-empty value.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    fn fg(self, c: Color, fallback: Modifier) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new().add_modifier(fallback)
        }
    }

    pub(crate) fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub(crate) fn italic(self) -> Style {
        Style::new().add_modifier(Modifier::ITALIC)
    }
    pub(crate) fn code(self) -> Style {
        self.fg(Color::Cyan, Modifier::ITALIC)
    }
    pub(crate) fn link(self) -> Style {
        self.fg(Color::Blue, Modifier::UNDERLINED)
            .add_modifier(Modifier::UNDERLINED)
    }
    pub(crate) fn heading(self) -> Style {
        self.fg(Color::Yellow, Modifier::BOLD)
            .add_modifier(Modifier::BOLD)
    }
    pub(crate) fn good(self) -> Style {
        self.fg(Color::Green, Modifier::BOLD)
    }
    pub(crate) fn bad(self) -> Style {
        self.fg(Color::Red, Modifier::BOLD)
    }
    pub(crate) fn warn(self) -> Style {
        self.fg(Color::Yellow, Modifier::BOLD)
    }
    pub(crate) fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }
    pub(crate) fn accent(self) -> Style {
        self.fg(Color::Cyan, Modifier::BOLD)
            .add_modifier(Modifier::BOLD)
    }
    pub(crate) fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub(crate) fn header(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
}
