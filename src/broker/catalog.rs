//! The catalog as each caller may see it: what their policies grant (admins see everything).

use std::collections::HashSet;

use uuid::Uuid;

use super::{Broker, BrokerError, Caller};
use crate::core::{Account, Activity, Approver, Policy, Resource, Role};

/// An activity the caller may request, with the policies that grant it.
#[derive(Debug, Clone)]
pub struct ActivityCard {
    pub activity: Activity,
    pub policies: Vec<PolicyView>,
}

/// A policy with its approvers named, for display.
#[derive(Debug, Clone)]
pub struct PolicyView {
    pub policy: Policy,
    pub tier_approvers: Vec<Vec<String>>,
}

impl Broker {
    /// The policies under which the caller may request anything; for an admin, all of them.
    async fn policies_for(&self, caller: &Caller) -> Result<Vec<Policy>, BrokerError> {
        let policies = self.store.policies().await?;
        Ok(policies
            .into_iter()
            .filter(|policy| caller.is_admin() || policy.members.contains(&caller.account_id))
            .collect())
    }

    /// The policies the caller may read: all of them for admins and reviewers (who see every
    /// session and decide requests under any policy), else those naming the caller.
    pub async fn policies_visible(&self, caller: &Caller) -> Result<Vec<Policy>, BrokerError> {
        if caller.role == Role::User {
            return self.policies_for(caller).await;
        }
        Ok(self.store.policies().await?)
    }

    pub async fn policy_for(&self, caller: &Caller, id: Uuid) -> Result<Policy, BrokerError> {
        self.policies_visible(caller)
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| BrokerError::NotFound {
                what: "access control policy",
                id: id.to_string(),
            })
    }

    /// The resources a policy the caller may read grants access on.
    pub async fn policy_resources(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Vec<Resource>, BrokerError> {
        let policy = self.policy_for(caller, id).await?;
        Ok(self
            .store
            .resources()
            .await?
            .into_iter()
            .filter(|r| policy.resources.contains(&r.id))
            .collect())
    }

    /// The activities a policy the caller may read grants.
    pub async fn policy_activities(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Vec<Activity>, BrokerError> {
        let policy = self.policy_for(caller, id).await?;
        Ok(self
            .store
            .activities()
            .await?
            .into_iter()
            .filter(|a| policy.activities.contains(&a.id))
            .collect())
    }

    /// The accounts a policy names: for admins and reviewers, who decide on those people's
    /// requests; a user may not list other people.
    pub async fn policy_members(
        &self,
        caller: &Caller,
        id: Uuid,
    ) -> Result<Vec<Account>, BrokerError> {
        let accounts = self.accounts_visible(caller).await?;
        let policy = self.policy_for(caller, id).await?;
        Ok(accounts
            .into_iter()
            .filter(|a| policy.members.contains(&a.id))
            .collect())
    }

    /// Every account, for admins and reviewers.
    pub async fn accounts_visible(&self, caller: &Caller) -> Result<Vec<Account>, BrokerError> {
        if caller.role == Role::User {
            return Err(BrokerError::Forbidden(
                "only admins and reviewers may list accounts".to_owned(),
            ));
        }
        Ok(self.store.accounts().await?)
    }

    pub async fn activities_for(&self, caller: &Caller) -> Result<Vec<Activity>, BrokerError> {
        let activities = self.store.activities().await?;
        if caller.is_admin() {
            return Ok(activities);
        }
        let granted: HashSet<Uuid> = self
            .policies_for(caller)
            .await?
            .iter()
            .flat_map(|p| p.activities.iter().copied())
            .collect();
        Ok(activities
            .into_iter()
            .filter(|a| granted.contains(&a.id))
            .collect())
    }

    pub async fn activity_for(&self, caller: &Caller, id: Uuid) -> Result<Activity, BrokerError> {
        self.activities_for(caller)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| BrokerError::NotFound {
                what: "activity",
                id: id.to_string(),
            })
    }

    pub async fn resources_for(&self, caller: &Caller) -> Result<Vec<Resource>, BrokerError> {
        let resources = self.store.resources().await?;
        if caller.is_admin() {
            return Ok(resources);
        }
        let granted: HashSet<Uuid> = self
            .policies_for(caller)
            .await?
            .iter()
            .flat_map(|p| p.resources.iter().copied())
            .collect();
        Ok(resources
            .into_iter()
            .filter(|r| granted.contains(&r.id))
            .collect())
    }

    pub async fn resource_for(&self, caller: &Caller, id: Uuid) -> Result<Resource, BrokerError> {
        self.resources_for(caller)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| BrokerError::NotFound {
                what: "managed resource",
                id: id.to_string(),
            })
    }

    pub async fn activity_cards_for(
        &self,
        caller: &Caller,
    ) -> Result<Vec<ActivityCard>, BrokerError> {
        let policies = self.policies_for(caller).await?;
        let mut cards = Vec::new();
        for activity in self.activities_for(caller).await? {
            let mut views = Vec::new();
            for policy in policies
                .iter()
                .filter(|p| p.activities.contains(&activity.id))
            {
                views.push(self.policy_view(policy.clone()).await?);
            }
            cards.push(ActivityCard {
                activity,
                policies: views,
            });
        }
        Ok(cards)
    }

    /// The resources on which the caller may request the activity.
    pub async fn resources_for_activity(
        &self,
        caller: &Caller,
        activity_id: Uuid,
    ) -> Result<Vec<Resource>, BrokerError> {
        self.activity_for(caller, activity_id).await?;
        let granted: HashSet<Uuid> = self
            .policies_for(caller)
            .await?
            .iter()
            .filter(|p| p.activities.contains(&activity_id))
            .flat_map(|p| p.resources.iter().copied())
            .collect();
        Ok(self
            .store
            .resources()
            .await?
            .into_iter()
            .filter(|r| granted.contains(&r.id))
            .collect())
    }

    async fn policy_view(&self, policy: Policy) -> Result<PolicyView, BrokerError> {
        let mut tier_approvers = Vec::new();
        for tier in &policy.approval_tiers {
            let mut names = Vec::new();
            for approver in &tier.approvers {
                names.push(match approver {
                    Approver::Role(role) => format!("role:{role}"),
                    Approver::Account(id) => match self.store.account(*id).await? {
                        Some(account) => account.name,
                        None => id.to_string(),
                    },
                });
            }
            tier_approvers.push(names);
        }
        Ok(PolicyView {
            policy,
            tier_approvers,
        })
    }
}
