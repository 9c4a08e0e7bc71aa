//! Hardening (issue 17) through the real binary: ways out of bad stored values, hostile
//! files given to `import`, exports that never follow or leave temporary files, and
//! databases that are foreign or damaged.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{answers, pmle, stderr, stdout};
use pmle_store::{SqliteStore, Store};

fn db(home: &Path) -> std::path::PathBuf {
    home.join("pmle.sqlite3")
}

fn set_raw(home: &Path, key: &str, value: &str) {
    let mut s = SqliteStore::open(&db(home)).unwrap();
    s.set_setting(key, value).unwrap();
}

/// Attack: a backup with 3 FSRS parameters (or a bad setting) locked every command, and no
/// pmle command could undo it.
#[test]
fn bad_stored_values_name_their_fix_and_the_fix_commands_work() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    assert!(pmle(h, &["stats"], "").status.success());

    set_raw(h, "fsrs_parameters", "[1,2,3]");
    // Practice stops before the first question, not after the learner answered.
    let o = pmle(h, &["practice", "--count", "2", "--seed", "1"], &answers(2));
    assert_eq!(o.status.code(), Some(2));
    assert!(!stdout(&o).contains("Your answer"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("pmle cards --reset-parameters"),
        "{}",
        stderr(&o)
    );
    let o = pmle(h, &["stats"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("pmle cards --reset-parameters"),
        "{}",
        stderr(&o)
    );
    let o = pmle(h, &["cards", "--reset-parameters"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Personal FSRS parameters removed"),
        "{}",
        stdout(&o)
    );
    let o = pmle(h, &["practice", "--count", "2", "--seed", "1"], &answers(2));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pmle(h, &["stats"], "").status.success());

    set_raw(h, "settings", r#"{"desired_retention":3,"theme":"dark"}"#);
    let o = pmle(h, &["settings"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("pmle settings reset desired_retention"),
        "{}",
        stderr(&o)
    );
    let o = pmle(h, &["settings", "reset", "desired_retention"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = stdout(&o);
    assert!(shown.contains("desired_retention    0.9"), "{shown}");
    assert!(shown.contains("theme                dark"), "{shown}");
    let o = pmle(h, &["settings", "reset", "--all"], "");
    assert!(
        stdout(&o).contains("theme                system"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn import_of_three_fsrs_parameters_is_refused_and_changes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let file = h.join("b.json");
    let f = file.to_str().unwrap();
    assert!(
        pmle(h, &["practice", "--count", "1", "--seed", "1"], &answers(1))
            .status
            .success()
    );
    assert!(
        pmle(h, &["export", "json", f, "--quiet"], "")
            .status
            .success()
    );
    let mut doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    doc["settings"]["fsrs_parameters"] = serde_json::json!([1.0, 2.0, 3.0]);
    std::fs::write(&file, doc.to_string()).unwrap();
    let o = pmle(h, &["import", "json", f], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("3 numbers instead of 21"),
        "{}",
        stderr(&o)
    );
    assert!(
        pmle(h, &["stats"], "").status.success(),
        "stats still works"
    );
}

/// Attack: `import json /dev/zero` read without limit (and a FIFO blocked for ever).
#[test]
fn import_of_a_device_or_a_fifo_is_refused_at_once() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let o = pmle(h, &["import", "json", "/dev/zero"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("/dev/zero is a device, pipe or socket"),
        "{}",
        stderr(&o)
    );
    let fifo = h.join("backup.json");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = pmle(h, &["import", "json", fifo.to_str().unwrap()], "");
    assert!(
        stderr(&o).contains("backup.json is a device, pipe or socket"),
        "{}",
        stderr(&o)
    );
}

/// Attack: `export json X.json` wrote through a symlink at `X.partial`, overwriting its
/// target.
#[test]
fn export_does_not_follow_a_symlink_at_the_old_partial_path() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let target = h.join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    std::os::unix::fs::symlink(&target, h.join("X.partial")).unwrap();
    let out = h.join("X.json");
    let o = pmle(h, &["export", "json", out.to_str().unwrap(), "--quiet"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert!(
        std::fs::symlink_metadata(&out)
            .unwrap()
            .file_type()
            .is_file()
    );
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(doc["format"], "pmle-backup");
    assert!(
        std::fs::symlink_metadata(h.join("X.partial"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the symlink is left alone"
    );
}

/// Attack: failed exports left `X.partial` or `.pmle-apkg-<pid>/` behind.
#[test]
fn failed_exports_leave_no_temporary_file() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    assert!(pmle(h, &["stats"], "").status.success());
    let out = h.join("out");
    // The output path is a folder with something in it: the final rename must fail.
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("inside"), "x").unwrap();
    for what in ["json", "anki", "anki-tsv"] {
        let o = pmle(h, &["export", what, out.to_str().unwrap(), "--quiet"], "");
        assert_eq!(o.status.code(), Some(2), "{what}: {}", stdout(&o));
        let left: Vec<String> = std::fs::read_dir(h)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".pmle") || n.ends_with(".partial"))
            .collect();
        assert!(left.is_empty(), "{what} left {left:?}");
    }
}

/// Attack: an SQLite file of another application got pmle's tables added silently.
#[test]
fn foreign_sqlite_file_is_refused_and_left_as_it_was() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let other = h.join("photos.db");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE photos (name TEXT); INSERT INTO photos VALUES ('a');")
            .unwrap();
    }
    let before = std::fs::read(&other).unwrap();
    let o = pmle(h, &["--db", other.to_str().unwrap(), "stats"], "");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("another application"), "{}", stderr(&o));
    assert!(
        std::fs::read(&other).unwrap() == before,
        "the file is untouched"
    );
}

/// Attack: a damaged page gave "database disk image is malformed" and no advice.
#[test]
fn damaged_database_gives_advice() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let o = pmle(
        h,
        &["practice", "--count", "30", "--seed", "1"],
        &answers(30),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut bytes = std::fs::read(db(h)).unwrap();
    assert!(bytes.len() >= 8192, "checkpointed on close");
    bytes[4096..8192].fill(7); // page 2: the answers table
    std::fs::write(db(h), bytes).unwrap();
    let o = pmle(h, &["stats"], "");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("pmle import json"), "{err}");
    assert!(err.contains(".recover"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Make `file` read-only for this process: file mode for a normal user, the immutable
/// attribute for root (whom modes do not stop). False when neither works here.
fn make_read_only(file: &Path) -> bool {
    let writable = || std::fs::OpenOptions::new().write(true).open(file).is_ok();
    let mut perms = std::fs::metadata(file).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(file, perms).unwrap();
    if !writable() {
        return true;
    }
    let _ = std::process::Command::new("chattr")
        .arg("+i")
        .arg(file)
        .status();
    !writable()
}

/// Attack: a read-only database was noticed only after the learner typed an answer.
#[test]
fn read_only_database_is_refused_before_the_first_question() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    assert!(pmle(h, &["stats"], "").status.success());
    /// Lifts the immutable attribute again, also when an assertion fails, so the folder
    /// can be removed.
    struct Unlock(std::path::PathBuf);
    impl Drop for Unlock {
        fn drop(&mut self) {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(&self.0)
                .status();
        }
    }
    let _unlock = Unlock(db(h));
    if !make_read_only(&db(h)) {
        // The store test `write_protected_database_is_refused_when_opening_to_write`
        // covers the check itself; here the file cannot be made read-only.
        eprintln!("skipped: cannot make a file read-only here (root without chattr)");
        return;
    }
    let o = pmle(h, &["practice", "--count", "1", "--seed", "1"], &answers(1));
    assert_eq!(o.status.code(), Some(2));
    assert!(!stdout(&o).contains("Your answer"), "{}", stdout(&o));
    assert!(stderr(&o).contains("cannot be written"), "{}", stderr(&o));
    let out = h.join("b.json");
    let o = pmle(h, &["export", "json", out.to_str().unwrap(), "--quiet"], "");
    let _ = std::process::Command::new("chattr")
        .arg("-i")
        .arg(db(h))
        .status();
    assert!(
        o.status.success(),
        "export reads a read-only database: {}",
        stderr(&o)
    );
}
