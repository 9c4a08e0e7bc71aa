//! Team mode (`pmle serve --team`): every learner logs in, and each request works on the
//! logged-in learner's own [`App`]. The session cookie names a server-side session row
//! (`pmle_app::accounts`); [`gate`] turns it into the [`Shared`] of this request (the
//! user's app, dashboard cache and CSRF secret), and handlers take that through [`Req`].
//! A request that has no session never reaches a learner's handler: it is sent to /login
//! (a page) or refused with 401 (htmx partials, exports, JSON, forms).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pmle_app::App;
use pmle_app::accounts::{Accounts, SessionUser};

use crate::{DashboardCache, Shared};

/// Makes the app of one user: its store must be scoped to that user id and no other.
pub type AppFactory = Arc<dyn Fn(i64) -> App + Send + Sync>;

/// What a team server needs besides the single-learner options.
#[derive(Clone)]
pub struct Team {
    pub accounts: Arc<Accounts>,
    /// The app of a user id, over a store scoped to that user (`PgPool::store_for`).
    pub app_for: AppFactory,
    /// The server is reached over HTTPS (TLS ends at a proxy such as nginx): the session
    /// cookie is `Secure` and named with the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Count log-in attempts under the last `X-Forwarded-For` hop instead of the socket
    /// peer: only behind a proxy that sets that header, or clients could pick the address
    /// their failures are counted under and escape the rate limit.
    pub trust_proxy: bool,
    /// The clock sessions, links and the rate limit are judged by.
    pub clock: Arc<dyn pmle_app::Clock>,
}

impl std::fmt::Debug for Team {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Team")
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .finish_non_exhaustive()
    }
}

/// One user's app and the caches drawn from it, kept for the life of the server.
#[derive(Clone)]
pub(crate) struct UserApp {
    app: Arc<Mutex<App>>,
    dashboard: Arc<Mutex<Option<DashboardCache>>>,
}

/// How many users' apps a server keeps (each shares the pack but holds its own indexes and
/// caches); the least recently used is dropped beyond this, and made again (empty caches,
/// same data) at its user's next request.
pub(crate) const MAX_CACHED_USERS: usize = 64;

/// Each logged-in user's app, by user id, made by the factory at the user's first request.
struct UserApps {
    app_for: AppFactory,
    capacity: usize,
    users: Mutex<Kept>,
}

/// A counter of hand-outs, and each user's app with the count when it was last handed out.
type Kept = (u64, HashMap<i64, (UserApp, u64)>);

impl UserApps {
    fn new(app_for: AppFactory, capacity: usize) -> UserApps {
        UserApps {
            app_for,
            capacity: capacity.max(1),
            users: Mutex::new((0, HashMap::new())),
        }
    }

    /// The app of `user_id`: the cache is keyed on the user id the session row names,
    /// nothing else.
    fn get(&self, user_id: i64) -> Option<UserApp> {
        {
            let mut guard = self.users.lock().ok()?;
            let (tick, users) = &mut *guard;
            *tick += 1;
            if let Some((u, used)) = users.get_mut(&user_id) {
                *used = *tick;
                return Some(u.clone());
            }
        }
        // Made outside the lock (it clones the pack); of two made at once, the first kept wins.
        let made = UserApp {
            app: Arc::new(Mutex::new((self.app_for)(user_id))),
            dashboard: Arc::new(Mutex::new(None)),
        };
        let mut guard = self.users.lock().ok()?;
        let (tick, users) = &mut *guard;
        if !users.contains_key(&user_id) && users.len() >= self.capacity {
            let oldest = users
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(id, _)| *id);
            if let Some(id) = oldest {
                users.remove(&id);
            }
        }
        Some(users.entry(user_id).or_insert((made, *tick)).0.clone())
    }
}

/// A team server's state: the accounts and each logged-in user's app.
pub(crate) struct TeamState {
    pub(crate) team: Team,
    apps: UserApps,
}

impl TeamState {
    pub(crate) fn new(team: Team) -> TeamState {
        TeamState {
            apps: UserApps::new(team.app_for.clone(), MAX_CACHED_USERS),
            team,
        }
    }

    /// The session cookie's name: `__Host-` pins a Secure cookie to this host and path /.
    pub(crate) fn cookie_name(&self) -> &'static str {
        if self.team.secure_cookies {
            "__Host-pmle_session"
        } else {
            "pmle_session"
        }
    }

    /// The cookie that holds `token`, or (empty and expired) the one that removes it.
    pub(crate) fn cookie(&self, token: Option<&str>) -> HeaderValue {
        let secure = if self.team.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let value = match token {
            Some(t) => format!(
                "{}={t}; HttpOnly; SameSite=Strict; Path=/{secure}",
                self.cookie_name()
            ),
            None => format!(
                "{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}",
                self.cookie_name()
            ),
        };
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The client address log-in attempts are counted under.
    pub(crate) fn client(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> IpAddr {
        client_address(self.team.trust_proxy, headers, peer)
    }
}

/// The socket peer, or with `trust_proxy` the last `X-Forwarded-For` hop (the one the proxy
/// in front appended; the earlier ones are whatever the client sent).
fn client_address(trust_proxy: bool, headers: &HeaderMap, peer: Option<SocketAddr>) -> IpAddr {
    let peer = peer.map_or(IpAddr::from([127, 0, 0, 1]), |p| p.ip());
    if !trust_proxy {
        return peer;
    }
    // Only the very last hop: if it is not an address, an earlier one (the client's own
    // word) is not taken instead.
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .and_then(|hop| hop.trim().parse::<IpAddr>().ok())
        .unwrap_or(peer)
}

/// The socket peer of a connection, as the connection loop records it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Peer(pub(crate) SocketAddr);

/// The value of cookie `name` in the request, if it has one.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .flat_map(|c| c.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name && !v.is_empty()).then_some(v)
        })
}

/// Pages anyone may fetch on a team server: log-in, invitations, probes and static files.
fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/login" | "/healthz" | "/readyz" | "/theme.css" | "/favicon.ico"
    ) || path.starts_with("/invite/")
        || path.starts_with("/static/")
}

/// The request's own state on a team server: [`Shared`] with the user's app, dashboard
/// cache and CSRF secret, and the session (its role included).
#[derive(Clone)]
pub(crate) struct UserShared(pub(crate) Shared);

/// Team mode: find the session the cookie names and hand the request the user's state, or
/// refuse it. Single-learner mode: nothing to do.
pub(crate) async fn gate(State(s): State<Shared>, mut req: Request, next: Next) -> Response {
    let Some(team) = s.team.clone() else {
        return next.run(req).await;
    };
    // Probes and embedded files are the same for everyone: no session lookup for them.
    let path = req.uri().path();
    if path.starts_with("/static/") || matches!(path, "/healthz" | "/readyz" | "/favicon.ico") {
        return next.run(req).await;
    }
    let token = cookie(req.headers(), team.cookie_name()).map(str::to_owned);
    let user = match token {
        Some(token) => {
            let accounts = team.team.accounts.clone();
            let now = team.team.clock.now();
            let found = tokio::task::spawn_blocking(move || accounts.session(&token, now)).await;
            match found {
                Ok(Ok(user)) => user,
                Ok(Err(_)) | Err(_) => {
                    return crate::pages::error_page(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "Something went wrong",
                        "The session could not be checked (the database did not answer). \
                         Try again in a moment.",
                    );
                }
            }
        }
        None => None,
    };
    if let Some(user) = user {
        let Some(own) = team.apps.get(user.user_id) else {
            return crate::pages::busy();
        };
        req.extensions_mut()
            .insert(UserShared(s.for_user(own.app, own.dashboard, user)));
        let mut res = next.run(req).await;
        // One user's page is for that user's browser only, never a shared cache.
        res.headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("private, no-cache"));
        return res;
    }
    if is_public(req.uri().path()) {
        return next.run(req).await;
    }
    refuse(&req)
}

/// No session: a page is sent to the log-in page; what a script or a form asked for gets
/// 401.
fn refuse(req: &Request) -> Response {
    let h = req.headers();
    let wants_page = req.method() == axum::http::Method::GET
        && h.get("hx-request").is_none()
        && !req.uri().path().starts_with("/export")
        && !req.uri().path().ends_with(".json")
        && !h
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("application/json"));
    if wants_page {
        return (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, "/login"),
                (header::CACHE_CONTROL, "no-store"),
            ],
        )
            .into_response();
    }
    crate::pages::error_page(
        StatusCode::UNAUTHORIZED,
        "Log in first",
        "This needs a logged-in session. Open /login, log in, and try again.",
    )
}

impl Shared {
    /// This server's state as one user's request sees it.
    fn for_user(
        &self,
        app: Arc<Mutex<App>>,
        dashboard: Arc<Mutex<Option<DashboardCache>>>,
        user: SessionUser,
    ) -> Shared {
        Shared {
            app,
            dashboard,
            // Forms carry the session's own secret: a token from one session is refused in
            // every other (compared in constant time by `security::expired`).
            csrf: Arc::new(user.csrf_secret.clone()),
            session: Some(Arc::new(user)),
            ..self.clone()
        }
    }
}

/// The state of this request: in single-learner mode the server's; in team mode the
/// logged-in user's (never the server's own app). Every learner page takes this.
pub(crate) struct Req(pub(crate) Shared);

impl FromRequestParts<Shared> for Req {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &Shared) -> Result<Req, Response> {
        if s.team.is_none() {
            return Ok(Req(s.clone()));
        }
        match parts.extensions.get::<UserShared>() {
            Some(u) => Ok(Req(u.0.clone())),
            None => Err(crate::pages::error_page(
                StatusCode::UNAUTHORIZED,
                "Log in first",
                "This needs a logged-in session. Open /login, log in, and try again.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_paths_are_only_login_invitations_probes_and_static_files() {
        for p in [
            "/login",
            "/invite/abc",
            "/healthz",
            "/readyz",
            "/static/app.css",
            "/theme.css",
        ] {
            assert!(is_public(p), "{p}");
        }
        for p in [
            "/",
            "/logout",
            "/export",
            "/export/backup.json",
            "/loginx",
            "/invite",
        ] {
            assert!(!is_public(p), "{p}");
        }
    }

    #[test]
    fn each_user_has_one_app_and_dashboard_of_their_own() {
        let made = Arc::new(Mutex::new(Vec::new()));
        let log = made.clone();
        let apps = UserApps::new(
            Arc::new(move |id| {
                log.lock().unwrap().push(id);
                crate::test_app()
            }),
            2,
        );
        let (a, b, a_again) = (
            apps.get(7).unwrap(),
            apps.get(8).unwrap(),
            apps.get(7).unwrap(),
        );
        assert_eq!(
            *made.lock().unwrap(),
            vec![7, 8],
            "each made once, for its own id"
        );
        assert!(Arc::ptr_eq(&a.app, &a_again.app));
        assert!(Arc::ptr_eq(&a.dashboard, &a_again.dashboard));
        assert!(!Arc::ptr_eq(&a.app, &b.app));
        assert!(!Arc::ptr_eq(&a.dashboard, &b.dashboard));
        // Full: a third user drops the least recently used (8; 7 was asked for since).
        let _c = apps.get(9).unwrap();
        let a_kept = apps.get(7).unwrap();
        assert!(
            Arc::ptr_eq(&a.app, &a_kept.app),
            "7 was used more recently than 8"
        );
        let b_again = apps.get(8).unwrap();
        assert!(!Arc::ptr_eq(&b.app, &b_again.app), "8 was made again");
        assert_eq!(*made.lock().unwrap(), vec![7, 8, 9, 8]);
    }

    #[test]
    fn a_request_of_a_user_holds_their_app_caches_and_csrf_secret_only() {
        let server = Shared::new(
            crate::test_app(),
            crate::Options::new("server-secret".to_owned(), None),
        );
        let own = UserApp {
            app: Arc::new(Mutex::new(crate::test_app())),
            dashboard: Arc::new(Mutex::new(None)),
        };
        let user = SessionUser {
            user_id: 7,
            email: "a@example.test".to_owned(),
            role: pmle_app::accounts::Role::Coach,
            csrf_secret: "session-secret".to_owned(),
        };
        let req = server.for_user(own.app.clone(), own.dashboard.clone(), user.clone());
        assert!(Arc::ptr_eq(&req.app, &own.app));
        assert!(!Arc::ptr_eq(&req.app, &server.app));
        assert!(Arc::ptr_eq(&req.dashboard, &own.dashboard));
        assert!(!Arc::ptr_eq(&req.dashboard, &server.dashboard));
        assert_eq!(*req.csrf, "session-secret");
        assert_eq!(
            req.session.as_deref(),
            Some(&user),
            "the role stays with the request"
        );
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let peer: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9"),
        );
        assert_eq!(
            client_address(false, &h, Some(peer)),
            "10.0.0.2".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            client_address(true, &h, Some(peer)),
            "203.0.113.9".parse::<IpAddr>().unwrap(),
            "the last hop, not the one the client wrote"
        );
        assert_eq!(
            client_address(true, &HeaderMap::new(), Some(peer)),
            "10.0.0.2".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn session_cookie_is_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("xpmle_session=no; pmle_session=yes"),
        );
        assert_eq!(cookie(&h, "pmle_session"), Some("yes"));
        assert_eq!(cookie(&h, "__Host-pmle_session"), None);
    }
}
