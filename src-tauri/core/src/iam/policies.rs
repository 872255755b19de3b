//! Managed policies: the account's list, one policy with its versions and the entities it
//! is attached to, creating policies and versions, and choosing the default version.
//!
//! CONTRACT STUB: types are final-ish, bodies are being written.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::vocab::Tag;
use aws_sdk_iam::types::PolicyScopeType;
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

/// Every managed policy the account can attach: its own and AWS's.
pub async fn list_policies(conn: &Connection) -> Result<Vec<PolicySummary>> {
    let items: Vec<aws_sdk_iam::types::Policy> = items!(conn, conn.iam.list_policies().scope(PolicyScopeType::All))?;
    let mut out: Vec<PolicySummary> = items
        .into_iter()
        .map(|p| {
            let arn = p.arn.unwrap_or_default();
            PolicySummary {
                name: p.policy_name.unwrap_or_default(),
                aws_managed: arn.starts_with("arn:aws:iam::aws:policy/"),
                arn,
                path: p.path.unwrap_or_else(|| "/".into()),
                attachments: p.attachment_count.unwrap_or_default(),
                default_version: p.default_version_id.unwrap_or_default(),
                description: p.description.unwrap_or_default(),
                created: String::new(),
                updated: String::new(),
            }
        })
        .collect();
    // The account's own policies first: they are the ones administrators look for.
    out.sort_by(|a, b| a.aws_managed.cmp(&b.aws_managed).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

fn stub() -> Error {
    Error::Internal("not written yet".into())
}

pub async fn get_policy(conn: &Connection, arn: &str) -> Result<PolicyDetail> {
    let _ = (conn, arn);
    Err(stub())
}

pub async fn create_policy(conn: &Connection, new: &NewPolicy) -> Result<PolicySummary> {
    let _ = (conn, new);
    Err(stub())
}

/// A new version; `set_default` makes it the one in force.
pub async fn create_version(conn: &Connection, arn: &str, document: &str, set_default: bool) -> Result<PolicyVersion> {
    let _ = (conn, arn, document, set_default);
    Err(stub())
}

pub async fn set_default_version(conn: &Connection, arn: &str, version: &str) -> Result<()> {
    let _ = (conn, arn, version);
    Err(stub())
}

pub async fn delete_version(conn: &Connection, arn: &str, version: &str) -> Result<()> {
    let _ = (conn, arn, version);
    Err(stub())
}
