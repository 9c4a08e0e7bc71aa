//! Mock-exam assembly: per-section counts by blueprint weight (largest remainder), unseen
//! questions first, no repeats within an exam, and a seeded draw so the same seed and
//! history give the same exam.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::items::{ItemMeta, ItemStatus};

/// Split `total` questions over sections in proportion to `weights` (largest remainder).
pub fn allocate(weights: &[f64], total: usize) -> Vec<usize> {
    let sum: f64 = weights.iter().filter(|w| **w > 0.0).sum();
    if sum <= 0.0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| w.max(0.0) / sum * total as f64)
        .collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut left = total - counts.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Largest fractional part first; ties to the heavier section, then the earlier one.
    order.sort_by(|&a, &b| {
        let fa = exact[a] - exact[a].floor();
        let fb = exact[b] - exact[b].floor();
        fb.total_cmp(&fa)
            .then(weights[b].total_cmp(&weights[a]))
            .then(a.cmp(&b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        counts[i] += 1;
        left -= 1;
    }
    counts
}

/// A section that had fewer questions than its share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortfall {
    pub section: usize,
    pub wanted: usize,
    pub available: usize,
}

/// A drawn exam: item indexes in the order they will be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamDraw {
    pub items: Vec<usize>,
    pub shortfalls: Vec<Shortfall>,
}

/// Which questions may be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool<'a> {
    /// The whole pack, by blueprint weight.
    All,
    /// One section only.
    Section(usize),
    /// Only these items (e.g. the ones last answered wrong).
    Only(&'a [usize]),
}

/// Draw an exam of `total` questions.
pub fn assemble(
    items: &[ItemMeta],
    status: &[ItemStatus],
    weights: &[f64],
    total: usize,
    pool: Pool<'_>,
    seed: u64,
) -> ExamDraw {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let eligible = |i: usize| {
        !items[i].retired
            && match pool {
                Pool::All => true,
                Pool::Section(s) => items[i].section == s,
                Pool::Only(list) => list.contains(&i),
            }
    };
    let wanted: Vec<usize> = match pool {
        Pool::All => allocate(weights, total),
        Pool::Section(s) => (0..weights.len())
            .map(|i| if i == s { total } else { 0 })
            .collect(),
        Pool::Only(_) => {
            // Keep the blueprint's proportions among the chosen items where possible.
            let mut per = vec![0usize; weights.len()];
            for i in (0..items.len()).filter(|&i| eligible(i)) {
                per[items[i].section] += 1;
            }
            let n = total.min(per.iter().sum());
            let mut alloc = allocate(weights, n);
            rebalance(&mut alloc, &per, n);
            alloc
        }
    };
    let mut drawn = Vec::new();
    let mut shortfalls = Vec::new();
    for (section, &want) in wanted.iter().enumerate() {
        if want == 0 {
            continue;
        }
        let mut fresh: Vec<usize> = Vec::new();
        let mut seen: Vec<(i64, usize)> = Vec::new();
        for i in (0..items.len()).filter(|&i| items[i].section == section && eligible(i)) {
            match status.get(i).and_then(|s| s.last_at_ms) {
                None => fresh.push(i),
                Some(at) => seen.push((at, i)),
            }
        }
        fresh.shuffle(&mut rng);
        seen.shuffle(&mut rng);
        seen.sort_by_key(|(at, _)| *at); // stable: oldest first, random among equals
        let available = fresh.len() + seen.len();
        if available < want {
            shortfalls.push(Shortfall {
                section,
                wanted: want,
                available,
            });
        }
        drawn.extend(
            fresh
                .into_iter()
                .chain(seen.into_iter().map(|(_, i)| i))
                .take(want),
        );
    }
    drawn.shuffle(&mut rng);
    ExamDraw {
        items: drawn,
        shortfalls,
    }
}

/// Move allocation from sections that lack items to ones that have spare items.
fn rebalance(alloc: &mut [usize], have: &[usize], n: usize) {
    for (a, h) in alloc.iter_mut().zip(have) {
        *a = (*a).min(*h);
    }
    let mut missing = n - alloc.iter().sum::<usize>();
    while missing > 0 {
        let Some(i) = (0..alloc.len())
            .filter(|&i| alloc[i] < have[i])
            .max_by_key(|&i| have[i] - alloc[i])
        else {
            break;
        };
        alloc[i] += 1;
        missing -= 1;
    }
}

#[cfg(test)]
mod tests;
