//! Showing and grading a question: option shuffling and all-or-nothing scoring.

use rand::Rng;
use rand::seq::SliceRandom;

/// A random presentation order of `n` options (authoring indexes).
pub fn shuffled_order<R: Rng + ?Sized>(n: usize, rng: &mut R) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order
}

/// All-or-nothing, as on the real exam: the chosen set must equal the correct set.
pub fn grade(correct: &[usize], chosen: &[usize]) -> bool {
    let mut a = correct.to_vec();
    let mut b = chosen.to_vec();
    a.sort_unstable();
    a.dedup();
    b.sort_unstable();
    b.dedup();
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn grading_is_all_or_nothing() {
        assert!(grade(&[1], &[1]));
        assert!(!grade(&[1], &[2]));
        assert!(grade(&[0, 2], &[2, 0]));
        assert!(!grade(&[0, 2], &[0]));
        assert!(!grade(&[0, 2], &[0, 1, 2]));
        assert!(!grade(&[0], &[]));
    }

    proptest! {
        #[test]
        fn shuffle_is_a_permutation(n in 0usize..8, seed in any::<u64>()) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut order = shuffled_order(n, &mut rng);
            order.sort_unstable();
            prop_assert_eq!(order, (0..n).collect::<Vec<_>>());
        }

        #[test]
        fn same_seed_same_order(n in 0usize..8, seed in any::<u64>()) {
            let a = shuffled_order(n, &mut ChaCha8Rng::seed_from_u64(seed));
            let b = shuffled_order(n, &mut ChaCha8Rng::seed_from_u64(seed));
            prop_assert_eq!(a, b);
        }
    }
}
