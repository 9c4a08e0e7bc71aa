//! An exam in progress: start, resume, answer, flag, move, submit.
//!
//! The store is the single source of truth for a running exam, which several front ends
//! (the CLI, the TUI, the web server, two servers) may run at once. A session is one front
//! end's view: the exam as it last read it, the question it shows and when its clock last
//! counted. Every action re-reads the exam, writes only what this front end did (an
//! [`ExamWrite`]: an answer over the version it showed, a flag, time added, never a copy of
//! the exam), and takes the exam as saved after it. So a killed process loses nothing, a
//! resumed exam has the time that was left, and no front end writes back a stale answer.
//! Time while no pmle is running the exam is not counted. The rules are in docs/engine.md,
//! "Two front ends on one exam".
//!
//! A front end whose view outlives the learner's attention (the web server, which runs
//! with no tab open) counts on the page clock ([`ExamSession::count_page_time`]): every
//! save, heartbeat included, counts at most [`PAGE_GAP_MS`] since the one before, so the
//! clock stops within that gap of the last open exam page going away.

use pmle_content::letter;
use pmle_content::model::Kind;
use pmle_engine::grade;
use pmle_store::{
    ExamItemChange, ExamItemRecord, ExamRecord, ExamStatus, ExamSubmit, ExamWrite, Mode, NewAnswer,
    StoreError,
};
use serde::Serialize;

use super::{ExamEvent, ExamPlan, ExamReport};
use crate::{App, AppError, PresentedOption};

/// The most time one save counts on the page clock: an open exam page sends a heartbeat
/// every [`PAGE_HEARTBEAT_MS`], so a longer gap means no page was open.
pub const PAGE_GAP_MS: i64 = 30_000;
/// How often an open exam page sends a heartbeat.
pub const PAGE_HEARTBEAT_MS: i64 = 10_000;

/// How often a submit re-reads and re-scores an exam that changed while it was scored.
const SUBMIT_TRIES: usize = 8;

/// An exam in progress, as one front end runs it.
#[derive(Debug, Clone)]
pub struct ExamSession {
    /// The exam as last read from the store (at this front end's last action or refresh).
    pub record: ExamRecord,
    /// The question this front end shows.
    position: usize,
    /// Up to when this front end's clock has counted: its last save, or when it opened the exam.
    since_ms: i64,
    /// When the question at `position` was shown here.
    shown_at_ms: i64,
    /// On the page clock: the most one save counts (see [`ExamSession::count_page_time`]).
    gap_cap_ms: Option<i64>,
}

impl ExamSession {
    fn new(record: ExamRecord, now_ms: i64) -> ExamSession {
        let position = record.current.min(record.items.len().saturating_sub(1));
        ExamSession {
            record,
            position,
            since_ms: now_ms,
            shown_at_ms: now_ms,
            gap_cap_ms: None,
        }
    }

    /// The session a front end that keeps nothing between requests (the web server, any
    /// of several) rebuilds from the stored exam alone: it shows the stored question and
    /// counts from the instant up to which the store has counted (`updated_at`), so the
    /// time since the last save by anyone counts once, whichever server answers next.
    pub(super) fn from_store(record: ExamRecord, now_ms: i64) -> ExamSession {
        let since = record.updated_at_ms.min(now_ms);
        let mut s = ExamSession::new(record, now_ms);
        s.since_ms = since;
        s.shown_at_ms = since;
        s
    }

    /// Count time only while an exam page is open (`true`: the page clock, each save counts
    /// at most [`PAGE_GAP_MS`] since the last) or all wall time while this front end holds
    /// the exam (`false`: the strict clock, as the CLI and the TUI always count).
    pub fn count_page_time(&mut self, page: bool) {
        self.gap_cap_ms = page.then_some(PAGE_GAP_MS);
    }

    /// Whether this session counts on the page clock.
    pub fn counts_page_time(&self) -> bool {
        self.gap_cap_ms.is_some()
    }

    /// This front end's `since` as the store should count from at `now_ms`: on the page
    /// clock, no further back than the gap cap.
    fn count_from(&self, from_ms: i64, now_ms: i64) -> i64 {
        match self.gap_cap_ms {
            Some(cap) => from_ms.max(now_ms - cap),
            None => from_ms,
        }
    }

    pub fn id(&self) -> i64 {
        self.record.id
    }

    pub fn len(&self) -> usize {
        self.record.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.record.items.is_empty()
    }

    /// The question this front end shows.
    pub fn current(&self) -> usize {
        self.position
    }

    pub fn answered(&self) -> usize {
        self.record
            .items
            .iter()
            .filter(|i| i.chosen.is_some())
            .count()
    }

    pub fn unanswered_positions(&self) -> Vec<usize> {
        self.record
            .items
            .iter()
            .filter(|i| i.chosen.is_none())
            .map(|i| i.position)
            .collect()
    }

    pub fn flagged_positions(&self) -> Vec<usize> {
        self.record
            .items
            .iter()
            .filter(|i| i.flagged)
            .map(|i| i.position)
            .collect()
    }

    /// Time used, counting up to `now_ms`: what is saved, plus the time since the later of
    /// this front end's last save and anyone's (the store's clock rule).
    pub fn elapsed_ms(&self, now_ms: i64) -> i64 {
        let from = self.count_from(self.since_ms.max(self.record.updated_at_ms), now_ms);
        (self.record.elapsed_ms + (now_ms - from).max(0)).min(self.record.time_limit_ms)
    }

    pub fn time_left_ms(&self, now_ms: i64) -> i64 {
        (self.record.time_limit_ms - self.elapsed_ms(now_ms)).max(0)
    }

    /// Submitted, here or by another front end (as of the last read).
    pub fn is_submitted(&self) -> bool {
        self.record.submitted_at_ms.is_some()
    }

    /// Abandoned, here or by another front end (as of the last read).
    pub fn is_abandoned(&self) -> bool {
        self.record.status() == ExamStatus::Abandoned
    }
}

/// One exam question as shown, with the learner's current choice.
#[derive(Debug, Clone, Serialize)]
pub struct ExamItemView {
    pub position: usize,
    pub total: usize,
    pub question_id: String,
    pub section_title: String,
    pub kind: Kind,
    pub stem: String,
    pub options: Vec<PresentedOption>,
    /// Positions (in shown order) currently chosen.
    pub chosen: Vec<usize>,
    pub flagged: bool,
    /// The version of the answer shown: a front end whose page outlives the request (the
    /// web form) sends it back with [`App::exam_answer_seen`].
    pub version: i64,
}

impl App {
    /// Start the planned exam and store it.
    pub fn start_exam(&mut self, plan: &ExamPlan) -> Result<ExamSession, AppError> {
        if plan.questions.is_empty() {
            return Err(AppError::Exam(
                "there are no questions to draw for this exam".into(),
            ));
        }
        let now = self.now_ms();
        let mut record = ExamRecord {
            id: 0,
            seed: plan.seed,
            variant: plan.variant.clone(),
            section_id: plan.section.clone(),
            time_limit_ms: i64::from(plan.minutes) * 60_000,
            elapsed_ms: 0,
            current: 0,
            started_at_ms: now,
            updated_at_ms: now,
            submitted_at_ms: None,
            auto_submitted: false,
            abandoned_at_ms: None,
            items: plan
                .questions
                .iter()
                .zip(&plan.orders)
                .enumerate()
                .map(|(position, (q, order))| ExamItemRecord {
                    position,
                    question_id: q.id.clone(),
                    section_id: q.section.clone(),
                    shown_order: order.clone(),
                    chosen: None,
                    flagged: false,
                    time_ms: 0,
                    version: 0,
                })
                .collect(),
            version: 0,
        };
        record.id = self.store.create_exam(&record)?;
        // The prediction is made before the first answer, so the score can check it.
        self.record_exam_prediction(&record)?;
        Ok(ExamSession::new(record, now))
    }

    /// The unfinished exam, if any, ready to continue with the time it had left.
    pub fn resume_exam(&self) -> Result<Option<ExamSession>, AppError> {
        let now = self.now_ms();
        Ok(self
            .store
            .unfinished_exam()?
            .map(|record| ExamSession::new(record, now)))
    }

    /// Re-read the exam into the session (another front end may have changed it); the
    /// session keeps its question and its clock.
    pub fn exam_refresh(&self, s: &mut ExamSession) -> Result<(), AppError> {
        s.record = self
            .store
            .exam(s.id())?
            .ok_or(AppError::UnknownExam(s.id()))?;
        s.position = s.position.min(s.len().saturating_sub(1));
        Ok(())
    }

    pub fn exam_item(&self, s: &ExamSession, position: usize) -> Result<ExamItemView, AppError> {
        let it = s
            .record
            .items
            .get(position)
            .ok_or_else(|| AppError::Exam(format!("there is no question {}", position + 1)))?;
        let q = self
            .pack
            .question(&it.question_id)
            .ok_or_else(|| AppError::UnknownQuestion(it.question_id.clone()))?;
        let chosen = it
            .chosen
            .as_ref()
            .map(|c| {
                (0..it.shown_order.len())
                    .filter(|&p| c.contains(&it.shown_order[p]))
                    .collect()
            })
            .unwrap_or_default();
        Ok(ExamItemView {
            position,
            total: s.len(),
            question_id: q.id.clone(),
            section_title: self
                .pack
                .section(&q.section)
                .map(|x| x.title.clone())
                .unwrap_or_default(),
            kind: q.kind,
            stem: q.stem.clone(),
            options: it
                .shown_order
                .iter()
                .enumerate()
                .map(|(p, &i)| PresentedOption {
                    letter: letter(p),
                    text: q.options[i].text.clone(),
                })
                .collect(),
            chosen,
            flagged: it.flagged,
            version: it.version,
        })
    }

    /// Save an answer (positions in shown order) to the question at `position`; an empty
    /// choice clears the answer, so the question counts as unanswered again. The answer
    /// replaces only the one this session holds: if another front end changed it since,
    /// nothing is saved and the event is [`ExamEvent::ChangedElsewhere`].
    pub fn exam_answer(
        &mut self,
        s: &mut ExamSession,
        position: usize,
        picked: &[usize],
    ) -> Result<ExamEvent, AppError> {
        let seen = s.record.items.get(position).map_or(0, |it| it.version);
        self.exam_answer_seen(s, position, picked, seen)
    }

    /// [`App::exam_answer`] for a front end that showed the answer at `seen_version` (from
    /// [`ExamItemView::version`]) rather than the one the session holds now.
    pub fn exam_answer_seen(
        &mut self,
        s: &mut ExamSession,
        position: usize,
        picked: &[usize],
        seen_version: i64,
    ) -> Result<ExamEvent, AppError> {
        let it = s
            .record
            .items
            .get(position)
            .ok_or_else(|| no_question(position))?;
        let chosen: Vec<usize> = picked
            .iter()
            .filter_map(|&p| it.shown_order.get(p).copied())
            .collect();
        let change = ExamItemChange::Answer {
            position,
            chosen: (!chosen.is_empty()).then_some(chosen),
            seen_version,
        };
        self.exam_act(s, Some(change), None)
    }

    /// Flag or unflag the question at `position`.
    pub fn exam_flag(
        &mut self,
        s: &mut ExamSession,
        position: usize,
        flagged: bool,
    ) -> Result<ExamEvent, AppError> {
        if position >= s.len() {
            return Err(no_question(position));
        }
        self.exam_act(s, Some(ExamItemChange::Flag { position, flagged }), None)
    }

    /// Move to `position`; the time spent on the current question is saved.
    pub fn exam_goto(
        &mut self,
        s: &mut ExamSession,
        position: usize,
    ) -> Result<ExamEvent, AppError> {
        let position = position.min(s.len().saturating_sub(1));
        self.exam_act(s, None, Some(position))
    }

    /// Re-read, check the time, write this front end's action, take the exam as saved.
    fn exam_act(
        &mut self,
        s: &mut ExamSession,
        change: Option<ExamItemChange>,
        move_to: Option<usize>,
    ) -> Result<ExamEvent, AppError> {
        let now = self.now_ms();
        self.exam_refresh(s)?;
        if s.is_submitted() {
            return Ok(ExamEvent::AlreadySubmitted(Box::new(
                self.exam_report(s.id())?,
            )));
        }
        if s.is_abandoned() {
            return Ok(ExamEvent::Abandoned(s.id()));
        }
        if s.time_left_ms(now) == 0 {
            return match self.submit_exam(s, true) {
                Ok(report) => Ok(ExamEvent::TimeUp(Box::new(report))),
                Err(e) if e.submitted_exam().is_some() => Ok(ExamEvent::AlreadySubmitted(
                    Box::new(self.exam_report(s.id())?),
                )),
                Err(AppError::Store(StoreError::ExamAbandoned(id))) => Ok(ExamEvent::Abandoned(id)),
                Err(e) => Err(e),
            };
        }
        let current = move_to.unwrap_or(s.position);
        let spent = now - s.count_from(s.shown_at_ms, now);
        let write = ExamWrite {
            since_ms: s.count_from(s.since_ms, now),
            now_ms: now,
            current,
            time_spent: (spent > 0).then_some((s.position, spent)),
            change,
        };
        match self.store.write_exam(s.id(), &write) {
            Ok(record) => {
                s.record = record;
                s.since_ms = now;
                s.shown_at_ms = now;
                s.position = current;
                Ok(ExamEvent::Saved)
            }
            Err(StoreError::Conflict {
                position: Some(position),
                ..
            }) => {
                // Nothing was written; this session's time is counted by its next write.
                self.exam_refresh(s)?;
                Ok(ExamEvent::ChangedElsewhere { position })
            }
            Err(StoreError::ExamSubmitted(id)) => {
                self.exam_refresh(s)?;
                Ok(ExamEvent::AlreadySubmitted(Box::new(self.exam_report(id)?)))
            }
            Err(StoreError::ExamAbandoned(id)) => {
                self.exam_refresh(s)?;
                Ok(ExamEvent::Abandoned(id))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// For a front end that holds an exam while nobody may be looking (the web server):
    /// count on the page clock, unless the `exam_clock` setting is `strict`.
    pub fn exam_use_clock_setting(&self, s: &mut ExamSession) -> Result<(), AppError> {
        s.count_page_time(self.settings()?.exam_clock == crate::ExamClock::Page);
        Ok(())
    }

    /// An open exam page says it is still there: save the time since the last save (on the
    /// page clock, at most [`PAGE_GAP_MS`]), so a server that stops loses at most one
    /// heartbeat's time. Time up submits, as any action does.
    pub fn exam_heartbeat(&mut self, s: &mut ExamSession) -> Result<ExamEvent, AppError> {
        self.exam_act(s, None, None)
    }

    /// Abandon the exam: it is kept, marked abandoned, and never scored; its answers are
    /// not recorded and it stays out of the history, the last score, readiness and the
    /// prediction checks. Refused (the error says so) if it was submitted meanwhile.
    pub fn abandon_exam(&mut self, s: &mut ExamSession) -> Result<(), AppError> {
        let now = self.now_ms();
        self.store.abandon_exam(s.id(), now)?;
        self.exam_refresh(s)?;
        Ok(())
    }

    /// Submit: score every answer saved (by any front end), record them, schedule the missed
    /// questions, and report. If another front end submitted it first, the error says so
    /// ([`AppError::submitted_exam`]) and nothing is recorded twice.
    pub fn submit_exam(&mut self, s: &mut ExamSession, auto: bool) -> Result<ExamReport, AppError> {
        let now = self.now_ms();
        for _ in 0..SUBMIT_TRIES {
            self.exam_refresh(s)?;
            if s.is_submitted() {
                return Err(StoreError::ExamSubmitted(s.id()).into());
            }
            let answers = self.exam_answers(&s.record, now);
            let submit = ExamSubmit {
                seen_version: s.record.version,
                since_ms: s.count_from(s.since_ms, now),
                now_ms: now,
                auto,
                answers: &answers,
            };
            match self.store.submit_exam(s.id(), &submit) {
                // Changed between the read and the submit: score it again.
                Err(StoreError::Conflict { .. }) => continue,
                Err(e) => return Err(e.into()),
                Ok(()) => {
                    for a in answers.iter().filter(|a| !a.correct) {
                        self.schedule_question(&a.question_id, false)?;
                    }
                    self.exam_refresh(s)?;
                    return self.exam_report(s.id());
                }
            }
        }
        Err(AppError::Exam(
            "the exam kept changing in another window while it was submitted; submit it again"
                .into(),
        ))
    }

    /// The answers an exam's saved choices make, as recorded when it is submitted.
    fn exam_answers(&self, e: &ExamRecord, now_ms: i64) -> Vec<NewAnswer> {
        let mut answers = Vec::new();
        for it in &e.items {
            let (Some(chosen), Some(q)) = (&it.chosen, self.pack.question(&it.question_id)) else {
                continue;
            };
            answers.push(NewAnswer {
                question_id: it.question_id.clone(),
                section_id: it.section_id.clone(),
                mode: Mode::Exam,
                session_id: Some(format!("exam-{}", e.id)),
                shown_order: it.shown_order.clone(),
                chosen: chosen.clone(),
                correct: grade(&q.correct_indexes(), chosen),
                answered_at_ms: now_ms,
                duration_ms: Some(it.time_ms),
            });
        }
        answers
    }
}

fn no_question(position: usize) -> AppError {
    AppError::Exam(format!("there is no question {}", position + 1))
}
