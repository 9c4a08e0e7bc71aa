//! The exam date: days left and the daily plan (docs/engine.md §7), computed from the
//! learner's gaps, the FSRS schedule and the mock exams taken. Front ends only render it.

use pmle_engine::exam_day::ExamDay;
use pmle_engine::mastery::MasteryConfig;
use pmle_engine::readiness::{ReadinessConfig, first_seen};
use pmle_engine::srs::SrsState;
use pmle_engine::study_plan::{
    DailyPlan, MOCK_LEAD_DAYS, MOCK_SPACING_DAYS, MockAdvice, MockWhy, NeedReason, PlanInput,
    SectionGap, daily_plan,
};
use pmle_store::ItemKind;
use serde::Serialize;

use crate::{App, AppError};

const DAY_MS: i64 = 86_400_000;

/// The exam date and what follows from it (`stats --json` key `exam_plan`).
#[derive(Debug, Clone, Serialize)]
pub struct ExamPlanStats {
    /// `YYYY-MM-DD`, `null` until set.
    pub exam_date: Option<String>,
    /// Days from today (UTC) to the exam date: the study days left, today included. 0 on the
    /// exam day, negative after it.
    pub days_left: Option<i64>,
    /// The daily plan; `null` without an exam date or when no study day is left.
    pub plan: Option<PlanView>,
    /// The plan in sentences, each saying what its figure rests on.
    pub summary: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub questions_per_day: usize,
    /// New questions the sections' gaps ask for, and reviews of missed questions due before
    /// the exam.
    pub new_questions: usize,
    pub question_reviews: usize,
    pub sections: Vec<SectionNeedView>,
    pub card_reviews_per_day: usize,
    /// Flashcard reviews due before the exam if each is rated Good on time.
    pub card_reviews: usize,
    pub new_cards_per_day: usize,
    pub new_cards_left: usize,
    /// The next full mock exam; `null` when none fits before the exam.
    pub next_mock: Option<NextMock>,
    /// Fewer unseen questions are left than one mock exam draws.
    pub mock_mostly_repeats: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionNeedView {
    pub section_id: String,
    pub number: u32,
    pub questions: usize,
    /// `evidence` (fewer first-time answers than readiness needs) or `below_target`.
    pub reason: String,
    pub first_answers: u32,
    /// Measured mastery when the reason is `below_target`.
    pub mastery: Option<f64>,
    pub capped_by_bank: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextMock {
    pub date: String,
    pub in_days: i64,
    /// `first_one`, `spaced` or `last_before_exam`.
    pub why: String,
}

fn ymd(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn start_ms(d: time::Date) -> i64 {
    (d.midnight().assume_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// How to set the date, for screens that have none.
pub const HOW_TO_SET_EXAM_DATE: &str = "No exam date set: `pmle settings set exam_date YYYY-MM-DD` (or the web settings page) gives the days left and a daily plan.";

impl App {
    /// The exam day for scheduling, if a date is set and its day has not ended.
    pub(crate) fn exam_day(&self) -> Result<Option<ExamDay>, AppError> {
        let now = self.now_ms();
        Ok(self
            .exam_date()?
            .map(|d| ExamDay {
                start_ms: start_ms(d),
            })
            .filter(|e| e.end_ms() > now))
    }

    /// Days left and the daily plan towards the exam date.
    pub fn exam_plan(&self) -> Result<ExamPlanStats, AppError> {
        let Some(date) = self.exam_date()? else {
            return Ok(ExamPlanStats {
                exam_date: None,
                days_left: None,
                plan: None,
                summary: vec![HOW_TO_SET_EXAM_DATE.to_owned()],
            });
        };
        let today = self.clock.now().date();
        let days_left = (date - today).whole_days();
        let shown = ymd(date);
        if days_left < 1 {
            let summary = if days_left == 0 {
                format!("Your exam is today ({shown}): no plan for today. Good luck.")
            } else {
                format!(
                    "Your exam date ({shown}) has passed: set the next one with `pmle settings \
                     set exam_date YYYY-MM-DD`, or clear it with `pmle settings reset exam_date`."
                )
            };
            return Ok(ExamPlanStats {
                exam_date: Some(shown),
                days_left: Some(days_left),
                plan: None,
                summary: vec![summary],
            });
        }
        let input = self.plan_input(date, days_left)?;
        let plan = daily_plan(&input);
        let view = plan.as_ref().map(|p| self.plan_view(p, today, &input));
        let mut summary = vec![format!(
            "Exam on {shown}: {days_left} day{} left to study (today counts, the exam day does not).",
            if days_left == 1 { "" } else { "s" }
        )];
        if let (Some(p), Some(v)) = (&plan, &view) {
            summary.extend(self.plan_sentences(p, v, &input));
        }
        Ok(ExamPlanStats {
            exam_date: Some(shown),
            days_left: Some(days_left),
            plan: view,
            summary,
        })
    }

    fn plan_input(&self, date: time::Date, days_left: i64) -> Result<PlanInput, AppError> {
        let settings = self.settings()?;
        let snap = self.snapshot()?;
        let mastery = self.mastery_now()?;
        let evidence = self.readiness_evidence()?;
        let seen = first_seen(self.index.items.len(), &snap.observations);
        let n_sections = self.pack.sections.len();
        let mut unseen = vec![0usize; n_sections];
        for (item, s) in self.index.items.iter().zip(&seen) {
            if !item.retired && s.is_none() && item.section < n_sections {
                unseen[item.section] += 1;
            }
        }
        let sections = (0..n_sections)
            .map(|i| {
                let first = evidence.first_answers.get(i).copied().unwrap_or(0);
                SectionGap {
                    first_answers: first,
                    mastery: (first > 0).then(|| mastery.sections[i].p),
                    mastery_high: (first > 0).then(|| mastery.sections[i].high),
                    unseen: unseen[i],
                }
            })
            .collect();
        // The FSRS load up to the exam day, with the exam rule applied to each review.
        let now = self.now_ms();
        let exam = ExamDay {
            start_ms: start_ms(date),
        };
        let scheduler = self.scheduler()?;
        let rows = self.store.schedule()?;
        let in_pack_card = |id: &str| self.pack.cards.iter().any(|c| c.id == id);
        let states = |kind: ItemKind| -> Vec<SrsState> {
            rows.iter()
                .filter(|r| r.kind == kind)
                .filter(|r| match kind {
                    ItemKind::Card => in_pack_card(&r.item_id),
                    ItemKind::Question => self.index.by_question.contains_key(&r.item_id),
                })
                .map(crate::cards::to_state)
                .collect()
        };
        let retention = settings.desired_retention;
        let card_reviews = scheduler.reviews_until(
            &states(ItemKind::Card),
            now,
            exam.start_ms,
            retention,
            Some(exam),
        )?;
        let question_reviews = scheduler.reviews_until(
            &states(ItemKind::Question),
            now,
            exam.start_ms,
            retention,
            Some(exam),
        )?;
        let new_cards_left = self
            .pack
            .cards
            .iter()
            .filter(|c| {
                !rows
                    .iter()
                    .any(|r| r.kind == ItemKind::Card && r.item_id == c.id)
            })
            .count();
        let last_full = self
            .store
            .finished_exams()?
            .into_iter()
            .filter(|e| e.variant == "full")
            .filter_map(|e| e.submitted_at_ms)
            .max();
        let days_since_full_mock = last_full.map(|at| (now - at).max(0) / DAY_MS);
        let cfg = ReadinessConfig::default();
        Ok(PlanInput {
            days_left,
            sections,
            min_section_answers: cfg.min_section_answers,
            refresh_answers: MasteryConfig::default().half_life_answers as usize,
            target: settings.readiness_target,
            question_reviews,
            card_reviews,
            new_cards_left,
            new_cards_per_day: settings.new_cards_per_day,
            days_since_full_mock,
            unseen_questions: unseen.iter().sum(),
            exam_questions: settings.exam_questions,
        })
    }

    fn plan_view(&self, p: &DailyPlan, today: time::Date, input: &PlanInput) -> PlanView {
        let sections = p
            .sections
            .iter()
            .filter_map(|n| {
                let s = self.pack.sections.get(n.section)?;
                let first = input.sections.get(n.section).map_or(0, |g| g.first_answers);
                let (reason, mastery) = match n.reason {
                    NeedReason::Evidence { .. } => ("evidence", None),
                    NeedReason::BelowTarget { mastery } => ("below_target", Some(mastery)),
                };
                Some(SectionNeedView {
                    section_id: s.id.clone(),
                    number: s.number,
                    questions: n.questions,
                    reason: reason.to_owned(),
                    first_answers: first,
                    mastery,
                    capped_by_bank: n.capped_by_bank,
                })
            })
            .collect();
        let next_mock = match p.mock {
            MockAdvice::NoneLeft => None,
            MockAdvice::Sit { in_days, why } => Some(NextMock {
                date: ymd(today + time::Duration::days(in_days)),
                in_days,
                why: match why {
                    MockWhy::FirstOne => "first_one",
                    MockWhy::Spaced => "spaced",
                    MockWhy::LastBeforeExam => "last_before_exam",
                }
                .to_owned(),
            }),
        };
        PlanView {
            questions_per_day: p.questions_per_day,
            new_questions: p.new_questions,
            question_reviews: p.question_reviews,
            sections,
            card_reviews_per_day: p.card_reviews_per_day,
            card_reviews: p.card_reviews,
            new_cards_per_day: p.new_cards_per_day,
            new_cards_left: p.new_cards_left,
            next_mock,
            mock_mostly_repeats: p.mock_mostly_repeats,
        }
    }

    fn plan_sentences(&self, p: &DailyPlan, v: &PlanView, input: &PlanInput) -> Vec<String> {
        let days = p.days_left;
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        let mut out = Vec::new();
        let shown = |s: &SectionNeedView| {
            if s.capped_by_bank {
                format!("{} (all the unseen ones left)", s.questions)
            } else {
                s.questions.to_string()
            }
        };
        let short: Vec<&SectionNeedView> =
            v.sections.iter().filter(|s| s.mastery.is_none()).collect();
        let below: Vec<&SectionNeedView> =
            v.sections.iter().filter(|s| s.mastery.is_some()).collect();
        let mut gaps = Vec::new();
        if !short.is_empty() {
            gaps.push(format!(
                "short of the {} first-time answers readiness needs, section{} {} need{} {} more",
                input.min_section_answers,
                if short.len() == 1 { "" } else { "s" },
                and_list(short.iter().map(|s| s.number.to_string())),
                if short.len() == 1 { "s" } else { "" },
                and_list(short.iter().map(|s| shown(s)))
            ));
        }
        if !below.is_empty() {
            gaps.push(format!(
                "below your {} target, {} need{} {} new",
                pct(input.target),
                and_list(below.iter().map(|s| format!(
                    "section {} ({}, {} answered)",
                    s.number,
                    pct(s.mastery.unwrap_or_default()),
                    s.first_answers
                ))),
                if below.len() == 1 { "s" } else { "" },
                and_list(below.iter().map(|s| shown(s)))
            ));
        }
        out.push(format!(
            "Questions: {} a day over {days} days: {} new ones for the gaps and {} reviews of \
             missed questions that fall due before the exam (rated Good, at most one a day each).",
            p.questions_per_day, p.new_questions, p.question_reviews
        ));
        if gaps.is_empty() {
            out.push("Gaps: none; no section is short of answers or below the target.".to_owned());
        } else {
            let rule = if !below.is_empty() {
                format!(
                    " A section below the target gets {} new questions: after that many more \
                     answers its older ones weigh half in its estimate.",
                    input.refresh_answers
                )
            } else {
                String::new()
            };
            out.push(format!("Gaps: {}.{rule}", gaps.join("; ")));
        }
        out.push(format!(
            "Flashcards: {} reviews a day: {} fall due before the exam if each is rated Good on \
             time (a lapse adds more). New cards: {} a day would start the {} not yet seen \
             (your setting allows {}; their reviews are not counted above).",
            p.card_reviews_per_day,
            p.card_reviews,
            p.new_cards_per_day,
            p.new_cards_left,
            input.new_cards_per_day
        ));
        let when = |m: &NextMock| match m.in_days {
            0 => "today".to_owned(),
            1 => format!("tomorrow ({})", m.date),
            n => format!("on {} (in {n} days)", m.date),
        };
        out.push(match &v.next_mock {
            None => format!(
                "Mock exams: none left. Fewer than {MOCK_LEAD_DAYS} days remain; a mock now would leave \
                 no time to work on what it shows: review your last report instead."
            ),
            Some(m) if m.why == "first_one" => format!(
                "Next full mock exam: {}. You have not sat one yet, and only a timed full mock \
                 measures how you do under exam conditions.",
                when(m)
            ),
            Some(m) if m.why == "spaced" => format!(
                "Next full mock exam: {}, {MOCK_SPACING_DAYS} days after your last one, to leave \
                 time to work on what it showed.",
                when(m)
            ),
            Some(m) => format!(
                "Next full mock exam: {}, your last before the exam, {MOCK_LEAD_DAYS} days ahead \
                 of it so there is time to act on the result.",
                when(m)
            ),
        });
        if p.mock_mostly_repeats && v.next_mock.is_some() {
            out.push(format!(
                "Only {} questions you have not answered are left, fewer than a mock exam's {}: \
                 the next one will repeat questions and will not count as a mock on mostly new \
                 questions.",
                input.unseen_questions, input.exam_questions
            ));
        }
        out
    }
}

/// "1", "1 and 2", "1, 2 and 3".
fn and_list(items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    match v.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
