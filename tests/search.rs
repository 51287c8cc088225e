//! Search's pamctl filters over HTTP against a real broker: `status`, `active`, `mine`,
//! `userName`, `managedResourceName`, `activityName`, `platformName`, the extra orders, free
//! text from the full-text index (and its short-text fallback), and `filtersApplied`.

mod common;

use std::time::{Duration, Instant};

use common::{DEV_PASSWORD, Http, Server, TestEnv};
use serde_json::{Value, json};

const ACTIVE_NO_LOGON: u64 = 2;
const COMPLETED: u64 = 4;

fn create_id(http: &Http, token: &str, body: Value) -> String {
    http.send(
        "POST",
        "/api/v1/ActivitySession",
        Some(token),
        Some(&body.to_string()),
    )
    .expect(201)
    .json()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn wait_for(http: &Http, token: &str, id: &str, status: u64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let current = http
            .get(&format!("/api/v1/ActivitySession/SummaryById/{id}"), token)
            .expect(200)
            .json();
        if current["status"] == status {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "session never reached status {status}: {current}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn search(http: &Http, token: &str, params: &str) -> Value {
    http.get(&format!("/api/v1/ActivitySession/Search?{params}"), token)
        .expect(200)
        .json()
}

/// The ids a search returns, in its order.
fn ids(http: &Http, token: &str, params: &str) -> Vec<String> {
    let reply = search(http, token, params);
    assert_eq!(reply["filtersApplied"], true, "{reply}");
    let data: Vec<String> = reply["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        reply["recordsTotal"],
        data.len() as u64,
        "one page holds them all: {reply}"
    );
    data
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

/// uma: an Available session on web01 that an admin locks, one on web02 (Available, note
/// "q7 deploy fix", ticket CHG-42), and a database request waiting for approval; ulf: a
/// session on web02 that he ends.
struct World {
    _env: TestEnv,
    _server: Server,
    http: Http,
    admin: String,
    uma: String,
    ulf: String,
    locked: String,
    noted: String,
    waiting: String,
    ended: String,
}

fn world() -> World {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    let linux =
        |resource: &str| json!({"activityName": "Linux Admin", "managedResourceName": resource});
    let locked = create_id(&http, &uma, linux("web01"));
    let mut noted_request = linux("web02");
    noted_request["note"] = json!("q7 deploy fix");
    noted_request["ticket"] = json!("CHG-42");
    let noted = create_id(&http, &uma, noted_request);
    let waiting = create_id(
        &http,
        &uma,
        json!({"activityName": "Database Read Write", "managedResourceName": "db01"}),
    );
    let ended = create_id(&http, &ulf, linux("web02"));
    for id in [&locked, &noted, &ended] {
        wait_for(&http, &admin, id, ACTIVE_NO_LOGON);
    }
    let lock = json!({"activitySessionIds": [locked], "locked": true});
    http.send(
        "PUT",
        "/api/v1/ActivitySession/lock",
        Some(&admin),
        Some(&lock.to_string()),
    )
    .expect(200);
    http.send(
        "DELETE",
        &format!("/api/v1/ActivitySession/{ended}"),
        Some(&ulf),
        None,
    )
    .expect(200);
    wait_for(&http, &admin, &ended, COMPLETED);
    World {
        _env: env,
        _server: server,
        http,
        admin,
        uma,
        ulf,
        locked,
        noted,
        waiting,
        ended,
    }
}

#[test]
fn search_filters_by_status_activity_user_resource_and_platform_in_the_broker() {
    let w = world();
    let (http, admin) = (&w.http, &w.admin);

    assert_eq!(ids(http, admin, "status=available"), vec![w.noted.clone()]);
    assert_eq!(ids(http, admin, "status=Locked"), vec![w.locked.clone()]);
    assert_eq!(
        sorted(ids(
            http,
            admin,
            "status=waiting-for-approval&status=complete"
        )),
        sorted(vec![w.waiting.clone(), w.ended.clone()]),
        "values of one parameter are ORed"
    );
    let problem = http
        .get("/api/v1/ActivitySession/Search?status=sleeping", admin)
        .problem(400);
    let text = problem.to_string();
    assert!(text.contains("status"), "{problem}");
    assert!(
        text.contains("Waiting for Approval"),
        "lists the words: {problem}"
    );

    assert_eq!(
        sorted(ids(http, admin, "active=true")),
        sorted(vec![w.locked.clone(), w.noted.clone(), w.waiting.clone()])
    );
    assert_eq!(ids(http, admin, "active=false"), vec![w.ended.clone()]);

    assert!(
        ids(http, admin, "mine=true").is_empty(),
        "admin asked for none"
    );
    assert_eq!(ids(http, &w.uma, "mine=true").len(), 3);

    assert_eq!(ids(http, admin, "userName=UMA").len(), 3);
    assert_eq!(
        ids(http, admin, "userName=Ulf%20User"),
        vec![w.ended.clone()]
    );
    assert_eq!(
        ids(http, admin, "userName=uma&userName=ulf").len(),
        4,
        "values of one parameter are ORed"
    );
    assert!(ids(http, admin, "userName=nobody").is_empty());
    assert!(
        ids(http, &w.ulf, "userName=uma").is_empty(),
        "a plain user sees only their own sessions"
    );
    let uma_id = search(http, admin, "userName=uma")["data"][0]["userId"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_id = |token: &str| {
        http.get(
            &format!("/api/v1/ActivitySession/SummaryByStatus/ActiveNoLogon?userId={uma_id}"),
            token,
        )
        .expect(200)
        .json()["recordsTotal"]
            .clone()
    };
    assert_eq!(by_id(admin), 1);
    assert_eq!(by_id(&w.ulf), 0, "nor by asking for another account's id");

    assert_eq!(
        sorted(ids(http, admin, "managedResourceName=WEB02")),
        sorted(vec![w.noted.clone(), w.ended.clone()])
    );
    assert_eq!(
        sorted(ids(http, admin, "activityName=linux%20admin")),
        sorted(vec![w.locked.clone(), w.noted.clone(), w.ended.clone()])
    );
    assert_eq!(
        ids(http, admin, "platformName=postgresql"),
        vec![w.waiting.clone()]
    );
    assert_eq!(
        ids(
            http,
            admin,
            "platformName=Linux&userName=ulf&managedResourceName=web02"
        ),
        vec![w.ended.clone()],
        "parameters are ANDed"
    );
    assert!(
        ids(
            http,
            admin,
            "platformName=Linux&status=waiting-for-approval"
        )
        .is_empty()
    );
}

#[test]
fn search_free_text_orders_pages_and_aggregates_in_the_broker() {
    let w = world();
    let (http, admin) = (&w.http, &w.admin);

    assert_eq!(ids(http, admin, "filterText=DEPLOY"), vec![w.noted.clone()]);
    assert_eq!(ids(http, admin, "filterText=chg-42"), vec![w.noted.clone()]);
    assert_eq!(
        ids(http, admin, "filterText=q7"),
        vec![w.noted.clone()],
        "short text falls back to a scan"
    );
    assert_eq!(
        ids(http, admin, "filterText=locked"),
        vec![w.locked.clone()],
        "status words match"
    );
    assert_eq!(
        ids(http, admin, "filterText=ulf%20user"),
        vec![w.ended.clone()],
        "display names match"
    );
    assert!(ids(http, admin, "filterText=zzzz").is_empty());

    let by_id = ids(http, admin, "orderBy=id&take=500");
    assert_eq!(by_id, sorted(by_id.clone()));
    let by_id_desc = ids(http, admin, "orderBy=ID&orderDescending=true&take=500");
    let mut reversed = by_id.clone();
    reversed.reverse();
    assert_eq!(by_id_desc, reversed);
    assert_eq!(ids(http, admin, "orderBy=loginAccountName").len(), 4);
    let problem = http
        .get("/api/v1/ActivitySession/Search?orderBy=colour", admin)
        .problem(400);
    assert!(
        problem.to_string().contains("loginAccountName"),
        "{problem}"
    );

    let created = ids(http, admin, "orderBy=createdDateTimeUtc");
    assert_eq!(
        created,
        vec![
            w.locked.clone(),
            w.noted.clone(),
            w.waiting.clone(),
            w.ended.clone()
        ]
    );
    let page = search(http, admin, "orderBy=createdDateTimeUtc&skip=1&take=2");
    assert_eq!(page["recordsTotal"], 4, "the total ignores the page");
    let page_ids: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(page_ids, vec![w.noted.as_str(), w.waiting.as_str()]);

    let aggregate = search(http, admin, "userName=uma&filterTopUsersType=Everyone");
    assert_eq!(aggregate["summary"]["countSessions"], 3);
    let top = aggregate["topUsers"].as_array().unwrap();
    assert_eq!(top.len(), 1, "{aggregate}");
    assert_eq!(top[0]["managedAccountName"], "uma");
    assert_eq!(top[0]["countSessions"], 3);
    let everyone = search(http, admin, "filterTopUsersType=Everyone");
    let top = everyone["topUsers"].as_array().unwrap();
    assert_eq!(top[0]["managedAccountName"], "uma", "most sessions first");
    assert_eq!(top[1]["managedAccountName"], "ulf");
    let durations = &everyone["summary"];
    assert!(durations["minDuration"].as_i64().unwrap() >= 0);
    assert!(
        durations["maxDuration"].as_i64().unwrap() >= durations["avgDuration"].as_i64().unwrap()
    );

    // summary=false (pamctl extension): the same page and total, without the aggregates.
    let params =
        "userName=uma&orderBy=createdDateTimeUtc&skip=1&take=1&filterTopUsersType=Everyone";
    let full = search(http, admin, params);
    let bare = search(http, admin, &format!("{params}&summary=false"));
    assert_eq!(bare["data"], full["data"]);
    assert_eq!(bare["recordsTotal"], 3);
    assert_eq!(bare["summary"]["countSessions"], 0, "{bare}");
    assert_eq!(bare["topUsers"], json!([]), "{bare}");

    let count = http
        .get("/api/v1/ActivitySession/Count", admin)
        .expect(200)
        .json();
    assert_eq!(count["Locked"], 1, "{count}");
    assert_eq!(count["ActiveNoLogon"], 1, "{count}");
    assert_eq!(count["ApprovalRequired"], 1, "{count}");
    assert_eq!(count["Completed"], 1, "{count}");
}

/// Year-10000 starts (one, and a group of 110) once sorted before today as text, so the
/// scheduler took them first on every pass and spun. Whether the broker accepts them (201) or
/// refuses them (422), a session scheduled a few seconds ahead still starts and expires on
/// time beside them.
#[test]
fn far_future_starts_never_keep_other_sessions_from_their_times() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let far = json!({
        "activityName": "Linux Admin", "managedResourceName": "web01",
        "startDateTimeUtc": "+10000-01-01T00:00:00Z", "endDateTimeUtc": "+10000-01-01T01:00:00Z",
    });
    let one = http.send(
        "POST",
        "/api/v1/ActivitySession",
        Some(&uma),
        Some(&far.to_string()),
    );
    assert!(matches!(one.status, 201 | 422), "{}", one.body);
    let group: Vec<Value> = (0..110).map(|_| far.clone()).collect();
    let many = http.send(
        "POST",
        "/api/v1/ActivitySession/Group",
        Some(&uma),
        Some(&Value::Array(group).to_string()),
    );
    assert!(matches!(many.status, 201 | 422), "{}", many.body);

    let start = chrono::Utc::now() + chrono::Duration::seconds(2);
    let end = start + chrono::Duration::seconds(3);
    let soon = create_id(
        &http,
        &uma,
        json!({
            "activityName": "Linux Admin", "managedResourceName": "web02",
            "startDateTimeUtc": start.to_rfc3339(), "endDateTimeUtc": end.to_rfc3339(),
        }),
    );
    wait_for(&http, &uma, &soon, ACTIVE_NO_LOGON);
    wait_for(&http, &uma, &soon, COMPLETED);
    let scheduled = search(&http, &uma, "status=scheduled&take=500");
    let expected = match (one.status, many.status) {
        (201, 201) => 111,
        (201, _) => 1,
        (_, 201) => 110,
        _ => 0,
    };
    assert_eq!(scheduled["recordsTotal"], expected, "the far ones wait");
}
