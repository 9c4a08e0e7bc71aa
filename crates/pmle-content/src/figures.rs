//! Pack-quality figures: what `pmle check` reports besides problems.
//!
//! These catch what no single question shows: a section with too few questions for its
//! weight, keys that give themselves away by length, too few multiple-select items, and
//! scenarios written twice.

use serde::Serialize;

use crate::model::{Kind, Location, Question};
use crate::parse::Parsed;

#[derive(Debug, Clone, Serialize)]
pub struct SectionFigure {
    pub id: String,
    pub title: String,
    /// Percentage of the exam.
    pub weight: f64,
    pub questions: usize,
    /// This section's share of the pack's questions, in percent.
    pub share_pct: f64,
    pub multiple: usize,
    pub single: usize,
    /// Single-select questions whose correct option is strictly the longest.
    pub longest_correct: usize,
    /// … and strictly the shortest.
    pub shortest_correct: usize,
    pub difficulty: [usize; 3],
}

#[derive(Debug, Clone, Serialize)]
pub struct NearDuplicate {
    pub id: String,
    pub other: String,
    pub similarity: f64,
    #[serde(skip)]
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub questions: usize,
    pub cards: usize,
    pub notes: usize,
    pub products: usize,
    pub topics: usize,
    pub sections: Vec<SectionFigure>,
    pub single_questions: usize,
    pub longest_correct: usize,
    /// `longest_correct / single_questions`, 0 when there are none.
    pub longest_correct_share: f64,
    pub multiple_questions: usize,
    pub multiple_share: f64,
    /// Questions of difficulty 1, 2 and 3.
    pub difficulty: [usize; 3],
    pub near_duplicates: Vec<NearDuplicate>,
    /// Give-away and blind-review figures, overall and per section (`crate::giveaways`).
    pub giveaways: crate::giveaways::GiveawayReport,
}

/// Similarity (Jaccard over word trigrams of the stem) at which two questions are reported.
pub const NEAR_DUPLICATE_THRESHOLD: f64 = 0.7;

pub(crate) fn compute(p: &Parsed, near_dups: bool) -> Figures {
    // Retired questions are never drawn, so they count in no figure.
    let live: Vec<Question> = p.questions.iter().filter(|q| !q.retired).cloned().collect();
    let qs = &live;
    let sections = p
        .sections
        .iter()
        .map(|(s, _)| {
            let mine: Vec<&Question> = qs.iter().filter(|q| q.section == s.id).collect();
            let single: Vec<&&Question> = mine.iter().filter(|q| q.kind == Kind::Single).collect();
            SectionFigure {
                id: s.id.clone(),
                title: s.title.clone(),
                weight: s.weight,
                questions: mine.len(),
                share_pct: pct(mine.len(), qs.len()),
                multiple: mine.len() - single.len(),
                single: single.len(),
                longest_correct: single.iter().filter(|q| correct_is_longest(q)).count(),
                shortest_correct: single.iter().filter(|q| correct_is_shortest(q)).count(),
                difficulty: difficulty_mix(mine.iter().copied()),
            }
        })
        .collect();
    let single: Vec<&Question> = qs.iter().filter(|q| q.kind == Kind::Single).collect();
    let longest = single.iter().filter(|q| correct_is_longest(q)).count();
    Figures {
        questions: qs.len(),
        cards: p.cards.len(),
        notes: p.notes.len(),
        products: p.products.len(),
        topics: p.topics.len(),
        sections,
        single_questions: single.len(),
        longest_correct: longest,
        longest_correct_share: ratio(longest, single.len()),
        multiple_questions: qs.len() - single.len(),
        multiple_share: ratio(qs.len() - single.len(), qs.len()),
        difficulty: difficulty_mix(qs.iter()),
        giveaways: crate::giveaways::report(p.sections.iter().map(|(s, _)| s.id.as_str()), qs),
        near_duplicates: if near_dups {
            near_duplicates(qs)
        } else {
            Vec::new()
        },
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn pct(a: usize, b: usize) -> f64 {
    ratio(a, b) * 100.0
}

fn difficulty_mix<'a>(qs: impl Iterator<Item = &'a Question>) -> [usize; 3] {
    let mut mix = [0; 3];
    for q in qs {
        if let Some(slot) = mix.get_mut(usize::from(q.difficulty).wrapping_sub(1)) {
            *slot += 1;
        }
    }
    mix
}

/// Is the (single) correct option strictly shorter, in characters, than every other option?
pub fn correct_is_shortest(q: &Question) -> bool {
    let Some(key) = q.options.iter().find(|o| o.correct) else {
        return false;
    };
    let key_len = key.text.chars().count();
    q.options
        .iter()
        .filter(|o| !o.correct)
        .all(|o| o.text.chars().count() > key_len)
}

/// Is the (single) correct option strictly longer, in characters, than every other option?
pub fn correct_is_longest(q: &Question) -> bool {
    let Some(key) = q.options.iter().find(|o| o.correct) else {
        return false;
    };
    let key_len = key.text.chars().count();
    q.options
        .iter()
        .filter(|o| !o.correct)
        .all(|o| o.text.chars().count() < key_len)
}

/// Word trigrams of `text`, hashed, sorted and deduplicated (so two sets intersect by merging).
fn trigrams(text: &str) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut grams: Vec<u64> = words
        .windows(3)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Pairs of questions whose stems share at least [`NEAR_DUPLICATE_THRESHOLD`] of their word
/// trigrams (Jaccard), in the order of the pairwise loop `for i { for j > i }`.
///
/// Prefix filtering (Chaudhuri et al., "A primitive operator for similarity joins") keeps
/// it near-linear and exact: order every stem's trigrams from rarest to most common; two
/// stems with Jaccard ≥ t share at least ⌈t·|x|⌉ trigrams, so each one's first
/// `|x| − ⌈t·|x|⌉ + 1` trigrams (its prefix) must meet the other's. Only stems that share a
/// prefix trigram are compared, with the same test as the full pairwise loop.
fn near_duplicates(qs: &[Question]) -> Vec<NearDuplicate> {
    use std::collections::HashMap;
    let grams: Vec<Vec<u64>> = qs.iter().map(|q| trigrams(&q.stem)).collect();
    let mut freq: HashMap<u64, u32> = HashMap::new();
    for g in grams.iter().flatten() {
        *freq.entry(*g).or_default() += 1;
    }
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    // `seen[j] == i + 1`: stem j is already a candidate for stem i.
    let mut seen = vec![0usize; qs.len()];
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
    for (i, b) in grams.iter().enumerate() {
        if b.is_empty() {
            continue;
        }
        let mut ordered = b.clone();
        ordered.sort_unstable_by_key(|g| (freq[g], *g));
        let prefix = &ordered[..prefix_len(ordered.len())];
        for g in prefix {
            for &j in index.get(g).map_or(&[][..], Vec::as_slice) {
                if seen[j] == i + 1 {
                    continue;
                }
                seen[j] = i + 1;
                if let Some(sim) = similar(&grams[j], b) {
                    pairs.push((j, i, sim));
                }
            }
        }
        for g in prefix {
            index.entry(*g).or_default().push(i);
        }
    }
    pairs.sort_by_key(|&(j, i, _)| (j, i));
    pairs
        .into_iter()
        .map(|(j, i, similarity)| NearDuplicate {
            id: qs[i].id.clone(),
            other: qs[j].id.clone(),
            similarity,
            location: qs[i].location.clone(),
        })
        .collect()
}

/// How many of a stem's rarest trigrams must be indexed so that any stem with Jaccard ≥ t
/// meets it there: `n − ⌈t·n⌉ + 1`, rounded up on the safe side (a longer prefix only adds
/// candidates, never loses a pair).
fn prefix_len(n: usize) -> usize {
    let must_share = (NEAR_DUPLICATE_THRESHOLD * n as f64 - 1e-9).ceil().max(0.0) as usize;
    (n + 1).saturating_sub(must_share).clamp(1, n)
}

/// The pairwise test: Jaccard of two sorted trigram sets, when it reaches the threshold.
fn similar(a: &[u64], b: &[u64]) -> Option<f64> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    // Jaccard ≥ t needs the smaller set to be at least t × the larger.
    let (small, large) = (a.len().min(b.len()) as f64, a.len().max(b.len()) as f64);
    if small < NEAR_DUPLICATE_THRESHOLD * large {
        return None;
    }
    let inter = shared(a, b);
    let sim = inter as f64 / (a.len() + b.len() - inter) as f64;
    (sim >= NEAR_DUPLICATE_THRESHOLD).then_some(sim)
}

#[cfg(test)]
mod tests;
