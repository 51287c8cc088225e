//! The wire contract as curl sees it: case-insensitive routes and properties, problem details
//! for bad input, enums as integers, DataTables, and a catalog filtered by policy.

mod common;

use common::{DEV_PASSWORD, Server, TestEnv, names};
use serde_json::Value;

fn id_of(list: &Value, name: &str) -> String {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {list}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn health_and_version_answer_as_json_strings() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    assert_eq!(
        http.send("GET", "/api/v1/Health", None, None)
            .expect(200)
            .json(),
        "Healthy"
    );
    http.send("GET", "/api/v1/Version", None, None).problem(401);
    let token = http.sign_in("uma", DEV_PASSWORD);
    let version = http.get("/api/v1/Version", &token).expect(200).json();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}

#[test]
fn routes_and_property_names_match_in_any_case() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    for body in [
        format!(r#"{{"Login":"uma","Password":"{DEV_PASSWORD}"}}"#),
        format!(r#"{{"login":"uma","password":"{DEV_PASSWORD}"}}"#),
        format!(r#"{{"LOGIN":"uma","pAsSwOrD":"{DEV_PASSWORD}"}}"#),
    ] {
        for route in ["/signinBody", "/SIGNINBODY", "/signinbody/"] {
            http.send("POST", route, None, Some(&body)).expect(200);
        }
    }
    let token = http.sign_in("uma", DEV_PASSWORD);
    let canonical = http.get("/api/v1/Activity", &token).expect(200).json();
    let shouted = http.get("/API/V1/ACTIVITY", &token).expect(200).json();
    assert_eq!(canonical, shouted);
    let linux = id_of(&canonical, "Linux Admin");
    let by_id = http
        .get(
            &format!("/api/v1/activity/{}", linux.to_uppercase()),
            &token,
        )
        .expect(200)
        .json();
    assert_eq!(by_id["name"], "Linux Admin");
    let resources = http
        .get(
            &format!("/api/v1/accesscontrolpolicy/activitysessionresources?ACTIVITYID={linux}"),
            &token,
        )
        .expect(200)
        .json();
    assert_eq!(names(&resources), ["web01", "web02"]);
}

#[test]
fn wire_objects_are_camel_case_with_integer_enums() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let token = http.sign_in("uma", DEV_PASSWORD);
    let activities = http.get("/api/v1/Activity", &token).expect(200).json();
    let activity = &activities[0];
    for field in [
        "id",
        "name",
        "description",
        "platformId",
        "platformName",
        "activityType",
        "loginAccount",
        "createdDateTimeUtc",
        "modifiedDateTimeUtc",
    ] {
        assert!(
            activity.get(field).is_some(),
            "{field} missing from {activity}"
        );
    }
    assert_eq!(activity["activityType"], 0, "Interactive");
    assert_eq!(activity["loginAccount"], 0, "Requester");
    assert!(
        activity["createdDateTimeUtc"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let resources = http
        .get("/api/v1/ManagedResource", &token)
        .expect(200)
        .json();
    let db = resources
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "db01")
        .unwrap();
    assert_eq!(
        db["type"], 5,
        "a PostgreSQL resource is a Database (NPS's ManagedResourceType)"
    );
    assert_eq!(db["ipAddress"], "10.0.0.21");
    for field in [
        "displayName",
        "platformId",
        "platformName",
        "portSsh",
        "portRdp",
    ] {
        assert!(db.get(field).is_some(), "{field} missing from {db}");
    }
    // Activities and resources of one platform share its id.
    let web01 = resources
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "web01")
        .unwrap();
    let linux = activities
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Linux Admin")
        .unwrap();
    assert_eq!(web01["platformId"], linux["platformId"]);
}

#[test]
fn bad_input_gets_problem_details_naming_the_field() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();

    let malformed = http
        .send("POST", "/signinBody", None, Some("{\"Login\": "))
        .problem(400);
    assert!(
        malformed["detail"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );

    let wrong_type = http
        .send(
            "POST",
            "/signinBody",
            None,
            Some(r#"{"Login": 5, "Password": "x"}"#),
        )
        .problem(400);
    assert_eq!(wrong_type["field"], "Login", "{wrong_type}");

    let missing = http
        .send("POST", "/signinBody", None, Some(r#"{"Login": "uma"}"#))
        .problem(400);
    assert!(
        missing["detail"].as_str().unwrap().contains("Password"),
        "{missing}"
    );

    http.send("POST", "/signinBody", None, None).problem(400);

    let token = http.sign_in("uma", DEV_PASSWORD);
    let not_a_code = http
        .send("POST", "/signin2fa", Some(&token), Some(r#"{"code": 1}"#))
        .problem(400);
    assert!(
        not_a_code["detail"]
            .as_str()
            .unwrap()
            .contains("JSON string")
    );

    let bad_id = http.get("/api/v1/Activity/not-a-uuid", &token).problem(400);
    assert_eq!(bad_id["field"], "id");
    let too_many = http
        .get("/api/v1/ManagedResource/Search?take=501", &token)
        .problem(400);
    assert_eq!(too_many["field"], "take");
    let bad_sort = http
        .get("/api/v1/ManagedResource/Search?orderBy=password", &token)
        .problem(400);
    assert_eq!(bad_sort["field"], "orderBy");
    let no_activity = http
        .get(
            "/api/v1/AccessControlPolicy/ActivitySessionResources",
            &token,
        )
        .problem(400);
    assert_eq!(no_activity["field"], "activityId");

    let unknown = http.get("/api/v1/NoSuchThing", &token).problem(404);
    assert_eq!(
        unknown["instance"], "/api/v1/NoSuchThing",
        "the path as sent"
    );
    http.send("PUT", "/api/v1/Activity", Some(&token), Some("{}"))
        .problem(405);
    let unknown_id = http
        .get(
            "/api/v1/Activity/00000000-0000-4000-8000-000000000000",
            &token,
        )
        .problem(404);
    assert!(
        unknown_id["detail"]
            .as_str()
            .unwrap()
            .contains("no activity")
    );

    let big = format!(
        r#"{{"Login":"uma","Password":"{}"}}"#,
        "x".repeat(1024 * 1024 + 10)
    );
    http.send("POST", "/signinBody", None, Some(&big))
        .problem(413);

    http.send("GET", "/api/v1/Activity", None, None)
        .problem(401);
    http.get("/api/v1/Activity", "not-a-real-token")
        .problem(401);
    let wrong_scheme = http
        .client
        .get(format!("{}/api/v1/Activity", http.base))
        .header("authorization", format!("Basic {token}"))
        .send()
        .unwrap();
    assert_eq!(wrong_scheme.status().as_u16(), 401);
}

#[test]
fn each_caller_sees_only_what_their_policies_grant() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let list = |user: &str, path: &str| {
        let token = http.sign_in(user, DEV_PASSWORD);
        names(&http.get(path, &token).expect(200).json())
    };

    let all_activities = ["Database Read Write", "Linux Admin", "Windows Local Admin"];
    assert_eq!(list("admin", "/api/v1/Activity"), all_activities);
    assert_eq!(list("uma", "/api/v1/Activity"), all_activities);
    assert_eq!(
        list("ulf", "/api/v1/Activity"),
        ["Database Read Write", "Linux Admin"]
    );
    assert!(
        list("rita", "/api/v1/Activity").is_empty(),
        "a reviewer with no grants requests nothing"
    );

    assert_eq!(
        list("admin", "/api/v1/ManagedResource"),
        ["db01", "web01", "web02", "win01"]
    );
    assert_eq!(
        list("ulf", "/api/v1/ManagedResource"),
        ["db01", "web01", "web02"]
    );

    // Things outside one's policies do not exist for them.
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let activities = http.get("/api/v1/Activity", &admin).expect(200).json();
    let windows = id_of(&activities, "Windows Local Admin");
    let resources = http
        .get("/api/v1/ManagedResource", &admin)
        .expect(200)
        .json();
    let win01 = id_of(&resources, "win01");
    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    http.get(&format!("/api/v1/Activity/{windows}"), &ulf)
        .problem(404);
    http.get(&format!("/api/v1/ManagedResource/{win01}"), &ulf)
        .problem(404);
    http.get(
        &format!("/api/v1/AccessControlPolicy/ActivitySessionResources?activityId={windows}"),
        &ulf,
    )
    .problem(404);
    let uma = http.sign_in("uma", DEV_PASSWORD);
    assert_eq!(
        http.get(&format!("/api/v1/ManagedResource/{win01}"), &uma)
            .expect(200)
            .json()["name"],
        "win01"
    );
}

#[test]
fn activity_cards_carry_the_granting_policies() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let token = http.sign_in("uma", DEV_PASSWORD);
    let cards = http
        .get(
            "/api/v1/AccessControlPolicy/ActivityCardWithPolicies",
            &token,
        )
        .expect(200)
        .json();
    assert_eq!(cards["recordsTotal"], 3);
    let card = |name: &str| {
        cards["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()
            .clone()
    };
    let web = &card("Linux Admin")["accessControlPolicies"][0];
    assert_eq!(web["name"], "Web Ops");
    assert_eq!(web["maxSessionDurationMinutes"], 240);
    assert_eq!(web["approvalRequired"], false);
    assert_eq!(web["allowSessionExtension"], true);
    assert_eq!(web["maxSessionExtensions"], 2);
    assert_eq!(web["sessionExtensionMinutes"], 60);
    let glass = &card("Windows Local Admin")["accessControlPolicies"][0];
    assert_eq!(glass["approvalRequired"], true);
    assert_eq!(glass["approvalTiers"][0]["requiredApprovals"], 2);
    assert_eq!(
        glass["approvalTiers"][0]["approvers"],
        serde_json::json!(["rita", "ravi"])
    );

    let ulf = http.sign_in("ulf", DEV_PASSWORD);
    let cards = http
        .get(
            "/api/v1/AccessControlPolicy/ActivityCardWithPolicies?filterText=LINUX",
            &ulf,
        )
        .expect(200)
        .json();
    assert_eq!(names(&cards), ["Linux Admin"]);
}

#[test]
fn resource_search_pages_filters_and_sorts() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let token = http.sign_in("admin", DEV_PASSWORD);
    let page = http
        .get(
            "/api/v1/ManagedResource/Search?skip=1&take=2&orderBy=name&orderDescending=true",
            &token,
        )
        .expect(200)
        .json();
    assert_eq!(page["recordsTotal"], 4);
    let page_names: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(page_names, ["web02", "web01"]);
    let filtered = http
        .get("/api/v1/ManagedResource/Search?filterText=POSTGRES", &token)
        .expect(200)
        .json();
    assert_eq!(names(&filtered), ["db01"]);
    assert_eq!(filtered["recordsTotal"], 1);
}

/// NPS's built-in platforms keep NPS's fixed ids, which clients switch on (RDP or SSH), and
/// PostgreSQL has pamctl's own fixed id; `GET /api/v1/Platform` lists them.
#[test]
fn platforms_have_nps_fixed_ids() {
    const LINUX: &str = "43a54a6d-1ba3-4b98-a2eb-552e03c60766";
    const WINDOWS: &str = "d07c4352-ea1a-44a2-8fe8-6f198ec1119f";
    const POSTGRESQL: &str = "8eb24197-b5be-4655-a6da-b23d304720cb";
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let admin = http.sign_in("admin", DEV_PASSWORD);

    let resources = http
        .get("/api/v1/ManagedResource", &admin)
        .expect(200)
        .json();
    let platform_of = |name: &str| -> String {
        resources
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name} not in {resources}"))["platformId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(platform_of("web01"), LINUX);
    assert_eq!(platform_of("win01"), WINDOWS);
    assert_eq!(platform_of("db01"), POSTGRESQL);
    let activities = http.get("/api/v1/Activity", &uma).expect(200).json();
    let linux_admin = activities
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Linux Admin")
        .unwrap();
    assert_eq!(linux_admin["platformId"], LINUX);

    let platforms = http.get("/api/v1/Platform", &uma).expect(200).json();
    for (name, id) in [
        ("Windows", WINDOWS),
        ("Active Directory", "d6a07d9c-4b2e-4430-8c5b-401724dce933"),
        ("Linux", LINUX),
        (
            "Microsoft SQL Server",
            "9837b9dd-4cb0-4bd3-8a44-f1c0e3f1b0f1",
        ),
        ("Entra ID", "319034e0-73b0-4b1e-b764-d15b39e4cfb0"),
        ("Cisco", "2ac3b44b-86ff-455f-8ff1-e2e27c790c3e"),
        ("PostgreSQL", POSTGRESQL),
    ] {
        assert_eq!(id_of(&platforms, name), id, "{platforms}");
    }
    let reply = http.send("GET", "/api/v1/Platform", None, None);
    assert_eq!(reply.status, 401, "{}", reply.body);
}

/// `SbPAM.Models.ActivitySession` nests the activity, the resource, the policy and the group;
/// NPS clients read `activity.name` and `managedResource.name` (and print "Unknown" without
/// them). `statusDescription` is the reason or null, never the enum word again.
#[test]
fn sessions_carry_the_models_nested_objects() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let created = http
        .send(
            "POST",
            "/api/v1/ActivitySession",
            Some(&uma),
            Some(r#"{"activityName": "Linux Admin", "managedResourceName": "web01"}"#),
        )
        .expect(201)
        .json();
    let id = created["id"].as_str().unwrap().to_owned();
    for session in [
        created,
        http.get(&format!("/api/v1/ActivitySession/{id}"), &uma)
            .expect(200)
            .json(),
        http.get("/api/v1/ActivitySession", &uma).expect(200).json()[0].clone(),
    ] {
        assert_eq!(session["activity"]["name"], "Linux Admin", "{session}");
        assert_eq!(session["activity"]["id"], session["activityId"]);
        assert_eq!(
            session["activity"]["platformId"],
            "43a54a6d-1ba3-4b98-a2eb-552e03c60766"
        );
        assert_eq!(session["managedResource"]["name"], "web01");
        assert_eq!(
            session["managedResource"]["id"],
            session["managedResourceId"]
        );
        assert_eq!(
            session["managedResource"]["platformId"],
            "43a54a6d-1ba3-4b98-a2eb-552e03c60766"
        );
        assert_eq!(session["accessControlPolicy"]["name"], "Web Ops");
        assert_eq!(
            session["accessControlPolicy"]["id"],
            session["accessControlPolicyId"]
        );
        assert!(session["managedAccount"].is_null());
        assert!(
            session["statusDescription"].is_null(),
            "nothing to add to a running session: {session}"
        );
    }
}

/// The policy and account endpoints NPS clients call: each answers for the roles that may
/// call it and refuses the others.
#[test]
fn policies_and_accounts_answer_by_role() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let rita = http.sign_in("rita", DEV_PASSWORD);
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let ulf = http.sign_in("ulf", DEV_PASSWORD);

    let all = http
        .get("/api/v1/AccessControlPolicy", &admin)
        .expect(200)
        .json();
    let mut every = names(&all);
    every.sort();
    assert_eq!(every, ["Prod Database", "Web Ops", "Windows Break Glass"]);
    let web_ops = id_of(&all, "Web Ops");
    let break_glass = id_of(&all, "Windows Break Glass");
    let mut ulfs = names(
        &http
            .get("/api/v1/AccessControlPolicy", &ulf)
            .expect(200)
            .json(),
    );
    ulfs.sort();
    assert_eq!(
        ulfs,
        ["Prod Database", "Web Ops"],
        "only the policies naming ulf"
    );
    http.get(&format!("/api/v1/AccessControlPolicy/{break_glass}"), &ulf)
        .problem(404);
    let one = http
        .get(&format!("/api/v1/AccessControlPolicy/{web_ops}"), &uma)
        .expect(200)
        .json();
    assert_eq!(one["name"], "Web Ops");
    assert_eq!(one["maxSessionDurationMinutes"], 240);

    let resources = http
        .get(
            &format!("/api/v1/AccessControlPolicy/SearchResources/{web_ops}"),
            &uma,
        )
        .expect(200)
        .json();
    let mut hosts = names(&resources["data"]);
    hosts.sort();
    assert_eq!(hosts, ["web01", "web02"]);
    assert_eq!(resources["recordsTotal"], 2);
    let activities = http
        .get(
            &format!("/api/v1/AccessControlPolicy/SearchActivities/{web_ops}"),
            &uma,
        )
        .expect(200)
        .json();
    assert_eq!(names(&activities["data"]), ["Linux Admin"]);

    let members = http
        .get(
            &format!("/api/v1/AccessControlPolicy/SearchManagedAccounts/{web_ops}"),
            &rita,
        )
        .expect(200)
        .json();
    let mut people = names(&members["data"]);
    people.sort();
    assert_eq!(people, ["ci-bot", "ulf", "uma"]);
    http.get(
        &format!("/api/v1/AccessControlPolicy/SearchManagedAccounts/{web_ops}"),
        &uma,
    )
    .problem(403);

    let accounts = http
        .get("/api/v1/ManagedAccount/Search?filterText=REVIEWER", &admin)
        .expect(200)
        .json();
    let found = names(&accounts["data"]);
    assert_eq!(found, ["ravi", "rita"], "{accounts}");
    assert!(
        !found.contains(&"uma".to_owned()),
        "filterText applies: {accounts}"
    );
    http.get("/api/v1/ManagedAccount/Search", &uma).problem(403);
    let reply = http.send("GET", "/api/v1/ManagedAccount/Search", None, None);
    assert_eq!(reply.status, 401);
    // The cards beside them still route.
    http.get("/api/v1/AccessControlPolicy/ActivityCardWithPolicies", &uma)
        .expect(200);
}
