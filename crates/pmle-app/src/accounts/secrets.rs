//! Secrets and the rules for what people type: tokens, password hashing, constant-time
//! comparison, and the e-mail and password rules.
//!
//! Tokens and salts come from the operating system's CSPRNG (`getrandom`), never from the
//! seeded generator the study engine uses: they must be unpredictable, and no test needs
//! their values. This is the one source of entropy below the binary (ARCHITECTURE.md,
//! invariant 6).

use std::sync::OnceLock;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};

use super::AccountError;

/// argon2id memory cost in KiB: 19 MiB, the first of OWASP's equivalent argon2id settings
/// (Password Storage Cheat Sheet: m=19 MiB, t=2, p=1), which is also the `argon2` crate's
/// default.
pub const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
/// argon2id passes over memory.
pub const ARGON2_ITERATIONS: u32 = 2;
/// argon2id lanes.
pub const ARGON2_PARALLELISM: u32 = 1;

/// Bytes in a token: 256 bits.
pub const TOKEN_BYTES: usize = 32;
/// Characters of a token in URL-safe base64 without padding.
pub const TOKEN_CHARS: usize = 43;

/// The longest e-mail address accepted (RFC 5321's limit on a path, less the brackets).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Password length bounds, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A new random token, URL-safe: 256 bits from the OS CSPRNG.
pub(crate) fn new_token() -> Result<String, AccountError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Entropy(e.to_string()))?;
    Ok(Base64UrlUnpadded::encode_string(&bytes))
}

/// The SHA-256 of a token, as stored; `None` when `token` is not the shape of one of ours
/// (so that nothing else reaches the database).
pub(crate) fn token_hash(token: &str) -> Option<[u8; 32]> {
    let mut bytes = [0u8; TOKEN_BYTES];
    if token.len() != TOKEN_CHARS
        || Base64UrlUnpadded::decode(token, &mut bytes).map(<[u8]>::len) != Ok(TOKEN_BYTES)
    {
        return None;
    }
    Some(Sha256::digest(token.as_bytes()).into())
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(
        ARGON2_MEMORY_KIB,
        ARGON2_ITERATIONS,
        ARGON2_PARALLELISM,
        None,
    )
    .unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The argon2id PHC string of `password` with a fresh 128-bit salt.
pub(super) fn hash_password(password: &str) -> Result<String, AccountError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AccountError::Entropy(e.to_string()))?;
    hasher()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` matches `hash`; with no hash (an unknown e-mail, a user who has not
/// set a password) the same work is done against a dummy hash and the answer is false, so
/// the time taken does not tell which accounts exist. The comparison of the outputs is
/// constant-time (the `password-hash` crate's `Output`).
pub(super) fn verify_password(password: &str, hash: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| {
        hash_password("a password no account has, to spend the same time").unwrap_or_default()
    });
    let ok = hasher()
        .verify_password(password.as_bytes(), hash.unwrap_or(dummy.as_str()))
        .is_ok();
    ok && hash.is_some()
}

/// Compare two secrets in time that depends only on their lengths (for the CSRF field a
/// form echoes against the session's secret).
pub fn secrets_match(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Check an e-mail address as typed; the address itself (its case kept) or why it is not
/// one. The rule is deliberately narrower than RFC 5322: ASCII only, one `@`, no spaces,
/// quotes or control characters, a domain of dot-separated letters, digits and hyphens.
pub fn check_email(email: &str) -> Result<&str, AccountError> {
    let bad = |why: &str| AccountError::InvalidEmail(why.to_owned());
    if email.is_empty() {
        return Err(bad("it is empty"));
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(bad(&format!(
            "it is longer than {MAX_EMAIL_CHARS} characters"
        )));
    }
    if let Some(c) = email.chars().find(|c| c.is_control()) {
        return Err(bad(&format!(
            "it contains the control character U+{:04X}",
            c as u32
        )));
    }
    if email.chars().any(char::is_whitespace) {
        return Err(bad("it contains a space"));
    }
    if !email.is_ascii() {
        return Err(bad(
            "it contains a character outside ASCII (write an international domain in its xn-- form)",
        ));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(bad("it has no @"));
    };
    if domain.contains('@') {
        return Err(bad("it has more than one @"));
    }
    if local.is_empty() || local.len() > 64 {
        return Err(bad("the part before the @ must have 1 to 64 characters"));
    }
    if let Some(c) = local.chars().find(|c| "\"(),:;<>[\\]".contains(*c)) {
        return Err(bad(&format!("the part before the @ contains {c:?}")));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad(
            "the part before the @ may not start or end with a dot, or have two in a row",
        ));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels.iter().any(|l| {
            l.is_empty()
                || l.len() > 63
                || l.starts_with('-')
                || l.ends_with('-')
                || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
    {
        return Err(bad(
            "the part after the @ must be a domain such as example.com (letters, digits and \
             hyphens between dots)",
        ));
    }
    Ok(email)
}

/// Check a new password: 12 to 128 characters, and not the account's e-mail address.
pub fn check_password(password: &str, email: &str) -> Result<(), AccountError> {
    let rule = || {
        format!(
            "a password needs {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters and \
             may not be your e-mail address"
        )
    };
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AccountError::WeakPassword(format!(
            "this one has {n} characters; {}",
            rule()
        )));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AccountError::WeakPassword(format!(
            "this one has {n} characters; {}",
            rule()
        )));
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(AccountError::WeakPassword(format!(
            "this one is your e-mail address; {}",
            rule()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_url_safe_and_differ() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), TOKEN_CHARS);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(a, b);
        assert!(token_hash(&a).is_some());
        assert_ne!(token_hash(&a), token_hash(&b));
        // Not the shape of a token: never hashed, never sent to the database.
        assert_eq!(token_hash(""), None);
        assert_eq!(token_hash(&a[1..]), None);
        assert_eq!(token_hash(&format!("{}!", &a[1..])), None);
    }

    #[test]
    fn hashes_are_argon2id_with_the_stated_parameters_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct horse battery", Some(&h)));
        assert!(!verify_password("correct horse batterY", Some(&h)));
        assert!(!verify_password("correct horse battery", None));
        // Salted: the same password hashes differently.
        assert_ne!(h, hash_password("correct horse battery").unwrap());
    }

    #[test]
    fn secrets_match_only_when_equal() {
        assert!(secrets_match("abc", "abc"));
        assert!(!secrets_match("abc", "abd"));
        assert!(!secrets_match("abc", "ab"));
        assert!(!secrets_match("abc", ""));
    }

    #[test]
    fn emails_are_checked_with_reasons() {
        assert_eq!(
            check_email("Ada.Lovelace+pmle@Example.org").unwrap(),
            "Ada.Lovelace+pmle@Example.org"
        );
        for (input, reason) in [
            ("", "empty"),
            ("ada", "no @"),
            ("a@b@c.org", "more than one @"),
            ("@example.org", "1 to 64"),
            ("ada@", "domain"),
            ("ada@localhost", "domain"),
            ("ada@exa_mple.org", "domain"),
            ("ada@-x.org", "domain"),
            ("ada lovelace@example.org", "space"),
            ("ada\u{7}@example.org", "U+0007"),
            ("ada\n@example.org", "U+000A"),
            ("adä@example.org", "ASCII"),
            ("a..b@example.org", "two in a row"),
            ("\"a\"@example.org", "'\"'"),
        ] {
            let e = check_email(input).unwrap_err().to_string();
            assert!(e.contains(reason), "{input:?}: {e}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(
            check_email(&long)
                .unwrap_err()
                .to_string()
                .contains("longer than 254")
        );
        let local = format!("{}@example.org", "a".repeat(65));
        assert!(
            check_email(&local)
                .unwrap_err()
                .to_string()
                .contains("1 to 64")
        );
    }

    #[test]
    fn passwords_follow_the_stated_rule() {
        let email = "ada@example.org";
        assert!(check_password("twelve chars", email).is_ok());
        assert!(check_password(&"é".repeat(128), email).is_ok());
        for (pw, what) in [
            ("eleven char", "has 11 characters"),
            (&"x".repeat(129), "has 129 characters"),
            ("ADA@example.org", "your e-mail address"),
        ] {
            let e = check_password(pw, email).unwrap_err().to_string();
            assert!(e.contains(what), "{e}");
            assert!(e.contains("12 to 128 characters"), "the rule is said: {e}");
        }
    }
}
