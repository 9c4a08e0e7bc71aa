//! The printable summary (`pmle export sheet`): per exam section, the key decisions from the
//! notes, the renames from the catalog, the formulas, and the learner's weak topics from their
//! own history. A model only: front ends render it (pmle-web's `sheet` module).

mod extract;

use std::collections::HashSet;

use pmle_content::model::ProductStatus;
use serde::Serialize;

use crate::{App, AppError, date_of_ms};

use extract::{decision_blocks, formulas};

/// A topic's estimate is shown only once this many distinct questions on it were answered;
/// below that the estimate is mostly the prior.
pub const MIN_TOPIC_ANSWERS: usize = 3;

/// The whole summary.
#[derive(Debug, Clone, Serialize)]
pub struct StudySheet {
    /// The day it was made, `YYYY-MM-DD` (UTC).
    pub made_on: String,
    /// The score the learner aims at (`readiness_target`), a share.
    pub target: f64,
    /// Distinct questions answered in all.
    pub answered: usize,
    pub sections: Vec<SheetSection>,
}

/// One exam section's part of the summary.
#[derive(Debug, Clone, Serialize)]
pub struct SheetSection {
    pub id: String,
    pub number: u32,
    pub title: String,
    /// Percentage of the exam.
    pub weight: f64,
    pub decisions: Vec<SheetBlock>,
    pub renames: Vec<SheetRename>,
    pub formulas: Vec<SheetFormula>,
    pub weak: SheetWeak,
}

/// A passage of a note that decides between options (its heading says so: "When …",
/// "Which …", "… versus …", "Decision …", "Exam traps" …), as Markdown.
#[derive(Debug, Clone, Serialize)]
pub struct SheetBlock {
    pub note: String,
    pub note_title: String,
    pub heading: String,
    pub markdown: String,
}

/// A product's former names and what it is called now, with its status.
#[derive(Debug, Clone, Serialize)]
pub struct SheetRename {
    pub product: String,
    pub name: String,
    pub former_names: Vec<String>,
    /// `active`, `deprecated` or `retired`.
    pub status: String,
    pub status_date: Option<String>,
    pub status_note: String,
    /// The current product that replaced a retired or deprecated one.
    pub successor: Option<String>,
}

/// A definition written as `**Name** = expression` in a note.
#[derive(Debug, Clone, Serialize)]
pub struct SheetFormula {
    pub name: String,
    /// The whole definition line, Markdown.
    pub markdown: String,
    pub note: String,
}

/// The learner's weak topics in a section, and how much evidence there is.
#[derive(Debug, Clone, Serialize)]
pub struct SheetWeak {
    /// Distinct questions of the section answered.
    pub answered: usize,
    /// Topics of the section, and how many have `MIN_TOPIC_ANSWERS` answered questions.
    pub topics: usize,
    pub measured: usize,
    /// Measured topics below the target even at the top of their 80% interval, weakest
    /// first.
    pub weak: Vec<WeakTopic>,
    /// Measured topics estimated below the target whose interval still reaches it: maybe
    /// weak, the evidence cannot tell yet. Weakest first.
    pub unsure: Vec<WeakTopic>,
    /// One sentence saying what the evidence allows.
    pub verdict: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeakTopic {
    pub id: String,
    pub title: String,
    /// Distinct questions answered on it.
    pub answered: usize,
    /// Estimated probability of answering an unseen question on it, with its 80% interval.
    pub mastery: f64,
    pub low: f64,
    pub high: f64,
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

impl App {
    /// The printable summary from the pack and the learner's history now.
    pub fn study_sheet(&self) -> Result<StudySheet, AppError> {
        let settings = self.settings()?;
        let target = settings.readiness_target;
        let snap = self.snapshot()?;
        let mastery = self.mastery_now()?;
        // Distinct questions answered, per topic index and per section index.
        let mut seen = HashSet::new();
        let mut per_topic = vec![0usize; self.pack.topics.len()];
        let mut per_section = vec![0usize; self.pack.sections.len()];
        for o in &snap.observations {
            if seen.insert(o.item) {
                let meta = &self.index.items[o.item];
                if let Some(n) = per_topic.get_mut(meta.topic) {
                    *n += 1;
                }
                if let Some(n) = per_section.get_mut(meta.section) {
                    *n += 1;
                }
            }
        }
        let renames = self.renames_by_section();
        let sections = self
            .pack
            .sections
            .iter()
            .enumerate()
            .map(|(si, s)| {
                let notes: Vec<_> = self
                    .pack
                    .notes
                    .iter()
                    .filter(|n| n.section == s.id)
                    .collect();
                let decisions = notes.iter().flat_map(|n| decision_blocks(n)).collect();
                let formulas = notes.iter().flat_map(|n| formulas(n)).collect();
                let topics: Vec<(usize, &pmle_content::model::Topic)> = self
                    .pack
                    .topics
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.section == s.id)
                    .collect();
                let mut measured = 0;
                let mut weak: Vec<WeakTopic> = Vec::new();
                let mut unsure: Vec<WeakTopic> = Vec::new();
                for (ti, t) in &topics {
                    let answered = per_topic.get(*ti).copied().unwrap_or(0);
                    if answered < MIN_TOPIC_ANSWERS {
                        continue;
                    }
                    measured += 1;
                    let Some(m) = mastery.topics.get(*ti) else {
                        continue;
                    };
                    if m.p < target {
                        let list = if m.high < target {
                            &mut weak
                        } else {
                            &mut unsure
                        };
                        list.push(WeakTopic {
                            id: t.id.clone(),
                            title: t.title.clone(),
                            answered,
                            mastery: m.p,
                            low: m.low,
                            high: m.high,
                        });
                    }
                }
                weak.sort_by(|a, b| a.mastery.total_cmp(&b.mastery));
                unsure.sort_by(|a, b| a.mastery.total_cmp(&b.mastery));
                let answered = per_section.get(si).copied().unwrap_or(0);
                let verdict = weak_verdict(
                    answered,
                    topics.len(),
                    measured,
                    (weak.len(), unsure.len()),
                    target,
                );
                SheetSection {
                    id: s.id.clone(),
                    number: s.number,
                    title: s.title.clone(),
                    weight: s.weight,
                    decisions,
                    renames: renames.get(si).cloned().unwrap_or_default(),
                    formulas,
                    weak: SheetWeak {
                        answered,
                        topics: topics.len(),
                        measured,
                        weak,
                        unsure,
                        verdict,
                    },
                }
            })
            .collect();
        Ok(StudySheet {
            made_on: date_of_ms(self.now_ms()),
            target,
            answered: seen.len(),
            sections,
        })
    }

    /// Every catalog entry with a former name or a status other than active, in the section
    /// whose notes name it most often (by current or former name; ties go to the earlier
    /// section, and an entry no note names goes to the first section). Each entry appears once.
    fn renames_by_section(&self) -> Vec<Vec<SheetRename>> {
        let bodies: Vec<Vec<String>> = self
            .pack
            .sections
            .iter()
            .map(|s| {
                self.pack
                    .notes
                    .iter()
                    .filter(|n| n.section == s.id)
                    .map(|n| n.body.to_lowercase())
                    .collect()
            })
            .collect();
        let mut out = vec![Vec::new(); self.pack.sections.len()];
        if out.is_empty() {
            return out;
        }
        for p in &self.pack.products {
            if p.former_names.is_empty() && p.status == ProductStatus::Active {
                continue;
            }
            let names: Vec<String> = std::iter::once(&p.name)
                .chain(&p.former_names)
                .filter(|n| n.len() > 3)
                .map(|n| n.to_lowercase())
                .collect();
            let mentions = |si: usize| -> usize {
                bodies[si]
                    .iter()
                    .map(|b| {
                        names
                            .iter()
                            .map(|n| b.matches(n.as_str()).count())
                            .sum::<usize>()
                    })
                    .sum()
            };
            let mut best = 0;
            let mut most = 0;
            for si in 0..bodies.len() {
                let m = mentions(si);
                if m > most {
                    most = m;
                    best = si;
                }
            }
            let successor = p.successor.as_ref().and_then(|id| {
                self.pack
                    .products
                    .iter()
                    .find(|x| &x.id == id)
                    .map(|x| x.name.clone())
            });
            out[best].push(SheetRename {
                product: p.id.clone(),
                name: p.name.clone(),
                former_names: p.former_names.clone(),
                status: p.status.as_str().to_owned(),
                status_date: p.status_date.map(|d| d.to_string()),
                status_note: p.status_note.clone(),
                successor,
            });
        }
        out
    }
}

/// What the evidence in a section allows one to say about weak topics.
fn weak_verdict(
    answered: usize,
    topics: usize,
    measured: usize,
    (weak, unsure): (usize, usize),
    target: f64,
) -> String {
    let target = pct(target);
    if answered == 0 {
        return "No evidence yet: you have not answered a question in this section, so pmle cannot \
                tell which topics are weak."
            .to_owned();
    }
    if measured == 0 {
        return format!(
            "Too little evidence to name weak topics: {answered} question{} answered here, and no \
             topic yet has the {MIN_TOPIC_ANSWERS} answered questions an estimate needs.",
            if answered == 1 { "" } else { "s" }
        );
    }
    let unmeasured = topics - measured;
    let rest = if unmeasured == 0 {
        String::new()
    } else {
        format!(
            " {unmeasured} of {topics} topics have fewer than {MIN_TOPIC_ANSWERS} answered \
             questions and are not judged."
        )
    };
    let maybe = match unsure {
        0 => String::new(),
        1 => " 1 more is estimated below it, but its 80% interval still reaches the target: \
              the evidence cannot tell yet."
            .to_owned(),
        n => format!(
            " {n} more are estimated below it, but their 80% intervals still reach the target: \
             the evidence cannot tell yet."
        ),
    };
    if weak == 0 {
        format!("No measured topic is clearly below your {target} target.{maybe}{rest}")
    } else {
        format!(
            "{weak} of {measured} measured topic{} below your {target} target even at the top of \
             {} 80% interval.{maybe}{rest}",
            if measured == 1 { " is" } else { "s are" },
            if weak == 1 { "its" } else { "their" }
        )
    }
}
