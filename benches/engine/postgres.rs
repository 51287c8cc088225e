//! The PostgreSQL figures of issue 9, on a throwaway cluster the benchmark starts with the
//! machine's own PostgreSQL (as the tests do): creates/s with one replica and with two on the
//! same database, and Search over the big size on PostgreSQL.
//!
//! The creates are measured after an unmeasured warm-up, in four phases: one replica, two,
//! two, one. A run on this machine drifts by 10–25% from phase to phase (the table grows,
//! and the machine's own speed moves), and in that order both arms get the same share of it.
//!
//! After each phase the database is vacuumed and analysed, as after any bulk load: otherwise
//! a phase pays for the one before's dead rows, and the searches run beside autovacuum's pass
//! over 100,000 fresh rows (which took most of the measuring time on this machine) instead
//! of on the settled table they are about.

use std::time::{Duration, Instant};

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
    let mut phases = Phases {
        tokens: &tokens,
        scale,
        url: &url,
        created: 0,
    };

    // A fresh table is analysed and vacuumed again and again while it grows from nothing;
    // a first unmeasured batch takes that off the first measured phase.
    let alone_api = std::slice::from_ref(&one);
    phases
        .create(
            alone_api,
            scale.medium / 5,
            "one replica (a warm-up, not measured)",
        )
        .await?;

    // One replica, two, two, one (each half of `medium`): the machine and the growing table
    // drift during the run, and this order gives both arms the same share of that drift.
    let half = scale.medium / 2;
    let mut alone = Arm::default();
    let mut together = Arm::default();
    alone.add(phases.create(alone_api, half, "one replica").await?);
    let second = setup.start_on("pg-b", Some(&url))?;
    let both = [one.clone(), Api::new(&second.url)?];
    for _ in 0..2 {
        together.add(phases.create(&both, half, "two replicas").await?);
    }
    // The second replica stops, so that the last phase is one replica's again (it holds no
    // work: every session was provisioned before the vacuum).
    drop(second);
    alone.add(phases.create(alone_api, half, "one replica again").await?);
    let created = phases.created;
    let (alone_rate, together_rate) = (alone.rate(), together.rate());
    detail(&format!(
        "PostgreSQL creates: one replica {} then {}, two {} then {}",
        per_second(alone.rates[0]),
        per_second(alone.rates[1]),
        per_second(together.rates[0]),
        per_second(together.rates[1]),
    ));
    detail(&format!(
        "PostgreSQL creates: machine CPU per create {} with one replica, {} with two",
        alone.cpu_per_create(),
        together.cpu_per_create()
    ));
    table.measured(
        Figure::PgCreates,
        format!(
            "one {}, two {} ({} sessions each, in two phases)",
            per_second(alone_rate),
            per_second(together_rate),
            count(2 * half)
        ),
        together_rate >= alone_rate * 0.95,
    );

    let second = setup.start_on("pg-b", Some(&url))?;
    let both = [one.clone(), Api::new(&second.url)?];
    let rest = scale.big.saturating_sub(created);
    progress(&format!(
        "PostgreSQL: creating {} more sessions through both replicas",
        count(rest)
    ));
    let offset = created;
    let seeded = create_across(
        &both,
        &tokens,
        rest,
        CREATE_CLIENTS,
        scale.setup_limit,
        move |n| seed_request(n + offset),
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

/// One measured phase of creates.
struct Phase {
    count: usize,
    elapsed: Duration,
    cpu: Duration,
}

/// The phases of one arm (one replica, or two) added up.
#[derive(Default)]
struct Arm {
    count: usize,
    elapsed: Duration,
    cpu: Duration,
    rates: Vec<f64>,
}

impl Arm {
    fn add(&mut self, phase: Phase) {
        self.count += phase.count;
        self.elapsed += phase.elapsed;
        self.cpu += phase.cpu;
        self.rates.push(rate(phase.count, phase.elapsed));
    }

    fn rate(&self) -> f64 {
        rate(self.count, self.elapsed)
    }

    fn cpu_per_create(&self) -> String {
        let per = self.cpu.as_secs_f64() * 1000.0 / self.count.max(1) as f64;
        format!("{per:.2} ms")
    }
}

/// The measured phases of creates, numbered on from one another.
struct Phases<'a> {
    tokens: &'a crate::api::Tokens,
    scale: &'a Scale,
    url: &'a str,
    created: usize,
}

impl Phases<'_> {
    /// Creates `n` sessions across `apis`, then waits until the scheduler has provisioned
    /// them and vacuums (so that no phase pays for the one before it). The phase's time is
    /// the creates' alone.
    async fn create(&mut self, apis: &[Api], n: usize, through: &str) -> Result<Phase> {
        progress(&format!(
            "PostgreSQL: creating {} sessions through {through}",
            count(n)
        ));
        let offset = self.created;
        let statements = StatementStats::start(self.url).await?;
        let cpu_before = machine_cpu();
        let phase = create_across(
            apis,
            self.tokens,
            n,
            CREATE_CLIENTS,
            self.scale.setup_limit,
            move |i| seed_request(i + offset),
        )
        .await?;
        let cpu = machine_cpu().saturating_sub(cpu_before);
        self.created += phase.count;
        wait_for_provisioning(&apis[0], self.tokens, self.scale).await?;
        if let Some(statements) = statements {
            statements.report(through, phase.count).await?;
        }
        settle(self.url).await?;
        Ok(Phase {
            count: phase.count,
            elapsed: phase.elapsed,
            cpu,
        })
    }
}

/// The CPU time the whole machine has spent working (all but idle and I/O wait), from
/// `/proc/stat`: the brokers, PostgreSQL and the benchmark's clients share the cores, so
/// this is what a create costs. Zero where `/proc/stat` cannot be read.
fn machine_cpu() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/stat") else {
        return Duration::ZERO;
    };
    let Some(line) = stat.lines().next() else {
        return Duration::ZERO;
    };
    let ticks: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|field| field.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal, then guest time (already in user).
    let busy: u64 = ticks
        .iter()
        .take(8)
        .enumerate()
        .filter(|(index, _)| !matches!(index, 3 | 4))
        .map(|(_, ticks)| ticks)
        .sum();
    // USER_HZ is 100 on Linux.
    Duration::from_millis(busy * 10)
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

/// With `PAMCTL_BENCH_PG_STATEMENTS=N` (and `pg_stat_statements` loaded by the cluster, as
/// on a cluster given with `PAMCTL_TEST_DATABASE_URL`), each phase of creates prints the N
/// statements PostgreSQL spent the most time on, from the phase's start until its sessions
/// were provisioned: where one replica and two differ.
struct StatementStats {
    connection: sqlx::PgConnection,
    top: i64,
}

impl StatementStats {
    async fn start(url: &str) -> Result<Option<Self>> {
        let Some(top) = std::env::var("PAMCTL_BENCH_PG_STATEMENTS")
            .ok()
            .and_then(|n| n.parse::<i64>().ok())
        else {
            return Ok(None);
        };
        let mut connection = sqlx::PgConnection::connect(url)
            .await
            .context("connect to read pg_stat_statements")?;
        sqlx::raw_sql(
            "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
             SELECT pg_stat_statements_reset();",
        )
        .execute(&mut connection)
        .await
        .context("reset pg_stat_statements (is it in shared_preload_libraries?)")?;
        Ok(Some(Self { connection, top }))
    }

    async fn report(mut self, through: &str, created: usize) -> Result<()> {
        let rows: Vec<(String, i64, f64, f64)> = sqlx::query_as(
            "SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 110), calls::BIGINT,
                total_exec_time, total_plan_time
             FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT $1",
        )
        .bind(self.top)
        .fetch_all(&mut self.connection)
        .await?;
        let all: (f64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(total_exec_time + total_plan_time), 0), COALESCE(SUM(calls), 0)::BIGINT
             FROM pg_stat_statements",
        )
        .fetch_one(&mut self.connection)
        .await?;
        let per = all.0 / created.max(1) as f64;
        detail(&format!(
            "statements, {through}: {:.0} ms in {} calls ({per:.3} ms a create)",
            all.0, all.1
        ));
        for (query, calls, exec, plan) in rows {
            detail(&format!(
                "  {:>8.0} ms exec {:>6.0} ms plan {:>7} calls  {query}",
                exec, plan, calls
            ));
        }
        Ok(())
    }
}
