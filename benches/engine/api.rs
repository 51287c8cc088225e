//! The broker's HTTP API as the benchmark calls it: many requests in flight over one
//! connection pool, every call timed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, anyhow, bail};
use serde_json::{Value, json};

use crate::broker::{self, ADMIN, PASSWORD, USERS};

const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
}

pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub took: Duration,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json(&self) -> Result<Value> {
        serde_json::from_slice(&self.body).with_context(|| {
            format!(
                "not JSON (status {}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The sign-ins one broker needs: the admin and every requester.
pub struct Tokens {
    pub admin: String,
    pub users: Vec<String>,
}

impl Api {
    pub fn new(base: &str) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .pool_max_idle_per_host(512)
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    /// One request, timed from sending it to having read the whole answer.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Reply> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let started = Instant::now();
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.bytes().await?.to_vec();
        Ok(Reply {
            status,
            body,
            took: started.elapsed(),
        })
    }

    pub async fn get(&self, path: &str, token: &str) -> Result<Reply> {
        self.send(reqwest::Method::GET, path, Some(token), None)
            .await
    }

    pub async fn sign_in(&self, login: &str) -> Result<String> {
        let body = json!({"Login": login, "Password": PASSWORD});
        let reply = self
            .send(reqwest::Method::POST, "/signinBody", None, Some(&body))
            .await?;
        if reply.status != 200 {
            bail!(
                "sign-in of {login} answered {}: {}",
                reply.status,
                reply.text()
            );
        }
        reply
            .json()?
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow!("sign-in of {login} did not answer a token"))
    }

    /// Signs in the admin and every requester, a few at a time.
    pub async fn sign_in_everyone(&self) -> Result<Tokens> {
        let admin = self.sign_in(ADMIN).await?;
        let mut users = Vec::with_capacity(USERS);
        for chunk in (0..USERS).collect::<Vec<_>>().chunks(4) {
            let signing: Vec<_> = chunk
                .iter()
                .map(|&index| {
                    let api = self.clone();
                    tokio::spawn(async move { api.sign_in(&broker::user_name(index)).await })
                })
                .collect();
            for task in signing {
                users.push(task.await??);
            }
        }
        Ok(Tokens { admin, users })
    }

    pub async fn create(&self, token: &str, request: &Value) -> Result<Reply> {
        self.send(
            reqwest::Method::POST,
            "/api/v1/ActivitySession",
            Some(token),
            Some(request),
        )
        .await
    }

    /// `GET /api/v1/ActivitySession/Search` with these query parameters.
    pub async fn search(&self, token: &str, query: &[(&str, &str)]) -> Result<Reply> {
        let query = serde_urlencoded::to_string(query)?;
        self.get(&format!("/api/v1/ActivitySession/Search?{query}"), token)
            .await
    }

    /// How many sessions a Search with these parameters matches.
    pub async fn matching(&self, token: &str, query: &[(&str, &str)]) -> Result<u64> {
        let mut query = query.to_vec();
        query.push(("take", "1"));
        let reply = self.search(token, &query).await?;
        if reply.status != 200 {
            bail!("Search answered {}: {}", reply.status, reply.text());
        }
        reply.json()?["recordsTotal"]
            .as_u64()
            .ok_or_else(|| anyhow!("Search answered no recordsTotal"))
    }

    /// Waits until no session matching `query` is left, polling; returns how long it took,
    /// or None (with how many are left) when `limit` passes first. It polls every 200 ms:
    /// while thousands of sessions change, a Search with filters costs tens of milliseconds
    /// (the summary reads the rows of groups whose extremes left): asked every 50 ms, the
    /// broker being timed spent much of its two cores answering the stopwatch.
    pub async fn wait_until_none(
        &self,
        token: &str,
        query: &[(&str, &str)],
        limit: Duration,
    ) -> Result<Result<Duration, u64>> {
        let started = Instant::now();
        loop {
            let left = self.matching(token, query).await?;
            if left == 0 {
                return Ok(Ok(started.elapsed()));
            }
            if started.elapsed() > limit {
                return Ok(Err(left));
            }
            tokio::time::sleep(POLL_EVERY).await;
        }
    }
}

/// How often `wait_until_none` asks: a resolution of 2% on the 10 s figures it times.
const POLL_EVERY: Duration = Duration::from_millis(200);

/// What `create_many` did.
pub struct Created {
    pub count: usize,
    pub elapsed: Duration,
}

/// Creates `count` sessions over HTTP from `clients` concurrent clients, each with one request
/// in flight at a time; session `n` is requested by user `n % USERS` with `request(n)`. Any
/// refusal stops it: the sessions are the setup of the figures that follow.
pub async fn create_many(
    api: &Api,
    tokens: &Tokens,
    count: usize,
    clients: usize,
    limit: Duration,
    request: impl Fn(usize) -> Value + Send + Sync + 'static,
) -> Result<Created> {
    create_across(
        std::slice::from_ref(api),
        tokens,
        count,
        clients,
        limit,
        request,
    )
    .await
}

/// `create_many` with the clients spread over several brokers (replicas on one database):
/// client `i` sends to broker `i % apis.len()`.
pub async fn create_across(
    apis: &[Api],
    tokens: &Tokens,
    count: usize,
    clients: usize,
    limit: Duration,
    request: impl Fn(usize) -> Value + Send + Sync + 'static,
) -> Result<Created> {
    let next = Arc::new(AtomicUsize::new(0));
    let request = Arc::new(request);
    let users = Arc::new(tokens.users.clone());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let (api, next, request, users) = (
            apis[client % apis.len()].clone(),
            Arc::clone(&next),
            Arc::clone(&request),
            Arc::clone(&users),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    return Ok::<(), anyhow::Error>(());
                }
                if started.elapsed() > limit {
                    bail!("creating {count} sessions took longer than {limit:?}; stopped at {n}");
                }
                let reply = api.create(&users[n % users.len()], &request(n)).await?;
                if reply.status != 201 {
                    bail!(
                        "creating session {n} answered {}: {}",
                        reply.status,
                        reply.text()
                    );
                }
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(Created {
        count,
        elapsed: started.elapsed(),
    })
}
