//! Writing a calibration in the pack's `calibration.toml` format (docs/content-format.md).

use std::fmt::Write as _;

use super::ItemFit;

/// The format version written (the one `pmle-content` reads).
pub const CALIBRATION_VERSION: i64 = 1;

/// The text of a `calibration.toml` holding `entries` (question id and fit), sorted by id.
/// Difficulties are clamped to the format's ±5 logits and standard errors to 0.001–2;
/// an entry without a response is left out (the format requires at least one), so the
/// label is used for it. `discrimination` is not written: the fit is Rasch (slope 1).
pub fn calibration_toml(entries: &[(&str, &ItemFit)], note: &str) -> String {
    let mut sorted: Vec<&(&str, &ItemFit)> = entries.iter().filter(|e| e.1.responses > 0).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = String::new();
    for line in note.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "version = {CALIBRATION_VERSION}");
    for (id, fit) in sorted {
        let _ = writeln!(out);
        let _ = writeln!(out, "[question.{}]", key(id));
        let _ = writeln!(out, "difficulty = {:.3}", fit.difficulty.clamp(-5.0, 5.0));
        let _ = writeln!(out, "responses = {}", fit.responses);
        let _ = writeln!(out, "se = {:.3}", fit.se.clamp(0.001, 2.0));
    }
    out
}

/// A TOML key: bare when it can be, else quoted with escapes.
fn key(id: &str) -> String {
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        id.to_owned()
    } else {
        let mut q = String::from("\"");
        for c in id.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                c if c.is_control() => {
                    let _ = write!(q, "\\u{:04X}", c as u32);
                }
                c => q.push(c),
            }
        }
        q.push('"');
        q
    }
}
