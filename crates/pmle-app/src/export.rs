//! Your data in and out: the JSON backup (validated before anything is written) and the
//! flashcards as Anki notes.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use pmle_anki::{AnkiNote, markdown_to_html};
use pmle_content::letter;
use pmle_store::{BACKUP_FORMAT, BACKUP_SCHEMA_VERSION, Backup, ImportSummary};
use serde::Deserialize;

use crate::{App, AppError};

/// Backups larger than this are refused before parsing. A very heavy learner's backup
/// (100 000 answers, 50 000 card reviews, 200 mock exams) is 47 MiB (`scripts/bench-import`),
/// so this leaves five times that.
pub const MAX_BACKUP_BYTES: u64 = 256 << 20;

/// The fields read first, to tell a foreign file or a newer schema from a damaged backup.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    format: Option<serde_json::Value>,
    #[serde(default)]
    schema_version: Option<serde_json::Value>,
    #[serde(default)]
    pmle_version: Option<serde_json::Value>,
}

fn check_head(head: Result<Head, serde_json::Error>) -> Result<(), AppError> {
    let head = head.map_err(|e| {
        AppError::Import(format!("not a pmle backup: the file is not valid JSON ({e}); export a new one with `pmle export json`"))
    })?;
    if head.format.as_ref().and_then(|f| f.as_str()) != Some(BACKUP_FORMAT) {
        return Err(AppError::Import(format!(
            "not a pmle backup: `format` is not \"{BACKUP_FORMAT}\""
        )));
    }
    let version = head
        .schema_version
        .as_ref()
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if version > u64::from(BACKUP_SCHEMA_VERSION) {
        let by = head
            .pmle_version
            .as_ref()
            .and_then(|v| v.as_str())
            .unwrap_or("a newer pmle");
        return Err(AppError::Import(format!(
            "this backup uses schema {version}, written by pmle {by}; this pmle reads up to schema \
             {BACKUP_SCHEMA_VERSION}: update to pmle {by} or newer to import it"
        )));
    }
    Ok(())
}

/// The outcome of parsing the whole document: a backup of a schema this build reads, or,
/// when parsing failed, the clearest reason (not JSON, not a pmle backup, a newer schema,
/// else the parser's own message), found by reading the head again with `head`.
fn parse_body(
    backup: Result<Backup, serde_json::Error>,
    head: impl FnOnce() -> Result<Head, serde_json::Error>,
) -> Result<Backup, AppError> {
    match backup {
        Ok(b) => {
            check_head(Ok(Head {
                format: Some(serde_json::Value::from(b.format.as_str())),
                schema_version: Some(serde_json::Value::from(b.schema_version)),
                pmle_version: Some(serde_json::Value::from(b.pmle_version.as_str())),
            }))?;
            Ok(b)
        }
        Err(e) => {
            check_head(head())?;
            Err(AppError::Import(format!("the backup is malformed: {e}")))
        }
    }
}

fn too_big(what: &str, bytes: u64) -> AppError {
    AppError::Import(format!(
        "{what} is {} MB, larger than any pmle backup ({} MB); is it the right file? Nothing was imported",
        bytes >> 20,
        MAX_BACKUP_BYTES >> 20
    ))
}

/// Open a backup to read: a regular file only (a device such as /dev/zero, a FIFO, a folder
/// or a socket is refused, also behind a symlink) of at most [`MAX_BACKUP_BYTES`]. The type
/// and size are read from the opened handle, so the file cannot be swapped between the check
/// and the read, and opening does not wait on a FIFO.
pub fn open_backup(path: &Path) -> Result<File, AppError> {
    let shown = path.display();
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(path)
        .map_err(|e| AppError::Import(format!("cannot read {shown}: {e}; nothing was imported")))?;
    let meta = file
        .metadata()
        .map_err(|e| AppError::Import(format!("cannot read {shown}: {e}; nothing was imported")))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        return Err(AppError::Import(format!(
            "{shown} is {kind}, not a backup file; give the path of a file written by `pmle export json`. Nothing was imported"
        )));
    }
    if meta.len() > MAX_BACKUP_BYTES {
        return Err(too_big(&shown.to_string(), meta.len()));
    }
    Ok(file)
}

impl App {
    /// Everything the learner has, ready to serialise.
    pub fn export_backup(&self) -> Result<Backup, AppError> {
        let mut b = self.store.export_backup()?;
        b.exported_at_ms = self.now_ms();
        b.pack_id = self.pack.meta.id.clone();
        Ok(b)
    }

    /// Parse, validate and merge a backup. Nothing is written unless the whole file is valid;
    /// the merge itself is one transaction and importing the same file twice changes nothing.
    pub fn import_backup(&mut self, text: &str) -> Result<ImportSummary, AppError> {
        if text.len() as u64 > MAX_BACKUP_BYTES {
            return Err(too_big("the file", text.len() as u64));
        }
        let backup = parse_body(serde_json::from_str(text), || serde_json::from_str(text))?;
        self.import_parsed(&backup)
    }

    /// [`Self::import_backup`] from a file, streamed: never held whole in memory (a
    /// refused file is read a second time, for the head, to say why). See [`open_backup`] for what is refused.
    pub fn import_backup_file(&mut self, path: &Path) -> Result<ImportSummary, AppError> {
        let mut file = open_backup(path)?;
        fn read(file: &File) -> BufReader<std::io::Take<&File>> {
            BufReader::new(file.take(MAX_BACKUP_BYTES + 1))
        }
        // One pass when the file is a good backup; a second one only to explain a refusal.
        let parsed = serde_json::from_reader(read(&file));
        let backup = parse_body(parsed, || {
            file.rewind().map_err(serde_json::Error::io)?;
            serde_json::from_reader(read(&file))
        })?;
        self.import_parsed(&backup)
    }

    fn import_parsed(&mut self, backup: &Backup) -> Result<ImportSummary, AppError> {
        self.validate_backup(backup)?;
        Ok(self.store.import_backup(backup)?)
    }

    /// The Anki export as bytes, for front ends that hand it over rather than write a file:
    /// an `.apkg` package, or Anki's text format when `apkg` is false.
    pub fn anki_export(&self, questions: bool, apkg: bool) -> Result<Vec<u8>, AppError> {
        let notes = self.anki_notes(questions);
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("pmle-export");
        if apkg {
            pmle_anki::write_apkg(&path, &notes, self.now_ms() / 1000)?;
        } else {
            pmle_anki::write_tsv(&path, &notes)?;
        }
        Ok(std::fs::read(&path)?)
    }

    /// Flashcards (and optionally questions) as Anki notes: a sub-deck per exam section, tags
    /// per topic, GUIDs that stay the same from one export to the next.
    pub fn anki_notes(&self, questions: bool) -> Vec<AnkiNote> {
        let deck = |section: &str| {
            let s = self.pack.section(section);
            format!(
                "PMLE::{} {}",
                s.map_or(0, |s| s.number),
                s.map_or("", |s| s.title.as_str())
            )
        };
        let refs = |r: &[String]| {
            r.iter()
                .map(|u| format!("<a href=\"{u}\">{u}</a>"))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let mut notes: Vec<AnkiNote> = self
            .pack
            .cards
            .iter()
            .map(|c| AnkiNote {
                guid: format!("pmle-{}", c.id),
                deck: deck(&c.section),
                front: markdown_to_html(&c.front),
                back: format!(
                    "{}<br><br>{}",
                    markdown_to_html(&c.back),
                    refs(&c.references)
                ),
                tags: vec![
                    "pmle".into(),
                    format!("pmle::{}", c.section),
                    format!("topic::{}", c.topic),
                ],
            })
            .collect();
        if questions {
            // Retired questions are never studied again, so they stay out of the deck.
            for q in self.pack.questions.iter().filter(|q| !q.retired) {
                let options: Vec<String> = q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| format!("<b>{}.</b> {}", letter(i), markdown_to_html(&o.text)))
                    .collect();
                let key: Vec<String> = q
                    .correct_indexes()
                    .iter()
                    .map(|&i| letter(i).to_string())
                    .collect();
                let why: Vec<String> = q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let mark = if o.correct { "✓" } else { "✗" };
                        format!(
                            "<b>{} {mark}</b> {}",
                            letter(i),
                            markdown_to_html(&o.explanation)
                        )
                    })
                    .collect();
                let mut tags = vec![
                    "pmle".into(),
                    "pmle::question".into(),
                    format!("pmle::{}", q.section),
                ];
                tags.extend(q.topics.iter().map(|t| format!("topic::{t}")));
                notes.push(AnkiNote {
                    guid: format!("pmle-q-{}", q.id),
                    deck: format!("{}::Questions", deck(&q.section)),
                    front: format!(
                        "{}<br><br>{}",
                        markdown_to_html(&q.stem),
                        options.join("<br>")
                    ),
                    back: format!(
                        "Answer: <b>{}</b><br><br>{}<br><br>{}",
                        key.join(", "),
                        why.join("<br>"),
                        refs(&q.references)
                    ),
                    tags,
                });
            }
        }
        notes
    }
}
