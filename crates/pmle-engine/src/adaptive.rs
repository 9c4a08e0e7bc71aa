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
use crate::mastery::MasteryModel;

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
            target_p: 0.5,
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
    let eligible = |i: usize| {
        !recent[i] && !ctx.items[i].retired && ctx.section.is_none_or(|s| ctx.items[i].section == s)
    };

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

    // 2. The topic where a question buys the most exam points: its share of the exam ×
    //    (what is still unknown + how unsure we are), divided by the practice it already had.
    //    Weak, heavy topics get more, but practice is interleaved across every topic instead
    //    of being poured into one.
    let n_topics = ctx.mastery.topics.len();
    let n_sections = ctx.weights.len();
    let mut section_size = vec![0usize; n_sections];
    for it in ctx.items {
        if let Some(c) = section_size.get_mut(it.section) {
            *c += 1;
        }
    }
    let mut exam_share = vec![0.0f64; n_topics];
    let mut spent = vec![0.0f64; n_topics];
    let mut available = vec![false; n_topics];
    for (i, it) in ctx.items.iter().enumerate() {
        let Some(share) = exam_share.get_mut(it.topic) else {
            continue;
        };
        let w = ctx.weights.get(it.section).copied().unwrap_or(0.0);
        *share += w / section_size.get(it.section).copied().unwrap_or(1).max(1) as f64;
        spent[it.topic] += f64::from(ctx.status[i].attempts);
        if eligible(i) {
            available[it.topic] = true;
        }
    }
    let value = |t: usize| {
        let m = &ctx.mastery.topics[t];
        exam_share[t] * ((1.0 - m.p) + cfg.exploration * (m.high - m.low)) / (1.0 + spent[t])
    };
    let topic = (0..n_topics)
        .filter(|&t| available[t])
        .max_by(|&a, &b| value(a).total_cmp(&value(b)).then(b.cmp(&a)))?;

    // 3. Within it: a fresh question near the target difficulty; else the one answered
    //    longest ago, mistakes first.
    let in_topic: Vec<usize> = (0..n)
        .filter(|&i| eligible(i) && ctx.items[i].topic == topic)
        .collect();
    let belief = ctx.mastery.topics[topic].belief;
    let fresh = in_topic
        .iter()
        .copied()
        .filter(|&i| ctx.status[i].attempts == 0)
        .min_by_key(|&i| {
            let it = ctx.items[i];
            let c = it.guess();
            let p = c + (1.0 - c) * belief.p_correct_2pl(it.b(), it.a());
            (
                ((p - cfg.target_p).abs() * 1e6) as u64,
                tie_break(ctx.seed, i),
            )
        });
    if let Some(item) = fresh {
        let section = ctx.items[item].section;
        return Some(Pick {
            item,
            reason: Reason::Fresh { section },
        });
    }
    in_topic
        .into_iter()
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
            reason: Reason::Revisit {
                section: ctx.items[item].section,
            },
        })
}

#[cfg(test)]
mod tests;
