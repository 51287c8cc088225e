//! Approval workflows over the wire: tiers, who may decide, denial, timeouts, and the
//! notifications a policy sends.

mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::{DEV_PASSWORD, Http, Server, ServerOptions, TestEnv};
use serde_json::{Value, json};

const WAITING: u64 = 8;
const ACTIVE_NO_LOGON: u64 = 2;
const DENIED: u64 = 9;
const APPROVAL_FAILED: u64 = 10;

/// The dev seed plus policies for the rules the seed does not show; `notify` is a URL the
/// "Any Reviewer" policy reports to.
fn config(notify: Option<&str>) -> String {
    let notify = notify
        .map(|url| format!("[[policies.notify]]\nurl = \"{url}\"\nretries = 0\n"))
        .unwrap_or_default();
    format!(
        r#"
[[activities]]
name = "Audit Read"
platform = "PostgreSQL"

[[activities]]
name = "Tiered Change"
platform = "Linux"

[[activities]]
name = "Any Reviewer Task"
platform = "Linux"

[[activities]]
name = "Short Fuse Task"
platform = "Linux"

[[policies]]
name = "Audit"
users = ["admin", "uma"]
activities = ["Audit Read"]
resources = ["db01"]
max_duration = "1h"
admins_may_approve = true
[[policies.approval]]
approvers = ["admin", "rita"]
required = 1

[[policies]]
name = "Tiered"
users = ["uma"]
activities = ["Tiered Change"]
resources = ["web01"]
max_duration = "2h"
[[policies.approval]]
approvers = ["rita"]
required = 1
[[policies.approval]]
approvers = ["ravi"]
required = 1

[[policies]]
name = "Any Reviewer"
users = ["uma"]
activities = ["Any Reviewer Task"]
resources = ["web02"]
max_duration = "1h"
[[policies.approval]]
approvers = ["role:Reviewer"]
{notify}
[[activities]]
name = "Peer Task"
platform = "Linux"

[[activities]]
name = "Lonely Task"
platform = "Linux"

[[policies]]
name = "Peer Review"
users = ["uma"]
activities = ["Peer Task"]
resources = ["web01"]
max_duration = "1h"
[[policies.approval]]
approvers = ["ulf"]

[[policies]]
name = "Self Only"
users = ["uma"]
activities = ["Lonely Task"]
resources = ["web01"]
max_duration = "1h"
[[policies.approval]]
approvers = ["uma"]

[[policies]]
name = "Short Fuse"
users = ["uma"]
activities = ["Short Fuse Task"]
resources = ["web02"]
max_duration = "1h"
approval_timeout = "2s"
[[policies.approval]]
approvers = ["rita"]
"#
    )
}

fn start(env: &TestEnv, notify: Option<&str>) -> Server {
    let path = env.write("approvals.toml", &config(notify));
    Server::start(
        env,
        ServerOptions {
            config: Some(&path),
            ..Default::default()
        },
    )
}

struct Reviewers {
    http: Http,
    uma: String,
    ulf: String,
    rita: String,
    ravi: String,
    admin: String,
}

fn sign_in_all(server: &Server) -> Reviewers {
    let http = server.http();
    let sign = |user: &str| http.sign_in(user, DEV_PASSWORD);
    Reviewers {
        uma: sign("uma"),
        ulf: sign("ulf"),
        rita: sign("rita"),
        ravi: sign("ravi"),
        admin: sign("admin"),
        http,
    }
}

impl Reviewers {
    fn request(&self, token: &str, activity: &str, resource: &str) -> String {
        self.request_with(
            token,
            json!({"activityName": activity, "managedResourceName": resource}),
        )
    }

    /// Requests a session that waits for approval; returns its id.
    fn request_with(&self, token: &str, body: Value) -> String {
        let created = self
            .http
            .send(
                "POST",
                "/api/v1/ActivitySession",
                Some(token),
                Some(&body.to_string()),
            )
            .expect(201)
            .json();
        assert_eq!(created["status"], 8, "ApprovalRequired: {created}");
        created["id"].as_str().unwrap().to_owned()
    }

    fn approve(&self, token: &str, id: &str) -> common::Reply {
        self.http.send(
            "POST",
            &format!("/api/v1/ActivitySession/{id}/Approve?notes=looks%20fine"),
            Some(token),
            None,
        )
    }

    fn deny(&self, token: &str, id: &str, reason: &str) -> common::Reply {
        self.http.send(
            "POST",
            &format!("/api/v1/ActivitySession/{id}/Deny"),
            Some(token),
            Some(reason),
        )
    }

    fn status(&self, id: &str) -> u64 {
        self.summary(id)["status"].as_u64().unwrap()
    }

    fn summary(&self, id: &str) -> Value {
        self.http
            .get(
                &format!("/api/v1/ActivitySession/SummaryById/{id}"),
                &self.admin,
            )
            .expect(200)
            .json()
    }

    fn wait_for(&self, id: &str, status: u64) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.status(id) != status {
            assert!(
                Instant::now() < deadline,
                "session never reached {status}: {}",
                self.summary(id)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log(&self, id: &str) -> String {
        let log = self
            .http
            .get(&format!("/api/v1/ActivitySession/{id}/Log"), &self.admin)
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
}

#[test]
fn one_approval_of_two_reviewers_makes_the_session_available() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let r = sign_in_all(&server);
    let id = r.request(&r.uma, "Database Read Write", "db01");
    assert_eq!(
        r.http
            .get("/api/v1/ActivitySession/ApprovalCheck", &r.rita)
            .expect(200)
            .json(),
        1
    );
    assert_eq!(
        r.http
            .get("/api/v1/ActivitySession/ApprovalCheck", &r.ravi)
            .expect(200)
            .json(),
        1
    );
    assert_eq!(
        r.http
            .get("/api/v1/ActivitySession/ApprovalCheck", &r.ulf)
            .expect(200)
            .json(),
        0
    );
    let pending = r
        .http
        .get("/api/v1/ActivitySession/Approvals", &r.rita)
        .expect(200)
        .json();
    assert_eq!(pending["recordsTotal"], 1);
    let item = &pending["data"][0];
    assert_eq!(item["id"], id.as_str());
    assert_eq!(item["approvalsInTier"], 0);
    assert_eq!(item["approvalsRequiredInTier"], 1);
    assert!(item["approvalExpiresDateTimeUtc"].is_string());
    assert_eq!(item["approvals"], json!([]));

    let approved = r.approve(&r.rita, &id).expect(200).json();
    let decision = &approved["approvalWorkflowApprovals"][0];
    assert_eq!(decision["modifiedByUserName"], "rita");
    assert_eq!(decision["approvalState"], 1);
    assert_eq!(decision["approverNotes"], "looks fine");
    r.wait_for(&id, ACTIVE_NO_LOGON);
    let conflict = r.approve(&r.ravi, &id).problem(409);
    assert!(
        conflict["detail"].as_str().unwrap().contains("Available"),
        "{conflict}"
    );
    assert_eq!(
        r.http
            .get("/api/v1/ActivitySession/ApprovalCheck", &r.ravi)
            .expect(200)
            .json(),
        0
    );
    let log = r.log(&id);
    assert!(
        log.contains("approved by rita from 127.0.0.1 (1 of 1 in tier 1): looks fine"),
        "{log}"
    );
    assert!(log.contains("approved: provisioning"), "{log}");
}

#[test]
fn nobody_approves_their_own_request_not_even_an_admin() {
    let env = TestEnv::new();
    let server = start(&env, None);
    let r = sign_in_all(&server);
    let own = r.request(&r.admin, "Audit Read", "db01");
    let refused = r.approve(&r.admin, &own).problem(403);
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("someone else must approve"),
        "{refused}"
    );
    r.deny(&r.admin, &own, "\"no\"").problem(403);
    assert_eq!(r.status(&own), WAITING);
    assert_eq!(
        r.http
            .get("/api/v1/ActivitySession/ApprovalCheck", &r.admin)
            .expect(200)
            .json(),
        0
    );
    // The other named approver may.
    r.approve(&r.rita, &own).expect(200);
    r.wait_for(&own, ACTIVE_NO_LOGON);
    // And an admin may approve someone else's request where the policy lets admins approve.
    let uma_request = r.request(&r.uma, "Audit Read", "db01");
    r.approve(&r.admin, &uma_request).expect(200);
}

#[test]
fn only_named_approvers_may_decide() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let r = sign_in_all(&server);
    let id = r.request(&r.uma, "Database Read Write", "db01");
    // ulf, a plain user, cannot even see uma's request.
    r.approve(&r.ulf, &id).problem(404);
    // An admin is not a named approver of Prod Database, and the policy does not let admins approve.
    let refused = r.approve(&r.admin, &id).problem(403);
    assert!(
        refused["detail"].as_str().unwrap().contains("rita, ravi"),
        "{refused}"
    );
    assert_eq!(r.status(&id), WAITING);
}

#[test]
fn two_of_two_needs_two_people_and_one_person_counts_once() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let r = sign_in_all(&server);
    let id = r.request(&r.uma, "Windows Local Admin", "win01");
    r.approve(&r.rita, &id).expect(200);
    let again = r.approve(&r.rita, &id).expect(200).json();
    assert_eq!(
        again["approvalWorkflowApprovals"].as_array().unwrap().len(),
        1,
        "counted once: {again}"
    );
    assert_eq!(r.status(&id), WAITING);
    let pending = r
        .http
        .get("/api/v1/ActivitySession/Approvals", &r.ravi)
        .expect(200)
        .json();
    assert_eq!(pending["data"][0]["approvalsInTier"], 1);
    assert_eq!(pending["data"][0]["approvalsRequiredInTier"], 2);
    assert_eq!(
        r.http
            .get("/api/v1/ActivitySession/ApprovalCheck", &r.rita)
            .expect(200)
            .json(),
        0,
        "rita has decided"
    );
    r.approve(&r.ravi, &id).expect(200);
    r.wait_for(&id, ACTIVE_NO_LOGON);
}

#[test]
fn tiers_complete_in_order() {
    let env = TestEnv::new();
    let server = start(&env, None);
    let r = sign_in_all(&server);
    let id = r.request(&r.uma, "Tiered Change", "web01");
    let early = r.approve(&r.ravi, &id).problem(403);
    assert!(
        early["detail"].as_str().unwrap().contains("tier 1"),
        "{early}"
    );
    assert_eq!(
        r.http
            .get("/api/v1/ActivitySession/ApprovalCheck", &r.ravi)
            .expect(200)
            .json(),
        0
    );
    r.approve(&r.rita, &id).expect(200);
    assert_eq!(r.status(&id), WAITING, "tier 2 still to decide");
    assert_eq!(
        r.http
            .get("/api/v1/ActivitySession/ApprovalCheck", &r.ravi)
            .expect(200)
            .json(),
        1
    );
    r.approve(&r.ravi, &id).expect(200);
    r.wait_for(&id, ACTIVE_NO_LOGON);
    assert!(r.log(&id).contains("tier 1 complete; tier 2 decides next"));
}

#[test]
fn any_reviewer_may_deny_with_a_reason_and_that_ends_it() {
    let env = TestEnv::new();
    let server = start(&env, None);
    let r = sign_in_all(&server);
    let id = r.request(&r.uma, "Any Reviewer Task", "web02");
    r.deny(&r.ravi, &id, "\"   \"").problem(400);
    r.deny(&r.ravi, &id, "{\"reason\": \"x\"}").problem(400);
    let denied = r
        .deny(&r.ravi, &id, "\"change freeze until Monday\"")
        .expect(200)
        .json();
    assert_eq!(denied["status"], 6, "ApprovalDenied");
    let decision = &denied["approvalWorkflowApprovals"][0];
    assert_eq!(decision["approvalState"], 2);
    assert_eq!(decision["approverNotes"], "change freeze until Monday");
    assert_eq!(r.status(&id), DENIED);
    r.approve(&r.rita, &id).problem(409);
    assert!(
        r.log(&id)
            .contains("denied by ravi from 127.0.0.1: change freeze until Monday")
    );
}

#[test]
fn a_request_nobody_decides_in_time_fails_approval() {
    let env = TestEnv::new();
    let server = start(&env, None);
    let r = sign_in_all(&server);
    let id = r.request(&r.uma, "Short Fuse Task", "web02");
    r.wait_for(&id, APPROVAL_FAILED);
    assert_eq!(r.summary(&id)["sessionStatus"], 7);
    r.approve(&r.rita, &id).problem(409);
    assert!(r.log(&id).contains("approval did not complete in time"));
}

#[test]
fn approval_after_the_start_time_starts_at_once_and_keeps_the_requested_end() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let r = sign_in_all(&server);
    let start = Utc::now() + chrono::Duration::seconds(1);
    let end = start + chrono::Duration::minutes(20);
    let id = r.request_with(
        &r.uma,
        json!({"activityName": "Database Read Write", "managedResourceName": "db01",
        "startDateTimeUtc": start.to_rfc3339(), "endDateTimeUtc": end.to_rfc3339()}),
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        r.status(&id),
        WAITING,
        "it keeps waiting past its start time"
    );
    r.approve(&r.ravi, &id).expect(200);
    r.wait_for(&id, ACTIVE_NO_LOGON);
    let summary = r.summary(&id);
    let scheduled_start =
        chrono::DateTime::parse_from_rfc3339(summary["startDateTimeUtc"].as_str().unwrap())
            .unwrap();
    assert!(
        scheduled_start.timestamp() > start.timestamp(),
        "it starts at approval: {summary}"
    );
    let scheduled_end =
        chrono::DateTime::parse_from_rfc3339(summary["endDateTimeUtc"].as_str().unwrap()).unwrap();
    assert_eq!(
        scheduled_end.timestamp(),
        end.timestamp(),
        "the requested end stays"
    );
}

#[test]
fn policies_notify_webhooks_when_approval_is_needed_and_decided() {
    let receiver = common::WebhookReceiver::start(vec![204, 204]);
    let url = format!("{}/chat", receiver.base);
    let env = TestEnv::new();
    let server = start(&env, Some(&url));
    let r = sign_in_all(&server);
    let id = r.request(&r.uma, "Any Reviewer Task", "web02");
    let needed = receiver.wait_for(1)[0].clone();
    assert_eq!(needed["event"], "approval_required");
    assert_eq!(needed["session"]["id"], id.as_str());
    assert_eq!(needed["session"]["requester"], "uma");
    r.approve(&r.rita, &id).expect(200);
    let decided = receiver.wait_for(2)[1].clone();
    assert_eq!(decided["event"], "approved");
}

#[test]
fn approving_a_future_request_keeps_its_times() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let r = sign_in_all(&server);
    let start = Utc::now() + chrono::Duration::days(1);
    let end = start + chrono::Duration::minutes(30);
    let id = r.request_with(
        &r.uma,
        json!({"activityName": "Database Read Write", "managedResourceName": "db01",
        "startDateTimeUtc": start.to_rfc3339(), "endDateTimeUtc": end.to_rfc3339()}),
    );
    r.approve(&r.rita, &id).expect(200);
    let summary = r.summary(&id);
    assert_eq!(summary["statusMessage"], "Scheduled", "{summary}");
    let time = |field: &str| {
        chrono::DateTime::parse_from_rfc3339(summary[field].as_str().unwrap())
            .unwrap()
            .timestamp()
    };
    assert_eq!(time("startDateTimeUtc"), start.timestamp());
    assert_eq!(time("endDateTimeUtc"), end.timestamp());
}

#[test]
fn a_user_named_as_approver_sees_and_decides_the_request() {
    let env = TestEnv::new();
    let server = start(&env, None);
    let r = sign_in_all(&server);
    let id = r.request(&r.uma, "Peer Task", "web01");
    let seen = r
        .http
        .get(&format!("/api/v1/ActivitySession/{id}"), &r.ulf)
        .expect(200)
        .json();
    assert_eq!(seen["createdByUserName"], "uma");
    assert_eq!(
        r.http
            .get("/api/v1/ActivitySession/ApprovalCheck", &r.ulf)
            .expect(200)
            .json(),
        1
    );
    r.approve(&r.ulf, &id).expect(200);
    r.wait_for(&id, ACTIVE_NO_LOGON);
}

#[test]
fn a_request_only_its_requester_could_approve_fails_approval_at_once() {
    let env = TestEnv::new();
    let server = start(&env, None);
    let r = sign_in_all(&server);
    let body = json!({"activityName": "Lonely Task", "managedResourceName": "web01"}).to_string();
    let created = r
        .http
        .send("POST", "/api/v1/ActivitySession", Some(&r.uma), Some(&body))
        .expect(201)
        .json();
    assert_eq!(created["status"], 7, "ApprovalFailed: {created}");
    let id = created["id"].as_str().unwrap();
    assert_eq!(r.status(id), APPROVAL_FAILED);
    assert!(
        r.log(id)
            .contains("approval cannot complete: nobody but uma may decide tier 1")
    );
}
