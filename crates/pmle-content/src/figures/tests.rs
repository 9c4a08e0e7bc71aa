//! The near-duplicate search must find exactly the pairs the full pairwise loop finds.

use proptest::prelude::*;

use super::*;
use crate::model::{Date, Kind, Location};
use crate::source::PackSource;

#[path = "../../tests/support/synthetic.rs"]
mod synthetic;

/// The quadratic loop `pmle check` used before prefix filtering, kept as the reference.
fn near_duplicates_quadratic(qs: &[Question]) -> Vec<NearDuplicate> {
    let grams: Vec<Vec<u64>> = qs.iter().map(|q| trigrams(&q.stem)).collect();
    let mut out = Vec::new();
    for i in 0..qs.len() {
        for j in (i + 1)..qs.len() {
            let (a, b) = (&grams[i], &grams[j]);
            if a.is_empty() || b.is_empty() {
                continue;
            }
            let (small, large) = (a.len().min(b.len()) as f64, a.len().max(b.len()) as f64);
            if small < NEAR_DUPLICATE_THRESHOLD * large {
                continue;
            }
            let inter = shared(a, b);
            let sim = inter as f64 / (a.len() + b.len() - inter) as f64;
            if sim >= NEAR_DUPLICATE_THRESHOLD {
                out.push(NearDuplicate {
                    id: qs[j].id.clone(),
                    other: qs[i].id.clone(),
                    similarity: sim,
                    location: qs[j].location.clone(),
                });
            }
        }
    }
    out
}

fn key(pairs: &[NearDuplicate]) -> Vec<(String, String, u64, Location)> {
    pairs
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                p.other.clone(),
                p.similarity.to_bits(),
                p.location.clone(),
            )
        })
        .collect()
}

fn same_as_quadratic(qs: &[Question]) -> usize {
    let fast = near_duplicates(qs);
    assert_eq!(key(&fast), key(&near_duplicates_quadratic(qs)));
    fast.len()
}

fn question(i: usize, stem: String) -> Question {
    Question {
        id: format!("q-{i}"),
        section: "s1".into(),
        topics: vec![],
        kind: Kind::Single,
        difficulty: 2,
        tradeoff: false,
        retired: false,
        review: None,
        last_verified: Date {
            year: 2026,
            month: 1,
            day: 1,
        },
        references: vec![],
        stem,
        options: vec![],
        location: Location {
            file: "q.toml".into(),
            line: i,
            column: 1,
        },
    }
}

#[test]
fn near_duplicates_match_the_quadratic_search_on_fixture_packs() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
    let mut sources = vec![PackSource::embedded()];
    for name in ["mini", "mistakes", "hostile", "broken-pack-toml"] {
        sources.push(PackSource::from_dir(format!("{fixtures}/{name}").as_ref()).unwrap());
    }
    for source in sources {
        let parsed = crate::parse::parse(&source);
        assert!(!parsed.questions.is_empty(), "{}", source.origin);
        same_as_quadratic(&parsed.questions);
    }
}

#[test]
fn near_duplicates_match_the_quadratic_search_on_a_generated_pack() {
    for (n, seed, every) in [(1500, 1, 20), (800, 2, 3), (600, 3, 1)] {
        let source = PackSource::from_files("gen", synthetic::pack_files(n, seed, every));
        let parsed = crate::parse::parse(&source);
        assert_eq!(parsed.questions.len(), n);
        let found = same_as_quadratic(&parsed.questions);
        // Most planted copies are near-duplicates (two words changed in a short stem can
        // fall below the threshold), so there is something to agree on.
        let planted = (n - 1) / every;
        assert!(
            4 * found >= 3 * planted,
            "{found} pairs for {planted} planted"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// A tiny vocabulary and short stems: many pairs sit right at the threshold.
    #[test]
    fn near_duplicates_match_the_quadratic_search_on_random_stems(
        stems in prop::collection::vec(prop::collection::vec(0u8..4, 0..14), 0..40)
    ) {
        let qs: Vec<Question> = stems
            .iter()
            .enumerate()
            .map(|(i, words)| {
                let text: Vec<String> = words.iter().map(|w| format!("w{w}")).collect();
                question(i, text.join(" "))
            })
            .collect();
        same_as_quadratic(&qs);
    }
}
