//! Canary roll-out: a small traffic split catches a worse model version before everyone gets it.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::lab::{Chart, Figure, Lab, LabError, LabInfo, LabResult, Line};

pub(crate) struct Canary;

const REQUESTS_PER_HOUR: usize = 2_000;
const HOURS: usize = 24;
/// Share of traffic on the new version while it is a canary.
const CANARY_SHARE: f64 = 0.10;
/// Error rates of the current and the (secretly worse) new version.
const OLD_ERROR: f64 = 0.020;
const NEW_ERROR: f64 = 0.035;

impl Lab for Canary {
    fn info(&self) -> LabInfo {
        LabInfo {
            id: "canary",
            title: "Canary roll-out with a traffic split",
            shows: "a 10% canary exposes a worse version to few users before the full roll-out",
            questions: &["s4-rollouts-sum-005", "s4-rollouts-power-010"],
            notes: &["cicd"],
        }
    }

    fn run(&self, seed: u64) -> Result<LabResult, LabError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // Canary: 10% to the new version; after each hour, compare error rates with a
        // two-proportion z-test and roll back when the new one is worse (z > 3).
        let (mut old_n, mut old_err, mut new_n, mut new_err) = (0u64, 0u64, 0u64, 0u64);
        let mut rolled_back_at = None;
        let mut canary_line = Vec::new();
        let mut bad_canary = 0u64;
        for hour in 1..=HOURS {
            if rolled_back_at.is_some() {
                canary_line.push((hour as f64, bad_canary as f64));
                continue;
            }
            for _ in 0..REQUESTS_PER_HOUR {
                if rng.random::<f64>() < CANARY_SHARE {
                    new_n += 1;
                    if rng.random::<f64>() < NEW_ERROR {
                        new_err += 1;
                        bad_canary += 1;
                    }
                } else {
                    old_n += 1;
                    old_err += u64::from(rng.random::<f64>() < OLD_ERROR);
                }
            }
            let (p1, p2) = (old_err as f64 / old_n as f64, new_err as f64 / new_n as f64);
            let p = (old_err + new_err) as f64 / (old_n + new_n) as f64;
            let se = (p * (1.0 - p) * (1.0 / old_n as f64 + 1.0 / new_n as f64)).sqrt();
            if se > 0.0 && (p2 - p1) / se > 3.0 {
                rolled_back_at = Some(hour);
            }
            canary_line.push((hour as f64, bad_canary as f64));
        }
        // Big-bang: everyone on the new version at once, for as long as the canary took to decide.
        let hours_exposed = rolled_back_at.unwrap_or(HOURS);
        let mut bigbang_line = Vec::new();
        let mut bad_bigbang = 0u64;
        for hour in 1..=HOURS {
            if hour <= hours_exposed {
                for _ in 0..REQUESTS_PER_HOUR {
                    bad_bigbang += u64::from(rng.random::<f64>() < NEW_ERROR);
                }
            }
            bigbang_line.push((hour as f64, bad_bigbang as f64));
        }
        let caught = rolled_back_at.is_some();
        Ok(LabResult {
            id: "canary",
            title: "Canary roll-out with a traffic split",
            seed,
            headline: match rolled_back_at {
                Some(h) => format!(
                    "the canary was rolled back after {h} h: {bad_canary} bad responses instead of {bad_bigbang} had everyone been switched"
                ),
                None => "the canary never showed a significant difference in 24 h".to_owned(),
            },
            lesson: "Splitting traffic on one endpoint (say 90% to the current model, 10% to the new one) \
                     limits the harm of a bad version to the canary's share while real traffic measures it. \
                     Compare the versions on the same live metrics, roll back when the new one is worse, \
                     and only then move the rest of the traffic. A shadow deployment goes further: the new \
                     version sees copies of requests but its answers reach nobody.",
            figures: vec![
                Figure {
                    name: "rolled_back_after_hours".into(),
                    value: rolled_back_at.map_or(f64::NAN, |h| h as f64),
                },
                Figure {
                    name: "caught".into(),
                    value: f64::from(u8::from(caught)),
                },
                Figure {
                    name: "bad_responses_canary".into(),
                    value: bad_canary as f64,
                },
                Figure {
                    name: "bad_responses_big_bang".into(),
                    value: bad_bigbang as f64,
                },
            ],
            charts: vec![Chart {
                title: "Bad responses served by the new version".into(),
                x_label: "hours since roll-out".into(),
                y_label: "bad responses (cumulative)".into(),
                log_y: false,
                lines: vec![
                    Line {
                        name: "10% canary".into(),
                        points: canary_line,
                    },
                    Line {
                        name: "100% at once".into(),
                        points: bigbang_line,
                    },
                ],
            }],
            questions: &["s4-rollouts-sum-005", "s4-rollouts-power-010"],
            notes: &["cicd"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canary_catches_the_worse_version_with_far_less_harm() {
        for seed in 1..=5 {
            let r = Canary.run(seed).unwrap();
            assert_eq!(r.figure("caught"), Some(1.0), "seed {seed}: {}", r.headline);
            let canary = r.figure("bad_responses_canary").unwrap();
            let big = r.figure("bad_responses_big_bang").unwrap();
            assert!(canary * 5.0 < big, "seed {seed}: {canary} vs {big}");
        }
        assert_eq!(Canary.run(3).unwrap(), Canary.run(3).unwrap());
    }
}
