//! Turns a validated configuration into the catalog the store holds, keeping the ids that
//! entries already have.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{ValidConfig, parse_wire_enum};
use crate::core::{
    Account, AccountKind, Activity, ApprovalTier, Approver, Catalog, ExtensionRule, Notification,
    Policy, Resource, Role, parse_duration,
};
use crate::store::CatalogIds;
use crate::wire::enums::{ActivityType, LoginAccount, ResourceType};

const DEFAULT_APPROVAL_TIMEOUT: Duration = Duration::from_secs(24 * 3600);
const DEFAULT_NOTIFY_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_NOTIFY_RETRIES: u32 = 3;

fn id_for(ids: &HashMap<String, Uuid>, name: &str) -> Uuid {
    ids.get(&name.to_lowercase())
        .copied()
        .unwrap_or_else(Uuid::new_v4)
}

fn resolve(names: &[String], ids: &HashMap<String, Uuid>) -> Vec<Uuid> {
    names
        .iter()
        .filter_map(|name| ids.get(&name.to_lowercase()).copied())
        .collect()
}

/// Databases are resources whose platform says so; everything else defaults to a host.
fn default_resource_type(platform: &str) -> ResourceType {
    const DATABASES: &[&str] = &[
        "postgresql",
        "postgres",
        "mysql",
        "mariadb",
        "mssql",
        "sql server",
        "oracle",
        "mongodb",
    ];
    if DATABASES.contains(&platform.to_lowercase().as_str()) {
        ResourceType::Database
    } else {
        ResourceType::Host
    }
}

impl ValidConfig {
    pub fn to_catalog(&self, existing: &CatalogIds, now: DateTime<Utc>) -> Catalog {
        let file = &self.file;
        let mut account_ids = HashMap::new();
        let mut accounts = Vec::new();
        let mut add_account =
            |name: &str, display: &Option<String>, role: &str, kind: AccountKind| {
                let id = id_for(&existing.accounts, name);
                account_ids.insert(name.to_lowercase(), id);
                accounts.push(Account {
                    id,
                    name: name.to_owned(),
                    display_name: display.clone().unwrap_or_else(|| name.to_owned()),
                    kind,
                    role: role.parse().unwrap_or(Role::User),
                    secret_hash: self.secret_hashes.get(&name.to_lowercase()).cloned(),
                    totp_secret: self.totp_secrets.get(&name.to_lowercase()).cloned(),
                });
            };
        for user in &file.users {
            add_account(
                &user.name,
                &user.display_name,
                &user.role,
                AccountKind::User,
            );
        }
        for app in &file.applications {
            add_account(
                &app.name,
                &app.display_name,
                &app.role,
                AccountKind::Application,
            );
        }

        let activities: Vec<Activity> = file
            .activities
            .iter()
            .map(|entry| Activity {
                id: id_for(&existing.activities, &entry.name),
                name: entry.name.clone(),
                description: entry.description.clone(),
                platform: entry.platform.clone(),
                activity_type: parse_wire_enum(
                    entry.activity_type.as_deref(),
                    ActivityType::Interactive,
                ),
                login_account: parse_wire_enum(
                    entry.login_account.as_deref(),
                    LoginAccount::Requester,
                ),
                login_account_name_format: entry.login_account_name_format.clone(),
                pre_session: entry.pre_session.clone(),
                post_session: entry.post_session.clone(),
                on_lock: entry.on_lock.clone(),
                on_unlock: entry.on_unlock.clone(),
                created_at: now,
                modified_at: now,
            })
            .collect();
        let activity_ids: HashMap<String, Uuid> = activities
            .iter()
            .map(|a| (a.name.to_lowercase(), a.id))
            .collect();

        let resources: Vec<Resource> = file
            .resources
            .iter()
            .map(|entry| Resource {
                id: id_for(&existing.resources, &entry.name),
                name: entry.name.clone(),
                display_name: entry.display_name.clone(),
                platform: entry.platform.clone(),
                resource_type: parse_wire_enum(
                    entry.resource_type.as_deref(),
                    default_resource_type(&entry.platform),
                ),
                address: entry.address.clone(),
                port_ssh: entry.port_ssh,
                port_rdp: entry.port_rdp,
                created_at: now,
                modified_at: now,
            })
            .collect();
        let resource_ids: HashMap<String, Uuid> = resources
            .iter()
            .map(|r| (r.name.to_lowercase(), r.id))
            .collect();

        let policies = file
            .policies
            .iter()
            .map(|entry| Policy {
                id: id_for(&existing.policies, &entry.name),
                name: entry.name.clone(),
                description: entry.description.clone(),
                members: resolve(&entry.users, &account_ids),
                activities: resolve(&entry.activities, &activity_ids),
                resources: resolve(&entry.resources, &resource_ids),
                max_duration: parse_duration(&entry.max_duration).unwrap_or_default(),
                extension: entry.extension.as_ref().map(|extension| ExtensionRule {
                    max_count: extension.max_count,
                    max_each: parse_duration(&extension.max_each).unwrap_or_default(),
                }),
                approval_tiers: entry
                    .approval
                    .iter()
                    .map(|tier| ApprovalTier {
                        required: tier.required.unwrap_or(1),
                        approvers: tier
                            .approvers
                            .iter()
                            .filter_map(|approver| match approver.strip_prefix("role:") {
                                Some(role) => role.parse().ok().map(Approver::Role),
                                None => account_ids
                                    .get(&approver.to_lowercase())
                                    .copied()
                                    .map(Approver::Account),
                            })
                            .collect(),
                    })
                    .collect(),
                approval_timeout: entry
                    .approval_timeout
                    .as_deref()
                    .and_then(|t| parse_duration(t).ok())
                    .unwrap_or(DEFAULT_APPROVAL_TIMEOUT),
                admins_may_approve: entry.admins_may_approve,
                ticket_required: entry.ticket_required,
                notify: entry
                    .notify
                    .iter()
                    .map(|notify| Notification {
                        url: notify.url.clone(),
                        timeout: notify
                            .timeout
                            .as_deref()
                            .and_then(|t| parse_duration(t).ok())
                            .unwrap_or(DEFAULT_NOTIFY_TIMEOUT),
                        retries: notify.retries.unwrap_or(DEFAULT_NOTIFY_RETRIES),
                    })
                    .collect(),
            })
            .collect();

        Catalog {
            accounts,
            activities,
            resources,
            policies,
        }
    }
}
