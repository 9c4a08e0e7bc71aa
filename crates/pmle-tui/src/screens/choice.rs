//! Picking options with the keyboard, shared by practice and the mock exam: `1`–`6` or
//! `a`–`f` pick an option (a single-select question keeps one, a multiple-select question
//! toggles), `←`/`→` move the cursor and space toggles the option under it.

use crossterm::event::KeyCode;
use pmle_app::PresentedOption;
use pmle_content::model::Kind;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::markdown::{inline, wrap};
use crate::theme::Theme;

pub(crate) struct Choice {
    pub(crate) picked: Vec<bool>,
    pub(crate) cursor: usize,
    pub(crate) kind: Kind,
}

impl Choice {
    pub(crate) fn new(n: usize, kind: Kind, chosen: &[usize]) -> Choice {
        let mut picked = vec![false; n];
        for &c in chosen {
            if let Some(p) = picked.get_mut(c) {
                *p = true;
            }
        }
        Choice {
            picked,
            cursor: chosen.first().copied().unwrap_or(0),
            kind,
        }
    }

    /// Apply a selection key; true when the key was one.
    pub(crate) fn key(&mut self, code: KeyCode) -> bool {
        let n = self.picked.len();
        let pos = match code {
            KeyCode::Char(c @ '1'..='9') => c as usize - '1' as usize,
            KeyCode::Char(c @ 'a'..='f') => c as usize - 'a' as usize,
            KeyCode::Char(c @ 'A'..='F') => c as usize - 'A' as usize,
            KeyCode::Char(' ') => self.cursor,
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                return true;
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(n.saturating_sub(1));
                return true;
            }
            _ => return false,
        };
        if pos >= n {
            return true;
        }
        self.cursor = pos;
        match self.kind {
            Kind::Single => {
                let on = !self.picked[pos];
                self.picked.iter_mut().for_each(|p| *p = false);
                self.picked[pos] = on;
            }
            Kind::Multiple { .. } => self.picked[pos] = !self.picked[pos],
        }
        true
    }

    /// The picked positions when their number is what the question asks for.
    pub(crate) fn ready(&self) -> Result<Vec<usize>, String> {
        let picked: Vec<usize> = (0..self.picked.len()).filter(|&i| self.picked[i]).collect();
        let want = self.kind.choose() as usize;
        if picked.len() == want {
            Ok(picked)
        } else if want == 1 {
            Err("pick one option (a–f or 1–6), then Enter".to_owned())
        } else {
            Err(format!(
                "choose {want} options ({} picked); a–f toggles an option",
                picked.len()
            ))
        }
    }

    /// The options as lines: `(•) A. text` for single select, `[x] A. text` for multiple.
    pub(crate) fn lines(
        &self,
        options: &[PresentedOption],
        width: u16,
        theme: Theme,
    ) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        for (i, o) in options.iter().enumerate() {
            let on = self.picked.get(i).copied().unwrap_or(false);
            let mark = match (self.kind, on) {
                (Kind::Single, true) => "(•)",
                (Kind::Single, false) => "( )",
                (_, true) => "[x]",
                (_, false) => "[ ]",
            };
            let prefix = format!("{mark} {}. ", o.letter);
            let style = if i == self.cursor {
                theme.selected()
            } else if on {
                theme.accent()
            } else {
                Style::new()
            };
            let body = wrap(
                &inline(&o.text, theme),
                usize::from(width).saturating_sub(prefix.width()),
            );
            for (k, chunk) in body.into_iter().enumerate() {
                let p = if k == 0 {
                    Span::styled(prefix.clone(), style)
                } else {
                    Span::raw(" ".repeat(prefix.width()))
                };
                let mut spans = vec![p];
                spans.extend(chunk);
                out.push(Line::from(spans));
            }
        }
        out
    }
}

/// "single select" or "choose 2".
pub(crate) fn kind_label(kind: Kind) -> String {
    match kind {
        Kind::Single => "single select".to_owned(),
        Kind::Multiple { choose } => format!("choose {choose}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_select_keeps_one_option() {
        let mut c = Choice::new(4, Kind::Single, &[]);
        c.key(KeyCode::Char('b'));
        c.key(KeyCode::Char('3'));
        assert_eq!(c.ready(), Ok(vec![2]));
    }

    #[test]
    fn multiple_select_toggles_and_counts() {
        let mut c = Choice::new(5, Kind::Multiple { choose: 2 }, &[]);
        c.key(KeyCode::Char('a'));
        assert!(c.ready().unwrap_err().contains("choose 2"));
        c.key(KeyCode::Right);
        c.key(KeyCode::Char(' '));
        assert_eq!(c.ready(), Ok(vec![0, 1]));
        c.key(KeyCode::Char('a'));
        assert_eq!(
            c.ready().unwrap_err(),
            "choose 2 options (1 picked); a–f toggles an option"
        );
    }

    #[test]
    fn keys_beyond_the_options_pick_nothing() {
        let mut c = Choice::new(4, Kind::Single, &[]);
        assert!(c.key(KeyCode::Char('f')));
        assert!(c.ready().is_err());
    }
}
