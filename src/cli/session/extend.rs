//! `pamctl session extend`.

use std::time::Duration;

use chrono::Utc;
use clap::Args;

use super::ids;
use super::view::{session_json, session_state};
use crate::cli::context::Context;
use crate::cli::error::CliError;
use crate::cli::when::{format_dur, minutes_rounded_up, parse_dur};

/// Move a session's end time later, where its policy allows extension
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    pamctl session extend 3f2a9c1b --by 30m\n  \
    pamctl session extend 3f2a9c1b --by 1h -o json | jq -r .scheduledEndDateTimeUtc\n\n\
    The server counts in whole minutes: --by 90s extends by 2 minutes.")]
pub struct ExtendArgs {
    /// The session: a full ID or a unique prefix
    #[arg(value_name = "ID")]
    pub id: String,

    /// How much longer: 30m, 1h, 1h30m (rounded up to whole minutes)
    #[arg(long, value_name = "DUR", value_parser = parse_dur)]
    pub by: Duration,
}

pub async fn run(context: &Context, args: ExtendArgs) -> Result<(), CliError> {
    let client = context.client()?;
    let id = ids::resolve_one(&client, &args.id).await?;
    let minutes = minutes_rounded_up(args.by);
    let session = client.extend_session(id, minutes).await?;
    let state = session_state(&session, Utc::now());
    if context.output.is_json() {
        return context.output.json(&session_json(&session, state)?);
    }
    let by = format_dur(Duration::from_secs(
        u64::try_from(minutes).unwrap_or(0) * 60,
    ));
    match session.scheduled_end_date_time_utc {
        Some(end) => println!(
            "Extended {id} by {by}; it now ends {}.",
            context.output.time(Some(end))
        ),
        None => println!("Extended {id} by {by}."),
    }
    Ok(())
}
