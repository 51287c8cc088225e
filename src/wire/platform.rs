//! Platforms on the wire. NPS's built-in platforms have fixed ids that clients switch on (to
//! choose RDP or SSH, say), so a platform NPS has keeps NPS's id here; PostgreSQL, which NPS
//! does not have, has a fixed id of pamctl's own; any other platform named in a configuration
//! gets a stable id derived from its name.

use serde::Serialize;
use uuid::{Uuid, uuid};

/// A platform with a fixed id: its name as NPS spells it, and the other names a
/// configuration may use for it (compared in any case).
pub struct KnownPlatform {
    pub name: &'static str,
    pub id: Uuid,
    pub aliases: &'static [&'static str],
    pub description: &'static str,
}

/// NPS 4.2's built-in platforms, then pamctl's own PostgreSQL.
pub const KNOWN_PLATFORMS: [KnownPlatform; 7] = [
    KnownPlatform {
        name: "Windows",
        id: uuid!("d07c4352-ea1a-44a2-8fe8-6f198ec1119f"),
        aliases: &["windows server"],
        description: "Windows hosts (RDP)",
    },
    KnownPlatform {
        name: "Active Directory",
        id: uuid!("d6a07d9c-4b2e-4430-8c5b-401724dce933"),
        aliases: &["ad", "activedirectory"],
        description: "Active Directory domains",
    },
    KnownPlatform {
        name: "Linux",
        id: uuid!("43a54a6d-1ba3-4b98-a2eb-552e03c60766"),
        aliases: &["unix"],
        description: "Linux hosts (SSH)",
    },
    KnownPlatform {
        name: "Microsoft SQL Server",
        id: uuid!("9837b9dd-4cb0-4bd3-8a44-f1c0e3f1b0f1"),
        aliases: &["mssql", "sql server", "sqlserver"],
        description: "Microsoft SQL Server databases",
    },
    KnownPlatform {
        name: "Entra ID",
        id: uuid!("319034e0-73b0-4b1e-b764-d15b39e4cfb0"),
        aliases: &["entra", "azure ad", "azure active directory", "azuread"],
        description: "Microsoft Entra ID (Azure AD) tenants",
    },
    KnownPlatform {
        name: "Cisco",
        id: uuid!("2ac3b44b-86ff-455f-8ff1-e2e27c790c3e"),
        aliases: &[],
        description: "Cisco network devices",
    },
    KnownPlatform {
        name: "PostgreSQL",
        id: uuid!("8eb24197-b5be-4655-a6da-b23d304720cb"),
        aliases: &["postgres", "pgsql"],
        description: "PostgreSQL databases (pamctl's own id: NPS has no such platform)",
    },
];

/// The platform a configuration names, if it is one with a fixed id.
pub fn known_platform(name: &str) -> Option<&'static KnownPlatform> {
    let name = name.trim();
    KNOWN_PLATFORMS.iter().find(|known| {
        known.name.eq_ignore_ascii_case(name)
            || known
                .aliases
                .iter()
                .any(|alias| alias.eq_ignore_ascii_case(name))
    })
}

/// The platform with a fixed id, for a client that has only the id (NPS gives a resource its
/// `platformId` and no name).
pub fn known_platform_by_id(id: Uuid) -> Option<&'static KnownPlatform> {
    KNOWN_PLATFORMS.iter().find(|known| known.id == id)
}

/// A platform's id: the fixed one of a known platform, else one derived from the name (the
/// same name gives the same id on every broker and every restart).
pub fn platform_id(name: &str) -> Uuid {
    const PLATFORM_NAMESPACE: Uuid = Uuid::from_u128(0x5d6c_1a4e_8f7b_4c1e_9a3d_2b6f_0e8c_7a91);
    known_platform(name).map_or_else(
        || Uuid::new_v5(&PLATFORM_NAMESPACE, name.trim().to_lowercase().as_bytes()),
        |known| known.id,
    )
}

/// `SbPAM.Models.Platform`, with the fields pamctl knows.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Platform {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
}
