//! `pamctl activity list`.

use clap::Subcommand;

use super::context::Context;
use super::error::{CliError, ExitKind};
use super::output::short_id;
use crate::client::Client;
use crate::wire::catalog::Activity;

#[derive(Debug, Subcommand)]
pub enum ActivityCommand {
    /// List the activities you may request (admins see all)
    #[command(
        after_help = "Examples:\n  pamctl activity list\n  pamctl activity list --search linux -o json\n  pamctl activity list -q"
    )]
    List {
        /// Only activities whose name, description or platform contains TEXT (any case)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Print only the full IDs, one per line (for scripts)
        #[arg(short = 'q', long = "ids")]
        ids: bool,
    },
}

pub async fn run(context: &Context, command: ActivityCommand) -> Result<(), CliError> {
    match command {
        ActivityCommand::List { search, ids } => list(context, search.as_deref(), ids).await,
    }
}

fn matches(activity: &Activity, search: Option<&str>) -> bool {
    let Some(search) = search.map(str::to_lowercase) else {
        return true;
    };
    [
        Some(&activity.name),
        activity.description.as_ref(),
        activity.platform_name.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|field| field.to_lowercase().contains(&search))
}

async fn list(context: &Context, search: Option<&str>, ids: bool) -> Result<(), CliError> {
    let client = context.client()?;
    let activities: Vec<Activity> = client
        .activities()
        .await?
        .into_iter()
        .filter(|a| matches(a, search))
        .collect();
    if ids {
        for item in &activities {
            println!("{}", item.id);
        }
        return Ok(());
    }
    if context.output.is_json() {
        return context.output.json(&activities);
    }
    let rows = activities
        .iter()
        .map(|a| {
            vec![
                short_id(&a.id),
                a.name.clone(),
                a.platform_name.clone().unwrap_or_default(),
                a.activity_type.to_string(),
                a.login_account.to_string(),
            ]
        })
        .collect();
    context.output.table(
        &["ID", "Name", "Platform", "Type", "Login Account"],
        rows,
        "No activities (your policies grant none, or none match).",
    );
    Ok(())
}

/// An activity by full id, unique id prefix, or name (any case).
pub async fn resolve(client: &Client, wanted: &str) -> Result<Activity, CliError> {
    // The activities the caller may request come from their cards, which every user may read
    // on pamctl and on Privilege Secure alike; `GET /api/v1/Activity` (all of them, for an
    // admin resolving one no policy grants them) is only a fallback, as NPS has no such route.
    let cards = client.activity_cards().await?;
    let mut activities: Vec<Activity> = cards.into_iter().map(|card| card.activity).collect();
    if find(&activities, wanted).is_none() {
        match client.activities().await {
            Ok(all) => activities = all,
            Err(error) if matches!(error.status(), Some(403..=405)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    find(&activities, wanted).unwrap_or_else(|| Err(not_found(wanted)))
}

fn not_found(wanted: &str) -> CliError {
    CliError::new(
        ExitKind::NotFound,
        format!("no activity named '{wanted}' that you may request"),
    )
    .hint("see `pamctl activity list` for the names")
}

/// The activity named (any case), or the one an id prefix of 4 or more characters names:
/// `None` when nothing matches.
fn find(activities: &[Activity], wanted: &str) -> Option<Result<Activity, CliError>> {
    let lowered = wanted.trim().to_lowercase();
    if let Some(found) = activities.iter().find(|a| a.name.to_lowercase() == lowered) {
        return Some(Ok(found.clone()));
    }
    let by_prefix: Vec<&Activity> = activities
        .iter()
        .filter(|a| lowered.len() >= 4 && a.id.to_string().starts_with(&lowered))
        .collect();
    match by_prefix.as_slice() {
        [one] => Some(Ok((*one).clone())),
        [] => None,
        many => Some(Err(CliError::usage(format!(
            "'{wanted}' matches several activities: {}",
            many.iter()
                .map(|a| format!("{} ({})", a.id, a.name))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .hint("give more of the id, or the name"))),
    }
}
