//! Give-away figures: how far a careful reader could get from wording alone, and what the blind
//! reviews found. Computed per section and for the whole pack over questions that are not
//! retired; the thresholds live in `lint/giveaways.rs`. Every definition is in
//! docs/content-format.md ("Give-away figures"); the short version:
//!
//! - **stem echo**: an option's echo is the number of distinct content words (see [`content_words`])
//!   it shares with the stem. A single-select question is *eligible* when exactly one option has
//!   the highest echo; the *rate* is the share of eligible questions where that option is the
//!   key, and the *chance* rate is the mean of 1/options over the eligible questions (what the
//!   rate would be if the key were a random option).
//! - **absolute words** ([`ABSOLUTE_WORDS`]): share of keys, and of distractors, that contain one.
//! - **length spread**: per question, longest over shortest option in characters.
//! - **words**: stem plus all options, split on whitespace.

use serde::Serialize;

use crate::lint::review;
use crate::model::{Kind, Question};

/// Words that mark an option as too sweeping; a distractor written with them is easy to rule out.
pub const ABSOLUTE_WORDS: [&str; 16] = [
    "always",
    "never",
    "only",
    "all",
    "none",
    "regardless",
    "guarantee",
    "guarantees",
    "guaranteed",
    "every",
    "everything",
    "must",
    "completely",
    "entirely",
    "impossible",
    "nothing",
];

/// English function words dropped before comparing stems and options.
const STOPWORDS: [&str; 107] = [
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "both", "but", "by", "can", "could", "did", "do", "does", "each",
    "either", "for", "from", "had", "has", "have", "how", "if", "in", "into", "is", "it", "its",
    "just", "may", "more", "most", "much", "must", "need", "needs", "no", "nor", "not", "of", "on",
    "one", "only", "or", "other", "our", "out", "over", "own", "same", "should", "so", "some",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "two", "under", "until", "up", "use", "used", "uses", "using",
    "very", "via", "was", "we", "were", "what", "when", "where", "whether", "which", "while",
    "who", "why", "will", "with", "within", "without", "would", "you", "your", "yet",
];

/// Shortest and longest word count of stem plus options that counts as exam-shaped.
pub const WORDS_IN_RANGE: (usize, usize) = (130, 250);

/// Longest-over-shortest option ratio above which a question's options are not parallel.
pub const LENGTH_RATIO_LIMIT: f64 = 2.0;

/// A light stemmer: enough to match "train", "trains", "trained" and "training".
fn stem(word: &str) -> String {
    let mut w = word.to_owned();
    for (suffix, with) in [
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("ly", ""),
    ] {
        if w.len() >= suffix.len() + 3 && w.ends_with(suffix) {
            w.truncate(w.len() - suffix.len());
            w.push_str(with);
            break;
        }
    }
    if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w.pop();
    }
    if w.len() > 3 && w.ends_with('e') {
        w.pop();
    }
    w
}

/// Distinct stems of the content words of `text`: split on anything not a letter or digit,
/// lowercased, stopwords and words under 3 characters or without a letter dropped, stemmed.
pub fn content_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && w.chars().any(char::is_alphabetic))
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Does `text` contain one of [`ABSOLUTE_WORDS`] as a whole word?
pub fn has_absolute_word(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| ABSOLUTE_WORDS.contains(&w.to_lowercase().as_str()))
}

/// For each option, how many content words of the stem it repeats.
pub fn echoes(q: &Question) -> Vec<usize> {
    let stem = content_words(&q.stem);
    q.options
        .iter()
        .map(|o| {
            content_words(&o.text)
                .iter()
                .filter(|w| stem.binary_search(w).is_ok())
                .count()
        })
        .collect()
}

/// The option that strictly echoes the stem most, if one does.
pub fn most_echoing(q: &Question) -> Option<usize> {
    let e = echoes(q);
    let max = *e.iter().max()?;
    let mut at = e.iter().enumerate().filter(|(_, v)| **v == max);
    let (i, _) = at.next()?;
    at.next().is_none().then_some(i)
}

/// Words in the stem and every option.
pub fn word_count(q: &Question) -> usize {
    q.stem.split_whitespace().count()
        + q.options
            .iter()
            .map(|o| o.text.split_whitespace().count())
            .sum::<usize>()
}

/// Longest over shortest option, in characters; `None` with an empty option.
pub fn length_ratio(q: &Question) -> Option<f64> {
    let lens: Vec<usize> = q
        .options
        .iter()
        .map(|o| o.text.trim().chars().count())
        .collect();
    let (min, max) = (*lens.iter().min()?, *lens.iter().max()?);
    (min > 0).then(|| max as f64 / min as f64)
}

/// The nearest-rank percentile `p` (0–100) of sorted values; 0 for none.
fn percentile<T: Copy + Default>(sorted: &[T], p: f64) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct WordSpread {
    pub min: usize,
    pub p10: usize,
    pub median: usize,
    pub p90: usize,
    pub max: usize,
    /// Questions with 130–250 words, and their share.
    pub in_range: usize,
    pub in_range_share: f64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ReviewFigures {
    /// Questions with a `[question.review]`.
    pub reviewed: usize,
    /// … whose fingerprint matches the current text.
    pub current: usize,
    /// … whose blind choice matched the key, and that share of the reviewed.
    pub agreed: usize,
    pub agreement_rate: f64,
    /// Reviews by confidence: high, medium, low.
    pub confidence: [usize; 3],
    /// Reviews by what decided them: constraints, recall, wording.
    pub decided_by: [usize; 3],
    /// Reviews decided by wording (the last entry of `decided_by`).
    pub wording_decided: usize,
}

/// The give-away figures of one scope: a section or the whole pack.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Giveaways {
    /// Questions in the scope (retired ones excluded), and how many are single select.
    pub questions: usize,
    pub single: usize,
    /// Single-select questions where one option strictly echoes the stem most.
    pub echo_eligible: usize,
    /// … where that option is the key; `echo_key / echo_eligible`.
    pub echo_key: usize,
    pub echo_rate: f64,
    /// Mean of 1/options over the eligible questions.
    pub echo_chance: f64,
    pub keys: usize,
    pub keys_absolute: usize,
    pub key_absolute_rate: f64,
    pub distractors: usize,
    pub distractors_absolute: usize,
    pub distractor_absolute_rate: f64,
    /// Median (nearest rank) of longest/shortest option length per question.
    pub length_ratio_median: f64,
    /// Questions whose longest option is over twice the shortest, and that share.
    pub length_ratio_over_2: usize,
    pub length_ratio_over_2_share: f64,
    /// Single-select keys strictly the longest / shortest option, as shares of `single`.
    pub longest_key_rate: f64,
    pub shortest_key_rate: f64,
    pub words: WordSpread,
    pub tradeoff: usize,
    pub tradeoff_share: f64,
    pub difficulty_3: usize,
    pub difficulty_3_share: f64,
    pub review: ReviewFigures,
}

/// The figures of one section.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SectionGiveaways {
    pub id: String,
    #[serde(flatten)]
    pub figures: Giveaways,
}

/// Overall and per-section give-away figures.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct GiveawayReport {
    pub overall: Giveaways,
    pub sections: Vec<SectionGiveaways>,
}

pub(crate) fn report<'a>(
    section_ids: impl Iterator<Item = &'a str>,
    qs: &[Question],
) -> GiveawayReport {
    let live: Vec<&Question> = qs.iter().filter(|q| !q.retired).collect();
    GiveawayReport {
        overall: compute(&live),
        sections: section_ids
            .map(|id| SectionGiveaways {
                id: id.to_owned(),
                figures: compute(
                    &live
                        .iter()
                        .copied()
                        .filter(|q| q.section == id)
                        .collect::<Vec<_>>(),
                ),
            })
            .collect(),
    }
}

/// The figures over `qs` as given (the caller drops retired questions).
pub fn compute(qs: &[&Question]) -> Giveaways {
    let single: Vec<&Question> = qs
        .iter()
        .copied()
        .filter(|q| q.kind == Kind::Single)
        .collect();
    let (mut eligible, mut echo_key, mut chance_sum) = (0, 0, 0.0);
    for q in &single {
        if let Some(i) = most_echoing(q) {
            eligible += 1;
            chance_sum += 1.0 / q.options.len() as f64;
            if q.options[i].correct {
                echo_key += 1;
            }
        }
    }
    let (mut keys, mut keys_abs, mut dis, mut dis_abs) = (0, 0, 0, 0);
    for o in qs.iter().flat_map(|q| &q.options) {
        let abs = usize::from(has_absolute_word(&o.text));
        if o.correct {
            keys += 1;
            keys_abs += abs;
        } else {
            dis += 1;
            dis_abs += abs;
        }
    }
    let mut ratios: Vec<f64> = qs.iter().filter_map(|q| length_ratio(q)).collect();
    ratios.sort_by(f64::total_cmp);
    let over_2 = ratios.iter().filter(|r| **r > LENGTH_RATIO_LIMIT).count();
    let mut words: Vec<usize> = qs.iter().map(|q| word_count(q)).collect();
    words.sort_unstable();
    let in_range = words
        .iter()
        .filter(|w| (WORDS_IN_RANGE.0..=WORDS_IN_RANGE.1).contains(*w))
        .count();
    let tradeoff = qs.iter().filter(|q| q.tradeoff).count();
    let d3 = qs.iter().filter(|q| q.difficulty == 3).count();
    Giveaways {
        questions: qs.len(),
        single: single.len(),
        echo_eligible: eligible,
        echo_key,
        echo_rate: ratio(echo_key, eligible),
        echo_chance: if eligible == 0 {
            0.0
        } else {
            chance_sum / eligible as f64
        },
        keys,
        keys_absolute: keys_abs,
        key_absolute_rate: ratio(keys_abs, keys),
        distractors: dis,
        distractors_absolute: dis_abs,
        distractor_absolute_rate: ratio(dis_abs, dis),
        length_ratio_median: percentile(&ratios, 50.0),
        length_ratio_over_2: over_2,
        length_ratio_over_2_share: ratio(over_2, ratios.len()),
        longest_key_rate: ratio(
            single
                .iter()
                .filter(|q| crate::figures::correct_is_longest(q))
                .count(),
            single.len(),
        ),
        shortest_key_rate: ratio(
            single
                .iter()
                .filter(|q| crate::figures::correct_is_shortest(q))
                .count(),
            single.len(),
        ),
        words: WordSpread {
            min: words.first().copied().unwrap_or(0),
            p10: percentile(&words, 10.0),
            median: percentile(&words, 50.0),
            p90: percentile(&words, 90.0),
            max: words.last().copied().unwrap_or(0),
            in_range,
            in_range_share: ratio(in_range, words.len()),
        },
        tradeoff,
        tradeoff_share: ratio(tradeoff, qs.len()),
        difficulty_3: d3,
        difficulty_3_share: ratio(d3, qs.len()),
        review: review_figures(qs),
    }
}

fn review_figures(qs: &[&Question]) -> ReviewFigures {
    let mut f = ReviewFigures::default();
    for q in qs {
        let Some(r) = &q.review else { continue };
        f.reviewed += 1;
        f.current += usize::from(review::is_current(q));
        f.agreed += usize::from(review::agrees(q) == Some(true));
        if let Some(i) = review::CONFIDENCES.iter().position(|c| *c == r.confidence) {
            f.confidence[i] += 1;
        }
        if let Some(i) = review::DECIDED_BY.iter().position(|c| *c == r.decided_by) {
            f.decided_by[i] += 1;
        }
    }
    f.wording_decided = f.decided_by[2];
    f.agreement_rate = ratio(f.agreed, f.reviewed);
    f
}

#[cfg(test)]
mod tests;
