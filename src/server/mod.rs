//! The HTTP face of the broker: the contract's routes (matched case-insensitively), bearer
//! authentication, problem details, a 1 MiB body cap, and plain or TLS listeners with
//! graceful shutdown.

mod audit;
mod auth;
mod catalog;
mod ending;
mod exec;
mod extract;
mod health;
mod limit;
mod openapi;
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
use axum::{Json, Router};
use tower::ServiceBuilder;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

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

/// Every route with its OpenAPI description (see [`openapi`]): a handler is served only
/// through `routes!`, which reads the path and method from its `#[utoipa::path]`. Paths are in
/// lower case; requests are lower-cased before routing (see [`canonical_path`]), which makes
/// every route case-insensitive as NPS's are.
pub fn api_routes() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(auth::sign_in_body))
        .routes(routes!(auth::sign_in_2fa))
        .routes(routes!(auth::refresh_token, auth::revoke_token))
        .routes(routes!(auth::current_user))
        .routes(routes!(version))
        .routes(routes!(health::health))
        .routes(routes!(openapi::openapi_json))
        .routes(routes!(catalog::activities))
        .routes(routes!(catalog::platforms))
        .routes(routes!(catalog::access_policies))
        .routes(routes!(catalog::access_policy))
        .routes(routes!(catalog::access_policy_resources))
        .routes(routes!(catalog::access_policy_activities))
        .routes(routes!(catalog::access_policy_accounts))
        .routes(routes!(catalog::search_accounts))
        .routes(routes!(catalog::activity))
        .routes(routes!(catalog::resources))
        .routes(routes!(catalog::search_resources))
        .routes(routes!(catalog::resource))
        .routes(routes!(catalog::activity_cards))
        .routes(routes!(catalog::activity_session_resources))
        .routes(routes!(session::list, session::create))
        .routes(routes!(session::create_group))
        .routes(routes!(session::search))
        .routes(routes!(session::count))
        .routes(routes!(session::approval_check))
        .routes(routes!(session::approvals))
        .routes(routes!(session::approve))
        .routes(routes!(session::deny))
        .routes(routes!(session::lock))
        .routes(routes!(ending::end_many))
        .routes(routes!(session::summary_by_id))
        .routes(routes!(session::summary_by_status))
        .routes(routes!(session::my_summary_by_status))
        .routes(routes!(session::summary_for_resource))
        .routes(routes!(session::get, session::end))
        .routes(routes!(session::extend))
        .routes(routes!(session::log))
        .routes(routes!(session::ssh_url))
        .routes(routes!(session::rdp_file))
        .routes(routes!(session::resolve))
        .routes(routes!(session::share))
        .routes(routes!(session::password))
        .routes(routes!(session::can_view_password))
        .routes(routes!(session::connection))
        .routes(routes!(auth::list_tokens, auth::revoke_user_tokens))
        .routes(routes!(auth::revoke_token_by_id))
        .routes(routes!(audit::list))
        .routes(routes!(exec::exec))
        .routes(routes!(exec::activity))
        .routes(routes!(exec::activity_entry))
        .routes(routes!(exec::rerun))
        .routes(routes!(exec::approve))
        .routes(routes!(exec::deny))
        .routes(routes!(exec::statement_approvals))
        .routes(routes!(move_clock))
        .routes(routes!(session::login_detected))
}

pub fn router(state: Arc<AppState>) -> Router {
    let (routes, _) = api_routes().split_for_parts();
    routes
        .fallback(|| async { ApiError::not_found_route() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "this endpoint does not take that method",
            )
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit::record_refusals,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClockMove {
    advance_seconds: i64,
}

/// `POST /api/v1/Test/Clock` (only with `--manual-clock`, admins only): moves the broker's
/// clock forward and wakes its loops, so tests see expiry without waiting for it.
#[utoipa::path(
    post,
    path = "/api/v1/test/clock",
    operation_id = "moveTestClock",
    tag = "Service",
    description = "Test servers only (`--manual-clock`; otherwise 404), admins only: moves the broker's clock forward.",
    request_body = ClockMove,
    responses(
        (status = 200, description = "The broker's time after the move", body = Object),
        (status = 403, response = openapi::Forbidden),
        (status = 404, response = openapi::NotFound),
    ),
)]
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
#[utoipa::path(
    get,
    path = "/api/v1/version",
    operation_id = "getVersion",
    tag = "Service",
    responses((status = 200, description = "The server's version", content_type = "application/json", body = String)),
)]
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
    let open_file_limit = raise_open_file_limit();
    let timeout = state.broker.settings().http_timeout;
    let limit = connection_limit(state.broker.settings().max_connections, open_file_limit);
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
            let mut server =
                axum_server::from_tcp_rustls(listener, config).map(|tls| tls.acceptor(limit));
            with_timeouts(server.http_builder(), timeout);
            server.handle(handle).serve(make_service).await
        }
        None => {
            let mut server = axum_server::from_tcp(listener).acceptor(limit);
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

/// `max_connections` as configured, or derived from the open-file limit; never so many that
/// client connections could take the descriptors the rest of the broker needs.
fn connection_limit(configured: Option<u32>, open_file_limit: u64) -> limit::ConnectionLimit {
    let ceiling = limit::default_max_connections(open_file_limit);
    let max = match configured.map(u64::from) {
        Some(wanted) if wanted > ceiling => {
            tracing::warn!(
                max_connections = wanted,
                open_file_limit,
                reserve = limit::DESCRIPTOR_RESERVE,
                used = ceiling,
                "max_connections is more than the open-file limit leaves free; using less"
            );
            ceiling
        }
        Some(wanted) => wanted,
        None => ceiling,
    };
    tracing::info!(max_connections = max, open_file_limit, "connection limit");
    limit::ConnectionLimit::new(max)
}

/// Raises the soft limit on open files to the hard one, and answers the soft limit now in
/// force: every client socket is a file, and at the usual soft limit (1,024) a few hundred
/// idle connections would leave the scheduler and the database without descriptors.
fn raise_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1_024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let wanted = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &wanted) == 0 {
                return wanted.rlim_cur;
            }
            tracing::warn!("cannot raise the open-file limit above {}", limit.rlim_cur);
        }
    }
    limit.rlim_cur
}
