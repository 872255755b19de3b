//! Managed policies: the account's list, one policy with its versions and the entities it
//! is attached to, creating policies and versions, and choosing the default version.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::iam::details;
use crate::iam::principals::sdk_tags;
use crate::policy::validate::PolicyKind;
use crate::policy::{self, document};
use crate::rules::{self, NameKind};
use crate::vocab::{rfc3339, Changed, Done, Entity, Tag};
use aws_sdk_iam::types::PolicyUsageType;
use futures_util::future::join_all;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    pub name: String,
    pub arn: String,
    pub path: String,
    pub aws_managed: bool,
    pub attachments: i32,
    pub default_version: String,
    pub description: String,
    pub created: String,
    pub updated: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PolicyVersion {
    /// `v1`, `v2`, …
    pub id: String,
    pub default: bool,
    pub created: String,
    /// Decoded and pretty-printed.
    pub document: String,
}

/// Who a policy is attached to (ListEntitiesForPolicy).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PolicyEntities {
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PolicyDetail {
    pub summary: PolicySummary,
    /// Newest first.
    pub versions: Vec<PolicyVersion>,
    pub entities: PolicyEntities,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewPolicy {
    pub name: String,
    pub path: String,
    pub description: String,
    pub document: String,
    pub tags: Vec<Tag>,
}

/// AWS keeps at most this many versions of a managed policy.
pub const MAX_VERSIONS: usize = 5;

/// GetPolicyVersion calls in flight at once when reading a policy's versions.
const VERSION_READS: usize = 8;

/// AWS's limit on a managed policy's description.
pub const MAX_DESCRIPTION: usize = 1000;

/// Whether `arn` is one of AWS's own policies (`arn:aws:iam::aws:policy/…`, in any partition).
pub fn is_aws_managed(arn: &str) -> bool {
    arn.split(':').nth(4) == Some("aws")
}

/// The policy's name is the ARN's last segment: the path comes before it.
pub fn name_from_arn(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// `v3` → 3, for ordering: AWS numbers versions in creation order, `v10` after `v9`.
fn version_number(id: &str) -> u64 {
    id.strip_prefix('v').and_then(|n| n.parse().ok()).unwrap_or(0)
}

fn check_version_id(id: &str) -> Result<()> {
    if id.len() > 1 && id.starts_with('v') && id[1..].bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!("'{id}' is not a policy version (v1, v2, …).")))
    }
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

fn summary(p: aws_sdk_iam::types::Policy) -> PolicySummary {
    let arn = p.arn.unwrap_or_default();
    PolicySummary {
        name: p.policy_name.unwrap_or_else(|| name_from_arn(&arn).to_string()),
        aws_managed: is_aws_managed(&arn),
        path: p.path.unwrap_or_else(|| "/".into()),
        attachments: p.attachment_count.unwrap_or_default(),
        default_version: p.default_version_id.unwrap_or_default(),
        description: p.description.unwrap_or_default(),
        created: p.create_date.as_ref().map(rfc3339).unwrap_or_default(),
        updated: p.update_date.as_ref().map(rfc3339).unwrap_or_default(),
        arn,
    }
}

/// Every managed policy the account can attach: its own and AWS's.
pub async fn list_policies(conn: &Connection) -> Result<Vec<PolicySummary>> {
    Ok(list_policies_counted(conn).await?.0)
}

/// [`list_policies`] and the number of IAM calls it took.
///
/// The connection's shared read of GetAccountAuthorizationDetails (LocalManagedPolicy and
/// AWSManagedPolicy, two streams side by side) rather than ListPolicies: ListPolicies never returns descriptions (AWS documents this), and the list
/// shows them. The price is size: it also carries every version's document (7–10 MB with
/// AWS's 1,582 policies). Measured on moto from a debug build (tests/it/policies.rs prints
/// both): this one call ~1.8 s, ListPolicies' 16 pages ~0.9 s; on AWS it pages too (up to
/// 1,000 per page), so a few calls either way. moto's entries lack PolicyName (and
/// PolicyId): the name is taken from the ARN, which is exact.
pub async fn list_policies_counted(conn: &Connection) -> Result<(Vec<PolicySummary>, u32)> {
    let (local, aws) = tokio::join!(details::local_policies(conn), details::aws_policies(conn));
    let ((local, local_calls), (aws, aws_calls)) = (local?, aws?);
    let mut out: Vec<PolicySummary> = local
        .iter()
        .chain(aws.iter())
        .map(|p| {
            let arn = p.arn.clone().unwrap_or_default();
            PolicySummary {
                name: p.policy_name.clone().unwrap_or_else(|| name_from_arn(&arn).to_string()),
                aws_managed: is_aws_managed(&arn),
                path: p.path.clone().unwrap_or_else(|| "/".into()),
                attachments: p.attachment_count.unwrap_or_default(),
                default_version: p.default_version_id.clone().unwrap_or_default(),
                description: p.description.clone().unwrap_or_default(),
                created: p.create_date.as_ref().map(rfc3339).unwrap_or_default(),
                updated: p.update_date.as_ref().map(rfc3339).unwrap_or_default(),
                arn,
            }
        })
        .collect();
    // The account's own policies first: they are the ones administrators look for.
    out.sort_by(|a, b| a.aws_managed.cmp(&b.aws_managed).then_with(|| a.name.cmp(&b.name)));
    Ok((out, local_calls + aws_calls))
}

async fn get_summary(conn: &Connection, arn: &str) -> Result<PolicySummary> {
    let out = conn.iam.get_policy().policy_arn(arn).send().await.map_err(|e| conn.error(e))?;
    out.policy.map(summary).ok_or_else(|| Error::NoSuchEntity(format!("Policy {arn} was not found.")))
}

/// The policy's versions as ListPolicyVersions gives them (no documents), newest first.
pub(crate) async fn version_list(conn: &Connection, arn: &str) -> Result<Vec<aws_sdk_iam::types::PolicyVersion>> {
    let mut versions: Vec<aws_sdk_iam::types::PolicyVersion> =
        items!(conn, conn.iam.list_policy_versions().policy_arn(arn))?;
    versions.sort_by_key(|v| std::cmp::Reverse(version_number(v.version_id.as_deref().unwrap_or_default())));
    Ok(versions)
}

async fn get_version(conn: &Connection, arn: &str, id: &str) -> Result<PolicyVersion> {
    let out = conn.iam.get_policy_version().policy_arn(arn).version_id(id).send().await.map_err(|e| conn.error(e))?;
    let v = out.policy_version.ok_or_else(|| Error::NoSuchEntity(format!("Version {id} of {arn} was not found.")))?;
    Ok(PolicyVersion {
        id: v.version_id.unwrap_or_else(|| id.to_string()),
        default: v.is_default_version,
        created: v.create_date.as_ref().map(rfc3339).unwrap_or_default(),
        document: document::decode(v.document.as_deref().unwrap_or_default()),
    })
}

/// Who the policy is attached to. Without the usage filter AWS also lists the principals
/// that use it as their permissions boundary, which detaching would not touch.
pub async fn entities(conn: &Connection, arn: &str) -> Result<PolicyEntities> {
    rules::policy_arn(arn)?;
    let mut pages = conn
        .iam
        .list_entities_for_policy()
        .policy_arn(arn)
        .policy_usage_filter(PolicyUsageType::PermissionsPolicy)
        .max_items(crate::aws::PAGE)
        .into_paginator()
        .send();
    let mut e = PolicyEntities::default();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|err| conn.error(err))?;
        e.users.extend(page.policy_users.unwrap_or_default().into_iter().filter_map(|u| u.user_name));
        e.groups.extend(page.policy_groups.unwrap_or_default().into_iter().filter_map(|g| g.group_name));
        e.roles.extend(page.policy_roles.unwrap_or_default().into_iter().filter_map(|r| r.role_name));
    }
    e.users.sort();
    e.groups.sort();
    e.roles.sort();
    Ok(e)
}

pub async fn get_policy(conn: &Connection, arn: &str) -> Result<PolicyDetail> {
    rules::policy_arn(arn)?;
    let aws_managed = is_aws_managed(arn);
    let (summary, versions, entities, tags) =
        tokio::join!(get_summary(conn, arn), version_list(conn, arn), entities(conn, arn), async {
            // AWS's own policies carry no tags the account can read.
            if aws_managed {
                return Ok(Vec::new());
            }
            items!(conn, conn.iam.list_policy_tags().policy_arn(arn))
        },);
    let summary = summary?;
    let ids: Vec<String> = versions?.into_iter().filter_map(|v| v.version_id).collect();
    // AWS's own policies can have a hundred versions and more: a few calls at a time, not
    // all at once, so that one page does not get the profile throttled. (Chunks rather than
    // a buffered stream: the stream's future is not Send for every lifetime, which Tauri's
    // commands need.)
    let mut versions = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(VERSION_READS) {
        for v in join_all(chunk.iter().map(|id| get_version(conn, arn, id))).await {
            versions.push(v?);
        }
    }
    Ok(PolicyDetail {
        summary,
        versions,
        entities: entities?,
        tags: tags?.into_iter().map(|t| Tag { key: t.key, value: t.value }).collect(),
    })
}

pub async fn create_policy(conn: &Connection, new: &NewPolicy) -> Result<Done<PolicySummary>> {
    rules::name(NameKind::Policy, &new.name)?;
    let path = if new.path.is_empty() { "/" } else { new.path.as_str() };
    rules::path(path)?;
    check_description(&new.description)?;
    rules::tags(new.tags.iter().map(|t| (t.key.as_str(), t.value.as_str())))?;
    policy::validate::check(&new.document, PolicyKind::Managed)?;
    let tags = (!new.tags.is_empty()).then(|| sdk_tags(&new.tags)).transpose()?;
    let description = (!new.description.is_empty()).then(|| new.description.clone());
    let out = conn
        .iam
        .create_policy()
        .policy_name(&new.name)
        .path(path)
        .set_description(description.clone())
        .policy_document(&new.document)
        .set_tags(tags)
        .send()
        .await
        .map_err(|e| conn.error(e))?;
    let created = out.policy.ok_or_else(|| Error::Internal("CreatePolicy returned no policy".into()))?;
    let mut s = summary(created);
    // AWS's CreatePolicy answer leaves the description out.
    if s.description.is_empty() {
        s.description = new.description.clone();
    }
    let changed = Changed::created(Entity::policy(&s.arn));
    Ok(Done::new(s, changed))
}

/// The refusal AWS would send for a sixth version, with what to delete to make room.
fn too_many_versions(arn: &str, versions: &[aws_sdk_iam::types::PolicyVersion]) -> Error {
    let oldest = versions
        .iter()
        .filter(|v| !v.is_default_version)
        .filter_map(|v| v.version_id.as_deref())
        .min_by_key(|id| version_number(id));
    let hint = match oldest {
        Some(id) => format!("delete one first; the oldest that is not the default is {id}."),
        None => "delete one first.".into(),
    };
    Error::LimitExceeded(format!(
        "{} already has {} versions, the most AWS keeps; {hint}",
        name_from_arn(arn),
        versions.len()
    ))
}

/// A new version; `set_default` makes it the one in force.
pub async fn create_version(
    conn: &Connection,
    arn: &str,
    document: &str,
    set_default: bool,
) -> Result<Done<PolicyVersion>> {
    rules::policy_arn(arn)?;
    if is_aws_managed(arn) {
        return Err(Error::InvalidInput("AWS-managed policies cannot be changed; copy it into a new policy.".into()));
    }
    policy::validate::check(document, PolicyKind::Managed)?;
    let versions = version_list(conn, arn).await?;
    if versions.len() >= MAX_VERSIONS {
        return Err(too_many_versions(arn, &versions));
    }
    let out = conn
        .iam
        .create_policy_version()
        .policy_arn(arn)
        .policy_document(document)
        .set_as_default(set_default)
        .send()
        .await
        .map_err(|e| conn.error(e))?;
    let v = out.policy_version.ok_or_else(|| Error::Internal("CreatePolicyVersion returned no version".into()))?;
    let version = PolicyVersion {
        id: v.version_id.unwrap_or_default(),
        default: v.is_default_version,
        created: v.create_date.as_ref().map(rfc3339).unwrap_or_default(),
        // CreatePolicyVersion does not echo the document: it is the one just sent.
        document: document::decode(v.document.as_deref().unwrap_or(document)),
    };
    Ok(Done::new(version, Changed::updated(Entity::policy(arn))))
}

pub async fn set_default_version(conn: &Connection, arn: &str, version: &str) -> Result<Changed> {
    rules::policy_arn(arn)?;
    check_version_id(version)?;
    call!(conn, conn.iam.set_default_policy_version().policy_arn(arn).version_id(version))?;
    Ok(Changed::updated(Entity::policy(arn)))
}

/// Deletes a version that is not the default (AWS refuses the default: the policy would
/// have no document in force; make another version the default first).
pub async fn delete_version(conn: &Connection, arn: &str, version: &str) -> Result<Changed> {
    rules::policy_arn(arn)?;
    check_version_id(version)?;
    let current = get_summary(conn, arn).await?;
    if current.default_version == version {
        return Err(Error::DeleteConflict(format!(
            "{version} is the default version of {}; make another version the default before deleting it.",
            current.name
        )));
    }
    call!(conn, conn.iam.delete_policy_version().policy_arn(arn).version_id(version))?;
    Ok(Changed::updated(Entity::policy(arn)))
}

/// Deletes the policy itself; AWS refuses while it is attached or has other versions
/// (a deletion's plan takes care of both).
pub async fn delete_policy(conn: &Connection, arn: &str) -> Result<()> {
    rules::policy_arn(arn)?;
    call!(conn, conn.iam.delete_policy().policy_arn(arn))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions_from_what_aws_sends() {
        assert_eq!(name_from_arn("arn:aws:iam::123456789012:policy/team/a/deploy"), "deploy");
        assert!(is_aws_managed("arn:aws:iam::aws:policy/ReadOnlyAccess"));
        assert!(is_aws_managed("arn:aws-cn:iam::aws:policy/ReadOnlyAccess"));
        assert!(!is_aws_managed("arn:aws:iam::123456789012:policy/aws"));
        assert!(version_number("v10") > version_number("v9"));
        assert!(check_version_id("v3").is_ok());
        assert!(check_version_id("3").is_err() && check_version_id("v").is_err() && check_version_id("v1x").is_err());
    }

    #[test]
    fn a_sixth_version_names_the_oldest_that_is_not_the_default() {
        let v = |id: &str, default: bool| {
            aws_sdk_iam::types::PolicyVersion::builder().version_id(id).is_default_version(default).build()
        };
        let versions = [v("v6", false), v("v5", false), v("v4", false), v("v3", false), v("v2", true)];
        let e = too_many_versions("arn:aws:iam::123456789012:policy/p", &versions);
        assert!(matches!(&e, Error::LimitExceeded(m) if m.contains("is v3") && m.contains("5 versions")), "{e}");
    }
}
