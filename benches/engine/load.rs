//! The figures under load, on a broker with 10,000 sessions: `GET /Version` while 16 clients
//! search, then 200 clients of mixed reads and writes.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::api::{Api, Reply, create_many};
use crate::big::wait_for_provisioning;
use crate::broker::{SHELL, Setup, host_name};
use crate::report::{Figure, Table};
use crate::stats::{Latencies, count, human, per_second, rate};
use crate::workload::{SEARCH_TEXTS, search_query, seed_request};
use crate::{Scale, detail, progress};

pub const FIGURES: [Figure; 2] = [Figure::VersionUnderSearch, Figure::Mixed];

const SEARCHERS: usize = 16;
const VERSION_PROBE_GAP: Duration = Duration::from_millis(10);

pub async fn run(setup: &mut Setup, scale: &Scale, table: &mut Table) -> Result<()> {
    let broker = setup.start("load")?;
    let api = Api::new(&broker.url)?;
    let tokens = api.sign_in_everyone().await?;
    progress(&format!(
        "load broker: creating {} sessions",
        count(scale.medium)
    ));
    create_many(
        &api,
        &tokens,
        scale.medium,
        32,
        scale.setup_limit,
        seed_request,
    )
    .await?;
    wait_for_provisioning(&api, &tokens, scale).await?;

    progress(&format!(
        "`GET /Version` alone, then while {SEARCHERS} clients search, for {} s",
        scale.version_for.as_secs()
    ));
    let (measured, passed) = version_under_search(&api, &tokens.admin, scale).await?;
    table.measured(Figure::VersionUnderSearch, measured, passed);

    progress(&format!(
        "{} clients of mixed reads and writes for {} s",
        scale.mixed_clients,
        scale.mixed_for.as_secs()
    ));
    let (measured, passed) = mixed(&api, &tokens.users, scale).await?;
    table.measured(Figure::Mixed, measured, passed);
    Ok(())
}

async fn version_probe(api: &Api, token: &str) -> Result<Duration> {
    let reply = api.get("/api/v1/Version", token).await?;
    if reply.status != 200 {
        bail!(
            "GET /api/v1/Version answered {}: {}",
            reply.status,
            reply.text()
        );
    }
    Ok(reply.took)
}

async fn version_under_search(api: &Api, admin: &str, scale: &Scale) -> Result<(String, bool)> {
    let mut alone = Latencies::default();
    for _ in 0..100 {
        alone.push(version_probe(api, admin).await?);
        tokio::time::sleep(VERSION_PROBE_GAP).await;
    }

    let stop = Arc::new(AtomicBool::new(false));
    let searches = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let mut searchers = Vec::new();
    for client in 0..SEARCHERS {
        let (api, admin) = (api.clone(), admin.to_owned());
        let (stop, searches, failures) = (
            Arc::clone(&stop),
            Arc::clone(&searches),
            Arc::clone(&failures),
        );
        searchers.push(tokio::spawn(async move {
            let mut i = client;
            while !stop.load(Ordering::Relaxed) {
                let text = SEARCH_TEXTS[i % SEARCH_TEXTS.len()];
                match api.search(&admin, &search_query(text)).await {
                    Ok(reply) if reply.status == 200 => searches.fetch_add(1, Ordering::Relaxed),
                    _ => failures.fetch_add(1, Ordering::Relaxed),
                };
                i += 1;
            }
        }));
    }
    let mut busy = Latencies::default();
    let started = Instant::now();
    while started.elapsed() < scale.version_for {
        busy.push(version_probe(api, admin).await?);
        tokio::time::sleep(VERSION_PROBE_GAP).await;
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for searcher in searchers {
        searcher.await?;
    }
    let searched = searches.load(Ordering::Relaxed);
    let failed = failures.load(Ordering::Relaxed);
    let (Some(p50), Some(alone_p50)) = (busy.percentile(50.0), alone.percentile(50.0)) else {
        bail!("no /Version probe finished");
    };
    detail(&format!(
        "/Version p50 alone {}; under search p50 {}, p99 {} ({} probes); searches {} ({} failed)",
        human(alone_p50),
        human(p50),
        human(busy.percentile(99.0).unwrap_or_default()),
        busy.len(),
        per_second(rate(searched, elapsed)),
        failed
    ));
    Ok((
        format!(
            "{} (alone {}; {} searches meanwhile)",
            human(p50),
            human(alone_p50),
            per_second(rate(searched, elapsed))
        ),
        p50 <= Duration::from_millis(5) && failed == 0,
    ))
}

/// What one mixed client does next.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Op {
    Search,
    Show,
    Count,
    Log,
    Create,
    End,
    Extend,
}

impl Op {
    /// 70% reads, 30% writes.
    fn pick(rng: &mut StdRng) -> Op {
        match rng.gen_range(0..100) {
            0..40 => Op::Search,
            40..55 => Op::Show,
            55..65 => Op::Count,
            65..70 => Op::Log,
            70..85 => Op::Create,
            85..95 => Op::End,
            _ => Op::Extend,
        }
    }
}

#[derive(Default)]
struct ClientResult {
    latencies: Latencies,
    by_op: BTreeMap<Op, Latencies>,
    errors: BTreeMap<String, usize>,
}

/// Closed-loop clients (each sends its next request as soon as the last one answered), each
/// signed in as one of the users. A client reads whatever its user may see and writes only
/// sessions it created itself, so no refusal is expected: every answer that is not 2xx, and
/// every transport error or timeout, counts as an error.
async fn mixed(api: &Api, users: &[String], scale: &Scale) -> Result<(String, bool)> {
    let deadline = Instant::now() + scale.mixed_for;
    let started = Instant::now();
    let mut clients = Vec::new();
    for client in 0..scale.mixed_clients {
        let api = api.clone();
        let token = users[client % users.len()].clone();
        clients.push(tokio::spawn(async move {
            mixed_client(&api, &token, client as u64, deadline).await
        }));
    }
    let mut total = ClientResult::default();
    for client in clients {
        let result = client.await?;
        total.latencies.extend(result.latencies);
        for (op, latencies) in result.by_op {
            total.by_op.entry(op).or_default().extend(latencies);
        }
        for (error, n) in result.errors {
            *total.errors.entry(error).or_default() += n;
        }
    }
    let elapsed = started.elapsed();
    let requests = total.latencies.len();
    let errors: usize = total.errors.values().sum();
    let (Some(p50), Some(p99)) = (
        total.latencies.percentile(50.0),
        total.latencies.percentile(99.0),
    ) else {
        bail!("no request finished");
    };
    detail(&format!(
        "mixed: {} requests ({})",
        count(requests),
        per_second(rate(requests, elapsed)),
    ));
    for (op, latencies) in &mut total.by_op {
        let n = latencies.len();
        if let (Some(p50), Some(p99)) = (latencies.percentile(50.0), latencies.percentile(99.0)) {
            detail(&format!(
                "mixed {op:?}: {} requests, p50 {}, p99 {}",
                count(n),
                human(p50),
                human(p99)
            ));
        }
    }
    for (error, n) in total.errors.iter().take(10) {
        detail(&format!("mixed error ×{n}: {error}"));
    }
    Ok((
        format!(
            "{errors} errors, p99 {} (p50 {}, {} requests)",
            human(p99),
            human(p50),
            per_second(rate(requests, elapsed))
        ),
        errors == 0 && p99 <= Duration::from_millis(100),
    ))
}

async fn mixed_client(api: &Api, token: &str, seed: u64, deadline: Instant) -> ClientResult {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut result = ClientResult::default();
    // The sessions this client created and has not ended, with whether it extended them.
    let mut open: Vec<(String, bool)> = Vec::new();
    while Instant::now() < deadline {
        let mut op = Op::pick(&mut rng);
        if open.is_empty() && matches!(op, Op::Show | Op::Log | Op::End) {
            op = Op::Create;
        }
        let unextended = open.iter().position(|(_, extended)| !extended);
        if op == Op::Extend && unextended.is_none() {
            op = Op::Create;
        }
        let sent = Instant::now();
        let outcome: Result<Reply> = match op {
            Op::Search => {
                let text = SEARCH_TEXTS[rng.gen_range(0..SEARCH_TEXTS.len())];
                api.search(token, &search_query(text)).await
            }
            Op::Show => {
                let (id, _) = &open[rng.gen_range(0..open.len())];
                api.get(&format!("/api/v1/ActivitySession/{id}"), token)
                    .await
            }
            Op::Count => api.get("/api/v1/ActivitySession/Count", token).await,
            Op::Log => {
                let (id, _) = &open[rng.gen_range(0..open.len())];
                api.get(&format!("/api/v1/ActivitySession/{id}/Log"), token)
                    .await
            }
            Op::Create => {
                let request = json!({
                    "activityName": SHELL,
                    "managedResourceName": host_name(rng.gen_range(0..100)),
                    "note": format!("mixed load {seed}"),
                });
                let reply = api.create(token, &request).await;
                if let Ok(reply) = &reply {
                    if reply.status == 201 {
                        if let Some(id) = reply
                            .json()
                            .ok()
                            .and_then(|s| s["id"].as_str().map(str::to_owned))
                        {
                            open.push((id, false));
                        }
                    }
                }
                reply
            }
            Op::End => {
                let (id, _) = open.remove(0);
                api.send(
                    reqwest::Method::DELETE,
                    &format!("/api/v1/ActivitySession/{id}"),
                    Some(token),
                    None,
                )
                .await
            }
            Op::Extend => {
                let index = unextended.unwrap_or(0);
                open[index].1 = true;
                let id = open[index].0.clone();
                api.send(
                    reqwest::Method::POST,
                    &format!("/api/v1/ActivitySession/{id}/Extend"),
                    Some(token),
                    Some(&json!(5)),
                )
                .await
            }
        };
        // Timed here rather than by the reply, so that failures count with their time too.
        let took = sent.elapsed();
        result.latencies.push(took);
        result.by_op.entry(op).or_default().push(took);
        match outcome {
            Ok(reply) => {
                if !reply.ok() {
                    let body: String = reply.text().chars().take(160).collect();
                    *result
                        .errors
                        .entry(format!("{op:?} answered {}: {body}", reply.status))
                        .or_default() += 1;
                }
            }
            Err(error) => {
                *result
                    .errors
                    .entry(format!("{op:?}: {error:#}"))
                    .or_default() += 1;
            }
        }
    }
    result
}
