//! Progress over time, from `App::progress`: the mock exams as a table and a text chart
//! (each score as ●, the predicted 80% interval as ─, the target as │), and each section's
//! mastery over the last 30 or 90 days as a sparkline with the figures then and now.

use crossterm::event::{KeyCode, KeyEvent};
use pmle_app::{App, AppError, MockHistoryEntry, Progress};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::theme::Theme;
use crate::tui::{Ctx, Nav};
use crate::widgets::{Scroll, excerpt, para, pct, scroll_view};

/// Cells of the chart track, 0% to 100%.
const TRACK: usize = 41;

pub(crate) struct ProgressView {
    progress: Progress,
    scroll: Scroll,
}

impl ProgressView {
    pub(crate) fn new(app: &App, days: u32) -> Result<ProgressView, AppError> {
        Ok(ProgressView {
            progress: app.progress(days)?,
            scroll: Scroll::default(),
        })
    }
}

/// The cell of share `x` on the track.
fn cell(x: f64) -> usize {
    ((x.clamp(0.0, 1.0) * (TRACK - 1) as f64).round() as usize).min(TRACK - 1)
}

/// One exam on the track: `·` empty, `─` the predicted interval, `│` the target, `●` the score.
fn track(e: &MockHistoryEntry, target: f64) -> String {
    let mut cells = vec!['·'; TRACK];
    if let Some(p) = &e.prediction {
        for c in &mut cells[cell(p.low)..=cell(p.high)] {
            *c = '─';
        }
    }
    cells[cell(target)] = '│';
    cells[cell(e.score)] = '●';
    cells.into_iter().collect()
}

/// A sparkline of shares (0–1): one block per value, `·` where there is no figure.
fn sparkline(values: &[Option<f64>]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| match v {
            Some(x) => BLOCKS[((x.clamp(0.0, 1.0) * 7.0).round() as usize).min(7)],
            None => '·',
        })
        .collect()
}

fn history_lines(p: &Progress, w: u16, t: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("Mock exams (oldest first)", t.heading())];
    if !p.exams.is_empty() {
        lines.push(Line::styled(
            " #  date        kind        score       predicted (80% interval)",
            t.dim(),
        ));
        for e in &p.exams {
            let style = match e.prediction.as_ref().map(|p| p.outcome.as_str()) {
                Some("below") => t.warn(),
                _ => Style::new(),
            };
            lines.push(Line::styled(
                format!(
                    "{:>2}  {}  {:<10}  {:<10}  {}",
                    e.exam_id,
                    e.date,
                    e.kind,
                    format!("{}/{} {}", e.correct, e.questions, pct(e.score)),
                    e.prediction_text()
                ),
                style,
            ));
            let by_section: Vec<String> = e
                .sections
                .iter()
                .map(|s| format!("S{} {}/{}", s.number, s.correct, s.questions))
                .collect();
            lines.extend(para(
                &format!("    by section: {}", by_section.join(" · ")),
                w,
                t.dim(),
            ));
        }
        lines.push(Line::default());
        lines.push(Line::styled(
            format!(
                "Scores: ● score · ─ predicted interval · │ your target {}",
                pct(p.target)
            ),
            t.heading(),
        ));
        lines.push(Line::styled(
            format!("{:<14}0%{:>width$}", "", "100%", width = TRACK - 2),
            t.dim(),
        ));
        for e in &p.exams {
            lines.push(Line::from(vec![
                Span::raw(format!("{:>2} {} ", e.exam_id, e.date)),
                Span::styled(track(e, p.target), t.accent()),
                Span::raw(format!(" {}", pct(e.score))),
            ]));
        }
        let scores: Vec<Option<f64>> = p.exams.iter().map(|e| Some(e.score)).collect();
        lines.push(Line::from(vec![
            Span::raw(format!("{:<14}", "  scores")),
            Span::styled(sparkline(&scores), t.accent()),
            Span::raw(" (oldest → newest)"),
        ]));
    }
    if let Some(note) = &p.history_note {
        lines.extend(para(note, w, t.dim()));
    }
    lines.extend(para(&format!("The line is {}.", p.target_text), w, t.dim()));
    lines
}

fn trend_lines(p: &Progress, w: u16, t: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!(
            "Section mastery, last {} days (chance on an unseen question, 80% interval)",
            p.days
        ),
        t.heading(),
    )];
    for s in &p.sections {
        let spark: Vec<Option<f64>> = s.points.iter().map(|pt| pt.mastery).collect();
        lines.push(Line::from(vec![
            Span::raw(format!("S{} {:<34} ", s.number, excerpt(&s.title, 34))),
            Span::styled(sparkline(&spark), t.accent()),
        ]));
        let change_style = match s.change.as_str() {
            "up" => t.good(),
            "down" => t.bad(),
            _ => t.dim(),
        };
        lines.extend(para(&format!("   {}", s.summary), w, change_style));
        lines.extend(para(
            &format!("   in these {} days: {}", p.days, s.window_text()),
            w,
            t.dim(),
        ));
    }
    lines.extend(para(
        &format!(
            "A figure needs {} different questions of the section answered by that date; up or down only when the 80% intervals then and now do not overlap. · is a week without a figure.",
            p.min_questions
        ),
        w,
        t.dim(),
    ));
    lines
}

impl super::View for ProgressView {
    fn title(&self, _app: &App) -> String {
        format!("Progress · last {} days", self.progress.days)
    }

    fn keys(&self) -> &'static str {
        "d 30/90 days  ↑↓ scroll  q back"
    }

    fn help(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("d", "switch the section trend between 30 and 90 days"),
            ("↑ ↓ PgUp PgDn", "scroll"),
            ("q Esc", "back to home"),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, app: &mut App) -> Result<Nav, AppError> {
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => Ok(Nav::Home),
            KeyCode::Char('d') => {
                let days = if self.progress.days == 30 { 90 } else { 30 };
                self.progress = app.progress(days)?;
                Ok(Nav::Stay)
            }
            code => {
                self.scroll.key(code);
                Ok(Nav::Stay)
            }
        }
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &Ctx<'_>) {
        let t = cx.theme;
        let w = area.width.saturating_sub(2);
        let mut lines = history_lines(&self.progress, w, t);
        lines.push(Line::default());
        lines.extend(trend_lines(&self.progress, w, t));
        let inner = Rect {
            x: area.x + 1,
            width: area.width.saturating_sub(2),
            ..area
        };
        scroll_view(f, inner, lines, &self.scroll, t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_maps_shares_to_blocks_and_gaps_to_dots() {
        assert_eq!(sparkline(&[Some(0.0), None, Some(0.5), Some(1.0)]), "▁·▅█");
    }

    #[test]
    fn track_draws_interval_target_and_score() {
        let e = MockHistoryEntry {
            exam_id: 1,
            date: "2026-11-01".into(),
            submitted_at_ms: 0,
            variant: "full".into(),
            section: None,
            kind: "full".into(),
            questions: 10,
            correct: 5,
            score: 0.5,
            auto_submitted: false,
            sections: Vec::new(),
            prediction: Some(pmle_app::MockPrediction {
                predicted: 0.6,
                low: 0.4,
                high: 0.8,
                outcome: "inside".into(),
            }),
        };
        let s: Vec<char> = track(&e, 0.7).chars().collect();
        assert_eq!(s.len(), TRACK);
        assert_eq!(s[20], '●');
        assert_eq!(s[28], '│');
        assert_eq!((s[16], s[32], s[15], s[33]), ('─', '─', '·', '·'));
    }
}
