//! Problems found in a pack, each pointing at `file:line:column`.
//!
//! The linter collects every problem in one run instead of stopping at the first, so an
//! author fixes a whole batch at once (the rule from the style guide).

use serde::Serialize;

use crate::model::Location;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem. `line` and `column` are 1-based; 0 means "the file as a whole".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// A short stable code (`unknown-key`, `duplicate-id` …) that scripts can match on.
    pub code: &'static str,
    pub message: String,
}

impl Diagnostic {
    pub fn error(at: &Location, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: at.file.clone(),
            line: at.line,
            column: at.column,
            code,
            message: message.into(),
        }
    }

    pub fn warning(at: &Location, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(at, code, message)
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match (self.line, self.column) {
            (0, _) => write!(f, "{}: {sev}[{}]: {}", self.file, self.code, self.message),
            (l, 0) => write!(
                f,
                "{}:{l}: {sev}[{}]: {}",
                self.file, self.code, self.message
            ),
            (l, c) => write!(
                f,
                "{}:{l}:{c}: {sev}[{}]: {}",
                self.file, self.code, self.message
            ),
        }
    }
}

/// Turns byte offsets into line and column numbers for one file.
#[derive(Debug)]
pub(crate) struct LineIndex<'a> {
    path: &'a str,
    text: &'a str,
    starts: Vec<usize>,
    /// Added to every line: the line where this text starts inside its file
    /// (front matter of a note starts on line 2).
    line_offset: usize,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(path: &'a str, text: &'a str, line_offset: usize) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            path,
            text,
            starts,
            line_offset,
        }
    }

    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    pub(crate) fn at(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Location {
            file: self.path.to_owned(),
            line: line + self.line_offset,
            column,
        }
    }

    pub(crate) fn whole_file(&self) -> Location {
        Location {
            file: self.path.to_owned(),
            line: 0,
            column: 0,
        }
    }

    /// Where `key = …` is written inside `span`; the start of the span if it is not found.
    /// Used to point at the exact line of a key that serde rejected inside one item.
    pub(crate) fn key_in(&self, span: std::ops::Range<usize>, key: &str) -> Location {
        let end = span.end.min(self.text.len());
        let start = span.start.min(end);
        let slice = &self.text[start..end];
        let mut offset = 0;
        for line in slice.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(key)
                && rest.trim_start().starts_with('=')
            {
                let indent = line.len() - trimmed.len();
                return self.at(start + offset + indent);
            }
            offset += line.len();
        }
        self.at(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines_and_columns() {
        let idx = LineIndex::new("f.toml", "a = 1\nbb = 2\n", 0);
        assert_eq!(idx.at(0).line, 1);
        assert_eq!(idx.at(6).line, 2);
        assert_eq!(idx.at(9).column, 4);
        let shifted = LineIndex::new("f.md", "x\ny", 1);
        assert_eq!(shifted.at(2).line, 3);
    }

    #[test]
    fn finds_a_key_inside_a_span() {
        let text = "[[q]]\nid = 1\n  explantion = 2\n";
        let idx = LineIndex::new("f", text, 0);
        let at = idx.key_in(0..text.len(), "explantion");
        assert_eq!((at.line, at.column), (3, 3));
    }
}
