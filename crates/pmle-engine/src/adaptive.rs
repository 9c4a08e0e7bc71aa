//! Which question to practise next.
//!
//! 1. A spaced-repetition review that is due (missed questions come back on an FSRS schedule).
//! 2. Otherwise the section where practice buys the most exam points: blueprint weight ×
//!    (how much is still unknown + how unsure we are), among sections with something to ask.
//! 3. Within it, a question never seen, of the difficulty whose predicted success is closest
//!    to the target (about 70%: hard enough to teach, easy enough not to discourage); if none
//!    is left, the one answered longest ago, mistakes first.
//!
//! Nothing answered in the last `recent_window` items is asked again.

use crate::items::{ItemMeta, ItemStatus};
use crate::mastery::{MasteryModel, difficulty_logit};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdaptiveConfig {
    /// How many of the latest answered items are never repeated.
    pub recent_window: usize,
    /// Predicted success to aim for when choosing a fresh question's difficulty.
    pub target_p: f64,
    /// Weight of the uncertainty (width of the 80% band) in a section's priority.
    pub exploration: f64,
}

impl Default for AdaptiveConfig {
    fn default() -> Self {
        AdaptiveConfig {
            recent_window: 20,
            target_p: 0.7,
            exploration: 0.5,
        }
    }
}

/// Why an item was chosen, so front ends can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A scheduled review fell due.
    Due,
    /// A question never seen, in the section that needs it most.
    Fresh { section: usize },
    /// Everything in the section has been seen: the oldest comes back.
    Revisit { section: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub item: usize,
    pub reason: Reason,
}

/// What `next_item` needs to know.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub items: &'a [ItemMeta],
    pub status: &'a [ItemStatus],
    pub mastery: &'a MasteryModel,
    /// Section weights, percent, in section order.
    pub weights: &'a [f64],
    /// Items answered most recently (any order; only the last `recent_window` matter).
    pub recent: &'a [usize],
    pub now_ms: i64,
    /// Restrict to one section.
    pub section: Option<usize>,
    pub seed: u64,
}

/// A cheap, seeded, well-mixed number per item for tie-breaking (SplitMix64).
pub fn tie_break(seed: u64, item: usize) -> u64 {
    let mut z = seed ^ (item as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn next_item(ctx: &Context<'_>, cfg: &AdaptiveConfig) -> Option<Pick> {
    let n = ctx.items.len();
    let mut recent = vec![false; n];
    for &i in ctx.recent.iter().rev().take(cfg.recent_window) {
        if let Some(r) = recent.get_mut(i) {
            *r = true;
        }
    }
    let eligible = |i: usize| !recent[i] && ctx.section.is_none_or(|s| ctx.items[i].section == s);

    // 1. Due reviews, earliest first.
    let due = (0..n)
        .filter(|&i| eligible(i))
        .filter_map(|i| {
            ctx.status[i]
                .due_at_ms
                .filter(|d| *d <= ctx.now_ms)
                .map(|d| (d, i))
        })
        .min();
    if let Some((_, item)) = due {
        return Some(Pick {
            item,
            reason: Reason::Due,
        });
    }

    // 2. The section with the highest priority that has something to ask.
    let n_sections = ctx.weights.len();
    let mut has_any = vec![false; n_sections];
    for i in (0..n).filter(|&i| eligible(i)) {
        if let Some(h) = has_any.get_mut(ctx.items[i].section) {
            *h = true;
        }
    }
    let section = (0..n_sections).filter(|&s| has_any[s]).max_by(|&a, &b| {
        priority(ctx, a, cfg)
            .total_cmp(&priority(ctx, b, cfg))
            .then(b.cmp(&a))
    })?;

    // 3. Within it: fresh near the target difficulty, else the oldest (mistakes first).
    let belief = ctx.mastery.sections.get(section).map(|m| m.belief);
    let in_section = (0..n).filter(|&i| eligible(i) && ctx.items[i].section == section);
    let fresh = in_section
        .clone()
        .filter(|&i| ctx.status[i].attempts == 0)
        .min_by_key(|&i| {
            let p = belief.map_or(0.5, |b| {
                b.p_correct(difficulty_logit(ctx.items[i].difficulty))
            });
            let gap = ((p - cfg.target_p).abs() * 1e6) as u64;
            (gap, tie_break(ctx.seed, i))
        });
    if let Some(item) = fresh {
        return Some(Pick {
            item,
            reason: Reason::Fresh { section },
        });
    }
    in_section
        .min_by_key(|&i| {
            let s = ctx.status[i];
            (
                s.last_correct,
                s.last_at_ms.unwrap_or(i64::MIN),
                tie_break(ctx.seed, i),
            )
        })
        .map(|item| Pick {
            item,
            reason: Reason::Revisit { section },
        })
}

fn priority(ctx: &Context<'_>, s: usize, cfg: &AdaptiveConfig) -> f64 {
    let w = ctx.weights.get(s).copied().unwrap_or(0.0);
    match ctx.mastery.sections.get(s) {
        Some(m) => w * ((1.0 - m.p) + cfg.exploration * (m.high - m.low)),
        None => w,
    }
}

#[cfg(test)]
mod tests;
