//! The anonymised responses file (`pmle export responses`, read by `pmle calibrate
//! --responses`): its format, and a reader that treats every file as hostile
//! (docs/data-format.md, docs/engine.md §11).

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::AppError;

/// The `format` of a responses file.
pub const RESPONSES_FORMAT: &str = "pmle-responses";
/// The version this build writes and reads.
pub const RESPONSES_VERSION: u32 = 1;
/// Timestamps are rounded down to the start of their UTC day (docs/engine.md §11).
pub const TIME_ROUNDING_S: i64 = 86_400;
/// Files larger than this are refused before parsing. A row is about 150 bytes (152 in a
/// 20,000-row export of the flagship pack), so this holds about 1.7 million first attempts:
/// 1,900 learners answering every one of the flagship pack's 900-odd questions.
pub const MAX_RESPONSES_BYTES: u64 = 256 << 20;

/// A responses file: a header, then one row per first attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponsesFile {
    /// Always [`RESPONSES_FORMAT`].
    pub format: String,
    /// [`RESPONSES_VERSION`].
    pub version: u32,
    /// The pack the questions belong to, and its exam-guide version.
    pub pack_id: String,
    pub guide_version: String,
    /// The pmle that wrote the file (and embedded the pack, unless `--pack` was used).
    pub pmle_version: String,
    /// Every `answered_at` is a multiple of this (seconds; 86,400: the UTC day).
    pub time_rounding_s: i64,
    /// Every `time_taken_s` is rounded to a multiple of this (seconds; 1).
    pub duration_rounding_s: u32,
    /// Distinct learner keys in `responses`.
    pub learners: usize,
    pub responses: Vec<ResponseRow>,
}

/// One answer. Nothing else about it or its learner is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseRow {
    /// A random key, the same for every row of one learner in this file only.
    pub learner: String,
    /// The question's id in the pack.
    pub question: String,
    /// Options chosen, as indexes in the pack's authoring order (0 = the first option).
    pub chosen: Vec<u32>,
    /// Whether the answer was graded right (all-or-nothing).
    pub correct: bool,
    /// When, in Unix seconds, rounded down to a multiple of `time_rounding_s`.
    pub answered_at: i64,
    /// Time taken in whole seconds; null when unknown.
    pub time_taken_s: Option<u32>,
    /// 1 for the learner's first attempt at the question (the only kind written).
    pub attempt: u32,
}

/// The fields read again when parsing failed, to say what the file is.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    format: Option<serde_json::Value>,
    #[serde(default)]
    version: Option<serde_json::Value>,
    #[serde(default)]
    pmle_version: Option<serde_json::Value>,
}

/// Text from a file, cut to 60 characters for messages and reports: a hostile file cannot
/// make pmle print megabytes.
pub(crate) fn excerpt(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

fn refused(shown: &str, why: impl std::fmt::Display) -> AppError {
    AppError::Import(format!("{shown}: {why}; nothing was read from it"))
}

const HOW_TO_WRITE: &str = "write one with `pmle export responses FILE`";

fn check_head(shown: &str, head: Result<Head, serde_json::Error>) -> Result<(), AppError> {
    let head = head.map_err(|e| {
        refused(
            shown,
            format!("not a pmle responses file: it is not valid JSON ({e}); {HOW_TO_WRITE}"),
        )
    })?;
    match head.format.as_ref().and_then(|f| f.as_str()) {
        Some(RESPONSES_FORMAT) => {}
        Some(pmle_store::BACKUP_FORMAT) => {
            return Err(refused(
                shown,
                format!(
                    "this is a pmle backup (`pmle export json`), which holds a learner's whole \
                     history; calibration reads anonymised responses: {HOW_TO_WRITE}"
                ),
            ));
        }
        _ => {
            return Err(refused(
                shown,
                format!(
                    "not a pmle responses file (its `format` is not \"{RESPONSES_FORMAT}\"); \
                     {HOW_TO_WRITE}"
                ),
            ));
        }
    }
    let version = head.version.as_ref().and_then(serde_json::Value::as_u64);
    match version {
        Some(v) if v == u64::from(RESPONSES_VERSION) => Ok(()),
        Some(v) if v > u64::from(RESPONSES_VERSION) => {
            let by = head
                .pmle_version
                .as_ref()
                .and_then(|v| v.as_str())
                .map_or_else(|| "a newer pmle".to_owned(), excerpt);
            Err(refused(
                shown,
                format!(
                    "the file is format version {v}, written by pmle {by}; this pmle reads \
                     version {RESPONSES_VERSION}: update pmle to read it"
                ),
            ))
        }
        _ => Err(refused(
            shown,
            format!("`version` must be {RESPONSES_VERSION}; {HOW_TO_WRITE}"),
        )),
    }
}

/// The whole document, or the clearest reason it is refused: not JSON, another kind of
/// file, a newer version, else the parser's own message (with its line and column).
fn parse_body(
    shown: &str,
    file: Result<ResponsesFile, serde_json::Error>,
    head: impl FnOnce() -> Result<Head, serde_json::Error>,
) -> Result<ResponsesFile, AppError> {
    match file {
        Ok(f) => {
            check_head(
                shown,
                Ok(Head {
                    format: Some(f.format.as_str().into()),
                    version: Some(f.version.into()),
                    pmle_version: Some(f.pmle_version.as_str().into()),
                }),
            )?;
            if f.time_rounding_s < 1 || f.duration_rounding_s < 1 {
                return Err(refused(
                    shown,
                    "`time_rounding_s` and `duration_rounding_s` must be at least 1",
                ));
            }
            Ok(f)
        }
        Err(e) => {
            // A file cut short fails the head's parse too: then its head cannot be read, and
            // the body's error says what happened.
            match head() {
                Err(h) if h.is_eof() => {}
                h => check_head(shown, h)?,
            }
            let why = if e.is_eof() {
                format!(
                    "the file ends too early ({e}): it was cut short, perhaps by a failed copy; \
                     copy it again or {HOW_TO_WRITE}"
                )
            } else {
                format!("the file is malformed ({e}); {HOW_TO_WRITE}")
            };
            Err(refused(shown, why))
        }
    }
}

fn too_big(shown: &str, bytes: u64) -> AppError {
    refused(
        shown,
        format!(
            "it is {bytes} bytes, more than a responses file may be ({MAX_RESPONSES_BYTES} \
             bytes, 256 MiB); is it the right file? Split a larger export by server"
        ),
    )
}

/// Parse a responses file held in memory (`shown` names it in errors).
pub fn parse_responses(shown: &str, text: &[u8]) -> Result<ResponsesFile, AppError> {
    if text.len() as u64 > MAX_RESPONSES_BYTES {
        return Err(too_big(shown, text.len() as u64));
    }
    parse_body(shown, serde_json::from_slice(text), || {
        serde_json::from_slice(text)
    })
}

/// Read a responses file: a regular file only (a folder, device, pipe or socket is refused,
/// also behind a symlink) of at most [`MAX_RESPONSES_BYTES`], streamed, its format and
/// version checked. Rows are checked against the pack later, by the caller.
pub fn read_responses(path: &Path) -> Result<ResponsesFile, AppError> {
    let shown = path.display().to_string();
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(path)
        .map_err(|e| refused(&shown, format!("cannot open it ({e})")))?;
    let meta = file
        .metadata()
        .map_err(|e| refused(&shown, format!("cannot read it ({e})")))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        return Err(refused(
            &shown,
            format!("it is {kind}, not a file; give a file written by `pmle export responses`"),
        ));
    }
    if meta.len() > MAX_RESPONSES_BYTES {
        return Err(too_big(&shown, meta.len()));
    }
    fn read(file: &File) -> BufReader<std::io::Take<&File>> {
        BufReader::new(file.take(MAX_RESPONSES_BYTES + 1))
    }
    let mut file = file;
    let parsed = serde_json::from_reader(read(&file));
    parse_body(&shown, parsed, || {
        file.rewind().map_err(serde_json::Error::io)?;
        serde_json::from_reader(read(&file))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::*;

    fn file(rows: Vec<ResponseRow>) -> ResponsesFile {
        ResponsesFile {
            format: RESPONSES_FORMAT.into(),
            version: RESPONSES_VERSION,
            pack_id: "pmle".into(),
            guide_version: "2026-06".into(),
            pmle_version: "0.1.0".into(),
            time_rounding_s: TIME_ROUNDING_S,
            duration_rounding_s: 1,
            learners: 1,
            responses: rows,
        }
    }

    fn row() -> impl Strategy<Value = ResponseRow> {
        (
            "[0-9a-f]{1,16}",
            "[a-z0-9-]{1,30}",
            prop::collection::vec(0u32..10, 0..4),
            any::<bool>(),
            -100_000i64..100_000,
            prop::option::of(any::<u32>()),
            1u32..4,
        )
            .prop_map(
                |(learner, question, chosen, correct, day, time_taken_s, attempt)| ResponseRow {
                    learner,
                    question,
                    chosen,
                    correct,
                    answered_at: day * TIME_ROUNDING_S,
                    time_taken_s,
                    attempt,
                },
            )
    }

    fn err(text: &[u8]) -> String {
        parse_responses("f.json", text).unwrap_err().to_string()
    }

    #[test]
    fn foreign_files_are_refused_with_what_to_do() {
        assert!(
            err(b"hello").contains("not valid JSON"),
            "{}",
            err(b"hello")
        );
        assert!(err(b"{}").contains("not a pmle responses file"));
        assert!(err(b"[1,2]").contains("not a pmle responses file"));
        let backup = br#"{"format":"pmle-backup","schema_version":3,"answers":[]}"#;
        assert!(err(backup).contains("pmle backup"), "{}", err(backup));
        let newer = br#"{"format":"pmle-responses","version":9,"pmle_version":"9.0.0"}"#;
        let e = err(newer);
        assert!(e.contains("version 9") && e.contains("update pmle"), "{e}");
        let long = format!(
            r#"{{"format":"pmle-responses","version":9,"pmle_version":"{}"}}"#,
            "9".repeat(100_000)
        );
        let e = err(long.as_bytes());
        assert!(
            e.len() < 400 && e.contains(&format!("{}…", "9".repeat(60))),
            "{e}"
        );
        let good = serde_json::to_vec(&file(vec![])).unwrap();
        let e = err(&good[..good.len() - 5]);
        assert!(e.contains("ends too early"), "{e}");
        assert!(e.contains("nothing was read"), "{e}");
        let mut extra = serde_json::to_value(file(vec![])).unwrap();
        extra["email"] = "a@b.c".into();
        let e = err(&serde_json::to_vec(&extra).unwrap());
        assert!(e.contains("malformed") && e.contains("email"), "{e}");
        let mut zero = file(vec![]);
        zero.time_rounding_s = 0;
        let e = err(&serde_json::to_vec(&zero).unwrap());
        assert!(e.contains("at least 1"), "{e}");
    }

    #[test]
    fn a_file_larger_than_the_limit_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.json");
        let f = File::create(&path).unwrap();
        f.set_len(MAX_RESPONSES_BYTES + 1).unwrap(); // sparse: no disk used
        let e = read_responses(&path).unwrap_err().to_string();
        assert!(e.contains("268435457 bytes, more than"), "{e}");
        let e = read_responses(dir.path()).unwrap_err().to_string();
        assert!(e.contains("a folder"), "{e}");
        let e = read_responses(&dir.path().join("missing.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot open"), "{e}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Whatever a file holds, reading it returns a file or an error, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_responses("f.json", &bytes);
        }

        /// A written file reads back as it was; cut anywhere short, it is refused.
        #[test]
        fn files_round_trip_and_truncation_is_refused(
            rows in prop::collection::vec(row(), 0..20),
            cut in any::<prop::sample::Index>(),
        ) {
            let f = file(rows);
            let bytes = serde_json::to_vec(&f).unwrap();
            prop_assert_eq!(&parse_responses("f.json", &bytes).unwrap(), &f);
            let at = cut.index(bytes.len());
            prop_assert!(parse_responses("f.json", &bytes[..at]).is_err());
        }

        /// Any one byte changed: a clean result or a clean error.
        #[test]
        fn a_changed_byte_never_panics(
            rows in prop::collection::vec(row(), 1..5),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
        ) {
            let mut bytes = serde_json::to_vec(&file(rows)).unwrap();
            let i = at.index(bytes.len());
            bytes[i] = byte;
            let _ = parse_responses("f.json", &bytes);
        }
    }
}
