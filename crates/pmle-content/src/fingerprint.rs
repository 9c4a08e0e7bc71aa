//! The fingerprint of a question's text: what a blind review records so that `pmle check` can
//! tell when the question changed after it was reviewed.
//!
//! Definition (docs/content-format.md): FNV-1a 64 over the UTF-8 bytes of
//!
//! ```text
//! norm(stem) 0x1E ( norm(option.text) 0x1F ('1' | '0') 0x1E )*   options in authoring order
//! ```
//!
//! where `norm` trims the text and collapses every run of whitespace to one space, and the
//! digit is `1` for a correct option. Printed as 16 lowercase hex digits. Explanations,
//! references, topics and dates are not part of it: editing them does not invalidate a review.

use crate::model::Question;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(state: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(state, |h, b| (h ^ u64::from(*b)).wrapping_mul(FNV_PRIME))
}

fn feed_normalised(mut h: u64, text: &str) -> u64 {
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            h = fnv1a(h, b" ");
        }
        h = fnv1a(h, word.as_bytes());
    }
    h
}

/// The fingerprint of `q`'s stem, options and key, as 16 hex digits.
pub fn fingerprint(q: &Question) -> String {
    let mut h = feed_normalised(FNV_OFFSET, &q.stem);
    h = fnv1a(h, &[0x1e]);
    for o in &q.options {
        h = feed_normalised(h, &o.text);
        h = fnv1a(h, &[0x1f, if o.correct { b'1' } else { b'0' }, 0x1e]);
    }
    format!("{h:016x}")
}

/// Where a question stands with its blind review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewState {
    /// No `[question.review]`.
    None,
    /// Reviewed, and the text is what was reviewed.
    Current,
    /// Reviewed, but the stem, options or key changed since.
    Stale,
}

impl ReviewState {
    pub fn of(q: &Question) -> ReviewState {
        match &q.review {
            None => ReviewState::None,
            Some(_) if crate::lint::review::is_current(q) => ReviewState::Current,
            Some(_) => ReviewState::Stale,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::None => "none",
            ReviewState::Current => "current",
            ReviewState::Stale => "stale",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::question;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // From the FNV reference (draft-eastlake-fnv): "" and "a".
        assert_eq!(fnv1a(FNV_OFFSET, b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(FNV_OFFSET, b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn fingerprint_is_16_hex_digits_and_stable() {
        let q = question("Which?", &[("A", true), ("B", false)]);
        let f = fingerprint(&q);
        assert_eq!(f.len(), 16);
        assert!(f.bytes().all(|b| b.is_ascii_hexdigit()));
        // Pinned (checked against an independent FNV-1a of "Which?␞A␟1␞B␟0␞"): changing the
        // definition invalidates every recorded review.
        assert_eq!(f, fingerprint(&q));
        assert_eq!(f, "fe2f93ae25fba295");
    }

    #[test]
    fn whitespace_and_explanations_do_not_change_the_fingerprint() {
        let a = question("Which  option\n fits?", &[("A one", true), ("B", false)]);
        let mut b = question(" Which option fits? ", &[("A\none", true), ("B", false)]);
        b.options[0].explanation = "another explanation".into();
        b.references = vec!["https://cloud.google.com/x".into()];
        assert_eq!(fingerprint(&a), fingerprint(&b));
    }

    #[test]
    fn stem_options_order_and_key_change_the_fingerprint() {
        let base = fingerprint(&question("Which?", &[("A", true), ("B", false)]));
        for other in [
            question("Which one?", &[("A", true), ("B", false)]),
            question("Which?", &[("A", false), ("B", true)]),
            question("Which?", &[("B", false), ("A", true)]),
            question("Which?", &[("A", true), ("B", false), ("C", false)]),
            question("Which?", &[("AB", true), ("", false)]),
        ] {
            assert_ne!(base, fingerprint(&other), "{:?}", other.options);
        }
    }
}
