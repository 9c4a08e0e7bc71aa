//! Your data in and out: the JSON backup (validated before anything is written) and the
//! flashcards as Anki notes.

use std::collections::HashSet;

use pmle_anki::{AnkiNote, markdown_to_html};
use pmle_content::letter;
use pmle_store::{BACKUP_FORMAT, BACKUP_SCHEMA_VERSION, Backup, ImportSummary, ItemKind};

use crate::{App, AppError, Settings};

/// Backups larger than this are refused before parsing.
pub const MAX_BACKUP_BYTES: usize = 1 << 30;

/// Timestamps outside 2000–2200 are not from a real study history.
const MIN_MS: i64 = 946_684_800_000;
const MAX_MS: i64 = 7_258_118_400_000;

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
        if text.len() > MAX_BACKUP_BYTES {
            return Err(AppError::Import(format!(
                "the file is {} MB, larger than any pmle backup ({} MB); is it the right file?",
                text.len() >> 20,
                MAX_BACKUP_BYTES >> 20
            )));
        }
        let head: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            AppError::Import(format!("not a pmle backup: the file is not valid JSON ({e}); export a new one with `pmle export json`"))
        })?;
        if head.get("format").and_then(|f| f.as_str()) != Some(BACKUP_FORMAT) {
            return Err(AppError::Import(format!(
                "not a pmle backup: `format` is not \"{BACKUP_FORMAT}\""
            )));
        }
        let version = head
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if version > u64::from(BACKUP_SCHEMA_VERSION) {
            let by = head
                .get("pmle_version")
                .and_then(|v| v.as_str())
                .unwrap_or("a newer pmle");
            return Err(AppError::Import(format!(
                "this backup uses schema {version}, written by pmle {by}; this pmle reads up to schema \
                 {BACKUP_SCHEMA_VERSION}: update to pmle {by} or newer to import it"
            )));
        }
        let backup: Backup = serde_json::from_value(head)
            .map_err(|e| AppError::Import(format!("the backup is malformed: {e}")))?;
        self.validate_backup(&backup)?;
        Ok(self.store.import_backup(&backup)?)
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
            let n = q.options.len();
            let mut sorted = order.to_vec();
            sorted.sort_unstable();
            if sorted != (0..n).collect::<Vec<_>>() {
                return Err(format!(
                    "question `{qid}`: option order {order:?} does not match its {n} options"
                ));
            }
            if let Some(c) = chosen
                && (c.len() > n || c.iter().any(|&i| i >= n))
            {
                return Err(format!(
                    "question `{qid}`: chosen options {c:?} out of range"
                ));
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
            });
            if let Err(e) = r {
                problems.push(e);
            }
        }
        for e in &b.exams {
            if !["full", "section", "retry"].contains(&e.variant.as_str()) {
                problems.push(format!("exam {}: unknown variant `{}`", e.id, e.variant));
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
        for (k, v) in &b.settings {
            let ok = match k.as_str() {
                "settings" => serde_json::from_value::<Settings>(v.clone())
                    .map_err(|e| e.to_string())
                    .and_then(|s| s.validate().map_err(|e| e.to_string())),
                "fsrs_parameters" => serde_json::from_value::<Vec<f32>>(v.clone())
                    .map_err(|e| e.to_string())
                    .and_then(|p| {
                        if p.iter().all(|x| x.is_finite()) && p.len() <= 32 {
                            Ok(())
                        } else {
                            Err("not 21 finite numbers".into())
                        }
                    }),
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
