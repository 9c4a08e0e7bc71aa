//! Full-text search over notes, questions, cards and the product catalog.
//!
//! A small BM25 index held in memory: the whole pack is a few megabytes, so building the
//! index takes milliseconds and needs no database. Former product names are first-class:
//! a query that names a retired or renamed product ranks the current product first and says
//! which alias matched ("AutoML Tables" → Agent Platform AutoML).

use std::collections::HashMap;

use serde::Serialize;

use crate::model::Pack;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Product,
    Note,
    Question,
    Card,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Product => "product",
            DocKind::Note => "note",
            DocKind::Question => "question",
            DocKind::Card => "card",
        }
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: DocKind,
    pub id: String,
    pub title: String,
    pub snippet: String,
    pub score: f64,
    /// For products: a former name of this product that the query matched, if any.
    pub alias: Option<String>,
    /// For products: this entry's own status when it is not active ("deprecated",
    /// "retired"), with its date if the catalog gives one. It describes this entry only.
    pub status: Option<String>,
    pub status_date: Option<String>,
    /// For products: the retired or deprecated entry the query named that this product
    /// replaces. Its status belongs to it, not to this hit.
    pub replaces: Option<Replaced>,
}

/// A retired or deprecated catalog entry that led the search to its successor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replaced {
    pub id: String,
    pub name: String,
    /// The replaced entry's status: "deprecated" or "retired".
    pub status: String,
}

struct Doc {
    kind: DocKind,
    id: String,
    title: String,
    body: String,
    len: usize,
    tf: HashMap<String, u32>,
    aliases: Vec<String>,
    /// Products that are not active: (status, date).
    status: Option<(String, Option<String>)>,
    /// What a snippet may quote when not the body: a card's front (its back is the answer).
    preview: Option<String>,
}

/// An index over one pack.
pub struct SearchIndex {
    docs: Vec<Doc>,
    /// For retired or deprecated products: the id of their successor.
    successors: HashMap<String, String>,
    df: HashMap<String, u32>,
    avg_len: f64,
}

const K1: f64 = 1.2;
const B: f64 = 0.75;
const TITLE_WEIGHT: u32 = 3;

pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn normalise(text: &str) -> String {
    tokens(text).collect::<Vec<_>>().join(" ")
}

impl SearchIndex {
    pub fn build(pack: &Pack) -> SearchIndex {
        let mut docs = Vec::new();
        for p in &pack.products {
            let body = format!(
                "{} {} {} {} {}",
                p.former_names.join(". "),
                p.purpose,
                p.exam_tip,
                p.status.as_str(),
                p.status_note
            );
            let mut d = doc(
                DocKind::Product,
                &p.id,
                &p.name,
                body,
                p.former_names.clone(),
            );
            if p.status != crate::model::ProductStatus::Active {
                d.status = Some((
                    p.status.as_str().to_owned(),
                    p.status_date.map(|d| d.to_string()),
                ));
            }
            docs.push(d);
        }
        for n in &pack.notes {
            docs.push(doc(DocKind::Note, &n.id, &n.title, n.body.clone(), vec![]));
        }
        for q in &pack.questions {
            let opts: Vec<&str> = q.options.iter().map(|o| o.text.as_str()).collect();
            let body = format!("{}\n{}", q.stem, opts.join("\n"));
            docs.push(doc(
                DocKind::Question,
                &q.id,
                &first_line(&q.stem),
                body,
                vec![],
            ));
        }
        for c in &pack.cards {
            let body = format!("{}\n{}", c.front, c.back);
            let mut d = doc(DocKind::Card, &c.id, &first_line(&c.front), body, vec![]);
            // The back is searched but never quoted: a hit must not give the answer away.
            d.preview = Some(c.front.clone());
            docs.push(d);
        }
        let mut df: HashMap<String, u32> = HashMap::new();
        for d in &docs {
            for t in d.tf.keys() {
                *df.entry(t.clone()).or_default() += 1;
            }
        }
        let avg_len = if docs.is_empty() {
            1.0
        } else {
            docs.iter().map(|d| d.len as f64).sum::<f64>() / docs.len() as f64
        };
        let successors = pack
            .products
            .iter()
            .filter_map(|p| p.successor.clone().map(|next| (p.id.clone(), next)))
            .collect();
        SearchIndex {
            docs,
            df,
            avg_len,
            successors,
        }
    }

    /// The best `limit` hits for `query`, best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let terms: Vec<String> = tokens(query).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let phrase = terms.join(" ");
        let n = self.docs.len() as f64;
        let mut hits: Vec<Hit> = Vec::new();
        for d in &self.docs {
            let mut score = 0.0;
            for t in &terms {
                let Some(&tf) = d.tf.get(t) else { continue };
                let df = f64::from(self.df.get(t).copied().unwrap_or(1));
                let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                let tf = f64::from(tf);
                score +=
                    idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * d.len as f64 / self.avg_len));
            }
            let alias = d
                .aliases
                .iter()
                .find(|a| {
                    let a = normalise(a);
                    a == phrase
                        || (terms.len() >= 2 && contains_phrase(&a, &phrase))
                        || contains_phrase(&phrase, &a)
                })
                .cloned();
            let name_match = d.kind == DocKind::Product && normalise(&d.title) == phrase;
            if alias.is_some() || name_match {
                score += 100.0;
            } else if score == 0.0 {
                continue;
            }
            hits.push(hit(d, &terms, score, alias));
        }
        // A name of a retired or deprecated product leads to the product that replaced it:
        // rank the successor just above, saying which name led there (unless the query named
        // the successor itself) and which entry it replaces. The old entry's status stays on
        // the old entry.
        let mut extra: Vec<(String, f64, String, Replaced)> = Vec::new();
        for h in hits
            .iter()
            .filter(|h| h.kind == DocKind::Product && h.score >= 100.0)
        {
            let Some(next) = self.successors.get(&h.id) else {
                continue;
            };
            let replaced = Replaced {
                id: h.id.clone(),
                name: h.title.clone(),
                status: h.status.clone().unwrap_or_default(),
            };
            let via = h.alias.clone().unwrap_or_else(|| h.title.clone());
            extra.push((next.clone(), h.score + 1.0, via, replaced));
        }
        for (next, score, via, replaced) in extra {
            if let Some(h) = hits
                .iter_mut()
                .find(|h| h.kind == DocKind::Product && h.id == next)
            {
                h.score = h.score.max(score);
                h.alias.get_or_insert(via);
                h.replaces.get_or_insert(replaced);
            } else if let Some(d) = self
                .docs
                .iter()
                .find(|d| d.kind == DocKind::Product && d.id == next)
            {
                let mut h = hit(d, &terms, score, Some(via));
                h.replaces = Some(replaced);
                hits.push(h);
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(limit);
        hits
    }
}

fn hit(d: &Doc, terms: &[String], score: f64, alias: Option<String>) -> Hit {
    let (status, status_date) = match &d.status {
        Some((s, date)) => (Some(s.clone()), date.clone()),
        None => (None, None),
    };
    Hit {
        kind: d.kind,
        id: d.id.clone(),
        title: d.title.clone(),
        snippet: snippet(d.preview.as_deref().unwrap_or(&d.body), terms),
        score,
        alias,
        status,
        status_date,
        replaces: None,
    }
}

fn contains_phrase(haystack: &str, needle: &str) -> bool {
    format!(" {haystack} ").contains(&format!(" {needle} "))
}

fn doc(kind: DocKind, id: &str, title: &str, body: String, aliases: Vec<String>) -> Doc {
    let mut tf: HashMap<String, u32> = HashMap::new();
    let mut len = 0;
    for t in tokens(title) {
        *tf.entry(t).or_default() += TITLE_WEIGHT;
        len += 1;
    }
    for t in tokens(&body) {
        *tf.entry(t).or_default() += 1;
        len += 1;
    }
    Doc {
        kind,
        id: id.to_owned(),
        title: title.to_owned(),
        body,
        len,
        tf,
        aliases,
        status: None,
        preview: None,
    }
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    truncate(line, 90)
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// About 160 characters of `body` around the first query term.
fn snippet(body: &str, terms: &[String]) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = flat.to_lowercase();
    let pos = terms
        .iter()
        .filter_map(|t| lower.find(t.as_str()))
        .min()
        .unwrap_or(0);
    let start_char = lower[..pos].chars().count().saturating_sub(60);
    let text: String = flat.chars().skip(start_char).collect();
    let lead = if start_char > 0 { "…" } else { "" };
    format!("{lead}{}", truncate(&text, 160))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> Pack {
        // Far enough ahead that no last-verified date is in the future.
        let today = crate::model::Date {
            year: 2100,
            month: 1,
            day: 1,
        };
        crate::load(&crate::PackSource::embedded(), today).expect("the embedded pack loads")
    }

    #[test]
    fn snippet_handles_multibyte_text() {
        let s = snippet(
            "Précision — rappel et F1 sont des métriques",
            &["f1".into()],
        );
        assert!(s.contains("F1"));
    }

    /// "feature store" names both the current Feature Store (former name "Vertex AI Feature
    /// Store") and the deprecated legacy one. The legacy entry's status once leaked onto the
    /// current entry's label ("formerly Vertex AI Feature Store (Legacy), deprecated").
    #[test]
    fn status_labels_stay_on_their_own_entry() {
        let pack = embedded();
        let index = SearchIndex::build(&pack);
        let hits = index.search("feature store", 10);
        let current = hits
            .iter()
            .find(|h| h.id == "agent-platform-feature-store")
            .expect("the current Feature Store is found");
        let legacy = hits
            .iter()
            .find(|h| h.id == "feature-store-legacy")
            .expect("the legacy Feature Store is found");
        assert_eq!(current.status, None, "{current:?}");
        assert_eq!(current.alias.as_deref(), Some("Vertex AI Feature Store"));
        assert!(
            !current
                .alias
                .as_deref()
                .unwrap_or("")
                .contains("deprecated"),
            "{current:?}"
        );
        assert_eq!(
            current
                .replaces
                .as_ref()
                .map(|r| (r.id.as_str(), r.status.as_str())),
            Some(("feature-store-legacy", "deprecated"))
        );
        assert_eq!(legacy.status.as_deref(), Some("deprecated"));
        assert_eq!(legacy.status_date.as_deref(), Some("2026-05-17"));
        assert_eq!(legacy.replaces, None);
        // The current product still ranks above the entry it replaces.
        let pos = |id: &str| hits.iter().position(|h| h.id == id).unwrap();
        assert!(pos("agent-platform-feature-store") < pos("feature-store-legacy"));
    }

    /// A former name of a retired product still leads to its successor, which says what it
    /// replaces without taking on the old status.
    #[test]
    fn a_retired_name_leads_to_its_successor() {
        let pack = embedded();
        let hits = SearchIndex::build(&pack).search("AutoML Tables", 5);
        let first = &hits[0];
        assert_eq!(first.id, "agent-platform-automl", "{first:?}");
        assert_eq!(first.alias.as_deref(), Some("AutoML Tables"));
        assert_eq!(first.status, None, "{first:?}");
        assert_eq!(
            first
                .replaces
                .as_ref()
                .map(|r| (r.id.as_str(), r.status.as_str())),
            Some(("automl-tables", "retired"))
        );
    }

    /// A card found by words on its back is listed by its front: the snippet never quotes
    /// the answer.
    #[test]
    fn card_snippets_do_not_quote_the_back() {
        let pack = embedded();
        let index = SearchIndex::build(&pack);
        let mut checked = 0;
        for c in pack.cards.iter().take(40) {
            let back_words: String = c
                .back
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
                .join(" ");
            for h in index.search(&back_words, 50) {
                if h.kind == DocKind::Card && h.id == c.id {
                    checked += 1;
                    let flat_front: String =
                        c.front.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !flat_front.contains(&back_words) {
                        assert!(!h.snippet.contains(&back_words), "{}: {}", c.id, h.snippet);
                    }
                }
            }
        }
        assert!(checked >= 20, "only {checked} cards found by their back");
    }

    #[test]
    fn phrases_match_whole_words() {
        assert!(contains_phrase("automl tables", "automl tables"));
        assert!(!contains_phrase("automl tablesx", "automl tables"));
    }
}
