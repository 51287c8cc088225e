//! The figures of sessions ending, on a broker of their own: a bulk end of 10,000 sessions
//! from the CLI, then 10,000 sessions expiring in the same second.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use chrono::{DateTime, SubsecRound, Utc};
use serde_json::json;

use crate::api::{Api, Tokens, create_many};
use crate::big::wait_for_provisioning;
use crate::broker::{Broker, EXPIRY, Setup, host_name};
use crate::report::{Figure, Table};
use crate::stats::{count, human};
use crate::workload::seed_request;
use crate::{Scale, detail, progress};

pub const FIGURES: [Figure; 2] = [Figure::BulkEnd, Figure::Expiry];

pub async fn run(setup: &mut Setup, scale: &Scale, table: &mut Table) -> Result<()> {
    let broker = setup.start("ending")?;
    let api = Api::new(&broker.url)?;
    let tokens = api.sign_in_everyone().await?;
    progress(&format!(
        "ending broker: creating {} sessions",
        count(scale.medium)
    ));
    let seeded = Instant::now();
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
    let seed_time = seeded.elapsed();

    progress("`pamctl session list -q | pamctl session end - --yes`");
    match bulk_end(&broker, setup, scale.medium).await {
        Ok(took) => table.measured(
            Figure::BulkEnd,
            format!("{} ({} sessions ended)", human(took), count(scale.medium)),
            took <= Duration::from_secs(10),
        ),
        Err(error) => table.measured(Figure::BulkEnd, format!("failed: {error:#}"), false),
    }
    match api
        .wait_until_none(&tokens.admin, &[("active", "true")], scale.phase_limit)
        .await?
    {
        Ok(took) => detail(&format!(
            "every bulk-ended session was finished {} after the CLI returned",
            human(took)
        )),
        Err(left) => detail(&format!(
            "{} bulk-ended sessions still unfinished after {}",
            count(left as usize),
            human(scale.phase_limit)
        )),
    }

    progress(&format!(
        "{} sessions expiring in the same second",
        count(scale.medium)
    ));
    let (measured, passed) = expiry(&api, &tokens, scale, seed_time).await?;
    table.measured(Figure::Expiry, measured, passed);
    Ok(())
}

/// The pipeline with the real binary, signed in as the admin, timed from starting
/// `list` to `end` exiting; every session must be reported ended.
async fn bulk_end(broker: &Broker, setup: &Setup, expected: usize) -> Result<Duration> {
    let cli = broker.cli(setup)?;
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let mut list = cli
            .command()
            .args(["session", "list", "-q"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let ids = list.stdout.take().context("list's stdout")?;
        let end = cli
            .command()
            .args(["session", "end", "-", "--yes"])
            .stdin(ids)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let ended = end.wait_with_output()?;
        let took = started.elapsed();
        let listed = list.wait_with_output()?;
        if !listed.status.success() {
            bail!(
                "pamctl session list -q failed: {}",
                String::from_utf8_lossy(&listed.stderr)
            );
        }
        if !ended.status.success() {
            bail!(
                "pamctl session end - failed ({}): {}",
                ended.status,
                String::from_utf8_lossy(&ended.stderr)
            );
        }
        let reported = String::from_utf8_lossy(&ended.stdout)
            .lines()
            .filter(|line| line.trim_end().ends_with(" ended"))
            .count();
        if reported != expected {
            bail!("pamctl session end - reported {reported} sessions ended, not {expected}");
        }
        Ok(took)
    })
    .await?
}

/// Sessions that all end at the same whole second T, created to start now with a no-op
/// post-session action, provisioned before T; measured from T until none is unfinished.
/// T lies far enough ahead for the creates and the provisioning, judged by how long the same
/// number took for the bulk end's seed.
async fn expiry(
    api: &Api,
    tokens: &Tokens,
    scale: &Scale,
    seed_time: Duration,
) -> Result<(String, bool)> {
    let margin = (seed_time * 2 + Duration::from_secs(10)).min(Duration::from_secs(45 * 60));
    let end: DateTime<Utc> = (Utc::now() + margin).trunc_subsecs(0) + chrono::Duration::seconds(1);
    let end_text = end.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let request_end = end_text.clone();
    create_many(api, tokens, scale.medium, 32, scale.setup_limit, move |n| {
        json!({
            "activityName": EXPIRY,
            "managedResourceName": host_name(n),
            "endDateTimeUtc": request_end,
        })
    })
    .await?;
    let this_activity = ("activityName", EXPIRY);
    let before_end = (end - Utc::now() - chrono::Duration::seconds(1))
        .to_std()
        .unwrap_or_default();
    if api
        .wait_until_none(
            &tokens.admin,
            &[this_activity, ("status", "provisioning")],
            before_end,
        )
        .await?
        .is_err()
    {
        return Ok((
            format!("setup too slow: not all provisioned before {end_text}"),
            false,
        ));
    }
    let available = api
        .matching(&tokens.admin, &[this_activity, ("status", "available")])
        .await?;
    if available != scale.medium as u64 {
        return Ok((
            format!(
                "setup: only {} of {} Available before their end",
                count(available as usize),
                count(scale.medium)
            ),
            false,
        ));
    }
    let until_end = (end - Utc::now()).to_std().unwrap_or_default();
    detail(&format!(
        "all {} provisioned; waiting {} for their end at {end_text}",
        count(scale.medium),
        human(until_end)
    ));
    tokio::time::sleep(until_end).await;
    let outcome = api
        .wait_until_none(
            &tokens.admin,
            &[this_activity, ("active", "true")],
            scale.phase_limit,
        )
        .await?;
    let complete = api
        .matching(&tokens.admin, &[this_activity, ("status", "complete")])
        .await?;
    let complete_note = format!("{} Complete", count(complete as usize));
    Ok(match outcome {
        Ok(took) => (
            format!("{} after their end ({complete_note})", human(took)),
            took <= Duration::from_secs(10) && complete == scale.medium as u64,
        ),
        Err(left) => (
            format!(
                "{} still unfinished after {} ({complete_note})",
                count(left as usize),
                human(scale.phase_limit)
            ),
            false,
        ),
    })
}
