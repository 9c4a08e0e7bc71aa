//! Your data in and out: the JSON backup (validated before anything is written) and the
//! flashcards as Anki notes.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use pmle_anki::{AnkiNote, markdown_to_html};
use pmle_content::letter;
use pmle_store::{
    BACKUP_FORMAT, BACKUP_SCHEMA_VERSION, Backup, ExamRecord, ImportSummary, ItemKind,
};
use serde::Deserialize;

use crate::cards::validate_fsrs_parameters;
use crate::{App, AppError, Settings};

/// Backups larger than this are refused before parsing. A very heavy learner's backup
/// (100 000 answers, 50 000 card reviews, 200 mock exams) is 47 MiB (`scripts/bench-import`),
/// so this leaves five times that.
pub const MAX_BACKUP_BYTES: u64 = 256 << 20;

/// Timestamps outside 2000–2200 are not from a real study history.
const MIN_MS: i64 = 946_684_800_000;
const MAX_MS: i64 = 7_258_118_400_000;

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

    fn validate_backup(&self, b: &Backup) -> Result<(), AppError> {
        let bad = |msg: String| {
            Err(AppError::Import(format!(
                "the backup is not usable: {msg}; nothing was imported"
            )))
        };
        if b.pack_id != self.pack.meta.id {
            return bad(format!(
                "it belongs to content pack `{}`, not `{}`",
                b.pack_id, self.pack.meta.id
            ));
        }
        let time = |what: &str, ms: i64| {
            if (MIN_MS..=MAX_MS).contains(&ms) {
                Ok(())
            } else {
                Err(format!("{what} has an impossible time {ms}"))
            }
        };
        let sections: HashSet<&str> = self.pack.sections.iter().map(|s| s.id.as_str()).collect();
        let check_choice = |qid: &str,
                            section: &str,
                            order: &[usize],
                            chosen: Option<&[usize]>|
         -> Result<(), String> {
            let q = self
                .pack
                .question(qid)
                .ok_or_else(|| format!("unknown question id `{qid}`"))?;
            if !sections.contains(section) {
                return Err(format!("unknown section id `{section}`"));
            }
            if section != q.section {
                return Err(format!(
                    "question `{qid}` is in section `{}`, not `{section}`",
                    q.section
                ));
            }
            let n = q.options.len();
            let mut sorted = order.to_vec();
            sorted.sort_unstable();
            if sorted != (0..n).collect::<Vec<_>>() {
                return Err(format!(
                    "question `{qid}`: option order {order:?} does not match its {n} options"
                ));
            }
            if let Some(c) = chosen {
                let mut unique = c.to_vec();
                unique.sort_unstable();
                unique.dedup();
                if unique.len() != c.len() || c.iter().any(|&i| i >= n) {
                    return Err(format!(
                        "question `{qid}`: chosen options {c:?} out of range or repeated"
                    ));
                }
            }
            Ok(())
        };
        let mut problems = Vec::new();
        for a in &b.answers {
            let r = check_choice(
                &a.question_id,
                &a.section_id,
                &a.shown_order,
                Some(&a.chosen),
            )
            .and_then(|()| time("an answer", a.answered_at_ms))
            .and_then(|()| match a.duration_ms {
                Some(d) if !(0..=86_400_000).contains(&d) => {
                    Err(format!("an answer has an impossible duration {d}"))
                }
                _ => Ok(()),
            })
            .and_then(|()| {
                if a.correct && a.chosen.is_empty() {
                    Err(format!(
                        "an answer to `{}` is marked correct with nothing chosen",
                        a.question_id
                    ))
                } else {
                    Ok(())
                }
            });
            if let Err(e) = r {
                problems.push(e);
            }
        }
        self.check_exams(&b.exams, &sections, &check_choice, &time, &mut problems)?;
        let known = |kind: ItemKind, id: &str| match kind {
            ItemKind::Card => self.pack.cards.iter().any(|c| c.id == id),
            ItemKind::Question => self.pack.question(id).is_some(),
        };
        for s in &b.schedule {
            if !known(s.kind, &s.item_id) {
                problems.push(format!(
                    "schedule: unknown {} id `{}`",
                    s.kind.as_str(),
                    s.item_id
                ));
            }
            if !(s.stability.is_finite()
                && s.difficulty.is_finite()
                && s.stability > 0.0
                && s.stability < 1e6
                && (0.0..=11.0).contains(&s.difficulty))
            {
                problems.push(format!(
                    "schedule of `{}`: impossible memory state",
                    s.item_id
                ));
            }
            if let Err(m) = time("a schedule entry", s.last_review_at_ms)
                .and_then(|()| time("a due date", s.due_at_ms))
            {
                problems.push(m);
            }
        }
        for r in &b.reviews {
            if !known(r.kind, &r.item_id) {
                problems.push(format!(
                    "review log: unknown {} id `{}`",
                    r.kind.as_str(),
                    r.item_id
                ));
            }
            if !(1..=4).contains(&r.rating) || !r.stability.is_finite() || !r.difficulty.is_finite()
            {
                problems.push(format!(
                    "review of `{}`: rating must be 1–4 with a finite memory state",
                    r.item_id
                ));
            }
            if let Err(m) = time("a review", r.reviewed_at_ms) {
                problems.push(m);
            }
        }
        // The same checks as `pmle settings set` and as reading them from the database.
        for (k, v) in &b.settings {
            let ok = match k.as_str() {
                "settings" => Settings::from_json(v, Settings::default())
                    .map(drop)
                    .map_err(|bad| bad.join("; ")),
                "fsrs_parameters" => validate_fsrs_parameters(v).map(drop),
                _ => Err("unknown setting".to_owned()),
            };
            if let Err(e) = ok {
                problems.push(format!("setting `{k}`: {e}"));
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        let more = if problems.len() > 5 {
            format!(" (and {} more)", problems.len() - 5)
        } else {
            String::new()
        };
        problems.truncate(5);
        bad(format!("{}{more}", problems.join("; ")))
    }

    /// Exams: known variant and section, at least one question, at most one unfinished
    /// exam once merged (an unfinished exam already in the database counts).
    fn check_exams(
        &self,
        exams: &[ExamRecord],
        sections: &HashSet<&str>,
        check_choice: &dyn Fn(&str, &str, &[usize], Option<&[usize]>) -> Result<(), String>,
        time: &dyn Fn(&str, i64) -> Result<(), String>,
        problems: &mut Vec<String>,
    ) -> Result<(), AppError> {
        for e in exams {
            match (e.variant.as_str(), e.section_id.as_deref()) {
                ("full" | "retry", None) => {}
                ("section", Some(s)) if sections.contains(s) => {}
                ("section", Some(s)) => {
                    problems.push(format!("exam {}: unknown section id `{s}`", e.id));
                }
                ("full" | "retry" | "section", s) => problems.push(format!(
                    "exam {}: a `{}` exam with section {s:?}",
                    e.id, e.variant
                )),
                (v, _) => problems.push(format!("exam {}: unknown variant `{v}`", e.id)),
            }
            if e.items.is_empty() {
                problems.push(format!("exam {} has no questions", e.id));
            }
            if e.id <= 0
                || !(0..=600 * 60_000).contains(&e.time_limit_ms)
                || e.elapsed_ms < 0
                || e.current >= e.items.len().max(1)
            {
                problems.push(format!(
                    "exam {}: impossible id, time limit, elapsed time or position",
                    e.id
                ));
            }
            if let Err(m) = time("an exam", e.started_at_ms) {
                problems.push(m);
            }
            for (pos, it) in e.items.iter().enumerate() {
                if it.position != pos || it.time_ms < 0 {
                    problems.push(format!(
                        "exam {}: item {pos} is out of order or has a negative time",
                        e.id
                    ));
                }
                if let Err(m) = check_choice(
                    &it.question_id,
                    &it.section_id,
                    &it.shown_order,
                    it.chosen.as_deref(),
                ) {
                    problems.push(format!("exam {}: {m}", e.id));
                }
            }
        }
        // The import keeps an exam that is already there (same start, seed, variant and
        // section), so only unfinished exams new to this database count.
        let same = |a: &ExamRecord, b: &ExamRecord| {
            (a.started_at_ms, a.seed, &a.variant, &a.section_id)
                == (b.started_at_ms, b.seed, &b.variant, &b.section_id)
        };
        let existing: Vec<ExamRecord> = self
            .store
            .unfinished_exam()?
            .into_iter()
            .chain(self.store.finished_exams()?)
            .collect();
        let new_unfinished: Vec<&ExamRecord> = exams
            .iter()
            .filter(|e| e.submitted_at_ms.is_none() && !existing.iter().any(|x| same(x, e)))
            .collect();
        let here = self.store.unfinished_exam()?;
        match (new_unfinished.as_slice(), here) {
            ([], _) | ([_], None) => {}
            ([e, ..], Some(mine)) => problems.push(format!(
                "it holds unfinished exam {} and this database has unfinished exam {} too; \
                 finish or submit yours first (`pmle exam`), then import again",
                e.id, mine.id
            )),
            (many, None) => problems.push(format!(
                "it holds {} unfinished exams; only one can be in progress",
                many.len()
            )),
        }
        Ok(())
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
            for q in &self.pack.questions {
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
