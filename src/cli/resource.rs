//! `pamctl resource list`.

use clap::Subcommand;

use super::activity;
use super::context::Context;
use super::error::CliError;
use super::output::short_id;
use crate::wire::catalog::ManagedResource;

#[derive(Debug, Subcommand)]
pub enum ResourceCommand {
    /// List the resources you may request activities on (admins see all)
    #[command(
        after_help = "Examples:\n  pamctl resource list\n  pamctl resource list --activity \"Linux Admin\"\n  pamctl resource list --search web -o json\n  pamctl resource list -q"
    )]
    List {
        /// Only the resources this activity (name or id) may be requested on
        #[arg(long, value_name = "NAME|ID")]
        activity: Option<String>,
        /// Only resources whose name, display name, platform or address contains TEXT
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Print only the full IDs, one per line (for scripts)
        #[arg(short = 'q', long = "ids")]
        ids: bool,
    },
}

pub async fn run(context: &Context, command: ResourceCommand) -> Result<(), CliError> {
    match command {
        ResourceCommand::List {
            activity,
            search,
            ids,
        } => list(context, activity.as_deref(), search.as_deref(), ids).await,
    }
}

fn matches(resource: &ManagedResource, search: Option<&str>) -> bool {
    let Some(search) = search.map(str::to_lowercase) else {
        return true;
    };
    [
        Some(&resource.name),
        resource.display_name.as_ref(),
        resource.platform_label().as_ref(),
        resource.ip_address.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|field| field.to_lowercase().contains(&search))
}

async fn list(
    context: &Context,
    activity: Option<&str>,
    search: Option<&str>,
    ids: bool,
) -> Result<(), CliError> {
    let client = context.client()?;
    let resources = match activity {
        Some(wanted) => {
            let activity = activity::resolve(&client, wanted).await?;
            client.activity_session_resources(activity.id).await?
        }
        None => client.resources().await?,
    };
    let resources: Vec<ManagedResource> = resources
        .into_iter()
        .filter(|r| matches(r, search))
        .collect();
    if ids {
        for item in &resources {
            println!("{}", item.id);
        }
        return Ok(());
    }
    if context.output.is_json() {
        return context.output.json(&resources);
    }
    let rows = resources
        .iter()
        .map(|r| {
            vec![
                short_id(&r.id),
                r.name.clone(),
                r.display_name.clone().unwrap_or_default(),
                r.platform_label().unwrap_or_default(),
                r.ip_address.clone().unwrap_or_default(),
            ]
        })
        .collect();
    context.output.table(
        &["ID", "Name", "Display Name", "Platform", "Address"],
        rows,
        "No resources (your policies grant none, or none match).",
    );
    Ok(())
}
