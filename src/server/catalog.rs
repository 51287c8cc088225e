//! Activities, managed resources and policy cards, filtered by the caller's policies.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};

use super::AppState;
use super::extract::{Authenticated, QueryParams, parse_id};
use super::paging::Paging;
use super::problem::ApiError;
use crate::broker::catalog::{ActivityCard, PolicyView};
use crate::core::{Activity, Resource};
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
        r#type: resource.resource_type,
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

pub async fn activities(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<Vec<wire::catalog::Activity>>, ApiError> {
    let activities = state.broker.activities_for(&caller).await?;
    Ok(Json(activities.into_iter().map(activity_to_wire).collect()))
}

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

pub async fn resources(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
) -> Result<Json<Vec<wire::catalog::ManagedResource>>, ApiError> {
    let resources = state.broker.resources_for(&caller).await?;
    Ok(Json(resources.into_iter().map(resource_to_wire).collect()))
}

/// `GET /api/v1/Platform`: NPS's built-in platforms (with NPS's ids) and PostgreSQL, then
/// any other platform the caller's activities and resources name.
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

pub async fn search_resources(
    State(state): State<Arc<AppState>>,
    Authenticated(caller): Authenticated,
    query: QueryParams,
) -> Result<Json<DataTable<wire::catalog::ManagedResource>>, ApiError> {
    let paging = Paging::from_query(&query)?;
    let resources = state.broker.resources_for(&caller).await?;
    Ok(Json(page_resources(&paging, resources)?))
}

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
