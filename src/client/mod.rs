//! The HTTP client for the wire contract. It keeps to what the contract documents, so it works
//! against a pamctl broker and a Netwrix Privilege Secure server alike.

pub mod profile;
mod statement;
pub mod token;

use std::path::PathBuf;
use std::time::Duration;

use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::wire::DataTable;
use crate::wire::auth::{CurrentUser, SignInBody, TokenInfo, TokenRevocation};
use crate::wire::case_insensitive;
use crate::wire::catalog::{Activity, ActivityCard, ManagedResource};
use crate::wire::problem::ProblemDetails;
use crate::wire::session::{
    ActivitySession, ActivitySessionGroup, ActivitySessionRequest, EndSessionResult,
    EndSessionsRequest, LockRequest, PendingApproval, SessionLog, SessionSearchResult,
    SessionSummary,
};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const PAGE_SIZE: u64 = 500;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot reach {server}: {message}")]
    Transport { server: String, message: String },
    #[error("{}", problem_text(.problem))]
    Api { problem: Box<ProblemDetails> },
    #[error("unexpected answer from {url}: {message}")]
    Decode { url: String, message: String },
    #[error("'{0}' is not a server URL")]
    BadUrl(String),
    #[error("TLS set-up failed: {0}")]
    Tls(String),
}

fn problem_text(problem: &ProblemDetails) -> String {
    match &problem.detail {
        Some(detail) if !detail.is_empty() => detail.clone(),
        _ => format!("{} ({})", problem.title, problem.status),
    }
}

impl ClientError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { problem } => Some(problem.status),
            _ => None,
        }
    }

    /// The server does not serve the endpoint asked for (404 for its path, 405 for its
    /// method): a pamctl extension sent to Privilege Secure, or to an older pamctl.
    pub fn is_missing_endpoint(&self) -> bool {
        matches!(self.status(), Some(404 | 405))
    }
}

#[derive(Debug, Clone, Default)]
pub struct TlsOptions {
    pub insecure: bool,
    pub ca_cert: Option<PathBuf>,
}

pub struct Client {
    base: Url,
    http: reqwest::Client,
    token: Option<String>,
    verbose: bool,
}

impl Client {
    pub fn new(server: &str, tls: &TlsOptions, verbose: bool) -> Result<Self, ClientError> {
        let base = normalize_server_url(server)?;
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("pamctl/", env!("CARGO_PKG_VERSION")));
        if tls.insecure {
            builder = builder.danger_accept_invalid_certs(true);
        }
        if let Some(path) = &tls.ca_cert {
            let pem = std::fs::read(path).map_err(|e| {
                ClientError::Tls(format!(
                    "cannot read CA certificate {}: {e}",
                    path.display()
                ))
            })?;
            let certificate = reqwest::Certificate::from_pem(&pem).map_err(|e| {
                ClientError::Tls(format!("{} is not a PEM certificate: {e}", path.display()))
            })?;
            builder = builder.add_root_certificate(certificate);
        }
        let http = builder
            .build()
            .map_err(|e| ClientError::Tls(e.to_string()))?;
        Ok(Self {
            base,
            http,
            token: None,
            verbose,
        })
    }

    pub fn with_token(mut self, token: Option<String>) -> Self {
        self.token = token;
        self
    }

    pub fn server(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    async fn send<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&B>,
        token: Option<&str>,
    ) -> Result<Vec<u8>, ClientError> {
        let mut url = self
            .base
            .join(path.trim_start_matches('/'))
            .map_err(|_| ClientError::BadUrl(path.to_owned()))?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        }
        let mut request = self.http.request(method.clone(), url.clone());
        if let Some(token) = token.or(self.token.as_deref()) {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        if self.verbose {
            eprintln!(
                "> {method} {url}{}",
                if token.or(self.token.as_deref()).is_some() {
                    " (Authorization: Bearer ***)"
                } else {
                    ""
                }
            );
        }
        let response = request
            .send()
            .await
            .map_err(|error| self.transport_error(&error))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|error| self.transport_error(&error))?;
        if self.verbose {
            eprintln!("< {} ({} bytes)", status, bytes.len());
        }
        if status.is_success() {
            return Ok(bytes.to_vec());
        }
        Err(ClientError::Api {
            problem: Box::new(problem_from(status, &bytes)),
        })
    }

    fn transport_error(&self, error: &reqwest::Error) -> ClientError {
        let mut message = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            message = format!("{message}: {cause}");
            source = cause.source();
        }
        ClientError::Transport {
            server: self.server().to_owned(),
            message,
        }
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, ClientError> {
        let bytes = self
            .send::<()>(Method::GET, path, query, None, None)
            .await?;
        decode(path, &bytes)
    }

    /// Every page of a DataTable list.
    async fn get_all<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<T>, ClientError> {
        let mut items = Vec::new();
        loop {
            let mut page_query = query.to_vec();
            page_query.push(("skip", items.len().to_string()));
            page_query.push(("take", PAGE_SIZE.to_string()));
            let page: DataTable<T> = self.get(path, &page_query).await?;
            let received = page.data.len();
            items.extend(page.data);
            if received == 0 || items.len() as u64 >= page.records_total {
                return Ok(items);
            }
        }
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> Result<String, ClientError> {
        let body = SignInBody {
            login: login.to_owned(),
            password: password.to_owned(),
        };
        let bytes = self
            .send(Method::POST, "signinBody", &[], Some(&body), None)
            .await?;
        decode("signinBody", &bytes)
    }

    pub async fn sign_in_2fa(&self, pre_token: &str, code: &str) -> Result<String, ClientError> {
        let bytes = self
            .send(Method::POST, "signin2fa", &[], Some(code), Some(pre_token))
            .await?;
        decode("signin2fa", &bytes)
    }

    /// Whether a token is a full one: a pre-MFA token is refused (401) by every call but
    /// `/signin2fa`. Version is the cheapest call that needs a full token.
    pub async fn token_is_full(&self, token: &str) -> Result<bool, ClientError> {
        match self
            .send::<()>(Method::GET, "api/v1/Version", &[], None, Some(token))
            .await
        {
            Ok(_) => Ok(true),
            Err(ClientError::Api { problem }) if problem.status == 401 => Ok(false),
            Err(other) => Err(other),
        }
    }

    pub async fn revoke_token(&self) -> Result<(), ClientError> {
        self.send::<()>(Method::DELETE, "api/v1/UserToken", &[], None, None)
            .await
            .map(drop)
    }

    /// `GET /api/v1/Token` (admins): live tokens, of one user or of all.
    pub async fn tokens(&self, user: Option<&str>) -> Result<Vec<TokenInfo>, ClientError> {
        let query: Vec<(&str, String)> = user.map(|u| ("user", u.to_owned())).into_iter().collect();
        self.get("api/v1/Token", &query).await
    }

    /// `DELETE /api/v1/Token/{id}` (admins): revokes a token and the rest of its sign-in.
    pub async fn revoke_token_id(&self, id: uuid::Uuid) -> Result<TokenRevocation, ClientError> {
        let path = format!("api/v1/Token/{id}");
        let bytes = self
            .send::<()>(Method::DELETE, &path, &[], None, None)
            .await?;
        decode(&path, &bytes)
    }

    /// `DELETE /api/v1/Token?user=NAME` (admins): revokes every token of a user.
    pub async fn revoke_user_tokens(&self, user: &str) -> Result<TokenRevocation, ClientError> {
        let path = "api/v1/Token";
        let bytes = self
            .send::<()>(
                Method::DELETE,
                path,
                &[("user", user.to_owned())],
                None,
                None,
            )
            .await?;
        decode(path, &bytes)
    }

    /// `GET /api/v1/Audit` (a pamctl extension, admins): a page of the audit trail.
    pub async fn audit_page(
        &self,
        query: &[(&str, String)],
    ) -> Result<crate::wire::DataTable<crate::wire::audit::AuditEntry>, ClientError> {
        self.get("api/v1/Audit", query).await
    }

    pub async fn current_user(&self) -> Result<CurrentUser, ClientError> {
        self.get("api/v1/CurrentUser", &[]).await
    }

    pub async fn activities(&self) -> Result<Vec<Activity>, ClientError> {
        self.get("api/v1/Activity", &[]).await
    }

    pub async fn resources(&self) -> Result<Vec<ManagedResource>, ClientError> {
        self.get("api/v1/ManagedResource", &[]).await
    }

    pub async fn create_session(
        &self,
        request: &ActivitySessionRequest,
    ) -> Result<ActivitySession, ClientError> {
        self.post("api/v1/ActivitySession", request).await
    }

    /// One session per request, created together (all or none).
    pub async fn create_session_group(
        &self,
        requests: &[ActivitySessionRequest],
    ) -> Result<ActivitySessionGroup, ClientError> {
        self.post("api/v1/ActivitySession/Group", requests).await
    }

    pub async fn session(&self, id: uuid::Uuid) -> Result<ActivitySession, ClientError> {
        self.get(&format!("api/v1/ActivitySession/{id}"), &[]).await
    }

    /// The session's database password (its requester only; the view is logged).
    pub async fn session_password(&self, id: uuid::Uuid) -> Result<String, ClientError> {
        self.get(&format!("api/v1/ActivitySession/{id}/Password"), &[])
            .await
    }

    pub async fn session_connection(
        &self,
        id: uuid::Uuid,
    ) -> Result<crate::wire::session::DatabaseConnection, ClientError> {
        self.get(&format!("api/v1/ActivitySession/{id}/Connection"), &[])
            .await
    }

    pub async fn session_summary(&self, id: uuid::Uuid) -> Result<SessionSummary, ClientError> {
        self.get(&format!("api/v1/ActivitySession/SummaryById/{id}"), &[])
            .await
    }

    /// Every session the caller may see, as summaries, through `ActivitySession/Search`
    /// (page by page); `filter_text` narrows it on the server.
    pub async fn search_sessions(
        &self,
        filter_text: Option<&str>,
    ) -> Result<Vec<SessionSummary>, ClientError> {
        let mut items: Vec<SessionSummary> = Vec::new();
        loop {
            let mut query = vec![
                ("skip", items.len().to_string()),
                ("take", PAGE_SIZE.to_string()),
            ];
            if let Some(text) = filter_text {
                query.push(("filterText", text.to_owned()));
            }
            let page: SessionSearchResult =
                self.get("api/v1/ActivitySession/Search", &query).await?;
            let received = page.data.len();
            items.extend(page.data);
            if received == 0 || items.len() as u64 >= page.records_total {
                return Ok(items);
            }
        }
    }

    /// One page of `ActivitySession/Search` with the given filter and sort parameters.
    pub async fn search_page(
        &self,
        params: &[(&str, String)],
        skip: u64,
        take: u64,
    ) -> Result<SessionSearchResult, ClientError> {
        let mut query = params.to_vec();
        query.push(("skip", skip.to_string()));
        query.push(("take", take.to_string()));
        self.get("api/v1/ActivitySession/Search", &query).await
    }

    /// `DELETE /api/v1/ActivitySession/{id}`: ends it (a finished session is returned as is).
    pub async fn end_session(&self, id: uuid::Uuid) -> Result<ActivitySession, ClientError> {
        let path = format!("api/v1/ActivitySession/{id}");
        let bytes = self
            .send::<()>(Method::DELETE, &path, &[], None, None)
            .await?;
        decode(&path, &bytes)
    }

    /// `POST /api/v1/ActivitySession/End` (pamctl extension): ends each of `ids` as its own
    /// DELETE would, one result per id in order. A server without it (NPS) answers 404 or
    /// 405: see [`is_missing_endpoint`].
    pub async fn end_sessions(
        &self,
        ids: &[uuid::Uuid],
    ) -> Result<Vec<EndSessionResult>, ClientError> {
        let body = EndSessionsRequest {
            activity_session_ids: ids.to_vec(),
        };
        self.post("api/v1/ActivitySession/End", &body).await
    }

    pub async fn lock_sessions(&self, request: &LockRequest) -> Result<LockRequest, ClientError> {
        let path = "api/v1/ActivitySession/lock";
        let bytes = self
            .send(Method::PUT, path, &[], Some(request), None)
            .await?;
        decode(path, &bytes)
    }

    pub async fn extend_session(
        &self,
        id: uuid::Uuid,
        minutes: i64,
    ) -> Result<ActivitySession, ClientError> {
        self.post(&format!("api/v1/ActivitySession/{id}/Extend"), &minutes)
            .await
    }

    /// `POST /api/v1/ActivitySession/{id}/Resolve` (pamctl extension).
    pub async fn resolve_session(
        &self,
        id: uuid::Uuid,
        note: &str,
    ) -> Result<ActivitySession, ClientError> {
        let body = crate::wire::session::ResolveRequest {
            note: Some(note.to_owned()),
        };
        self.post(&format!("api/v1/ActivitySession/{id}/Resolve"), &body)
            .await
    }

    /// `POST /api/v1/ActivitySession/{id}/Share` (pamctl extension).
    pub async fn share_session(
        &self,
        id: uuid::Uuid,
        user_name: &str,
    ) -> Result<crate::wire::session::SessionShares, ClientError> {
        let body = crate::wire::session::ShareRequest {
            user_name: Some(user_name.to_owned()),
        };
        self.post(&format!("api/v1/ActivitySession/{id}/Share"), &body)
            .await
    }

    pub async fn session_log(
        &self,
        id: uuid::Uuid,
        query: &LogQuery,
    ) -> Result<SessionLog, ClientError> {
        let mut params = vec![("skip", query.skip.to_string())];
        if let Some(take) = query.take {
            params.push(("take", take.to_string()));
        }
        if let Some(level) = &query.level {
            params.push(("logLevel", level.clone()));
        }
        if let Some(text) = &query.filter_text {
            params.push(("filterText", text.clone()));
        }
        if let Some(start) = query.start_date {
            params.push((
                "startDate",
                start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ));
        }
        if let Some(end) = query.end_date {
            params.push((
                "endDate",
                // Full precision: `--until now` must not drop the lines of this second.
                end.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            ));
        }
        self.get(&format!("api/v1/ActivitySession/{id}/Log"), &params)
            .await
    }

    /// `POST /api/v1/ActivitySession/{id}/Approve?notes=`. `notes` is always sent, empty when
    /// there are none: NPS binds it as a required query parameter.
    pub async fn approve_session(
        &self,
        id: uuid::Uuid,
        notes: Option<&str>,
    ) -> Result<ActivitySession, ClientError> {
        let path = format!("api/v1/ActivitySession/{id}/Approve");
        let query = [("notes", notes.unwrap_or_default().to_owned())];
        let bytes = self
            .send::<()>(Method::POST, &path, &query, None, None)
            .await?;
        decode(&path, &bytes)
    }

    /// `POST /api/v1/ActivitySession/{id}/Deny` with the reason as a JSON string.
    pub async fn deny_session(
        &self,
        id: uuid::Uuid,
        reason: &str,
    ) -> Result<ActivitySession, ClientError> {
        self.post(&format!("api/v1/ActivitySession/{id}/Deny"), reason)
            .await
    }

    /// `GET /api/v1/ActivitySession/ApprovalCheck`: how many requests wait for the caller.
    pub async fn approval_check(&self) -> Result<u64, ClientError> {
        self.get("api/v1/ActivitySession/ApprovalCheck", &[]).await
    }

    /// `GET /api/v1/ActivitySession/Approvals` (pamctl extension; a Privilege Secure server
    /// answers 404): every request waiting for the caller's decision, page by page.
    pub async fn pending_approvals(
        &self,
        filter_text: Option<&str>,
    ) -> Result<Vec<PendingApproval>, ClientError> {
        let query: Vec<(&str, String)> = filter_text
            .map(|text| ("filterText", text.to_owned()))
            .into_iter()
            .collect();
        self.get_all("api/v1/ActivitySession/Approvals", &query)
            .await
    }

    async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        let bytes = self.send(Method::POST, path, &[], Some(body), None).await?;
        decode(path, &bytes)
    }

    /// `GET /api/v1/AccessControlPolicy/ActivityCardWithPolicies`: the activities the caller
    /// may request, each with the policies that grant it (limits, approval, ticket).
    pub async fn activity_cards(&self) -> Result<Vec<ActivityCard>, ClientError> {
        self.get_all("api/v1/AccessControlPolicy/ActivityCardWithPolicies", &[])
            .await
    }

    pub async fn activity_session_resources(
        &self,
        activity_id: uuid::Uuid,
    ) -> Result<Vec<ManagedResource>, ClientError> {
        self.get_all(
            "api/v1/AccessControlPolicy/ActivitySessionResources",
            &[("activityId", activity_id.to_string())],
        )
        .await
    }
}

/// The query of `GET /api/v1/ActivitySession/{id}/Log`.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    /// Debug, Info, Warn or Error: that level and above.
    pub level: Option<String>,
    pub skip: u64,
    pub take: Option<u64>,
    pub filter_text: Option<String>,
    pub start_date: Option<chrono::DateTime<chrono::Utc>>,
    pub end_date: Option<chrono::DateTime<chrono::Utc>>,
}

/// The server as profiles store and compare it: `http://host:port` with any path, no trailing
/// slash.
pub fn canonical_server(server: &str) -> Result<String, ClientError> {
    Ok(normalize_server_url(server)?
        .as_str()
        .trim_end_matches('/')
        .to_owned())
}

/// Accepts `host:port`, `http://host:port` or a URL with a path, and always ends in `/`, so
/// that relative API paths join under it.
fn normalize_server_url(server: &str) -> Result<Url, ClientError> {
    let server = server.trim();
    let with_scheme = if server.contains("://") {
        server.to_owned()
    } else {
        format!("https://{server}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|_| ClientError::BadUrl(server.to_owned()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ClientError::BadUrl(server.to_owned()));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn decode<T: DeserializeOwned>(path: &str, bytes: &[u8]) -> Result<T, ClientError> {
    case_insensitive::from_slice(bytes).map_err(|error| ClientError::Decode {
        url: path.to_owned(),
        message: error.to_string(),
    })
}

/// A problem details body, or one made up from the status when the server sent none.
fn problem_from(status: StatusCode, bytes: &[u8]) -> ProblemDetails {
    if let Ok(mut problem) = case_insensitive::from_slice::<ProblemDetails>(bytes) {
        if problem.status == 0 {
            problem.status = status.as_u16();
        }
        if problem.title.is_empty() {
            problem.title = status.canonical_reason().unwrap_or("Error").to_owned();
        }
        return problem;
    }
    let text = String::from_utf8_lossy(bytes)
        .trim()
        .chars()
        .take(300)
        .collect::<String>();
    ProblemDetails {
        r#type: "about:blank".to_owned(),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail: Some(if text.is_empty() {
            format!("the server answered {status}")
        } else {
            text
        }),
        instance: None,
        hint: None,
        field: None,
        retry_after_seconds: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_gain_a_scheme_and_a_trailing_slash() {
        assert_eq!(
            normalize_server_url("nps:6500").unwrap().as_str(),
            "https://nps:6500/"
        );
        assert_eq!(
            normalize_server_url("http://127.0.0.1:6500/pam")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:6500/pam/"
        );
        assert!(normalize_server_url("ftp://x").is_err());
    }
}
