//! The review centre: past questions with the learner's last answer, filtered by wrong,
//! bookmarked, flagged or reported; and practice filters (`--unseen`, `--missed`,
//! `--bookmarked`, `--difficulty N`, `--topic ID`…) that pick only among matching questions.
//! Retired questions are never listed or offered.

use std::collections::{BTreeMap, HashMap};

use pmle_content::model::Question;
use pmle_store::{Mode, ReportReason};
use serde::Serialize;

use crate::question_marks::QuestionMarks;
use crate::{App, AppError, NextQuestion};

/// Which past questions the review centre lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewFilter {
    /// Every question answered, bookmarked, flagged, noted or reported.
    #[default]
    All,
    /// Last answer wrong.
    Wrong,
    Bookmarked,
    Flagged,
    Reported,
}

impl ReviewFilter {
    pub const ALL: [ReviewFilter; 5] = [
        ReviewFilter::All,
        ReviewFilter::Wrong,
        ReviewFilter::Bookmarked,
        ReviewFilter::Flagged,
        ReviewFilter::Reported,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewFilter::All => "all",
            ReviewFilter::Wrong => "wrong",
            ReviewFilter::Bookmarked => "bookmarked",
            ReviewFilter::Flagged => "flagged",
            ReviewFilter::Reported => "reported",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewFilter> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The practice filter that practises exactly these questions.
    pub fn practice_filter(self) -> PracticeFilter {
        let mut f = PracticeFilter::default();
        match self {
            ReviewFilter::All => f.reviewable = true,
            ReviewFilter::Wrong => f.missed = true,
            ReviewFilter::Bookmarked => f.bookmarked = true,
            ReviewFilter::Flagged => f.flagged = true,
            ReviewFilter::Reported => f.reported = true,
        }
        f
    }
}

/// How many questions each review filter lists, in [`ReviewFilter::ALL`] order.
pub type FilterCounts = Vec<(ReviewFilter, usize)>;

/// One past question in the review centre.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewEntry {
    pub question_id: String,
    pub section_id: String,
    pub difficulty: u8,
    /// The first words of the stem.
    pub stem_start: String,
    /// Answers given (practice and exams).
    pub answers: u64,
    pub correct: u64,
    /// The last answer, if any: when, right or wrong, and the options picked (their text).
    pub last_answered_at_ms: Option<i64>,
    pub last_correct: Option<bool>,
    pub last_chosen: Vec<String>,
    /// Where the last answer was given: `practice` or `exam`.
    pub last_mode: Option<Mode>,
    #[serde(flatten)]
    pub marks: QuestionMarks,
}

/// Which questions practice may pick; every filter set must hold (they combine with AND).
/// The default (nothing set) leaves the choice to the adaptive engine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PracticeFilter {
    /// A section id such as s3, or its number.
    pub section: Option<String>,
    /// Never answered.
    pub unseen: bool,
    /// Last answer wrong.
    pub missed: bool,
    pub bookmarked: bool,
    pub flagged: bool,
    pub reported: bool,
    /// In the review centre's full list (answered, marked, noted or reported).
    pub reviewable: bool,
    /// Difficulty 1 (recall), 2 (applied) or 3 (trade-off).
    pub difficulty: Option<u8>,
    /// A topic id from the pack's topics.toml.
    pub topic: Option<String>,
}

impl PracticeFilter {
    /// True when no filter is set: practice is the adaptive engine's choice.
    pub fn is_empty(&self) -> bool {
        *self == PracticeFilter::default()
    }

    /// The filters as the command line spells them, for messages.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(s) = &self.section {
            out.push(format!("--section {s}"));
        }
        for (on, name) in [
            (self.unseen, "--unseen"),
            (self.missed, "--missed"),
            (self.bookmarked, "--bookmarked"),
            (self.flagged, "--flagged"),
            (self.reported, "--reported"),
            (self.reviewable, "the review centre's list"),
        ] {
            if on {
                out.push(name.to_owned());
            }
        }
        if let Some(d) = self.difficulty {
            out.push(format!("--difficulty {d}"));
        }
        if let Some(t) = &self.topic {
            out.push(format!("--topic {t}"));
        }
        out
    }
}

/// What the filters look at for one question.
struct Facts<'a> {
    last: Option<&'a LastAnswer>,
    marks: Option<&'a QuestionMarks>,
}

struct LastAnswer {
    at_ms: i64,
    correct: bool,
    chosen: Vec<usize>,
    mode: Mode,
    answers: u64,
    right: u64,
}

impl App {
    /// Past questions with the last answer, newest answer first (questions never answered
    /// but marked, noted or reported follow, by id). Retired questions are left out.
    pub fn review(&self, filter: ReviewFilter) -> Result<Vec<ReviewEntry>, AppError> {
        Ok(self.review_centre(filter)?.1)
    }

    /// How many questions each filter lists (in [`ReviewFilter::ALL`] order) and the list of
    /// `filter`, from one read of the history.
    pub fn review_centre(
        &self,
        filter: ReviewFilter,
    ) -> Result<(FilterCounts, Vec<ReviewEntry>), AppError> {
        let last = self.last_answers()?;
        let marks = self.all_marks()?;
        let mut counts: FilterCounts = ReviewFilter::ALL.iter().map(|f| (*f, 0)).collect();
        let mut out = Vec::new();
        for q in self.pack.questions.iter().filter(|q| !q.retired) {
            let l = last.get(&q.id);
            let m = marks.get(&q.id);
            if l.is_none() && m.is_none() {
                continue;
            }
            let f = Facts { last: l, marks: m };
            for (flt, n) in &mut counts {
                if listed(*flt, &f) {
                    *n += 1;
                }
            }
            if listed(filter, &f) {
                out.push(entry(q, l, m));
            }
        }
        out.sort_by(|a, b| {
            b.last_answered_at_ms
                .cmp(&a.last_answered_at_ms)
                .then_with(|| a.question_id.cmp(&b.question_id))
        });
        Ok((counts, out))
    }

    /// Each question's last answer and tally.
    fn last_answers(&self) -> Result<HashMap<String, LastAnswer>, AppError> {
        let mut out: HashMap<String, LastAnswer> = HashMap::new();
        // Oldest first, so the last write per question is its last answer.
        for a in self.store.answers()? {
            let a = a.answer;
            let e = out.entry(a.question_id.clone()).or_insert(LastAnswer {
                at_ms: a.answered_at_ms,
                correct: a.correct,
                chosen: Vec::new(),
                mode: a.mode,
                answers: 0,
                right: 0,
            });
            e.answers += 1;
            e.right += u64::from(a.correct);
            e.at_ms = a.answered_at_ms;
            e.correct = a.correct;
            e.chosen = a.chosen;
            e.mode = a.mode;
        }
        Ok(out)
    }

    /// The questions a practice filter allows, in the pack's order; an error that names
    /// the filter to loosen when none does.
    pub fn practice_candidates(&self, f: &PracticeFilter) -> Result<Vec<String>, AppError> {
        let section = match &f.section {
            Some(s) => Some(
                self.pack
                    .resolve_section(s)
                    .ok_or_else(|| AppError::UnknownSection(s.clone()))?
                    .id
                    .clone(),
            ),
            None => None,
        };
        if let Some(d) = f.difficulty
            && !(1..=3).contains(&d)
        {
            return Err(AppError::Review(format!(
                "difficulty {d} does not exist; use 1 (recall), 2 (applied) or 3 (trade-off)"
            )));
        }
        if let Some(t) = &f.topic
            && !self.pack.topics.iter().any(|x| &x.id == t)
        {
            let close: Vec<&str> = self
                .pack
                .topics
                .iter()
                .filter(|x| x.id.contains(t.as_str()) || t.contains(x.id.as_str()))
                .map(|x| x.id.as_str())
                .take(3)
                .collect();
            let hint = if close.is_empty() {
                "`pmle show QUESTION --json` lists a question's topic ids".to_owned()
            } else {
                format!("did you mean {}?", close.join(", "))
            };
            return Err(AppError::Review(format!("unknown topic `{t}`; {hint}")));
        }
        let last = self.last_answers()?;
        let marks = self.all_marks()?;
        type Test<'t> = (String, Box<dyn Fn(&Question, &Facts<'_>) -> bool + 't>);
        let mut tests: Vec<Test<'_>> = Vec::new();
        if let Some(s) = &section {
            let s = s.clone();
            tests.push((
                format!("--section {s}"),
                Box::new(move |q, _| q.section == s),
            ));
        }
        let flag = |on: bool, name: &str, t: fn(&Facts<'_>) -> bool, tests: &mut Vec<Test<'_>>| {
            if on {
                tests.push((name.to_owned(), Box::new(move |_, f| t(f))));
            }
        };
        flag(f.unseen, "--unseen", |x| x.last.is_none(), &mut tests);
        flag(f.missed, "--missed", missed, &mut tests);
        flag(
            f.bookmarked,
            "--bookmarked",
            |x| x.marks.is_some_and(|m| m.bookmarked),
            &mut tests,
        );
        flag(
            f.flagged,
            "--flagged",
            |x| x.marks.is_some_and(|m| m.flagged),
            &mut tests,
        );
        flag(
            f.reported,
            "--reported",
            |x| x.marks.is_some_and(|m| !m.reports.is_empty()),
            &mut tests,
        );
        flag(
            f.reviewable,
            "the review centre's list",
            |x| x.last.is_some() || x.marks.is_some(),
            &mut tests,
        );
        if let Some(d) = f.difficulty {
            tests.push((
                format!("--difficulty {d}"),
                Box::new(move |q, _| q.difficulty == d),
            ));
        }
        if let Some(t) = &f.topic {
            let t = t.clone();
            tests.push((
                format!("--topic {t}"),
                Box::new(move |q, _| q.topics.contains(&t)),
            ));
        }
        let live: Vec<&Question> = self.pack.questions.iter().filter(|q| !q.retired).collect();
        let facts = |q: &Question| Facts {
            last: last.get(&q.id),
            marks: marks.get(&q.id),
        };
        let matching: Vec<String> = live
            .iter()
            .filter(|q| tests.iter().all(|(_, t)| t(q, &facts(q))))
            .map(|q| q.id.clone())
            .collect();
        if !matching.is_empty() {
            return Ok(matching);
        }
        // Say which filter to loosen: one that matches nothing on its own, else the counts.
        let alone: Vec<(String, usize)> = tests
            .iter()
            .map(|(name, t)| {
                let n = live.iter().filter(|q| t(q, &facts(q))).count();
                (name.clone(), n)
            })
            .collect();
        if let Some((name, _)) = alone.iter().find(|(_, n)| *n == 0) {
            let how = match name.as_str() {
                "--bookmarked" => {
                    "; bookmark questions with `pmle bookmark ID` (or after an answer) first"
                }
                "--flagged" => "; flag questions after answering them in practice first",
                "--reported" => "; no question is reported",
                "--missed" => "; you have no question whose last answer was wrong",
                "--unseen" => "; you have answered every question: drop --unseen",
                _ => "",
            };
            return Err(AppError::Review(format!(
                "no question matches {name}{how}; loosen or drop {name}"
            )));
        }
        let counts: Vec<String> = alone
            .iter()
            .map(|(name, n)| format!("{name} alone: {n}"))
            .collect();
        Err(AppError::Review(format!(
            "no question matches {} together ({}); drop or loosen one of them",
            f.describe().join(" "),
            counts.join(", ")
        )))
    }

    /// The next question within a practice filter, skipping those already asked this
    /// session (`asked`): due reviews first, then never answered, then the longest unseen;
    /// ties in a seeded order. `Ok(None)` when every match was asked (or, once the session
    /// asked something, when its answers left nothing matching); an error naming the filter
    /// to loosen when nothing matches at the start.
    pub fn next_filtered(
        &self,
        f: &PracticeFilter,
        asked: &[String],
    ) -> Result<Option<NextQuestion>, AppError> {
        let only_section = PracticeFilter {
            section: f.section.clone(),
            ..PracticeFilter::default()
        };
        if *f == only_section {
            return self.next_practice(f.section.as_deref());
        }
        let candidates = match self.practice_candidates(f) {
            Ok(c) => c,
            // Answering can empty a filter (the only missed question, answered right): the
            // session is over, not wrong.
            Err(AppError::Review(_)) if !asked.is_empty() => return Ok(None),
            Err(e) => return Err(e),
        };
        let snap = self.snapshot()?;
        let now = self.now_ms();
        let pick = candidates
            .iter()
            .filter(|id| !asked.contains(id))
            .filter_map(|id| {
                let i = *self.index.by_question.get(id)?;
                let st = &snap.status[i];
                let due = st.due_at_ms.is_some_and(|d| d <= now);
                // Lower sorts first.
                let rank = (
                    u8::from(!due),
                    u8::from(st.last_at_ms.is_some()),
                    st.last_at_ms.unwrap_or(0),
                    mix(self.seed, i as u64),
                );
                Some((rank, id, due, st.last_at_ms.is_some()))
            })
            .min_by_key(|(rank, ..)| *rank);
        let total = candidates.len();
        Ok(pick.map(|(_, id, due, seen)| NextQuestion {
            question_id: id.clone(),
            reason: format!(
                "{}; {total} {} {}",
                if due {
                    "due for review"
                } else if seen {
                    "answered before, longest ago"
                } else {
                    "not answered yet"
                },
                if total == 1 {
                    "question matches"
                } else {
                    "questions match"
                },
                f.describe().join(" ")
            ),
        }))
    }
}

/// Whether the review centre lists a question (answered or kept) under `filter`.
fn listed(filter: ReviewFilter, f: &Facts<'_>) -> bool {
    match filter {
        ReviewFilter::All => true,
        ReviewFilter::Wrong => missed(f),
        ReviewFilter::Bookmarked => f.marks.is_some_and(|m| m.bookmarked),
        ReviewFilter::Flagged => f.marks.is_some_and(|m| m.flagged),
        ReviewFilter::Reported => f.marks.is_some_and(|m| !m.reports.is_empty()),
    }
}

fn missed(f: &Facts<'_>) -> bool {
    f.last.is_some_and(|l| !l.correct)
}

/// SplitMix64 of (seed, item): a stable, seeded order for ties.
fn mix(seed: u64, item: u64) -> u64 {
    let mut z = seed ^ item.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn entry(q: &Question, last: Option<&LastAnswer>, marks: Option<&QuestionMarks>) -> ReviewEntry {
    let plain: String = q.stem.chars().filter(|c| !matches!(c, '`' | '*')).collect();
    let words: Vec<&str> = plain.split_whitespace().take(14).collect();
    ReviewEntry {
        question_id: q.id.clone(),
        section_id: q.section.clone(),
        difficulty: q.difficulty,
        stem_start: format!("{}…", words.join(" ")),
        answers: last.map_or(0, |l| l.answers),
        correct: last.map_or(0, |l| l.right),
        last_answered_at_ms: last.map(|l| l.at_ms),
        last_correct: last.map(|l| l.correct),
        last_chosen: last.map_or_else(Vec::new, |l| {
            l.chosen
                .iter()
                .filter_map(|&i| q.options.get(i).map(|o| o.text.clone()))
                .collect()
        }),
        last_mode: last.map(|l| l.mode),
        marks: marks.cloned().unwrap_or_else(|| QuestionMarks {
            question_id: q.id.clone(),
            ..QuestionMarks::default()
        }),
    }
}

/// Reasons as the command line spells them.
pub fn reasons_text(reasons: &[ReportReason]) -> String {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for r in reasons {
        *seen.entry(r.as_str()).or_default() += 1;
    }
    seen.into_iter()
        .map(|(r, n)| {
            if n > 1 {
                format!("{r}×{n}")
            } else {
                r.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
