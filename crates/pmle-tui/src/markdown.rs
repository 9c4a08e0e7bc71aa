//! A small Markdown renderer for the constructs pack text uses: paragraphs, headings, bold,
//! italic, inline code, links, bullet and numbered lists, tables, quotes and code fences.
//!
//! It wraps text itself (rather than leaving it to `Paragraph::wrap`) so that list items keep
//! a hanging indent, table cells wrap inside their column, and screens know how many lines a
//! text takes before they scroll it. A full CommonMark parser would bring nothing the pack
//! needs; anything it does not recognise is shown as plain text, never dropped.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::theme::Theme;

mod table;
use table::table;

/// A run of text with one style.
pub(crate) type Seg = (String, Style);

/// Render `text` to lines at most `width` columns wide.
pub(crate) fn render(text: &str, width: u16, theme: Theme) -> Vec<Line<'static>> {
    let width = usize::from(width.max(10));
    let mut out: Vec<Line<'static>> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    let blank = |out: &mut Vec<Line<'static>>| {
        if out.last().is_some_and(|l| l.width() > 0) {
            out.push(Line::default());
        }
    };
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            blank(&mut out);
            i += 1;
        } else if trimmed.starts_with("```") {
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                for chunk in wrap(&[(lines[i].to_owned(), theme.code())], width - 2) {
                    out.push(prefixed("  ", chunk, Style::new()));
                }
                i += 1;
            }
            i += 1;
        } else if let Some(level) = heading_level(trimmed) {
            blank(&mut out);
            let body = trimmed[level..].trim();
            let segs = restyle(inline(body, theme), theme.heading());
            out.extend(wrap(&segs, width).into_iter().map(Line::from));
            i += 1;
        } else if trimmed.starts_with('|') {
            let mut rows = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                rows.push(lines[i].trim());
                i += 1;
            }
            out.extend(table(&rows, width, theme));
        } else if let Some((marker, rest)) = list_marker(trimmed) {
            let indent = line.len() - trimmed.len();
            let mut body = rest.to_owned();
            i += 1;
            while i < lines.len() {
                let next = lines[i];
                let t = next.trim_start();
                if t.is_empty() || list_marker(t).is_some() || next.len() - t.len() <= indent {
                    break;
                }
                body.push(' ');
                body.push_str(t);
                i += 1;
            }
            let pad = " ".repeat(indent.min(8));
            let first = format!("{pad}{marker}");
            let rest_pad = " ".repeat(first.width());
            let wrapped = wrap(&inline(&body, theme), width.saturating_sub(first.width()));
            for (n, chunk) in wrapped.into_iter().enumerate() {
                let p = if n == 0 { &first } else { &rest_pad };
                out.push(prefixed(p, chunk, Style::new()));
            }
        } else if let Some(rest) = trimmed.strip_prefix('>') {
            let mut body = rest.trim().to_owned();
            i += 1;
            while i < lines.len() {
                let Some(r) = lines[i].trim_start().strip_prefix('>') else {
                    break;
                };
                body.push(' ');
                body.push_str(r.trim());
                i += 1;
            }
            for chunk in wrap(&inline(&body, theme), width - 2) {
                out.push(prefixed("│ ", chunk, theme.dim()));
            }
        } else {
            let mut body = trimmed.to_owned();
            i += 1;
            while i < lines.len() {
                let t = lines[i].trim_start();
                if t.is_empty()
                    || t.starts_with('|')
                    || t.starts_with("```")
                    || t.starts_with('>')
                    || heading_level(t).is_some()
                    || list_marker(t).is_some()
                {
                    break;
                }
                body.push(' ');
                body.push_str(t);
                i += 1;
            }
            out.extend(
                wrap(&inline(&body, theme), width)
                    .into_iter()
                    .map(Line::from),
            );
        }
    }
    while out.last().is_some_and(|l| l.width() == 0) {
        out.pop();
    }
    out
}

fn prefixed(prefix: &str, chunk: Vec<Span<'static>>, style: Style) -> Line<'static> {
    let mut spans = vec![Span::styled(prefix.to_owned(), style)];
    spans.extend(chunk);
    Line::from(spans)
}

fn heading_level(t: &str) -> Option<usize> {
    let n = t.chars().take_while(|&c| c == '#').count();
    (1..=6)
        .contains(&n)
        .then_some(n)
        .filter(|&n| t[n..].starts_with(' '))
}

/// `- x`, `* x`, `+ x` or `12. x`: the marker to print and the item's text.
fn list_marker(t: &str) -> Option<(String, &str)> {
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some(("• ".to_owned(), rest));
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((format!("{}. ", &t[..digits]), r));
        }
    }
    None
}

pub(super) fn restyle(segs: Vec<Seg>, extra: Style) -> Vec<Seg> {
    segs.into_iter().map(|(t, s)| (t, s.patch(extra))).collect()
}

/// Inline markup: `**bold**`, `*italic*`, `` `code` ``, `[text](url)`.
pub(crate) fn inline(text: &str, theme: Theme) -> Vec<Seg> {
    let mut segs: Vec<Seg> = Vec::new();
    let mut plain = String::new();
    let mut bold = false;
    let mut italic = false;
    let style = |bold: bool, italic: bool| {
        let mut s = Style::new();
        if bold {
            s = s.patch(theme.bold());
        }
        if italic {
            s = s.patch(theme.italic());
        }
        s
    };
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let flush = |plain: &mut String, segs: &mut Vec<Seg>, s: Style| {
        if !plain.is_empty() {
            segs.push((std::mem::take(plain), s));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            if let Some(end) = chars[i + 1..].iter().position(|&x| x == '`') {
                flush(&mut plain, &mut segs, style(bold, italic));
                let code: String = chars[i + 1..i + 1 + end].iter().collect();
                segs.push((code, theme.code().patch(style(bold, italic))));
                i += end + 2;
                continue;
            }
        } else if c == '*' && chars.get(i + 1) == Some(&'*') {
            flush(&mut plain, &mut segs, style(bold, italic));
            bold = !bold;
            i += 2;
            continue;
        } else if c == '*' && (italic || chars.get(i + 1).is_some_and(|n| !n.is_whitespace())) {
            flush(&mut plain, &mut segs, style(bold, italic));
            italic = !italic;
            i += 1;
            continue;
        } else if c == '[' {
            let rest: String = chars[i..].iter().collect();
            if let Some((label, len)) = link(&rest) {
                flush(&mut plain, &mut segs, style(bold, italic));
                segs.push((label, theme.link().patch(style(bold, italic))));
                i += len;
                continue;
            }
        }
        plain.push(c);
        i += 1;
    }
    flush(&mut plain, &mut segs, style(bold, italic));
    segs
}

/// `[label](url)` at the start of `s`: the label and the length in chars.
fn link(s: &str) -> Option<(String, usize)> {
    let close = s.find("](")?;
    let label = &s[1..close];
    if label.contains('[') {
        return None;
    }
    let end = s[close + 2..].find(')')? + close + 2;
    Some((label.to_owned(), s[..=end].chars().count()))
}

/// Greedy word wrap of styled text into lines of at most `width` columns. A word longer than
/// the width is broken.
pub(crate) fn wrap(segs: &[Seg], width: usize) -> Vec<Vec<Span<'static>>> {
    let width = width.max(1);
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0usize;
    // Split into (word, trailing-space?) pieces, keeping styles.
    for (text, style) in segs {
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let (piece, after) = match rest.find(' ') {
                Some(p) => (&rest[..=p], &rest[p + 1..]),
                None => (rest, ""),
            };
            rest = after;
            let word = piece.trim_end_matches(' ');
            let ww = word.width();
            if used > 0 && used + ww > width {
                trim_trailing_space(lines.last_mut());
                lines.push(Vec::new());
                used = 0;
            }
            let mut word = word.to_owned();
            while word.width() > width {
                let (head, tail) = split_at_width(&word, width);
                push(&mut lines, head, *style);
                lines.push(Vec::new());
                word = tail;
            }
            used += word.width();
            push(&mut lines, word, *style);
            if piece.ends_with(' ') {
                if used < width {
                    push(&mut lines, " ".to_owned(), *style);
                    used += 1;
                } else {
                    lines.push(Vec::new());
                    used = 0;
                }
            }
        }
    }
    trim_trailing_space(lines.last_mut());
    if lines.len() > 1 && lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    lines
}

fn push(lines: &mut [Vec<Span<'static>>], text: String, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(line) = lines.last_mut() {
        match line.last_mut() {
            Some(last) if last.style == style => last.content.to_mut().push_str(&text),
            _ => line.push(Span::styled(text, style)),
        }
    }
}

fn trim_trailing_space(line: Option<&mut Vec<Span<'static>>>) {
    if let Some(line) = line
        && let Some(last) = line.last_mut()
    {
        let t = last.content.trim_end().to_owned();
        last.content = t.into();
    }
}

fn split_at_width(s: &str, width: usize) -> (String, String) {
    let mut head = String::new();
    let mut w = 0;
    let mut chars = s.chars();
    for c in chars.by_ref() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            let mut tail = c.to_string();
            tail.extend(chars);
            return (head, tail);
        }
        w += cw;
        head.push(c);
    }
    (head, String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'static>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    const NO: Theme = Theme { color: false };

    #[test]
    fn bold_and_code_are_styled_and_markers_removed() {
        let lines = render("Use **Vertex** with `gcloud ai`.", 80, NO);
        assert_eq!(text(&lines), vec!["Use Vertex with gcloud ai."]);
        let bold = &lines[0].spans[1];
        assert_eq!(bold.content, "Vertex");
        assert!(
            bold.style
                .add_modifier
                .contains(ratatui::style::Modifier::BOLD)
        );
    }

    #[test]
    fn list_items_wrap_with_hanging_indent() {
        let lines = render("- alpha beta gamma delta\n- two", 14, NO);
        assert_eq!(text(&lines), vec!["• alpha beta", "  gamma delta", "• two"]);
    }

    #[test]
    fn tables_align_columns_and_drop_the_rule_row() {
        let md = "| a | long header |\n|---|---|\n| x | y |";
        assert_eq!(
            text(&render(md, 40, NO)),
            vec!["a │ long header", "──┼────────────", "x │ y"]
        );
    }

    #[test]
    fn narrow_tables_wrap_inside_cells() {
        let md = "| key | value |\n|---|---|\n| k | one two three four |";
        let lines = text(&render(md, 16, NO));
        assert!(lines.iter().all(|l| l.width() <= 16), "{lines:?}");
        assert_eq!(lines[2], "k   │ one two");
    }

    #[test]
    fn long_words_are_broken_not_lost() {
        let lines = text(&render("abcdefghijklmnop", 10, NO));
        assert_eq!(lines, vec!["abcdefghij", "klmnop"]);
    }

    #[test]
    fn headings_and_code_fences_keep_their_text() {
        let md = "## Title\n\ntext\n\n```\nlet x = 1;\n```\n> quoted";
        assert_eq!(
            text(&render(md, 40, NO)),
            vec!["Title", "", "text", "", "  let x = 1;", "│ quoted"]
        );
    }

    #[test]
    fn links_show_their_label() {
        assert_eq!(
            text(&render("see [the docs](https://x.invalid) now", 80, NO)),
            vec!["see the docs now"]
        );
    }

    /// Pack text reaches the screen through ratatui, whose buffer drops every grapheme that
    /// holds a control character; this pins that, so an ESC sequence cannot reach the terminal.
    #[test]
    fn terminal_escape_codes_in_pack_text_never_reach_the_screen() {
        use ratatui::backend::TestBackend;
        use ratatui::widgets::Paragraph;
        let hostile = "Clear\u{1b}[2J the \u{9b}2J screen, \u{1b}]0;title\u{7} **bold\u{8}** and\r\n`code\u{1b}[31m`";
        let lines = render(hostile, 60, NO);
        let mut term = ratatui::Terminal::new(TestBackend::new(60, 6)).expect("test terminal");
        term.draw(|f| f.render_widget(Paragraph::new(lines), f.area()))
            .expect("draw");
        let cells = term.backend().buffer().content();
        assert!(cells.iter().any(|c| c.symbol() == "C"), "the text is drawn");
        for c in cells {
            assert!(
                !c.symbol().contains(char::is_control),
                "a control character reached the screen: {:?}",
                c.symbol()
            );
        }
    }
}
