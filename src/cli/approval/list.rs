//! `pamctl approval list`: the requests waiting for the caller's decision, with how far their
//! approval has come.

use chrono::Utc;
use clap::Args;
use serde_json::Value;

use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::output::{Output, short_id, with_field};
use crate::cli::session::view::{summary_state, summary_user};
use crate::client::{Client, ClientError};
use crate::wire::session::PendingApproval;

const COLUMNS: [&str; 9] = [
    "ID",
    "Requested",
    "Requester",
    "Activity",
    "Host",
    "Ticket",
    "Note",
    "Approvals",
    "Expires",
];

/// List the requests waiting for your decision
///
/// Approvals shows how many approvals the deciding tier has and needs (and, for a policy with
/// several tiers, which tier decides now); Expires is when the request fails if nobody
/// decides.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl approval list\n  \
    pamctl approval list --search db01 -o json\n  \
    pamctl approval list -q | pamctl approval approve - --note \"checked with the on-call lead\"")]
pub struct ListArgs {
    /// Only requests whose user, resource, activity, note, ticket or status contain TEXT (and
    /// held statements whose SQL, requester, resource or activity do)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,

    /// Print only the full IDs, one per line (to pipe into `approval approve -`)
    #[arg(short = 'q', long = "ids")]
    pub ids: bool,
}

pub async fn run(context: &Context, args: ListArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let mut pending = match client.pending_approvals(args.search.as_deref()).await {
        Ok(pending) => pending,
        Err(error) if is_missing_route(&error) => return Err(no_approvals_list(&client).await),
        Err(error) => return Err(error.into()),
    };
    // Oldest first: it expires first.
    pending.sort_by_key(|p| (p.summary.created_date_time_utc, p.summary.id));
    let statements = if args.ids {
        Vec::new()
    } else {
        super::statement::pending(&client, args.search.as_deref()).await?
    };
    if args.ids {
        for request in &pending {
            println!("{}", request.summary.id);
        }
        return Ok(());
    }
    let now = Utc::now();
    if context.output.is_json() {
        let objects = pending
            .iter()
            .map(|p| with_field(p, "state", summary_state(&p.summary, now).word()))
            .collect::<Result<Vec<Value>, _>>()?;
        // Held statements follow the requests, marked by their kind.
        let mut objects = objects;
        for statement in &statements {
            objects.push(with_field(statement, "kind", "statement")?);
        }
        return context.output.json(&objects);
    }
    let empty = if args.search.is_some() {
        "No requests waiting for your decision match."
    } else {
        "No requests wait for your decision."
    };
    // Only held statements: their table alone, without the empty requests' note.
    if !pending.is_empty() || statements.is_empty() {
        context.output.table(
            &COLUMNS,
            pending.iter().map(|p| cells(&context.output, p)).collect(),
            empty,
        );
    }
    super::statement::table(&context.output, &statements);
    Ok(())
}

/// `1/2`, or `1/2 (tier 1 of 2)` when the policy has several tiers.
pub fn progress(pending: &PendingApproval) -> String {
    let so_far = format!(
        "{}/{}",
        pending.approvals_in_tier, pending.approvals_required_in_tier
    );
    if pending.approval_tiers > 1 {
        format!(
            "{so_far} (tier {} of {})",
            pending.approval_tier, pending.approval_tiers
        )
    } else {
        so_far
    }
}

fn cells(output: &Output, pending: &PendingApproval) -> Vec<String> {
    let summary = &pending.summary;
    let text = |value: Option<&str>| value.unwrap_or_default().to_owned();
    vec![
        short_id(&summary.id),
        output.time(summary.created_date_time_utc),
        text(summary_user(summary)),
        text(summary.activity_name.as_deref()),
        text(summary.managed_resource_name.as_deref()),
        text(summary.ticket.as_deref()),
        text(summary.note.as_deref()),
        progress(pending),
        output.time(pending.approval_expires_date_time_utc),
    ]
}

/// The approvals list is a pamctl extension: a Privilege Secure server has no such route.
pub fn is_missing_route(error: &ClientError) -> bool {
    matches!(error.status(), Some(404 | 405))
}

/// Says so, and what the server does offer: the count of the contract's ApprovalCheck.
async fn no_approvals_list(client: &Client) -> CliError {
    let waiting = match client.approval_check().await {
        Ok(1) => "it says 1 request waits for your decision; ".to_owned(),
        Ok(count) => format!("it says {count} requests wait for your decision; "),
        Err(_) => String::new(),
    };
    CliError::failure(format!(
        "{} cannot list pending approvals (GET /api/v1/ActivitySession/Approvals is a pamctl \
         extension; Privilege Secure servers do not have it)",
        client.server()
    ))
    .hint(format!(
        "{waiting}find them in the server's web console, then decide with \
         `pamctl approval approve ID` or `pamctl approval deny ID --reason TEXT`"
    ))
}
