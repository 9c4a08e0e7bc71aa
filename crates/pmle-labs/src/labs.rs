//! The labs, one module each. Add a lab: write its module, list it in its subject's `LABS` (`neural_training` or `classic_ml`),
//! and give it a test that asserts its phenomenon with numbers.

use crate::lab::Lab;

mod canary;
mod classic_ml;
mod neural_training;

/// Every lab, in the order `pmle lab list` shows them.
pub fn all() -> Vec<&'static dyn Lab> {
    let mut v: Vec<&'static dyn Lab> = Vec::new();
    v.extend_from_slice(neural_training::LABS);
    v.extend_from_slice(classic_ml::LABS);
    v.push(&canary::Canary);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_links_match_the_results_and_ids_are_unique() {
        let labs = all();
        let mut ids: Vec<&str> = labs.iter().map(|l| l.info().id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), labs.len(), "duplicate lab id");
        assert!(labs.len() >= 12, "only {} labs", labs.len());
        for lab in labs {
            let info = lab.info();
            let r = lab.run(1).unwrap();
            assert_eq!(info.questions, r.questions, "{}", info.id);
            assert_eq!(info.notes, r.notes, "{}", info.id);
            assert!(
                !info.questions.is_empty(),
                "{} explains no question",
                info.id
            );
        }
    }
}
