//! Content packs for pmle: the model, a strict parser, the linter and a search index.
//!
//! Content is data, not code. A pack is a directory of TOML and Markdown files
//! (`docs/content-format.md`); this crate turns it into a [`Pack`] and reports every problem
//! with `file:line:column` in one run. It touches no database and does no I/O beyond
//! reading the pack's files, so every front end and every test can use it directly.
//!
//! ```
//! use pmle_content::{PackSource, check, model::Date};
//! let report = check(&PackSource::embedded(), Date { year: 2026, month: 11, day: 27 });
//! assert!(report.pack.is_some());
//! ```

pub mod calibration;
pub mod diag;
mod figures;
pub mod fingerprint;
pub mod giveaways;
mod lint;
pub mod model;
mod parse;
mod raw;
pub mod search;
mod source;
#[cfg(test)]
mod testing;

use std::path::PathBuf;

pub use diag::{Diagnostic, Severity};
pub use figures::{
    Figures, NEAR_DUPLICATE_THRESHOLD, SectionFigure, correct_is_longest, correct_is_shortest,
};
pub use lint::{
    MAX_LONGEST_CORRECT_SHARE, MIN_LONGEST_CORRECT_SHARE, SCHEMA_VERSION, is_official_url,
    is_valid_id,
};
pub use model::Pack;
pub use source::{
    MAX_FILE_BYTES, MAX_PACK_BYTES, MAX_PACK_DEPTH, MAX_PACK_ENTRIES, PackSource, SourceFile,
    read_regular_file,
};

/// Option letters as the learner sees them: A, B, C…
pub use lint::letter;

/// Why a pack could not be read or used.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("cannot read {path}: {source}; check the path given to --pack")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is not a directory; --pack takes the directory that holds pack.toml")]
    NotADirectory(PathBuf),
    #[error("{0} is not UTF-8 text; save it as UTF-8")]
    NotUtf8(PathBuf),
    #[error(
        "{0} is not a regular file (a device, FIFO, socket or directory); pack files must be ordinary files"
    )]
    NotARegularFile(PathBuf),
    #[error("{0}; split or shorten the pack (limits in docs/content-format.md)")]
    TooLarge(String),
    #[error("the pack at {origin} has {} problem(s); run `pmle check{}` to see them all. First: {}",
        .problems.len(),
        if origin.as_str() == "embedded pack" { String::new() } else { format!(" --pack {origin}") },
        .problems.first().map(ToString::to_string).unwrap_or_default())]
    Invalid {
        origin: String,
        problems: Vec<Diagnostic>,
    },
}

/// Everything `pmle check` reports.
#[derive(Debug)]
pub struct CheckReport {
    /// The pack, when it could be assembled (it may still have errors).
    pub pack: Option<Pack>,
    /// Errors first, then warnings; each group by file and line.
    pub diagnostics: Vec<Diagnostic>,
    pub figures: Figures,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Parse and lint a pack. `today` bounds the `last-verified` dates.
pub fn check(source: &PackSource, today: model::Date) -> CheckReport {
    run(source, today, true)
}

/// Parse and lint; `thorough` adds the pairwise near-duplicate search, which only the
/// linter needs (it costs about as much again as parsing; `load` skips it).
fn run(source: &PackSource, today: model::Date, thorough: bool) -> CheckReport {
    let parsed = parse::parse(source);
    let figures = figures::compute(&parsed, thorough);
    let mut diagnostics = parsed.diagnostics.clone();
    diagnostics.extend(lint::lint(&parsed, today, &figures));
    lint::hostile_text::check(source, &mut diagnostics);
    if let Some((calibration, text)) = &parsed.calibration {
        calibration::check_ids(calibration, text, &parsed.questions, &mut diagnostics);
    }
    diagnostics.sort_by(|a, b| {
        (a.severity, &a.file, a.line, a.column).cmp(&(b.severity, &b.file, b.line, b.column))
    });
    diagnostics.dedup();
    let pack = parsed.meta.map(|meta| Pack {
        meta,
        sections: parsed.sections.into_iter().map(|(s, _)| s).collect(),
        seed_headings: parsed.seed_headings,
        topics: parsed.topics,
        questions: parsed.questions,
        cards: parsed.cards,
        notes: parsed.notes,
        products: parsed.products,
        decisions: parsed.decisions,
        calibration: parsed.calibration.map(|(c, _)| c),
    });
    CheckReport {
        pack,
        diagnostics,
        figures,
    }
}

/// Load a pack for use: any error makes it unusable, warnings are ignored.
pub fn load(source: &PackSource, today: model::Date) -> Result<Pack, PackError> {
    let report = run(source, today, false);
    let problems: Vec<Diagnostic> = report
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    match report.pack {
        Some(pack) if problems.is_empty() => Ok(pack),
        _ => Err(PackError::Invalid {
            origin: source.origin.clone(),
            problems,
        }),
    }
}
