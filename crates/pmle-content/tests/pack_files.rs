//! Reading a pack directory: only regular files are read, within size limits, and a file
//! that is refused is named. Nothing here may hang: a watchdog fails the test instead.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // set-up helpers of a test

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use pmle_content::{MAX_FILE_BYTES, PackError, PackSource};

const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/mini");

/// Copy the mini fixture pack into a fresh temporary directory.
fn mini_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy(Path::new(MINI), dir.path());
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Read the pack on another thread; fail after 20 s rather than hang CI.
fn read_with_watchdog(dir: &Path) -> Result<PackSource, PackError> {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(PackSource::from_dir(&dir));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("reading the pack did not finish within 20 s: it blocked or read without end")
}

fn refused(dir: &Path, file: &str) {
    let err = read_with_watchdog(dir).expect_err("the pack must be refused");
    assert!(matches!(err, PackError::NotARegularFile(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(file), "the message names the file: {msg}");
    assert!(msg.contains("not a regular file"), "{msg}");
}

#[test]
fn a_pack_file_linked_to_dev_zero_is_refused_not_read_forever() {
    let pack = mini_copy();
    std::os::unix::fs::symlink("/dev/zero", pack.path().join("questions/zero.toml")).unwrap();
    refused(pack.path(), "zero.toml");
}

#[test]
fn a_pack_file_linked_to_dev_urandom_is_refused() {
    let pack = mini_copy();
    std::os::unix::fs::symlink("/dev/urandom", pack.path().join("notes/random.md")).unwrap();
    refused(pack.path(), "random.md");
}

#[test]
fn a_fifo_in_a_pack_is_refused_without_blocking() {
    let pack = mini_copy();
    let fifo = pack.path().join("cards/fifo.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    refused(pack.path(), "fifo.toml");
}

#[test]
fn a_symlink_to_a_regular_file_is_followed() {
    let pack = mini_copy();
    let real = pack.path().join("elsewhere.txt");
    std::fs::rename(pack.path().join("questions/q.toml"), &real).unwrap();
    std::os::unix::fs::symlink(&real, pack.path().join("questions/q.toml")).unwrap();
    let source = read_with_watchdog(pack.path()).unwrap();
    assert!(source.files.iter().any(|f| f.path == "questions/q.toml"));
}

#[test]
fn an_oversized_pack_file_is_refused_by_name() {
    let pack = mini_copy();
    let big = pack.path().join("notes/big.md");
    let f = std::fs::File::create(&big).unwrap();
    // Sparse: no disk space used.
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    let err = read_with_watchdog(pack.path()).expect_err("refused");
    assert!(matches!(err, PackError::TooLarge(_)), "{err:?}");
    assert!(err.to_string().contains("big.md"), "{err}");
}

#[test]
fn directories_nested_too_deep_are_refused() {
    let pack = mini_copy();
    let mut deep = pack.path().to_path_buf();
    for _ in 0..20 {
        deep.push("d");
    }
    std::fs::create_dir_all(&deep).unwrap();
    let err = read_with_watchdog(pack.path()).expect_err("refused");
    assert!(err.to_string().contains("nested more than"), "{err}");
}
