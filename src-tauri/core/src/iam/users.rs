//! IAM users: the add-user form and its creation, detail, and table row.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::iam::groups;
use crate::iam::inventory::{ConsoleAccess, KeySummary, UserRow};
use crate::iam::principals::{self, sdk_tags};
use crate::rules::{self, NameKind};
use crate::vocab::{rfc3339, Changed, Entity, How, Partial, Principal, Tag};
use futures_util::future::join_all;
use serde::Serialize;

/// The "Add user" form. Groups listed in `new_groups` are created on the spot (at `/`).
#[derive(Debug, Clone, Default, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", default)]
pub struct NewUser {
    pub name: String,
    pub path: String,
    pub tags: Vec<Tag>,
    pub groups: Vec<String>,
    pub new_groups: Vec<String>,
    pub policies: Vec<String>,
    /// Copy this user's groups and directly attached policies too.
    pub copy_from: Option<String>,
}

/// A rule broken by one field of a form, for the UI to show at that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl NewUser {
    /// Every rule that can be checked without AWS, by field: `name`, `path`, `tags`,
    /// `groups`, `policies`, `copyFrom`.
    pub fn field_errors(&self) -> Vec<FieldError> {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        let checks: [(&str, Result<()>); 6] = [
            ("name", rules::name(NameKind::User, &self.name)),
            ("path", rules::path(path)),
            ("tags", rules::tags(self.tags.iter().map(|t| (t.key.as_str(), t.value.as_str())))),
            (
                "groups",
                self.groups
                    .iter()
                    .chain(&self.new_groups)
                    .try_for_each(|g| rules::name(NameKind::Group, g))
                    .and_then(|_| rules::group_count(self.groups.len() + self.new_groups.len())),
            ),
            ("policies", self.policies.iter().try_for_each(|arn| rules::policy_arn(arn))),
            ("copyFrom", self.copy_from.as_deref().map_or(Ok(()), |u| rules::name(NameKind::User, u))),
        ];
        checks
            .into_iter()
            .filter_map(|(field, r)| r.err().map(|e| FieldError { field: field.into(), message: e.to_string() }))
            .collect()
    }

    /// The same rules as [`NewUser::field_errors`], as the first rule broken: the form and
    /// the create call can never disagree on what is valid.
    pub fn validate(&self) -> Result<()> {
        match self.field_errors().into_iter().next() {
            Some(e) => Err(Error::InvalidInput(e.message)),
            None => Ok(()),
        }
    }
}

/// Creates the new groups, the user, then its memberships and policies. If a step fails
/// after others worked, the error keeps its own code and says what was done, so nothing is
/// silently half-made.
pub async fn create_user(conn: &Connection, spec: &NewUser) -> Result<Changed, Partial> {
    spec.validate()?;
    let mut member_of: Vec<String> = spec.groups.iter().chain(&spec.new_groups).cloned().collect();
    let mut policies = spec.policies.clone();
    if let Some(source) = &spec.copy_from {
        let (g, p) = tokio::join!(async { items!(conn, conn.iam.list_groups_for_user().user_name(source)) }, async {
            items!(conn, conn.iam.list_attached_user_policies().user_name(source))
        },);
        member_of.extend(g?.into_iter().map(|g| g.group_name));
        policies.extend(p?.into_iter().filter_map(|p| p.policy_arn));
    }
    member_of.sort();
    member_of.dedup();
    policies.sort();
    policies.dedup();
    rules::group_count(member_of.len())?;
    rules::managed_policy_count(policies.len())?;

    let mut done: Vec<String> = Vec::new();
    let mut changed = Changed::none();
    let partial = |done: &[String], changed: &Changed, e: Error| match done {
        [] => Partial::from(e),
        _ => Partial::new(e.with_context(&format!("after this was done: {}.", done.join(", "))), changed.clone()),
    };
    for g in &spec.new_groups {
        let step = groups::create_group(conn, g, "/").await.map_err(|e| partial(&done, &changed, e))?;
        changed.extend(step);
        done.push(format!("created group {g}"));
    }
    let path = if spec.path.is_empty() { "/" } else { spec.path.as_str() };
    let tags = (!spec.tags.is_empty()).then(|| sdk_tags(&spec.tags)).transpose()?;
    let created = call!(conn, conn.iam.create_user().user_name(&spec.name).path(path).set_tags(tags));
    created.map_err(|e| partial(&done, &changed, e))?;
    changed.push(Entity::user(&spec.name), How::Created);
    done.push(format!("created user {}", spec.name));
    for g in &member_of {
        let step = groups::add_member(conn, g, &spec.name).await.map_err(|e| partial(&done, &changed, e))?;
        changed.extend(step);
        done.push(format!("added to {g}"));
    }
    let p = Principal::user(&spec.name);
    for arn in &policies {
        let step = principals::attach_policy(conn, &p, arn).await.map_err(|e| partial(&done, &changed, e))?;
        changed.extend(step);
        done.push(format!("attached {arn}"));
    }
    Ok(changed)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccessKeyInfo {
    pub id: String,
    pub status: String,
    pub created: String,
    pub last_used: Option<String>,
    pub last_used_service: Option<String>,
    pub last_used_region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LoginProfileInfo {
    pub created: String,
    pub reset_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MfaDeviceInfo {
    pub serial: String,
    pub enabled: String,
}

/// Policies a user gets through one of its groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupPolicies {
    pub group: String,
    pub attached: Vec<String>,
    pub inline: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UserDetail {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub user_id: String,
    pub created: String,
    pub tags: Vec<Tag>,
    pub login_profile: Option<LoginProfileInfo>,
    pub access_keys: Vec<AccessKeyInfo>,
    pub groups: Vec<String>,
    pub attached_policies: Vec<String>,
    pub inline_policies: Vec<String>,
    pub mfa_devices: Vec<MfaDeviceInfo>,
    pub via_groups: Vec<GroupPolicies>,
    pub permissions_boundary: Option<String>,
}

/// One user in full. Per-entity calls, made concurrently.
pub async fn user_detail(conn: &Connection, name: &str) -> Result<UserDetail> {
    rules::name(NameKind::User, name)?;
    let iam = &conn.iam;
    let (user, login, keys, groups, attached, inline, mfa, tags) = tokio::join!(
        async { iam.get_user().user_name(name).send().await.map_err(|e| conn.error(e)) },
        async { iam.get_login_profile().user_name(name).send().await.map_err(|e| conn.error(e)) },
        async { items!(conn, iam.list_access_keys().user_name(name)) },
        async { items!(conn, iam.list_groups_for_user().user_name(name)) },
        async { items!(conn, iam.list_attached_user_policies().user_name(name)) },
        async { items!(conn, iam.list_user_policies().user_name(name)) },
        async { items!(conn, iam.list_mfa_devices().user_name(name)) },
        async { items!(conn, iam.list_user_tags().user_name(name)) },
    );
    let user = user?.user.ok_or_else(|| Error::NoSuchEntity(format!("The user with name {name} cannot be found.")))?;
    let login_profile = match login {
        Ok(out) => out
            .login_profile
            .map(|l| LoginProfileInfo { created: rfc3339(&l.create_date), reset_required: l.password_reset_required }),
        Err(Error::NoSuchEntity(_)) => None,
        Err(e) => return Err(e),
    };
    let keys = keys?;
    let groups: Vec<String> = groups?.into_iter().map(|g| g.group_name).collect();
    let last_used = join_all(keys.iter().filter_map(|k| k.access_key_id.clone()).map(|id| async move {
        iam.get_access_key_last_used().access_key_id(&id).send().await.ok().and_then(|o| o.access_key_last_used)
    }))
    .await;
    let access_keys = keys
        .into_iter()
        .zip(last_used)
        .map(|(k, used)| AccessKeyInfo {
            id: k.access_key_id.unwrap_or_default(),
            status: k.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
            created: k.create_date.as_ref().map(rfc3339).unwrap_or_default(),
            last_used: used.as_ref().and_then(|u| u.last_used_date.as_ref()).map(rfc3339),
            last_used_service: used.as_ref().map(|u| u.service_name.clone()).filter(|s| s != "N/A"),
            last_used_region: used.as_ref().map(|u| u.region.clone()).filter(|s| s != "N/A"),
        })
        .collect();
    let via_groups = join_all(groups.iter().map(|g| async move {
        let (a, i) = tokio::join!(async { items!(conn, iam.list_attached_group_policies().group_name(g)) }, async {
            items!(conn, iam.list_group_policies().group_name(g))
        },);
        Ok::<_, Error>(GroupPolicies {
            group: g.clone(),
            attached: a?.into_iter().filter_map(|p| p.policy_arn).collect(),
            inline: i?,
        })
    }))
    .await
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    Ok(UserDetail {
        name: user.user_name,
        path: user.path,
        arn: user.arn,
        user_id: user.user_id,
        created: rfc3339(&user.create_date),
        tags: tags?.into_iter().map(|t| Tag { key: t.key, value: t.value }).collect(),
        login_profile,
        access_keys,
        groups,
        attached_policies: attached?.into_iter().filter_map(|p| p.policy_arn).collect(),
        inline_policies: inline?,
        mfa_devices: mfa?
            .into_iter()
            .map(|d| MfaDeviceInfo { serial: d.serial_number, enabled: rfc3339(&d.enable_date) })
            .collect(),
        via_groups,
        permissions_boundary: user.permissions_boundary.and_then(|b| b.permissions_boundary_arn),
    })
}

/// One user's row again, after a change to that user: per-user calls instead of a whole
/// reload. The last console sign-in is only in the credential report: it stays unknown
/// here and the UI keeps the value it had. `None` when the user no longer exists.
pub async fn user_row(conn: &Connection, name: &str) -> Result<Option<UserRow>> {
    let d = match user_detail(conn, name).await {
        Ok(d) => d,
        Err(Error::NoSuchEntity(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut keys_oldest: Option<String> = None;
    for k in &d.access_keys {
        if keys_oldest.as_ref().is_none_or(|o| k.created < *o) {
            keys_oldest = Some(k.created.clone());
        }
    }
    Ok(Some(UserRow {
        console: Some(ConsoleAccess { enabled: d.login_profile.is_some(), last_used: None }),
        mfa: Some(!d.mfa_devices.is_empty()),
        keys: Some(KeySummary {
            count: d.access_keys.len() as u32,
            active: d.access_keys.iter().filter(|k| k.status == "Active").count() as u32,
            oldest: keys_oldest,
            last_used: d.access_keys.iter().filter_map(|k| k.last_used.clone()).max(),
        }),
        name: d.name,
        path: d.path,
        arn: d.arn,
        user_id: d.user_id,
        created: d.created,
        groups: d.groups,
        attached_policies: d.attached_policies,
        inline_policies: d.inline_policies,
        tags: d.tags,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_errors_name_their_field() {
        let ok = NewUser { name: "ana".into(), ..NewUser::default() };
        assert!(ok.field_errors().is_empty());
        let bad = NewUser {
            name: "ana silva".into(),
            path: "eng".into(),
            tags: vec![Tag { key: "aws:x".into(), value: "1".into() }],
            groups: vec!["dev ops".into()],
            ..NewUser::default()
        };
        let fields: Vec<String> = bad.field_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "path", "tags", "groups"]);
        let err = bad.validate().unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::InvalidInput);
        assert_eq!(err.to_string(), bad.field_errors()[0].message, "the first field error");

        // Eleven groups break AWS's quota: the form and the create call both say so.
        let crowded = NewUser {
            name: "ana".into(),
            groups: (0..6).map(|i| format!("g{i}")).collect(),
            new_groups: (6..11).map(|i| format!("g{i}")).collect(),
            ..NewUser::default()
        };
        let fields = crowded.field_errors();
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].field, "groups");
        assert!(fields[0].message.contains("at most 10 groups"), "{}", fields[0].message);
        let err = crowded.validate().unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::InvalidInput);
        assert!(err.to_string().contains("at most 10 groups"), "{err}");
    }
}
