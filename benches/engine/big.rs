//! The figures on the big broker (100,000 sessions): creates/s and its raw SQLite baseline,
//! Search as an admin and as a user, memory, `session list`, and CPU when idle.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::api::{Api, Tokens, create_many};
use crate::broker::{Broker, Setup, USERS, user_name};
use crate::report::{Figure, Table};
use crate::stats::{Latencies, count, human, per_second, rate};
use crate::workload::{SEARCH_TEXTS, search_query, seed_request};
use crate::{Scale, baseline, detail, progress};

pub const FIGURES: [Figure; 7] = [
    Figure::Creates,
    Figure::CreatesRatio,
    Figure::SearchAdmin,
    Figure::SearchUser,
    Figure::Memory,
    Figure::List,
    Figure::IdleCpu,
];

/// The requester whose own searches are measured (they own 1/USERS of the sessions).
const SEARCHING_USER: usize = 17;
const CREATE_CLIENTS: usize = 32;

pub async fn run(setup: &mut Setup, scale: &Scale, table: &mut Table) -> Result<()> {
    let broker = setup.start("big")?;
    let api = Api::new(&broker.url)?;
    let tokens = api.sign_in_everyone().await?;

    progress(&format!(
        "big broker: creating {} sessions over HTTP from {CREATE_CLIENTS} clients",
        count(scale.big)
    ));
    let created = create_many(
        &api,
        &tokens,
        scale.big,
        CREATE_CLIENTS,
        scale.setup_limit,
        seed_request,
    )
    .await?;
    let http_rate = rate(created.count, created.elapsed);
    table.measured(
        Figure::Creates,
        format!(
            "{} ({} sessions starting now in {})",
            per_second(http_rate),
            count(created.count),
            human(created.elapsed)
        ),
        http_rate >= 5000.0,
    );
    wait_for_provisioning(&api, &tokens, scale).await?;

    progress("baseline: the same rows from a raw Rust SQLite insert loop");
    let raw_rate = raw_insert_rate(setup, scale.big).await?;
    let ratio = http_rate / raw_rate;
    table.measured(
        Figure::CreatesRatio,
        format!("{ratio:.2} (raw loop {})", per_second(raw_rate)),
        ratio >= 0.25,
    );

    progress(&format!("searching as the admin, {} times", scale.searches));
    let (measured, passed) = search_figure(&api, &tokens.admin, scale, 15.0).await?;
    table.measured(Figure::SearchAdmin, measured, passed);
    progress(&format!(
        "searching as {}, {} times",
        user_name(SEARCHING_USER),
        scale.searches
    ));
    let (measured, passed) =
        search_figure(&api, &tokens.users[SEARCHING_USER], scale, 10.0).await?;
    table.measured(Figure::SearchUser, measured, passed);

    progress(&format!("{} sign-ins", scale.sign_ins));
    sign_ins(&api, scale.sign_ins).await?;
    let (resident, peak) = broker.memory()?;
    table.measured(
        Figure::Memory,
        format!("{} (peak {})", megabytes(resident), megabytes(peak)),
        resident <= 100_000_000,
    );

    progress("`pamctl session list` with the real binary");
    let (measured, passed) = list_figure(&broker, setup, scale).await?;
    table.measured(Figure::List, measured, passed);

    progress(&format!(
        "broker CPU while idle, over {} s",
        scale.idle_for.as_secs()
    ));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = broker.cpu_time()?;
    tokio::time::sleep(scale.idle_for).await;
    let used = broker.cpu_time()? - before;
    let share = used.as_secs_f64() / scale.idle_for.as_secs_f64() * 100.0;
    table.measured(
        Figure::IdleCpu,
        format!(
            "{share:.2}% of a core ({} ms in {} s)",
            used.as_millis(),
            scale.idle_for.as_secs()
        ),
        share <= 1.0,
    );
    Ok(())
}

/// Sessions created to start now are provisioned by the scheduler after the create answered;
/// the figures after a seed are taken once it has caught up.
pub async fn wait_for_provisioning(api: &Api, tokens: &Tokens, scale: &Scale) -> Result<()> {
    match api
        .wait_until_none(
            &tokens.admin,
            &[("status", "provisioning")],
            scale.setup_limit,
        )
        .await?
    {
        Ok(took) => {
            detail(&format!(
                "the scheduler had provisioned every session {} after the last create",
                human(took)
            ));
            Ok(())
        }
        Err(left) => bail!(
            "{} sessions were still Provisioning {} after the last create",
            count(left as usize),
            human(scale.setup_limit)
        ),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

/// A fresh broker gets one session over HTTP and is stopped; its database, with the
/// broker's schema, catalog and one real session, is then the raw loop's.
async fn raw_insert_rate(setup: &mut Setup, rows: usize) -> Result<f64> {
    let mut template = setup.start("baseline")?;
    let api = Api::new(&template.url)?;
    let token = api.sign_in(&user_name(0)).await?;
    let reply = api.create(&token, &seed_request(0)).await?;
    if reply.status != 201 {
        bail!(
            "the baseline's template session answered {}: {}",
            reply.status,
            reply.text()
        );
    }
    template.stop()?;
    let database = template.database();
    let took =
        tokio::task::spawn_blocking(move || baseline::insert_loop(&database, rows)).await??;
    drop(template);
    Ok(rate(rows, took))
}

/// Search p95 over `scale.searches` searches, one at a time, after one untimed round of the
/// texts; each text's own figures go to the details.
pub async fn search_figure(
    api: &Api,
    token: &str,
    scale: &Scale,
    goal_ms: f64,
) -> Result<(String, bool)> {
    for text in SEARCH_TEXTS {
        api.search(token, &search_query(text)).await?;
    }
    let mut all = Latencies::default();
    let mut by_text: Vec<(Latencies, u64)> = SEARCH_TEXTS
        .iter()
        .map(|_| (Latencies::default(), 0))
        .collect();
    let started = Instant::now();
    for i in 0..scale.searches {
        if started.elapsed() > scale.phase_limit {
            break;
        }
        let which = i % SEARCH_TEXTS.len();
        let reply = api
            .search(token, &search_query(SEARCH_TEXTS[which]))
            .await?;
        if reply.status != 200 {
            bail!("Search answered {}: {}", reply.status, reply.text());
        }
        all.push(reply.took);
        by_text[which].0.push(reply.took);
        by_text[which].1 = reply.json()?["recordsTotal"].as_u64().unwrap_or(0);
    }
    for (text, (latencies, matches)) in SEARCH_TEXTS.iter().zip(&mut by_text) {
        if let (Some(p50), Some(p95)) = (latencies.percentile(50.0), latencies.percentile(95.0)) {
            detail(&format!(
                "filterText {text:?}: p50 {}, p95 {} ({} matches)",
                human(p50),
                human(p95),
                count(*matches as usize)
            ));
        }
    }
    let done = all.len();
    let (Some(p50), Some(p95)) = (all.percentile(50.0), all.percentile(95.0)) else {
        bail!("no search finished within {}", human(scale.phase_limit));
    };
    let cut = if done < scale.searches {
        format!(", only {done} of {} within the time limit", scale.searches)
    } else {
        String::new()
    };
    Ok((
        format!("{} (p50 {}{cut})", human(p95), human(p50)),
        p95.as_secs_f64() * 1000.0 <= goal_ms && done == scale.searches,
    ))
}

/// Sign-ins spread over the users, four at a time, as people arrive in the morning.
async fn sign_ins(api: &Api, total: usize) -> Result<()> {
    for chunk in (0..total).collect::<Vec<_>>().chunks(4) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|&i| {
                let api = api.clone();
                tokio::spawn(async move { api.sign_in(&user_name(i % USERS)).await })
            })
            .collect();
        for task in tasks {
            task.await??;
        }
    }
    Ok(())
}

/// `pamctl session list` as the admin (every session is unfinished, so all of them match):
/// the median of a few runs, each checked to show 50 rows and say how many more there are.
async fn list_figure(broker: &Broker, setup: &Setup, scale: &Scale) -> Result<(String, bool)> {
    let cli = broker.cli(setup)?;
    let runs = scale.list_runs;
    let times = tokio::task::spawn_blocking(move || -> Result<Vec<Duration>> {
        let mut times = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let output = cli
                .command()
                .args(["session", "list"])
                .stdin(Stdio::null())
                .output()?;
            let took = started.elapsed();
            let stdout = String::from_utf8_lossy(&output.stdout);
            if !output.status.success() {
                bail!(
                    "pamctl session list failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            let rows = stdout
                .lines()
                .filter(|line| starts_with_short_id(line))
                .count();
            if rows != 50 || !stdout.contains("more (--limit 0 shows all)") {
                bail!("pamctl session list did not show 50 rows and the rest's count:\n{stdout}");
            }
            times.push(took);
        }
        Ok(times)
    })
    .await??;
    let mut latencies = Latencies::default();
    for took in &times {
        latencies.push(*took);
    }
    let median = latencies.percentile(50.0).unwrap_or_default();
    let slowest = latencies.percentile(100.0).unwrap_or_default();
    Ok((
        format!(
            "{} (median of {runs}, slowest {})",
            human(median),
            human(slowest)
        ),
        median <= Duration::from_millis(300),
    ))
}

/// A table row of `session list` starts with the session's short id, eight hex digits.
fn starts_with_short_id(line: &str) -> bool {
    line.split_whitespace()
        .next()
        .is_some_and(|first| first.len() == 8 && first.chars().all(|c| c.is_ascii_hexdigit()))
}
