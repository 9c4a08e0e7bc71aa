//! Rules for decision trees: every branch leads somewhere, every node is reachable, no loops,
//! and every recommendation names real products and notes.

use std::collections::{HashMap, HashSet};

use crate::diag::Diagnostic;
use crate::parse::Parsed;

pub(super) fn check(p: &Parsed, d: &mut Vec<Diagnostic>) {
    let products: HashSet<&str> = p.products.iter().map(|x| x.id.as_str()).collect();
    let notes: HashSet<&str> = p.notes.iter().map(|x| x.id.as_str()).collect();
    let mut tree_ids = HashSet::new();
    for t in &p.decisions {
        let at = &t.location;
        let what = format!("decision tree `{}`", t.id);
        if !tree_ids.insert(t.id.as_str()) {
            d.push(Diagnostic::error(
                at,
                "duplicate-id",
                format!("{what} is defined twice"),
            ));
        }
        let mut ids: HashMap<&str, bool> = HashMap::new(); // id → is a node
        for n in &t.nodes {
            if ids.insert(n.id.as_str(), true).is_some() {
                d.push(Diagnostic::error(
                    at,
                    "duplicate-id",
                    format!("{what}: id `{}` is used twice", n.id),
                ));
            }
        }
        for r in &t.results {
            if ids.insert(r.id.as_str(), false).is_some() {
                d.push(Diagnostic::error(
                    at,
                    "duplicate-id",
                    format!("{what}: id `{}` is used twice", r.id),
                ));
            }
        }
        if let Some(meta) = &p.meta {
            for r in &t.references {
                if let Err(msg) = crate::lint::is_official_url(r, &meta.official_hosts) {
                    d.push(Diagnostic::error(
                        at,
                        "bad-reference",
                        format!("{what}: {msg}"),
                    ));
                }
            }
        }
        let mut keys = HashSet::new();
        for n in &t.nodes {
            if !keys.insert(n.key.as_str()) {
                d.push(Diagnostic::error(
                    at,
                    "duplicate-key",
                    format!("{what}: answer key `{}` is asked twice", n.key),
                ));
            }
            let mut values = HashSet::new();
            for c in &n.choices {
                if !values.insert(c.value.as_str()) {
                    d.push(Diagnostic::error(
                        at,
                        "duplicate-key",
                        format!("{what}: node `{}` offers `{}` twice", n.id, c.value),
                    ));
                }
                if !ids.contains_key(c.next.as_str()) {
                    d.push(Diagnostic::error(
                        at,
                        "unknown-next",
                        format!(
                            "{what}: choice `{}` of `{}` leads to unknown `{}`",
                            c.value, n.id, c.next
                        ),
                    ));
                }
            }
            if n.choices.len() < 2 {
                d.push(Diagnostic::error(
                    at,
                    "choices",
                    format!("{what}: node `{}` needs at least two choices", n.id),
                ));
            }
        }
        for r in &t.results {
            for (field, id) in [("product", &r.product), ("runner-up", &r.runner_up)] {
                if !products.contains(id.as_str()) {
                    d.push(Diagnostic::error(
                        at,
                        "unknown-product",
                        format!(
                            "{what}: result `{}` {field} `{id}` is not in catalog.toml",
                            r.id
                        ),
                    ));
                }
            }
            for n in &r.notes {
                if !notes.contains(n.as_str()) {
                    d.push(Diagnostic::error(
                        at,
                        "unknown-note",
                        format!("{what}: result `{}` links to unknown note `{n}`", r.id),
                    ));
                }
            }
        }
        // Walk from the start: everything reachable, nothing loops back.
        let by_id: HashMap<&str, &crate::model::DecisionNode> =
            t.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
        let mut seen = HashSet::new();
        let mut on_path = Vec::new();
        walk(&t.start, &by_id, &mut seen, &mut on_path, &what, at, d);
        if !ids.contains_key(t.start.as_str()) {
            d.push(Diagnostic::error(
                at,
                "unknown-next",
                format!("{what}: start `{}` is not a node", t.start),
            ));
        }
        for id in ids.keys().filter(|id| !seen.contains(*id)) {
            d.push(Diagnostic::error(
                at,
                "unreachable",
                format!("{what}: `{id}` cannot be reached from `{}`", t.start),
            ));
        }
    }
}

fn walk<'a>(
    id: &'a str,
    nodes: &HashMap<&'a str, &'a crate::model::DecisionNode>,
    seen: &mut HashSet<&'a str>,
    path: &mut Vec<&'a str>,
    what: &str,
    at: &crate::model::Location,
    d: &mut Vec<Diagnostic>,
) {
    if path.contains(&id) {
        d.push(Diagnostic::error(
            at,
            "cycle",
            format!("{what}: `{id}` leads back to itself"),
        ));
        return;
    }
    if !seen.insert(id) {
        return;
    }
    if let Some(n) = nodes.get(id) {
        path.push(id);
        for c in &n.choices {
            walk(&c.next, nodes, seen, path, what, at, d);
        }
        path.pop();
    }
}
