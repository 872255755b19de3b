//! Roles: the account's list with their trusted entities in words, one role in full, and
//! creating and changing roles. Deleting one goes through `deletion`.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::iam::details;
use crate::iam::principals::{self, sdk_tags};
use crate::iam::trust;
use crate::policy::validate::PolicyKind;
use crate::policy::{self, document};
use crate::rules::{self, NameKind};
use crate::vocab::{rfc3339, Changed, Done, Entity, How, Partial, Principal, Tag};
use futures_util::future::join_all;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleLastUsed {
    pub date: String,
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleRow {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub role_id: String,
    pub created: String,
    pub description: String,
    /// Seconds, 3600–43200.
    pub max_session_duration: i32,
    /// Who may assume it, in words: "EC2", "account 123456789012 with MFA", "GitHub OIDC".
    pub trusted: Vec<String>,
    pub last_used: Option<RoleLastUsed>,
    /// Created and managed by an AWS service: AWS refuses most edits.
    pub service_linked: bool,
    pub attached_policies: Vec<String>,
    pub inline_policies: Vec<String>,
    pub instance_profiles: Vec<String>,
    pub permissions_boundary: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleDetail {
    pub row: RoleRow,
    /// Decoded and pretty-printed.
    pub trust_policy: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InlinePolicy {
    pub name: String,
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewRole {
    pub name: String,
    pub path: String,
    pub description: String,
    pub trust_policy: String,
    /// Seconds, 3600–43200; `None`: AWS's default of one hour.
    pub max_session_duration: Option<i32>,
    /// Managed policies to attach.
    pub policies: Vec<String>,
    pub inline_policies: Vec<InlinePolicy>,
    pub permissions_boundary: Option<String>,
    pub tags: Vec<Tag>,
}

/// The identity providers a trust policy can name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProviders {
    pub oidc: Vec<OidcProvider>,
    pub saml: Vec<SamlProvider>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OidcProvider {
    pub arn: String,
    /// `token.actions.githubusercontent.com`
    pub url: String,
    pub audiences: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SamlProvider {
    pub arn: String,
    pub name: String,
}

/// AWS's bounds on a role's maximum session duration, in seconds (1 to 12 hours).
pub const MIN_SESSION: i32 = 3600;
pub const MAX_SESSION: i32 = 43200;
/// AWS's limit on a role's description.
pub const MAX_DESCRIPTION: usize = 1000;

/// Roles AWS services create and own live under this path; AWS refuses most edits to them.
pub fn is_service_linked(path: &str) -> bool {
    path.starts_with("/aws-service-role/")
}

fn check_session(seconds: i32) -> Result<()> {
    if !(MIN_SESSION..=MAX_SESSION).contains(&seconds) {
        return Err(Error::InvalidInput(format!(
            "The maximum session duration is {seconds} seconds; AWS allows 3600 (1 hour) to 43200 (12 hours)."
        )));
    }
    Ok(())
}

fn check_description(description: &str) -> Result<()> {
    let len = description.chars().count();
    if len > MAX_DESCRIPTION {
        return Err(Error::InvalidInput(format!(
            "The description has {len} characters; AWS allows at most {MAX_DESCRIPTION}."
        )));
    }
    Ok(())
}

fn last_used(l: Option<aws_sdk_iam::types::RoleLastUsed>) -> Option<RoleLastUsed> {
    let l = l?;
    Some(RoleLastUsed { date: rfc3339(l.last_used_date.as_ref()?), region: l.region })
}

fn tags(t: Vec<aws_sdk_iam::types::Tag>) -> Vec<Tag> {
    t.into_iter().map(|t| Tag { key: t.key, value: t.value }).collect()
}

/// Every role of the account. GetAccountAuthorizationDetails (Role, the connection's
/// shared read) carries the trust
/// policy, last use, instance profiles, policies, boundary and tags of all roles in a few
/// pages; only the description and maximum session duration are missing from it, and
/// ListRoles (a few pages too) has those. Both run concurrently and are merged by role id:
/// no call per role.
pub async fn list_roles(conn: &Connection) -> Result<Vec<RoleRow>> {
    let (details, listed) = tokio::join!(details::roles(conn), async { items!(conn, conn.iam.list_roles()) });
    let listed: Vec<aws_sdk_iam::types::Role> = listed?;
    let mut listed: HashMap<String, aws_sdk_iam::types::Role> =
        listed.into_iter().map(|r| (r.role_id.clone(), r)).collect();
    let (details, _) = details?;
    let mut out: Vec<RoleRow> = details
        .iter()
        .cloned()
        .map(|d| {
            let role_id = d.role_id.unwrap_or_default();
            let extra = listed.remove(&role_id);
            let path = d.path.unwrap_or_else(|| "/".into());
            let trust_policy = document::decode(d.assume_role_policy_document.as_deref().unwrap_or_default());
            RoleRow {
                name: d.role_name.unwrap_or_default(),
                service_linked: is_service_linked(&path),
                path,
                arn: d.arn.unwrap_or_default(),
                role_id,
                created: d.create_date.as_ref().map(rfc3339).unwrap_or_default(),
                description: extra.as_ref().and_then(|r| r.description.clone()).unwrap_or_default(),
                max_session_duration: extra.as_ref().and_then(|r| r.max_session_duration).unwrap_or(MIN_SESSION),
                trusted: trust::describe(&trust_policy),
                last_used: last_used(d.role_last_used),
                attached_policies: d
                    .attached_managed_policies
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|p| p.policy_arn)
                    .collect(),
                inline_policies: d
                    .role_policy_list
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|p| p.policy_name)
                    .collect(),
                instance_profiles: d
                    .instance_profile_list
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| p.instance_profile_name)
                    .collect(),
                permissions_boundary: d.permissions_boundary.and_then(|b| b.permissions_boundary_arn),
                tags: tags(d.tags.unwrap_or_default()),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

pub async fn get_role(conn: &Connection, name: &str) -> Result<RoleDetail> {
    rules::name(NameKind::Role, name)?;
    let iam = &conn.iam;
    let (role, attached, inline, profiles, role_tags) = tokio::join!(
        async { iam.get_role().role_name(name).send().await.map_err(|e| conn.error(e)) },
        async { items!(conn, iam.list_attached_role_policies().role_name(name)) },
        async { items!(conn, iam.list_role_policies().role_name(name)) },
        async { items!(conn, iam.list_instance_profiles_for_role().role_name(name)) },
        async { items!(conn, iam.list_role_tags().role_name(name)) },
    );
    let role = role?.role.ok_or_else(|| Error::NoSuchEntity(format!("The role with name {name} cannot be found.")))?;
    let trust_policy = document::decode(role.assume_role_policy_document.as_deref().unwrap_or_default());
    let row = RoleRow {
        service_linked: is_service_linked(&role.path),
        name: role.role_name,
        path: role.path,
        arn: role.arn,
        role_id: role.role_id,
        created: rfc3339(&role.create_date),
        description: role.description.unwrap_or_default(),
        max_session_duration: role.max_session_duration.unwrap_or(MIN_SESSION),
        trusted: trust::describe(&trust_policy),
        last_used: last_used(role.role_last_used),
        attached_policies: attached?.into_iter().filter_map(|p| p.policy_arn).collect(),
        inline_policies: inline?,
        instance_profiles: profiles?.into_iter().map(|p| p.instance_profile_name).collect(),
        permissions_boundary: role.permissions_boundary.and_then(|b| b.permissions_boundary_arn),
        tags: tags(role_tags?),
    };
    Ok(RoleDetail { row, trust_policy })
}

impl NewRole {
    /// Every rule that can be checked without AWS, first broken first.
    pub fn validate(&self) -> Result<()> {
        rules::name(NameKind::Role, &self.name)?;
        rules::path(if self.path.is_empty() { "/" } else { &self.path })?;
        check_description(&self.description)?;
        if let Some(s) = self.max_session_duration {
            check_session(s)?;
        }
        policy::validate::check(&self.trust_policy, PolicyKind::Trust)?;
        self.policies.iter().try_for_each(|arn| rules::policy_arn(arn))?;
        rules::managed_policy_count(self.policies.len())?;
        for p in &self.inline_policies {
            rules::name(NameKind::Policy, &p.name)?;
            policy::validate::check(&p.document, PolicyKind::RoleInline)?;
        }
        if let Some(b) = &self.permissions_boundary {
            rules::policy_arn(b)?;
        }
        rules::tags(self.tags.iter().map(|t| (t.key.as_str(), t.value.as_str())))
    }
}

/// Creates the role (with its boundary and tags, which CreateRole takes), then attaches its
/// managed policies and puts its inline ones. If a later step fails, the error keeps AWS's
/// code and says what was already done, so nothing is silently half-made.
pub async fn create_role(conn: &Connection, new: &NewRole) -> Result<Done<RoleRow>, Partial> {
    new.validate()?;
    let path = if new.path.is_empty() { "/" } else { new.path.as_str() };
    let role_tags = (!new.tags.is_empty()).then(|| sdk_tags(&new.tags)).transpose()?;
    call!(
        conn,
        conn.iam
            .create_role()
            .role_name(&new.name)
            .path(path)
            .assume_role_policy_document(&new.trust_policy)
            .set_description((!new.description.is_empty()).then(|| new.description.clone()))
            .set_max_session_duration(new.max_session_duration)
            .set_permissions_boundary(new.permissions_boundary.clone())
            .set_tags(role_tags)
    )?;
    let mut done = vec![format!("created role {}", new.name)];
    let mut changed = Changed::created(Entity::role(&new.name));
    if let Some(boundary) = &new.permissions_boundary {
        changed.push(Entity::policy(boundary), How::Updated);
    }
    let partial = |done: &[String], changed: &Changed, e: Error| {
        Partial::new(e.with_context(&format!("after this was done: {}.", done.join(", "))), changed.clone())
    };
    let p = Principal::role(&new.name);
    for arn in &new.policies {
        let step = principals::attach_policy(conn, &p, arn).await.map_err(|e| partial(&done, &changed, e))?;
        changed.extend(step);
        done.push(format!("attached {arn}"));
    }
    for inline in &new.inline_policies {
        let put = principals::put_inline_policy(conn, &p, &inline.name, &inline.document).await;
        let step = put.map_err(|e| partial(&done, &changed, e))?;
        changed.extend(step);
        done.push(format!("put inline policy {}", inline.name));
    }
    let row = get_role(conn, &new.name).await.map_err(|e| Partial::new(e, changed.clone()))?.row;
    Ok(Done::new(row, changed))
}

/// Changes the description and the maximum session duration (seconds).
pub async fn update_role(
    conn: &Connection,
    name: &str,
    description: &str,
    max_session_duration: i32,
) -> Result<Changed> {
    rules::name(NameKind::Role, name)?;
    check_description(description)?;
    check_session(max_session_duration)?;
    call!(
        conn,
        conn.iam.update_role().role_name(name).description(description).max_session_duration(max_session_duration)
    )?;
    Ok(Changed::updated(Entity::role(name)))
}

/// Replaces who may assume the role. A service-linked role's trust policy belongs to its
/// service: refused here, as AWS would.
pub async fn update_trust_policy(conn: &Connection, name: &str, document: &str) -> Result<Changed> {
    rules::name(NameKind::Role, name)?;
    policy::validate::check(document, PolicyKind::Trust)?;
    let role = conn.iam.get_role().role_name(name).send().await.map_err(|e| conn.error(e))?.role;
    if role.as_ref().is_some_and(|r| is_service_linked(&r.path)) {
        return Err(Error::InvalidInput(format!(
            "{name} is a service-linked role: its trust policy is managed by its AWS service and cannot be changed."
        )));
    }
    call!(conn, conn.iam.update_assume_role_policy().role_name(name).policy_document(document))?;
    Ok(Changed::updated(Entity::role(name)))
}

/// The account's OIDC and SAML providers, for the trust-policy builder.
pub async fn list_identity_providers(conn: &Connection) -> Result<IdentityProviders> {
    let iam = &conn.iam;
    let (oidc, saml) =
        tokio::join!(async { iam.list_open_id_connect_providers().send().await.map_err(|e| conn.error(e)) }, async {
            iam.list_saml_providers().send().await.map_err(|e| conn.error(e))
        },);
    let arns: Vec<String> =
        oidc?.open_id_connect_provider_list.unwrap_or_default().into_iter().filter_map(|p| p.arn).collect();
    let details = join_all(arns.iter().map(|arn| async move {
        iam.get_open_id_connect_provider().open_id_connect_provider_arn(arn).send().await.map_err(|e| conn.error(e))
    }))
    .await;
    let mut providers = IdentityProviders::default();
    for (arn, d) in arns.into_iter().zip(details) {
        let d = d?;
        // GetOpenIDConnectProvider's URL has no scheme; the ARN's tail is the same host.
        let url =
            d.url.unwrap_or_else(|| arn.split_once(":oidc-provider/").map(|(_, h)| h.to_string()).unwrap_or_default());
        providers.oidc.push(OidcProvider {
            url: url.trim_start_matches("https://").to_string(),
            audiences: d.client_id_list.unwrap_or_default(),
            arn,
        });
    }
    providers.saml = saml?
        .saml_provider_list
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.arn)
        .map(|arn| SamlProvider { name: arn.rsplit('/').next().unwrap_or_default().to_string(), arn })
        .collect();
    providers.oidc.sort_by(|a, b| a.url.cmp(&b.url));
    providers.saml.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(providers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_bounds_and_service_linked_paths() {
        assert!(check_session(3600).is_ok() && check_session(43200).is_ok());
        assert!(check_session(3599).is_err() && check_session(43201).is_err());
        assert!(is_service_linked("/aws-service-role/elasticbeanstalk.amazonaws.com/"));
        assert!(!is_service_linked("/service-role/"));
    }
}
