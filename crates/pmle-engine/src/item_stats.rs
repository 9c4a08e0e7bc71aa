//! Item analysis: how each question performs over many learners' first attempts.
//!
//! Classical test theory statistics per question (responses, p-value, corrected item-rest
//! point-biserial discrimination, option choice split by strong and weak learners, median
//! time) and flags with documented thresholds. The rules and the reasons for each choice are
//! in docs/engine.md §8. A pure function of the responses: the caller reads them from
//! whatever database holds them.

mod ability;
mod bounds;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::items::ItemMeta;
use ability::{Grouped, Scored, map_ability, rest_score};
pub use bounds::{fisher_upper, two_proportion_z, wilson_upper};

/// One answer to one question by one learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Any key that is the same for all answers of one learner (never shown).
    pub learner: u32,
    /// Index into the item list.
    pub item: usize,
    /// Option indexes (authoring order) the learner chose.
    pub chosen: Vec<u8>,
    /// Whether the answer matched the item's key.
    pub correct: bool,
    pub duration_ms: Option<u32>,
    /// 1 for the learner's first attempt at the question, 2 for the second, …
    pub attempt: u32,
}

/// What a learner's ability is measured by, for discrimination and the strong/weak split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbilitySource {
    /// The engine's ability model (MAP θ under the overall prior, with the items' difficulty,
    /// discrimination and guessing floor) fitted on the learner's *other* first attempts.
    Model,
    /// Share right of the learner's other first attempts (the classical rest score).
    RestScore,
}

/// Thresholds; the defaults are the ones documented in docs/engine.md §8.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemStatsConfig {
    pub ability: AbilitySource,
    /// Prior on a learner's ability for [`AbilitySource::Model`] (mastery's overall prior).
    pub prior_mean: f64,
    pub prior_sd: f64,
    /// A learner needs this many other first attempts to have an ability at all.
    pub min_rest_answers: usize,
    /// Share of the ranked learners in each of the strong and weak groups (Kelley's 27%).
    pub group_share: f64,
    /// No flag about a question with fewer first attempts (with an ability, for
    /// discrimination).
    pub min_n: u32,
    /// Too easy: the p-value is at least this.
    pub too_easy_p: f64,
    /// Not discriminating: the one-sided 95% upper bound of the point-biserial is below this
    /// (negatively discriminating: below 0).
    pub discrimination_floor: f64,
    /// Dead distractor: the one-sided 95% upper bound of its share among the learners who
    /// answered wrong is below this.
    pub dead_share: f64,
    /// Strong-preferred distractor: both groups need this many learners, and the strong
    /// group's share must exceed the weak group's with a z statistic of at least `strong_z`.
    pub min_group: u32,
    pub strong_z: f64,
}

impl Default for ItemStatsConfig {
    fn default() -> Self {
        ItemStatsConfig {
            ability: AbilitySource::Model,
            prior_mean: 0.2,
            prior_sd: 1.2,
            min_rest_answers: 5,
            group_share: 0.27,
            min_n: 30,
            too_easy_p: 0.90,
            discrimination_floor: 0.20,
            dead_share: 0.10,
            min_group: 10,
            strong_z: 2.326,
        }
    }
}

/// How often one option was chosen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionStats {
    /// Option index, authoring order.
    pub option: u8,
    /// Part of the key.
    pub key: bool,
    /// Share of all first attempts that chose it.
    pub share: f64,
    /// Share of the wrong first attempts that chose it (`None` without a wrong answer).
    pub wrong_share: Option<f64>,
    /// Share of the strong and weak groups that chose it (`None` for an empty group).
    pub strong_share: Option<f64>,
    pub weak_share: Option<f64>,
}

/// Something about a question that a maintainer should look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum Flag {
    /// Strong learners pick the keyed answer no more than weak ones: a likely wrong key, an
    /// ambiguity or a question that tests something else.
    NegativelyDiscriminating,
    /// A distractor the strong group chooses more often than the weak group: usually a
    /// wrong key or a second defensible answer.
    StrongLearnersPreferDistractor { option: u8 },
    /// Reported by learners as wrong or outdated (set by the report feature).
    Reported,
    /// The question does not separate strong from weak learners.
    NotDiscriminating,
    /// A distractor almost nobody who answered wrong chose.
    DeadDistractor { option: u8 },
    /// Nearly everyone answers it right: it measures little.
    TooEasy,
}

impl Flag {
    /// How much the flag needs a maintainer's attention (larger first).
    pub fn weight(self) -> u32 {
        match self {
            Flag::NegativelyDiscriminating => 8,
            Flag::StrongLearnersPreferDistractor { .. } => 6,
            Flag::Reported => 5,
            Flag::NotDiscriminating => 4,
            Flag::DeadDistractor { .. } => 2,
            Flag::TooEasy => 1,
        }
    }
}

/// Statistics of one question over first attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    /// Index into the item list (callers name the item instead when they serialise).
    #[serde(skip)]
    pub item: usize,
    /// First attempts.
    pub n: u32,
    /// Share right; `None` without a response.
    pub p_value: Option<f64>,
    /// Point-biserial correlation of right/wrong with the learners' ability measured
    /// without this question; `None` when fewer than two learners with an ability answered
    /// or the answers or abilities do not vary.
    pub discrimination: Option<f64>,
    /// One-sided 95% upper bound of `discrimination` (Fisher z).
    pub discrimination_upper: Option<f64>,
    /// Learners with an ability among the respondents (the discrimination's sample).
    pub with_ability: u32,
    pub strong_n: u32,
    pub weak_n: u32,
    pub options: Vec<OptionStats>,
    /// Median time on a first attempt, over the attempts whose time is known.
    pub median_ms: Option<u32>,
    /// Reports filed against the question: `None` until the report feature fills it in
    /// ([`ItemStats::set_reports`]).
    pub reports: Option<u32>,
    /// Sorted, most serious first.
    pub flags: Vec<Flag>,
}

impl ItemStats {
    /// Sum of the flags' weights: how much the question needs attention.
    pub fn attention(&self) -> u32 {
        self.flags.iter().map(|f| f.weight()).sum()
    }

    /// Record the number of reports filed against the question; one or more flags it.
    pub fn set_reports(&mut self, reports: u32) {
        self.reports = Some(reports);
        self.flags.retain(|f| *f != Flag::Reported);
        if reports > 0 {
            self.flags.push(Flag::Reported);
            self.flags.sort();
        }
    }
}

/// Most attention first, then by item index.
pub fn sort_by_attention(stats: &mut [ItemStats]) {
    stats.sort_by(|x, y| y.attention().cmp(&x.attention()).then(x.item.cmp(&y.item)));
}

/// Abilities closer than this are tied.
const TIE: f64 = 1e-9;

/// One respondent's first attempt at one item, with their ability without it.
struct Row<'a> {
    ability: Option<f64>,
    correct: bool,
    chosen: &'a [u8],
    duration_ms: Option<u32>,
}

/// Statistics of every item (`items[i]` with key `keys[i]`, the option indexes that are
/// correct) from `responses`. Only first attempts count (`attempt == 1`; a learner's later
/// duplicate of a first attempt is ignored), so memorised repeats do not inflate them.
pub fn item_statistics(
    items: &[ItemMeta],
    keys: &[Vec<u8>],
    responses: &[Response],
    cfg: &ItemStatsConfig,
) -> Vec<ItemStats> {
    // Each learner's first attempts, once per item.
    let mut by_learner: BTreeMap<u32, BTreeMap<usize, &Response>> = BTreeMap::new();
    for r in responses {
        if r.attempt == 1 && r.item < items.len() {
            by_learner
                .entry(r.learner)
                .or_default()
                .entry(r.item)
                .or_insert(r);
        }
    }
    let mut rows: Vec<Vec<Row<'_>>> = (0..items.len()).map(|_| Vec::new()).collect();
    for answers in by_learner.values() {
        let scored: Vec<Scored> = answers
            .values()
            .map(|r| {
                let it = &items[r.item];
                Scored {
                    b: it.b(),
                    a: it.a(),
                    c: it.guess(),
                    y: r.correct,
                }
            })
            .collect();
        let enough = scored.len() > cfg.min_rest_answers;
        let grouped = Grouped::new(&scored);
        let full = (enough && cfg.ability == AbilitySource::Model)
            .then(|| map_ability(&grouped, None, cfg.prior_mean, cfg.prior_sd, cfg.prior_mean));
        for (k, r) in answers.values().enumerate() {
            let ability = match (enough, cfg.ability, full) {
                (false, _, _) => None,
                (true, AbilitySource::RestScore, _) => rest_score(&scored, k),
                (true, AbilitySource::Model, start) => Some(map_ability(
                    &grouped,
                    Some(k),
                    cfg.prior_mean,
                    cfg.prior_sd,
                    start.unwrap_or(cfg.prior_mean),
                )),
            };
            rows[r.item].push(Row {
                ability,
                correct: r.correct,
                chosen: &r.chosen,
                duration_ms: r.duration_ms,
            });
        }
    }
    rows.iter()
        .enumerate()
        .map(|(i, rows)| {
            let key = keys.get(i).map_or(&[][..], Vec::as_slice);
            one_item(i, items[i].options, key, rows, cfg)
        })
        .collect()
}

fn one_item(
    item: usize,
    options: u8,
    key: &[u8],
    rows: &[Row<'_>],
    cfg: &ItemStatsConfig,
) -> ItemStats {
    let n = rows.len();
    let right = rows.iter().filter(|r| r.correct).count();
    let p_value = (n > 0).then(|| right as f64 / n as f64);

    let ranked: Vec<(f64, bool)> = rows
        .iter()
        .filter_map(|r| r.ability.map(|a| (a, r.correct)))
        .collect();
    let discrimination = point_biserial(&ranked);
    let discrimination_upper = discrimination.and_then(|r| fisher_upper(r, ranked.len()));

    // Strong and weak groups: the top and bottom `group_share` by ability; learners tied
    // with the last one in are in too (within `TIE`, so that rounding in the fit does not
    // split a tie), and the split does not depend on learner order.
    let mut abilities: Vec<f64> = ranked.iter().map(|r| r.0).collect();
    abilities.sort_by(f64::total_cmp);
    let k = ((abilities.len() as f64) * cfg.group_share).round() as usize;
    let (weak_cut, strong_cut) = if k == 0 {
        (f64::NEG_INFINITY, f64::INFINITY)
    } else {
        (abilities[k - 1], abilities[abilities.len() - k])
    };
    let strong: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.ability.is_some_and(|a| k > 0 && a >= strong_cut - TIE))
        .collect();
    let weak: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.ability.is_some_and(|a| k > 0 && a <= weak_cut + TIE))
        .collect();

    let width = rows
        .iter()
        .flat_map(|r| r.chosen.iter())
        .chain(key)
        .map(|&o| o + 1)
        .max()
        .unwrap_or(0)
        .max(options);
    let wrong = n - right;
    let picks = |group: &[&Row<'_>], o: u8| group.iter().filter(|r| r.chosen.contains(&o)).count();
    let all: Vec<&Row<'_>> = rows.iter().collect();
    let wrong_rows: Vec<&Row<'_>> = rows.iter().filter(|r| !r.correct).collect();
    let share = |x: usize, of: usize| (of > 0).then(|| x as f64 / of as f64);
    let options: Vec<OptionStats> = (0..width)
        .map(|o| OptionStats {
            option: o,
            key: key.contains(&o),
            share: share(picks(&all, o), n).unwrap_or(0.0),
            wrong_share: share(picks(&wrong_rows, o), wrong),
            strong_share: share(picks(&strong, o), strong.len()),
            weak_share: share(picks(&weak, o), weak.len()),
        })
        .collect();

    let mut times: Vec<u32> = rows.iter().filter_map(|r| r.duration_ms).collect();
    times.sort_unstable();
    let median_ms = match times.len() {
        0 => None,
        m if m % 2 == 1 => Some(times[m / 2]),
        m => Some(((u64::from(times[m / 2 - 1]) + u64::from(times[m / 2])) / 2) as u32),
    };

    let mut flags = Vec::new();
    let big = n >= cfg.min_n as usize;
    if big && p_value.is_some_and(|p| p >= cfg.too_easy_p) {
        flags.push(Flag::TooEasy);
    }
    if ranked.len() >= cfg.min_n as usize
        && let Some(upper) = discrimination_upper
    {
        if upper < 0.0 {
            flags.push(Flag::NegativelyDiscriminating);
        } else if upper < cfg.discrimination_floor {
            flags.push(Flag::NotDiscriminating);
        }
    }
    for o in options.iter().filter(|o| !o.key) {
        let dead = wilson_upper(picks(&wrong_rows, o.option), wrong);
        if big && dead.is_some_and(|u| u < cfg.dead_share) {
            flags.push(Flag::DeadDistractor { option: o.option });
        }
        let groups = strong.len().min(weak.len()) >= cfg.min_group as usize;
        let z = two_proportion_z(
            picks(&strong, o.option),
            strong.len(),
            picks(&weak, o.option),
            weak.len(),
        );
        if groups && z >= cfg.strong_z {
            flags.push(Flag::StrongLearnersPreferDistractor { option: o.option });
        }
    }
    flags.sort();
    ItemStats {
        item,
        n: n as u32,
        p_value,
        discrimination,
        discrimination_upper,
        with_ability: ranked.len() as u32,
        strong_n: strong.len() as u32,
        weak_n: weak.len() as u32,
        options,
        median_ms,
        reports: None,
        flags,
    }
}

/// Pearson correlation between right (1) / wrong (0) and ability: the point-biserial.
/// `None` for fewer than two learners or when either side does not vary.
pub fn point_biserial(rows: &[(f64, bool)]) -> Option<f64> {
    let m = rows.len() as f64;
    if rows.len() < 2 {
        return None;
    }
    let mean_x = rows.iter().map(|r| r.0).sum::<f64>() / m;
    let mean_y = rows.iter().filter(|r| r.1).count() as f64 / m;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in rows {
        let (dx, dy) = (x - mean_x, f64::from(u8::from(y)) - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 1e-12 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests;
