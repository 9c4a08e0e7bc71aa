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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_and_keeps_blank_lines_empty() {
        assert_eq!(indent("a\n\nb\n\n", "  "), "  a\n\n  b");
    }
}
