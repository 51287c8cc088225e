//! The table the benchmark ends with: one row per figure of issue 8 (and issue 9's PostgreSQL
//! figures after them), in the issues' order,
//! whatever order the phases measure them in.

use std::collections::BTreeMap;

use crate::Scale;
use crate::stats::count;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Figure {
    SearchAdmin,
    SearchUser,
    Memory,
    Creates,
    CreatesRatio,
    Mixed,
    BulkEnd,
    Expiry,
    List,
    VersionUnderSearch,
    IdleCpu,
    PgCreates,
    PgSearchAdmin,
}

pub const ALL: [Figure; 13] = [
    Figure::SearchAdmin,
    Figure::SearchUser,
    Figure::Memory,
    Figure::Creates,
    Figure::CreatesRatio,
    Figure::Mixed,
    Figure::BulkEnd,
    Figure::Expiry,
    Figure::List,
    Figure::VersionUnderSearch,
    Figure::IdleCpu,
    Figure::PgCreates,
    Figure::PgSearchAdmin,
];

impl Figure {
    /// The figure as the issue words it, with the sizes this run used.
    pub fn name(self, scale: &Scale) -> String {
        let big = count(scale.big);
        let medium = count(scale.medium);
        match self {
            Figure::SearchAdmin => {
                format!("Search over {big} sessions, take 25, filterText, p95, admin")
            }
            Figure::SearchUser => format!(
                "the same, as a user who owns {} of them",
                count(scale.big / crate::broker::USERS)
            ),
            Figure::Memory => format!(
                "broker RSS with {big} sessions, after {} searches and {} sign-ins",
                count(scale.searches),
                count(scale.sign_ins)
            ),
            Figure::Creates => "creates/s over HTTP, 32 clients, SQLite".to_owned(),
            Figure::CreatesRatio => {
                "creates/s ÷ a raw Rust SQLite insert loop of the same rows, same run".to_owned()
            }
            Figure::Mixed => format!(
                "{} clients for {} s, mixed reads and writes, {medium} sessions",
                scale.mixed_clients,
                scale.mixed_for.as_secs()
            ),
            Figure::BulkEnd => format!(
                "bulk end of {medium} sessions from the CLI (`list -q` piped to `end - --yes`)"
            ),
            Figure::Expiry => format!(
                "{medium} sessions expiring in the same second, all Complete (no-op actions)"
            ),
            Figure::List => format!("`pamctl session list` (50 rows) at {big} sessions"),
            Figure::VersionUnderSearch => {
                format!("`GET /api/v1/Version` p50 while 16 clients search over {medium} sessions")
            }
            Figure::IdleCpu => format!("broker CPU when idle with {big} sessions"),
            Figure::PgCreates => {
                "PostgreSQL: creates/s over HTTP, 32 clients, one replica and two".to_owned()
            }
            Figure::PgSearchAdmin => {
                format!("PostgreSQL: Search over {big} sessions, take 25, filterText, p95")
            }
        }
    }

    pub fn goal(self) -> &'static str {
        match self {
            Figure::SearchAdmin => "≤ 15 ms",
            Figure::SearchUser => "≤ 10 ms",
            Figure::Memory => "≤ 100 MB",
            Figure::Creates => "≥ 5,000",
            Figure::CreatesRatio => "≥ 0.25",
            Figure::Mixed => "0 errors, p99 ≤ 100 ms",
            Figure::BulkEnd => "≤ 10 s",
            Figure::Expiry => "≤ 10 s",
            Figure::List => "≤ 0.3 s",
            Figure::VersionUnderSearch => "≤ 5 ms",
            Figure::IdleCpu => "about 0 (≤ 1% of a core)",
            Figure::PgCreates => "two not slower than one (within 5%)",
            Figure::PgSearchAdmin => "≤ 15 ms",
        }
    }
}

enum Verdict {
    Pass,
    Fail,
    /// The figure could not be measured (its setup failed or ran out of time).
    NotMeasured,
}

struct Row {
    measured: String,
    verdict: Verdict,
}

#[derive(Default)]
pub struct Table {
    rows: BTreeMap<Figure, Row>,
}

impl Table {
    pub fn measured(&mut self, figure: Figure, measured: impl Into<String>, passed: bool) {
        let verdict = if passed { Verdict::Pass } else { Verdict::Fail };
        self.rows.insert(
            figure,
            Row {
                measured: measured.into(),
                verdict,
            },
        );
    }

    /// Marks every figure of a phase that failed and has no value yet.
    pub fn not_measured(&mut self, figures: &[Figure], why: &str) {
        for figure in figures {
            self.rows.entry(*figure).or_insert_with(|| Row {
                measured: why.to_owned(),
                verdict: Verdict::NotMeasured,
            });
        }
    }

    /// Prints the rows as a Markdown table (readable in a terminal, pasteable into an issue).
    pub fn print(&self, scale: &Scale) {
        let cells: Vec<[String; 4]> = ALL
            .iter()
            .map(|figure| {
                let (measured, verdict) = match self.rows.get(figure) {
                    Some(row) => (
                        row.measured.clone(),
                        match row.verdict {
                            Verdict::Pass => "pass",
                            Verdict::Fail => "FAIL",
                            Verdict::NotMeasured => "not measured",
                        },
                    ),
                    None => ("(not run)".to_owned(), "not measured"),
                };
                [
                    figure.name(scale),
                    measured,
                    figure.goal().to_owned(),
                    verdict.to_owned(),
                ]
            })
            .collect();
        let header = ["figure", "measured", "goal", "pass/fail"].map(str::to_owned);
        let mut widths = [0usize; 4];
        for row in std::iter::once(&header).chain(&cells) {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |row: &[String; 4]| {
            let padded: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(cell, width)| {
                    let pad = width - cell.chars().count();
                    format!("{cell}{}", " ".repeat(pad))
                })
                .collect();
            println!("| {} |", padded.join(" | "));
        };
        line(&header);
        line(&widths.map(|width| "-".repeat(width)));
        for row in &cells {
            line(row);
        }
        let passed = self
            .rows
            .values()
            .filter(|row| matches!(row.verdict, Verdict::Pass))
            .count();
        println!("\n{passed} of {} goals met.", ALL.len());
    }
}
