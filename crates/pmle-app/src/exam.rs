//! Mock exams: plan, start, answer, flag, navigate, submit, report — and resume after a crash.
//!
//! Every answer, flag and move is written to the store at once, together with the exam's
//! clock (time used so far), so a killed process loses nothing and a resumed exam has the
//! time that was left. Time while pmle is not running is not counted.

use pmle_content::letter;
use pmle_content::model::Kind;
use pmle_engine::exam::{Pool, assemble};
use pmle_engine::{grade, item_status, shuffled_order};
use pmle_store::{ExamItemRecord, ExamItemUpdate, ExamRecord, Mode, NewAnswer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::{App, AppError, FeedbackOption, PresentedOption};

/// Which questions an exam draws from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExamVariant {
    /// The whole blueprint, by section weight.
    Full,
    /// One section (id like `s3` or number like `3`).
    Section(String),
    /// Questions whose last answer was wrong.
    Retry,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedQuestion {
    pub id: String,
    pub section: String,
}

/// A drawn exam, before it starts.
#[derive(Debug, Clone, Serialize)]
pub struct ExamPlan {
    pub seed: u64,
    pub minutes: u32,
    pub variant: String,
    pub section: Option<String>,
    pub questions: Vec<PlannedQuestion>,
    /// Sections that had fewer questions than their share, as sentences.
    pub shortfalls: Vec<String>,
    #[serde(skip)]
    orders: Vec<Vec<usize>>,
}

/// An exam in progress.
#[derive(Debug, Clone)]
pub struct ExamSession {
    pub record: ExamRecord,
    last_event_ms: i64,
    shown_at_ms: i64,
}

impl ExamSession {
    pub fn id(&self) -> i64 {
        self.record.id
    }

    pub fn len(&self) -> usize {
        self.record.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.record.items.is_empty()
    }

    pub fn current(&self) -> usize {
        self.record.current
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

    /// Time used, counting up to `now_ms`.
    pub fn elapsed_ms(&self, now_ms: i64) -> i64 {
        self.record.elapsed_ms + (now_ms - self.last_event_ms).max(0)
    }

    pub fn time_left_ms(&self, now_ms: i64) -> i64 {
        (self.record.time_limit_ms - self.elapsed_ms(now_ms)).max(0)
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
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionScore {
    pub id: String,
    pub number: u32,
    pub title: String,
    pub weight: f64,
    pub correct: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportItem {
    pub position: usize,
    pub question_id: String,
    pub section_id: String,
    pub answered: bool,
    pub correct: bool,
    pub flagged: bool,
    pub time_ms: i64,
    pub stem: String,
    pub options: Vec<FeedbackOption>,
    pub references: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExamReport {
    pub exam_id: i64,
    pub variant: String,
    pub section: Option<String>,
    pub seed: u64,
    /// Share correct, 0–1 (unanswered questions count as wrong).
    pub score: f64,
    pub correct: usize,
    pub total: usize,
    pub answered: usize,
    pub flagged: usize,
    pub elapsed_ms: i64,
    pub time_limit_ms: i64,
    pub auto_submitted: bool,
    pub sections: Vec<SectionScore>,
    pub items: Vec<ReportItem>,
}

/// What happened to an action in an exam.
#[derive(Debug, Clone)]
pub enum ExamEvent {
    Saved,
    /// Time ran out before the action: the exam was submitted as it stood.
    TimeUp(Box<ExamReport>),
}

impl App {
    /// Draw an exam without starting it. The same seed and history give the same plan.
    pub fn plan_exam(&self, variant: &ExamVariant, seed: u64) -> Result<ExamPlan, AppError> {
        let settings = self.settings()?;
        let snap = self.snapshot()?;
        let status = item_status(self.index.items.len(), &snap.observations);
        let (pool_section, wrong): (Option<usize>, Vec<usize>);
        let pool = match variant {
            ExamVariant::Full => Pool::All,
            ExamVariant::Section(s) => {
                let id = &self
                    .pack
                    .resolve_section(s)
                    .ok_or_else(|| AppError::UnknownSection(s.clone()))?
                    .id;
                pool_section = self.pack.sections.iter().position(|x| &x.id == id);
                Pool::Section(pool_section.unwrap_or(0))
            }
            ExamVariant::Retry => {
                wrong = (0..status.len())
                    .filter(|&i| status[i].attempts > 0 && !status[i].last_correct)
                    .filter(|&i| !self.index.items[i].retired)
                    .collect();
                if wrong.is_empty() {
                    return Err(AppError::Exam(
                        "no wrong answers to retry yet; practise or sit an exam first".into(),
                    ));
                }
                Pool::Only(&wrong)
            }
        };
        let draw = assemble(
            &self.index.items,
            &status,
            &self.index.weights,
            settings.exam_questions,
            pool,
            seed,
        );
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0b7e_0f0e);
        let orders = draw
            .items
            .iter()
            .map(|&i| shuffled_order(self.pack.questions[i].options.len(), &mut rng))
            .collect();
        let shortfalls = draw
            .shortfalls
            .iter()
            .map(|s| {
                let sec = &self.pack.sections[s.section];
                format!(
                    "section {} ({}) has {} question(s) for the {} its weight asks; the exam draws what exists",
                    sec.number, sec.title, s.available, s.wanted
                )
            })
            .collect();
        Ok(ExamPlan {
            seed,
            minutes: settings.exam_minutes,
            variant: variant_name(variant).to_owned(),
            section: match variant {
                ExamVariant::Section(s) => self.pack.resolve_section(s).map(|x| x.id.clone()),
                _ => None,
            },
            questions: draw
                .items
                .iter()
                .map(|&i| PlannedQuestion {
                    id: self.pack.questions[i].id.clone(),
                    section: self.pack.questions[i].section.clone(),
                })
                .collect(),
            shortfalls,
            orders,
        })
    }

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
                })
                .collect(),
        };
        record.id = self.store.create_exam(&record)?;
        Ok(ExamSession {
            record,
            last_event_ms: now,
            shown_at_ms: now,
        })
    }

    /// The unfinished exam, if any, ready to continue with the time it had left.
    pub fn resume_exam(&self) -> Result<Option<ExamSession>, AppError> {
        let now = self.now_ms();
        Ok(self.store.unfinished_exam()?.map(|record| ExamSession {
            record,
            last_event_ms: now,
            shown_at_ms: now,
        }))
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
        })
    }

    /// Save an answer (positions in shown order) to the question at `position`; an empty
    /// choice clears the answer, so the question counts as unanswered again.
    pub fn exam_answer(
        &mut self,
        s: &mut ExamSession,
        position: usize,
        picked: &[usize],
    ) -> Result<ExamEvent, AppError> {
        self.exam_change(s, position, |it| {
            let chosen: Vec<usize> = picked
                .iter()
                .filter_map(|&p| it.shown_order.get(p).copied())
                .collect();
            it.chosen = (!chosen.is_empty()).then_some(chosen);
        })
    }

    /// Flag or unflag the question at `position`.
    pub fn exam_flag(
        &mut self,
        s: &mut ExamSession,
        position: usize,
        flagged: bool,
    ) -> Result<ExamEvent, AppError> {
        self.exam_change(s, position, |it| it.flagged = flagged)
    }

    /// Move to `position`; the time spent on the current question is saved.
    pub fn exam_goto(
        &mut self,
        s: &mut ExamSession,
        position: usize,
    ) -> Result<ExamEvent, AppError> {
        let position = position.min(s.len().saturating_sub(1));
        let from = s.record.current;
        let event = self.exam_change(s, from, |_| {})?;
        if matches!(event, ExamEvent::Saved) {
            s.record.current = position;
            self.exam_change(s, position, |_| {})
        } else {
            Ok(event)
        }
    }

    fn exam_change(
        &mut self,
        s: &mut ExamSession,
        position: usize,
        change: impl FnOnce(&mut ExamItemRecord),
    ) -> Result<ExamEvent, AppError> {
        let now = self.now_ms();
        if s.time_left_ms(now) == 0 {
            let report = self.submit_exam(s, true)?;
            return Ok(ExamEvent::TimeUp(Box::new(report)));
        }
        if position >= s.len() {
            return Err(AppError::Exam(format!(
                "there is no question {}",
                position + 1
            )));
        }
        let elapsed = s.elapsed_ms(now);
        let current = s.record.current;
        let spent = (now - s.shown_at_ms).max(0);
        if let Some(cur) = s.record.items.get_mut(current) {
            cur.time_ms += spent;
        }
        let time_of_current = s.record.items[current].time_ms;
        if current != position {
            // The time of the question we were on is saved with its own row.
            let it = &s.record.items[current];
            let update = ExamItemUpdate {
                position: current,
                chosen: it.chosen.clone(),
                flagged: it.flagged,
                time_ms: time_of_current,
            };
            self.store
                .save_exam_item(s.record.id, &update, elapsed, current, now)?;
        }
        let it = &mut s.record.items[position];
        change(it);
        let update = ExamItemUpdate {
            position,
            chosen: it.chosen.clone(),
            flagged: it.flagged,
            time_ms: it.time_ms,
        };
        self.store
            .save_exam_item(s.record.id, &update, elapsed, s.record.current, now)?;
        s.record.elapsed_ms = elapsed;
        s.last_event_ms = now;
        s.shown_at_ms = now;
        Ok(ExamEvent::Saved)
    }

    /// Submit: record every given answer, schedule the missed questions, and report.
    pub fn submit_exam(&mut self, s: &mut ExamSession, auto: bool) -> Result<ExamReport, AppError> {
        let now = self.now_ms();
        let elapsed = s.elapsed_ms(now).min(s.record.time_limit_ms);
        let mut answers = Vec::new();
        for it in &s.record.items {
            let (Some(chosen), Some(q)) = (&it.chosen, self.pack.question(&it.question_id)) else {
                continue;
            };
            answers.push(NewAnswer {
                question_id: it.question_id.clone(),
                section_id: it.section_id.clone(),
                mode: Mode::Exam,
                session_id: Some(format!("exam-{}", s.record.id)),
                shown_order: it.shown_order.clone(),
                chosen: chosen.clone(),
                correct: grade(&q.correct_indexes(), chosen),
                answered_at_ms: now,
                duration_ms: Some(it.time_ms),
            });
        }
        self.store
            .submit_exam(s.record.id, elapsed, now, auto, &answers)?;
        for a in answers.iter().filter(|a| !a.correct) {
            self.schedule_question(&a.question_id, false)?;
        }
        s.record.submitted_at_ms = Some(now);
        s.record.auto_submitted = auto;
        s.record.elapsed_ms = elapsed;
        self.exam_report(s.record.id)
    }

    /// The report of a submitted (or, read-only, an unfinished) exam.
    pub fn exam_report(&self, id: i64) -> Result<ExamReport, AppError> {
        let e = self.store.exam(id)?.ok_or(AppError::UnknownExam(id))?;
        let mut items = Vec::new();
        for it in &e.items {
            let Some(q) = self.pack.question(&it.question_id) else {
                continue;
            };
            let chosen = it.chosen.clone().unwrap_or_default();
            let correct = it.chosen.is_some() && grade(&q.correct_indexes(), &chosen);
            items.push(ReportItem {
                position: it.position,
                question_id: q.id.clone(),
                section_id: q.section.clone(),
                answered: it.chosen.is_some(),
                correct,
                flagged: it.flagged,
                time_ms: it.time_ms,
                stem: q.stem.clone(),
                options: it
                    .shown_order
                    .iter()
                    .enumerate()
                    .map(|(p, &i)| FeedbackOption {
                        letter: letter(p),
                        text: q.options[i].text.clone(),
                        correct: q.options[i].correct,
                        chosen: chosen.contains(&i),
                        explanation: q.options[i].explanation.clone(),
                    })
                    .collect(),
                references: q.references.clone(),
            });
        }
        let sections = self
            .pack
            .sections
            .iter()
            .map(|s| SectionScore {
                id: s.id.clone(),
                number: s.number,
                title: s.title.clone(),
                weight: s.weight,
                correct: items
                    .iter()
                    .filter(|i| i.section_id == s.id && i.correct)
                    .count(),
                total: items.iter().filter(|i| i.section_id == s.id).count(),
            })
            .filter(|s| s.total > 0)
            .collect();
        let correct = items.iter().filter(|i| i.correct).count();
        Ok(ExamReport {
            exam_id: e.id,
            variant: e.variant.clone(),
            section: e.section_id.clone(),
            seed: e.seed,
            score: if items.is_empty() {
                0.0
            } else {
                correct as f64 / items.len() as f64
            },
            correct,
            total: items.len(),
            answered: items.iter().filter(|i| i.answered).count(),
            flagged: items.iter().filter(|i| i.flagged).count(),
            elapsed_ms: e.elapsed_ms,
            time_limit_ms: e.time_limit_ms,
            auto_submitted: e.auto_submitted,
            sections,
            items,
        })
    }

    /// Submitted exams, newest first.
    pub fn finished_exams(&self) -> Result<Vec<ExamRecord>, AppError> {
        Ok(self.store.finished_exams()?)
    }
}

fn variant_name(v: &ExamVariant) -> &'static str {
    match v {
        ExamVariant::Full => "full",
        ExamVariant::Section(_) => "section",
        ExamVariant::Retry => "retry",
    }
}
