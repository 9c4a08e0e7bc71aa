//! Tables: columns sized to their content and shrunk to fit the width, cells wrapped
//! inside their column, the header row bold and underlined by a rule.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::{Seg, inline, restyle, wrap};
use crate::theme::Theme;

fn cells(row: &str) -> Vec<&str> {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(str::trim).collect()
}

fn is_rule(row: &str) -> bool {
    cells(row)
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// A table: columns sized to their content, shrunk to fit, cells wrapped inside columns.
pub(super) fn table(rows: &[&str], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let header_rows = usize::from(rows.get(1).is_some_and(|r| is_rule(r)));
    let parsed: Vec<Vec<Vec<Seg>>> = rows
        .iter()
        .filter(|r| !is_rule(r))
        .map(|r| cells(r).into_iter().map(|c| inline(c, theme)).collect())
        .collect();
    let ncols = parsed.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let seg_width = |c: &Vec<Seg>| c.iter().map(|(t, _)| t.width()).sum::<usize>();
    let mut natural = vec![1usize; ncols];
    for row in &parsed {
        for (j, c) in row.iter().enumerate() {
            natural[j] = natural[j].max(seg_width(c));
        }
    }
    let avail = width.saturating_sub(3 * (ncols - 1)).max(ncols);
    let widths = fit_columns(&natural, avail);
    let sep = Span::styled(" │ ", theme.dim());
    let mut out = Vec::new();
    for (r, row) in parsed.iter().enumerate() {
        let wrapped: Vec<Vec<Vec<Span<'static>>>> = (0..ncols)
            .map(|j| {
                let segs = row.get(j).cloned().unwrap_or_default();
                let segs = if r < header_rows {
                    restyle(segs, theme.bold())
                } else {
                    segs
                };
                wrap(&segs, widths[j])
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let mut spans = Vec::new();
            for j in 0..ncols {
                if j > 0 {
                    spans.push(sep.clone());
                }
                let cell = wrapped[j].get(k).cloned().unwrap_or_default();
                let w: usize = cell.iter().map(Span::width).sum();
                spans.extend(cell);
                if j + 1 < ncols {
                    spans.push(Span::raw(" ".repeat(widths[j].saturating_sub(w))));
                }
            }
            out.push(Line::from(spans));
        }
        if r + 1 == header_rows {
            let rule: Vec<String> = widths.iter().map(|&w| "─".repeat(w)).collect();
            out.push(Line::styled(rule.join("─┼─"), theme.dim()));
        }
    }
    out
}

/// Column widths summing to at most `avail`: narrow columns keep their natural width, the
/// rest share what is left.
fn fit_columns(natural: &[usize], avail: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= avail {
        return natural.to_vec();
    }
    let mut widths = vec![0usize; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = avail;
    loop {
        let share = left / open.len().max(1);
        let (fits, rest): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&j| natural[j] <= share);
        if fits.is_empty() {
            for (k, &j) in rest.iter().enumerate() {
                widths[j] = share + usize::from(k < left % rest.len().max(1));
            }
            break;
        }
        for &j in &fits {
            widths[j] = natural[j];
            left -= natural[j];
        }
        open = rest;
        if open.is_empty() {
            break;
        }
    }
    widths.into_iter().map(|w| w.max(3)).collect()
}
