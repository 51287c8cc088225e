//! Activities, managed resources and policy cards, filtered by the caller's policies.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};

use super::AppState;
use super::extract::{Authenticated, QueryParams, parse_id};
use super::openapi::{BadRequest, Forbidden, NotFound};
use super::paging::{Paging, PagingParams};
use super::problem::ApiError;
use crate::broker::catalog::{ActivityCard, PolicyView};
use crate::core::{Account, AccountKind, Activity, Policy, Resource, Role};
use crate::wire::{self, DataTable};

use crate::wire::platform::{KNOWN_PLATFORMS, Platform, known_platform, platform_id};

fn activity_to_wire(activity: Activity) -> wire::catalog::Activity {
    wire::catalog::Activity {
        id: activity.id,
        platform_id: Some(platform_id(&activity.platform)),
        platform_name: Some(activity.platform),
        name: activity.name,
        description: activity.description,
        activity_type: activity.activity_type,
        login_account: activity.login_account,
        login_account_name_format: activity.login_account_name_format,
        created_date_time_utc: Some(activity.created_at),
        modified_date_time_utc: Some(activity.modified_at),
    }
}

fn resource_to_wire(resource: Resource) -> wire::catalog::ManagedResource {
    wire::catalog::ManagedResource {
        id: resource.id,
        platform_id: Some(platform_id(&resource.platform)),
        platform_name: Some(resource.platform),
        name: resource.name,
        display_name: resource.display_name,
        r#type: Some(resource.resource_type),
        ip_address: resource.address,
        port_ssh: resource.port_ssh,
        port_rdp: resource.port_rdp,
        created_date_time_utc: Some(resource.created_at),
        modified_date_time_utc: Some(resource.modified_at),
    }
}

fn minutes(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_secs() / 60).unwrap_or(i64::MAX)
}

fn policy_to_wire(view: PolicyView) -> wire::catalog::PolicyCard {
    let policy = view.policy;
    wire::catalog::PolicyCard {
        id: policy.id,
        name: policy.name,
        description: policy.description,
        max_session_duration_minutes: minutes(policy.max_duration),
        approval_required: !policy.approval_tiers.is_empty(),
        approval_tiers: policy
            .approval_tiers
            .iter()
            .zip(view.tier_approvers)
            .map(|(tier, approvers)| wire::catalog::ApprovalTierCard {
                required_approvals: tier.required,
                approvers,
            })
            .collect(),
        allow_session_extension: policy.extension.is_some(),
        max_session_extensions: policy.extension.as_ref().map_or(0, |e| e.max_count),
        session_extension_minutes: policy.extension.as_ref().map_or(0, |e| minutes(e.max_each)),
        ticket_required: policy.ticket_required,
    }
}

fn card_to_wire(card: ActivityCard) -> wire::catalog::ActivityCard {
    wire::catalog::ActivityCard {
        activity: activity_to_wire(card.activity),
        access_control_policies: card.policies.into_iter().map(policy_to_wire).collect(),
    }
}

fn resource_sort_key(resource: &wire::catalog::ManagedResource, column: &str) -> String {
    match column {
        "displayName" => resource.display_name.clone().unwrap_or_default(),
        "platformName" => resource.platform_name.clone().unwrap_or_default(),
        "ipAddress" => resource.ip_address.clone().unwrap_or_default(),
        _ => resource.name.clone(),
    }
}

const RESOURCE_SORTABLE: &[&str] = &["name", "displayName", "platformName", "ipAddress"];

fn page_resources(
    paging: &Paging,
    resources: Vec<Resource>,
) -> Result<DataTable<wire::catalog::ManagedResource>, ApiError> {
    let matching = resources
        .into_iter()
        .map(resource_to_wire)
        .filter(|r| {
            paging.matches(&[
                Some(&r.name),
                r.display_name.as_deref(),
                r.platform_name.as_deref(),
                r.ip_address.as_deref(),
            ])
        })
        .collect();
    paging.page(matching, RESOURCE_SORTABLE, resource_sort_key)
}

#[utoipa::path(
    get,
    path = "/api/v1/activity",
    operation_id = "listActivities",
    tag = "Catalog",
    responses(
        (status = 200, description = "The activities the caller may request", body = Vec<wire::catalog::Activity>),
    ),
)]
pub async fn activities(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<Vec<wire::catalog::Activity>>, ApiError> {
    let activities = state.broker.activities_for(&caller).await?;
    Ok(Json(activities.into_iter().map(activity_to_wire).collect()))
}

#[utoipa::path(
    get,
    path = "/api/v1/activity/{id}",
    operation_id = "getActivity",
    tag = "Catalog",
    params(("id" = Uuid, Path, description = "The activity's id")),
    responses(
        (status = 200, description = "The activity", body = wire::catalog::Activity),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn activity(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<wire::catalog::Activity>, ApiError> {
    let activity = state
        .broker
        .activity_for(&caller, parse_id("id", &id)?)
        .await?;
    Ok(Json(activity_to_wire(activity)))
}

#[utoipa::path(
    get,
    path = "/api/v1/managedresource",
    operation_id = "listManagedResources",
    tag = "Catalog",
    responses(
        (status = 200, description = "The resources the caller may request", body = Vec<wire::catalog::ManagedResource>),
    ),
)]
pub async fn resources(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<Vec<wire::catalog::ManagedResource>>, ApiError> {
    let resources = state.broker.resources_for(&caller).await?;
    Ok(Json(resources.into_iter().map(resource_to_wire).collect()))
}

/// `GET /api/v1/Platform`: NPS's built-in platforms (with NPS's ids) and PostgreSQL, then
/// any other platform the caller's activities and resources name.
#[utoipa::path(
    get,
    path = "/api/v1/platform",
    operation_id = "listPlatforms",
    tag = "Catalog",
    responses(
        (status = 200, description = "NPS's built-in platforms with NPS's ids, PostgreSQL, then the caller's other platforms", body = Vec<Platform>),
    ),
)]
pub async fn platforms(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<Vec<Platform>>, ApiError> {
    let mut platforms: Vec<Platform> = KNOWN_PLATFORMS
        .iter()
        .map(|known| Platform {
            id: known.id,
            name: known.name.to_owned(),
            description: Some(known.description.to_owned()),
        })
        .collect();
    let named = state
        .broker
        .activities_for(&caller)
        .await?
        .into_iter()
        .map(|activity| activity.platform)
        .chain(
            state
                .broker
                .resources_for(&caller)
                .await?
                .into_iter()
                .map(|resource| resource.platform),
        );
    for name in named {
        let id = platform_id(&name);
        if known_platform(&name).is_none() && !platforms.iter().any(|p| p.id == id) {
            platforms.push(Platform {
                id,
                name,
                description: None,
            });
        }
    }
    Ok(Json(platforms))
}

#[utoipa::path(
    get,
    path = "/api/v1/managedresource/{id}",
    operation_id = "getManagedResource",
    tag = "Catalog",
    params(("id" = Uuid, Path, description = "The resource's id")),
    responses(
        (status = 200, description = "The resource", body = wire::catalog::ManagedResource),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn resource(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<wire::catalog::ManagedResource>, ApiError> {
    let resource = state
        .broker
        .resource_for(&caller, parse_id("id", &id)?)
        .await?;
    Ok(Json(resource_to_wire(resource)))
}

#[utoipa::path(
    get,
    path = "/api/v1/managedresource/search",
    operation_id = "searchManagedResources",
    tag = "Catalog",
    params(PagingParams),
    responses(
        (status = 200, description = "A page of the caller's resources", body = DataTable<wire::catalog::ManagedResource>),
        (status = 400, response = BadRequest),
    ),
)]
pub async fn search_resources(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<DataTable<wire::catalog::ManagedResource>>, ApiError> {
    let paging = Paging::from_query(&query)?;
    let resources = state.broker.resources_for(&caller).await?;
    Ok(Json(page_resources(&paging, resources)?))
}

#[utoipa::path(
    get,
    path = "/api/v1/accesscontrolpolicy/activitycardwithpolicies",
    operation_id = "listActivityCardsWithPolicies",
    tag = "Catalog",
    params(PagingParams),
    responses(
        (status = 200, description = "A page of the activities the caller may request, each with its policies", body = DataTable<wire::catalog::ActivityCard>),
        (status = 400, response = BadRequest),
    ),
)]
pub async fn activity_cards(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<DataTable<wire::catalog::ActivityCard>>, ApiError> {
    let paging = Paging::from_query(&query)?;
    let cards = state
        .broker
        .activity_cards_for(&caller)
        .await?
        .into_iter()
        .map(card_to_wire)
        .filter(|card| {
            let a = &card.activity;
            paging.matches(&[
                Some(&a.name),
                a.description.as_deref(),
                a.platform_name.as_deref(),
            ])
        })
        .collect();
    Ok(Json(paging.page(
        cards,
        &["name", "platformName"],
        |card, column| match column {
            "platformName" => card.activity.platform_name.clone().unwrap_or_default(),
            _ => card.activity.name.clone(),
        },
    )?))
}

#[utoipa::path(
    get,
    path = "/api/v1/accesscontrolpolicy/activitysessionresources",
    operation_id = "listActivitySessionResources",
    tag = "Catalog",
    params(("activityId" = Uuid, Query, description = "The activity to list resources for"), PagingParams),
    responses(
        (status = 200, description = "A page of the resources the caller may request the activity on", body = DataTable<wire::catalog::ManagedResource>),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn activity_session_resources(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<DataTable<wire::catalog::ManagedResource>>, ApiError> {
    let activity_id = query.uuid("activityId")?.ok_or_else(|| {
        ApiError::bad_field(
            "activityId",
            "required: the id of the activity to list resources for",
        )
    })?;
    let paging = Paging::from_query(&query)?;
    let resources = state
        .broker
        .resources_for_activity(&caller, activity_id)
        .await?;
    Ok(Json(page_resources(&paging, resources)?))
}

fn access_policy_to_wire(position: usize, policy: Policy) -> wire::catalog::AccessControlPolicy {
    wire::catalog::AccessControlPolicy {
        id: policy.id,
        name: policy.name,
        description: policy.description,
        priority: u32::try_from(position).unwrap_or(u32::MAX),
        is_disabled: false,
        is_deleted: false,
        policy_type: Some("Resource".to_owned()),
        max_session_duration_minutes: minutes(policy.max_duration),
        approval_required: !policy.approval_tiers.is_empty(),
        ticket_required: policy.ticket_required,
    }
}

fn account_to_wire(account: Account) -> wire::catalog::ManagedAccount {
    wire::catalog::ManagedAccount {
        id: account.id,
        sam_account_name: Some(account.name.clone()),
        name: account.name,
        display_name: Some(account.display_name),
        is_reviewer: account.role == Role::Reviewer,
        locked: false,
        role: Some(account.role.as_str().to_owned()),
        kind: Some(
            match account.kind {
                AccountKind::User => "user",
                AccountKind::Application => "application",
            }
            .to_owned(),
        ),
    }
}

/// `GET /api/v1/AccessControlPolicy`: the policies the caller may read (all, for an admin).
#[utoipa::path(
    get,
    path = "/api/v1/accesscontrolpolicy",
    operation_id = "listAccessControlPolicies",
    tag = "Catalog",
    responses(
        (status = 200, description = "The policies the caller may read (all, for admins and reviewers)", body = Vec<wire::catalog::AccessControlPolicy>),
    ),
)]
pub async fn access_policies(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<Vec<wire::catalog::AccessControlPolicy>>, ApiError> {
    let policies = state.broker.policies_visible(&caller).await?;
    Ok(Json(
        policies
            .into_iter()
            .enumerate()
            .map(|(position, policy)| access_policy_to_wire(position, policy))
            .collect(),
    ))
}

/// `GET /api/v1/AccessControlPolicy/{id}`.
#[utoipa::path(
    get,
    path = "/api/v1/accesscontrolpolicy/{id}",
    operation_id = "getAccessControlPolicy",
    tag = "Catalog",
    params(("id" = Uuid, Path, description = "The policy's id")),
    responses(
        (status = 200, description = "The policy", body = wire::catalog::AccessControlPolicy),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn access_policy(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<wire::catalog::AccessControlPolicy>, ApiError> {
    let id = parse_id("id", &id)?;
    let policies = state.broker.policies_visible(&caller).await?;
    let (position, policy) = policies
        .into_iter()
        .enumerate()
        .find(|(_, p)| p.id == id)
        .ok_or_else(|| {
            ApiError::from(crate::broker::BrokerError::NotFound {
                what: "access control policy",
                id: id.to_string(),
            })
        })?;
    Ok(Json(access_policy_to_wire(position, policy)))
}

/// `GET /api/v1/AccessControlPolicy/SearchResources/{id}`: a DataTable of the policy's
/// resources.
#[utoipa::path(
    get,
    path = "/api/v1/accesscontrolpolicy/searchresources/{id}",
    operation_id = "searchAccessControlPolicyResources",
    tag = "Catalog",
    params(("id" = Uuid, Path, description = "The policy's id"), PagingParams),
    responses(
        (status = 200, description = "A page of the policy's resources", body = DataTable<wire::catalog::ManagedResource>),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn access_policy_resources(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<DataTable<wire::catalog::ManagedResource>>, ApiError> {
    let paging = Paging::from_query(&query)?;
    let resources = state
        .broker
        .policy_resources(&caller, parse_id("id", &id)?)
        .await?;
    Ok(Json(page_resources(&paging, resources)?))
}

/// `GET /api/v1/AccessControlPolicy/SearchActivities/{id}`: a DataTable of the policy's
/// activities.
#[utoipa::path(
    get,
    path = "/api/v1/accesscontrolpolicy/searchactivities/{id}",
    operation_id = "searchAccessControlPolicyActivities",
    tag = "Catalog",
    params(("id" = Uuid, Path, description = "The policy's id"), PagingParams),
    responses(
        (status = 200, description = "A page of the policy's activities", body = DataTable<wire::catalog::Activity>),
        (status = 400, response = BadRequest),
        (status = 404, response = NotFound),
    ),
)]
pub async fn access_policy_activities(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<DataTable<wire::catalog::Activity>>, ApiError> {
    let paging = Paging::from_query(&query)?;
    let activities: Vec<wire::catalog::Activity> = state
        .broker
        .policy_activities(&caller, parse_id("id", &id)?)
        .await?
        .into_iter()
        .map(activity_to_wire)
        .filter(|a| paging.matches(&[Some(&a.name), a.platform_name.as_deref()]))
        .collect();
    Ok(Json(paging.page(
        activities,
        &["name", "platformName"],
        |a, column| match column {
            "platformName" => a.platform_name.clone().unwrap_or_default(),
            _ => a.name.clone(),
        },
    )?))
}

fn page_accounts(
    paging: &Paging,
    accounts: Vec<Account>,
) -> Result<DataTable<wire::catalog::ManagedAccount>, ApiError> {
    let accounts: Vec<wire::catalog::ManagedAccount> = accounts
        .into_iter()
        .map(account_to_wire)
        .filter(|a| paging.matches(&[Some(&a.name), a.display_name.as_deref()]))
        .collect();
    paging.page(
        accounts,
        &["name", "displayName"],
        |a, column| match column {
            "displayName" => a.display_name.clone().unwrap_or_default(),
            _ => a.name.clone(),
        },
    )
}

/// `GET /api/v1/AccessControlPolicy/SearchManagedAccounts/{id}`: a DataTable of the accounts
/// the policy names (admins and reviewers).
#[utoipa::path(
    get,
    path = "/api/v1/accesscontrolpolicy/searchmanagedaccounts/{id}",
    operation_id = "searchAccessControlPolicyManagedAccounts",
    tag = "Catalog",
    params(("id" = Uuid, Path, description = "The policy's id"), PagingParams),
    responses(
        (status = 200, description = "A page of the accounts the policy names (admins and reviewers)", body = DataTable<wire::catalog::ManagedAccount>),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    ),
)]
pub async fn access_policy_accounts(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    query: QueryParams,
) -> Result<Json<DataTable<wire::catalog::ManagedAccount>>, ApiError> {
    let paging = Paging::from_query(&query)?;
    let accounts = state
        .broker
        .policy_members(&caller, parse_id("id", &id)?)
        .await?;
    Ok(Json(page_accounts(&paging, accounts)?))
}

/// `GET /api/v1/ManagedAccount/Search`: a DataTable of every account (admins and reviewers).
#[utoipa::path(
    get,
    path = "/api/v1/managedaccount/search",
    operation_id = "searchManagedAccounts",
    tag = "Catalog",
    params(PagingParams),
    responses(
        (status = 200, description = "A page of every account (admins and reviewers)", body = DataTable<wire::catalog::ManagedAccount>),
        (status = 400, response = BadRequest),
        (status = 403, response = Forbidden),
    ),
)]
pub async fn search_accounts(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<DataTable<wire::catalog::ManagedAccount>>, ApiError> {
    let paging = Paging::from_query(&query)?;
    let accounts = state.broker.accounts_visible(&caller).await?;
    Ok(Json(page_accounts(&paging, accounts)?))
}
