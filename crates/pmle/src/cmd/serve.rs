//! `pmle serve`: the web UI on loopback (or beyond, with an access token).

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{Cli, LogFormatArg};
use crate::context::{open_app, open_app_on_postgres, open_team_on_postgres};

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

/// What a server behind a load balancer needs: a request log, a CSRF secret shared by all.
#[derive(Clone, Copy)]
pub(crate) struct Ops<'a> {
    pub(crate) log_format: Option<LogFormatArg>,
    pub(crate) csrf_secret_file: Option<&'a Path>,
    pub(crate) team: bool,
    pub(crate) secure_cookies: bool,
    pub(crate) trust_proxy: bool,
}

/// The CSRF secret: read from `file` (trimmed; as strong as an access token must be), or a
/// random one for this run.
fn csrf_secret(file: Option<&Path>) -> Result<String> {
    let Some(file) = file else {
        return random_hex(16);
    };
    let text = std::fs::read_to_string(file).with_context(|| {
        format!(
            "reading the CSRF secret from {}; make one with: openssl rand -hex 32 > FILE",
            file.display()
        )
    })?;
    let secret = text.trim();
    pmle_web::check_token(secret).map_err(|e| {
        anyhow::anyhow!(
            "the CSRF secret in {} is not usable: {}",
            file.display(),
            e.to_string().replace("access token", "secret")
        )
    })?;
    Ok(secret.to_owned())
}

pub(crate) fn run(
    cli: &Cli,
    addr: SocketAddr,
    open: bool,
    token: Option<String>,
    allow_host: &[String],
    database: Option<&str>,
    ops: Ops<'_>,
) -> Result<ExitCode> {
    if ops.team {
        if database.is_none() {
            anyhow::bail!(
                "--team needs PostgreSQL: give --database postgres://USER:PASSWORD@HOST:PORT/DATABASE (or set PMLE_DATABASE_URL)"
            );
        }
        if token.is_some() {
            anyhow::bail!(
                "--token is for one learner's server; a --team server lets in only logged-in users: leave out --token"
            );
        }
    } else if ops.secure_cookies || ops.trust_proxy {
        anyhow::bail!("--secure-cookies and --trust-proxy are for a --team server");
    }
    let made = token.is_none() && !addr.ip().is_loopback() && !ops.team;
    let token = if ops.team {
        None
    } else {
        access_token(addr, token)?
    };
    let hosts = pmle_web::AllowedHosts::new(allow_host)?;
    pmle_web::check_bind(addr, token.is_some() || ops.team)?;
    if database.is_some() && cli.db.is_some() {
        anyhow::bail!(
            "--db chooses an SQLite file and --database (or PMLE_DATABASE_URL) a PostgreSQL database: give only one"
        );
    }
    let (app, team) = match database {
        Some(url) if ops.team => {
            let (app, team) = open_team_on_postgres(cli, url, ops.secure_cookies, ops.trust_proxy)?;
            (app, Some(team))
        }
        Some(url) => (open_app_on_postgres(cli, url)?, None),
        None => (open_app(cli, None)?, None),
    };
    let mut options = pmle_web::Options::new(csrf_secret(ops.csrf_secret_file)?, token);
    options.team = team;
    options.hosts = hosts;
    // Ids made here start with a random prefix, so two servers' ids never collide.
    options.request_id_prefix = random_hex(4)?;
    options.log = ops.log_format.map(|f| {
        let format = match f {
            LogFormatArg::Text => pmle_web::LogFormat::Text,
            LogFormatArg::Json => pmle_web::LogFormat::Json,
        };
        std::sync::Arc::new(pmle_web::RequestLog::new(
            format,
            Box::new(pmle_app::SystemClock),
            Box::new(std::io::stderr()),
        ))
    });
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
    fn a_shared_csrf_secret_is_read_from_its_file_and_must_be_strong() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("csrf");
        std::fs::write(
            &file,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n",
        )
        .unwrap();
        assert_eq!(
            csrf_secret(Some(&file)).unwrap(),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
        std::fs::write(&file, "short\n").unwrap();
        let err = csrf_secret(Some(&file)).unwrap_err().to_string();
        assert!(
            err.contains("too easy to guess") && err.contains("csrf"),
            "{err}"
        );
        let err = csrf_secret(Some(&dir.path().join("missing"))).unwrap_err();
        assert!(format!("{err:#}").contains("openssl rand"), "{err:#}");
        let (a, b) = (csrf_secret(None).unwrap(), csrf_secret(None).unwrap());
        assert_ne!(a, b, "a random one per run");
        assert_eq!(a.len(), 32);
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
