//! `GET /openapi.json`: the OpenAPI 3.1 description of every route, generated from the
//! handlers' `#[utoipa::path]` attributes and the wire types' schemas. The router is built
//! from the same attributes (`utoipa_axum::routes!`), so a route cannot be served without
//! being described, nor described without being served.
//!
//! To add an endpoint: annotate its handler with `#[utoipa::path(...)]` (method, lower-case
//! path, parameters, request body, every status it answers: the problem responses below are
//! named components) and register it in `super::api_routes` with `.routes(routes!(...))`.
//! `tests/openapi.rs` and `scripts/schemathesis.sh` check the result against the real server.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{Modify, OpenApi};

use crate::wire::enums::TopUsersType;
use crate::wire::problem::{CONTENT_TYPE, ProblemDetails};

/// The security scheme's name, as `#[utoipa::path(security(...))]` refers to it.
pub const BEARER: &str = "bearer"; // Also in `ApiDoc`'s `security`, which takes only a literal.

#[derive(OpenApi)]
#[openapi(
    info(
        title = "pamctl server",
        description = "The Netwrix Privilege Secure v1 REST dialect as pamctl serves it. Paths \
            match in any case (`/api/v1/ActivitySession` is `/api/v1/activitysession`); request \
            property names match in any case too. Errors are RFC 7807 problem details \
            (`application/problem+json`). See docs/api.md.",
    ),
    components(
        // Types only query parameters name (those are not collected from the handlers).
        schemas(ProblemDetails, TopUsersType),
        responses(
            BadRequest,
            Unauthorized,
            Forbidden,
            NotFound,
            Conflict,
            Unprocessable,
            PayloadTooLarge,
            TooManyRequests,
            ServerError,
            Unavailable
        )
    ),
    modifiers(&BearerScheme),
    security(("bearer" = [])),
    tags(
        (name = "Auth", description = "Sign-in, tokens and who the caller is"),
        (name = "Service", description = "Version, health and this description"),
        (name = "Catalog", description = "Activities, resources, platforms, policies, accounts"),
        (name = "Sessions", description = "Activity sessions: request, read, search, end, lock, extend, log"),
        (name = "Approvals", description = "Deciding on requests that need approval"),
    )
)]
pub struct ApiDoc;

/// Declares a named problem response (`#/components/responses/NAME`), so that a handler's
/// attribute says `(status = 404, response = NotFound)`.
macro_rules! problem_response {
    ($($name:ident: $description:literal),+ $(,)?) => {$(
        pub struct $name;

        impl<'r> utoipa::ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<utoipa::openapi::response::Response>) {
                (stringify!($name), problem($description).into())
            }
        }
    )+};
}

problem_response! {
    BadRequest: "The request is malformed; `field` names what to fix. Nothing changed.",
    Unauthorized: "No valid bearer token (or the sign-in failed).",
    Forbidden: "The caller's role or policies do not allow this.",
    NotFound: "No such object, or one the caller may not see.",
    Conflict: "The object is not in a state that allows this.",
    Unprocessable: "Refused by policy or by the object's state; `hint` says what would work.",
    PayloadTooLarge: "The body is larger than the 1 MiB limit.",
    TooManyRequests: "Throttled; `retryAfterSeconds` (and `Retry-After`) say when to try again.",
    ServerError: "The broker failed (e.g. its database); the request changed nothing.",
    Unavailable: "The database does not answer.",
}

fn problem(description: &str) -> utoipa::openapi::response::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemDetails")))
                .build(),
        )
        .build()
}

/// The bearer token scheme, which every operation needs unless it says `security(())`.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A token from POST /signinBody (after POST /signin2fa for MFA accounts)",
                    ))
                    .build(),
            ),
        );
    }
}

/// Adds the answers every operation can give, so each handler lists only its own: 401 where a
/// token is needed, 400 and 413 where a body is read, 500 everywhere (a store failure). This
/// runs once the router has collected every operation (a modifier of [`ApiDoc`] runs before).
fn add_common_responses(openapi: &mut utoipa::openapi::OpenApi) {
    let global_security = openapi.security.clone().unwrap_or_default();
    for item in openapi.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let security = operation.security.as_ref().unwrap_or(&global_security);
            let needs_token = !security.is_empty()
                && security
                    .iter()
                    .all(|requirement| *requirement != Default::default());
            let mut add = |status: &str, name: &str| {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
            };
            if needs_token {
                add("401", "Unauthorized");
            }
            if operation.request_body.is_some() {
                add("400", "BadRequest");
                add("413", "PayloadTooLarge");
            }
            add("500", "ServerError");
        }
    }
}

/// The description of everything [`super::api_routes`] serves, built once.
pub fn spec() -> &'static utoipa::openapi::OpenApi {
    static SPEC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    SPEC.get_or_init(|| {
        let (_, mut openapi) = super::api_routes().split_for_parts();
        add_common_responses(&mut openapi);
        openapi
    })
}

/// `GET /openapi.json` (pamctl extension): this API's OpenAPI 3.1 description.
#[utoipa::path(
    get,
    path = "/openapi.json",
    operation_id = "getOpenApiDescription",
    tag = "Service",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 description of this API", content_type = "application/json", body = Object)),
)]
pub async fn openapi_json() -> Response {
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(|| spec().to_pretty_json().unwrap_or_default());
    ([(header::CONTENT_TYPE, "application/json")], json.as_str()).into_response()
}
