//! `GET /openapi.json` against a real `pamctl server --dev`: a valid OpenAPI 3.1 document
//! whose every operation the server serves, that describes every route (the router is built
//! from the same annotations; this checks what can still go wrong: a route added with plain
//! axum, an endpoint docs/api.md lists but the description lacks), and whose schemas real
//! answers match. scripts/schemathesis.sh fuzzes the same description in CI.

mod common;

use std::collections::BTreeSet;

use common::{DEV_PASSWORD, Server, ServerOptions, TestEnv};
use serde_json::{Value, json};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

fn description(server: &Server) -> Value {
    let reply = server.http().send("GET", "/openapi.json", None, None);
    let reply = reply.expect(200);
    assert_eq!(reply.content_type, "application/json");
    reply.json()
}

/// Every (method, path) the description has, the method in upper case.
fn operations(spec: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                found.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    found
}

/// Every `$ref` in `value`, as JSON pointers into the document.
fn refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref" {
                    into.push(child.as_str().expect("a $ref is a string").to_owned());
                } else {
                    refs(child, into);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, into)),
        _ => {}
    }
}

#[test]
fn the_description_is_valid_openapi_3_1_and_needs_no_sign_in() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let spec = description(&server);

    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        spec["openapi"]
    );
    // It is an OpenAPI 3.1 document by the specification's own JSON Schema
    // (https://spec.openapis.org/oas/3.1/schema/2022-10-07, from the OpenAPI Initiative's
    // repository, Apache-2.0).
    let meta: Value = serde_json::from_str(include_str!("data/openapi-3.1-schema.json"))
        .expect("the OpenAPI 3.1 schema");
    let meta = jsonschema::draft202012::new(&meta).expect("the OpenAPI 3.1 schema compiles");
    let errors: Vec<String> = meta
        .iter_errors(&spec)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid OpenAPI 3.1: {errors:?}");
    assert!(
        !meta.is_valid(&json!({"openapi": "3.1.0", "paths": {}})),
        "the check can fail"
    );
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearer"]["description"]})
    );

    // Every reference resolves.
    let mut pointers = Vec::new();
    refs(&spec, &mut pointers);
    assert!(pointers.len() > 50, "{}", pointers.len());
    for pointer in pointers {
        let target = pointer.strip_prefix('#').expect("only local references");
        assert!(spec.pointer(target).is_some(), "{pointer} does not resolve");
    }

    // Every schema is a valid JSON Schema (2020-12, as OpenAPI 3.1 says).
    for (name, schema) in spec["components"]["schemas"].as_object().expect("schemas") {
        let mut schema = schema.clone();
        schema["components"] = spec["components"].clone();
        jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|e| panic!("schema {name} is not a valid JSON Schema: {e}"));
    }

    // Operation ids (what client generators name methods after) are unique.
    let mut ids = BTreeSet::new();
    for (method, path) in operations(&spec) {
        let id = spec["paths"][&path][method.to_lowercase()]["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
        assert!(ids.insert(id.to_owned()), "operationId {id} is not unique");
    }

    // Every operation answers something documented for an error: a problem, 500 included.
    for (method, path) in operations(&spec) {
        let responses = &spec["paths"][&path][method.to_lowercase()]["responses"];
        assert!(
            responses.get("500").is_some(),
            "{method} {path} does not document 500"
        );
        let secured = spec["paths"][&path][method.to_lowercase()]
            .get("security")
            .is_none_or(|s| {
                s.as_array()
                    .is_some_and(|list| list.iter().any(|r| r != &json!({})))
            });
        assert!(
            !secured || responses.get("401").is_some(),
            "{method} {path} needs a token but does not document 401"
        );
    }
}

/// A path from the description with its parameters filled in: a well-formed id that names
/// nothing, or a status word.
fn concrete(path: &str) -> String {
    path.replace("{id}", "00000000-0000-4000-8000-000000000000")
        .replace("{status}", "Historical")
}

/// Whether the answer is the router's own "no such endpoint" or "not that method", rather
/// than a handler's.
fn is_routing_miss(reply: &common::Reply) -> bool {
    reply.status == 405 || (reply.status == 404 && reply.body.contains("no such endpoint"))
}

#[test]
fn every_documented_operation_is_served() {
    let env = TestEnv::new();
    // The test clock is served only with --manual-clock.
    let server = Server::start(
        &env,
        ServerOptions {
            extra_args: vec!["--manual-clock".to_owned()],
            ..ServerOptions::default()
        },
    );
    let http = server.http();
    let admin = http.sign_in("admin", DEV_PASSWORD);
    let spec = description(&server);
    let operations = operations(&spec);
    assert!(operations.len() >= 40, "{operations:?}");
    for (method, path) in &operations {
        // Revoking signs the token out: it gets one of its own.
        let token = if method == "DELETE" && path == "/api/v1/usertoken" {
            http.sign_in("admin", DEV_PASSWORD)
        } else {
            admin.clone()
        };
        let body = matches!(method.as_str(), "POST" | "PUT").then_some("{}");
        // Both as described and in NPS's case: routes match in any case.
        for sent in [concrete(path), concrete(path).to_uppercase()] {
            let reply = http.send(method, &sent, Some(&token), body);
            assert!(
                !is_routing_miss(&reply),
                "{method} {sent} is described but not served: {} {}",
                reply.status,
                reply.body
            );
            let documented = &spec["paths"][path][method.to_lowercase()]["responses"];
            assert!(
                documented.get(reply.status.to_string()).is_some(),
                "{method} {sent} answered {} which its description does not list: {}",
                reply.status,
                reply.body
            );
            if method == "DELETE" && path == "/api/v1/usertoken" {
                break;
            }
        }
    }
    // And the router's miss is what the check above looks for.
    assert!(is_routing_miss(&http.get("/api/v1/nosuchthing", &admin)));
    assert!(is_routing_miss(&http.send(
        "PATCH",
        "/api/v1/activity",
        Some(&admin),
        None
    )));
}

/// A path in lower case with its parameters unnamed: `/a/{id}/b` is `/a/{}/b`.
fn normalized(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}".to_owned()
            } else {
                segment.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The endpoints table of docs/api.md, as (METHOD, lower-case path).
fn endpoints_in_the_reference() -> BTreeSet<(String, String)> {
    let reference = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/api.md"))
        .expect("docs/api.md");
    let table = reference
        .split_once("\n## Endpoints\n")
        .and_then(|(_, rest)| rest.split_once("\n### Not served yet"))
        .map(|(table, _)| table)
        .expect("docs/api.md has an Endpoints section");
    let mut endpoints = BTreeSet::new();
    for line in table.lines() {
        let Some(cell) = line
            .strip_prefix("| `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(cell, _)| cell)
        else {
            continue;
        };
        let Some((method, path)) = cell.split_once(' ') else {
            continue;
        };
        if !METHODS.contains(&method.to_lowercase().as_str()) || !path.starts_with('/') {
            continue;
        }
        let path = path.split('?').next().unwrap_or(path);
        endpoints.insert((method.to_owned(), normalized(path)));
    }
    endpoints
}

/// The router is built only from documented handlers (`routes!`); a route added another way
/// would be served undocumented, so the server's sources must not add one, and every endpoint
/// the API reference lists must be in the description (and the other way round).
#[test]
fn every_route_is_described_and_every_described_route_is_in_the_reference() {
    let server_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/server");
    for entry in std::fs::read_dir(server_dir).expect("src/server") {
        let path = entry.expect("entry").path();
        let source = std::fs::read_to_string(&path).expect("source");
        for needle in [
            ".route(",
            ".route_service(",
            ".nest(",
            ".nest_service(",
            ".merge(",
        ] {
            assert!(
                !source.contains(needle),
                "{} adds a route with `{needle}`, which /openapi.json would not describe: \
                 annotate the handler with #[utoipa::path(...)] and register it in \
                 server::api_routes with .routes(routes!(handler))",
                path.display()
            );
        }
    }

    let env = TestEnv::new();
    let server = Server::dev(&env);
    let spec = description(&server);
    let described: BTreeSet<(String, String)> = operations(&spec)
        .into_iter()
        .map(|(method, path)| (method, normalized(&path)))
        .collect();
    let reference = endpoints_in_the_reference();
    assert!(reference.len() >= 40, "{reference:?}");
    let undescribed: Vec<_> = reference.difference(&described).collect();
    assert!(
        undescribed.is_empty(),
        "docs/api.md lists endpoints /openapi.json does not describe (annotate their handlers \
         and register them with routes!): {undescribed:?}"
    );
    let unlisted: Vec<_> = described.difference(&reference).collect();
    assert!(
        unlisted.is_empty(),
        "/openapi.json describes endpoints docs/api.md does not list: {unlisted:?}"
    );
}

/// The schema of an operation's answer with this status, able to resolve the document's
/// references.
fn response_schema(spec: &Value, method: &str, path: &str, status: u16) -> jsonschema::Validator {
    let mut response = &spec["paths"][path][method]["responses"][status.to_string()];
    if let Some(pointer) = response["$ref"].as_str() {
        response = spec.pointer(&pointer[1..]).expect("response component");
    }
    let content = response["content"].as_object().expect("content");
    let (_, media) = content.iter().next().expect("one media type");
    let mut schema = media["schema"].clone();
    schema["components"] = spec["components"].clone();
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{method} {path} {status}: {e}"))
}

fn assert_matches(spec: &Value, method: &str, path: &str, reply: common::Reply) -> Value {
    let body = reply.json();
    let validator = response_schema(spec, method, path, reply.status);
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} {}: {errors:?}\n{body:#}",
        reply.status
    );
    body
}

#[test]
fn real_answers_match_their_schemas() {
    let env = TestEnv::new();
    let server = Server::dev(&env);
    let http = server.http();
    let spec = description(&server);
    let uma = http.sign_in("uma", DEV_PASSWORD);
    let rita = http.sign_in("rita", DEV_PASSWORD);

    let live = http
        .send(
            "POST",
            "/api/v1/ActivitySession",
            Some(&uma),
            Some(r#"{"activityName": "Linux Admin", "managedResourceName": "web01", "note": "n"}"#),
        )
        .expect(201);
    let live = assert_matches(&spec, "post", "/api/v1/activitysession", live);
    let id = live["id"].as_str().expect("id").to_owned();
    let waiting = http
        .send(
            "POST",
            "/api/v1/ActivitySession",
            Some(&uma),
            Some(r#"{"activityName": "Database Read Write", "managedResourceName": "db01"}"#),
        )
        .expect(201);
    assert_matches(&spec, "post", "/api/v1/activitysession", waiting);

    for (token, path, described) in [
        (&uma, "/api/v1/Activity".to_owned(), "/api/v1/activity"),
        (
            &uma,
            "/api/v1/ManagedResource".to_owned(),
            "/api/v1/managedresource",
        ),
        (&uma, "/api/v1/Platform".to_owned(), "/api/v1/platform"),
        (
            &uma,
            "/api/v1/CurrentUser".to_owned(),
            "/api/v1/currentuser",
        ),
        (
            &uma,
            "/api/v1/ActivitySession".to_owned(),
            "/api/v1/activitysession",
        ),
        (
            &uma,
            format!("/api/v1/ActivitySession/{id}"),
            "/api/v1/activitysession/{id}",
        ),
        (
            &uma,
            format!("/api/v1/ActivitySession/SummaryById/{id}"),
            "/api/v1/activitysession/summarybyid/{id}",
        ),
        (
            &uma,
            format!("/api/v1/ActivitySession/{id}/Log"),
            "/api/v1/activitysession/{id}/log",
        ),
        (
            &uma,
            "/api/v1/ActivitySession/Search?take=5".to_owned(),
            "/api/v1/activitysession/search",
        ),
        (
            &uma,
            "/api/v1/ActivitySession/Count".to_owned(),
            "/api/v1/activitysession/count",
        ),
        (
            &uma,
            "/api/v1/AccessControlPolicy/ActivityCardWithPolicies".to_owned(),
            "/api/v1/accesscontrolpolicy/activitycardwithpolicies",
        ),
        (
            &rita,
            "/api/v1/ActivitySession/Approvals".to_owned(),
            "/api/v1/activitysession/approvals",
        ),
        (
            &rita,
            "/api/v1/ManagedAccount/Search".to_owned(),
            "/api/v1/managedaccount/search",
        ),
        (
            &rita,
            "/api/v1/AccessControlPolicy".to_owned(),
            "/api/v1/accesscontrolpolicy",
        ),
        (
            &uma,
            "/api/v1/Health?detail=true".to_owned(),
            "/api/v1/health",
        ),
        (&uma, "/api/v1/Health".to_owned(), "/api/v1/health"),
        (&uma, "/api/v1/Version".to_owned(), "/api/v1/version"),
    ] {
        let reply = http.get(&path, token).expect(200);
        assert_matches(&spec, "get", described, reply);
    }

    // Errors are problems, as described.
    let missing = http
        .get("/api/v1/ActivitySession/not-a-uuid", &uma)
        .expect(400);
    let problem = assert_matches(&spec, "get", "/api/v1/activitysession/{id}", missing);
    assert_eq!(problem["field"], "id");
    let unauthorized = http.send("GET", "/api/v1/Activity", None, None).expect(401);
    assert_matches(&spec, "get", "/api/v1/activity", unauthorized);

    // The check can fail: a session without its status, or with a name for an id, does not
    // match.
    let validator = response_schema(&spec, "get", "/api/v1/activitysession/{id}", 200);
    let mut broken = live.clone();
    broken.as_object_mut().expect("object").remove("status");
    assert!(!validator.is_valid(&broken));
    let mut broken = live;
    broken["createdBy"] = json!("uma");
    assert!(!validator.is_valid(&broken));
}
