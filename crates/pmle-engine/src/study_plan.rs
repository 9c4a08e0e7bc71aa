//! The daily plan towards an exam date (docs/engine.md §7): questions a day from the
//! readiness gaps, flashcard reviews a day from the FSRS schedule, and when to sit the next
//! full mock exam. Every figure comes from the learner's data and one of the rules below.

use serde::Serialize;

/// A section's state, as the plan needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SectionGap {
    /// Distinct questions of the section answered at least once.
    pub first_answers: u32,
    /// Measured mastery and the top of its 80% interval (`None` before the section's first
    /// answer).
    pub mastery: Option<f64>,
    pub mastery_high: Option<f64>,
    /// Questions of the section the learner has never answered.
    pub unseen: usize,
}

/// What the plan is computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput {
    /// Study days left: from today up to the day before the exam (today counts).
    pub days_left: i64,
    pub sections: Vec<SectionGap>,
    /// First-time answers a section needs before "likely ready" (readiness rule).
    pub min_section_answers: u32,
    /// New answers that make a section's estimate mostly about the learner's present work:
    /// the mastery model's half-life in answers (older evidence then weighs half).
    pub refresh_answers: usize,
    /// The readiness target (0–1).
    pub target: f64,
    /// Reviews of missed questions that fall due before the exam (FSRS, rated Good).
    pub question_reviews: usize,
    /// Flashcard reviews that fall due before the exam (FSRS, rated Good).
    pub card_reviews: usize,
    /// Flashcards not yet started, and the setting for new cards a day.
    pub new_cards_left: usize,
    pub new_cards_per_day: usize,
    /// Whole days since the last submitted full mock exam, `None` if there is none.
    pub days_since_full_mock: Option<i64>,
    /// Questions never answered, in the whole bank, and the mock exam's length.
    pub unseen_questions: usize,
    pub exam_questions: usize,
}

/// Why a section needs questions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NeedReason {
    /// Fewer first-time answers than the readiness rule asks for.
    Evidence { have: u32, need: u32 },
    /// Below the target, with enough answers to say so (the readiness minimum) or with the
    /// whole 80% interval below it: enough new questions to refresh its estimate.
    BelowTarget { mastery: f64 },
}

/// New questions one section needs before the exam.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SectionNeed {
    /// Index of the section in blueprint order.
    pub section: usize,
    pub questions: usize,
    pub reason: NeedReason,
    /// The bank has fewer unseen questions than the rule asks for (the figure is capped).
    pub capped_by_bank: bool,
}

/// When to sit the next full mock exam.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "when", rename_all = "snake_case")]
pub enum MockAdvice {
    /// In `in_days` days (0 = today).
    Sit { in_days: i64, why: MockWhy },
    /// None before the exam: fewer than `MOCK_LEAD_DAYS` days are left.
    NoneLeft,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MockWhy {
    /// No full mock exam taken yet.
    FirstOne,
    /// `MOCK_SPACING_DAYS` after the last one.
    Spaced,
    /// Brought forward so the last one is `MOCK_LEAD_DAYS` before the exam.
    LastBeforeExam,
}

/// Days between full mock exams: time to work on what one showed before the next.
pub const MOCK_SPACING_DAYS: i64 = 7;
/// The last mock exam at least this many days before the exam, so its lessons can be
/// practised.
pub const MOCK_LEAD_DAYS: i64 = 3;

/// The plan for each remaining day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyPlan {
    pub days_left: i64,
    /// `ceil((new_questions + question_reviews) / days_left)`.
    pub questions_per_day: usize,
    /// Σ of the sections' needs.
    pub new_questions: usize,
    pub question_reviews: usize,
    pub sections: Vec<SectionNeed>,
    /// `ceil(card_reviews / days_left)`.
    pub card_reviews_per_day: usize,
    pub card_reviews: usize,
    /// `min(setting, ceil(new_cards_left / days_left))`.
    pub new_cards_per_day: usize,
    pub new_cards_left: usize,
    pub mock: MockAdvice,
    /// The next mock exam cannot be mostly unseen questions: fewer unseen questions are left
    /// than one exam draws.
    pub mock_mostly_repeats: bool,
}

fn per_day(total: usize, days: i64) -> usize {
    let days = days.max(1) as usize;
    total.div_ceil(days)
}

/// The plan, or `None` when no study day is left (the exam is today or has passed).
pub fn daily_plan(input: &PlanInput) -> Option<DailyPlan> {
    let days = input.days_left;
    if days < 1 {
        return None;
    }
    let sections: Vec<SectionNeed> = input
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| section_need(i, s, input))
        .collect();
    let new_questions = sections.iter().map(|s| s.questions).sum();
    let mock = match input.days_since_full_mock {
        _ if days < MOCK_LEAD_DAYS => MockAdvice::NoneLeft,
        None => MockAdvice::Sit {
            in_days: 0,
            why: MockWhy::FirstOne,
        },
        Some(ago) => {
            let spaced = (MOCK_SPACING_DAYS - ago).max(0);
            let latest = days - MOCK_LEAD_DAYS;
            if spaced > latest {
                // The spacing would put it too close to the exam: the last one comes earlier.
                if ago < 1 {
                    // Taken today, and too little time for another before the lead: done.
                    MockAdvice::NoneLeft
                } else {
                    MockAdvice::Sit {
                        in_days: latest,
                        why: MockWhy::LastBeforeExam,
                    }
                }
            } else {
                MockAdvice::Sit {
                    in_days: spaced,
                    why: MockWhy::Spaced,
                }
            }
        }
    };
    Some(DailyPlan {
        days_left: days,
        questions_per_day: per_day(new_questions + input.question_reviews, days),
        new_questions,
        question_reviews: input.question_reviews,
        sections,
        card_reviews_per_day: per_day(input.card_reviews, days),
        card_reviews: input.card_reviews,
        new_cards_per_day: input
            .new_cards_per_day
            .min(per_day(input.new_cards_left, days)),
        new_cards_left: input.new_cards_left,
        mock,
        mock_mostly_repeats: input.unseen_questions < input.exam_questions,
    })
}

fn section_need(i: usize, s: &SectionGap, input: &PlanInput) -> Option<SectionNeed> {
    let short = input.min_section_answers.saturating_sub(s.first_answers);
    // Below the target only when the evidence can say so: the readiness minimum of answers,
    // or an interval wholly under the target. Otherwise the figure is mostly the prior.
    let sure = s.first_answers >= input.min_section_answers
        || s.mastery_high.is_some_and(|h| h < input.target);
    let below = s.mastery.filter(|&m| m < input.target && sure);
    // The larger of the two needs decides; both are new (unseen) questions.
    let (want, reason) = match below {
        Some(m) if input.refresh_answers >= short as usize => (
            input.refresh_answers,
            NeedReason::BelowTarget { mastery: m },
        ),
        _ if short > 0 => (
            short as usize,
            NeedReason::Evidence {
                have: s.first_answers,
                need: input.min_section_answers,
            },
        ),
        _ => return None,
    };
    let questions = want.min(s.unseen);
    Some(SectionNeed {
        section: i,
        questions,
        reason,
        capped_by_bank: questions < want,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(days: i64, sections: Vec<SectionGap>) -> PlanInput {
        PlanInput {
            days_left: days,
            sections,
            min_section_answers: 15,
            refresh_answers: 60,
            target: 0.7,
            question_reviews: 0,
            card_reviews: 0,
            new_cards_left: 0,
            new_cards_per_day: 20,
            days_since_full_mock: None,
            unseen_questions: 500,
            exam_questions: 60,
        }
    }

    fn gap(first: u32, mastery: Option<f64>) -> SectionGap {
        SectionGap {
            first_answers: first,
            mastery,
            mastery_high: mastery.map(|m| (m + 0.1).min(1.0)),
            unseen: 150,
        }
    }

    #[test]
    fn needs_come_from_the_gaps() {
        let mut i = input(
            10,
            vec![
                gap(0, None),        // 15 for evidence
                gap(20, Some(0.55)), // below target: 60
                gap(20, Some(0.80)), // fine
                gap(5, Some(0.90)),  // 10 for evidence
                SectionGap {
                    mastery_high: Some(0.85),
                    ..gap(3, Some(0.40)) // below, but too few answers to say: 12 for evidence
                },
            ],
        );
        i.question_reviews = 5;
        let p = daily_plan(&i).unwrap();
        assert_eq!(p.new_questions, 15 + 60 + 10 + 12);
        assert_eq!(p.sections.len(), 4);
        assert_eq!(p.questions_per_day, 11); // ceil(102 / 10)
        assert_eq!(
            p.sections[3].reason,
            NeedReason::Evidence { have: 3, need: 15 }
        );
        assert_eq!(
            p.sections[1].reason,
            NeedReason::BelowTarget { mastery: 0.55 }
        );
    }

    #[test]
    fn the_bank_caps_a_need() {
        let mut s = gap(2, Some(0.4));
        s.unseen = 12;
        let p = daily_plan(&input(5, vec![s])).unwrap();
        assert_eq!(p.sections[0].questions, 12);
        assert!(p.sections[0].capped_by_bank);
    }

    #[test]
    fn no_plan_on_or_after_the_exam_day() {
        assert!(daily_plan(&input(0, vec![])).is_none());
        assert!(daily_plan(&input(-3, vec![])).is_none());
    }

    #[test]
    fn mock_exams_first_soon_then_spaced_then_a_few_days_before() {
        let mut i = input(30, vec![]);
        assert_eq!(
            daily_plan(&i).unwrap().mock,
            MockAdvice::Sit {
                in_days: 0,
                why: MockWhy::FirstOne
            }
        );
        i.days_since_full_mock = Some(2);
        assert_eq!(
            daily_plan(&i).unwrap().mock,
            MockAdvice::Sit {
                in_days: 5,
                why: MockWhy::Spaced
            }
        );
        i.days_left = 6;
        assert_eq!(
            daily_plan(&i).unwrap().mock,
            MockAdvice::Sit {
                in_days: 3,
                why: MockWhy::LastBeforeExam
            }
        );
        i.days_left = 2;
        assert_eq!(daily_plan(&i).unwrap().mock, MockAdvice::NoneLeft);
    }

    proptest! {
        #[test]
        fn the_plan_covers_the_load_and_the_mock_leaves_the_lead(
            days in 1i64..120,
            reviews in 0usize..3000,
            cards in 0usize..5000,
            ago in prop::option::of(0i64..60),
            firsts in prop::collection::vec((0u32..40, prop::option::of(0.0f64..1.0)), 1..7),
        ) {
            let mut i = input(days, firsts.iter().map(|&(f, m)| gap(f, m)).collect());
            i.question_reviews = reviews;
            i.card_reviews = cards;
            i.days_since_full_mock = ago;
            let p = daily_plan(&i).unwrap();
            // Every day at the rate covers the whole load, and a day less would not.
            prop_assert!(p.questions_per_day * days as usize >= p.new_questions + reviews);
            prop_assert!(p.card_reviews_per_day * days as usize >= cards);
            if p.card_reviews_per_day > 0 {
                prop_assert!((p.card_reviews_per_day - 1) * (days as usize) < cards);
            }
            if let MockAdvice::Sit { in_days, .. } = p.mock {
                prop_assert!(in_days >= 0);
                prop_assert!(in_days <= days - MOCK_LEAD_DAYS);
            }
            // A section at or above target with enough evidence asks for nothing.
            for n in &p.sections {
                let (f, m) = firsts[n.section];
                prop_assert!(f < 15 || m.is_some_and(|m| m < 0.7));
                if let NeedReason::BelowTarget { mastery } = n.reason {
                    prop_assert!(mastery < 0.7 && (f >= 15 || mastery + 0.1 < 0.7));
                }
                prop_assert!(n.questions > 0 || n.capped_by_bank);
            }
        }
    }
}
