//! The dashboard as CSV: one row per member, a stable column order (fixed columns, then
//! four per blueprint section), RFC 4180 quoting, and names that a spreadsheet cannot run
//! as formulas.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{CohortDashboard, MemberRow};
use crate::date_of_ms;

/// The columns before the per-section ones, in order.
pub const FIXED_COLUMNS: [&str; 20] = [
    "name",
    "readiness_status",
    "readiness_pct",
    "readiness_low_pct",
    "readiness_high_pct",
    "coverage_pct",
    "questions_answered",
    "answers_7d",
    "answers_total",
    "mock_exams",
    "last_mock_date",
    "last_mock_kind",
    "last_mock_score_pct",
    "mock_scores",
    "exam_date",
    "exam_date_source",
    "days_to_exam",
    "last_activity",
    "days_since_activity",
    "quiet",
];

/// One field, quoted as RFC 4180 asks: in double quotes, with inner quotes doubled, when it
/// holds a comma, a quote, a CR or an LF; as it is otherwise.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or
/// a CR) gets a leading apostrophe, so it is shown as text. For free text such as names;
/// numbers pmle writes itself are left alone.
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| format!("{:.1}", x * 100.0))
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map_or_else(String::new, |x| x.to_string())
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
fn instant(ms: i64) -> String {
    let secs = ms.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date_of_ms(ms),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

impl CohortDashboard {
    /// The header and one row per member, CRLF line ends.
    pub fn to_csv(&self) -> String {
        let mut header: Vec<String> = FIXED_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
        for s in &self.heat_map {
            let n = s.number;
            header.extend([
                format!("s{n}_mastery_pct"),
                format!("s{n}_low_pct"),
                format!("s{n}_high_pct"),
                format!("s{n}_questions"),
            ]);
        }
        let mut out = String::new();
        push_line(&mut out, &header);
        for row in &self.members {
            push_line(&mut out, &self.row_cells(row));
        }
        out
    }

    fn row_cells(&self, row: &MemberRow) -> Vec<String> {
        let s = &row.summary;
        let r = &s.readiness;
        let last = s.mock_exams.last();
        let mock_scores = s
            .mock_exams
            .iter()
            .map(|m| format!("{} {} {:.0}%", m.date, m.kind, m.score * 100.0))
            .collect::<Vec<_>>()
            .join("; ");
        let mut cells = vec![
            neutralise_formula(&row.name).into_owned(),
            r.status.clone(),
            pct(r.mean),
            pct(r.low),
            pct(r.high),
            pct(Some(r.coverage)),
            s.questions_answered.to_string(),
            s.answers_last_7_days.to_string(),
            s.answers_total.to_string(),
            s.mock_exams.len().to_string(),
            opt(last.map(|m| &m.date)),
            opt(last.map(|m| &m.kind)),
            pct(last.map(|m| m.score)),
            mock_scores,
            opt(row.exam_date.as_ref()),
            opt(row.exam_date_source.as_ref()),
            opt(row.days_to_exam),
            opt(s.last_activity_ms.map(instant)),
            opt(row.days_since_activity),
            row.quiet.to_string(),
        ];
        for heat in &self.heat_map {
            match s.sections.iter().find(|x| x.id == heat.id) {
                Some(x) => cells.extend([
                    pct(x.mastery),
                    pct(x.low),
                    pct(x.high),
                    x.questions_answered.to_string(),
                ]),
                None => cells.extend(std::iter::repeat_n(String::new(), 4)),
            }
        }
        cells
    }
}

fn push_line(out: &mut String, cells: &[String]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", csv_cell(c));
    }
    out.push_str("\r\n");
}
