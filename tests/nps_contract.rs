//! The CLI against Privilege Secure: a stub that knows only the routes of the NPS 4.2 API
//! reference, with the roles the reference gives them, answers with the reference's model
//! shapes (`tests/nps/`, written from the model docs, not from pamctl's wire types), and
//! records what the CLI sends. This keeps `pamctl` working against NPS, not only against
//! its own broker.

mod common;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use common::{TestEnv, stderr_of, stdout_of};
use serde_json::{Value, json};

const SESSION: &str = "6c0ffee0-0000-4000-8000-000000000001";
const ACTIVITY: &str = "ac000000-0000-4000-8000-000000000001";
const RESOURCE: &str = "4e500000-0000-4000-8000-000000000001";
const USER_TOKEN: &str = "nps-user-token";
const ADMIN_TOKEN: &str = "nps-admin-token";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/nps/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One request the stub received.
#[derive(Debug, Clone)]
struct Received {
    method: Method,
    path: String,
    query: String,
    body: String,
}

#[derive(Clone, Default)]
struct Stub {
    received: Arc<Mutex<Vec<Received>>>,
}

fn problem(status: StatusCode, title: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        json!({"type": "about:blank", "title": title, "status": status.as_u16()}).to_string(),
    )
        .into_response()
}

fn json_reply(status: StatusCode, value: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

/// The session as the reference's ActivitySession, with a few fields changed.
fn session_with(changes: Value) -> Value {
    let mut session = fixture("activity_session.json");
    for (key, value) in changes.as_object().expect("an object") {
        session[key] = value.clone();
    }
    session
}

async fn answer(State(stub): State<Stub>, headers: HeaderMap, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    let body = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .unwrap_or_else(|_| Bytes::new());
    let body = String::from_utf8_lossy(&body).into_owned();
    stub.received.lock().unwrap().push(Received {
        method: method.clone(),
        path: path.clone(),
        query: query.clone(),
        body: body.clone(),
    });
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let admin = token == ADMIN_TOKEN;
    if token != USER_TOKEN && !admin {
        return problem(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let session_path = |id: &str| id == SESSION || id == "6c0ffee0-0000-4000-8000-000000000002";
    match (method.as_str(), segments.as_slice()) {
        ("GET", ["api", "v1", "ActivitySession", "Search"]) => {
            json_reply(StatusCode::OK, fixture("search.json"))
        }
        ("GET", ["api", "v1", "ActivitySession", "SummaryById", id]) if session_path(id) => {
            json_reply(StatusCode::OK, fixture("session_summary.json"))
        }
        ("GET", ["api", "v1", "ActivitySession", "ApprovalCheck"]) => {
            json_reply(StatusCode::OK, json!(1))
        }
        ("GET", ["api", "v1", "ActivitySession", id, "Log"]) if session_path(id) => {
            json_reply(StatusCode::OK, fixture("log.json"))
        }
        ("GET", ["api", "v1", "ActivitySession", id]) if session_path(id) => {
            json_reply(StatusCode::OK, fixture("activity_session.json"))
        }
        ("POST", ["api", "v1", "ActivitySession"]) => json_reply(
            StatusCode::CREATED,
            session_with(json!({"status": "Pending", "actualStartDateTimeUtc": null})),
        ),
        ("DELETE", ["api", "v1", "ActivitySession", id]) if session_path(id) => json_reply(
            StatusCode::OK,
            session_with(json!({
                "status": "Cancelling",
                "cancelledBy": "a11ce000-0000-4000-8000-000000000001",
            })),
        ),
        ("POST", ["api", "v1", "ActivitySession", id, "Extend"]) if session_path(id) => json_reply(
            StatusCode::OK,
            session_with(json!({
                "scheduledEndDateTimeUtc": "2026-11-30T11:30:00Z",
                "sessionExtensionCount": 1,
            })),
        ),
        ("POST", ["api", "v1", "ActivitySession", id, "Approve" | "Deny"]) if session_path(id) => {
            json_reply(StatusCode::OK, fixture("activity_session.json"))
        }
        ("PUT", ["api", "v1", "ActivitySession", "lock"]) => {
            let echoed: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            json_reply(StatusCode::OK, echoed)
        }
        (
            "GET",
            [
                "api",
                "v1",
                "AccessControlPolicy",
                "ActivityCardWithPolicies",
            ],
        ) => json_reply(StatusCode::OK, fixture("activity_cards.json")),
        (
            "GET",
            [
                "api",
                "v1",
                "AccessControlPolicy",
                "ActivitySessionResources",
            ],
        ) => json_reply(StatusCode::OK, fixture("session_resources.json")),
        // "Get all managed resources (roles: Admin, App)".
        ("GET", ["api", "v1", "ManagedResource"]) if admin => {
            json_reply(StatusCode::OK, fixture("managed_resources.json"))
        }
        ("GET", ["api", "v1", "ManagedResource"]) => problem(StatusCode::FORBIDDEN, "Forbidden"),
        _ => problem(StatusCode::NOT_FOUND, "Not Found"),
    }
}

/// The stub on an ephemeral port, served from its own thread.
struct NpsStub {
    url: String,
    stub: Stub,
}

impl NpsStub {
    fn start() -> Self {
        let stub = Stub::default();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("non-blocking");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let app = Router::new().fallback(answer).with_state(stub.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                axum::serve(listener, app).await.expect("serve");
            });
        });
        Self { url, stub }
    }

    fn received(&self) -> Vec<Received> {
        self.stub.received.lock().unwrap().clone()
    }

    fn last(&self, method: Method, path: &str) -> Received {
        self.received()
            .into_iter()
            .rev()
            .find(|r| r.method == method && r.path == path)
            .unwrap_or_else(|| panic!("no {method} {path} in {:#?}", self.received()))
    }
}

/// `pamctl ARGS` against the stub with a token, and its output.
fn run(env: &TestEnv, stub: &NpsStub, token: &str, args: &[&str]) -> std::process::Output {
    let mut command = env.pamctl(args);
    command
        .env("PAMCTL_SERVER", &stub.url)
        .env("PAMCTL_TOKEN", token)
        .env("COLUMNS", "200");
    command.output().expect("run pamctl")
}

fn ok(env: &TestEnv, stub: &NpsStub, token: &str, args: &[&str]) -> String {
    let output = run(env, stub, token, args);
    assert!(
        output.status.success(),
        "pamctl {args:?} against the NPS stub failed ({:?}):\n{}",
        output.status.code(),
        stderr_of(&output)
    );
    stdout_of(&output)
}

#[test]
fn session_list_reads_the_search_results_model() {
    let env = TestEnv::new();
    let stub = NpsStub::start();
    let table = ok(&env, &stub, USER_TOKEN, &["session", "list"]);
    for shown in ["srv-lin-01", "srv-lin-02", "Connect as Admin", "alice"] {
        assert!(table.contains(shown), "{shown} missing from:\n{table}");
    }
    let json: Value = serde_json::from_str(&ok(
        &env,
        &stub,
        USER_TOKEN,
        &["session", "list", "-o", "json"],
    ))
    .expect("JSON");
    let text = json.to_string();
    assert!(text.contains(SESSION), "{text}");
    let search = stub.last(Method::GET, "/api/v1/ActivitySession/Search");
    assert!(search.query.contains("take="), "{search:?}");
}

#[test]
fn session_show_reads_the_nested_objects_of_the_model() {
    let env = TestEnv::new();
    let stub = NpsStub::start();
    // The fixture has no flat activityName/managedResourceName: only the model's objects.
    assert!(
        fixture("activity_session.json")
            .get("activityName")
            .is_none()
    );
    let shown = ok(&env, &stub, USER_TOKEN, &["session", "show", SESSION]);
    for expected in ["srv-lin-01", "Connect as Admin", "Linux Admins", "CHG-1042"] {
        assert!(
            shown.contains(expected),
            "{expected} missing from:\n{shown}"
        );
    }
    let json: Value = serde_json::from_str(&ok(
        &env,
        &stub,
        USER_TOKEN,
        &["session", "show", SESSION, "-o", "json"],
    ))
    .expect("JSON");
    assert!(json.to_string().contains("srv-lin-01"), "{json}");
}

#[test]
fn session_create_as_a_user_asks_only_what_nps_lets_users_ask() {
    let env = TestEnv::new();
    let stub = NpsStub::start();
    let output = run(
        &env,
        &stub,
        USER_TOKEN,
        &[
            "session",
            "create",
            "--activity",
            "Connect as Admin",
            "--resource",
            "srv-lin-01",
            "--note",
            "patch the kernel",
            "-o",
            "json",
        ],
    );
    assert!(
        output.status.success(),
        "create against NPS as a user failed:\n{}\nrequests: {:#?}",
        stderr_of(&output),
        stub.received()
    );
    let created: Value = serde_json::from_str(&stdout_of(&output)).expect("JSON");
    assert!(created.to_string().contains(SESSION), "{created}");
    // The request carries ids, as NPS's ActivitySessionRequest needs.
    let post = stub.last(Method::POST, "/api/v1/ActivitySession");
    let body: Value = serde_json::from_str(&post.body).expect("a JSON body");
    assert_eq!(body["activityId"], ACTIVITY, "{body}");
    assert_eq!(body["managedResourceId"], RESOURCE, "{body}");
    assert_eq!(body["note"], "patch the kernel", "{body}");
    // Nothing it asked was refused: no admin-only list, no pamctl extension.
    let refused: Vec<_> = stub
        .received()
        .into_iter()
        .filter(|r| r.path == "/api/v1/ManagedResource" || r.path == "/api/v1/Activity")
        .collect();
    assert!(refused.is_empty(), "asked for {refused:#?}");
}

#[test]
fn end_extend_and_lock_send_the_documented_requests() {
    let env = TestEnv::new();
    let stub = NpsStub::start();
    ok(
        &env,
        &stub,
        ADMIN_TOKEN,
        &["session", "end", SESSION, "--yes"],
    );
    stub.last(
        Method::DELETE,
        &format!("/api/v1/ActivitySession/{SESSION}"),
    );

    let extended = ok(
        &env,
        &stub,
        USER_TOKEN,
        &["session", "extend", SESSION, "--by", "30m", "-o", "json"],
    );
    assert!(extended.contains("2026-11-30T11:30:00"), "{extended}");
    let extend = stub.last(
        Method::POST,
        &format!("/api/v1/ActivitySession/{SESSION}/Extend"),
    );
    assert_eq!(extend.body.trim(), "30", "Extend takes bare minutes");

    ok(
        &env,
        &stub,
        ADMIN_TOKEN,
        &[
            "session",
            "lock",
            SESSION,
            "--yes",
            "--message",
            "incident 7",
        ],
    );
    let lock = stub.last(Method::PUT, "/api/v1/ActivitySession/lock");
    let body: Value = serde_json::from_str(&lock.body).expect("JSON");
    assert!(body.to_string().contains(SESSION), "{body}");
    assert!(body.to_string().contains("incident 7"), "{body}");
}

#[test]
fn logs_and_approvals_read_and_send_the_documented_shapes() {
    let env = TestEnv::new();
    let stub = NpsStub::start();
    let logs = ok(&env, &stub, USER_TOKEN, &["session", "logs", SESSION]);
    for line in ["Session created by alice", "Host key changed"] {
        assert!(logs.contains(line), "{line} missing from:\n{logs}");
    }
    ok(
        &env,
        &stub,
        ADMIN_TOKEN,
        &["approval", "approve", SESSION, "--yes"],
    );
    let approve = stub.last(
        Method::POST,
        &format!("/api/v1/ActivitySession/{SESSION}/Approve"),
    );
    assert!(approve.query.contains("notes="), "{approve:?}");
    ok(
        &env,
        &stub,
        ADMIN_TOKEN,
        &[
            "approval",
            "deny",
            SESSION,
            "--reason",
            "not today",
            "--yes",
        ],
    );
    let deny = stub.last(
        Method::POST,
        &format!("/api/v1/ActivitySession/{SESSION}/Deny"),
    );
    assert_eq!(deny.body.trim(), "\"not today\"");
    // The pending list is a pamctl extension: against NPS it says so, and fails.
    let listed = run(&env, &stub, ADMIN_TOKEN, &["approval", "list"]);
    assert!(!listed.status.success());
    assert!(
        stderr_of(&listed).contains("pamctl extension"),
        "{}",
        stderr_of(&listed)
    );
}

#[test]
fn an_admin_lists_nps_resources_with_nps_resource_types() {
    let env = TestEnv::new();
    let stub = NpsStub::start();
    let json: Value = serde_json::from_str(&ok(
        &env,
        &stub,
        ADMIN_TOKEN,
        &["resource", "list", "-o", "json"],
    ))
    .expect("JSON");
    let text = json.to_string();
    assert!(
        text.contains("srv-lin-01") && text.contains("pg-prod"),
        "{text}"
    );
    let pg = json
        .as_array()
        .expect("a list")
        .iter()
        .find(|r| r["name"] == "pg-prod")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(
        pg["type"], 5,
        "ManagedResourceType 5 is a Database in NPS: {pg}"
    );
    // NPS gives a resource its platform's id only: the CLI names NPS's built-in platforms.
    let table = ok(&env, &stub, ADMIN_TOKEN, &["resource", "list"]);
    let linux = table
        .lines()
        .find(|l| l.contains("srv-lin-01"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(linux.contains("Linux"), "{linux}");
}
