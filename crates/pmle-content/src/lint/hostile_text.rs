//! Text that would drive the learner's terminal: control characters and escape sequences.
//!
//! `pmle search` and `pmle practice` print pack text to a terminal, where ESC sequences
//! clear the screen, retitle the window or hide lines. The command line strips them on
//! output; this rule keeps them out of packs in the first place, at `file:line:column`.
//! It reads the raw files (so Markdown bodies are covered) and the escapes TOML basic
//! strings may use to write them (`\u001B`, `\e`, `\x1b`, `\b`, `\f`, `\r`).

use crate::diag::{Diagnostic, LineIndex};
use crate::source::PackSource;

/// At most this many reports per file; the rest are counted in one more.
const MAX_PER_FILE: usize = 5;

/// A character no pack text needs and a terminal may obey: C0 controls but newline and
/// tab, DEL, and C1 controls.
fn is_hostile(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

fn name(c: char) -> String {
    let what = match c {
        '\u{1b}' => " (escape: starts terminal escape sequences)",
        '\r' => " (carriage return: can overwrite the line)",
        '\u{7}' => " (bell)",
        '\u{8}' => " (backspace)",
        '\u{9b}' => " (CSI: starts terminal control sequences)",
        '\u{9d}' => " (OSC: starts terminal commands)",
        _ => "",
    };
    format!("U+{:04X}{what}", u32::from(c))
}

pub(crate) fn check(source: &PackSource, d: &mut Vec<Diagnostic>) {
    for file in &source.files {
        let idx = LineIndex::new(&file.path, &file.text, 0);
        let mut found: Vec<(usize, String)> = Vec::new();
        raw(&file.text, &mut found);
        let toml_part = if file.path.ends_with(".toml") {
            Some(file.text.as_str())
        } else {
            front_matter(&file.text)
        };
        if let Some(text) = toml_part {
            escapes(text, &mut found);
        }
        found.sort_by_key(|(at, _)| *at);
        let extra = found.len().saturating_sub(MAX_PER_FILE);
        for (at, what) in found.into_iter().take(MAX_PER_FILE) {
            d.push(Diagnostic::error(
                &idx.at(at),
                "control-character",
                format!(
                    "{what}: pack text must not hold terminal control characters (they would \
                     reach the learner's terminal); remove it{}",
                    if extra > 0 {
                        format!(" ({extra} more in this file)")
                    } else {
                        String::new()
                    }
                ),
            ));
        }
    }
}

/// Control characters written as such (a CR of a CRLF line end is fine).
fn raw(text: &str, found: &mut Vec<(usize, String)>) {
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n') {
            continue;
        }
        if is_hostile(c) {
            found.push((at, format!("control character {}", name(c))));
        }
    }
}

/// The TOML front matter of a note (between `+++` lines), if any.
fn front_matter(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("+++")?;
    let end = rest.find("\n+++").map_or(rest.len(), |i| i + 1);
    Some(&text[..3 + end])
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lex {
    Code,
    Comment,
    Basic,
    MultiBasic,
    Literal,
    MultiLiteral,
}

/// Escapes inside TOML basic strings that decode to a control character.
fn escapes(text: &str, found: &mut Vec<(usize, String)>) {
    let b = text.as_bytes();
    let starts = |i: usize, s: &[u8]| b.get(i..i + s.len()) == Some(s);
    let mut state = Lex::Code;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match state {
            Lex::Code => match c {
                b'#' => state = Lex::Comment,
                b'"' if starts(i, b"\"\"\"") => {
                    state = Lex::MultiBasic;
                    i += 2;
                }
                b'"' => state = Lex::Basic,
                b'\'' if starts(i, b"'''") => {
                    state = Lex::MultiLiteral;
                    i += 2;
                }
                b'\'' => state = Lex::Literal,
                _ => {}
            },
            Lex::Comment | Lex::Literal if c == b'\n' => state = Lex::Code,
            Lex::Literal if c == b'\'' => state = Lex::Code,
            Lex::MultiLiteral if starts(i, b"'''") => {
                state = Lex::Code;
                i += 2;
            }
            Lex::Basic | Lex::MultiBasic if c == b'\\' => {
                if let Some((len, decoded)) = escape(&b[i + 1..]) {
                    if let Some(ch) = decoded.filter(|ch| is_hostile(*ch)) {
                        found.push((i, format!("escape for control character {}", name(ch))));
                    }
                    i += len;
                }
            }
            Lex::Basic if c == b'"' || c == b'\n' => state = Lex::Code,
            Lex::MultiBasic if starts(i, b"\"\"\"") => {
                state = Lex::Code;
                i += 2;
            }
            _ => {}
        }
        i += 1;
    }
}

/// The escape after a backslash: bytes it takes, and the character it stands for.
fn escape(after: &[u8]) -> Option<(usize, Option<char>)> {
    let hex = |n: usize| -> Option<(usize, Option<char>)> {
        let digits = after.get(1..1 + n)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return Some((1, None));
        }
        let code = u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()?;
        Some((1 + n, char::from_u32(code)))
    };
    match after.first()? {
        b'u' => hex(4),
        b'U' => hex(8),
        b'x' => hex(2),
        b'e' => Some((1, Some('\u{1b}'))),
        b'b' => Some((1, Some('\u{8}'))),
        b'f' => Some((1, Some('\u{c}'))),
        b'r' => Some((1, Some('\r'))),
        // `\\`, `\"` and the rest: skip the escaped byte so `\\u001b` is not read as one.
        _ => Some((1, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(path: &str, text: &str) -> Vec<String> {
        let mut d = Vec::new();
        check(&PackSource::from_files("t", [(path, text)]), &mut d);
        d.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn terminal_escape_codes_in_pack_text_are_errors_at_their_position() {
        let d = report(
            "notes/n.md",
            "+++\nid = \"n\"\n+++\nSee\n  here\u{1b}]0;title\u{7} and \u{9b}2J\n",
        );
        assert_eq!(d.len(), 3, "{d:#?}");
        assert!(
            d[0].starts_with("notes/n.md:5:7: error[control-character]"),
            "{}",
            d[0]
        );
        assert!(d[0].contains("U+001B"));
        assert!(d[1].starts_with("notes/n.md:5:16:"), "{}", d[1]);
        assert!(
            d[2].starts_with("notes/n.md:5:22:") && d[2].contains("U+009B"),
            "{}",
            d[2]
        );
    }

    #[test]
    fn toml_escapes_for_control_characters_are_errors() {
        let text = "# comment \\u001b is fine\nstem = \"clear \\u001B[2J\"\nx = \"\\e]0;t\\x07\"\n\
                    y = 'literal \\u001b is text'\nz = \"\"\"\nok \\\\u001b then \\U0000009b\n\"\"\"\n";
        let d = report("questions/q.toml", text);
        assert_eq!(d.len(), 4, "{d:#?}");
        assert!(d[0].starts_with("questions/q.toml:2:15:"), "{}", d[0]);
        assert!(d[1].starts_with("questions/q.toml:3:6:"), "{}", d[1]);
        assert!(
            d[2].starts_with("questions/q.toml:3:12:") && d[2].contains("U+0007"),
            "{}",
            d[2]
        );
        assert!(
            d[3].starts_with("questions/q.toml:6:17:") && d[3].contains("U+009B"),
            "{}",
            d[3]
        );
    }

    #[test]
    fn ordinary_text_and_crlf_are_clean() {
        assert!(
            report(
                "questions/q.toml",
                "a = \"tab\\there\\nnew line é ✓\"\r\nb = 1\r\n"
            )
            .is_empty()
        );
        assert!(
            report(
                "notes/n.md",
                "+++\nid = \"n\"\n+++\nBody with \"\\u001b\" shown as text\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn a_flood_is_reported_once_per_five() {
        let d = report("notes/n.md", &"\u{1b}".repeat(100));
        assert_eq!(d.len(), MAX_PER_FILE);
        assert!(d[0].contains("95 more in this file"));
    }
}
