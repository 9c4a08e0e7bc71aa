//! Is a reference official documentation? The URL is parsed and normalised (WHATWG rules,
//! the `url` crate) before its host and path are compared, so `..` segments, percent-encoded
//! dots, user names and ports cannot dress another page up as an official one.

use url::Url;

/// Is `url` an https link to one of the official hosts (or host/path prefixes)?
///
/// An entry of `official` is a host (`cloud.google.com`, which also admits its subdomains)
/// or a host and a path prefix (`github.com/tensorflow/`), compared segment by segment
/// against the normalised path.
pub fn is_official_url(url: &str, official: &[String]) -> Result<(), String> {
    if !url.starts_with("https://") {
        return Err(format!("reference `{url}` must start with https://"));
    }
    let invalid = |why: &str| Err(format!("reference `{url}` is not a valid URL: {why}"));
    if url.contains(|c: char| c.is_whitespace() || c.is_control() || c == '\\') {
        return invalid("it holds a space, a backslash or a control character");
    }
    let Ok(parsed) = Url::parse(url) else {
        return invalid("it does not parse");
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return invalid("it names a user (`user@host`); link to the page itself");
    }
    if parsed.port().is_some() {
        return invalid("it names a port; official pages are on the default https port");
    }
    let Some(url::Host::Domain(host)) = parsed.host() else {
        return invalid("its host must be a domain name");
    };
    let raw_path = raw_path(url);
    if has_dot_segment(raw_path) {
        return invalid("its path holds a `.` or `..` segment; link to the page itself");
    }
    let path = parsed.path().strip_prefix('/').unwrap_or(parsed.path());
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") {
        return invalid("its path hides `.`, `/` or `\\` in percent-encoding");
    }
    let ok = official.iter().any(|entry| match entry.split_once('/') {
        None => host == entry || host.ends_with(&format!(".{entry}")),
        Some((h, prefix)) => host == h && under(path, prefix),
    });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "reference `{url}` is not official documentation; cite a page on one of the hosts in \
             pack.toml [references] official (e.g. cloud.google.com)"
        ))
    }
}

/// Is `path` at or below `prefix`, whole segments only (`tensorflow` does not admit
/// `tensorflow-evil/`)?
fn under(path: &str, prefix: &str) -> bool {
    if prefix.is_empty() || prefix.ends_with('/') {
        return path.starts_with(prefix);
    }
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The path as written: after the host, before any query or fragment.
fn raw_path(url: &str) -> &str {
    let rest = url.strip_prefix("https://").unwrap_or(url);
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let end = path.find(['?', '#']).unwrap_or(path.len());
    &path[..end]
}

/// A `.` or `..` segment, written plainly or percent-encoded (`%2e`, `%2E`).
fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|seg| {
        let seg = seg.to_ascii_lowercase().replace("%2e", ".");
        seg == "." || seg == ".."
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hosts() -> Vec<String> {
        [
            "cloud.google.com",
            "github.com/tensorflow/",
            "github.com/google",
        ]
        .map(str::to_owned)
        .to_vec()
    }

    #[test]
    fn official_urls() {
        let hosts = hosts();
        assert!(is_official_url("https://cloud.google.com/bigquery/docs", &hosts).is_ok());
        assert!(is_official_url("https://docs.cloud.google.com/x", &hosts).is_ok());
        assert!(is_official_url("https://CLOUD.google.com/x?q=1#frag", &hosts).is_ok());
        assert!(is_official_url("https://github.com/tensorflow/tfx", &hosts).is_ok());
        assert!(is_official_url("https://github.com/google/jax", &hosts).is_ok());
        assert!(is_official_url("https://github.com/someone/tfx", &hosts).is_err());
        assert!(is_official_url("http://cloud.google.com/x", &hosts).is_err());
        assert!(is_official_url("https://evilcloud.google.com.example.com/", &hosts).is_err());
        assert!(is_official_url("https://notcloud.google.com/", &hosts).is_err());
    }

    #[test]
    fn dot_dot_segments_do_not_pass_as_official() {
        let hosts = hosts();
        for url in [
            "https://github.com/tensorflow/../evil/x",
            "https://github.com/tensorflow/./../evil/x",
            "https://github.com/tensorflow/%2e%2e/evil/x",
            "https://github.com/tensorflow/%2E%2E/evil/x",
            "https://github.com/tensorflow/.%2e/evil/x",
            "https://github.com/tensorflow/x%2f..%2f..%2fevil",
            "https://github.com/tensorflow\\..\\evil",
            "https://cloud.google.com/./x",
        ] {
            assert!(is_official_url(url, &hosts).is_err(), "{url} passed");
        }
    }

    #[test]
    fn userinfo_ports_and_odd_hosts_do_not_pass_as_official() {
        let hosts = hosts();
        for url in [
            "https://cloud.google.com@evil.example/x",
            "https://user:pw@cloud.google.com/x",
            "https://cloud.google.com:8443/x",
            "https://cloud.google.com:443@evil.example/",
            "https://github.com/google-evil/x",
            "https://142.250.0.1/x",
            "https://[::1]/x",
            "https://cloud.google.com%2eevil.example/x",
            "https://cloud.google.com\u{1b}[2J/x",
        ] {
            assert!(is_official_url(url, &hosts).is_err(), "{url} passed");
        }
    }

    proptest! {
        /// Whatever follows an official prefix, a URL that passes resolves under it.
        #[test]
        fn a_passing_url_stays_under_its_prefix(tail in "[a-z0-9./%_-]{0,30}") {
            let url = format!("https://github.com/tensorflow/{tail}");
            if is_official_url(&url, &hosts()).is_ok() {
                let parsed = Url::parse(&url).unwrap();
                prop_assert!(parsed.path().starts_with("/tensorflow/"), "{url} -> {}", parsed.path());
                prop_assert!(!parsed.path().contains("/../"));
            }
        }

        #[test]
        fn never_panics(url in "\\PC{0,60}") {
            let _ = is_official_url(&url, &hosts());
            let _ = is_official_url(&format!("https://{url}"), &hosts());
        }
    }
}
