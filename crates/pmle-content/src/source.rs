//! Where pack files come from: a directory on disk or the copy embedded in the binary.
//!
//! The parser only ever sees a list of `(relative path, text)` pairs, so it is the same
//! code for both sources and tests can build packs in memory.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::PackError;

/// The flagship pack, compiled into every build.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../content/pmle");

/// One file of a pack.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the pack root, with `/` separators (`questions/s1.toml`).
    pub path: String,
    pub text: String,
}

/// All the files of a pack, and where they were read from (for messages).
#[derive(Debug, Clone)]
pub struct PackSource {
    pub origin: String,
    pub files: Vec<SourceFile>,
}

impl PackSource {
    /// The pack embedded in the binary.
    pub fn embedded() -> PackSource {
        let mut files = Vec::new();
        collect_embedded(&EMBEDDED, &mut files);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        PackSource {
            origin: "embedded pack".to_owned(),
            files,
        }
    }

    /// Read every `.toml` and `.md` file under `root`.
    pub fn from_dir(root: &Path) -> Result<PackSource, PackError> {
        let meta = std::fs::metadata(root).map_err(|source| PackError::Read {
            path: root.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(PackError::NotADirectory(root.to_path_buf()));
        }
        let mut files = Vec::new();
        walk(root, root, &mut files)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(PackSource {
            origin: root.display().to_string(),
            files,
        })
    }

    /// A pack from in-memory files, for tests and tools.
    pub fn from_files<I, P, T>(origin: &str, files: I) -> PackSource
    where
        I: IntoIterator<Item = (P, T)>,
        P: Into<String>,
        T: Into<String>,
    {
        let mut files: Vec<SourceFile> = files
            .into_iter()
            .map(|(p, t)| SourceFile {
                path: p.into(),
                text: t.into(),
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        PackSource {
            origin: origin.to_owned(),
            files,
        }
    }
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<SourceFile>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if is_pack_file(&path) {
            // A non-UTF-8 file in the embedded pack is caught by `pmle check` in CI.
            let text = String::from_utf8_lossy(file.contents()).into_owned();
            out.push(SourceFile { path, text });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) -> Result<(), PackError> {
    let read_err = |path: &Path| {
        let path: PathBuf = path.to_path_buf();
        move |source| PackError::Read { path, source }
    };
    for entry in std::fs::read_dir(dir).map_err(read_err(dir))? {
        let entry = entry.map_err(read_err(dir))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if entry.file_type().map_err(read_err(&path))?.is_dir() {
            walk(root, &path, out)?;
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !is_pack_file(&rel) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(read_err(&path))?;
        let text = String::from_utf8(bytes).map_err(|_| PackError::NotUtf8(path.clone()))?;
        out.push(SourceFile { path: rel, text });
    }
    Ok(())
}

fn is_pack_file(path: &str) -> bool {
    path.ends_with(".toml") || path.ends_with(".md")
}
