//! The engine's view of a pack and a history: plain indexes and numbers, no strings.
//!
//! `pmle-app` translates pack ids into these indexes once, so the hot paths (choosing the
//! next item, assembling an exam) work on small `Copy` structs.

/// Parameters of one question measured from pooled responses (the pack's calibration file),
/// on the engine's logit scale (labels 1, 2, 3 sit at −0.8, 0, +0.8).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibrated {
    /// Difficulty, logits.
    pub b: f64,
    /// Discrimination (slope), 1 when the fit did not estimate it.
    pub a: f64,
    /// Standard error of `b`, logits.
    pub se: f64,
}

/// One question as the engine sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemMeta {
    /// Index of its section in the blueprint order.
    pub section: usize,
    /// Index of its first topic.
    pub topic: usize,
    /// Authored difficulty, 1 (recall) to 3 (trade-off).
    pub difficulty: u8,
    /// Number of options shown and how many must be chosen: they set the chance of a
    /// blind guess being right, 1 / C(options, choose).
    pub options: u8,
    pub choose: u8,
    /// Retired items keep their history (mastery, readiness) but are never drawn for
    /// practice or exams.
    pub retired: bool,
    /// Whether a blind review confirmed the difficulty label (a label-only difficulty is
    /// then less uncertain).
    pub reviewed: bool,
    /// Measured difficulty from the pack's calibration file, when there is one.
    pub calibrated: Option<Calibrated>,
}

impl ItemMeta {
    /// Difficulty on the logit scale: measured when calibrated, else from the label.
    pub fn b(&self) -> f64 {
        self.calibrated.map_or_else(
            || crate::mastery::difficulty_logit(self.difficulty),
            |c| c.b,
        )
    }

    /// Discrimination: measured when calibrated, else 1 (the Rasch model).
    pub fn a(&self) -> f64 {
        self.calibrated.map_or(1.0, |c| c.a)
    }

    /// Variance (logits²) of what is not known about the difficulty: the calibration's
    /// standard error, or the uncertainty of a label (`label_sd`, or `reviewed_label_sd`
    /// when a blind review confirmed it).
    pub fn difficulty_var(&self, label_sd: f64, reviewed_label_sd: f64) -> f64 {
        match self.calibrated {
            Some(c) => c.se * c.se,
            None if self.reviewed => reviewed_label_sd * reviewed_label_sd,
            None => label_sd * label_sd,
        }
    }

    /// Probability that a blind guess is right (all-or-nothing scoring).
    pub fn guess(&self) -> f64 {
        let (n, k) = (
            u64::from(self.options.max(1)),
            u64::from(self.choose.clamp(1, self.options.max(1))),
        );
        let mut ways = 1u64;
        for j in 0..k {
            ways = ways * (n - j) / (j + 1);
        }
        1.0 / ways as f64
    }
}

/// One answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    /// Index into the item list.
    pub item: usize,
    pub at_ms: i64,
    pub correct: bool,
}

/// What the learner did with one item, derived from the observations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemStatus {
    pub attempts: u32,
    pub last_at_ms: Option<i64>,
    pub last_correct: bool,
    /// When a spaced-repetition review of this item falls due, if it is scheduled.
    pub due_at_ms: Option<i64>,
}

/// Per-item status from observations in time order.
pub fn item_status(n_items: usize, observations: &[Observation]) -> Vec<ItemStatus> {
    let mut status = vec![ItemStatus::default(); n_items];
    for o in observations {
        if let Some(s) = status.get_mut(o.item) {
            s.attempts += 1;
            s.last_at_ms = Some(o.at_ms);
            s.last_correct = o.correct;
        }
    }
    status
}

pub(crate) const MS_PER_DAY: f64 = 86_400_000.0;
