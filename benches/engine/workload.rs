//! What the sessions look like and what is searched for: the same in every phase.

use serde_json::{Value, json};

use crate::broker::{DATABASE, SHELL, USERS, database_name, host_name};

const VERBS: [&str; 8] = [
    "rotate", "patch", "restart", "inspect", "migrate", "debug", "upgrade", "audit",
];
const THINGS: [&str; 8] = [
    "the nginx certificate",
    "the kernel",
    "the postgres replica",
    "the cron jobs",
    "the disk quota",
    "the firewall rules",
    "the log shipping",
    "the backup agent",
];

/// Session `n` of a seed, requested by user `n % USERS`, starting now. Each user's sessions
/// go round the resources, three in four on a host and one on a database, with notes from a
/// small vocabulary and a ticket on every third.
pub fn seed_request(n: usize) -> Value {
    let round = n / USERS;
    let mut request = if round % 4 == 3 {
        json!({"activityName": DATABASE, "managedResourceName": database_name(round)})
    } else {
        json!({"activityName": SHELL, "managedResourceName": host_name(round)})
    };
    request["note"] = json!(format!(
        "change {n}: {} {}",
        VERBS[round % VERBS.len()],
        THINGS[(round / VERBS.len()) % THINGS.len()]
    ));
    if n % 3 == 0 {
        request["ticket"] = json!(format!("CHG-{n:06}"));
    }
    request
}

/// What the search figures type into filterText, in turn: a user, a host, words of a note, a
/// ticket (one session), a database, the activity most sessions have (most match), and
/// nothing that exists (none match).
pub const SEARCH_TEXTS: [&str; 8] = [
    "u017",
    "host07",
    "certificate",
    "CHG-004218",
    "restart the",
    "pg03",
    "shell",
    "nosuchthing",
];

/// Search's query: a page of 25, newest first as the dashboards and `session list` show it.
pub fn search_query(text: &str) -> [(&'static str, &str); 4] {
    [
        ("take", "25"),
        ("filterText", text),
        ("orderBy", "createdDateTimeUtc"),
        ("orderDescending", "true"),
    ]
}
