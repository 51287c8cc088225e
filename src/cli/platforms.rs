//! `--type`: a platform category (database, linux, windows) or a platform's own name, turned
//! into the platform names it stands for. A value that names nothing known is a usage error
//! that lists what is known.

use std::collections::BTreeSet;

use crate::cli::error::CliError;
use crate::client::Client;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Database,
    Linux,
    Windows,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Database, Category::Linux, Category::Windows];

    pub fn word(self) -> &'static str {
        match self {
            Category::Database => "database",
            Category::Linux => "linux",
            Category::Windows => "windows",
        }
    }

    fn from_word(text: &str) -> Option<Category> {
        let text = text.trim().to_lowercase();
        Self::ALL.into_iter().find(|c| c.word() == text)
    }

    /// The well-known platforms of the category, as Privilege Secure names them.
    fn known(self) -> &'static [&'static str] {
        match self {
            Category::Database => &[
                "PostgreSQL",
                "MySQL",
                "MariaDB",
                "Microsoft SQL Server",
                "MSSQL",
                "Oracle",
                "MongoDB",
                "Db2",
                "Sybase",
            ],
            Category::Linux => &["Linux"],
            // Active Directory runs on Windows domain controllers, and is administered as
            // Windows is: `--type windows` means both.
            Category::Windows => &["Windows", "Active Directory"],
        }
    }

    /// Whether a platform (as a server names it) belongs to the category: a known name, or
    /// one that says what it is ("Linux (Debian)", "PostgreSQL 16", "Azure SQL Database").
    pub fn contains(self, platform: &str) -> bool {
        let lowered = platform.trim().to_lowercase();
        if self
            .known()
            .iter()
            .any(|k| k.eq_ignore_ascii_case(lowered.as_str()))
        {
            return true;
        }
        let words: &[&str] = match self {
            Category::Database => &[
                "sql", "postgres", "oracle", "mariadb", "mongo", "database", "db2", "sybase",
            ],
            Category::Linux => &["linux"],
            Category::Windows => &["windows", "active directory"],
        };
        words.iter().any(|w| lowered.contains(w))
    }
}

/// Every platform name pamctl knows without asking the server.
fn known_names() -> impl Iterator<Item = &'static str> {
    Category::ALL
        .into_iter()
        .flat_map(|c| c.known().iter().copied())
}

/// The platform names `--type VALUE` stands for. Exact names known to pamctl need no request;
/// a category and any other name are looked up among the platforms of the resources the
/// caller may see (a custom platform works; a typo is an error listing the valid values).
pub async fn resolve(client: &Client, value: &str) -> Result<Vec<String>, CliError> {
    let value = value.trim();
    let category = Category::from_word(value);
    if category.is_none() {
        if let Some(known) = known_names().find(|k| k.eq_ignore_ascii_case(value)) {
            return Ok(vec![known.to_owned()]);
        }
    }
    // A server that will not list resources leaves the names pamctl knows.
    let seen: BTreeSet<String> = client
        .resources()
        .await
        .map(|resources| {
            resources
                .into_iter()
                .filter_map(|r| r.platform_name)
                .collect()
        })
        .unwrap_or_default();
    if let Some(category) = category {
        let mut names: Vec<String> = category.known().iter().map(|k| (*k).to_owned()).collect();
        for name in seen.iter().filter(|n| category.contains(n)) {
            if !names.iter().any(|k| k.eq_ignore_ascii_case(name)) {
                names.push(name.clone());
            }
        }
        return Ok(names);
    }
    if let Some(name) = seen.iter().find(|n| n.eq_ignore_ascii_case(value)) {
        return Ok(vec![name.clone()]);
    }
    let mut valid: Vec<String> = Category::ALL.iter().map(|c| c.word().to_owned()).collect();
    let mut names: BTreeSet<String> = known_names().map(str::to_owned).collect();
    names.extend(seen);
    valid.extend(names);
    Err(
        CliError::usage(format!("'{value}' is not a platform type; use one of: {}", valid.join(", ")))
            .hint("database, linux and windows are categories; a platform's own name works too (see `pamctl resource list`)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_take_their_platforms_and_no_others() {
        for db in [
            "PostgreSQL",
            "postgresql",
            "MySQL",
            "Microsoft SQL Server",
            "MSSQL",
            "Oracle",
            "Azure SQL Database",
        ] {
            assert!(Category::Database.contains(db), "{db}");
            assert!(!Category::Linux.contains(db), "{db}");
            assert!(!Category::Windows.contains(db), "{db}");
        }
        assert!(Category::Linux.contains("Linux"));
        assert!(Category::Linux.contains("Red Hat Enterprise Linux"));
        assert!(!Category::Database.contains("Linux"));
        assert!(Category::Windows.contains("Windows"));
        assert!(Category::Windows.contains("Active Directory"));
        assert!(!Category::Windows.contains("Linux"));
    }
}
