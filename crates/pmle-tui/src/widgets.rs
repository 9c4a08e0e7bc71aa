//! Drawing helpers shared by the screens: a scrolling text pane, bars, durations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::theme::Theme;

/// Render `lines` into `area` starting at line `scroll` (clamped so the last page stays
/// full). When more text follows, the last row says so.
pub(crate) fn scroll_view(
    f: &mut Frame<'_>,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: u16,
    theme: Theme,
) {
    let height = usize::from(area.height);
    let max = lines.len().saturating_sub(height);
    let top = usize::from(scroll).min(max);
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

/// Arrow and page keys move a scroll offset; true when the key was one of them.
pub(crate) fn scroll_key(code: crossterm::event::KeyCode, scroll: &mut u16) -> bool {
    use crossterm::event::KeyCode;
    match code {
        KeyCode::Down => *scroll = scroll.saturating_add(1),
        KeyCode::Up => *scroll = scroll.saturating_sub(1),
        KeyCode::PageDown => *scroll = scroll.saturating_add(10),
        KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
        KeyCode::Home => *scroll = 0,
        KeyCode::End => *scroll = u16::MAX / 2,
        _ => return false,
    }
    true
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
