//! Drawing helpers shared by the screens: a scrolling text pane, bars, durations.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::theme::Theme;

/// A scroll offset that pages by what is on screen: [`scroll_view`] records the height it
/// drew and how far the text can go, so PgDn/PgUp move by one visible page (never skipping
/// or repeating a line) and no key scrolls past the end.
#[derive(Debug, Default)]
pub(crate) struct Scroll {
    top: u16,
    /// Lines of text one page shows (0 until first drawn).
    page: Cell<u16>,
    /// The largest useful `top` (0 until first drawn).
    max: Cell<u16>,
    drawn: Cell<bool>,
}

/// How far PgDn moves before the first draw has measured the page.
const FIRST_PAGE: u16 = 10;

impl Scroll {
    pub(crate) fn reset(&mut self) {
        self.top = 0;
    }

    /// Arrow, page, Home and End keys move the offset; true when the key was one of them.
    pub(crate) fn key(&mut self, code: crossterm::event::KeyCode) -> bool {
        use crossterm::event::KeyCode;
        let page = match self.page.get() {
            0 => FIRST_PAGE,
            p => p,
        };
        let top = match code {
            KeyCode::Down => self.top.saturating_add(1),
            KeyCode::Up => self.top.saturating_sub(1),
            KeyCode::PageDown => self.top.saturating_add(page),
            KeyCode::PageUp => self.top.saturating_sub(page),
            KeyCode::Home => 0,
            KeyCode::End => u16::MAX,
            _ => return false,
        };
        self.top = if self.drawn.get() {
            top.min(self.max.get())
        } else {
            top.min(u16::MAX / 2)
        };
        true
    }
}

/// Render `lines` into `area` from `scroll`'s offset (clamped so the last page stays full).
/// When more text follows, the last row says so. Records the page height in `scroll`.
pub(crate) fn scroll_view(
    f: &mut Frame<'_>,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: &Scroll,
    theme: Theme,
) {
    let height = usize::from(area.height);
    let max = lines.len().saturating_sub(height);
    let top = usize::from(scroll.top).min(max);
    // While text follows, the last row is the "more" notice: a page is one row less.
    let page = if lines.len() > height && height > 1 {
        height - 1
    } else {
        height
    };
    // The last page starts where the final line sits on the last text row.
    let last_top = if lines.len() > height {
        lines.len() - height
    } else {
        0
    };
    scroll
        .page
        .set(u16::try_from(page.max(1)).unwrap_or(u16::MAX));
    scroll.max.set(u16::try_from(last_top).unwrap_or(u16::MAX));
    scroll.drawn.set(true);
    let below = lines.len().saturating_sub(top + height);
    let mut shown: Vec<Line<'static>> = lines.into_iter().skip(top).take(height).collect();
    if below > 0 && height > 1 {
        shown.pop();
        shown.push(Line::styled(
            format!("  ↓ {below} more line(s): PgDn/↓ to scroll"),
            theme.dim(),
        ));
    }
    f.render_widget(Paragraph::new(shown), area);
}

/// A bar of `width` cells filled to share `p` (0–1).
pub(crate) fn bar(p: f64, width: usize) -> String {
    let filled = ((p.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// A share as a whole percentage (`-0%` is shown as `0%`).
pub(crate) fn pct(p: f64) -> String {
    let v = (p * 100.0).round();
    format!("{:.0}%", if v == 0.0 { 0.0 } else { v })
}

/// Plain text wrapped to `width`, in one style.
pub(crate) fn para(text: &str, width: u16, style: ratatui::style::Style) -> Vec<Line<'static>> {
    crate::markdown::wrap(&[(text.to_owned(), style)], usize::from(width))
        .into_iter()
        .map(Line::from)
        .collect()
}

/// An exam time, as every front end writes it: `h:mm:ss` (`pmle_app::clock_text`).
pub(crate) fn clock(ms: i64) -> String {
    pmle_app::clock_text(ms)
}

/// An interval as a learner reads it: `10m`, `5h`, `3d`, `4mo`.
pub(crate) fn interval(ms: i64) -> String {
    let min = ms / 60_000;
    match min {
        m if m < 60 => format!("{}m", m.max(1)),
        m if m < 60 * 24 => format!("{}h", m / 60),
        m if m < 60 * 24 * 60 => format!("{}d", m / (60 * 24)),
        m => format!("{}mo", m / (60 * 24 * 30)),
    }
}

/// A `w`×`h` rectangle centred in `area` (shrunk to fit).
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// `key  description` rows for help and footers.
pub(crate) fn key_line(key: &str, what: &str, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {key:<14} "), theme.accent()),
        Span::raw(what.to_owned()),
    ])
}

/// First `n` characters of the first line of `s`, with an ellipsis when cut.
pub(crate) fn excerpt(s: &str, n: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let flat = flat.replace("**", "").replace('`', "");
    if flat.chars().count() <= n {
        flat
    } else {
        let mut t: String = flat.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first row on screen after drawing `n` numbered lines in a `h`-row pane.
    fn first_row(scroll: &Scroll, n: usize, h: u16) -> String {
        let backend = ratatui::backend::TestBackend::new(20, h);
        let mut term = ratatui::Terminal::new(backend).unwrap();
        let lines: Vec<Line<'static>> = (0..n).map(|i| Line::raw(format!("line {i}"))).collect();
        term.draw(|f| scroll_view(f, f.area(), lines, scroll, Theme { color: false }))
            .unwrap();
        let buf = term.backend().buffer();
        (0..20)
            .map(|x| buf[(x, 0)].symbol().to_owned())
            .collect::<String>()
            .trim_end()
            .to_owned()
    }

    /// PgDn moved 10 lines whatever the height. Now it moves one visible page: in a 25-row
    /// pane 24 rows show text (the last says more follows), so the line under that notice
    /// comes first; PgUp comes back; End and a PgDn past it stay on the last page.
    #[test]
    fn page_keys_move_by_the_visible_page() {
        use crossterm::event::KeyCode;
        let mut s = Scroll::default();
        assert_eq!(first_row(&s, 100, 25), "line 0");
        s.key(KeyCode::PageDown);
        assert_eq!(first_row(&s, 100, 25), "line 24");
        s.key(KeyCode::PageDown);
        assert_eq!(first_row(&s, 100, 25), "line 48");
        s.key(KeyCode::PageUp);
        assert_eq!(first_row(&s, 100, 25), "line 24");
        s.key(KeyCode::End);
        assert_eq!(first_row(&s, 100, 25), "line 75");
        s.key(KeyCode::PageDown);
        s.key(KeyCode::Up);
        // Clamped at the end, so one Up is one line back at once.
        assert_eq!(first_row(&s, 100, 25), "line 74");
        // A shorter pane pages by its own height.
        let mut s = Scroll::default();
        first_row(&s, 100, 8);
        s.key(KeyCode::PageDown);
        assert_eq!(first_row(&s, 100, 8), "line 7");
    }

    #[test]
    fn clock_formats_hours_and_minutes() {
        assert_eq!(clock(7_209_000), "2:00:09");
        assert_eq!(clock(309_000), "0:05:09");
        assert_eq!(clock(-5), "0:00:00");
    }

    #[test]
    fn intervals_pick_a_readable_unit() {
        assert_eq!(interval(600_000), "10m");
        assert_eq!(interval(5 * 3_600_000), "5h");
        assert_eq!(interval(3 * 86_400_000), "3d");
        assert_eq!(interval(120 * 86_400_000), "4mo");
    }

    #[test]
    fn bars_fill_in_proportion() {
        assert_eq!(bar(0.5, 4), "██░░");
        assert_eq!(bar(1.5, 2), "██");
    }

    #[test]
    fn percentages_never_show_negative_zero() {
        assert_eq!(pct(-0.001), "0%");
        assert_eq!(pct(0.655), "66%");
    }

    #[test]
    fn excerpts_cut_with_an_ellipsis() {
        assert_eq!(excerpt("a **b**\n c", 10), "a b c");
        assert_eq!(excerpt("abcdef", 4), "abc…");
    }
}
