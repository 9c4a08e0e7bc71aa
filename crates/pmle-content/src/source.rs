//! Where pack files come from: a directory on disk or the copy embedded in the binary.
//!
//! The parser only ever sees a list of `(relative path, text)` pairs, so it is the same
//! code for both sources and tests can build packs in memory.

use std::io::Read;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::PackError;

/// The largest pack file read, in bytes (the largest shipped file is about 50 KB).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// The most bytes read from one pack, all files together.
pub const MAX_PACK_BYTES: u64 = 128 * 1024 * 1024;
/// The most files (of any kind) and directories visited in one pack.
pub const MAX_PACK_ENTRIES: usize = 20_000;
/// How deep directories are visited (pack files sit at most one level down).
pub const MAX_PACK_DEPTH: usize = 8;

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
        let mut budget = Budget {
            bytes: MAX_PACK_BYTES,
            entries: MAX_PACK_ENTRIES,
        };
        walk(root, root, 0, &mut budget, &mut files)?;
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

/// What is left of the pack's limits while it is read.
struct Budget {
    bytes: u64,
    entries: usize,
}

fn walk(
    root: &Path,
    dir: &Path,
    depth: usize,
    budget: &mut Budget,
    out: &mut Vec<SourceFile>,
) -> Result<(), PackError> {
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
        budget.entries = budget.entries.checked_sub(1).ok_or_else(|| {
            PackError::TooLarge(format!(
                "{} holds more than {MAX_PACK_ENTRIES} files and directories",
                root.display()
            ))
        })?;
        if entry.file_type().map_err(read_err(&path))?.is_dir() {
            if depth + 1 >= MAX_PACK_DEPTH {
                return Err(PackError::TooLarge(format!(
                    "{} is nested more than {MAX_PACK_DEPTH} directories deep",
                    path.display()
                )));
            }
            walk(root, &path, depth + 1, budget, out)?;
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
        let bytes = read_regular_file(&path, MAX_FILE_BYTES.min(budget.bytes))?;
        budget.bytes -= bytes.len() as u64;
        let text = String::from_utf8(bytes).map_err(|_| PackError::NotUtf8(path.clone()))?;
        out.push(SourceFile { path: rel, text });
    }
    Ok(())
}

/// Read a regular file of at most `max` bytes. Devices (`/dev/zero`), FIFOs, sockets and
/// directories are refused by name before a byte is read, so none can block or fill memory;
/// a symbolic link to a regular file is followed.
pub fn read_regular_file(path: &Path, max: u64) -> Result<Vec<u8>, PackError> {
    let read_err = |source| PackError::Read {
        path: path.to_path_buf(),
        source,
    };
    // `metadata` follows links: this is what opening would reach, checked before opening so
    // that opening a FIFO cannot block.
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if !meta.is_file() {
        return Err(PackError::NotARegularFile(path.to_path_buf()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // If the file was swapped for a FIFO since the check, opening still does not block.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(read_err)?;
    // And what was opened is the file that was checked: a regular file within the limit.
    let meta = file.metadata().map_err(read_err)?;
    if !meta.is_file() {
        return Err(PackError::NotARegularFile(path.to_path_buf()));
    }
    if meta.len() > max {
        return Err(too_large(path, max));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: never read more than the limit.
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > max {
        return Err(too_large(path, max));
    }
    Ok(bytes)
}

fn too_large(path: &Path, max: u64) -> PackError {
    PackError::TooLarge(format!(
        "{} is larger than {} KiB (the limit per file is {} KiB and per pack {} MiB)",
        path.display(),
        max / 1024,
        MAX_FILE_BYTES / 1024,
        MAX_PACK_BYTES / (1024 * 1024)
    ))
}

fn is_pack_file(path: &str) -> bool {
    path.ends_with(".toml") || path.ends_with(".md")
}
