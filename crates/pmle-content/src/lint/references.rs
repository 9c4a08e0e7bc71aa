//! Reference quality beyond "is the host official": a reference must be the product
//! documentation page for the fact, not a client-library class page, a raw Markdown export or
//! a documentation home page (docs/content-format.md, "References").

use crate::diag::Diagnostic;
use crate::model::Location;
use crate::parse::Parsed;

/// Client-library reference trees: generated per-language class pages, not product docs.
const CLIENT_LIBRARY_PATHS: [&str; 8] = [
    "/ruby/docs/reference",
    "/java/docs/reference",
    "/dotnet/docs/reference",
    "/python/docs/reference",
    "/nodejs/docs/reference",
    "/go/docs/reference",
    "/php/docs/reference",
    "/cpp/docs/reference",
];

/// What is wrong with `url` as a reference, if anything. `allow_docs_root` admits a product's
/// documentation home (for catalog entries, whose `docs-url` is exactly that).
pub(crate) fn problem(url: &str, allow_docs_root: bool) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let path = format!("/{}", path.to_ascii_lowercase());
    if host == "googleapis.dev" || host.ends_with(".googleapis.dev") {
        return Some(format!(
            "reference `{url}` is a client-library page on googleapis.dev; cite the product documentation page for the fact"
        ));
    }
    if let Some(p) = CLIENT_LIBRARY_PATHS.iter().find(|p| path.contains(*p)) {
        return Some(format!(
            "reference `{url}` is a client-library class page ({p}); cite the product documentation page that explains the fact"
        ));
    }
    if path.ends_with(".md.txt") {
        return Some(format!(
            "reference `{url}` is a raw Markdown export; cite the page itself (the same address without `.md.txt`)"
        ));
    }
    let trimmed = path.trim_end_matches('/');
    if !allow_docs_root && (trimmed.is_empty() || trimmed.ends_with("/docs")) {
        return Some(format!(
            "reference `{url}` is a documentation home page; cite the page that states the fact"
        ));
    }
    None
}

pub(super) fn check(p: &Parsed, d: &mut Vec<Diagnostic>) {
    let mut each = |what: String, refs: &[String], at: &Location, allow_root: bool| {
        for r in refs {
            if let Some(msg) = problem(r, allow_root) {
                let msg = format!("{what}: {msg}");
                d.push(Diagnostic::error(at, "weak-reference", msg));
            }
        }
    };
    for q in &p.questions {
        each(
            format!("question `{}`", q.id),
            &q.references,
            &q.location,
            false,
        );
    }
    for c in &p.cards {
        each(
            format!("card `{}`", c.id),
            &c.references,
            &c.location,
            false,
        );
    }
    for n in &p.notes {
        each(
            format!("note `{}`", n.id),
            &n.references,
            &n.location,
            false,
        );
        // The reading list at the end of a note is learner-facing too.
        let linked: Vec<String> = n
            .body
            .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '"' | '`'))
            .filter(|w| w.starts_with("https://"))
            .map(|w| w.trim_end_matches(['.', ',', ';', ':']).to_owned())
            .collect();
        each(
            format!("note `{}` (body)", n.id),
            &linked,
            &n.location,
            false,
        );
    }
    for x in &p.products {
        each(
            format!("product `{}`", x.id),
            std::slice::from_ref(&x.docs_url),
            &x.location,
            true,
        );
    }
    for x in &p.decisions {
        each(
            format!("decision `{}`", x.id),
            &x.references,
            &x.location,
            false,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn client_library_pages_are_rejected() {
        for url in [
            "https://cloud.google.com/ruby/docs/reference/google-cloud-ai_platform-v1/latest/X",
            "https://docs.cloud.google.com/dotnet/docs/reference/Google.Cloud.Vision.V1/latest/T",
            "https://cloud.google.com/java/docs/reference/google-cloud-aiplatform/3.10.0/com.X",
            "https://cloud.google.com/python/docs/reference/aiplatform/latest/google.cloud.aiplatform.Y",
            "https://cloud.google.com/nodejs/docs/reference/aiplatform/latest",
            "https://cloud.google.com/go/docs/reference/cloud.google.com/go/aiplatform/latest",
            "https://docs.cloud.google.com/php/docs/reference/cloud-ai-platform/latest/V1.E",
            "https://googleapis.dev/java/google-cloud-translate/latest/index.html",
        ] {
            let m = problem(url, false).unwrap_or_default();
            assert!(m.contains("client-library"), "{url}: {m}");
        }
    }

    #[test]
    fn markdown_exports_are_rejected() {
        let m = problem(
            "https://docs.cloud.google.com/document-ai/docs/extracting-overview.md.txt",
            false,
        );
        assert!(m.unwrap_or_default().contains("without `.md.txt`"));
    }

    #[test]
    fn documentation_home_pages_are_rejected_except_for_catalog_entries() {
        for url in [
            "https://cloud.google.com/dlp/docs",
            "https://docs.cloud.google.com/vision/docs/",
            "https://cloud.google.com/natural-language/docs?hl=en",
            "https://cloud.google.com/",
        ] {
            assert!(problem(url, false).is_some(), "{url}");
        }
        assert!(problem("https://cloud.google.com/colab/docs", true).is_none());
    }

    #[test]
    fn product_documentation_pages_pass() {
        for url in [
            "https://cloud.google.com/vision/docs/features-list",
            "https://docs.cloud.google.com/sensitive-data-protection/docs/deidentify-sensitive-data",
            "https://cloud.google.com/bigquery/docs/reference/standard-sql/bigqueryml-syntax-create",
            "https://www.tensorflow.org/guide/distributed_training",
            "https://developers.google.com/machine-learning/glossary",
        ] {
            assert_eq!(problem(url, false), None, "{url}");
        }
    }
}
