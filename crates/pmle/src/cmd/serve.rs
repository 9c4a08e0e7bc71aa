//! `pmle serve`: the web UI on loopback (or beyond, with an access token).

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::Cli;
use crate::context::{open_app, open_app_on_postgres};

/// `bytes` random bytes from the operating system, as lowercase hex. No fallback: a secret
/// that could be guessed is worse than not starting.
fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| {
        anyhow::anyhow!("the operating system's random source failed ({e}); pass --token SECRET")
    })?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// The token this run uses: the one given (checked), a new one when listening beyond
/// loopback without one, or none on loopback.
fn access_token(addr: SocketAddr, given: Option<String>) -> Result<Option<String>> {
    match given {
        Some(t) => {
            pmle_web::check_token(&t)?;
            Ok(Some(t))
        }
        None if !addr.ip().is_loopback() => Ok(Some(random_hex(16)?)),
        None => Ok(None),
    }
}

/// The address to open: the token, if any, percent-encoded so `&`, `#` and spaces survive.
fn url(local: SocketAddr, token: Option<&str>) -> String {
    match token {
        Some(t) => {
            let t: String = percent_encode(t);
            format!("http://{local}/?token={t}")
        }
        None => format!("http://{local}/"),
    }
}

fn percent_encode(t: &str) -> String {
    let mut out = String::new();
    for b in t.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub(crate) fn run(
    cli: &Cli,
    addr: SocketAddr,
    open: bool,
    token: Option<String>,
    allow_host: &[String],
    database: Option<&str>,
) -> Result<ExitCode> {
    let made = token.is_none() && !addr.ip().is_loopback();
    let token = access_token(addr, token)?;
    let hosts = pmle_web::AllowedHosts::new(allow_host)?;
    pmle_web::check_bind(addr, token.is_some())?;
    if database.is_some() && cli.db.is_some() {
        anyhow::bail!(
            "--db chooses an SQLite file and --database (or PMLE_DATABASE_URL) a PostgreSQL database: give only one"
        );
    }
    let app = match database {
        Some(url) => open_app_on_postgres(cli, url)?,
        None => open_app(cli, None)?,
    };
    let mut options = pmle_web::Options::new(random_hex(16)?, token);
    options.hosts = hosts;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        let local = listener.local_addr()?;
        let url = url(local, options.token.as_deref());
        println!("pmle is serving on {url} (Ctrl-C stops it)");
        if made {
            eprintln!(
                "a new access token was made for this run: every device needs the address above once (--token SECRET chooses one)"
            );
        }
        if open
            && std::process::Command::new("xdg-open")
                .arg(&url)
                .spawn()
                .is_err()
        {
            eprintln!("could not start a browser (xdg-open); open {url} yourself");
        }
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        pmle_web::serve_with(app, listener, stop, options).await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_access_token_is_refused_at_startup() {
        let addr: SocketAddr = "0.0.0.0:7878".parse().unwrap();
        let err = access_token(addr, Some(String::new())).unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
        let err = access_token(addr, Some("s3cret".to_owned())).unwrap_err();
        assert!(err.to_string().contains("too easy to guess"), "{err}");
    }

    #[test]
    fn beyond_loopback_without_a_token_one_is_made() {
        let made = access_token("0.0.0.0:7878".parse().unwrap(), None)
            .unwrap()
            .unwrap();
        assert_eq!(made.len(), 32);
        assert!(pmle_web::check_token(&made).is_ok());
        assert_eq!(
            access_token("127.0.0.1:7878".parse().unwrap(), None).unwrap(),
            None
        );
    }

    #[test]
    fn the_printed_address_carries_a_token_with_ampersand_hash_and_space() {
        let local: SocketAddr = "127.0.0.1:7878".parse().unwrap();
        assert_eq!(
            url(local, Some("a&b#c d+e%f/g")),
            "http://127.0.0.1:7878/?token=a%26b%23c%20d%2Be%25f%2Fg"
        );
        assert_eq!(url(local, None), "http://127.0.0.1:7878/");
    }
}
