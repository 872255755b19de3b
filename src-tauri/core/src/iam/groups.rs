//! IAM groups: create, membership, detail and table row. Renaming is `principals::rename`,
//! shared with users.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::iam::inventory::GroupRow;
use crate::rules::{self, NameKind};
use crate::vocab::{rfc3339, Changed, Entity, Partial};

pub async fn create_group(conn: &Connection, name: &str, path: &str) -> Result<Changed> {
    rules::name(NameKind::Group, name)?;
    let path = if path.is_empty() { "/" } else { path };
    rules::path(path)?;
    call!(conn, conn.iam.create_group().group_name(name).path(path))?;
    Ok(Changed::created(Entity::group(name)))
}

/// A membership change: the group's members and the user's groups.
fn membership(group: &str, user: &str) -> Changed {
    Changed::updated(Entity::group(group)).and(Changed::updated(Entity::user(user)))
}

fn check_membership(group: &str, user: &str) -> Result<()> {
    rules::name(NameKind::Group, group)?;
    rules::name(NameKind::User, user)
}

pub async fn add_member(conn: &Connection, group: &str, user: &str) -> Result<Changed> {
    check_membership(group, user)?;
    call!(conn, conn.iam.add_user_to_group().group_name(group).user_name(user))?;
    Ok(membership(group, user))
}

pub async fn remove_member(conn: &Connection, group: &str, user: &str) -> Result<Changed> {
    check_membership(group, user)?;
    call!(conn, conn.iam.remove_user_from_group().group_name(group).user_name(user))?;
    Ok(membership(group, user))
}

/// Adds or removes several users at once; stops at the first failure and says which
/// users were already changed.
pub async fn set_membership(
    conn: &Connection,
    group: &str,
    users: &[String],
    member: bool,
) -> Result<Changed, Partial> {
    // All names first: a bad third name must not leave the first two changed.
    users.iter().try_for_each(|u| check_membership(group, u))?;
    let mut done: Vec<&str> = Vec::new();
    let mut changed = Changed::none();
    for u in users {
        let r = if member { add_member(conn, group, u).await } else { remove_member(conn, group, u).await };
        match r {
            Ok(c) => changed = changed.and(c),
            Err(e) if done.is_empty() => return Err(e.into()),
            Err(e) => {
                let verb = if member { "added" } else { "removed" };
                let e = e.with_context(&format!("{} already {verb}: {}", done.len(), done.join(", ")));
                return Err(Partial::new(e, changed));
            }
        }
        done.push(u);
    }
    Ok(changed)
}

/// A group in full is what the inventory shows of it: members and policies are all there is.
pub type GroupDetail = GroupRow;

pub async fn group_detail(conn: &Connection, name: &str) -> Result<GroupDetail> {
    rules::name(NameKind::Group, name)?;
    let iam = &conn.iam;
    let (pages, attached, inline) = tokio::join!(
        async {
            iam.get_group()
                .group_name(name)
                .max_items(crate::aws::PAGE)
                .into_paginator()
                .send()
                .try_collect()
                .await
                .map_err(|e| conn.error(e))
        },
        async { items!(conn, iam.list_attached_group_policies().group_name(name)) },
        async { items!(conn, iam.list_group_policies().group_name(name)) },
    );
    let pages = pages?;
    let group = pages
        .first()
        .and_then(|p| p.group.clone())
        .ok_or_else(|| Error::NoSuchEntity(format!("The group with name {name} cannot be found.")))?;
    Ok(GroupDetail {
        name: group.group_name,
        path: group.path,
        arn: group.arn,
        group_id: group.group_id,
        created: rfc3339(&group.create_date),
        members: pages.into_iter().flat_map(|p| p.users).map(|u| u.user_name).collect(),
        attached_policies: attached?.into_iter().filter_map(|p| p.policy_arn).collect(),
        inline_policies: inline?,
    })
}

/// The group's row again, after a change; `None` when the group no longer exists.
pub async fn group_row(conn: &Connection, name: &str) -> Result<Option<GroupRow>> {
    match group_detail(conn, name).await {
        Ok(d) => Ok(Some(d)),
        Err(Error::NoSuchEntity(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
