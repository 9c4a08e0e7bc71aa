//! Property test over the whole pack loader: random and mutated pack *directories*
//! (pack.toml, topics, questions, cards, notes, decisions; random bytes, invalid UTF-8,
//! huge lines, deep nesting, stray files and directories) are read from disk, checked and
//! loaded; the result is always a pack or diagnostics or a named error, never a panic.
//! Bounded: 48 cases of at most a few hundred KB each, a few seconds in CI.

#![allow(clippy::unwrap_used)] // set-up helpers of a test

use std::path::Path;

use pmle_content::model::Date;
use pmle_content::{PackSource, check, load};
use proptest::prelude::*;

const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/mini");
const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 27,
};
const FILES: [&str; 9] = [
    "pack.toml",
    "topics.toml",
    "catalog.toml",
    "questions/q.toml",
    "cards/c.toml",
    "notes/bigquery-ml.md",
    "decisions/d.toml",
    "questions/deeper/x.toml",
    "stray.md",
];

fn original(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(MINI).join(path)).unwrap_or_default()
}

/// What to do to one file of the mini pack.
#[derive(Debug, Clone)]
enum Change {
    Keep,
    Remove,
    Bytes(Vec<u8>),
    /// Overwrite bytes at these places.
    Mutate(Vec<(prop::sample::Index, u8)>),
    Truncate(prop::sample::Index),
    /// One line of this many characters appended.
    HugeLine(usize),
    /// Arrays (or tables) nested this deep, appended.
    Nesting(usize, bool),
    /// A directory where the file should be.
    Directory,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => Just(Change::Keep),
        1 => Just(Change::Remove),
        2 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Change::Bytes),
        3 => prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8).prop_map(Change::Mutate),
        1 => any::<prop::sample::Index>().prop_map(Change::Truncate),
        1 => (1000usize..200_000).prop_map(Change::HugeLine),
        1 => (1usize..100_000, any::<bool>()).prop_map(|(n, t)| Change::Nesting(n, t)),
        1 => Just(Change::Directory),
    ]
}

fn apply(root: &Path, path: &str, c: &Change) {
    let file = root.join(path);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let mut bytes = original(path);
    match c {
        Change::Keep => {}
        Change::Remove => return,
        Change::Bytes(b) => bytes.clone_from(b),
        Change::Mutate(edits) => {
            if !bytes.is_empty() {
                for (at, b) in edits {
                    let i = at.index(bytes.len());
                    bytes[i] = *b;
                }
            }
        }
        Change::Truncate(at) => bytes.truncate(at.index(bytes.len() + 1)),
        Change::HugeLine(n) => {
            bytes.extend_from_slice(b"\nstem = \"");
            bytes.extend(std::iter::repeat_n(b'x', *n));
            bytes.extend_from_slice(b"\"\n");
        }
        Change::Nesting(n, tables) => {
            bytes.extend_from_slice(b"\ndeep = ");
            let (open, close): (&[u8], &[u8]) = if *tables {
                (b"{a=", b"}")
            } else {
                (b"[", b"]")
            };
            for _ in 0..*n {
                bytes.extend_from_slice(open);
            }
            bytes.extend_from_slice(b"1");
            for _ in 0..*n {
                bytes.extend_from_slice(close);
            }
            bytes.push(b'\n');
        }
        Change::Directory => {
            std::fs::create_dir_all(&file).unwrap();
            return;
        }
    }
    std::fs::write(&file, bytes).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_pack_directories_never_panic(changes in prop::collection::vec(change(), FILES.len())) {
        let dir = tempfile::tempdir().unwrap();
        for (path, c) in FILES.iter().zip(&changes) {
            apply(dir.path(), path, c);
        }
        match PackSource::from_dir(dir.path()) {
            Ok(source) => {
                let report = check(&source, TODAY);
                // Either a usable pack, or at least one diagnostic saying why not.
                match load(&source, TODAY) {
                    Ok(_) => prop_assert_eq!(report.errors(), 0),
                    Err(e) => {
                        prop_assert!(report.errors() > 0);
                        prop_assert!(!e.to_string().is_empty());
                    }
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
