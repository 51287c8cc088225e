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
    let activities = client.activities().await?;
    let lowered = wanted.trim().to_lowercase();
    if let Some(found) = activities.iter().find(|a| a.name.to_lowercase() == lowered) {
        return Ok(found.clone());
    }
    let by_prefix: Vec<&Activity> = activities
        .iter()
        .filter(|a| lowered.len() >= 4 && a.id.to_string().starts_with(&lowered))
        .collect();
    match by_prefix.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(CliError::new(
            ExitKind::NotFound,
            format!("no activity named '{wanted}' that you may request"),
        )
        .hint("see `pamctl activity list` for the names")),
        many => Err(CliError::usage(format!(
            "'{wanted}' matches several activities: {}",
            many.iter()
                .map(|a| format!("{} ({})", a.id, a.name))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .hint("give more of the id, or the name")),
    }
}
