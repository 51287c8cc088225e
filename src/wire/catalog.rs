//! Activities, managed resources and the policy cards that say who may request what.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::enums::{ActivityType, LoginAccount, ResourceType};

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub platform_id: Option<Uuid>,
    #[serde(default)]
    pub platform_name: Option<String>,
    pub activity_type: ActivityType,
    /// Who the session logs in as. NPS's activity cards leave it out, so it reads as the
    /// requester when missing.
    #[serde(default = "requester")]
    pub login_account: LoginAccount,
    #[serde(default)]
    pub login_account_name_format: Option<String>,
    #[serde(default)]
    pub created_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub modified_date_time_utc: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManagedResource {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// NPS's `ManagedResourceType`. `AccessControlPolicy/ActivitySessionResources` answers
    /// NPS's `AccessPolicyObject`, which has none.
    #[serde(default)]
    pub r#type: Option<ResourceType>,
    #[serde(default)]
    pub platform_id: Option<Uuid>,
    #[serde(default)]
    pub platform_name: Option<String>,
    #[serde(default)]
    pub ip_address: Option<String>,
    #[serde(default)]
    pub port_ssh: Option<u16>,
    #[serde(default)]
    pub port_rdp: Option<u16>,
    #[serde(default)]
    pub created_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub modified_date_time_utc: Option<DateTime<Utc>>,
}

impl ManagedResource {
    /// The platform's name: pamctl's `platformName`, else the name of the NPS built-in
    /// platform its `platformId` is.
    pub fn platform_label(&self) -> Option<String> {
        self.platform_name.clone().or_else(|| {
            let known = super::platform::known_platform_by_id(self.platform_id?)?;
            Some(known.name.to_owned())
        })
    }
}

/// An activity the caller may request, with the policies that grant it to them.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityCard {
    #[serde(flatten)]
    pub activity: Activity,
    /// NPS's `ActivityCardWithPolicies` calls them `policies`.
    #[serde(default, alias = "policies")]
    pub access_control_policies: Vec<PolicyCard>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolicyCard {
    /// NPS's cards name the fields of their policies `policyId`, `policyName` and
    /// `maxSessionLength`.
    #[serde(alias = "policyId")]
    pub id: Uuid,
    #[serde(alias = "policyName")]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(alias = "maxSessionLength")]
    pub max_session_duration_minutes: i64,
    #[serde(default)]
    pub approval_required: bool,
    #[serde(default)]
    pub approval_tiers: Vec<ApprovalTierCard>,
    #[serde(default)]
    pub allow_session_extension: bool,
    #[serde(default)]
    pub max_session_extensions: u32,
    #[serde(default)]
    pub session_extension_minutes: i64,
    #[serde(default)]
    pub ticket_required: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalTierCard {
    pub required_approvals: u32,
    pub approvers: Vec<String>,
}

/// `SbPAM.Models.AccessControlPolicy`, with the fields pamctl has; the limits beside them are
/// pamctl extensions.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessControlPolicy {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The policy's place in the configuration (NPS's `priority`).
    #[serde(default)]
    pub priority: u32,
    #[serde(default)]
    pub is_disabled: bool,
    #[serde(default)]
    pub is_deleted: bool,
    #[serde(default)]
    pub policy_type: Option<String>,
    #[serde(default)]
    pub max_session_duration_minutes: i64,
    #[serde(default)]
    pub approval_required: bool,
    #[serde(default)]
    pub ticket_required: bool,
}

/// `SbPAM.Models.ManagedAccount` for a pamctl account (a person or an application).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManagedAccount {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub sam_account_name: Option<String>,
    #[serde(default)]
    pub is_reviewer: bool,
    #[serde(default)]
    pub locked: bool,
    /// pamctl extension: Admin, Reviewer or User.
    #[serde(default)]
    pub role: Option<String>,
    /// pamctl extension: a person (`user`) or an application.
    #[serde(default)]
    pub kind: Option<String>,
}

fn requester() -> LoginAccount {
    LoginAccount::Requester
}
