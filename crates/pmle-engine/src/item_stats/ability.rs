//! Each learner's ability *without* the item being analysed (a corrected, item-rest
//! measure), from their other first attempts.

use crate::mastery::sigmoid;

/// One first attempt as the ability fit sees it: the item's difficulty, discrimination and
/// guessing floor, and whether it was answered right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scored {
    pub(crate) b: f64,
    pub(crate) a: f64,
    pub(crate) c: f64,
    pub(crate) y: bool,
}

/// Score and Fisher information of one answer at ability `theta` under
/// `P = c + (1 − c)·σ(a(θ − b))`.
fn score_info(s: &Scored, theta: f64) -> (f64, f64) {
    let sg = sigmoid(s.a * (theta - s.b));
    let p = (s.c + (1.0 - s.c) * sg).clamp(1e-9, 1.0 - 1e-9);
    let dp = (1.0 - s.c) * s.a * sg * (1.0 - sg);
    let y = if s.y { 1.0 } else { 0.0 };
    let w = dp / (p * (1.0 - p));
    ((y - p) * w, dp * w)
}

/// Answers with the same `(b, a, c, y)`, merged: the fit's cost then grows with the number
/// of distinct kinds of answer (a few labels and guessing floors), not with the answers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grouped {
    groups: Vec<(Scored, f64)>,
    /// The group of each answer, in input order.
    of: Vec<usize>,
}

impl Grouped {
    pub(crate) fn new(answers: &[Scored]) -> Grouped {
        let mut groups: Vec<(Scored, f64)> = Vec::new();
        let of = answers
            .iter()
            .map(|s| match groups.iter().position(|(g, _)| g == s) {
                Some(k) => {
                    groups[k].1 += 1.0;
                    k
                }
                None => {
                    groups.push((*s, 1.0));
                    groups.len() - 1
                }
            })
            .collect();
        Grouped { groups, of }
    }
}

/// MAP ability under a `N(mean, sd²)` prior by Fisher scoring, starting from `start`,
/// leaving out the answer at `skip` (if any).
pub(crate) fn map_ability(
    answers: &Grouped,
    skip: Option<usize>,
    mean: f64,
    sd: f64,
    start: f64,
) -> f64 {
    let prec = 1.0 / (sd * sd);
    let left_out = skip.and_then(|k| answers.of.get(k).copied());
    let mut theta = start;
    for _ in 0..50 {
        let (mut score, mut info) = (-(theta - mean) * prec, prec);
        for (g, (s, w)) in answers.groups.iter().enumerate() {
            let w = if Some(g) == left_out { w - 1.0 } else { *w };
            if w <= 0.0 {
                continue;
            }
            let (sc, inf) = score_info(s, theta);
            score += w * sc;
            info += w * inf;
        }
        let step = (score / info).clamp(-2.0, 2.0);
        theta += step;
        if step.abs() < 1e-8 {
            break;
        }
    }
    theta
}

/// Share right among the answers other than `skip`; `None` when there are none.
pub(crate) fn rest_score(answers: &[Scored], skip: usize) -> Option<f64> {
    let (mut right, mut n) = (0usize, 0usize);
    for (k, s) in answers.iter().enumerate() {
        if k != skip {
            n += 1;
            right += usize::from(s.y);
        }
    }
    (n > 0).then(|| right as f64 / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ans(b: f64, y: bool) -> Scored {
        Scored {
            b,
            a: 1.0,
            c: 0.25,
            y,
        }
    }

    #[test]
    fn more_right_answers_mean_a_higher_ability() {
        let low: Vec<Scored> = (0..10).map(|k| ans(0.0, k < 4)).collect();
        let high: Vec<Scored> = (0..10).map(|k| ans(0.0, k < 8)).collect();
        let lo = map_ability(&Grouped::new(&low), None, 0.2, 1.2, 0.0);
        let hi = map_ability(&Grouped::new(&high), None, 0.2, 1.2, 0.0);
        assert!(hi > lo + 0.5, "{lo} {hi}");
    }

    #[test]
    fn leaving_out_a_right_answer_lowers_the_estimate_and_the_start_does_not_matter() {
        let a: Vec<Scored> = (0..12).map(|k| ans(0.1 * k as f64, k % 3 != 0)).collect();
        let g = Grouped::new(&a);
        let all = map_ability(&g, None, 0.2, 1.2, 0.0);
        let without_right = map_ability(&g, Some(1), 0.2, 1.2, all);
        let from_far = map_ability(&g, Some(1), 0.2, 1.2, -3.0);
        assert!(without_right < all);
        assert!((without_right - from_far).abs() < 1e-6);
        // The same as fitting without that answer.
        let mut rest = a;
        rest.remove(1);
        let direct = map_ability(&Grouped::new(&rest), None, 0.2, 1.2, 0.0);
        assert!((without_right - direct).abs() < 1e-6);
    }

    #[test]
    fn the_rest_score_leaves_the_item_out() {
        let a = [ans(0.0, true), ans(0.0, false), ans(0.0, true)];
        assert_eq!(rest_score(&a, 0), Some(0.5));
        assert_eq!(rest_score(&a, 1), Some(1.0));
        assert_eq!(rest_score(&a[..1], 0), None);
    }
}
