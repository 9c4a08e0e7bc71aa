//! Where the learner's database lives.
//!
//! Precedence: `--db PATH`, then `PMLE_DB`, then `PMLE_HOME/pmle.sqlite3`, then the
//! platform data directory (XDG on Linux: `~/.local/share/pmle/pmle.sqlite3`). The
//! environment is passed in, so the rule is tested without touching the real one.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::AppError;

/// File name of the database inside a data directory.
pub const DB_FILE: &str = "pmle.sqlite3";

/// Resolve the database path from the flag and the two environment variables.
pub fn database_path(
    flag: Option<PathBuf>,
    pmle_db: Option<OsString>,
    pmle_home: Option<OsString>,
) -> Result<PathBuf, AppError> {
    let non_empty = |v: Option<OsString>| v.filter(|s| !s.is_empty());
    if let Some(p) = flag {
        return Ok(p);
    }
    if let Some(p) = non_empty(pmle_db) {
        return Ok(PathBuf::from(p));
    }
    if let Some(home) = non_empty(pmle_home) {
        return Ok(PathBuf::from(home).join(DB_FILE));
    }
    directories::ProjectDirs::from("", "", "pmle")
        .map(|d| d.data_dir().join(DB_FILE))
        .ok_or(AppError::NoDataDir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence() {
        let p = |s: &str| Some(OsString::from(s));
        assert_eq!(
            database_path(Some("/f".into()), p("/e"), p("/h")).unwrap(),
            PathBuf::from("/f")
        );
        assert_eq!(
            database_path(None, p("/e"), p("/h")).unwrap(),
            PathBuf::from("/e")
        );
        assert_eq!(
            database_path(None, p(""), p("/h")).unwrap(),
            PathBuf::from("/h/pmle.sqlite3")
        );
        let default = database_path(None, None, None).unwrap();
        assert!(default.ends_with("pmle/pmle.sqlite3") || default.ends_with(DB_FILE));
    }
}
