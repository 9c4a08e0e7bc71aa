//! Everything the command line prints goes through [`SafeOut`], which drops terminal control
//! characters so pack text (or anything else read from outside) cannot drive the terminal:
//! no clearing the screen, retitling the window, moving the cursor or hiding lines.
//!
//! Dropped: C0 controls except `\n` and `\t` (so `\r`, BEL, backspace too), DEL, C1 controls
//! (U+0080–U+009F), and whole escape sequences: CSI (`ESC [ … final`), OSC, DCS, SOS, PM
//! and APC strings up to their terminator (BEL or ST), and two-character `ESC x` sequences.
//! An unterminated sequence ends at the next newline, so it can hide at most one line.
//! JSON output stays exact: [`json`] escapes C1 characters as `\u00XX` before printing.

use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// After ESC.
    Escape,
    /// Inside a control sequence (CSI): parameters until a final byte.
    Csi,
    /// Inside a control string (OSC, DCS, SOS, PM, APC) until BEL or ST.
    ControlString,
    /// ESC seen inside a control string: `\` ends it.
    ControlStringEscape,
}

/// A writer that strips terminal control characters and escape sequences (see the module).
pub(crate) struct SafeOut<W: Write> {
    inner: W,
    state: State,
    /// The start of a UTF-8 character split across two writes.
    pending: Vec<u8>,
}

impl<W: Write> SafeOut<W> {
    pub(crate) fn new(inner: W) -> SafeOut<W> {
        SafeOut {
            inner,
            state: State::Text,
            pending: Vec::new(),
        }
    }

    fn feed(&mut self, c: char, kept: &mut String) {
        let code = u32::from(c);
        match self.state {
            State::Text => match c {
                '\n' | '\t' => kept.push(c),
                '\u{1b}' => self.state = State::Escape,
                '\u{9b}' => self.state = State::Csi,
                '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => {
                    self.state = State::ControlString;
                }
                _ if c.is_control() => {}
                _ => kept.push(c),
            },
            State::Escape => match c {
                '\n' => {
                    kept.push(c);
                    self.state = State::Text;
                }
                '[' => self.state = State::Csi,
                ']' | 'P' | 'X' | '^' | '_' => self.state = State::ControlString,
                // Intermediate bytes: the sequence goes on.
                ' '..='/' => {}
                _ => self.state = State::Text,
            },
            State::Csi => match code {
                0x20..=0x3f => {}
                0x40..=0x7e => self.state = State::Text,
                _ => {
                    // Not part of a well-formed sequence: end it, and read `c` as text.
                    self.state = State::Text;
                    self.feed(c, kept);
                }
            },
            State::ControlString => match c {
                '\u{7}' | '\u{9c}' => self.state = State::Text,
                '\u{1b}' => self.state = State::ControlStringEscape,
                '\n' => {
                    kept.push(c);
                    self.state = State::Text;
                }
                _ => {}
            },
            State::ControlStringEscape => match c {
                '\\' => self.state = State::Text,
                '\n' => {
                    kept.push(c);
                    self.state = State::Text;
                }
                '\u{1b}' => {}
                _ => self.state = State::ControlString,
            },
        }
    }
}

impl<W: Write> Write for SafeOut<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let mut kept = String::with_capacity(bytes.len());
        let mut rest: &[u8] = &bytes;
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    text.chars().for_each(|c| self.feed(c, &mut kept));
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    // `good` is valid UTF-8 by construction.
                    String::from_utf8_lossy(good)
                        .chars()
                        .for_each(|c| self.feed(c, &mut kept));
                    match e.error_len() {
                        // Invalid bytes are dropped: they are not text.
                        Some(n) => rest = &bad[n..],
                        None => {
                            self.pending = bad.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        self.inner.write_all(kept.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Standard output, made safe for the terminal.
pub(crate) fn stdout() -> SafeOut<io::StdoutLock<'static>> {
    SafeOut::new(io::stdout().lock())
}

/// `text` with terminal control characters and escape sequences removed.
pub(crate) fn clean(text: &str) -> String {
    let mut out = SafeOut::new(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = out.write_all(text.as_bytes());
    String::from_utf8(out.inner).unwrap_or_default()
}

/// Pretty JSON with C1 controls escaped (`serde_json` escapes only C0), so printing it
/// through [`SafeOut`] loses nothing and a terminal sees no control character.
pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    if !text
        .chars()
        .any(|c| ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{7f}')
    {
        return Ok(text);
    }
    // Outside strings JSON is ASCII, so every such character sits inside a string.
    Ok(text
        .chars()
        .map(|c| {
            if ('\u{80}'..='\u{9f}').contains(&c) || c == '\u{7f}' {
                format!("\\u{:04x}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn terminal_escape_codes_in_pack_text_are_stripped() {
        let hostile = "Clear\u{1b}[2J\u{1b}[H the screen, \u{1b}]0;pwned title\u{7} retitle, \
                       \u{1b}]8;;https://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\, \u{9b}31mred\u{9b}0m, \
                       bell\u{7}, back\u{8}space, car\rriage, tab\tand\nnewline kept, é ✓ kept";
        let out = clean(hostile);
        assert_eq!(
            out,
            "Clear the screen,  retitle, link, red, bell, backspace, carriage, tab\tand\nnewline kept, é ✓ kept"
        );
    }

    #[test]
    fn an_unterminated_sequence_hides_at_most_one_line() {
        assert_eq!(
            clean("a\u{1b}]0;title without end\nnext line"),
            "a\nnext line"
        );
        assert_eq!(clean("a\u{1b}[12;\nnext"), "a\nnext");
    }

    #[test]
    fn sequences_split_across_writes_are_still_stripped() {
        let mut out = SafeOut::new(Vec::new());
        for piece in ["x\u{1b}", "[2", "J", "y \u{1b}]0", ";t", "\u{7}z"] {
            out.write_all(piece.as_bytes()).unwrap();
        }
        // A multi-byte character split between writes survives.
        let e = "é".as_bytes();
        out.write_all(&e[..1]).unwrap();
        out.write_all(&e[1..]).unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "xy zé");
    }

    #[test]
    fn json_escapes_c1_and_stays_the_same_value() {
        let v = serde_json::json!({ "t": "a\u{9b}2Jb\u{1b}c" });
        let text = json(&v).unwrap();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), v);
        assert_eq!(clean(&text), text);
    }

    proptest! {
        #[test]
        fn output_never_holds_a_control_character(s in any::<String>()) {
            let out = clean(&s);
            prop_assert!(!out.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            // Plain text passes unchanged.
            let plain: String = s.chars().filter(|c| !c.is_control()).collect();
            prop_assert_eq!(clean(&plain), plain);
        }
    }
}
