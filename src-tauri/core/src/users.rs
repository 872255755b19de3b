//! IAM users.

use crate::error::Result;
use crate::session::Connection;
use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct UserSummary {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub user_id: String,
    /// RFC 3339, UTC.
    pub created: String,
}

pub(crate) fn rfc3339(t: &DateTime) -> String {
    t.fmt(DateTimeFormat::DateTime).unwrap_or_default()
}

/// Every user of the account, all pages, in IAM's order (by name).
pub async fn list_users(conn: &Connection) -> Result<Vec<UserSummary>> {
    let users = conn
        .iam
        .list_users()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| conn.error(e))?;
    Ok(users
        .into_iter()
        .map(|u| UserSummary {
            name: u.user_name,
            path: u.path,
            arn: u.arn,
            user_id: u.user_id,
            created: rfc3339(&u.create_date),
        })
        .collect())
}
