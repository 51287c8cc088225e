//! The PostgreSQL figures of issue 9, on a throwaway cluster the benchmark starts with the
//! machine's own PostgreSQL (as the tests do): creates/s with one replica and then with two on
//! the same database, and Search over the big size on PostgreSQL.
//!
//! After each seed the database is vacuumed and analysed before the next phase, as after any
//! bulk load: otherwise the second replica's phase pays for the first one's dead rows, and
//! the searches run beside autovacuum's pass over 100,000 fresh rows (which took most of the
//! measuring time on this machine) instead of on the settled table they are about.

use std::time::Instant;

use anyhow::{Context, Result, bail};
use sqlx::Connection;

use crate::api::{Api, create_across};
use crate::big::{search_figure, wait_for_provisioning};
use crate::report::{Figure, Table};
use crate::stats::{count, human, per_second, rate};
use crate::workload::seed_request;
use crate::{Scale, detail, progress};

pub const FIGURES: [Figure; 2] = [Figure::PgCreates, Figure::PgSearchAdmin];

const CREATE_CLIENTS: usize = 32;

pub async fn run(setup: &mut crate::broker::Setup, scale: &Scale, table: &mut Table) -> Result<()> {
    let Some(url) = crate::cluster::fresh_database().await else {
        bail!("no PostgreSQL on this machine: initdb and pg_ctl were not found");
    };
    let first = setup.start_on("pg-a", Some(&url))?;
    let one = Api::new(&first.url)?;
    let tokens = one.sign_in_everyone().await?;

    progress(&format!(
        "PostgreSQL: creating {} sessions through one replica",
        count(scale.medium)
    ));
    let alone = create_across(
        std::slice::from_ref(&one),
        &tokens,
        scale.medium,
        CREATE_CLIENTS,
        scale.setup_limit,
        seed_request,
    )
    .await?;
    let alone_rate = rate(alone.count, alone.elapsed);
    // The scheduler provisions what was just created; the two replicas are measured after it
    // has caught up, so that they do not pay for the first replica's work.
    wait_for_provisioning(&one, &tokens, scale).await?;
    settle(&url).await?;

    let second = setup.start_on("pg-b", Some(&url))?;
    let both = [one.clone(), Api::new(&second.url)?];
    progress(&format!(
        "PostgreSQL: creating {} sessions through two replicas",
        count(scale.medium)
    ));
    let offset = scale.medium;
    let together = create_across(
        &both,
        &tokens,
        scale.medium,
        CREATE_CLIENTS,
        scale.setup_limit,
        move |n| seed_request(n + offset),
    )
    .await?;
    let together_rate = rate(together.count, together.elapsed);
    table.measured(
        Figure::PgCreates,
        format!(
            "one {}, two {} ({} sessions each)",
            per_second(alone_rate),
            per_second(together_rate),
            count(scale.medium)
        ),
        together_rate >= alone_rate * 0.95,
    );

    let rest = scale.big.saturating_sub(2 * scale.medium);
    progress(&format!(
        "PostgreSQL: creating {} more sessions through both replicas",
        count(rest)
    ));
    let seeded = create_across(
        &both,
        &tokens,
        rest,
        CREATE_CLIENTS,
        scale.setup_limit,
        move |n| seed_request(n + 2 * offset),
    )
    .await?;
    detail(&format!(
        "PostgreSQL seed: {} sessions in {} ({})",
        count(seeded.count),
        human(seeded.elapsed),
        per_second(rate(seeded.count, seeded.elapsed))
    ));
    wait_for_provisioning(&one, &tokens, scale).await?;
    settle(&url).await?;

    progress(&format!(
        "PostgreSQL: searching as the admin, {} times",
        scale.searches
    ));
    let (measured, passed) = search_figure(&one, &tokens.admin, scale, 15.0).await?;
    table.measured(Figure::PgSearchAdmin, measured, passed);
    drop(second);
    drop(first);
    Ok(())
}

/// `VACUUM (ANALYZE)` of the benchmark's database, timed in the details.
async fn settle(url: &str) -> Result<()> {
    let started = Instant::now();
    let mut connection = sqlx::PgConnection::connect(url)
        .await
        .context("connect to vacuum the benchmark's database")?;
    sqlx::raw_sql("VACUUM (ANALYZE)")
        .execute(&mut connection)
        .await
        .context("vacuum the benchmark's database")?;
    connection.close().await.ok();
    detail(&format!(
        "PostgreSQL: vacuumed and analysed in {}",
        human(started.elapsed())
    ));
    Ok(())
}
