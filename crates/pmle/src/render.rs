//! Plain-text rendering helpers for the line-based commands.

/// Indent every line of `text` by `prefix`, dropping trailing blank lines.
pub(crate) fn indent(text: &str, prefix: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{prefix}{}", l.trim_end())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(crate) fn number_word(n: u32) -> &'static str {
    match n {
        1 => "one",
        2 => "two",
        3 => "three",
        4 => "four",
        _ => "several",
    }
}

/// A rough interval for people: `10m`, `5h`, `3d`, `2.5mo`.
pub(crate) fn human_interval(ms: i64) -> String {
    let min = ms.max(0) as f64 / 60_000.0;
    if min < 60.0 {
        format!("{:.0}m", min.max(1.0))
    } else if min < 60.0 * 24.0 {
        format!("{:.0}h", min / 60.0)
    } else if min < 60.0 * 24.0 * 30.0 {
        format!("{:.0}d", min / 1440.0)
    } else {
        format!("{:.1}mo", min / 43_200.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_and_keeps_blank_lines_empty() {
        assert_eq!(indent("a\n\nb\n\n", "  "), "  a\n\n  b");
    }

    #[test]
    fn durations_for_people() {
        assert_eq!(human_interval(10 * 60_000), "10m");
        assert_eq!(human_interval(3 * 86_400_000), "3d");
    }
}
