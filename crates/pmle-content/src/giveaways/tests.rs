use proptest::prelude::*;

use super::*;
use crate::fingerprint::fingerprint;
use crate::model::{Date, Review};
use crate::testing::question;

/// Three hand-checked questions; the expected figures below are worked out in the comments.
fn fixture() -> Vec<Question> {
    // Stem words: retailer want forecast week demand stor. Echoes: A 2 (forecast, demand),
    // B 0, C 1 (stor), D 0 → A strictly most echoing, and it is the key. Lengths 40/18/18/12.
    // Words: 9 + 6 + 3 + 3 + 2 = 23.
    let mut q1 = question(
        "A retailer wants to forecast weekly demand for stores.",
        &[
            ("Forecast demand with a time-series model", true),
            ("Train a classifier", false),
            ("Cluster the stores", false),
            ("Label images", false),
        ],
    );
    q1.difficulty = 3;
    q1.review = Some(review(&q1, "A", "high", "constraints", true));
    // Stem words: pick cheapest storag. Echoes: A 2, B 0, C 0 → A most echoing, not the key.
    // A holds "always". Lengths 33/16/8. Words: 4 + 5 + 2 + 1 = 12.
    let mut q2 = question(
        "Pick the cheapest storage",
        &[
            ("The cheapest storage class always", false),
            ("Nearline buckets", true),
            ("Coldline", false),
        ],
    );
    q2.id = "q-2".into();
    q2.review = Some(review(&q2, "A", "medium", "wording", false));
    // Echoes 1 and 1: a tie, so not eligible. Lengths 9/9. Words: 2 + 2 + 2 = 6.
    let mut q3 = question("Which model?", &[("model one", true), ("model two", false)]);
    q3.id = "q-3".into();
    q3.tradeoff = true;
    vec![q1, q2, q3]
}

fn review(q: &Question, choice: &str, confidence: &str, decided_by: &str, current: bool) -> Review {
    Review {
        date: Date {
            year: 2026,
            month: 12,
            day: 3,
        },
        blind_choice: vec![choice.into()],
        confidence: confidence.into(),
        decided_by: decided_by.into(),
        level: q.difficulty,
        fingerprint: if current {
            fingerprint(q)
        } else {
            "0000000000000000".into()
        },
        key_checked: None,
    }
}

fn figures() -> Giveaways {
    let qs = fixture();
    compute(&qs.iter().collect::<Vec<_>>())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn content_words_drop_stopwords_and_stem() {
    assert_eq!(
        content_words("A retailer wants to forecast weekly demand for stores."),
        vec!["demand", "forecast", "retailer", "stor", "want", "week"]
    );
    assert_eq!(content_words("training trained trains"), vec!["train"]);
    assert_eq!(
        content_words("`DOCUMENT_TEXT_DETECTION` in 2026"),
        vec!["detection", "document", "text"]
    );
}

#[test]
fn stem_echo_rate_against_chance() {
    let f = figures();
    assert_eq!((f.echo_eligible, f.echo_key), (2, 1));
    assert!(close(f.echo_rate, 0.5));
    assert!(close(f.echo_chance, (1.0 / 4.0 + 1.0 / 3.0) / 2.0));
}

#[test]
fn absolute_words_in_keys_and_distractors() {
    let f = figures();
    assert_eq!((f.keys, f.keys_absolute), (3, 0));
    assert_eq!((f.distractors, f.distractors_absolute), (6, 1));
    assert!(close(f.distractor_absolute_rate, 1.0 / 6.0));
    assert!(has_absolute_word("Always retrain"));
    assert!(!has_absolute_word("Allocate nodes")); // whole words only
}

#[test]
fn option_length_spread() {
    let f = figures();
    // Ratios 40/12, 33/8, 1 → nearest-rank median 40/12; two are over 2.
    assert!(close(f.length_ratio_median, 40.0 / 12.0));
    assert_eq!(f.length_ratio_over_2, 2);
    assert!(close(f.length_ratio_over_2_share, 2.0 / 3.0));
    assert!(close(f.longest_key_rate, 1.0 / 3.0));
    assert!(close(f.shortest_key_rate, 0.0));
}

#[test]
fn word_count_distribution() {
    let f = figures();
    assert_eq!(
        f.words,
        WordSpread {
            min: 6,
            p10: 6,
            median: 12,
            p90: 23,
            max: 23,
            in_range: 0,
            in_range_share: 0.0,
        }
    );
}

#[test]
fn tradeoff_and_difficulty_shares() {
    let f = figures();
    assert_eq!((f.tradeoff, f.difficulty_3), (1, 1));
    assert!(close(f.tradeoff_share, 1.0 / 3.0));
    assert!(close(f.difficulty_3_share, 1.0 / 3.0));
}

#[test]
fn blind_review_figures() {
    let r = figures().review;
    assert_eq!((r.reviewed, r.current, r.agreed), (2, 1, 1));
    assert!(close(r.agreement_rate, 0.5));
    assert_eq!(r.confidence, [1, 1, 0]);
    assert_eq!(r.decided_by, [1, 0, 1]);
    assert_eq!(r.wording_decided, 1);
}

#[test]
fn retired_questions_are_left_out_of_every_figure() {
    let mut qs = fixture();
    let mut gone = question("Which model?", &[("x", true), ("y", false)]);
    gone.retired = true;
    qs.push(gone);
    let r = report(["s1", "s2"].into_iter(), &qs);
    assert_eq!(r.overall, figures());
    assert_eq!(r.sections[0].figures, figures());
    assert_eq!(r.sections[1].figures.questions, 0);
}

#[test]
fn empty_scopes_give_zeros_not_nan() {
    let f = compute(&[]);
    assert_eq!(f, Giveaways::default());
}

const VOCAB: [&str; 12] = [
    "model", "train", "data", "always", "cheap", "stream", "batch", "latency", "cost", "store",
    "never", "the",
];

fn arb_question() -> impl Strategy<Value = Question> {
    let text = || {
        prop::collection::vec(0..VOCAB.len(), 0..8)
            .prop_map(|ix| ix.iter().map(|&i| VOCAB[i]).collect::<Vec<_>>().join(" "))
    };
    (
        text(),
        prop::collection::vec(text(), 2..7),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(stem, opts, key)| {
            let k = key.index(opts.len());
            let options: Vec<(&str, bool)> = opts
                .iter()
                .enumerate()
                .map(|(i, t)| (t.as_str(), i == k))
                .collect();
            question(&stem, &options)
        })
}

proptest! {
    #[test]
    fn rates_are_shares_and_chance_is_a_probability(qs in prop::collection::vec(arb_question(), 0..30)) {
        let f = compute(&qs.iter().collect::<Vec<_>>());
        for r in [f.echo_rate, f.key_absolute_rate, f.distractor_absolute_rate, f.length_ratio_over_2_share,
                  f.longest_key_rate, f.shortest_key_rate, f.words.in_range_share, f.tradeoff_share,
                  f.difficulty_3_share, f.review.agreement_rate] {
            prop_assert!((0.0..=1.0).contains(&r), "{r}");
        }
        prop_assert!(f.echo_key <= f.echo_eligible && f.echo_eligible <= f.single);
        if f.echo_eligible > 0 {
            // Between 1/6 (six options) and 1/2 (two options).
            prop_assert!(f.echo_chance >= 1.0 / 6.0 - 1e-12 && f.echo_chance <= 0.5 + 1e-12);
        } else {
            prop_assert_eq!(f.echo_chance, 0.0);
        }
        prop_assert!(f.words.min <= f.words.p10 && f.words.p10 <= f.words.median);
        prop_assert!(f.words.median <= f.words.p90 && f.words.p90 <= f.words.max);
        prop_assert!(f.length_ratio_median == 0.0 || f.length_ratio_median >= 1.0);
    }
}
