//! Activity sessions on the wire: requests, the session, its summary, its log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::enums::{
    ActivityType, ApprovalState, LogLevel, LoginSessionState, SessionStatus, SessionSummaryStatus,
};
use super::problem::ProblemDetails;

/// `POST /api/v1/ActivitySession` (and one element of a group request). Every field is
/// optional on the wire; the broker says which are missing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ActivitySessionRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_resource_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_resource_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date_time_utc: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date_time_utc: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_policy_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalWorkflowApproval {
    pub id: Uuid,
    #[serde(default)]
    pub approver_account_id: Option<Uuid>,
    #[serde(default)]
    pub modified_by_user_name: Option<String>,
    pub approval_state: ApprovalState,
    #[serde(default)]
    pub approver_notes: Option<String>,
    #[serde(default)]
    pub modified_date_time_utc: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivitySession {
    pub id: Uuid,
    #[serde(default)]
    pub created_by: Option<Uuid>,
    #[serde(default)]
    pub created_by_user_name: Option<String>,
    #[serde(default)]
    pub created_from_address: Option<String>,
    #[serde(default)]
    pub created_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub modified_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub activity_id: Option<Uuid>,
    #[serde(default)]
    pub activity_name: Option<String>,
    #[serde(default)]
    pub managed_resource_id: Option<Uuid>,
    #[serde(default)]
    pub managed_resource_name: Option<String>,
    #[serde(default)]
    pub access_control_policy_id: Option<Uuid>,
    #[serde(default)]
    pub access_control_policy_name: Option<String>,
    #[serde(default)]
    pub activity_session_group_id: Option<Uuid>,
    /// The nested objects of `SbPAM.Models.ActivitySession`, with the fields pamctl knows;
    /// the flat `activityName`, `managedResourceName` and `accessControlPolicyName` beside
    /// them are pamctl extensions.
    #[serde(default)]
    pub activity: Option<SessionActivity>,
    #[serde(default)]
    pub managed_resource: Option<SessionResource>,
    #[serde(default)]
    pub access_control_policy: Option<SessionPolicy>,
    /// pamctl manages no accounts: always null from pamctl, read from NPS as it comes.
    #[serde(default)]
    pub managed_account: Option<serde_json::Value>,
    #[serde(default)]
    pub activity_session_group: Option<SessionGroupRef>,
    #[serde(default)]
    pub login_account_name: Option<String>,
    pub status: SessionStatus,
    #[serde(default)]
    pub status_description: Option<String>,
    /// What is wrong right now, e.g. the end action that keeps failing (pamctl extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    #[serde(default)]
    pub locked: bool,
    /// The lock's title and message while locked (pamctl extension; as `PUT .../lock` took
    /// them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_message: Option<String>,
    #[serde(default)]
    pub scheduled_start_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub actual_start_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub scheduled_end_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub actual_end_date_time_utc: Option<DateTime<Utc>>,
    /// Who ended it: a user id, as the model has it (older pamctl servers sent the name).
    #[serde(default)]
    pub cancelled_by: Option<String>,
    /// Who ended it, by name (pamctl extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_by_user_name: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub ticket: Option<String>,
    #[serde(default)]
    pub allow_session_extension: bool,
    #[serde(default)]
    pub session_extension_count: u32,
    #[serde(default)]
    pub session_extension_minutes: i64,
    #[serde(default)]
    pub approval_workflow_approvals: Vec<ApprovalWorkflowApproval>,
}

impl ActivitySession {
    /// The activity's name: pamctl's flat field, else NPS's nested object.
    pub fn activity_name(&self) -> Option<&str> {
        self.activity_name
            .as_deref()
            .or_else(|| self.activity.as_ref()?.name.as_deref())
    }

    /// The resource's name: pamctl's flat field, else NPS's nested object.
    pub fn resource_name(&self) -> Option<&str> {
        self.managed_resource_name
            .as_deref()
            .or_else(|| self.managed_resource.as_ref()?.name.as_deref())
    }

    /// The policy's name: pamctl's flat field, else NPS's nested object.
    pub fn policy_name(&self) -> Option<&str> {
        self.access_control_policy_name
            .as_deref()
            .or_else(|| self.access_control_policy.as_ref()?.name.as_deref())
    }
}

/// `ActivitySession.activity`: an `SbPAM.Models.Activity` with the fields a session knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionActivity {
    pub id: Uuid,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub platform_id: Option<Uuid>,
    #[serde(default)]
    pub platform_name: Option<String>,
    #[serde(default)]
    pub activity_type: Option<crate::wire::enums::ActivityType>,
}

/// `ActivitySession.managedResource`: an `SbPAM.Models.ManagedResource` with the fields a
/// session knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionResource {
    pub id: Uuid,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub platform_id: Option<Uuid>,
    #[serde(default)]
    pub platform_name: Option<String>,
}

/// `ActivitySession.accessControlPolicy`: the policy's id and name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionPolicy {
    pub id: Uuid,
    #[serde(default)]
    pub name: Option<String>,
}

/// `ActivitySession.activitySessionGroup`: the group the session was requested in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionGroupRef {
    pub id: Uuid,
}

/// `POST /api/v1/ActivitySession/Group` answers with the group and its sessions.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivitySessionGroup {
    pub id: Uuid,
    pub activity_sessions: Vec<ActivitySession>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionSummary {
    pub id: Uuid,
    #[serde(default)]
    pub user_id: Option<Uuid>,
    #[serde(default)]
    pub user_display_name: Option<String>,
    #[serde(default)]
    pub created_by: Option<Uuid>,
    #[serde(default)]
    pub created_by_display_name: Option<String>,
    #[serde(default)]
    pub managed_resource_id: Option<Uuid>,
    #[serde(default)]
    pub managed_resource_name: Option<String>,
    #[serde(default)]
    pub managed_resource_display_name: Option<String>,
    #[serde(default)]
    pub activity_id: Option<Uuid>,
    #[serde(default)]
    pub activity_name: Option<String>,
    #[serde(default)]
    pub activity_type: Option<ActivityType>,
    #[serde(default)]
    pub platform_name: Option<String>,
    #[serde(default)]
    pub access_policy_id: Option<Uuid>,
    #[serde(default)]
    pub access_policy_name: Option<String>,
    #[serde(default)]
    pub login_account_name: Option<String>,
    #[serde(default)]
    pub start_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub actual_start_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub end_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub actual_end_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub created_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub expiration_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default)]
    pub duration_in_seconds: i64,
    pub session_status: SessionStatus,
    #[serde(default)]
    pub session_status_description: Option<String>,
    pub status: SessionSummaryStatus,
    #[serde(default)]
    pub status_message: Option<String>,
    #[serde(default)]
    pub login_date_time_utc: Option<DateTime<Utc>>,
    #[serde(default = "unknown_login")]
    pub login_session_state: LoginSessionState,
    #[serde(default)]
    pub locked: bool,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub ticket: Option<String>,
    #[serde(default)]
    pub allow_session_extension: bool,
    #[serde(default)]
    pub session_extension_count: u32,
    #[serde(default)]
    pub session_extension_minutes: i64,
}

fn unknown_login() -> LoginSessionState {
    LoginSessionState::Unknown
}

/// Count, sum, average, minimum and maximum of session durations, in seconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DurationSummary {
    pub count_sessions: u64,
    pub sum_duration: i64,
    pub avg_duration: i64,
    pub min_duration: i64,
    pub max_duration: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TopUser {
    pub managed_account_id: Uuid,
    pub managed_account_name: String,
    #[serde(flatten)]
    pub durations: DurationSummary,
}

/// `GET /api/v1/ActivitySession/Search`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionSearchResult {
    pub data: Vec<SessionSummary>,
    #[serde(default)]
    pub records_total: u64,
    #[serde(default)]
    pub top_users: Vec<TopUser>,
    #[serde(default)]
    pub summary: DurationSummary,
    /// pamctl extension: `true` when the server applied the pamctl filters (`status`,
    /// `active`, `mine`, `userName`, `managedResourceName`, `activityName`, `platformName`);
    /// absent from NPS, which ignores them, so a client filters again itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters_applied: Option<bool>,
}

/// `POST /api/v1/ActivitySession/{id}/Resolve` (pamctl extension).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ResolveRequest {
    /// What was done about the access, for the log.
    pub note: Option<String>,
}

/// `POST /api/v1/ActivitySession/{id}/Share` (pamctl extension): who may read the session.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ShareRequest {
    /// The user to let read it, by login name.
    pub user_name: Option<String>,
}

/// The answer to a share: everyone the session is shared with now.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionShares {
    pub id: Uuid,
    pub shared_with: Vec<String>,
}

/// The most ids one `POST /api/v1/ActivitySession/End` takes: a batch is one transaction,
/// and its answer carries every session.
pub const END_SESSIONS_MAX: usize = 500;

/// `POST /api/v1/ActivitySession/End` (pamctl extension): end several sessions, as a
/// `DELETE /api/v1/ActivitySession/{id}` would end each.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndSessionsRequest {
    /// The sessions to end, at most 500; each gets its own result, in this order.
    pub activity_session_ids: Vec<Uuid>,
}

/// One id's result in `POST /api/v1/ActivitySession/End`: what its own `DELETE` would
/// have answered.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EndSessionResult {
    pub id: Uuid,
    /// `status` is 200.
    pub ok: bool,
    /// The HTTP status this id's `DELETE` would have had.
    pub status: u16,
    /// What went wrong (the problem's `detail`), when not ok.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The problem details its `DELETE` would have answered, when not ok.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<ProblemDetails>,
    /// The session, ending (or as it was, when it had finished), when ok.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_session: Option<ActivitySession>,
}

/// `PUT /api/v1/ActivitySession/lock`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct LockRequest {
    pub activity_session_ids: Vec<Uuid>,
    pub locked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_message: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    pub line_number: u64,
    pub timestamp: DateTime<Utc>,
    pub status: LogLevel,
    #[serde(default)]
    pub status_string: Option<String>,
    pub log_message: String,
}

/// `GET /api/v1/ActivitySession/{id}/Log`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionLog {
    pub lines: Vec<LogLine>,
    #[serde(default)]
    pub total_count: u64,
}

/// A request waiting for the caller's decision (`GET .../Approvals`, pamctl extension): the
/// session's summary with its approvals so far and where the workflow stands.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingApproval {
    #[serde(flatten)]
    pub summary: SessionSummary,
    #[serde(default)]
    pub approvals: Vec<ApprovalWorkflowApproval>,
    /// The tier deciding now, counting from 1.
    #[serde(default)]
    pub approval_tier: u32,
    #[serde(default)]
    pub approval_tiers: u32,
    #[serde(default)]
    pub approvals_in_tier: u32,
    #[serde(default)]
    pub approvals_required_in_tier: u32,
    #[serde(default)]
    pub approval_expires_date_time_utc: Option<DateTime<Utc>>,
}

/// Where a database-role session connects (pamctl extension,
/// `GET /api/v1/ActivitySession/{id}/Connection`): never the password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseConnection {
    pub host: String,
    pub port: u16,
    pub database: String,
    pub user: String,
    /// A libpq URI without the password.
    pub connection_string: String,
}

#[cfg(test)]
mod nps_shapes {
    use super::ActivitySession;

    /// A session as NPS answers it: the names only in the nested objects, and `cancelledBy`
    /// an id. The CLI shows the names from there.
    #[test]
    fn names_come_from_the_nested_objects_when_the_flat_ones_are_missing() {
        let session: ActivitySession = serde_json::from_value(serde_json::json!({
            "id": "6c0b1f5e-9a53-4ef7-8b47-3a8c4f2b9d10",
            "status": 1,
            "statusDescription": null,
            "activity": {"id": "1b0b1f5e-9a53-4ef7-8b47-3a8c4f2b9d10", "name": "Linux Admin"},
            "managedResource": {
                "id": "2b0b1f5e-9a53-4ef7-8b47-3a8c4f2b9d10",
                "name": "web01",
                "platformId": "43a54a6d-1ba3-4b98-a2eb-552e03c60766"
            },
            "accessControlPolicy": {"id": "3b0b1f5e-9a53-4ef7-8b47-3a8c4f2b9d10", "name": "Web Ops"},
            "managedAccount": {"id": "4b0b1f5e-9a53-4ef7-8b47-3a8c4f2b9d10", "samAccountName": "svc"},
            "cancelledBy": "5b0b1f5e-9a53-4ef7-8b47-3a8c4f2b9d10"
        }))
        .unwrap();
        assert_eq!(session.activity_name(), Some("Linux Admin"));
        assert_eq!(session.resource_name(), Some("web01"));
        assert_eq!(session.policy_name(), Some("Web Ops"));
        assert_eq!(
            session.cancelled_by.as_deref(),
            Some("5b0b1f5e-9a53-4ef7-8b47-3a8c4f2b9d10")
        );
    }
}
