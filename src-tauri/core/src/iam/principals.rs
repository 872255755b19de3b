//! What users, groups and roles share: tags, attached managed policies and inline
//! policies. One function per operation serves every kind; only the SDK call differs.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::policy::validate::PolicyKind;
use crate::policy::{self, document};
use crate::rules::{self, NameKind};
use crate::secrets::handoff::Handoffs;
use crate::secrets::SecretStore;
use crate::vocab::{Changed, Entity, How, Partial, Principal, PrincipalKind, Tag};

fn sdk_tag(t: &Tag) -> Result<aws_sdk_iam::types::Tag> {
    aws_sdk_iam::types::Tag::builder().key(&t.key).value(&t.value).build().map_err(|e| Error::Internal(e.to_string()))
}

pub(crate) fn sdk_tags(tags: &[Tag]) -> Result<Vec<aws_sdk_iam::types::Tag>> {
    tags.iter().map(sdk_tag).collect()
}

/// The principal's name, by its kind's rules: every function here takes one from the UI.
pub fn check_principal(p: &Principal) -> Result<()> {
    let kind = match p.kind {
        PrincipalKind::User => NameKind::User,
        PrincipalKind::Group => NameKind::Group,
        PrincipalKind::Role => NameKind::Role,
    };
    rules::name(kind, &p.name)
}

fn no_group_tags() -> Error {
    Error::InvalidInput("IAM groups cannot carry tags; tag the users or roles instead.".into())
}

/// Adds or overwrites tags. `existing` is the principal's current tag set, for the
/// 50-tag and duplicate checks over the result.
pub async fn tag(conn: &Connection, p: &Principal, existing: &[Tag], tags: &[Tag]) -> Result<Changed> {
    check_principal(p)?;
    let replaced: std::collections::HashSet<&str> = tags.iter().map(|t| t.key.as_str()).collect();
    let mut result: Vec<Tag> = existing.iter().filter(|e| !replaced.contains(e.key.as_str())).cloned().collect();
    result.extend(tags.iter().cloned());
    rules::tags(result.iter().map(|t| (t.key.as_str(), t.value.as_str())))?;
    let sdk = sdk_tags(tags)?;
    match p.kind {
        PrincipalKind::User => call!(conn, conn.iam.tag_user().user_name(&p.name).set_tags(Some(sdk))),
        PrincipalKind::Role => call!(conn, conn.iam.tag_role().role_name(&p.name).set_tags(Some(sdk))),
        PrincipalKind::Group => Err(no_group_tags()),
    }?;
    Ok(Changed::updated(Entity::principal(p)))
}

pub async fn untag(conn: &Connection, p: &Principal, keys: &[String]) -> Result<Changed> {
    check_principal(p)?;
    rules::untag_keys(keys)?;
    let keys = Some(keys.to_vec());
    match p.kind {
        PrincipalKind::User => call!(conn, conn.iam.untag_user().user_name(&p.name).set_tag_keys(keys)),
        PrincipalKind::Role => call!(conn, conn.iam.untag_role().role_name(&p.name).set_tag_keys(keys)),
        PrincipalKind::Group => Err(no_group_tags()),
    }?;
    Ok(Changed::updated(Entity::principal(p)))
}

pub async fn attach_policy(conn: &Connection, p: &Principal, arn: &str) -> Result<Changed> {
    check_principal(p)?;
    rules::policy_arn(arn)?;
    match p.kind {
        PrincipalKind::User => call!(conn, conn.iam.attach_user_policy().user_name(&p.name).policy_arn(arn)),
        PrincipalKind::Group => call!(conn, conn.iam.attach_group_policy().group_name(&p.name).policy_arn(arn)),
        PrincipalKind::Role => call!(conn, conn.iam.attach_role_policy().role_name(&p.name).policy_arn(arn)),
    }?;
    Ok(Changed::updated(Entity::principal(p)).and(Changed::updated(Entity::policy(arn))))
}

pub async fn detach_policy(conn: &Connection, p: &Principal, arn: &str) -> Result<Changed> {
    check_principal(p)?;
    rules::policy_arn(arn)?;
    match p.kind {
        PrincipalKind::User => call!(conn, conn.iam.detach_user_policy().user_name(&p.name).policy_arn(arn)),
        PrincipalKind::Group => call!(conn, conn.iam.detach_group_policy().group_name(&p.name).policy_arn(arn)),
        PrincipalKind::Role => call!(conn, conn.iam.detach_role_policy().role_name(&p.name).policy_arn(arn)),
    }?;
    Ok(Changed::updated(Entity::principal(p)).and(Changed::updated(Entity::policy(arn))))
}

/// Renames and/or moves a user or group. On AWS everything else (tags, keys, members,
/// policies) stays with it. IAM has no way to rename a role.
pub async fn rename(
    conn: &Connection,
    p: &Principal,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<Changed> {
    check_principal(p)?;
    let kind = match p.kind {
        PrincipalKind::User => NameKind::User,
        PrincipalKind::Group => NameKind::Group,
        PrincipalKind::Role => {
            return Err(Error::InvalidInput("IAM cannot rename a role; create a new one instead.".into()))
        }
    };
    if let Some(n) = new_name {
        rules::name(kind, n)?;
    }
    if let Some(path) = new_path {
        rules::path(path)?;
    }
    let (name, path) = (new_name.map(str::to_string), new_path.map(str::to_string));
    match p.kind {
        PrincipalKind::User => {
            call!(conn, conn.iam.update_user().user_name(&p.name).set_new_user_name(name).set_new_path(path))
        }
        _ => call!(conn, conn.iam.update_group().group_name(&p.name).set_new_group_name(name).set_new_path(path)),
    }?;
    Ok(match new_name.filter(|n| *n != p.name) {
        Some(to) => Changed::one(Entity::principal(p), How::Renamed { to: to.into() }),
        None => Changed::updated(Entity::principal(p)),
    })
}

/// `rename`, and when a user's name changes, its keychain entries (pending handoffs,
/// unconfirmed passwords, notes of key creations) follow it: left under the old name, a new
/// user given that name would have them listed, replaced or discarded as its own.
pub async fn rename_with_handoffs<S: SecretStore + 'static>(
    conn: &Connection,
    handoffs: &Handoffs<S>,
    p: &Principal,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<Changed, Partial> {
    let renamed = rename(conn, p, new_name, new_path).await?;
    let Some(to) = new_name.filter(|n| p.kind == PrincipalKind::User && *n != p.name) else { return Ok(renamed) };
    match handoffs.move_user(&conn.identity.account, &p.name, to).await {
        Ok(_) => Ok(renamed.and(Changed::updated(Entity::Keychain))),
        Err(e) => Err(Partial::new(
            e.with_context(&format!(
                "{} is now {to} at AWS, but its pending handoffs are still filed under {} in the keychain",
                p.name, p.name
            )),
            renamed,
        )),
    }
}

pub async fn put_inline_policy(conn: &Connection, p: &Principal, name: &str, document: &str) -> Result<Changed> {
    check_principal(p)?;
    rules::name(NameKind::Policy, name)?;
    policy::validate::check(document, inline_kind(p.kind))?;
    match p.kind {
        PrincipalKind::User => {
            call!(conn, conn.iam.put_user_policy().user_name(&p.name).policy_name(name).policy_document(document))
        }
        PrincipalKind::Group => {
            call!(conn, conn.iam.put_group_policy().group_name(&p.name).policy_name(name).policy_document(document))
        }
        PrincipalKind::Role => {
            call!(conn, conn.iam.put_role_policy().role_name(&p.name).policy_name(name).policy_document(document))
        }
    }?;
    Ok(Changed::updated(Entity::principal(p)))
}

pub async fn delete_inline_policy(conn: &Connection, p: &Principal, name: &str) -> Result<Changed> {
    check_principal(p)?;
    rules::name(NameKind::Policy, name)?;
    match p.kind {
        PrincipalKind::User => call!(conn, conn.iam.delete_user_policy().user_name(&p.name).policy_name(name)),
        PrincipalKind::Group => call!(conn, conn.iam.delete_group_policy().group_name(&p.name).policy_name(name)),
        PrincipalKind::Role => call!(conn, conn.iam.delete_role_policy().role_name(&p.name).policy_name(name)),
    }?;
    Ok(Changed::updated(Entity::principal(p)))
}

/// An inline policy's document, pretty-printed. IAM returns it URL-encoded (RFC 3986).
pub async fn get_inline_policy(conn: &Connection, p: &Principal, name: &str) -> Result<String> {
    check_principal(p)?;
    rules::name(NameKind::Policy, name)?;
    let iam = &conn.iam;
    let raw = match p.kind {
        PrincipalKind::User => iam
            .get_user_policy()
            .user_name(&p.name)
            .policy_name(name)
            .send()
            .await
            .map(|o| o.policy_document)
            .map_err(|e| conn.error(e)),
        PrincipalKind::Group => iam
            .get_group_policy()
            .group_name(&p.name)
            .policy_name(name)
            .send()
            .await
            .map(|o| o.policy_document)
            .map_err(|e| conn.error(e)),
        PrincipalKind::Role => iam
            .get_role_policy()
            .role_name(&p.name)
            .policy_name(name)
            .send()
            .await
            .map(|o| o.policy_document)
            .map_err(|e| conn.error(e)),
    }?;
    Ok(document::decode(&raw))
}

/// The kind of inline policy a principal carries, for the validator's size limit.
pub fn inline_kind(kind: PrincipalKind) -> PolicyKind {
    match kind {
        PrincipalKind::User => PolicyKind::UserInline,
        PrincipalKind::Group => PolicyKind::GroupInline,
        PrincipalKind::Role => PolicyKind::RoleInline,
    }
}

fn no_group_boundary() -> Error {
    Error::InvalidInput("IAM groups cannot have a permissions boundary; set one on the users or roles instead.".into())
}

/// Sets the permissions boundary of a user or role (groups have none).
pub async fn set_permissions_boundary(conn: &Connection, p: &Principal, arn: &str) -> Result<Changed> {
    check_principal(p)?;
    rules::policy_arn(arn)?;
    match p.kind {
        PrincipalKind::User => {
            call!(conn, conn.iam.put_user_permissions_boundary().user_name(&p.name).permissions_boundary(arn))
        }
        PrincipalKind::Role => {
            call!(conn, conn.iam.put_role_permissions_boundary().role_name(&p.name).permissions_boundary(arn))
        }
        PrincipalKind::Group => Err(no_group_boundary()),
    }?;
    Ok(Changed::updated(Entity::principal(p)).and(Changed::updated(Entity::policy(arn))))
}

pub async fn remove_permissions_boundary(conn: &Connection, p: &Principal) -> Result<Changed> {
    check_principal(p)?;
    match p.kind {
        PrincipalKind::User => call!(conn, conn.iam.delete_user_permissions_boundary().user_name(&p.name)),
        PrincipalKind::Role => call!(conn, conn.iam.delete_role_permissions_boundary().role_name(&p.name)),
        PrincipalKind::Group => Err(no_group_boundary()),
    }?;
    Ok(Changed::updated(Entity::principal(p)))
}
