//! Open any pack item by id: a question (hidden key unless revealed), a flashcard, a note or
//! a catalog entry. `pmle show ID`, the TUI's search and the web's pages all call
//! [`App::open`], so an id that search prints opens everywhere.

use serde::Serialize;

use crate::{App, AppError};

/// One item of the pack, as a front end shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Opened {
    Question(OpenedQuestion),
    Card(OpenedCard),
    Note(OpenedNote),
    Product(OpenedProduct),
}

impl Opened {
    pub fn id(&self) -> &str {
        match self {
            Opened::Question(q) => &q.id,
            Opened::Card(c) => &c.id,
            Opened::Note(n) => &n.id,
            Opened::Product(p) => &p.id,
        }
    }
}

/// A question with its options in authoring order. Unless `revealed`, no option carries
/// whether it is correct or its explanation: what is not revealed is not sent.
#[derive(Debug, Clone, Serialize)]
pub struct OpenedQuestion {
    pub id: String,
    pub section_id: String,
    pub section_title: String,
    pub difficulty: u8,
    /// Topic ids (what `pmle practice --topic ID` takes).
    pub topics: Vec<String>,
    /// How many options the answer takes (1 for single select).
    pub choose: u32,
    pub stem: String,
    pub options: Vec<OpenedOption>,
    pub revealed: bool,
    /// Retired questions are kept for history but never drawn.
    pub retired: bool,
    pub references: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenedOption {
    pub letter: char,
    pub text: String,
    /// `None` unless revealed.
    pub correct: Option<bool>,
    /// `None` unless revealed.
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenedCard {
    pub id: String,
    pub section_id: String,
    pub front: String,
    /// The answer side: `None` unless revealed.
    pub back: Option<String>,
    pub revealed: bool,
    pub references: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenedNote {
    pub id: String,
    pub title: String,
    pub section_id: String,
    /// Markdown.
    pub body: String,
    pub references: Vec<String>,
    /// The references the body does not already cite: what to list after it.
    pub more_references: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenedProduct {
    pub id: String,
    pub name: String,
    pub former_names: Vec<String>,
    pub purpose: String,
    pub exam_tip: String,
    /// "active", "deprecated" or "retired": this entry's own status.
    pub status: String,
    pub status_date: Option<String>,
    pub status_note: String,
    pub docs_url: String,
    /// (id, name) of the entry that replaced this one.
    pub successor: Option<(String, String)>,
}

/// How many close ids an unknown id suggests.
const SUGGESTIONS: usize = 3;

impl App {
    /// The pack item with this id. Ids are unique within a kind; were one shared across kinds
    /// the question wins, then the card, the note and the catalog entry. With `reveal` a
    /// question carries its key and every explanation, and a flashcard its back; without it
    /// neither is in the result.
    pub fn open(&self, id: &str, reveal: bool) -> Result<Opened, AppError> {
        let pack = &self.pack;
        let id = id.trim();
        if let Some(q) = pack.question(id) {
            return Ok(Opened::Question(OpenedQuestion {
                id: q.id.clone(),
                section_id: q.section.clone(),
                topics: q.topics.clone(),
                section_title: pack
                    .section(&q.section)
                    .map(|s| s.title.clone())
                    .unwrap_or_default(),
                difficulty: q.difficulty,
                choose: q.kind.choose(),
                stem: q.stem.clone(),
                options: q
                    .options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| OpenedOption {
                        letter: pmle_content::letter(i),
                        text: o.text.clone(),
                        correct: reveal.then_some(o.correct),
                        explanation: reveal.then(|| o.explanation.clone()),
                    })
                    .collect(),
                revealed: reveal,
                retired: q.retired,
                references: q.references.clone(),
            }));
        }
        if let Some(c) = pack.cards.iter().find(|c| c.id == id) {
            return Ok(Opened::Card(OpenedCard {
                id: c.id.clone(),
                section_id: c.section.clone(),
                front: c.front.clone(),
                back: reveal.then(|| c.back.clone()),
                revealed: reveal,
                references: c.references.clone(),
            }));
        }
        if let Some(n) = pack.notes.iter().find(|n| n.id == id) {
            return Ok(Opened::Note(OpenedNote {
                id: n.id.clone(),
                title: n.title.clone(),
                section_id: n.section.clone(),
                body: n.body.clone(),
                references: n.references.clone(),
                more_references: n.references_not_in_body().into_iter().cloned().collect(),
            }));
        }
        if let Some(p) = pack.products.iter().find(|p| p.id == id) {
            let successor = p.successor.as_ref().map(|s| {
                let name = pack
                    .products
                    .iter()
                    .find(|x| &x.id == s)
                    .map(|x| x.name.clone())
                    .unwrap_or_default();
                (s.clone(), name)
            });
            return Ok(Opened::Product(OpenedProduct {
                id: p.id.clone(),
                name: p.name.clone(),
                former_names: p.former_names.clone(),
                purpose: p.purpose.clone(),
                exam_tip: p.exam_tip.clone(),
                status: p.status.as_str().to_owned(),
                status_date: p.status_date.map(|d| d.to_string()),
                status_note: p.status_note.clone(),
                docs_url: p.docs_url.clone(),
                successor,
            }));
        }
        Err(AppError::UnknownId {
            id: id.to_owned(),
            suggestions: self.closest_ids(id),
        })
    }

    /// Up to three ids close to `id`: those that contain it (shortest first), then those
    /// within a few edits.
    pub(crate) fn closest_ids(&self, id: &str) -> Vec<String> {
        let pack = &self.pack;
        let all = pack
            .questions
            .iter()
            .map(|q| &q.id)
            .chain(pack.cards.iter().map(|c| &c.id))
            .chain(pack.notes.iter().map(|n| &n.id))
            .chain(pack.products.iter().map(|p| &p.id));
        let wanted = id.to_lowercase();
        if wanted.is_empty() {
            return Vec::new();
        }
        let limit = (wanted.chars().count() / 3).max(2);
        let mut scored: Vec<(usize, usize, &String)> = all
            .filter_map(|c| {
                let lower = c.to_lowercase();
                if lower.contains(&wanted) {
                    Some((0, c.len(), c))
                } else {
                    let d = edit_distance(&wanted, &lower);
                    (d <= limit).then_some((1 + d, c.len(), c))
                }
            })
            .collect();
        scored.sort();
        scored.dedup_by(|a, b| a.2 == b.2);
        scored
            .into_iter()
            .take(SUGGESTIONS)
            .map(|(_, _, c)| c.clone())
            .collect()
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        let today = pmle_content::model::Date {
            year: 2100,
            month: 1,
            day: 1,
        };
        App::new(
            crate::load_pack(None, today).unwrap(),
            Box::new(pmle_store::SqliteStore::open_in_memory().unwrap()),
            Box::new(crate::ManualClock::new(1_795_000_000_000)),
            1,
            ":memory:",
        )
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn a_question_opens_without_its_key_unless_revealed() {
        let app = app();
        let id = app.pack().questions[0].id.clone();
        let Opened::Question(q) = app.open(&id, false).unwrap() else {
            panic!("a question id opens a question");
        };
        assert!(!q.revealed);
        assert!(!q.options.is_empty());
        assert!(
            q.options
                .iter()
                .all(|o| o.correct.is_none() && o.explanation.is_none())
        );
        let json = serde_json::to_string(&Opened::Question(q)).unwrap();
        assert!(!json.contains("\"correct\":true"), "{json}");
        let Opened::Question(q) = app.open(&id, true).unwrap() else {
            panic!("a question id opens a question");
        };
        let key: Vec<bool> = app.pack().questions[0]
            .options
            .iter()
            .map(|o| o.correct)
            .collect();
        assert_eq!(
            q.options.iter().map(|o| o.correct).collect::<Vec<_>>(),
            key.into_iter().map(Some).collect::<Vec<_>>()
        );
        assert!(q.options.iter().all(|o| o.explanation.is_some()));
    }

    #[test]
    fn every_kind_of_id_opens() {
        let app = app();
        let pack = app.pack();
        let card = &pack.cards[0].id;
        let note = &pack.notes[0].id;
        let product = &pack.products[0].id;
        assert!(
            matches!(app.open(card, false).unwrap(), Opened::Card(c) if &c.id == card && c.back.is_none())
        );
        assert!(
            matches!(app.open(card, true).unwrap(), Opened::Card(c) if c.back.as_ref() == Some(&pack.cards[0].back))
        );
        assert!(matches!(app.open(note, false).unwrap(), Opened::Note(n) if &n.id == note));
        assert!(
            matches!(app.open(product, false).unwrap(), Opened::Product(p) if &p.id == product)
        );
    }

    #[test]
    fn every_search_hit_opens() {
        let app = app();
        for query in ["feature store", "AutoML Tables", "recall", "pipelines"] {
            for h in app.search(query, 50) {
                let opened = app.open(&h.id, false).unwrap();
                assert_eq!(opened.id(), h.id);
                assert_eq!(
                    serde_json::to_value(&opened).unwrap()["kind"],
                    h.kind.as_str()
                );
            }
        }
    }

    #[test]
    fn an_unknown_id_suggests_close_ones() {
        let app = app();
        let id = app.pack().questions[0].id.clone();
        // One character dropped from a real id.
        let typo: String = id.chars().take(id.len() - 1).collect::<String>() + "x";
        match app.open(&typo, false) {
            Err(AppError::UnknownId {
                id: got,
                suggestions,
            }) => {
                assert_eq!(got, typo);
                assert!(suggestions.contains(&id), "{suggestions:?}");
                assert!(suggestions.len() <= SUGGESTIONS);
            }
            other => panic!("expected UnknownId, got {other:?}"),
        }
        let err = app.open("zzzz-nothing-like-it-9999", false).unwrap_err();
        assert!(err.to_string().contains("pmle search"), "{err}");
    }
}
