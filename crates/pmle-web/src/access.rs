//! Who may talk to the server: the bind policy, the strength of the access token, and the
//! Host names it answers to (the defence against DNS rebinding).

use std::net::{IpAddr, SocketAddr};

use crate::WebError;

/// Loopback is always allowed; any other address needs a token.
pub fn check_bind(addr: SocketAddr, has_token: bool) -> Result<(), WebError> {
    if addr.ip().is_loopback() || has_token {
        Ok(())
    } else {
        Err(WebError::NotLoopback(addr))
    }
}

/// The strength a token must have, in bits.
pub const TOKEN_BITS: f64 = 128.0;

/// Refuse an access token that is empty, holds characters a URL or cookie cannot carry
/// plainly, or is guessable.
///
/// Strength is estimated as `length × log2(alphabet)`, where the alphabet is the smallest of
/// hexadecimal (16 symbols), base64url (64: letters, digits, `-`, `_`, and `+ / =`) and
/// printable ASCII (95) that holds every character. At least [`TOKEN_BITS`] are required:
/// 32 hex digits, 22 base64url characters or 20 of printable ASCII. A token must also use at
/// least 8 different characters, which turns away `aaaa…` and `0101…`. This is an estimate of
/// how the token was made, not a proof: make one with a random generator
/// (`openssl rand -hex 16`), or leave `--token` out and `pmle serve` makes one.
pub fn check_token(token: &str) -> Result<(), WebError> {
    if token.is_empty() {
        return Err(WebError::EmptyToken);
    }
    if !token.chars().all(|c| matches!(c, ' '..='~')) {
        return Err(WebError::TokenCharacters);
    }
    let bits = token_bits(token);
    let mut distinct: Vec<u8> = token.bytes().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if bits < TOKEN_BITS || distinct.len() < 8 {
        return Err(WebError::WeakToken {
            bits: bits.floor() as u32,
            distinct: distinct.len(),
        });
    }
    Ok(())
}

/// The estimated strength of `token` in bits (see [`check_token`]).
pub fn token_bits(token: &str) -> f64 {
    let alphabet: f64 = if token.bytes().all(|b| b.is_ascii_hexdigit()) {
        16.0
    } else if token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'='))
    {
        64.0
    } else {
        95.0
    };
    token.len() as f64 * alphabet.log2()
}

/// The names in the Host header this server answers to.
///
/// Always: `localhost` and any IP address (with any port). A Host that is an address cannot
/// come from DNS rebinding, which needs a name the attacker controls; the port is not
/// checked, so a reverse proxy on another port works. Besides those, only the names given
/// with `--allow-host`.
#[derive(Clone, Debug)]
pub struct AllowedHosts {
    names: Vec<String>,
}

impl Default for AllowedHosts {
    /// `localhost` and IP addresses.
    fn default() -> AllowedHosts {
        AllowedHosts {
            names: vec!["localhost".to_owned()],
        }
    }
}

impl AllowedHosts {
    /// `localhost`, IP addresses and `extra` names (checked with [`check_host_name`]).
    pub fn new(extra: &[String]) -> Result<AllowedHosts, WebError> {
        let mut names = AllowedHosts::default().names;
        for name in extra {
            check_host_name(name)?;
            names.push(name.to_ascii_lowercase());
        }
        Ok(AllowedHosts { names })
    }

    /// Whether a request whose Host header (or absolute URI authority) is `authority` may be
    /// answered.
    pub fn allows(&self, authority: &str) -> bool {
        let Some(host) = host_of(authority) else {
            return false;
        };
        if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            return v6.parse::<std::net::Ipv6Addr>().is_ok();
        }
        host.parse::<IpAddr>().is_ok() || self.names.iter().any(|n| n.eq_ignore_ascii_case(host))
    }
}

/// The host of `host[:port]`, or `None` when the port is not a number or the host is empty.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (h, rest) = authority.split_at(end + 1);
        (h, rest.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty()
        || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    if !authority.starts_with('[') && host.contains(':') {
        return None;
    }
    Some(host)
}

/// A name for `--allow-host`: a DNS name (letters, digits, `-` and `.`), without port or scheme.
pub fn check_host_name(name: &str) -> Result<(), WebError> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    if ok {
        Ok(())
    } else {
        Err(WebError::BadHostName(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_policy() {
        assert!(check_bind("127.0.0.1:7878".parse().unwrap(), false).is_ok());
        assert!(check_bind("[::1]:7878".parse().unwrap(), false).is_ok());
        let err = check_bind("0.0.0.0:7878".parse().unwrap(), false).unwrap_err();
        assert!(err.to_string().contains("--token"));
        assert!(check_bind("0.0.0.0:7878".parse().unwrap(), true).is_ok());
    }

    #[test]
    fn empty_access_token_is_refused() {
        let err = check_token("").unwrap_err();
        assert!(matches!(err, WebError::EmptyToken));
        assert!(err.to_string().contains("leave out --token"), "{err}");
    }

    #[test]
    fn weak_access_tokens_are_refused() {
        for weak in [
            "s3cret",
            "password1234",
            "0123456789abcdef0123456789abcde", // 31 hex digits: 124 bits
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "01010101010101010101010101010101010101",
            "Tr0ub4dor&3 hello",
        ] {
            let err = check_token(weak).unwrap_err();
            assert!(matches!(err, WebError::WeakToken { .. }), "{weak}: {err}");
            assert!(err.to_string().contains("128"), "{err}");
        }
        assert!(matches!(
            check_token("ünïcödé-token-that-is-long-enough").unwrap_err(),
            WebError::TokenCharacters
        ));
        assert!(matches!(
            check_token("tab\there-0123456789abcdefghij").unwrap_err(),
            WebError::TokenCharacters
        ));
    }

    #[test]
    fn strong_access_tokens_are_accepted() {
        for strong in [
            "3f9a1c0e7b2d4f6a8c0e1b3d5f7a9c2e", // openssl rand -hex 16
            "qZ3-x_9KpL2mN8vR4tY6wA",           // 22 base64url characters
            "k9#F &x!2Lp@7q*Z+w$M",             // 20 printable characters, with & # and a space
            "dGhpcyBpcyBhIHRva2VuIGZyb20gYmFzZTY0Cg==",
        ] {
            assert!(
                check_token(strong).is_ok(),
                "{strong}: {}",
                token_bits(strong)
            );
        }
        assert!((token_bits("3f9a1c0e7b2d4f6a8c0e1b3d5f7a9c2e") - 128.0).abs() < 1e-9);
    }

    #[test]
    fn dns_rebinding_hosts_are_refused() {
        let hosts = AllowedHosts::new(&["pmle.lan".to_owned()]).unwrap();
        for ok in [
            "localhost",
            "localhost:7878",
            "LocalHost:1",
            "127.0.0.1:7878",
            "127.0.0.1",
            "[::1]:7878",
            "[::1]",
            "192.168.1.20:7878",
            "pmle.lan:443",
            "PMLE.lan",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:7878",
            "evil.example",
            "localhost.evil.example",
            "localhost.",
            "",
            ":7878",
            "localhost:",
            "localhost:78x",
            "[::1",
            "[evil]:1",
            "::1",
            "127.0.0.1.evil.example",
            "pmle.lan.evil.example",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 300,
            failure_persistence: None,
            ..Default::default()
        })]

        /// Any Host header: no panic; a name other than localhost and the allowed one is
        /// refused whatever port or punctuation surrounds it.
        #[test]
        fn hostile_host_headers_never_panic(host in "\\PC{0,40}", name in "[a-z]{1,12}\\.(example|lan)") {
            let hosts = AllowedHosts::new(&["pmle.lan".to_owned()]).unwrap();
            let _ = hosts.allows(&host);
            proptest::prop_assert!(!hosts.allows(&name) || name == "pmle.lan");
            let with_port = format!("{name}:7878");
            proptest::prop_assert!(!hosts.allows(&with_port) || name == "pmle.lan");
        }

        #[test]
        fn tokens_never_panic_the_strength_check(token in "\\PC{0,64}") {
            let _ = check_token(&token);
        }
    }

    #[test]
    fn allow_host_names_are_checked() {
        assert!(AllowedHosts::new(&["pmle.example.org".to_owned()]).is_ok());
        for bad in ["", "http://x", "x:80", "a..b", "*", "a b", "évil"] {
            let err = AllowedHosts::new(&[bad.to_owned()]).unwrap_err();
            assert!(err.to_string().contains("--allow-host"), "{err}");
        }
    }
}
