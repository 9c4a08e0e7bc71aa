//! Which question to practise next.
//!
//! Order: questions never answered (in random order), then questions whose last answer was
//! wrong (oldest mistake first), then the rest (least recently answered first). It is the
//! simplest order that never repeats a question while fresh ones remain and brings
//! mistakes back before successes.

use std::collections::HashMap;

use rand::Rng;
use rand::seq::SliceRandom;

/// What the learner did with one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemHistory {
    pub answers: u64,
    pub last_answered_at_ms: i64,
    pub last_correct: bool,
}

/// Indexes into `ids`, in the order to practise them.
pub fn practice_order<R: Rng + ?Sized>(
    ids: &[&str],
    history: &HashMap<String, ItemHistory>,
    rng: &mut R,
) -> Vec<usize> {
    let mut fresh = Vec::new();
    let mut wrong = Vec::new();
    let mut right = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match history.get(*id) {
            None => fresh.push(i),
            Some(h) if !h.last_correct => wrong.push((h.last_answered_at_ms, i)),
            Some(h) => right.push((h.last_answered_at_ms, i)),
        }
    }
    fresh.shuffle(rng);
    wrong.sort_unstable();
    right.sort_unstable();
    fresh
        .into_iter()
        .chain(wrong.into_iter().map(|(_, i)| i))
        .chain(right.into_iter().map(|(_, i)| i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn h(at: i64, ok: bool) -> ItemHistory {
        ItemHistory {
            answers: 1,
            last_answered_at_ms: at,
            last_correct: ok,
        }
    }

    #[test]
    fn fresh_then_wrong_then_oldest_right() {
        let ids = ["a", "b", "c", "d", "e"];
        let mut hist = HashMap::new();
        hist.insert("a".to_owned(), h(5, true));
        hist.insert("b".to_owned(), h(9, false));
        hist.insert("c".to_owned(), h(1, true));
        hist.insert("d".to_owned(), h(3, false));
        let order = practice_order(&ids, &hist, &mut ChaCha8Rng::seed_from_u64(1));
        assert_eq!(order, vec![4, 3, 1, 2, 0]);
    }

    #[test]
    fn every_item_once() {
        let ids: Vec<String> = (0..50).map(|i| format!("q{i}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut order = practice_order(&refs, &HashMap::new(), &mut ChaCha8Rng::seed_from_u64(7));
        order.sort_unstable();
        assert_eq!(order, (0..50).collect::<Vec<_>>());
    }
}
