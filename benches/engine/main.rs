//! `cargo bench --bench engine`: the figures of issue 8 ("the session engine on the database"),
//! measured in one run on this machine against real release brokers, and printed as a table of
//! figure, measured value, goal and pass/fail.
//!
//! Each phase starts its own `pamctl server` (the release binary cargo builds for the bench) on
//! a free loopback port with a fresh data directory, seeds its sessions over HTTP, and measures:
//!
//! - big (100,000 sessions): creates/s over HTTP with 32 clients (the seed itself), the same
//!   rows by a raw Rust SQLite loop, Search as admin and as a user, memory after searches and
//!   sign-ins, `pamctl session list`, and CPU when idle;
//! - load (10,000 sessions): `GET /Version` while 16 clients search, then 200 clients of mixed
//!   reads and writes;
//! - ending (10,000 sessions): the CLI's bulk end, then 10,000 sessions expiring at once;
//! - postgres (issue 9): on a throwaway PostgreSQL cluster started with the machine's own
//!   binaries, creates/s through one replica and then two on the same database, and Search
//!   as the admin over the big size.
//!
//! `--quick` (or PAMCTL_BENCH_QUICK=1) shrinks sizes and durations for a smoke run; its table
//! says so. PAMCTL_BENCH_BINARY=PATH measures another pamctl (an older build, say) instead.
//! PAMCTL_BENCH_KEEP=1 keeps each broker's data directory, configuration and log.
//! PAMCTL_BENCH_PG_STATEMENTS=N prints the N costliest PostgreSQL statements of each phase of
//! creates (the cluster must load pg_stat_statements).

mod api;
mod baseline;
mod big;
mod broker;
/// The tests' throwaway PostgreSQL cluster, for the PostgreSQL phase.
#[allow(dead_code)]
#[path = "../../tests/common/postgres.rs"]
mod cluster;
mod ending;
mod load;
mod postgres;
mod report;
mod stats;
mod workload;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::report::Table;
use crate::stats::count;

/// Sizes and durations of one run.
pub struct Scale {
    pub quick: bool,
    /// Sessions on the big broker (Search, memory, list, idle CPU, creates/s).
    pub big: usize,
    /// Sessions on the load and ending brokers.
    pub medium: usize,
    pub searches: usize,
    pub sign_ins: usize,
    pub mixed_clients: usize,
    pub mixed_for: Duration,
    pub version_for: Duration,
    pub idle_for: Duration,
    pub list_runs: usize,
    /// The longest a seed, or the scheduler catching up with one, may take before the phase
    /// gives up.
    pub setup_limit: Duration,
    /// The longest one figure's measuring loop may run; a figure cut short says so and fails.
    pub phase_limit: Duration,
}

impl Scale {
    fn full() -> Self {
        Self {
            quick: false,
            big: 100_000,
            medium: 10_000,
            searches: 1_000,
            sign_ins: 100,
            mixed_clients: 200,
            mixed_for: Duration::from_secs(60),
            version_for: Duration::from_secs(10),
            idle_for: Duration::from_secs(10),
            list_runs: 5,
            setup_limit: Duration::from_secs(15 * 60),
            phase_limit: Duration::from_secs(180),
        }
    }

    fn quick() -> Self {
        Self {
            quick: true,
            big: 5_000,
            medium: 1_000,
            searches: 200,
            sign_ins: 10,
            mixed_clients: 200,
            mixed_for: Duration::from_secs(5),
            version_for: Duration::from_secs(3),
            idle_for: Duration::from_secs(3),
            list_runs: 2,
            setup_limit: Duration::from_secs(5 * 60),
            phase_limit: Duration::from_secs(60),
        }
    }
}

static STARTED: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// What the benchmark is doing now, on stderr, with the time since it began.
pub fn progress(message: &str) {
    let since = STARTED.get_or_init(Instant::now).elapsed().as_secs();
    eprintln!("[{:>3}:{:02}] {message}", since / 60, since % 60);
}

/// A figure's breakdown, on stdout above the table.
pub fn detail(message: &str) {
    println!("  {message}");
}

/// The phases, in the order a full run takes them.
const PHASES: [&str; 4] = ["big", "load", "ending", "postgres"];

/// What the command line asks for: a quick run or not, and the phases to run.
struct Args {
    quick: bool,
    phases: Vec<String>,
}

fn parse_args() -> Result<Args> {
    let mut quick = std::env::var("PAMCTL_BENCH_QUICK").is_ok_and(|v| !v.is_empty() && v != "0");
    let mut phases = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // cargo bench passes --bench to every benchmark binary.
            "--bench" => {}
            "--quick" => quick = true,
            "--only" => {
                let phase = args.next().unwrap_or_default();
                if !PHASES.contains(&phase.as_str()) {
                    bail!("--only takes a phase: {}", PHASES.join(", "));
                }
                phases.push(phase);
            }
            "--help" | "-h" => {
                println!(
                    "cargo bench --bench engine [-- --quick] [--only big|load|ending|postgres]...\n\n\
                     Measures the figures of issue 8 against real release brokers and prints a\n\
                     table. --quick (or PAMCTL_BENCH_QUICK=1): smaller sizes, shorter runs.\n\
                     --only PHASE: run that phase (repeatable); the others' figures are left out.\n\
                     PAMCTL_BENCH_BINARY=PATH: measure that pamctl instead of this build's.\n\
                     PAMCTL_BENCH_KEEP=1: keep each broker's data directory and log.\n\
                     PAMCTL_BENCH_PG_STATEMENTS=N: print each PostgreSQL phase's N costliest statements."
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?}; the options are --quick and --only PHASE"),
        }
    }
    if phases.is_empty() {
        phases = PHASES.iter().map(|p| (*p).to_owned()).collect();
    }
    Ok(Args { quick, phases })
}

/// The pamctl to measure: cargo builds the package's binary for its benchmarks (in the bench
/// profile, that is release) and tells us where.
fn binary() -> PathBuf {
    std::env::var_os("PAMCTL_BENCH_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_pamctl")))
}

fn main() -> ExitCode {
    STARTED.get_or_init(Instant::now);
    let Args { quick, phases } = match parse_args() {
        Ok(args) => args,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::from(2);
        }
    };
    let scale = if quick { Scale::quick() } else { Scale::full() };
    let binary = binary();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut setup = match broker::Setup::new(binary.clone()) {
        Ok(setup) => setup,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "pamctl engine benchmark, {} run: {} and {} sessions, {cores} cores; broker and clients share the machine",
        if scale.quick {
            "QUICK (smaller sizes, shorter runs: a smoke run, not the issue's figures)"
        } else {
            "full"
        },
        count(scale.big),
        count(scale.medium),
    );
    println!("  pamctl: {}", binary.display());
    println!("  load average at the start: {}", load_average());

    let mut table = Table::default();
    runtime.block_on(async {
        let runs = |phase: &str| phases.iter().any(|p| p == phase);
        if runs("big") {
            let result = big::run(&mut setup, &scale, &mut table).await;
            record(&mut table, &big::FIGURES, "big", result);
        }
        if runs("load") {
            let result = load::run(&mut setup, &scale, &mut table).await;
            record(&mut table, &load::FIGURES, "load", result);
        }
        if runs("ending") {
            let result = ending::run(&mut setup, &scale, &mut table).await;
            record(&mut table, &ending::FIGURES, "ending", result);
        }
        if runs("postgres") {
            let result = postgres::run(&mut setup, &scale, &mut table).await;
            record(&mut table, &postgres::FIGURES, "postgres", result);
        }
    });
    println!("  {}", setup.caps_note());
    println!("  load average at the end: {}", load_average());
    println!();
    table.print(&scale);
    ExitCode::SUCCESS
}

/// The machine's 1, 5 and 15-minute load averages: other work on the machine moves every
/// figure, so the report says how busy it was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// A phase that failed leaves its figures not measured, with the reason on stderr; the other
/// phases still run.
fn record(table: &mut Table, figures: &[report::Figure], phase: &str, result: Result<()>) {
    if let Err(error) = result {
        progress(&format!("the {phase} phase failed: {error:#}"));
        table.not_measured(figures, &format!("{phase} phase failed (see stderr)"));
    }
}
