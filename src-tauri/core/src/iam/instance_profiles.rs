//! Instance profiles: how an EC2 instance carries a role.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::rules::{self, NameKind};
use crate::vocab::{rfc3339, Changed, Done, Entity, Partial};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InstanceProfileRow {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub created: String,
    /// At most one on AWS.
    pub roles: Vec<String>,
}

fn row(p: aws_sdk_iam::types::InstanceProfile) -> InstanceProfileRow {
    InstanceProfileRow {
        name: p.instance_profile_name,
        path: p.path,
        arn: p.arn,
        created: rfc3339(&p.create_date),
        roles: p.roles.into_iter().map(|r| r.role_name).collect(),
    }
}

/// Instance profile names follow the same rule as group names: `[\w+=,.@-]+`, 1–128
/// characters. The message names what it is about.
fn check_name(name: &str) -> Result<()> {
    rules::name(NameKind::Group, name).map_err(|e| match e {
        Error::InvalidInput(m) => Error::InvalidInput(m.replace("group name", "instance profile name")),
        other => other,
    })
}

pub async fn list_instance_profiles(conn: &Connection) -> Result<Vec<InstanceProfileRow>> {
    let items: Vec<aws_sdk_iam::types::InstanceProfile> = items!(conn, conn.iam.list_instance_profiles())?;
    let mut out: Vec<InstanceProfileRow> = items.into_iter().map(row).collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

async fn get(conn: &Connection, name: &str) -> Result<InstanceProfileRow> {
    let out = conn.iam.get_instance_profile().instance_profile_name(name).send().await.map_err(|e| conn.error(e))?;
    out.instance_profile
        .map(row)
        .ok_or_else(|| Error::NoSuchEntity(format!("The instance profile {name} cannot be found.")))
}

/// Creates an instance profile and, when `role` is given, puts the role in it.
pub async fn create(
    conn: &Connection,
    name: &str,
    path: &str,
    role: Option<&str>,
) -> Result<Done<InstanceProfileRow>, Partial> {
    check_name(name)?;
    let path = if path.is_empty() { "/" } else { path };
    rules::path(path)?;
    if let Some(r) = role {
        rules::name(NameKind::Role, r)?;
    }
    call!(conn, conn.iam.create_instance_profile().instance_profile_name(name).path(path))?;
    let mut changed = Changed::created(Entity::InstanceProfile { name: name.into() });
    if let Some(r) = role {
        let added = add_role(conn, name, r).await.map_err(|e| {
            let e = e.with_context(&format!("instance profile {name} was created without its role"));
            Partial::new(e, changed.clone())
        })?;
        changed = changed.and(added);
    }
    let row = get(conn, name).await.map_err(|e| Partial::new(e, changed.clone()))?;
    Ok(Done::new(row, changed))
}

pub async fn add_role(conn: &Connection, instance_profile: &str, role: &str) -> Result<Changed> {
    check_name(instance_profile)?;
    rules::name(NameKind::Role, role)?;
    call!(conn, conn.iam.add_role_to_instance_profile().instance_profile_name(instance_profile).role_name(role))?;
    Ok(Changed::updated(Entity::InstanceProfile { name: instance_profile.into() })
        .and(Changed::updated(Entity::role(role))))
}

pub async fn remove_role(conn: &Connection, instance_profile: &str, role: &str) -> Result<Changed> {
    check_name(instance_profile)?;
    rules::name(NameKind::Role, role)?;
    call!(conn, conn.iam.remove_role_from_instance_profile().instance_profile_name(instance_profile).role_name(role))?;
    Ok(Changed::updated(Entity::InstanceProfile { name: instance_profile.into() })
        .and(Changed::updated(Entity::role(role))))
}

/// Removes its role, if any, then deletes it (AWS refuses while it holds a role).
pub async fn delete(conn: &Connection, instance_profile: &str) -> Result<Changed, Partial> {
    check_name(instance_profile)?;
    let profile = match get(conn, instance_profile).await {
        Ok(p) => p,
        Err(Error::NoSuchEntity(_)) => return Ok(Changed::none()),
        Err(e) => return Err(e.into()),
    };
    let mut changed = Changed::none();
    for role in &profile.roles {
        match remove_role(conn, instance_profile, role).await {
            Ok(c) => changed = changed.and(c),
            Err(Error::NoSuchEntity(_)) => {}
            Err(e) => return Err(Partial::new(e, changed)),
        }
    }
    match call!(conn, conn.iam.delete_instance_profile().instance_profile_name(instance_profile)) {
        Ok(()) | Err(Error::NoSuchEntity(_)) => {
            Ok(changed.and(Changed::deleted(Entity::InstanceProfile { name: instance_profile.into() })))
        }
        Err(e) if profile.roles.is_empty() => Err(e.into()),
        Err(e) => {
            let e = e.with_context(&format!("its role {} was already removed", profile.roles.join(", ")));
            Err(Partial::new(e, changed))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_name_is_called_an_instance_profile_name() {
        let e = check_name("web server").unwrap_err();
        assert!(e.to_string().starts_with("The instance profile name contains"), "{e}");
        assert!(check_name("web-server").is_ok());
    }
}
