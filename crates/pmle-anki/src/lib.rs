//! Anki export: the learner's flashcards, in formats every current Anki imports.
//!
//! - `.apkg` in the **legacy** layout (`collection.anki2`, SQLite schema 11, and an empty
//!   `media` map). Anki still imports it, and no zstd or protobuf is needed to write it.
//! - Anki's text format with `#key:value` headers (Anki 2.1.54+), tab-separated.
//!
//! Notes carry stable GUIDs (`pmle-<item id>`), so importing a newer export updates the notes
//! instead of duplicating them. Each note goes to a sub-deck per exam section and is tagged
//! per topic. This crate knows nothing about packs: callers pass [`AnkiNote`]s.

mod apkg;
mod html;
mod tsv;

pub use apkg::write_apkg;
pub use html::markdown_to_html;
pub use tsv::write_tsv;

/// One note to export (the Basic note type: Front and Back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiNote {
    /// Stable across exports; Anki matches notes by it.
    pub guid: String,
    /// Full deck name, `::` between levels (`PMLE::S3 Scaling prototypes`).
    pub deck: String,
    /// HTML.
    pub front: String,
    /// HTML.
    pub back: String,
    /// Tags without spaces.
    pub tags: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AnkiError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("building the Anki collection failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("writing the .apkg archive failed: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// Write a file through a temporary file created exclusively (a new random name, never an
/// existing file or symlink) in the same folder, then rename it over `path`: a crash or an
/// error leaves neither half a file nor the temporary file behind.
pub fn write_atomically(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), AnkiError>,
) -> Result<(), AnkiError> {
    let io = |source| AnkiError::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".pmle-export-")
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(io)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all().map_err(io)?;
    // On error the temporary file is removed when `tmp` drops.
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// A stable positive 63-bit id from a text (FNV-1a), so exports are deterministic.
pub(crate) fn stable_id(text: &str, base: i64) -> i64 {
    let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    base + (h % 1_000_000_000_000) as i64
}
