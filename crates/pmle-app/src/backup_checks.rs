//! The checks a backup passes before anything is written: ids against the pack, option
//! indexes, times, exams that can be resumed, and settings through the same validation as
//! `pmle settings set` and FSRS fitting.

use std::collections::HashSet;

use pmle_store::{Backup, ExamRecord, ItemKind};

use crate::cards::validate_fsrs_parameters;
use crate::{App, AppError, Settings};

/// Timestamps outside 2000–2200 are not from a real study history.
const MIN_MS: i64 = 946_684_800_000;
const MAX_MS: i64 = 7_258_118_400_000;

/// Checks one answer's question, section, option order and choice.
type ChoiceCheck<'a> = dyn Fn(&str, &str, &[usize], Option<&[usize]>) -> Result<(), String> + 'a;
/// Checks that a time is plausible.
type TimeCheck<'a> = dyn Fn(&str, i64) -> Result<(), String> + 'a;

impl App {
    pub(crate) fn validate_backup(&self, b: &Backup) -> Result<(), AppError> {
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
        for p in &b.predictions {
            let share = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
            if !b.exams.iter().any(|e| e.id == p.exam_id) {
                problems.push(format!(
                    "a prediction refers to exam {}, which is not in the file",
                    p.exam_id
                ));
            } else if !(share(p.predicted) && share(p.low) && share(p.high) && p.low <= p.high) {
                problems.push(format!(
                    "the prediction for exam {} is not a score between 0 and 1 with low ≤ high",
                    p.exam_id
                ));
            }
            if let Err(m) = time("a prediction", p.made_at_ms) {
                problems.push(m);
            }
        }
        self.check_question_keepsakes(b, &time, &mut problems);
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

    /// Bookmarks, flags, notes and reports: known questions, plausible times, bounded text.
    /// (Unknown reasons and marks are refused when the file is read, naming the ones allowed.)
    fn check_question_keepsakes(
        &self,
        b: &Backup,
        time: &TimeCheck<'_>,
        problems: &mut Vec<String>,
    ) {
        use pmle_store::{MAX_NOTE_CHARS, MAX_REPORT_CHARS};
        let question = |what: &str, id: &str| {
            if self.pack.question(id).is_some() {
                Ok(())
            } else {
                Err(format!("{what}: unknown question id `{id}`"))
            }
        };
        for m in &b.marks {
            if let Err(e) = question(&format!("a {}", m.mark.as_str()), &m.question_id)
                .and_then(|()| time("a bookmark or flag", m.created_at_ms))
            {
                problems.push(e);
            }
        }
        for n in &b.notes {
            let chars = n.text.chars().count();
            let r = question("a note", &n.question_id)
                .and_then(|()| time("a note", n.updated_at_ms))
                .and_then(|()| {
                    if chars == 0 || chars > MAX_NOTE_CHARS {
                        Err(format!(
                            "the note on `{}` has {chars} characters; notes hold 1 to {MAX_NOTE_CHARS}",
                            n.question_id
                        ))
                    } else {
                        Ok(())
                    }
                });
            if let Err(e) = r {
                problems.push(e);
            }
        }
        for r in &b.reports {
            let chars = r.text.as_deref().map_or(0, |t| t.chars().count());
            let res = question("a report", &r.question_id)
                .and_then(|()| time("a report", r.created_at_ms))
                .and_then(|()| {
                    // The triage's form (version, note) was checked while parsing.
                    match r.triage.as_ref().and_then(|t| t.triaged_at_ms) {
                        Some(at) => time("a report's triage", at),
                        None => Ok(()),
                    }
                })
                .and_then(|()| {
                    if chars > MAX_REPORT_CHARS {
                        Err(format!(
                            "a report on `{}` has {chars} characters of text; reports hold up to {MAX_REPORT_CHARS}",
                            r.question_id
                        ))
                    } else {
                        Ok(())
                    }
                });
            if let Err(e) = res {
                problems.push(e);
            }
        }
    }

    /// Exams: known variant and section, at least one question, at most one unfinished
    /// exam once merged (an unfinished exam already in the database counts).
    fn check_exams(
        &self,
        exams: &[ExamRecord],
        sections: &HashSet<&str>,
        check_choice: &ChoiceCheck<'_>,
        time: &TimeCheck<'_>,
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
            .filter(|e| e.status() == pmle_store::ExamStatus::Running)
            .filter(|e| !existing.iter().any(|x| same(x, e)))
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
}
