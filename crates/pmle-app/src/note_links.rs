//! What a study note links to: the questions on its topics, most relevant first, and the
//! catalog entries it names.

use pmle_content::model::{Note, Question};

use crate::{App, Link};

/// How closely question `q` is about note `n`: each topic they share counts
/// `1 / ((i + 1) (j + 1))`, where `i` is the topic's place in the note's list and `j` its place
/// in the question's (both lists put the main topic first). A question mainly about the note's
/// main topic scores 1; one that touches a secondary topic of the note in passing scores less.
pub(crate) fn relevance(n: &Note, q: &Question) -> f64 {
    n.topics
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let j = q.topics.iter().position(|x| x == t)?;
            Some(1.0 / ((i + 1) as f64 * (j + 1) as f64))
        })
        .sum()
}

impl App {
    /// What a note connects to: questions on its topics (id, first words of the stem), most
    /// relevant first (`relevance`; ties: the note's own section first, then pack order), and
    /// catalog entries it names, by current or former name (id, current name).
    pub fn note_links(&self, note_id: &str) -> (Vec<Link>, Vec<Link>) {
        let Some(n) = self.pack.notes.iter().find(|n| n.id == note_id) else {
            return (Vec::new(), Vec::new());
        };
        let mut scored: Vec<(f64, bool, &Question)> = self
            .pack
            .questions
            .iter()
            .filter(|q| !q.retired)
            .map(|q| (relevance(n, q), q.section != n.section, q))
            .filter(|(r, ..)| *r > 0.0)
            .collect();
        // A stable sort keeps pack order among equals.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let questions = scored
            .into_iter()
            .map(|(_, _, q)| {
                let plain: String = q.stem.chars().filter(|c| !matches!(c, '`' | '*')).collect();
                let words: Vec<&str> = plain.split_whitespace().take(14).collect();
                (q.id.clone(), format!("{}…", words.join(" ")))
            })
            .collect();
        let body = n.body.to_lowercase();
        let products = self
            .pack
            .products
            .iter()
            .filter(|p| {
                std::iter::once(&p.name)
                    .chain(&p.former_names)
                    .any(|name| name.len() > 3 && body.contains(&name.to_lowercase()))
            })
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect();
        (questions, products)
    }
}
