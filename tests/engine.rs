//! The session engine of issue 8 over the wire: actions exactly once through SIGKILLs and
//! concurrent requests, bounded start times, end actions that fail visibly until they succeed
//! or an admin resolves them, and per-user caps.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::{DEV_PASSWORD, Http, Reply, Server, ServerOptions, TestEnv, lines_of, stderr_of};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

/// `ActivitySession.status` (SessionStatus).
mod wire_status {
    pub const ACTIVE: u64 = 1;
    pub const COMPLETE: u64 = 3;
    pub const FAILED: u64 = 4;
    pub const CANCELLED: u64 = 5;
    pub const APPROVAL_REQUIRED: u64 = 8;
}

/// `SessionSummary.status` (SessionSummaryStatus).
mod summary_status {
    pub const ACTIVE_NO_LOGON: u64 = 2;
    pub const COMPLETED: u64 = 4;
    pub const COMPLETED_WITH_ERRORS: u64 = 5;
    pub const PENDING: u64 = 6;
    pub const APPROVAL_DENIED: u64 = 9;
}

const WAIT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// Helpers

/// The dev seed plus `config`, with `extra_args` on the command line.
fn start_with(env: &TestEnv, config: &str, extra_args: &[&str]) -> Server {
    let path = env.write("engine.toml", config);
    Server::start(
        env,
        ServerOptions {
            config: Some(&path),
            extra_args: extra_args.iter().map(|a| (*a).to_owned()).collect(),
            ..Default::default()
        },
    )
}

/// A command action running `script` under `sh -c`, as a TOML table of `phase`.
fn command_action(phase: &str, script: &str) -> String {
    assert!(
        !script.contains('\''),
        "scripts go in TOML literal strings: {script}"
    );
    format!(
        "[[activities.{phase}]]\ntype = \"command\"\nprogram = \"sh\"\nargs = [\"-c\", '{script}']\ntimeout = \"30s\"\n"
    )
}

fn post(http: &Http, token: &str, path: &str, body: &Value) -> Reply {
    http.send("POST", path, Some(token), Some(&body.to_string()))
}

fn create(http: &Http, token: &str, body: Value) -> Value {
    post(http, token, "/api/v1/ActivitySession", &body)
        .expect(201)
        .json()
}

fn create_id(http: &Http, token: &str, body: Value) -> String {
    str_of(&create(http, token, body), "id").to_owned()
}

fn str_of<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("no string {field} in {value}"))
}

fn request(activity: &str, resource: &str) -> Value {
    json!({"activityName": activity, "managedResourceName": resource})
}

fn session(http: &Http, token: &str, id: &str) -> Value {
    http.get(&format!("/api/v1/ActivitySession/{id}"), token)
        .expect(200)
        .json()
}

fn summary(http: &Http, token: &str, id: &str) -> Value {
    http.get(&format!("/api/v1/ActivitySession/SummaryById/{id}"), token)
        .expect(200)
        .json()
}

/// Polls `check` until it gives a value or `deadline` passes; `what` says what was awaited.
fn poll<T>(
    what: impl Fn() -> String,
    timeout: Duration,
    mut check: impl FnMut() -> Option<T>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out: {}", what());
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Polls until the session's summary status is `status`; returns the summary.
fn wait_for_summary(http: &Http, token: &str, id: &str, status: u64) -> Value {
    poll(
        || {
            format!(
                "session {id} never reached summary status {status}: {}",
                summary(http, token, id)
            )
        },
        WAIT,
        || Some(summary(http, token, id)).filter(|s| s["status"] == status),
    )
}

/// The session log's messages, oldest first; `level` filters (e.g. "Error").
fn log_messages(http: &Http, token: &str, id: &str, level: Option<&str>) -> Vec<String> {
    let query = level.map(|l| format!("?logLevel={l}")).unwrap_or_default();
    let log = http
        .get(&format!("/api/v1/ActivitySession/{id}/Log{query}"), token)
        .expect(200)
        .json();
    log["lines"]
        .as_array()
        .unwrap_or_else(|| panic!("no lines: {log}"))
        .iter()
        .map(|l| l["logMessage"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn count_starting_with(lines: &[String], prefix: &str) -> usize {
    lines.iter().filter(|l| l.starts_with(prefix)).count()
}

fn count_lines_equal(path: &Path, wanted: &str) -> usize {
    lines_of(path).iter().filter(|l| *l == wanted).count()
}

/// Whether a problem names `field`, as its `field` member or in its text.
fn names_field(problem: &Value, field: &str) -> bool {
    let lower = field.to_lowercase();
    problem["field"]
        .as_str()
        .is_some_and(|f| f.to_lowercase() == lower)
        || ["title", "detail"].iter().any(|member| {
            problem[*member]
                .as_str()
                .is_some_and(|text| text.contains(field))
        })
}

/// The ids of every session `token` may see (at most 500).
fn all_session_ids(http: &Http, token: &str) -> Vec<String> {
    let page = http
        .get("/api/v1/ActivitySession/Search?take=500", token)
        .expect(200)
        .json();
    let total = page["recordsTotal"]
        .as_u64()
        .unwrap_or_else(|| panic!("{page}"));
    assert!(total <= 500, "more sessions than one page: {total}");
    page["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|s| str_of(s, "id").to_owned())
        .collect()
}

/// Moves the broker's manual clock; returns its new time.
fn advance_clock(http: &Http, admin: &str, seconds: i64) -> DateTime<Utc> {
    let answer = post(
        http,
        admin,
        "/api/v1/Test/Clock",
        &json!({"advanceSeconds": seconds}),
    )
    .expect(200)
    .json();
    str_of(&answer, "now").parse().expect("an RFC 3339 time")
}

/// Runs `count` requests at once (released together by a barrier); returns their replies.
fn all_at_once(
    base: &str,
    count: usize,
    send: impl Fn(&Http, usize) -> Reply + Send + Sync + 'static,
) -> Vec<Reply> {
    let barrier = Arc::new(Barrier::new(count));
    let send = Arc::new(send);
    let handles: Vec<_> = (0..count)
        .map(|index| {
            let barrier = Arc::clone(&barrier);
            let send = Arc::clone(&send);
            let http = Http::new(base);
            std::thread::spawn(move || {
                barrier.wait();
                send(&http, index)
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("request thread"))
        .collect()
}

fn statuses(replies: &[Reply]) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for reply in replies {
        *counts.entry(reply.status).or_default() += 1;
    }
    counts
}

// ---------------------------------------------------------------------------------------------
// Crash safety

/// How many times the crash test kills the broker.
const KILLS: usize = 100;

/// What the test asked of one session and how the broker answered.
#[derive(Default, Debug)]
struct Asked {
    locks_done: usize,
    locks_unsure: usize,
    unlocks_done: usize,
    unlocks_unsure: usize,
}

/// One HTTP exchange that may meet a dead broker: `Err` when no answer came, so the request
/// may or may not have been carried out.
fn try_send(
    client: &reqwest::blocking::Client,
    base: &str,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> Result<(u16, String), String> {
    let mut request = client
        .request(method, format!("{base}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response.text().map_err(|e| e.to_string())?;
    Ok((status, text))
}

/// Processes whose command line contains `marker`, other than this test's own.
fn processes_with(marker: &str) -> Vec<String> {
    let own = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .chars()
                .all(|c| c.is_ascii_digit())
        })
        .filter(|e| e.file_name().to_string_lossy() != own)
        .filter_map(|e| {
            let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
            let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            text.contains(marker)
                .then(|| format!("{}: {text}", e.file_name().to_string_lossy()))
        })
        .collect()
}

fn assert_no_action_processes(marker: &str, after: &str) {
    // PR_SET_PDEATHSIG is delivered when the broker dies; allow the kernel a moment.
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let left = processes_with(marker);
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "action processes outlived the broker {after}: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every action of "Crash Task" sleeps, then appends "RUN PHASE SESSION" to `effects` unless
/// its run id is already there: a side effect made idempotent by its key, as the engine's
/// contract asks of real actions.
fn crash_config(effects: &Path) -> String {
    let file = effects.display();
    let script = format!(
        "sleep 0.2; grep -q \"^$PAMCTL_RUN_ID \" {file} 2>/dev/null || echo \"$PAMCTL_RUN_ID $PAMCTL_PHASE $PAMCTL_SESSION_ID\" >> {file}"
    );
    let mut config = String::from("[[activities]]\nname = \"Crash Task\"\nplatform = \"Linux\"\n");
    for phase in ["pre_session", "post_session", "on_lock", "on_unlock"] {
        config.push_str(&command_action(phase, &script));
    }
    config.push_str(
        "\n[[policies]]\nname = \"Crash\"\nusers = [\"uma\"]\nactivities = [\"Crash Task\"]\nresources = [\"web01\", \"web02\"]\nmax_duration = \"1h\"\n",
    );
    config
}

/// What the crash test expects of its sessions at the end.
struct Expected<'a> {
    ids: &'a [String],
    asked: &'a HashMap<String, Asked>,
    /// Sessions that outlive the kills and are never ended during them.
    held: &'a [String],
    /// Whether the held sessions should still be active (else finished, like the rest).
    held_active: bool,
}

/// What is wrong, so far, with the sessions and the effects in `effects`.
///
/// Every lock and unlock of an active session runs its action, in order; once clean-up starts
/// the ones not yet run are moot and dropped, by design. So a logged lock or unlock of a
/// session still active has exactly one effect, the last one matching its lock state; one of
/// an ended session at most one.
fn crash_problems(http: &Http, admin: &str, expected: &Expected, effects: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut by_run: HashMap<String, Vec<String>> = HashMap::new();
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    let mut last_lock_effect: HashMap<String, String> = HashMap::new();
    for line in lines_of(effects) {
        let parts: Vec<&str> = line.split(' ').collect();
        let [run, phase, session_id] = parts[..] else {
            problems.push(format!("a malformed effect line: {line:?}"));
            continue;
        };
        if run.is_empty() {
            problems.push(format!("an action ran without PAMCTL_RUN_ID: {line:?}"));
        }
        if !["pre-session", "post-session", "lock", "unlock"].contains(&phase) {
            problems.push(format!("an unknown PAMCTL_PHASE: {line:?}"));
        }
        by_run.entry(run.to_owned()).or_default().push(line.clone());
        if phase == "lock" || phase == "unlock" {
            last_lock_effect.insert(session_id.to_owned(), phase.to_owned());
        }
        *counts
            .entry((session_id.to_owned(), phase.to_owned()))
            .or_default() += 1;
    }
    for (run, lines) in &by_run {
        if lines.len() > 1 {
            problems.push(format!(
                "run id {run} has {} effects: {lines:?}",
                lines.len()
            ));
        }
    }
    let count = |id: &str, phase: &str| {
        counts
            .get(&(id.to_owned(), phase.to_owned()))
            .copied()
            .unwrap_or(0)
    };
    for id in expected.ids {
        let current = session(http, admin, id);
        let status = current["status"].as_u64().unwrap_or(u64::MAX);
        let held_active = expected.held_active && expected.held.contains(id);
        if held_active && status != wire_status::ACTIVE {
            problems.push(format!(
                "held session {id} is not active: status {status}, {:?}",
                current["statusMessage"]
            ));
        }
        if !held_active && status != wire_status::COMPLETE && status != wire_status::CANCELLED {
            problems.push(format!(
                "session {id} is not finished: status {status}, {:?}",
                current["statusMessage"]
            ));
        }
        let (pre, post_effects) = (count(id, "pre-session"), count(id, "post-session"));
        if current["actualStartDateTimeUtc"].is_string() && pre != 1 {
            problems.push(format!(
                "session {id} became Available with {pre} pre-session effects"
            ));
        }
        if pre > 1 || post_effects > 1 {
            problems.push(format!(
                "session {id}: {pre} pre-session and {post_effects} post-session effects"
            ));
        }
        if status == wire_status::COMPLETE && post_effects != 1 {
            problems.push(format!(
                "session {id} is Complete with {post_effects} post-session effects"
            ));
        }
        if pre == 1 && post_effects != 1 && !held_active {
            problems.push(format!(
                "session {id} was granted access, and its post-session effect appears {post_effects} times"
            ));
        }
        let log = log_messages(http, admin, id, None);
        let locks = count_starting_with(&log, "locked by");
        let unlocks = count_starting_with(&log, "unlocked by");
        if count(id, "lock") > locks || count(id, "unlock") > unlocks {
            problems.push(format!(
                "session {id}: {locks} locks and {unlocks} unlocks logged, {} lock and {} unlock effects",
                count(id, "lock"),
                count(id, "unlock")
            ));
        }
        if held_active && (count(id, "lock") != locks || count(id, "unlock") != unlocks) {
            problems.push(format!(
                "held session {id}: {locks} locks and {unlocks} unlocks logged, {} lock and {} unlock effects",
                count(id, "lock"),
                count(id, "unlock")
            ));
        }
        if held_active && locks + unlocks > 0 {
            let state = if current["locked"] == true {
                "lock"
            } else {
                "unlock"
            };
            let last = last_lock_effect.get(id).map(String::as_str);
            if last != Some(state) {
                problems.push(format!(
                    "held session {id} is in {state} state, and its last lock/unlock effect is {last:?} \
                     ({locks} locks, {unlocks} unlocks logged): {:#?}",
                    log.iter().filter(|l| l.contains("lock")).collect::<Vec<_>>()
                ));
            }
        }
        if let Some(asked) = expected.asked.get(id) {
            let lock_range = asked.locks_done..=asked.locks_done + asked.locks_unsure;
            let unlock_range = asked.unlocks_done..=asked.unlocks_done + asked.unlocks_unsure;
            if !lock_range.contains(&locks) || !unlock_range.contains(&unlocks) {
                problems.push(format!(
                    "session {id}: {locks} locks and {unlocks} unlocks logged after {asked:?}"
                ));
            }
        }
    }
    problems
}

/// One round's requests against a broker that will be killed at any moment: at most two new
/// sessions, then locks, unlocks and ends of the open ones, until the broker stops answering.
#[allow(clippy::too_many_arguments)]
fn crash_round(
    rng: &mut StdRng,
    base: &str,
    uma: &str,
    admin: &str,
    open: &mut Vec<String>,
    held: &[String],
    asked: &mut HashMap<String, Asked>,
    killed: &dyn Fn() -> bool,
) {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut created = 0;
    while !killed() {
        if created < 2 {
            created += 1;
            let end = Utc::now() + chrono::Duration::milliseconds(rng.gen_range(1500..5000));
            let resource = if rng.gen_bool(0.5) { "web01" } else { "web02" };
            let body = json!({
                "activityName": "Crash Task", "managedResourceName": resource,
                "endDateTimeUtc": end.to_rfc3339(),
            });
            match try_send(
                &client,
                base,
                reqwest::Method::POST,
                "/api/v1/ActivitySession",
                uma,
                Some(&body),
            ) {
                Ok((201, text)) => {
                    let created: Value = serde_json::from_str(&text).expect("JSON");
                    let id = str_of(&created, "id").to_owned();
                    asked.insert(id.clone(), Asked::default());
                    open.push(id);
                }
                Ok((status, text)) => panic!("create answered {status}: {text}"),
                // Created or not: the final search finds it either way.
                Err(_) => return,
            }
        } else if !open.is_empty() {
            let index = rng.gen_range(0..open.len());
            let id = open[index].clone();
            let Ok((200, text)) = try_send(
                &client,
                base,
                reqwest::Method::GET,
                &format!("/api/v1/ActivitySession/{id}"),
                uma,
                None,
            ) else {
                return;
            };
            let current: Value = serde_json::from_str(&text).expect("JSON");
            let status = current["status"].as_u64().unwrap_or_default();
            if status == wire_status::COMPLETE
                || status == wire_status::CANCELLED
                || status == wire_status::FAILED
            {
                open.swap_remove(index);
                continue;
            }
            if status != wire_status::ACTIVE {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            let locked = current["locked"] == true;
            let roll: f64 = rng.r#gen();
            if roll < 0.15 && !held.contains(&id) {
                let outcome = try_send(
                    &client,
                    base,
                    reqwest::Method::DELETE,
                    &format!("/api/v1/ActivitySession/{id}"),
                    uma,
                    None,
                );
                match outcome {
                    Ok((200, _)) => {}
                    Ok((status, text)) => panic!("end answered {status}: {text}"),
                    Err(_) => return,
                }
            } else if roll < 0.6 {
                let body = json!({"activitySessionIds": [id], "locked": !locked});
                let outcome = try_send(
                    &client,
                    base,
                    reqwest::Method::PUT,
                    "/api/v1/ActivitySession/lock",
                    admin,
                    Some(&body),
                );
                let record = asked.entry(id.clone()).or_default();
                let (done, unsure) = if locked {
                    (&mut record.unlocks_done, &mut record.unlocks_unsure)
                } else {
                    (&mut record.locks_done, &mut record.locks_unsure)
                };
                match outcome {
                    Ok((200, _)) => *done += 1,
                    // The session ended meanwhile: nothing changed.
                    Ok((409, _)) => {}
                    Ok((status, text)) => panic!("lock answered {status}: {text}"),
                    Err(_) => {
                        *unsure += 1;
                        return;
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(rng.gen_range(10..60)));
    }
}

#[test]
fn actions_take_effect_exactly_once_across_a_hundred_sigkills() {
    let env = TestEnv::new();
    let effects = env.path("effects");
    let config = env.write("crash.toml", &crash_config(&effects));
    let marker = effects.display().to_string();
    let seed: u64 = std::env::var("PAMCTL_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    eprintln!("crash test seed {seed} (set PAMCTL_CRASH_SEED to replay another)");
    let mut rng = StdRng::seed_from_u64(seed);
    let options = || ServerOptions {
        config: Some(&config),
        ..Default::default()
    };

    let mut asked: HashMap<String, Asked> = HashMap::new();
    let (uma, admin, held) = {
        let server = Server::start(&env, options());
        let http = server.http();
        let uma = http.sign_in("uma", DEV_PASSWORD);
        let admin = http.sign_in("admin", DEV_PASSWORD);
        // Sessions that stay active through every kill, so that their lock state at the end
        // shows whether the last lock or unlock took effect.
        let end = (Utc::now() + chrono::Duration::minutes(55)).to_rfc3339();
        let held: Vec<String> = ["web01", "web02", "web01"]
            .iter()
            .map(|resource| {
                create_id(
                    &http,
                    &uma,
                    json!({"activityName": "Crash Task", "managedResourceName": resource,
                           "endDateTimeUtc": end}),
                )
            })
            .collect();
        server.terminate();
        (uma, admin, held)
    };
    for id in &held {
        asked.insert(id.clone(), Asked::default());
    }
    let mut open: Vec<String> = held.clone();
    let began = Instant::now();
    for round in 0..KILLS {
        let server = Server::start(&env, options());
        let pid = server.pid() as libc::pid_t;
        let kill_after = Duration::from_millis(rng.gen_range(0..550));
        let killer = std::thread::spawn(move || {
            std::thread::sleep(kill_after);
            // SAFETY: kill(2) on our own child's pid, which has not been reaped yet.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        });
        crash_round(
            &mut rng,
            &server.url,
            &uma,
            &admin,
            &mut open,
            &held,
            &mut asked,
            &|| killer.is_finished(),
        );
        killer.join().expect("killer");
        server.kill_hard();
        assert_no_action_processes(&marker, &format!("was killed (round {round})"));
    }
    eprintln!(
        "{KILLS} kills in {:?}; {} sessions asked for",
        began.elapsed(),
        asked.len()
    );

    let server = Server::start(&env, options());
    let http = server.http();
    let mut ids = all_session_ids(&http, &admin);
    for id in asked.keys() {
        assert!(ids.contains(id), "session {id} was created and is gone");
    }
    ids.sort();
    for held_active in [true, false] {
        let expected = Expected {
            ids: &ids,
            asked: &asked,
            held: &held,
            held_active,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let problems = crash_problems(&http, &admin, &expected, &effects);
            if problems.is_empty() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "after {KILLS} kills (seed {seed}), held sessions active: {held_active}, {} problems:\n{}",
                problems.len(),
                problems.join("\n")
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        if held_active {
            for id in &held {
                http.send(
                    "DELETE",
                    &format!("/api/v1/ActivitySession/{id}"),
                    Some(&uma),
                    None,
                )
                .expect(200);
            }
        }
    }
    server.terminate();
    assert_no_action_processes(&marker, "was stopped");
}

// ---------------------------------------------------------------------------------------------
// Concurrency

/// "Counted Task" records each action run as a line (its session id) in DIR/<phase>; its
/// policy allows one extension. "Counted Approval" needs one of rita and ravi.
fn counted_config(dir: &Path) -> String {
    let dir = dir.display();
    let mut config =
        String::from("[[activities]]\nname = \"Counted Task\"\nplatform = \"Linux\"\n");
    for (phase, file) in [
        ("pre_session", "pre"),
        ("post_session", "post"),
        ("on_lock", "lock"),
        ("on_unlock", "unlock"),
    ] {
        config.push_str(&command_action(
            phase,
            &format!("echo $PAMCTL_SESSION_ID >> {dir}/{file}"),
        ));
    }
    config.push_str("\n[[activities]]\nname = \"Counted Approval\"\nplatform = \"Linux\"\n");
    config.push_str(&command_action(
        "pre_session",
        &format!("echo $PAMCTL_SESSION_ID >> {dir}/approved-pre"),
    ));
    config.push_str(
        r#"
[[policies]]
name = "Counted"
users = ["uma"]
activities = ["Counted Task"]
resources = ["web01"]
max_duration = "1h"
[policies.extension]
max_count = 1
max_each = "1h"

[[policies]]
name = "Counted Review"
users = ["uma"]
activities = ["Counted Approval"]
resources = ["web02"]
max_duration = "1h"
[[policies.approval]]
approvers = ["rita", "ravi"]
required = 1
"#,
    );
    config
}

struct Counted {
    env: TestEnv,
    server: Server,
    http: Http,
    uma: String,
    admin: String,
}

impl Counted {
    fn start() -> Self {
        let env = TestEnv::new();
        let dir = env.path("counted");
        std::fs::create_dir_all(&dir).expect("trace dir");
        let server = start_with(&env, &counted_config(&dir), &[]);
        let http = server.http();
        let uma = http.sign_in("uma", DEV_PASSWORD);
        let admin = http.sign_in("admin", DEV_PASSWORD);
        Self {
            env,
            server,
            http,
            uma,
            admin,
        }
    }

    fn runs(&self, file: &str, id: &str) -> usize {
        count_lines_equal(&self.env.path("counted").join(file), id)
    }

    /// A "Counted Task" session that is Available.
    fn available(&self) -> String {
        let id = create_id(&self.http, &self.uma, request("Counted Task", "web01"));
        wait_for_summary(&self.http, &self.uma, &id, summary_status::ACTIVE_NO_LOGON);
        id
    }

    /// Ends the session and waits until it is Complete, so every action it queued has run.
    fn finish(&self, id: &str) {
        self.http
            .send(
                "DELETE",
                &format!("/api/v1/ActivitySession/{id}"),
                Some(&self.uma),
                None,
            )
            .expect(200);
        wait_for_summary(&self.http, &self.uma, id, summary_status::COMPLETED);
    }
}

#[test]
fn concurrent_lock_requests_lock_once_and_run_the_lock_action_once() {
    let counted = Counted::start();
    for count in [5, 50] {
        let id = counted.available();
        let body = json!({"activitySessionIds": [id], "locked": true, "lockTitle": "race"});
        let admin = counted.admin.clone();
        let replies = all_at_once(&counted.server.url, count, move |http, _| {
            http.send(
                "PUT",
                "/api/v1/ActivitySession/lock",
                Some(&admin),
                Some(&body.to_string()),
            )
        });
        let answered = statuses(&replies);
        assert!(
            answered.keys().all(|s| *s == 200 || *s == 409) && answered.contains_key(&200),
            "{count} locks: {answered:?}"
        );
        assert_eq!(
            summary(&counted.http, &counted.uma, &id)["locked"],
            true,
            "{count} locks"
        );
        poll(
            || format!("the lock action of {id} never ran"),
            WAIT,
            || (counted.runs("lock", &id) > 0).then_some(()),
        );
        counted.finish(&id);
        let log = log_messages(&counted.http, &counted.admin, &id, None);
        assert_eq!(
            count_starting_with(&log, "locked by"),
            1,
            "{count} concurrent locks: {log:#?}"
        );
        assert_eq!(counted.runs("lock", &id), 1, "{count} concurrent locks");
        assert_eq!(counted.runs("post", &id), 1, "{count} concurrent locks");
    }
}

#[test]
fn concurrent_end_requests_end_once_and_run_the_post_session_action_once() {
    let counted = Counted::start();
    for count in [5, 50] {
        let id = counted.available();
        let (uma, admin) = (counted.uma.clone(), counted.admin.clone());
        let target = id.clone();
        let replies = all_at_once(&counted.server.url, count, move |http, index| {
            let token = if index % 2 == 0 { &uma } else { &admin };
            http.send(
                "DELETE",
                &format!("/api/v1/ActivitySession/{target}"),
                Some(token),
                None,
            )
        });
        assert_eq!(
            statuses(&replies),
            BTreeMap::from([(200, count)]),
            "ending is idempotent"
        );
        wait_for_summary(&counted.http, &counted.uma, &id, summary_status::COMPLETED);
        let log = log_messages(&counted.http, &counted.admin, &id, None);
        assert_eq!(
            count_starting_with(&log, "ended by"),
            1,
            "{count} concurrent ends: {log:#?}"
        );
        assert_eq!(counted.runs("post", &id), 1, "{count} concurrent ends");
        assert_eq!(counted.runs("pre", &id), 1, "{count} concurrent ends");
    }
}

#[test]
fn concurrent_extend_requests_count_one_extension() {
    let counted = Counted::start();
    for count in [5, 50] {
        let id = counted.available();
        let before = session(&counted.http, &counted.uma, &id);
        let uma = counted.uma.clone();
        let target = id.clone();
        let replies = all_at_once(&counted.server.url, count, move |http, _| {
            http.send(
                "POST",
                &format!("/api/v1/ActivitySession/{target}/Extend"),
                Some(&uma),
                Some("10"),
            )
        });
        let answered = statuses(&replies);
        assert_eq!(
            answered.get(&200),
            Some(&1),
            "{count} extends, one allowed: {answered:?}"
        );
        assert!(
            answered.keys().all(|s| *s == 200 || *s == 409 || *s == 422),
            "{count} extends: {answered:?}"
        );
        let after = session(&counted.http, &counted.uma, &id);
        assert_eq!(after["sessionExtensionCount"], 1, "{after}");
        assert_eq!(after["sessionExtensionMinutes"], 10, "{after}");
        let end = |s: &Value| -> DateTime<Utc> {
            str_of(s, "scheduledEndDateTimeUtc")
                .parse()
                .expect("a time")
        };
        assert_eq!(
            end(&after) - end(&before),
            chrono::Duration::minutes(10),
            "{count} extends"
        );
        let log = log_messages(&counted.http, &counted.admin, &id, None);
        assert_eq!(
            count_starting_with(&log, "extended by"),
            1,
            "{count} concurrent extends: {log:#?}"
        );
        counted.finish(&id);
    }
}

#[test]
fn concurrent_approvals_approve_once_and_provision_once() {
    let counted = Counted::start();
    let rita = counted.http.sign_in("rita", DEV_PASSWORD);
    let ravi = counted.http.sign_in("ravi", DEV_PASSWORD);
    for count in [5, 50] {
        let created = create(
            &counted.http,
            &counted.uma,
            request("Counted Approval", "web02"),
        );
        assert_eq!(
            created["status"],
            wire_status::APPROVAL_REQUIRED,
            "{created}"
        );
        let id = str_of(&created, "id").to_owned();
        let (rita, ravi) = (rita.clone(), ravi.clone());
        let target = id.clone();
        let replies = all_at_once(&counted.server.url, count, move |http, index| {
            let token = if index % 2 == 0 { &rita } else { &ravi };
            http.send(
                "POST",
                &format!("/api/v1/ActivitySession/{target}/Approve?notes=race"),
                Some(token),
                None,
            )
        });
        let answered = statuses(&replies);
        wait_for_summary(
            &counted.http,
            &counted.uma,
            &id,
            summary_status::ACTIVE_NO_LOGON,
        );
        let approved = session(&counted.http, &counted.uma, &id);
        let decisions: Vec<&Value> = approved["approvalWorkflowApprovals"]
            .as_array()
            .unwrap_or_else(|| panic!("{approved}"))
            .iter()
            .filter(|d| d["approvalState"] == 1)
            .collect();
        counted.finish(&id);
        let log = log_messages(&counted.http, &counted.admin, &id, None);
        let evidence = format!(
            "{count} concurrent approvals answered {answered:?}; decisions recorded: {decisions:#?}; log: {log:#?}"
        );
        assert_eq!(decisions.len(), 1, "{evidence}");
        assert_eq!(count_starting_with(&log, "approved by"), 1, "{evidence}");
        assert!(
            answered.keys().all(|s| *s == 200 || *s == 409),
            "{evidence}"
        );
        // Approving again is idempotent for the reviewer whose approval counted; the other
        // one, too late, is told so.
        let winner = str_of(decisions[0], "modifiedByUserName");
        let approver_of = |index: usize| if index % 2 == 0 { "rita" } else { "ravi" };
        for (index, reply) in replies.iter().enumerate() {
            if approver_of(index) != winner {
                assert_eq!(
                    reply.status,
                    409,
                    "{} too late; {evidence}",
                    approver_of(index)
                );
            }
        }
        assert_eq!(
            counted.runs("approved-pre", &id),
            1,
            "{count} concurrent approvals"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Far-future starts

#[test]
fn far_future_starts_are_refused_and_the_scheduler_keeps_time() {
    let env = TestEnv::new();
    let server = Server::start(
        &env,
        ServerOptions {
            extra_args: vec!["--manual-clock".to_owned()],
            ..Default::default()
        },
    );
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let far = |start: &str| json!({"activityName": "Linux Admin", "managedResourceName": "web01", "startDateTimeUtc": start});

    let year_10000 = post(
        &http,
        &uma,
        "/api/v1/ActivitySession",
        &far("+10000-01-01T00:00:00Z"),
    )
    .problem(422);
    assert!(names_field(&year_10000, "startDateTimeUtc"), "{year_10000}");
    let group: Vec<Value> = (0..110).map(|_| far("+10000-01-01T00:00:00Z")).collect();
    let refused = post(&http, &uma, "/api/v1/ActivitySession/Group", &json!(group)).problem(422);
    assert!(names_field(&refused, "startDateTimeUtc"), "{refused}");

    let now = advance_clock(&http, &admin, 0);
    let beyond_horizon = (now + chrono::Duration::days(366)).to_rfc3339();
    let refused = post(
        &http,
        &uma,
        "/api/v1/ActivitySession",
        &far(&beyond_horizon),
    )
    .problem(422);
    assert!(names_field(&refused, "startDateTimeUtc"), "{refused}");
    // One bad start refuses the whole group.
    let mut mixed: Vec<Value> = (0..109)
        .map(|i| far(&(now + chrono::Duration::hours(1 + i)).to_rfc3339()))
        .collect();
    mixed.push(far(&beyond_horizon));
    let refused = post(&http, &uma, "/api/v1/ActivitySession/Group", &json!(mixed)).problem(422);
    assert!(names_field(&refused, "startDateTimeUtc"), "{refused}");
    assert_eq!(
        all_session_ids(&http, &admin),
        Vec::<String>::new(),
        "nothing was created"
    );

    // Within the horizon is fine; and ordinary sessions keep their times.
    let within = create(
        &http,
        &uma,
        far(&(now + chrono::Duration::days(300)).to_rfc3339()),
    );
    assert_eq!(
        summary(&http, &uma, str_of(&within, "id"))["status"],
        summary_status::PENDING
    );
    let now_id = create_id(
        &http,
        &uma,
        json!({"activityName": "Linux Admin", "managedResourceName": "web01",
               "endDateTimeUtc": (now + chrono::Duration::minutes(10)).to_rfc3339()}),
    );
    let later_id = create_id(
        &http,
        &uma,
        json!({"activityName": "Linux Admin", "managedResourceName": "web02",
               "startDateTimeUtc": (now + chrono::Duration::minutes(5)).to_rfc3339(),
               "endDateTimeUtc": (now + chrono::Duration::minutes(20)).to_rfc3339()}),
    );
    wait_for_summary(&http, &uma, &now_id, summary_status::ACTIVE_NO_LOGON);
    assert_eq!(
        summary(&http, &uma, &later_id)["status"],
        summary_status::PENDING,
        "not started before its time"
    );

    advance_clock(&http, &admin, 5 * 60 + 1);
    wait_for_summary(&http, &uma, &later_id, summary_status::ACTIVE_NO_LOGON);
    assert_eq!(
        summary(&http, &uma, &now_id)["status"],
        summary_status::ACTIVE_NO_LOGON,
        "not ended before its time"
    );
    advance_clock(&http, &admin, 5 * 60);
    wait_for_summary(&http, &uma, &now_id, summary_status::COMPLETED);
    assert_eq!(
        summary(&http, &uma, &later_id)["status"],
        summary_status::ACTIVE_NO_LOGON
    );
    advance_clock(&http, &admin, 10 * 60);
    wait_for_summary(&http, &uma, &later_id, summary_status::COMPLETED);
    assert_eq!(
        summary(&http, &uma, str_of(&within, "id"))["status"],
        summary_status::PENDING,
        "the far session waits for its own time"
    );
}

// ---------------------------------------------------------------------------------------------
// Failing end actions

/// "Fragile Revoke" fails its post-session action three times, then succeeds; "Stuck Revoke"
/// always fails. Attempts are counted in DIR.
fn failing_config(dir: &Path) -> String {
    let dir = dir.display();
    let mut config = String::from(
        "[server]\naction_retry_backoff = \"5s\"\n\n[[activities]]\nname = \"Fragile Revoke\"\nplatform = \"Linux\"\n",
    );
    config.push_str(&command_action(
        "post_session",
        &format!(
            "n=$(cat {dir}/fragile-attempts 2>/dev/null || echo 0); n=$((n+1)); echo $n > {dir}/fragile-attempts; \
             if [ $n -le 3 ]; then echo \"revoke refused on attempt $n\" >&2; exit 1; fi; echo $PAMCTL_SESSION_ID >> {dir}/revoked"
        ),
    ));
    config.push_str("\n[[activities]]\nname = \"Stuck Revoke\"\nplatform = \"Linux\"\n");
    config.push_str(&command_action(
        "post_session",
        &format!(
            "echo $PAMCTL_SESSION_ID >> {dir}/stuck-attempts; n=$(wc -l < {dir}/stuck-attempts); \
             echo \"cannot reach host (attempt $n)\" >&2; exit 7"
        ),
    ));
    config.push_str(
        r#"
[[policies]]
name = "Failing"
users = ["uma"]
activities = ["Fragile Revoke", "Stuck Revoke"]
resources = ["web01"]
max_duration = "1h"
"#,
    );
    config
}

fn failing_server(env: &TestEnv) -> Server {
    let dir = env.path("failing");
    std::fs::create_dir_all(&dir).expect("trace dir");
    start_with(env, &failing_config(&dir), &["--manual-clock"])
}

/// Waits until the broker has recorded a failed attempt of the session's post-session action:
/// the attempt's `output` (its stderr) is in the log, and the statusMessage differs from
/// `previous` (each failure names its own retry time). Returns the statusMessage, which must
/// name the action and `error`. Waiting for this before the next clock move makes the backoff
/// start from this attempt.
fn wait_for_failed_attempt(
    http: &Http,
    token: &str,
    id: &str,
    output: &str,
    error: &str,
    previous: Option<&str>,
) -> String {
    let message = poll(
        || {
            format!(
                "session {id} never showed a failed revoke after '{output}': {}\n{:#?}",
                session(http, token, id),
                log_messages(http, token, id, None)
            )
        },
        WAIT,
        || {
            let current = session(http, token, id);
            let message = current["statusMessage"].as_str().unwrap_or_default();
            let recorded = current["status"] == wire_status::FAILED
                && Some(message) != previous
                && log_messages(http, token, id, None)
                    .iter()
                    .any(|l| l.contains(output));
            recorded.then(|| message.to_owned())
        },
    );
    assert_failed_to_revoke(http, token, id, error);
    message
}

/// The session is visibly failed to revoke: Failed, with a statusMessage naming the action
/// and `error`, CompletedWithErrors in summaries.
fn assert_failed_to_revoke(http: &Http, token: &str, id: &str, error: &str) {
    let failed = session(http, token, id);
    assert_eq!(failed["status"], wire_status::FAILED, "{failed}");
    let message = failed["statusMessage"].as_str().unwrap_or_default();
    assert!(
        message.contains("post-session action 1") && message.contains(error),
        "statusMessage names the action and '{error}': {failed}"
    );
    assert_eq!(
        summary(http, token, id)["status"],
        summary_status::COMPLETED_WITH_ERRORS,
        "failed to revoke is CompletedWithErrors in summaries"
    );
}

fn end_session(http: &Http, token: &str, id: &str) {
    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{id}"),
        Some(token),
        None,
    )
    .expect(200);
}

#[test]
fn an_end_action_that_fails_three_times_shows_failed_then_completes() {
    let env = TestEnv::new();
    let server = failing_server(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let attempts = env.path("failing").join("fragile-attempts");
    let attempts_made = || {
        std::fs::read_to_string(&attempts)
            .unwrap_or_default()
            .trim()
            .parse::<u32>()
            .unwrap_or(0)
    };
    let id = create_id(&http, &uma, request("Fragile Revoke", "web01"));
    wait_for_summary(&http, &uma, &id, summary_status::ACTIVE_NO_LOGON);

    end_session(&http, &uma, &id);
    let mut message = wait_for_failed_attempt(
        &http,
        &uma,
        &id,
        "revoke refused on attempt 1",
        "exit status 1",
        None,
    );
    assert_eq!(attempts_made(), 1);
    let errors = log_messages(&http, &admin, &id, Some("Error"));
    assert!(
        errors.iter().any(|l| l.contains("post-session")),
        "the failure is logged at Error: {errors:#?}"
    );

    // Each move of the clock past the (doubling, capped) backoff lets one retry run.
    for attempt in 2..=3 {
        advance_clock(&http, &admin, 600);
        message = wait_for_failed_attempt(
            &http,
            &uma,
            &id,
            &format!("revoke refused on attempt {attempt}"),
            "exit status 1",
            Some(&message),
        );
        assert_eq!(attempts_made(), attempt, "one retry per due time");
    }
    advance_clock(&http, &admin, 600);
    let complete = wait_for_summary(&http, &uma, &id, summary_status::COMPLETED);
    assert_eq!(attempts_made(), 4);
    assert_eq!(
        lines_of(&env.path("failing").join("revoked")),
        std::slice::from_ref(&id),
        "{complete}"
    );
    assert_eq!(session(&http, &uma, &id)["status"], wire_status::COMPLETE);
}

#[test]
fn an_end_action_that_always_fails_stays_failed_until_an_admin_resolves_it() {
    let env = TestEnv::new();
    let server = failing_server(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    env.login(&server.url, "uma", DEV_PASSWORD, &["--profile", "uma"])
        .assert()
        .success();
    let stuck_attempts = env.path("failing").join("stuck-attempts");
    let attempts_made = || lines_of(&stuck_attempts).len();

    let id = create_id(&http, &uma, request("Stuck Revoke", "web01"));
    wait_for_summary(&http, &uma, &id, summary_status::ACTIVE_NO_LOGON);
    end_session(&http, &uma, &id);
    let mut message = wait_for_failed_attempt(
        &http,
        &uma,
        &id,
        "cannot reach host (attempt 1)",
        "exit status 7",
        None,
    );
    for attempt in 2..=3 {
        advance_clock(&http, &admin, 600);
        message = wait_for_failed_attempt(
            &http,
            &uma,
            &id,
            &format!("cannot reach host (attempt {attempt})"),
            "exit status 7",
            Some(&message),
        );
    }
    assert_eq!(attempts_made(), 3, "one retry per due time");

    // The wire: a note is required, and only admins may resolve.
    let resolve_path = format!("/api/v1/ActivitySession/{id}/Resolve");
    let no_note = post(&http, &admin, &resolve_path, &json!({}));
    assert!(
        [400, 422].contains(&no_note.status) && no_note.body.contains("note"),
        "a resolve without a note: {} {}",
        no_note.status,
        no_note.body
    );
    post(&http, &uma, &resolve_path, &json!({"note": "mine"})).problem(403);
    assert_failed_to_revoke(&http, &uma, &id, "exit status 7");

    // The CLI: a plain user is refused (4); an admin closes it.
    let by_uma = env.run(&[
        "--profile",
        "uma",
        "session",
        "resolve",
        &id,
        "--note",
        "removed by hand",
    ]);
    assert_eq!(by_uma.status.code(), Some(4), "{}", stderr_of(&by_uma));
    let by_admin = env.run(&[
        "--profile",
        "dev",
        "session",
        "resolve",
        &id,
        "--note",
        "removed by hand",
    ]);
    assert_eq!(by_admin.status.code(), Some(0), "{}", stderr_of(&by_admin));

    let resolved = session(&http, &uma, &id);
    assert_eq!(
        resolved["status"],
        wire_status::FAILED,
        "a resolved session stays Failed: {resolved}"
    );
    assert!(resolved["actualEndDateTimeUtc"].is_string(), "{resolved}");
    let log = log_messages(&http, &admin, &id, None);
    assert!(
        log.iter()
            .any(|l| l.contains("admin") && l.contains("removed by hand")),
        "the log says who resolved it and why: {log:#?}"
    );

    // Finished: no more retries. A healthy session ended afterwards shows the broker has
    // passed the stuck action's due time.
    let attempts_when_resolved = attempts_made();
    advance_clock(&http, &admin, 600);
    let healthy = create_id(&http, &uma, request("Linux Admin", "web01"));
    wait_for_summary(&http, &uma, &healthy, summary_status::ACTIVE_NO_LOGON);
    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{healthy}"),
        Some(&uma),
        None,
    )
    .expect(200);
    wait_for_summary(&http, &uma, &healthy, summary_status::COMPLETED);
    assert_eq!(
        attempts_made(),
        attempts_when_resolved,
        "no retry after resolve"
    );

    let not_failed = env.run(&[
        "--profile",
        "dev",
        "session",
        "resolve",
        &healthy,
        "--note",
        "nothing to do",
    ]);
    assert_eq!(
        not_failed.status.code(),
        Some(5),
        "{}",
        stderr_of(&not_failed)
    );
    post(
        &http,
        &admin,
        &format!("/api/v1/ActivitySession/{healthy}/Resolve"),
        &json!({"note": "nothing to do"}),
    )
    .problem(409);
}

// ---------------------------------------------------------------------------------------------
// Caps and input limits

fn refused_by_cap(reply: Reply, setting: &str) -> Value {
    let problem = reply.problem(429);
    assert!(
        problem.to_string().contains(setting),
        "the problem names {setting}: {problem}"
    );
    problem
}

#[test]
fn per_user_caps_refuse_with_429_naming_the_setting() {
    let env = TestEnv::new();
    let server = start_with(
        &env,
        "[server]\nmax_open_sessions_per_user = 2\nmax_pending_requests_per_user = 1\n",
        &[],
    );
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    let rita = http.sign_in("rita", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let open_path = "/api/v1/ActivitySession";

    // Open sessions: two, then no more until one finishes.
    let first = create_id(&http, &uma, request("Linux Admin", "web01"));
    let second = create_id(&http, &uma, request("Linux Admin", "web02"));
    refused_by_cap(
        post(&http, &uma, open_path, &request("Linux Admin", "web01")),
        "max_open_sessions_per_user",
    );
    refused_by_cap(
        post(
            &http,
            &uma,
            "/api/v1/ActivitySession/Group",
            &json!([request("Linux Admin", "web01")]),
        ),
        "max_open_sessions_per_user",
    );
    let ulf_first = create_id(&http, &ulf, request("Linux Admin", "web01"));
    refused_by_cap(
        post(
            &http,
            &ulf,
            "/api/v1/ActivitySession/Group",
            &json!([
                request("Linux Admin", "web01"),
                request("Linux Admin", "web02")
            ]),
        ),
        "max_open_sessions_per_user",
    );
    // Ended once it started (ended while still provisioning, it would be Cancelled).
    wait_for_summary(&http, &uma, &first, summary_status::ACTIVE_NO_LOGON);
    http.send("DELETE", &format!("{open_path}/{first}"), Some(&uma), None)
        .expect(200);
    wait_for_summary(&http, &uma, &first, summary_status::COMPLETED);
    let third = create_id(&http, &uma, request("Linux Admin", "web01"));

    // Pending requests: one waiting for approval at a time. ulf's Available session ends
    // first, so that only the pending cap is in play.
    let end_and_wait = |token: &str, id: &str| {
        wait_for_summary(&http, token, id, summary_status::ACTIVE_NO_LOGON);
        http.send("DELETE", &format!("{open_path}/{id}"), Some(token), None)
            .expect(200);
        wait_for_summary(&http, token, id, summary_status::COMPLETED);
    };
    end_and_wait(&ulf, &ulf_first);
    let waiting = create(&http, &ulf, request("Database Read Write", "db01"));
    assert_eq!(waiting["status"], wire_status::APPROVAL_REQUIRED);
    let waiting_id = str_of(&waiting, "id").to_owned();
    refused_by_cap(
        post(
            &http,
            &ulf,
            open_path,
            &request("Database Read Write", "db01"),
        ),
        "max_pending_requests_per_user",
    );
    http.send(
        "POST",
        &format!("{open_path}/{waiting_id}/Deny"),
        Some(&rita),
        Some("\"not now\""),
    )
    .expect(200);
    wait_for_summary(&http, &ulf, &waiting_id, summary_status::APPROVAL_DENIED);
    let again = create(&http, &ulf, request("Database Read Write", "db01"));
    assert_eq!(again["status"], wire_status::APPROVAL_REQUIRED);
    // A waiting request is also an open session: with one more, ulf is at the open cap.
    create_id(&http, &ulf, request("Linux Admin", "web01"));
    refused_by_cap(
        post(&http, &ulf, open_path, &request("Linux Admin", "web02")),
        "max_open_sessions_per_user",
    );

    // Sessions that need no approval are no pending requests: a group of two of them is
    // within a pending cap of one.
    end_and_wait(&uma, &second);
    end_and_wait(&uma, &third);
    let group = post(
        &http,
        &uma,
        "/api/v1/ActivitySession/Group",
        &json!([
            request("Linux Admin", "web01"),
            request("Linux Admin", "web02")
        ]),
    );
    assert_eq!(
        group.status, 201,
        "no approval needed, so no pending request: {}",
        group.body
    );

    let mine = http
        .get("/api/v1/ActivitySession/Search?take=500", &admin)
        .expect(200)
        .json();
    assert_eq!(
        mine["recordsTotal"], 9,
        "refused requests created nothing: {mine}"
    );
    // Without --manual-clock there is no clock to move.
    post(
        &http,
        &admin,
        "/api/v1/Test/Clock",
        &json!({"advanceSeconds": 1}),
    )
    .expect(404);
}

/// `count` requests for approval by ulf; returns their statuses.
fn pending_requests(http: &Http, ulf: &str, count: usize) -> Vec<u16> {
    (0..count)
        .map(|_| {
            post(
                http,
                ulf,
                "/api/v1/ActivitySession",
                &request("Database Read Write", "db01"),
            )
            .status
        })
        .collect()
}

#[test]
fn the_pending_cap_defaults_to_fifty_and_zero_turns_caps_off() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    assert_eq!(pending_requests(&http, &ulf, 50), vec![201; 50]);
    refused_by_cap(
        post(
            &http,
            &ulf,
            "/api/v1/ActivitySession",
            &request("Database Read Write", "db01"),
        ),
        "max_pending_requests_per_user",
    );
    drop(server);

    let env = TestEnv::new();
    let server = start_with(
        &env,
        "[server]\nmax_open_sessions_per_user = 0\nmax_pending_requests_per_user = 0\n",
        &[],
    );
    let http = server.http();
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    assert_eq!(
        pending_requests(&http, &ulf, 60),
        vec![201; 60],
        "no cap with 0"
    );
}

#[test]
fn notes_and_tickets_over_their_limits_are_refused_naming_the_field() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let with = |note: &str, ticket: &str| json!({"activityName": "Linux Admin", "managedResourceName": "web01", "note": note, "ticket": ticket});
    let long_note = "n".repeat(4001);
    let long_ticket = "T".repeat(257);

    let problem = post(
        &http,
        &uma,
        "/api/v1/ActivitySession",
        &with(&long_note, "CHG-1"),
    )
    .problem(422);
    assert!(names_field(&problem, "note"), "{problem}");
    let problem = post(
        &http,
        &uma,
        "/api/v1/ActivitySession",
        &with("fine", &long_ticket),
    )
    .problem(422);
    assert!(names_field(&problem, "ticket"), "{problem}");
    let problem = post(
        &http,
        &uma,
        "/api/v1/ActivitySession/Group",
        &json!([with("fine", "CHG-1"), with(&long_note, "CHG-1")]),
    )
    .problem(422);
    assert!(names_field(&problem, "note"), "{problem}");
    assert_eq!(
        all_session_ids(&http, &admin),
        Vec::<String>::new(),
        "nothing was created"
    );

    let at_the_limit = create(&http, &uma, with(&"n".repeat(4000), &"T".repeat(256)));
    assert_eq!(str_of(&at_the_limit, "note").len(), 4000);
    assert_eq!(str_of(&at_the_limit, "ticket").len(), 256);
}

// ---------------------------------------------------------------------------------------------
// Batch end (`POST /api/v1/ActivitySession/End`)

fn end_batch(http: &Http, token: &str, ids: &[&str]) -> Reply {
    post(
        http,
        token,
        "/api/v1/ActivitySession/End",
        &json!({ "activitySessionIds": ids }),
    )
}

/// The batch's results, after checking there is one per id, in order.
fn batch_results(reply: Reply, ids: &[&str]) -> Vec<Value> {
    let results = reply.expect(200).json();
    let results = results.as_array().expect("an array").clone();
    assert_eq!(
        results.iter().map(|r| str_of(r, "id")).collect::<Vec<_>>(),
        ids,
        "one result per id, in order"
    );
    results
}

fn audit_actions(http: &Http, admin: &str, id: &str) -> Vec<String> {
    let page = http
        .get(&format!("/api/v1/Audit?session={id}&take=100"), admin)
        .expect(200)
        .json();
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| str_of(r, "action").to_owned())
        .collect()
}

#[test]
fn a_batch_end_answers_each_id_as_its_own_delete_would() {
    let counted = Counted::start();
    let http = &counted.http;
    let (uma, admin) = (&counted.uma, &counted.admin);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    let rita = http.sign_in("rita", DEV_PASSWORD);
    let mine = counted.available();
    let other_mine = counted.available();
    let ulfs = create_id(http, &ulf, request("Linux Admin", "web01"));
    // Available before the batch, so that "left alone" below means it stayed so.
    wait_for_summary(http, &ulf, &ulfs, summary_status::ACTIVE_NO_LOGON);
    let waiting = create(http, uma, request("Counted Approval", "web02"));
    assert_eq!(
        waiting["status"],
        wire_status::APPROVAL_REQUIRED,
        "{waiting}"
    );
    let waiting = str_of(&waiting, "id").to_owned();
    let later = (Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    let scheduled = create_id(
        http,
        uma,
        json!({"activityName": "Counted Task", "managedResourceName": "web01", "startDateTimeUtc": later}),
    );
    let unknown = "00000000-0000-4000-8000-00000000beef";

    // A user ends their own; another user's session they may not see, and an unknown id,
    // are each that item's 404, as their DELETE would be.
    let ids = [mine.as_str(), ulfs.as_str(), unknown];
    let results = batch_results(end_batch(http, uma, &ids), &ids);
    assert_eq!(results[0]["ok"], true, "{}", results[0]);
    assert_eq!(results[0]["status"], 200);
    assert_eq!(str_of(&results[0]["activitySession"], "id"), mine);
    for (result, id) in results[1..].iter().zip(&ids[1..]) {
        assert_eq!(result["ok"], false, "{result}");
        assert_eq!(result["status"], 404, "{result}");
        let alone = http
            .send(
                "DELETE",
                &format!("/api/v1/ActivitySession/{id}"),
                Some(uma),
                None,
            )
            .problem(404);
        assert_eq!(result["error"], alone["detail"], "as its own DELETE");
        assert_eq!(result["problem"]["detail"], alone["detail"]);
    }
    assert_eq!(
        summary(http, &ulf, &ulfs)["status"],
        summary_status::ACTIVE_NO_LOGON,
        "ulf's session was left alone"
    );

    // A reviewer sees the session but may not end it: 403, and it stays as it was.
    let ids = [other_mine.as_str()];
    let refused = batch_results(end_batch(http, &rita, &ids), &ids);
    assert_eq!(refused[0]["status"], 403, "{}", refused[0]);
    assert_eq!(
        summary(http, uma, &other_mine)["status"],
        summary_status::ACTIVE_NO_LOGON
    );

    // An admin ends anyone's: a waiting and a scheduled request become Cancelled; one that
    // is already ending is answered as it is, unchanged.
    let before = session(http, admin, &mine);
    let ids = [
        other_mine.as_str(),
        waiting.as_str(),
        scheduled.as_str(),
        mine.as_str(),
        ulfs.as_str(),
    ];
    let results = batch_results(end_batch(http, admin, &ids), &ids);
    assert!(results.iter().all(|r| r["ok"] == true), "{results:#?}");
    for cancelled in [&results[1], &results[2]] {
        assert_eq!(
            cancelled["activitySession"]["status"],
            wire_status::CANCELLED,
            "{cancelled}"
        );
    }
    let again = &results[3]["activitySession"];
    assert_eq!(
        again["cancelledBy"], before["cancelledBy"],
        "still uma's end: {again}"
    );
    assert!(
        [2, 3].contains(&again["status"].as_u64().unwrap_or(0)),
        "Canceling or Complete: {again}"
    );
    for id in [&mine, &other_mine, &ulfs] {
        wait_for_summary(http, admin, id, summary_status::COMPLETED);
    }
    for id in [&mine, &other_mine] {
        let log = log_messages(http, admin, id, None);
        assert_eq!(count_starting_with(&log, "ended by"), 1, "{log:#?}");
        assert_eq!(counted.runs("pre", id), 1, "{id}");
        assert_eq!(counted.runs("post", id), 1, "{id}");
        let actions = audit_actions(http, admin, id);
        assert_eq!(
            actions.iter().filter(|a| *a == "session.end").count(),
            1,
            "{id}: {actions:?}"
        );
    }
    for id in [&waiting, &scheduled] {
        assert_eq!(counted.runs("post", id), 0, "{id} was never provisioned");
        let actions = audit_actions(http, admin, id);
        assert!(
            actions.contains(&"session.cancel".to_owned()),
            "{actions:?}"
        );
    }
}

#[test]
fn concurrent_batch_ends_end_each_session_once_and_run_its_post_session_action_once() {
    let counted = Counted::start();
    let ids: Vec<String> = (0..20).map(|_| counted.available()).collect();
    let (uma, admin) = (counted.uma.clone(), counted.admin.clone());
    let body = json!({ "activitySessionIds": ids }).to_string();
    let replies = all_at_once(&counted.server.url, 6, move |http, index| {
        let token = if index % 2 == 0 { &uma } else { &admin };
        http.send(
            "POST",
            "/api/v1/ActivitySession/End",
            Some(token),
            Some(&body),
        )
    });
    for reply in replies {
        let results = reply.expect(200).json();
        let results = results.as_array().unwrap();
        assert_eq!(results.len(), ids.len());
        assert!(results.iter().all(|r| r["ok"] == true), "{results:#?}");
    }
    for id in &ids {
        wait_for_summary(&counted.http, &counted.uma, id, summary_status::COMPLETED);
        let log = log_messages(&counted.http, &counted.admin, id, None);
        assert_eq!(count_starting_with(&log, "ended by"), 1, "{log:#?}");
        assert_eq!(counted.runs("post", id), 1, "{id}");
    }
}

#[test]
fn a_batch_too_big_or_malformed_is_refused_whole_and_changes_nothing() {
    let counted = Counted::start();
    let http = &counted.http;
    let id = counted.available();
    let mut ids: Vec<String> = (0..500u128)
        .map(|n| uuid::Uuid::from_u128(n + 1).to_string())
        .collect();
    ids.push(id.clone());
    let too_many: Vec<&str> = ids.iter().map(String::as_str).collect();
    let problem = end_batch(http, &counted.admin, &too_many).problem(422);
    assert!(names_field(&problem, "activitySessionIds"), "{problem}");
    assert!(
        str_of(&problem, "detail").contains("500"),
        "says the limit: {problem}"
    );
    for body in [
        json!({"activitySessionIds": "all"}),
        json!({"activitySessionIds": [id, "not-a-uuid"]}),
        json!({"ids": [id]}),
        json!([id]),
    ] {
        let problem = post(http, &counted.admin, "/api/v1/ActivitySession/End", &body).problem(400);
        assert!(problem["detail"].is_string(), "{problem}");
    }
    assert_eq!(
        summary(http, &counted.uma, &id)["status"],
        summary_status::ACTIVE_NO_LOGON,
        "nothing was ended"
    );
    let log = log_messages(http, &counted.admin, &id, None);
    assert_eq!(count_starting_with(&log, "ended by"), 0, "{log:#?}");
}
