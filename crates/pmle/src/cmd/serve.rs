//! `pmle serve`: the web UI on loopback (or beyond, with a token).

use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::Cli;
use crate::context::open_app;

/// A secret for the forms of this server run, from the operating system's random source.
fn secret() -> String {
    let mut bytes = [0u8; 16];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .is_err()
    {
        let nanos = std::time::SystemTime::UNIX_EPOCH
            .elapsed()
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes.copy_from_slice(&(nanos ^ u128::from(std::process::id())).to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn run(
    cli: &Cli,
    addr: SocketAddr,
    open: bool,
    token: Option<String>,
) -> Result<ExitCode> {
    pmle_web::check_bind(addr, token.is_some())?;
    let app = open_app(cli, None)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening on {addr}"))?;
        let local = listener.local_addr()?;
        let url = match &token {
            Some(t) => format!("http://{local}/?token={t}"),
            None => format!("http://{local}/"),
        };
        println!("pmle is serving on {url} (Ctrl-C stops it)");
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
        pmle_web::serve(app, listener, stop, secret(), token).await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
