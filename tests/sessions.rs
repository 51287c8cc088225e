//! The session engine over the wire: every transition and refusal of the lifecycle, policy
//! checks, visibility, scheduling, expiry, actions, crash recovery and the endpoints' shapes.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::{DEV_PASSWORD, Http, Server, ServerOptions, TestEnv, lines_of};
use serde_json::{Value, json};

fn create(http: &Http, token: &str, body: Value) -> Value {
    http.send(
        "POST",
        "/api/v1/ActivitySession",
        Some(token),
        Some(&body.to_string()),
    )
    .expect(201)
    .json()
}

/// Requests a session and returns its id.
fn create_id(http: &Http, token: &str, body: Value) -> String {
    create(http, token, body)["id"].as_str().unwrap().to_owned()
}

fn linux_on(resource: &str) -> Value {
    json!({"activityName": "Linux Admin", "managedResourceName": resource})
}

fn summary(http: &Http, token: &str, id: &str) -> Value {
    http.get(&format!("/api/v1/ActivitySession/SummaryById/{id}"), token)
        .expect(200)
        .json()
}

/// Polls until the session's summary status is `status` (a SessionSummaryStatus integer).
fn wait_for(http: &Http, token: &str, id: &str, status: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let current = summary(http, token, id);
        if current["status"] == status {
            return current;
        }
        assert!(
            Instant::now() < deadline,
            "session never reached status {status}: {current}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn log_text(http: &Http, token: &str, id: &str) -> String {
    let log = http
        .get(&format!("/api/v1/ActivitySession/{id}/Log"), token)
        .expect(200)
        .json();
    log["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["logMessage"].as_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

const ACTIVE_NO_LOGON: u64 = 2;
const ACTIVE: u64 = 1;
const LOCKED: u64 = 11;
const COMPLETED: u64 = 4;
const COMPLETED_WITH_ERRORS: u64 = 5;
const PENDING: u64 = 6;
const CANCELLED: u64 = 7;
const APPROVAL_REQUIRED: u64 = 8;

#[test]
fn a_session_lives_from_request_to_complete() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);

    let created = create(
        &http,
        &uma,
        json!({"ActivityName": "linux admin", "ManagedResourceName": "WEB01", "Note": "deploy 42", "Ticket": "CHG-1"}),
    );
    assert_eq!(created["activityName"], "Linux Admin");
    assert_eq!(created["managedResourceName"], "web01");
    assert_eq!(created["accessControlPolicyName"], "Web Ops");
    assert_eq!(created["loginAccountName"], "uma");
    assert_eq!(created["allowSessionExtension"], true);
    let id = created["id"].as_str().unwrap().to_owned();
    let start = chrono::DateTime::parse_from_rfc3339(
        created["scheduledStartDateTimeUtc"].as_str().unwrap(),
    )
    .unwrap();
    let end =
        chrono::DateTime::parse_from_rfc3339(created["scheduledEndDateTimeUtc"].as_str().unwrap())
            .unwrap();
    assert_eq!(
        (end - start).num_minutes(),
        240,
        "the policy maximum by default"
    );

    let available = wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    assert_eq!(available["sessionStatus"], 1);
    assert_eq!(available["statusMessage"], "Available");
    assert!(available["actualStartDateTimeUtc"].is_string());

    let extended = http
        .send(
            "POST",
            &format!("/api/v1/ActivitySession/{id}/Extend"),
            Some(&uma),
            Some("30"),
        )
        .expect(200)
        .json();
    assert_eq!(extended["sessionExtensionCount"], 1);
    assert_eq!(extended["sessionExtensionMinutes"], 30);

    let lock = json!({"activitySessionIds": [id], "locked": true, "lockTitle": "Incident 7", "lockMessage": "hold on"});
    http.send(
        "PUT",
        "/api/v1/ActivitySession/lock",
        Some(&admin),
        Some(&lock.to_string()),
    )
    .expect(200);
    let locked = summary(&http, &uma, &id);
    assert_eq!(locked["status"], LOCKED);
    assert_eq!(locked["locked"], true);
    let session = http
        .get(&format!("/api/v1/ActivitySession/{id}"), &uma)
        .expect(200)
        .json();
    assert_eq!(session["status"], 1, "a locked session is still Active");
    assert_eq!(session["locked"], true);
    let unlock = json!({"activitySessionIds": [id], "locked": false});
    http.send(
        "PUT",
        "/api/v1/ActivitySession/lock",
        Some(&admin),
        Some(&unlock.to_string()),
    )
    .expect(200);
    assert_eq!(summary(&http, &uma, &id)["status"], ACTIVE_NO_LOGON);

    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{id}/Login"),
        Some(&admin),
        None,
    )
    .expect(200);
    let logged_in = summary(&http, &uma, &id);
    assert_eq!(logged_in["status"], ACTIVE);
    assert_eq!(logged_in["loginSessionState"], 1);

    let ended = http
        .send(
            "DELETE",
            &format!("/api/v1/ActivitySession/{id}"),
            Some(&uma),
            None,
        )
        .expect(200)
        .json();
    assert!(
        ended["status"] == 2 || ended["status"] == 3,
        "Cancelling or already Complete: {ended}"
    );
    let complete = wait_for(&http, &uma, &id, COMPLETED);
    assert_eq!(complete["sessionStatus"], 3);
    assert!(complete["actualEndDateTimeUtc"].is_string());

    // Ending a finished session is a no-op that answers with the session as it is.
    let again = http
        .send(
            "DELETE",
            &format!("/api/v1/ActivitySession/{id}"),
            Some(&uma),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(again["status"], 3);

    let log = log_text(&http, &uma, &id);
    for expected in [
        "requested Linux Admin on web01 by uma",
        "grant: sudo for uma on web01",
        "available until",
        "extended by uma by 30 minutes",
        "locked by admin: Incident 7: hold on",
        "unlocked by admin",
        "login detected as uma",
        "ended by uma",
        "revoke: sudo for uma on web01",
        "complete",
    ] {
        assert!(
            log.contains(expected),
            "'{expected}' missing from the log:\n{log}"
        );
    }
    let lines = http
        .get(&format!("/api/v1/ActivitySession/{id}/Log"), &uma)
        .expect(200)
        .json();
    let numbers: Vec<u64> = lines["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["lineNumber"].as_u64().unwrap())
        .collect();
    assert_eq!(
        numbers,
        (1..=numbers.len() as u64).collect::<Vec<_>>(),
        "numbered in order"
    );
}

#[test]
fn transitions_the_state_does_not_allow_are_409() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let id = create_id(&http, &uma, linux_on("web02"));
    wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{id}"),
        Some(&uma),
        None,
    )
    .expect(200);
    wait_for(&http, &uma, &id, COMPLETED);

    let lock = json!({"activitySessionIds": [id], "locked": true}).to_string();
    let problem = http
        .send(
            "PUT",
            "/api/v1/ActivitySession/lock",
            Some(&admin),
            Some(&lock),
        )
        .problem(409);
    assert!(
        problem["detail"].as_str().unwrap().contains("Complete"),
        "{problem}"
    );
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{id}/Extend"),
        Some(&uma),
        Some("10"),
    )
    .problem(409);
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{id}/Login"),
        Some(&admin),
        None,
    )
    .problem(409);

    // A session waiting for approval cannot be logged into or locked either.
    let waiting = create(
        &http,
        &uma,
        json!({"activityName": "Database Read Write", "managedResourceName": "db01"}),
    );
    assert_eq!(waiting["status"], 8, "ApprovalRequired");
    let waiting_id = waiting["id"].as_str().unwrap();
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{waiting_id}/Login"),
        Some(&admin),
        None,
    )
    .problem(409);
    let lock = json!({"activitySessionIds": [waiting_id], "locked": true}).to_string();
    http.send(
        "PUT",
        "/api/v1/ActivitySession/lock",
        Some(&admin),
        Some(&lock),
    )
    .problem(409);
    // Ending it before it started cancels it.
    let ended = http
        .send(
            "DELETE",
            &format!("/api/v1/ActivitySession/{waiting_id}"),
            Some(&uma),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(ended["status"], 5, "Cancelled");
    assert!(
        ended["cancelledBy"]
            .as_str()
            .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()),
        "cancelledBy is a user id, as the model has it: {ended}"
    );
    assert_eq!(ended["cancelledByUserName"], "uma");
    assert_eq!(ended["statusDescription"], "ended by uma");
    assert_eq!(summary(&http, &uma, waiting_id)["status"], CANCELLED);
}

#[test]
fn policies_refuse_what_they_do_not_grant() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let post = |token: &str, body: Value| {
        http.send(
            "POST",
            "/api/v1/ActivitySession",
            Some(token),
            Some(&body.to_string()),
        )
    };

    let not_granted = post(
        &ulf,
        json!({"activityName": "Windows Local Admin", "managedResourceName": "win01"}),
    )
    .problem(422);
    assert!(
        not_granted["detail"]
            .as_str()
            .unwrap()
            .contains("no access policy grants ulf"),
        "{not_granted}"
    );
    post(
        &ulf,
        json!({"activityName": "Linux Admin", "managedResourceName": "db01"}),
    )
    .problem(422);
    post(&admin, linux_on("web01")).problem(422);

    let end = (Utc::now() + chrono::Duration::hours(5)).to_rfc3339();
    let too_long = post(&uma, json!({"activityName": "Linux Admin", "managedResourceName": "web01", "endDateTimeUtc": end})).problem(422);
    assert!(
        too_long["detail"]
            .as_str()
            .unwrap()
            .contains("maximum of 240 minutes"),
        "{too_long}"
    );

    let past = (Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let in_the_past = post(&uma, json!({"activityName": "Linux Admin", "managedResourceName": "web01", "startDateTimeUtc": past})).problem(400);
    assert_eq!(in_the_past["field"], "startDateTimeUtc");
    let missing = post(&uma, json!({"managedResourceName": "web01"})).problem(400);
    assert_eq!(missing["field"], "activityId");
    let unknown = post(
        &uma,
        json!({"activityName": "Nope", "managedResourceName": "web01"}),
    )
    .problem(404);
    assert!(
        unknown["detail"]
            .as_str()
            .unwrap()
            .starts_with("no activity named 'Nope'"),
        "{unknown}"
    );
    post(
        &uma,
        json!({"activityName": "Linux Admin", "managedResourceName": "nope"}),
    )
    .problem(404);
    let bad_time = post(&uma, json!({"activityName": "Linux Admin", "managedResourceName": "web01", "endDateTimeUtc": "tomorrow"})).problem(400);
    assert_eq!(bad_time["field"], "endDateTimeUtc");

    // Extensions: Web Ops allows two of at most 60 minutes; Prod Database none.
    let id = create_id(&http, &uma, linux_on("web01"));
    let extend = |minutes: &str| {
        http.send(
            "POST",
            &format!("/api/v1/ActivitySession/{id}/Extend"),
            Some(&uma),
            Some(minutes),
        )
    };
    let too_much = extend("61").problem(422);
    assert!(
        too_much["detail"]
            .as_str()
            .unwrap()
            .contains("at most 60 minutes"),
        "{too_much}"
    );
    extend("0").problem(400);
    let unknown = extend(r#"{"minutes": 15}"#).problem(400);
    assert!(
        unknown["detail"]
            .as_str()
            .unwrap()
            .contains("extensionMinutes"),
        "{unknown}"
    );
    extend("60").expect(200);
    // NPS clients also send the minutes as an object.
    let object = extend(r#"{"extensionMinutes": 15}"#).expect(200).json();
    assert_eq!(object["sessionExtensionMinutes"], 75);
    let third = extend("5").problem(422);
    assert!(
        third["detail"]
            .as_str()
            .unwrap()
            .contains("already extended 2 time(s)"),
        "{third}"
    );

    let db = create(
        &http,
        &uma,
        json!({"activityName": "Database Read Write", "managedResourceName": "db01"}),
    );
    let db_id = db["id"].as_str().unwrap();
    let no_extension = http
        .send(
            "POST",
            &format!("/api/v1/ActivitySession/{db_id}/Extend"),
            Some(&uma),
            Some("10"),
        )
        .problem(422);
    assert!(
        no_extension["detail"]
            .as_str()
            .unwrap()
            .contains("does not allow extending"),
        "{no_extension}"
    );
}

#[test]
fn users_see_and_act_on_only_their_own_sessions() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    let rita = http.sign_in("rita", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let id = create_id(&http, &uma, linux_on("web01"));
    create(&http, &ulf, linux_on("web02"));

    http.get(&format!("/api/v1/ActivitySession/{id}"), &ulf)
        .problem(404);
    http.get(&format!("/api/v1/ActivitySession/{id}/Log"), &ulf)
        .problem(404);
    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{id}"),
        Some(&ulf),
        None,
    )
    .problem(404);
    http.send(
        "POST",
        &format!("/api/v1/ActivitySession/{id}/Extend"),
        Some(&ulf),
        Some("10"),
    )
    .problem(404);
    let ulf_list = http.get("/api/v1/ActivitySession", &ulf).expect(200).json();
    assert_eq!(ulf_list.as_array().unwrap().len(), 1);
    assert_eq!(ulf_list[0]["createdByUserName"], "ulf");

    // Reviewers see everything but may not end others' sessions; admins may.
    assert_eq!(
        http.get("/api/v1/ActivitySession", &rita)
            .expect(200)
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    http.get(&format!("/api/v1/ActivitySession/{id}"), &rita)
        .expect(200);
    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{id}"),
        Some(&rita),
        None,
    )
    .problem(403);
    let lock = json!({"activitySessionIds": [id], "locked": true}).to_string();
    wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    http.send(
        "PUT",
        "/api/v1/ActivitySession/lock",
        Some(&uma),
        Some(&lock),
    )
    .problem(403);
    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{id}"),
        Some(&admin),
        None,
    )
    .expect(200);
    let done = wait_for(&http, &uma, &id, COMPLETED);
    assert_eq!(done["sessionStatus"], 3);
    assert!(log_text(&http, &uma, &id).contains("ended by admin"));
}

#[test]
fn a_scheduled_session_starts_at_its_time_and_expires_at_its_end() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let start = Utc::now() + chrono::Duration::seconds(2);
    let end = start + chrono::Duration::seconds(3);
    let created = create(
        &http,
        &uma,
        json!({
            "activityName": "Linux Admin", "managedResourceName": "web01",
            "startDateTimeUtc": start.to_rfc3339(), "endDateTimeUtc": end.to_rfc3339(),
        }),
    );
    let id = created["id"].as_str().unwrap().to_owned();
    let scheduled = summary(&http, &uma, &id);
    assert_eq!(scheduled["status"], PENDING);
    assert_eq!(scheduled["statusMessage"], "Scheduled");
    let available = wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    let actual =
        chrono::DateTime::parse_from_rfc3339(available["actualStartDateTimeUtc"].as_str().unwrap())
            .unwrap();
    assert!(actual >= start, "not before its start time");
    wait_for(&http, &uma, &id, COMPLETED);
    let log = log_text(&http, &uma, &id);
    assert!(
        log.contains("start time reached") && log.contains("end time reached"),
        "{log}"
    );
}

#[test]
fn a_session_starting_now_is_provisioned_by_its_create() {
    let env = TestEnv::new();
    let trace = env.path("trace");
    std::fs::create_dir_all(&trace).unwrap();
    let config = format!(
        "[[activities]]\nname = \"Quiet Task\"\nplatform = \"Linux\"\n\n{}\n[[policies]]\nname = \"Quiet\"\nusers = [\"uma\"]\nactivities = [\"Quiet Task\"]\nresources = [\"web01\"]\nmax_duration = \"1h\"\n",
        traced_config(&trace, &["echo $PAMCTL_SESSION_ID >> DIR/pre"], &[])
    );
    let server = start_with(&env, &env.write("quiet.toml", &config));
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);

    // No pre-session action: the create's own transaction made it Available, so its answer
    // already carries its start (no pass of the timer came first).
    let created = create(
        &http,
        &uma,
        json!({"activityName": "Quiet Task", "managedResourceName": "web01"}),
    );
    assert!(created["actualStartDateTimeUtc"].is_string(), "{created}");
    let id = created["id"].as_str().unwrap();
    // As stored: read again, Available, with the start it was written with.
    let stored = summary(&http, &uma, id);
    assert_eq!(stored["status"], ACTIVE_NO_LOGON, "{stored}");
    assert_eq!(stored["statusMessage"], "Available", "{stored}");
    assert!(stored["actualStartDateTimeUtc"].is_string(), "{stored}");
    let log = log_text(&http, &uma, id);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(lines[0].starts_with("requested Quiet Task on web01 by uma"));
    assert_eq!(lines[1], "provisioning", "{log}");
    assert!(lines[2].starts_with("available until "), "{log}");

    // With one: Provisioning in the answer, and the action, written with the create, runs
    // once from the outbox before the session is Available.
    let created = create(
        &http,
        &uma,
        json!({"activityName": "Traced Task", "managedResourceName": "web01"}),
    );
    assert!(created["actualStartDateTimeUtc"].is_null(), "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let available = wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    assert!(available["actualStartDateTimeUtc"].is_string());
    assert_eq!(lines_of(&trace.join("pre")), [id]);
}

/// The dev broker with a configuration file added to its seed.
fn start_with(env: &TestEnv, config: &Path) -> Server {
    Server::start(
        env,
        ServerOptions {
            config: Some(config),
            ..Default::default()
        },
    )
}

/// The dev seed plus activities whose actions leave traces in files under `dir`.
fn traced_server(env: &TestEnv, pre: &[&str], post: &[&str]) -> (Server, std::path::PathBuf) {
    let config = env.write("traced.toml", &traced_config(&env.path("trace"), pre, post));
    std::fs::create_dir_all(env.path("trace")).unwrap();
    let server = start_with(env, &config);
    (server, env.path("trace"))
}

fn traced_config(dir: &Path, pre: &[&str], post: &[&str]) -> String {
    let action = |script: &str| {
        format!(
            "[[activities.{{phase}}]]\ntype = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"{}\"]\ntimeout = \"30s\"\n",
            script.replace("DIR", &dir.display().to_string())
        )
    };
    let mut text = String::from("[[activities]]\nname = \"Traced Task\"\nplatform = \"Linux\"\n");
    for script in pre {
        text.push_str(&action(script).replace("{phase}", "pre_session"));
    }
    for script in post {
        text.push_str(&action(script).replace("{phase}", "post_session"));
    }
    text.push_str("\n[[policies]]\nname = \"Traced\"\nusers = [\"uma\"]\nactivities = [\"Traced Task\"]\nresources = [\"web01\"]\nmax_duration = \"1h\"\n");
    text
}

#[test]
fn a_failed_pre_session_action_fails_the_session_and_still_cleans_up() {
    let env = TestEnv::new();
    let (server, trace) = traced_server(
        &env,
        &[
            "echo granted >> DIR/pre",
            "echo 'no such group' >&2; exit 3",
        ],
        &["echo $PAMCTL_SESSION_ID >> DIR/post"],
    );
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let id = create_id(
        &http,
        &uma,
        json!({"activityName": "Traced Task", "managedResourceName": "web01"}),
    );
    let failed = wait_for(&http, &uma, &id, COMPLETED_WITH_ERRORS);
    assert_eq!(failed["sessionStatus"], 4, "Failed");
    assert_eq!(
        lines_of(&trace.join("post")),
        std::slice::from_ref(&id),
        "the clean-up ran, once"
    );
    let errors = http
        .get(
            &format!("/api/v1/ActivitySession/{id}/Log?logLevel=Error"),
            &uma,
        )
        .expect(200)
        .json();
    let errors: Vec<&str> = errors["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["logMessage"].as_str().unwrap())
        .collect();
    assert!(
        errors.iter().any(|l| l.contains("exit status 3")),
        "{errors:?}"
    );
    assert!(
        errors.iter().all(|l| !l.contains("granted")),
        "only errors at this level: {errors:?}"
    );
    let warnings = log_text(&http, &uma, &id);
    assert!(
        warnings.contains("no such group"),
        "stderr is logged:\n{warnings}"
    );
}

#[test]
fn post_session_actions_run_exactly_once_however_often_it_is_ended() {
    let env = TestEnv::new();
    let (server, trace) = traced_server(&env, &["true"], &["echo $PAMCTL_SESSION_ID >> DIR/post"]);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let id = create_id(
        &http,
        &uma,
        json!({"activityName": "Traced Task", "managedResourceName": "web01"}),
    );
    wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    let base = http.base.clone();
    let handles: Vec<_> = (0..10)
        .map(|i| {
            let base = base.clone();
            let token = if i % 2 == 0 {
                uma.clone()
            } else {
                admin.clone()
            };
            let id = id.clone();
            std::thread::spawn(move || {
                Http::new(&base)
                    .send(
                        "DELETE",
                        &format!("/api/v1/ActivitySession/{id}"),
                        Some(&token),
                        None,
                    )
                    .status
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), 200);
    }
    wait_for(&http, &uma, &id, COMPLETED);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        lines_of(&trace.join("post")),
        [id],
        "post-session actions ran exactly once"
    );
}

/// Whether a process with exactly this command line runs (the marker arguments are unique).
fn process_running(cmdline: &str) -> bool {
    std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
        std::fs::read(entry.path().join("cmdline"))
            .is_ok_and(|text| String::from_utf8_lossy(&text).replace('\0', " ").trim() == cmdline)
    })
}

#[test]
fn an_action_past_its_timeout_is_killed_and_a_missing_program_fails_to_start() {
    let env = TestEnv::new();
    let config = env.write(
        "timeouts.toml",
        "[[activities]]\nname = \"Slow Task\"\nplatform = \"Linux\"\n\
         [[activities.pre_session]]\ntype = \"command\"\nprogram = \"sleep\"\nargs = [\"37.25\"]\ntimeout = \"1s\"\n\
         \n[[activities]]\nname = \"Missing Task\"\nplatform = \"Linux\"\n\
         [[activities.pre_session]]\ntype = \"command\"\nprogram = \"pamctl-no-such-program\"\n\
         \n[[policies]]\nname = \"Timeouts\"\nusers = [\"uma\"]\nactivities = [\"Slow Task\", \"Missing Task\"]\nresources = [\"web01\"]\nmax_duration = \"1h\"\n",
    );
    let server = start_with(&env, &config);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);

    let slow = create_id(
        &http,
        &uma,
        json!({"activityName": "Slow Task", "managedResourceName": "web01"}),
    );
    let started = Instant::now();
    wait_for(&http, &uma, &slow, COMPLETED_WITH_ERRORS);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the 1 s timeout was not honoured ({:?})",
        started.elapsed()
    );
    let log = log_text(&http, &uma, &slow);
    assert!(
        log.contains("sleep did not finish within 1s; it was killed"),
        "{log}"
    );
    // SIGKILL is delivered at once; allow the kernel a moment to take the process away.
    let deadline = Instant::now() + Duration::from_secs(2);
    while process_running("sleep 37.25") {
        assert!(
            Instant::now() < deadline,
            "the timed-out program still runs"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    let missing = create_id(
        &http,
        &uma,
        json!({"activityName": "Missing Task", "managedResourceName": "web01"}),
    );
    wait_for(&http, &uma, &missing, COMPLETED_WITH_ERRORS);
    let log = log_text(&http, &uma, &missing);
    assert!(
        log.contains("cannot start pamctl-no-such-program: No such file or directory"),
        "{log}"
    );
}

fn wait_for_file_line(path: &Path, line: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !lines_of(path).iter().any(|l| l == line) {
        assert!(
            Instant::now() < deadline,
            "{} never got '{line}'",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_broker_killed_mid_provisioning_or_mid_canceling_resumes_on_restart() {
    let env = TestEnv::new();
    let pre = [
        "echo one >> DIR/pre",
        "echo waiting >> DIR/pre; sleep 4",
        "echo two >> DIR/pre",
    ];
    let post = [
        "echo one >> DIR/post",
        "echo waiting >> DIR/post; sleep 4",
        "echo two >> DIR/post",
    ];
    let (server, trace) = traced_server(&env, &pre, &post);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let id = create_id(
        &http,
        &uma,
        json!({"activityName": "Traced Task", "managedResourceName": "web01"}),
    );
    wait_for_file_line(&trace.join("pre"), "waiting");
    server.kill_hard();

    let config = env.path("traced.toml");
    let server = start_with(&env, &config);
    let http = server.http();
    let available = wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    assert_eq!(available["statusMessage"], "Available");
    let pre_lines = lines_of(&trace.join("pre"));
    assert_eq!(
        pre_lines.iter().filter(|l| *l == "one").count(),
        1,
        "a finished action is not run again: {pre_lines:?}"
    );
    assert_eq!(
        pre_lines.iter().filter(|l| *l == "two").count(),
        1,
        "{pre_lines:?}"
    );
    assert!(log_text(&http, &uma, &id).contains("resuming pre-session actions at action 2"));

    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{id}"),
        Some(&uma),
        None,
    )
    .expect(200);
    wait_for_file_line(&trace.join("post"), "waiting");
    server.kill_hard();

    let server = start_with(&env, &config);
    let http = server.http();
    wait_for(&http, &uma, &id, COMPLETED);
    let post_lines = lines_of(&trace.join("post"));
    assert_eq!(
        post_lines.iter().filter(|l| *l == "one").count(),
        1,
        "{post_lines:?}"
    );
    assert_eq!(
        post_lines.iter().filter(|l| *l == "two").count(),
        1,
        "{post_lines:?}"
    );
}

#[test]
fn an_end_time_that_passed_while_the_broker_was_down_is_honoured_at_start() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let end = Utc::now() + chrono::Duration::seconds(3);
    let id = create_id(
        &http,
        &uma,
        json!({"activityName": "Linux Admin", "managedResourceName": "web01", "endDateTimeUtc": end.to_rfc3339()}),
    );
    wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    server.kill_hard();
    std::thread::sleep(Duration::from_secs(4));
    let server = Server::dev(&env);
    let http = server.http();
    let done = wait_for(&http, &uma, &id, COMPLETED);
    assert!(done["actualEndDateTimeUtc"].is_string());
}

#[test]
fn a_group_request_creates_all_sessions_or_none() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let body = json!([linux_on("web01"), linux_on("web02")]).to_string();
    let group = http
        .send(
            "POST",
            "/api/v1/ActivitySession/Group",
            Some(&uma),
            Some(&body),
        )
        .expect(201)
        .json();
    let sessions = group["activitySessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    for session in sessions {
        assert_eq!(session["activitySessionGroupId"], group["id"]);
    }

    let bad = json!([linux_on("web01"), linux_on("db01")]).to_string();
    http.send(
        "POST",
        "/api/v1/ActivitySession/Group",
        Some(&uma),
        Some(&bad),
    )
    .problem(422);
    let missing = json!([linux_on("web01"), {"activityName": "Linux Admin"}]).to_string();
    let problem = http
        .send(
            "POST",
            "/api/v1/ActivitySession/Group",
            Some(&uma),
            Some(&missing),
        )
        .problem(400);
    assert_eq!(problem["field"], "[1].managedResourceId", "{problem}");
    assert_eq!(
        http.get("/api/v1/ActivitySession", &uma)
            .expect(200)
            .json()
            .as_array()
            .unwrap()
            .len(),
        2,
        "nothing half-created"
    );
}

#[test]
fn search_summaries_counts_and_logs_have_the_contract_shapes() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let first = create_id(&http, &uma, linux_on("web01"));
    create(
        &http,
        &uma,
        json!({"activityName": "Database Read Write", "managedResourceName": "db01", "note": "schema fix"}),
    );
    create(&http, &ulf, linux_on("web02"));
    wait_for(&http, &uma, &first, ACTIVE_NO_LOGON);

    let search = http.get("/api/v1/ActivitySession/Search?filterTopUsersType=Everyone&take=2&orderBy=createdDateTimeUtc", &admin).expect(200).json();
    assert_eq!(search["recordsTotal"], 3);
    assert_eq!(search["data"].as_array().unwrap().len(), 2, "take pages");
    assert_eq!(search["summary"]["countSessions"], 3);
    for field in ["sumDuration", "avgDuration", "minDuration", "maxDuration"] {
        assert!(search["summary"][field].is_i64(), "{field}: {search}");
    }
    let top = search["topUsers"].as_array().unwrap();
    assert_eq!(top[0]["managedAccountName"], "uma");
    assert_eq!(top[0]["countSessions"], 2);
    let summary_row = &search["data"][0];
    for field in [
        "id",
        "userId",
        "userDisplayName",
        "managedResourceName",
        "activityName",
        "platformName",
        "accessPolicyName",
        "loginAccountName",
        "startDateTimeUtc",
        "endDateTimeUtc",
        "durationInSeconds",
        "sessionStatus",
        "sessionStatusDescription",
        "status",
        "statusMessage",
        "loginSessionState",
        "locked",
    ] {
        assert!(
            summary_row.get(field).is_some(),
            "{field} missing: {summary_row}"
        );
    }
    let filtered = http
        .get("/api/v1/ActivitySession/Search?filterText=SCHEMA", &admin)
        .expect(200)
        .json();
    assert_eq!(filtered["recordsTotal"], 1);
    let later = (Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let none = http
        .get(
            &format!(
                "/api/v1/ActivitySession/Search?filterDateTimeMin={}",
                later.replace('+', "%2B")
            ),
            &admin,
        )
        .expect(200)
        .json();
    assert_eq!(none["recordsTotal"], 0);

    let waiting = http
        .get(
            "/api/v1/ActivitySession/SummaryByStatus/ApprovalRequired",
            &admin,
        )
        .expect(200)
        .json();
    assert_eq!(waiting["recordsTotal"], 1);
    assert_eq!(waiting["data"][0]["status"], APPROVAL_REQUIRED);
    let by_user = http
        .get(
            "/api/v1/ActivitySession/SummaryByStatus/ActiveNoLogon?userName=uma",
            &admin,
        )
        .expect(200)
        .json();
    assert_eq!(by_user["recordsTotal"], 1);
    let mine = http
        .get("/api/v1/ActivitySession/MySummaryByStatus/historical", &uma)
        .expect(200)
        .json();
    assert_eq!(mine["recordsTotal"], 0);
    http.get("/api/v1/ActivitySession/SummaryByStatus/Sleeping", &admin)
        .problem(400);
    let web01 = http
        .get("/api/v1/ManagedResource", &admin)
        .expect(200)
        .json();
    let web01_id = web01
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "web01")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let for_resource = http
        .get(
            &format!("/api/v1/ActivitySession/SummaryForResource/{web01_id}"),
            &admin,
        )
        .expect(200)
        .json();
    assert_eq!(for_resource["recordsTotal"], 1);

    let count = http
        .get("/api/v1/ActivitySession/Count", &admin)
        .expect(200)
        .json();
    assert_eq!(count["ApprovalRequired"], 1);
    assert_eq!(count["Completed"], 0);
    let user_count = http
        .get("/api/v1/ActivitySession/Count", &ulf)
        .expect(200)
        .json();
    assert_eq!(
        user_count["ApprovalRequired"], 0,
        "a user counts only their own"
    );

    let log = http
        .get(
            &format!(
                "/api/v1/ActivitySession/{first}/Log?logLevel=Information&filterText=GRANT&take=1"
            ),
            &uma,
        )
        .expect(200)
        .json();
    assert_eq!(log["totalCount"], 1);
    let line = &log["lines"][0];
    assert_eq!(line["status"], 1);
    assert_eq!(line["statusString"], "Info");
    assert!(line["timestamp"].as_str().unwrap().ends_with('Z'));
    http.get(
        &format!("/api/v1/ActivitySession/{first}/Log?logLevel=Loud"),
        &uma,
    )
    .problem(400);
}

#[test]
fn webhook_actions_post_the_session_and_retry() {
    let env = TestEnv::new();
    let receiver = common::WebhookReceiver::start(vec![500, 200, 200]);
    let url = format!("{}/hook?token=s3cr3t-query", receiver.base);
    let config = env.write(
        "hooks.toml",
        &format!(
            "[[activities]]\nname = \"Hooked\"\nplatform = \"Linux\"\n\
             [[activities.pre_session]]\ntype = \"webhook\"\nurl = \"{url}\"\nretries = 2\ntimeout = \"5s\"\n\
             [activities.pre_session.headers]\nAuthorization = \"Bearer hook-secret\"\n\
             [[activities.post_session]]\ntype = \"webhook\"\nurl = \"{url}\"\n\
             [[policies]]\nname = \"Hooks\"\nusers = [\"uma\"]\nactivities = [\"Hooked\"]\nresources = [\"web01\"]\nmax_duration = \"1h\"\n"
        ),
    );
    let server = start_with(&env, &config);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let id = create_id(
        &http,
        &uma,
        json!({"activityName": "Hooked", "managedResourceName": "web01"}),
    );
    wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{id}"),
        Some(&uma),
        None,
    )
    .expect(200);
    wait_for(&http, &uma, &id, COMPLETED);

    let bodies = receiver.bodies();
    assert_eq!(
        bodies.len(),
        3,
        "one retry, then the post-session call: {bodies:?}"
    );
    let first: Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(first["event"], "pre-session");
    assert_eq!(first["session"]["PAMCTL_SESSION_ID"], id);
    assert_eq!(first["session"]["PAMCTL_USER"], "uma");
    let last: Value = serde_json::from_str(&bodies[2]).unwrap();
    assert_eq!(last["event"], "post-session");
    let log = log_text(&http, &uma, &id);
    assert!(log.contains("answered 500"), "{log}");
    assert!(log.contains("answered 200"), "{log}");
    assert!(
        !log.contains("s3cr3t-query") && !log.contains("hook-secret"),
        "secrets in the log:\n{log}"
    );
}

/// The two leaks of webhook secrets into session logs that requesters read: a `?token=` on a
/// URL with no path (the HTTP client adds `/`, so an exact-string mask missed it in the
/// error text) and `user:password@` in the URL. Both webhooks point at a closed port, so
/// every attempt fails with an error that names the URL.
#[test]
fn webhook_urls_reach_the_session_log_without_their_secrets() {
    let env = TestEnv::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let config = env.write(
        "leaky.toml",
        &format!(
            "[[activities]]\nname = \"Leaky\"\nplatform = \"Linux\"\n\
             [[activities.pre_session]]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:{port}?token=s3cr3t-nopath\"\nretries = 1\ntimeout = \"2s\"\n\
             [[activities.post_session]]\ntype = \"webhook\"\nurl = \"http://hookuser:p4ss-in-url@127.0.0.1:{port}/end?sig=abc123sig\"\nretries = 0\ntimeout = \"2s\"\n\
             [[policies]]\nname = \"Leaks\"\nusers = [\"uma\"]\nactivities = [\"Leaky\"]\nresources = [\"web01\"]\nmax_duration = \"1h\"\n"
        ),
    );
    let server = start_with(&env, &config);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let id = create_id(
        &http,
        &uma,
        json!({"activityName": "Leaky", "managedResourceName": "web01"}),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let log = loop {
        let log = log_text(&http, &uma, &id);
        if log.matches("failed").count() >= 2 && log.contains("/end") {
            break log;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "both webhooks never failed:\n{log}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    for secret in ["s3cr3t-nopath", "p4ss-in-url", "hookuser", "abc123sig"] {
        assert!(!log.contains(secret), "{secret} in the session log:\n{log}");
    }
    assert!(
        log.contains("token=***"),
        "the parameter's name stays: {log}"
    );
    assert!(log.contains("***@127.0.0.1"), "{log}");
    assert!(!server.stderr_text().contains("s3cr3t-nopath"));
}

#[test]
fn lock_actions_run_and_secret_values_are_masked() {
    let env = TestEnv::new();
    let config = env.write(
        "lock.toml",
        "[[activities]]\nname = \"Guarded\"\nplatform = \"Linux\"\n\
         [[activities.pre_session]]\ntype = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"echo using $API_TOKEN for $PAMCTL_LOGIN_ACCOUNT\"]\nsecret_env = [\"API_TOKEN\"]\n\
         [activities.pre_session.env]\nAPI_TOKEN = \"tok-123-secret\"\n\
         [[activities.on_lock]]\ntype = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"echo freezing $PAMCTL_SESSION_ID\"]\n\
         [[activities.on_unlock]]\ntype = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", \"echo thawing\"]\n\
         [[policies]]\nname = \"Guard\"\nusers = [\"uma\"]\nactivities = [\"Guarded\"]\nresources = [\"web01\"]\nmax_duration = \"1h\"\n",
    );
    let server = start_with(&env, &config);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let id = create_id(
        &http,
        &uma,
        json!({"activityName": "Guarded", "managedResourceName": "web01"}),
    );
    wait_for(&http, &uma, &id, ACTIVE_NO_LOGON);
    for locked in [true, false] {
        let body = json!({"activitySessionIds": [id], "locked": locked}).to_string();
        http.send(
            "PUT",
            "/api/v1/ActivitySession/lock",
            Some(&admin),
            Some(&body),
        )
        .expect(200);
    }
    // Lock and unlock actions run through the outbox, after the request has answered.
    let deadline = Instant::now() + Duration::from_secs(30);
    let log = loop {
        let log = log_text(&http, &uma, &id);
        if log.contains("unlock action 1: thawing") || Instant::now() > deadline {
            break log;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(log.contains("using *** for uma"), "{log}");
    assert!(!log.contains("tok-123-secret"), "{log}");
    let lock_at = log.find("lock action 1: freezing").unwrap_or(usize::MAX);
    let unlock_at = log.find("unlock action 1: thawing").unwrap_or(0);
    assert!(
        lock_at < unlock_at,
        "the lock's action runs before the unlock's: {log}"
    );
    assert!(
        log.contains(&format!("lock action 1: freezing {id}")),
        "{log}"
    );
    assert!(log.contains("unlock action 1: thawing"), "{log}");
}

#[test]
fn ending_a_session_during_provisioning_cleans_up_and_cancels_it() {
    let env = TestEnv::new();
    let (server, trace) = traced_server(
        &env,
        &["echo granting >> DIR/pre; sleep 2"],
        &["echo $PAMCTL_SESSION_ID >> DIR/post"],
    );
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let id = create_id(
        &http,
        &uma,
        json!({"activityName": "Traced Task", "managedResourceName": "web01"}),
    );
    wait_for_file_line(&trace.join("pre"), "granting");
    let ended = http
        .send(
            "DELETE",
            &format!("/api/v1/ActivitySession/{id}"),
            Some(&uma),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(
        ended["status"], 2,
        "canceling at once; clean-up follows the running action: {ended}"
    );
    let cancelled = wait_for(&http, &uma, &id, CANCELLED);
    assert!(
        cancelled["actualStartDateTimeUtc"].is_null(),
        "it never became Available"
    );
    assert_eq!(
        lines_of(&trace.join("post")),
        std::slice::from_ref(&id),
        "what the pre-session action granted was taken back"
    );
    assert!(log_text(&http, &uma, &id).contains("end requested by uma during provisioning"));
}

/// `GET .../Ssh/{id}` and `.../Rdp/{id}`: how NPS clients open a live session. Only its
/// requester gets them, only while it is live and not locked, and each only for its platform.
#[test]
fn ssh_urls_and_rdp_files_open_live_sessions_for_their_requester() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let rita = http.sign_in("rita", DEV_PASSWORD);
    let ravi = http.sign_in("ravi", DEV_PASSWORD);

    let linux = create_id(&http, &uma, linux_on("web01"));
    wait_for(&http, &uma, &linux, ACTIVE_NO_LOGON);
    let url = http
        .get(&format!("/api/v1/ActivitySession/Ssh/{linux}"), &uma)
        .expect(200)
        .json();
    let url = url.as_str().unwrap();
    assert!(
        url.starts_with("ssh://uma@10.0.0.11"),
        "web01's address: {url}"
    );
    assert!(url.ends_with(":22"), "{url}");
    let wrong_kind = http
        .get(&format!("/api/v1/ActivitySession/Rdp/{linux}"), &uma)
        .problem(422);
    assert!(wrong_kind["detail"].as_str().unwrap().contains("Windows"));
    http.get(&format!("/api/v1/ActivitySession/Ssh/{linux}"), &admin)
        .problem(403);
    http.get(&format!("/api/v1/ActivitySession/Ssh/{linux}"), &rita)
        .problem(403);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    http.get(&format!("/api/v1/ActivitySession/Ssh/{linux}"), &ulf)
        .problem(404);

    let lock = json!({"activitySessionIds": [linux], "locked": true, "lockTitle": "hold", "lockMessage": "wait"});
    http.send(
        "PUT",
        "/api/v1/ActivitySession/lock",
        Some(&admin),
        Some(&lock.to_string()),
    )
    .expect(200);
    http.get(&format!("/api/v1/ActivitySession/Ssh/{linux}"), &uma)
        .problem(409);

    let windows = create_id(
        &http,
        &uma,
        json!({"activityName": "Windows Local Admin", "managedResourceName": "win01"}),
    );
    http.get(&format!("/api/v1/ActivitySession/Rdp/{windows}"), &uma)
        .problem(409);
    for reviewer in [&rita, &ravi] {
        http.send(
            "POST",
            &format!("/api/v1/ActivitySession/{windows}/Approve"),
            Some(reviewer),
            None,
        )
        .expect(200);
    }
    wait_for(&http, &uma, &windows, ACTIVE_NO_LOGON);
    let reply = http.get(&format!("/api/v1/ActivitySession/Rdp/{windows}"), &uma);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.content_type, "application/x-rdp");
    assert!(reply.body.starts_with("full address:s:"), "{}", reply.body);
    assert!(reply.body.contains(":3389\r\n"), "{}", reply.body);
    assert!(reply.body.contains("username:s:"), "{}", reply.body);
}

/// `SummaryByStatus/Historical` and `MySummaryByStatus/Historical`: every finished session
/// the caller may see (or requested), and none that is still open.
#[test]
fn historical_summaries_list_the_finished_sessions() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let ended = create_id(&http, &uma, linux_on("web01"));
    wait_for(&http, &uma, &ended, ACTIVE_NO_LOGON);
    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{ended}"),
        Some(&uma),
        None,
    )
    .expect(200);
    wait_for(&http, &uma, &ended, COMPLETED);
    let open = create_id(&http, &uma, linux_on("web02"));
    wait_for(&http, &uma, &open, ACTIVE_NO_LOGON);

    let ids = |table: &Value| -> Vec<String> {
        table["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_str().unwrap().to_owned())
            .collect()
    };
    for (path, token) in [
        ("/api/v1/ActivitySession/SummaryByStatus/Historical", &admin),
        ("/api/v1/ActivitySession/MySummaryByStatus/historical", &uma),
    ] {
        let table = http.get(path, token).expect(200).json();
        assert_eq!(ids(&table), std::slice::from_ref(&ended), "{path}: {table}");
        assert_eq!(table["recordsTotal"], 1, "{path}");
        assert_eq!(table["data"][0]["status"], COMPLETED, "{path}");
    }
    // Another user sees none of uma's history, in either list.
    for path in [
        "/api/v1/ActivitySession/SummaryByStatus/Historical",
        "/api/v1/ActivitySession/MySummaryByStatus/Historical",
    ] {
        let table = http.get(path, &ulf).expect(200).json();
        assert_eq!(table["recordsTotal"], 0, "{path}: {table}");
    }
    // The admin requested none of them.
    let mine = http
        .get(
            "/api/v1/ActivitySession/MySummaryByStatus/Historical",
            &admin,
        )
        .expect(200)
        .json();
    assert_eq!(mine["recordsTotal"], 0, "{mine}");
}
