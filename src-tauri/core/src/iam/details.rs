//! The account's authorization details, read once per connection and shared
//! ([`crate::aws::account_read`]): GetAccountAuthorizationDetails in four independent
//! streams (users and groups, roles, the account's policies, AWS's policies), each paged at
//! AWS's largest page, read side by side, each waited for only by the screens that need it.

use crate::aws::account_read::Part;
use crate::aws::connection::Connection;
use crate::error::Result;
use crate::vocab::Tag;
use aws_sdk_iam::types::{
    AttachedPolicy, EntityType, GroupDetail, ManagedPolicyDetail, PolicyDetail, RoleDetail, UserDetail,
};
use std::sync::Arc;

/// Users and groups with their policies, tags and memberships.
#[derive(Debug, Default)]
pub struct Principals {
    pub users: Vec<UserDetail>,
    pub groups: Vec<GroupDetail>,
}

/// A part of the details and the calls made for it by this request (0 when it was kept).
pub type Read<T> = Result<(Arc<T>, u32)>;

pub async fn principals(conn: &Connection) -> Read<Principals> {
    conn.read()
        .get(Part::Principals, || async {
            let (pages, calls) = pages(conn, &[EntityType::User, EntityType::Group]).await?;
            let mut p = Principals::default();
            for page in pages {
                p.users.extend(page.user_detail_list.unwrap_or_default());
                p.groups.extend(page.group_detail_list.unwrap_or_default());
            }
            Ok((p, calls))
        })
        .await
}

pub async fn roles(conn: &Connection) -> Read<Vec<RoleDetail>> {
    conn.read()
        .get(Part::Roles, || async {
            let (pages, calls) = pages(conn, &[EntityType::Role]).await?;
            Ok((pages.into_iter().flat_map(|p| p.role_detail_list.unwrap_or_default()).collect(), calls))
        })
        .await
}

/// The account's own managed policies, every version kept (the policies screen compares them).
pub async fn local_policies(conn: &Connection) -> Read<Vec<ManagedPolicyDetail>> {
    conn.read().get(Part::LocalPolicies, || policies(conn, EntityType::LocalManagedPolicy)).await
}

/// AWS's managed policies with their default version's document only: the others are never
/// shown from here, and they are most of the 7–10 MB this part weighs.
pub async fn aws_policies(conn: &Connection) -> Read<Vec<ManagedPolicyDetail>> {
    conn.read()
        .get(Part::AwsPolicies, || async {
            let (mut list, calls) = policies(conn, EntityType::AwsManagedPolicy).await?;
            for p in &mut list {
                let default = p.default_version_id.clone();
                if let Some(versions) = p.policy_version_list.as_mut() {
                    versions.retain(|v| v.is_default_version || v.version_id == default);
                    versions.shrink_to_fit();
                }
            }
            list.shrink_to_fit();
            Ok((list, calls))
        })
        .await
}

async fn policies(conn: &Connection, scope: EntityType) -> Result<(Vec<ManagedPolicyDetail>, u32)> {
    let (pages, calls) = pages(conn, &[scope]).await?;
    Ok((pages.into_iter().flat_map(|p| p.policies.unwrap_or_default()).collect(), calls))
}

/// The ARNs of an entity's attached managed policies.
pub fn attached(list: &Option<Vec<AttachedPolicy>>) -> Vec<String> {
    list.iter().flatten().filter_map(|p| p.policy_arn.clone()).collect()
}

/// An entity's inline policies: name and (URL-encoded) document.
pub fn inline(list: &Option<Vec<PolicyDetail>>) -> impl Iterator<Item = (String, String)> + '_ {
    list.iter()
        .flatten()
        .map(|p| (p.policy_name.clone().unwrap_or_default(), p.policy_document.clone().unwrap_or_default()))
}

pub fn tags(list: &Option<Vec<aws_sdk_iam::types::Tag>>) -> Vec<Tag> {
    list.iter().flatten().map(|t| Tag { key: t.key.clone(), value: t.value.clone() }).collect()
}

type Page = aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput;

/// Every page of GetAccountAuthorizationDetails for `filters`, and how many there were.
async fn pages(conn: &Connection, filters: &[EntityType]) -> Result<(Vec<Page>, u32)> {
    let mut request = conn.iam.get_account_authorization_details().max_items(crate::aws::PAGE);
    for f in filters {
        request = request.filter(f.clone());
    }
    let mut stream = request.into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = stream.next().await {
        out.push(page.map_err(|e| conn.error(e))?);
    }
    let calls = u32::try_from(out.len()).unwrap_or(u32::MAX);
    Ok((out, calls))
}
