//! The HTTP face of the broker: the contract's routes (matched case-insensitively), bearer
//! authentication, problem details, a 1 MiB body cap, and plain or TLS listeners with
//! graceful shutdown.

mod auth;
mod catalog;
mod exec;
mod extract;
mod health;
mod paging;
mod problem;
mod session;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::Uri;
use axum::routing::get;
use axum::{Json, Router};
use tower::ServiceBuilder;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::broker::Broker;
use crate::core::ManualClock;
use problem::ApiError;

pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

pub struct AppState {
    pub broker: Arc<Broker>,
    /// Set only by `pamctl server --manual-clock` (tests): `POST /api/v1/Test/Clock` moves it.
    pub manual_clock: Option<Arc<ManualClock>>,
}

#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Routes are registered in lower case; requests are lower-cased before routing (see
/// [`canonical_path`]), which makes every route case-insensitive as NPS's are.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/signinbody", axum::routing::post(auth::sign_in_body))
        .route("/signin2fa", axum::routing::post(auth::sign_in_2fa))
        .route(
            "/api/v1/usertoken",
            get(auth::refresh_token).delete(auth::revoke_token),
        )
        .route("/api/v1/currentuser", get(auth::current_user))
        .route("/api/v1/version", get(version))
        .route("/api/v1/health", get(health::health))
        .route("/api/v1/activity", get(catalog::activities))
        .route("/api/v1/platform", get(catalog::platforms))
        .route("/api/v1/accesscontrolpolicy", get(catalog::access_policies))
        .route(
            "/api/v1/accesscontrolpolicy/{id}",
            get(catalog::access_policy),
        )
        .route(
            "/api/v1/accesscontrolpolicy/searchresources/{id}",
            get(catalog::access_policy_resources),
        )
        .route(
            "/api/v1/accesscontrolpolicy/searchactivities/{id}",
            get(catalog::access_policy_activities),
        )
        .route(
            "/api/v1/accesscontrolpolicy/searchmanagedaccounts/{id}",
            get(catalog::access_policy_accounts),
        )
        .route(
            "/api/v1/managedaccount/search",
            get(catalog::search_accounts),
        )
        .route("/api/v1/activity/{id}", get(catalog::activity))
        .route("/api/v1/managedresource", get(catalog::resources))
        .route(
            "/api/v1/managedresource/search",
            get(catalog::search_resources),
        )
        .route("/api/v1/managedresource/{id}", get(catalog::resource))
        .route(
            "/api/v1/accesscontrolpolicy/activitycardwithpolicies",
            get(catalog::activity_cards),
        )
        .route(
            "/api/v1/accesscontrolpolicy/activitysessionresources",
            get(catalog::activity_session_resources),
        )
        .route(
            "/api/v1/activitysession",
            get(session::list).post(session::create),
        )
        .route(
            "/api/v1/activitysession/group",
            axum::routing::post(session::create_group),
        )
        .route("/api/v1/activitysession/search", get(session::search))
        .route("/api/v1/activitysession/count", get(session::count))
        .route(
            "/api/v1/activitysession/approvalcheck",
            get(session::approval_check),
        )
        .route("/api/v1/activitysession/approvals", get(session::approvals))
        .route(
            "/api/v1/activitysession/{id}/approve",
            axum::routing::post(session::approve),
        )
        .route(
            "/api/v1/activitysession/{id}/deny",
            axum::routing::post(session::deny),
        )
        .route(
            "/api/v1/activitysession/lock",
            axum::routing::put(session::lock),
        )
        .route(
            "/api/v1/activitysession/summarybyid/{id}",
            get(session::summary_by_id),
        )
        .route(
            "/api/v1/activitysession/summarybystatus/{status}",
            get(session::summary_by_status),
        )
        .route(
            "/api/v1/activitysession/mysummarybystatus/{status}",
            get(session::my_summary_by_status),
        )
        .route(
            "/api/v1/activitysession/summaryforresource/{id}",
            get(session::summary_for_resource),
        )
        .route(
            "/api/v1/activitysession/{id}",
            get(session::get).delete(session::end),
        )
        .route(
            "/api/v1/activitysession/{id}/extend",
            axum::routing::post(session::extend),
        )
        .route("/api/v1/activitysession/{id}/log", get(session::log))
        .route(
            "/api/v1/activitysession/{id}/password",
            get(session::password),
        )
        .route(
            "/api/v1/activitysession/{id}/canviewpassword",
            get(session::can_view_password),
        )
        .route(
            "/api/v1/activitysession/{id}/connection",
            get(session::connection),
        )
        .route(
            "/api/v1/activitysession/{id}/exec",
            axum::routing::post(exec::exec),
        )
        .route("/api/v1/activitysession/{id}/activity", get(exec::activity))
        .route(
            "/api/v1/activitysession/{id}/activity/{entry}",
            get(exec::activity_entry),
        )
        .route(
            "/api/v1/activitysession/{id}/activity/{entry}/rerun",
            axum::routing::post(exec::rerun),
        )
        .route(
            "/api/v1/activitysession/{id}/activity/{entry}/approve",
            axum::routing::post(exec::approve),
        )
        .route(
            "/api/v1/activitysession/{id}/activity/{entry}/deny",
            axum::routing::post(exec::deny),
        )
        .route(
            "/api/v1/activitysession/statementapprovals",
            get(exec::statement_approvals),
        )
        .route("/api/v1/activitysession/ssh/{id}", get(session::ssh_url))
        .route("/api/v1/activitysession/rdp/{id}", get(session::rdp_file))
        .route(
            "/api/v1/activitysession/{id}/resolve",
            axum::routing::post(session::resolve),
        )
        .route("/api/v1/test/clock", axum::routing::post(move_clock))
        .route(
            "/api/v1/activitysession/{id}/login",
            axum::routing::post(session::login_detected),
        )
        .fallback(|| async { ApiError::not_found_route() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "this endpoint does not take that method",
            )
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockMove {
    advance_seconds: i64,
}

/// `POST /api/v1/Test/Clock` (only with `--manual-clock`, admins only): moves the broker's
/// clock forward and wakes its loops, so tests see expiry without waiting for it.
async fn move_clock(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    extract::Authenticated(caller): extract::Authenticated,
    extract::WireJson(body): extract::WireJson<ClockMove>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Some(clock) = &state.manual_clock else {
        return Err(ApiError::not_found_route());
    };
    if !caller.is_admin() {
        return Err(crate::broker::BrokerError::Forbidden(
            "only admins may move the test clock".to_owned(),
        )
        .into());
    }
    let now = clock.advance(chrono::Duration::seconds(body.advance_seconds));
    state.broker.wake_scheduler();
    Ok(Json(serde_json::json!({ "now": now })))
}

/// Unlike Health, Version needs a signed-in caller, as in Privilege Secure.
async fn version(_caller: extract::Authenticated) -> Json<String> {
    Json(env!("CARGO_PKG_VERSION").to_owned())
}

/// Lower-cases the path (ids are UUIDs, which compare case-insensitively) and drops a
/// trailing slash; the query string is left as sent.
fn canonical_path(mut request: Request) -> Request {
    let uri = request.uri();
    let path = uri.path();
    let mut canonical = path.to_lowercase();
    while canonical.len() > 1 && canonical.ends_with('/') {
        canonical.pop();
    }
    if canonical != path {
        let path_and_query = match uri.query() {
            Some(query) => format!("{canonical}?{query}"),
            None => canonical,
        };
        let mut parts = uri.clone().into_parts();
        if let Ok(pq) = path_and_query.parse() {
            parts.path_and_query = Some(pq);
            if let Ok(uri) = Uri::from_parts(parts) {
                *request.uri_mut() = uri;
            }
        }
    }
    request
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish (up to 30 s).
pub async fn serve(
    listener: std::net::TcpListener,
    state: Arc<AppState>,
    tls: Option<TlsFiles>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    raise_open_file_limit();
    let timeout = state.broker.settings().http_timeout;
    // An outer router that only forwards, so the path is canonical before the real routing.
    let app = Router::new()
        .fallback_service(
            ServiceBuilder::new()
                .map_request(canonical_path)
                .service(router(state)),
        )
        .layer(axum::middleware::from_fn(problem::with_instance))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(timeout));
    let make_service = app.into_make_service_with_connect_info::<SocketAddr>();

    let handle = axum_server::Handle::new();
    let shutdown_handle = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        shutdown_handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
    });

    match tls {
        Some(files) => {
            let config =
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key)
                    .await
                    .map_err(|e| {
                        std::io::Error::new(
                            e.kind(),
                            format!(
                                "cannot load TLS certificate {} and key {}: {e}",
                                files.cert.display(),
                                files.key.display()
                            ),
                        )
                    })?;
            let mut server = axum_server::from_tcp_rustls(listener, config);
            with_timeouts(server.http_builder(), timeout);
            server.handle(handle).serve(make_service).await
        }
        None => {
            let mut server = axum_server::from_tcp(listener);
            with_timeouts(server.http_builder(), timeout);
            server.handle(handle).serve(make_service).await
        }
    }
}

/// A connection that sends no complete request headers within `timeout` is closed: a slow
/// client, and an idle keep-alive connection, cannot hold a socket for ever (hyper applies the
/// header timeout between keep-alive requests too). Bodies have the same limit (a layer).
fn with_timeouts(
    builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>,
    timeout: std::time::Duration,
) {
    builder
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(timeout);
    builder
        .http2()
        .timer(hyper_util::rt::TokioTimer::new())
        .keep_alive_interval(Some(timeout))
        .keep_alive_timeout(timeout);
}

/// Raises the soft limit on open files to the hard one: every client socket is a file, and at
/// the usual soft limit (1,024) a few hundred idle connections would leave the scheduler and
/// the database without descriptors.
fn raise_open_file_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            let wanted = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &wanted) != 0 {
                tracing::warn!("cannot raise the open-file limit above {}", limit.rlim_cur);
            }
        }
    }
}
