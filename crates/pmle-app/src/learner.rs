//! Translating the pack and the store into the engine's plain indexes, once per question.
//!
//! `Index` is built when the `App` is created; a `Snapshot` is read from the store whenever a
//! decision needs the current history.

use std::collections::HashMap;
use std::sync::Arc;

use pmle_content::Pack;
use pmle_engine::mastery::{MasteryConfig, MasteryModel, estimate};
use pmle_engine::{Calibrated, ItemMeta, ItemStatus, Observation, item_status};
use pmle_store::{ChangeToken, ItemKind};

use crate::{App, AppError};

/// Pack ids ↔ engine indexes.
pub(crate) struct Index {
    pub(crate) items: Vec<ItemMeta>,
    pub(crate) question_ids: Vec<String>,
    pub(crate) by_question: HashMap<String, usize>,
    pub(crate) weights: Vec<f64>,
    pub(crate) n_topics: usize,
}

impl Index {
    pub(crate) fn new(pack: &Pack) -> Index {
        let topic_index: HashMap<&str, usize> = pack
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let section_index: HashMap<&str, usize> = pack
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let items = pack
            .questions
            .iter()
            .map(|q| ItemMeta {
                section: section_index.get(q.section.as_str()).copied().unwrap_or(0),
                topic: q
                    .topics
                    .first()
                    .and_then(|t| topic_index.get(t.as_str()))
                    .copied()
                    .unwrap_or(0),
                difficulty: q.difficulty,
                options: q.options.len() as u8,
                choose: q.kind.choose() as u8,
                retired: q.retired,
                // The linter requires the label to equal the level a blind review found.
                reviewed: q.review.is_some(),
                calibrated: pack
                    .calibration
                    .as_ref()
                    .and_then(|c| c.questions.get(&q.id))
                    .map(|c| Calibrated {
                        b: c.difficulty,
                        a: c.discrimination.unwrap_or(1.0),
                        se: c.se,
                    }),
            })
            .collect();
        Index {
            items,
            question_ids: pack.questions.iter().map(|q| q.id.clone()).collect(),
            by_question: pack
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| (q.id.clone(), i))
                .collect(),
            weights: pack.sections.iter().map(|s| s.weight).collect(),
            n_topics: pack.topics.len().max(1),
        }
    }
}

/// The learner's history in engine form.
/// What the app derived from the store, with the change token it was derived at.
#[derive(Default)]
pub(crate) struct Cache {
    snapshot: Option<(ChangeToken, Arc<Snapshot>)>,
    mastery: Option<((ChangeToken, i64), Arc<MasteryModel>)>,
    /// The last practice pick: (token, minute, section) → pick. The pick is a deterministic
    /// function of these, so reusing it changes nothing but the cost.
    pub(crate) practice: Option<(PracticeKey, Option<crate::NextQuestion>)>,
    pub(crate) settings: Option<(ChangeToken, crate::Settings)>,
}

pub(crate) type PracticeKey = (ChangeToken, i64, Option<usize>);

pub(crate) struct Snapshot {
    pub(crate) observations: Vec<Observation>,
    pub(crate) status: Vec<ItemStatus>,
    /// Questions answered most recently, oldest first.
    pub(crate) recent: Vec<usize>,
}

impl App {
    /// The learner's state from the store, reused until anything is committed.
    pub(crate) fn snapshot(&self) -> Result<Arc<Snapshot>, AppError> {
        let token = self.store.change_token()?;
        if let Some((t, snap)) = &self.cache.borrow().snapshot
            && *t == token
        {
            return Ok(Arc::clone(snap));
        }
        let snap = Arc::new(self.read_snapshot()?);
        self.cache.borrow_mut().snapshot = Some((token, Arc::clone(&snap)));
        Ok(snap)
    }

    fn read_snapshot(&self) -> Result<Snapshot, AppError> {
        let answers = self.store.answers()?;
        let observations: Vec<Observation> = answers
            .iter()
            .filter_map(|a| {
                self.index
                    .by_question
                    .get(&a.answer.question_id)
                    .map(|&item| Observation {
                        item,
                        at_ms: a.answer.answered_at_ms,
                        correct: a.answer.correct,
                    })
            })
            .collect();
        let mut status = item_status(self.index.items.len(), &observations);
        for row in self.store.schedule()? {
            if row.kind == ItemKind::Question
                && let Some(&i) = self.index.by_question.get(&row.item_id)
            {
                status[i].due_at_ms = Some(row.due_at_ms);
            }
        }
        let recent = observations.iter().map(|o| o.item).collect();
        Ok(Snapshot {
            observations,
            status,
            recent,
        })
    }

    pub(crate) fn mastery_of(&self, snap: &Snapshot) -> MasteryModel {
        self.mastery_of_at(snap, self.now_ms())
    }

    fn mastery_of_at(&self, snap: &Snapshot, now: i64) -> MasteryModel {
        estimate(
            &self.index.items,
            self.index.weights.len(),
            self.index.n_topics,
            &snap.observations,
            now,
            &MasteryConfig::default(),
        )
    }

    /// Mastery at `now` (Unix ms): the cached figure within the clock's minute (the same
    /// rule as `mastery_now`), else estimated afresh at that instant.
    pub(crate) fn mastery_at(&self, now: i64) -> Result<Arc<MasteryModel>, AppError> {
        if now.div_euclid(60_000) == self.now_ms().div_euclid(60_000) {
            return self.mastery_now();
        }
        Ok(Arc::new(self.mastery_of_at(&*self.snapshot()?, now)))
    }

    /// Mastery per section and topic now.
    pub fn mastery(&self) -> Result<MasteryModel, AppError> {
        Ok((*self.mastery_now()?).clone())
    }

    /// Mastery now, reused within the same minute until anything is committed (evidence
    /// fades over days, so a minute changes nothing a learner could see).
    pub(crate) fn mastery_now(&self) -> Result<Arc<MasteryModel>, AppError> {
        let snap = self.snapshot()?;
        let key = (self.store.change_token()?, self.now_ms().div_euclid(60_000));
        if let Some((k, m)) = &self.cache.borrow().mastery
            && *k == key
        {
            return Ok(Arc::clone(m));
        }
        let m = Arc::new(self.mastery_of(&snap));
        self.cache.borrow_mut().mastery = Some((key, Arc::clone(&m)));
        Ok(m)
    }
}
