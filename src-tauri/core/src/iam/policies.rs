//! Managed policies, for the pickers that attach them.

use crate::aws::connection::Connection;
use crate::error::Result;
use aws_sdk_iam::types::PolicyScopeType;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PolicySummary {
    pub name: String,
    pub arn: String,
    pub path: String,
    pub aws_managed: bool,
    pub attachments: i32,
    pub default_version: String,
}

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
            }
        })
        .collect();
    // The account's own policies first: they are the ones administrators look for.
    out.sort_by(|a, b| a.aws_managed.cmp(&b.aws_managed).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}
