//! The account itself: its alias, its password policy (with AWS's default when it has none
//! and a CIS preset), and its summary of entities against their quotas.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::rules;
use crate::vocab::{Changed, Entity};
use serde::{Deserialize, Serialize};

/// The account's alias, if it has one (an account has at most one).
pub async fn get_alias(conn: &Connection) -> Result<Option<String>> {
    let out = conn.iam.list_account_aliases().max_items(crate::aws::PAGE).send().await.map_err(|e| conn.error(e))?;
    Ok(out.account_aliases.into_iter().next())
}

/// Sets or changes the alias. An account has one alias, and the AWS Sign-In User Guide
/// says a new alias overwrites the previous one, so the alias is created first (a failure,
/// such as an alias another account holds, leaves the old one in place); should the old
/// alias still be listed afterwards, it is deleted (moto, like AWS, replaces it). moto
/// validates nothing: the alias is checked here before any call.
pub async fn set_alias(conn: &Connection, alias: &str) -> Result<Changed> {
    rules::account_alias(alias)?;
    let before = get_alias(conn).await?;
    if before.as_deref() == Some(alias) {
        return Ok(Changed::none());
    }
    call!(conn, conn.iam.create_account_alias().account_alias(alias))?;
    let out = conn.iam.list_account_aliases().max_items(crate::aws::PAGE).send().await.map_err(|e| conn.error(e))?;
    for old in out.account_aliases.into_iter().filter(|a| a != alias) {
        call!(conn, conn.iam.delete_account_alias().account_alias(old))?;
    }
    Ok(Changed::updated(Entity::AccountSettings))
}

/// Removes the alias; nothing to do when there is none.
pub async fn remove_alias(conn: &Connection) -> Result<Changed> {
    match get_alias(conn).await? {
        Some(current) => call!(conn, conn.iam.delete_account_alias().account_alias(current))
            .map(|()| Changed::updated(Entity::AccountSettings)),
        None => Ok(Changed::none()),
    }
}

/// Every field of an account password policy. `expire_passwords` is read-only: AWS sets it
/// when `max_password_age` is set. (Named apart from `credentials::passwords`'
/// `PasswordPolicy`, the rules a new password must meet, so the two types stay distinct in
/// the UI's bindings.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountPasswordPolicy {
    pub minimum_password_length: i32,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase_characters: bool,
    pub require_lowercase_characters: bool,
    pub allow_users_to_change_password: bool,
    /// Days a password is valid (1–1095); `None`: passwords never expire.
    pub max_password_age: Option<i32>,
    /// How many previous passwords cannot be reused (1–24); `None`: no restriction.
    pub password_reuse_prevention: Option<i32>,
    pub hard_expiry: bool,
    #[serde(default)]
    pub expire_passwords: bool,
}

impl AccountPasswordPolicy {
    /// AWS's default when no policy is set (IAM User Guide, "Set an account password
    /// policy for IAM users"): at least 8 characters, no expiry, no reuse restriction. AWS
    /// also requires at least three of the four character classes and a password
    /// different from the account's name and e-mail address; those rules have no field
    /// here, see [`DEFAULT_POLICY_NOTE`].
    pub fn aws_default() -> Self {
        AccountPasswordPolicy {
            minimum_password_length: 8,
            require_symbols: false,
            require_numbers: false,
            require_uppercase_characters: false,
            require_lowercase_characters: false,
            allow_users_to_change_password: false,
            max_password_age: None,
            password_reuse_prevention: None,
            hard_expiry: false,
            expire_passwords: false,
        }
    }
}

/// What AWS's default policy requires beyond its fields.
pub const DEFAULT_POLICY_NOTE: &str = "No password policy: AWS's default applies. Passwords need at least 8 \
     characters and at least three of uppercase letters, lowercase letters, digits and symbols, must differ \
     from the account's name and e-mail address, and never expire.";

/// The account's policy, or none, with AWS's default spelled out for the "none" case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PasswordPolicyState {
    pub policy: Option<AccountPasswordPolicy>,
    pub default: AccountPasswordPolicy,
    pub default_note: String,
}

/// The current policy; `None` when the account has none (NoSuchEntity).
pub async fn get_password_policy(conn: &Connection) -> Result<PasswordPolicyState> {
    let policy = match conn.iam.get_account_password_policy().send().await.map_err(|e| conn.error(e)) {
        Ok(out) => out.password_policy.map(|p| AccountPasswordPolicy {
            minimum_password_length: p.minimum_password_length.unwrap_or(6),
            require_symbols: p.require_symbols,
            require_numbers: p.require_numbers,
            require_uppercase_characters: p.require_uppercase_characters,
            require_lowercase_characters: p.require_lowercase_characters,
            allow_users_to_change_password: p.allow_users_to_change_password,
            max_password_age: p.max_password_age.filter(|&d| d > 0),
            password_reuse_prevention: p.password_reuse_prevention.filter(|&n| n > 0),
            hard_expiry: p.hard_expiry.unwrap_or(false),
            expire_passwords: p.expire_passwords,
        }),
        Err(Error::NoSuchEntity(_)) => None,
        Err(e) => return Err(e),
    };
    Ok(PasswordPolicyState {
        policy,
        default: AccountPasswordPolicy::aws_default(),
        default_note: DEFAULT_POLICY_NOTE.into(),
    })
}

/// AWS's ranges: minimum length 6–128, maximum age 1–1095 days, reuse prevention 1–24.
pub fn check_password_policy(p: &AccountPasswordPolicy) -> Result<()> {
    let bad = |m: String| Err(Error::InvalidInput(m));
    if !(6..=128).contains(&p.minimum_password_length) {
        return bad(format!("The minimum password length is {}; AWS allows 6 to 128.", p.minimum_password_length));
    }
    if let Some(d) = p.max_password_age.filter(|d| !(1..=1095).contains(d)) {
        return bad(format!("The maximum password age is {d} days; AWS allows 1 to 1095."));
    }
    if let Some(n) = p.password_reuse_prevention.filter(|n| !(1..=24).contains(n)) {
        return bad(format!("Password reuse prevention is {n}; AWS allows 1 to 24 previous passwords."));
    }
    Ok(())
}

/// Replaces the policy. UpdateAccountPasswordPolicy resets every omitted field to its
/// default, so every field is always sent (an absent age or reuse count is sent as
/// omitted, which is what "never expire" and "no restriction" are).
pub async fn update_password_policy(conn: &Connection, p: &AccountPasswordPolicy) -> Result<Changed> {
    check_password_policy(p)?;
    call!(
        conn,
        conn.iam
            .update_account_password_policy()
            .minimum_password_length(p.minimum_password_length)
            .require_symbols(p.require_symbols)
            .require_numbers(p.require_numbers)
            .require_uppercase_characters(p.require_uppercase_characters)
            .require_lowercase_characters(p.require_lowercase_characters)
            .allow_users_to_change_password(p.allow_users_to_change_password)
            .set_max_password_age(p.max_password_age)
            .set_password_reuse_prevention(p.password_reuse_prevention)
            .hard_expiry(p.hard_expiry)
    )?;
    Ok(Changed::updated(Entity::AccountSettings))
}

/// Deletes the policy: AWS's default applies again.
pub async fn delete_password_policy(conn: &Connection) -> Result<Changed> {
    call!(conn, conn.iam.delete_account_password_policy())?;
    Ok(Changed::updated(Entity::AccountSettings))
}

/// The CIS AWS Foundations Benchmark preset: CIS v1.4+ control 1.8 ("Ensure IAM password
/// policy requires minimum length of 14 or greater") and 1.9 ("Ensure IAM password policy
/// prevents password reuse", 24). Every other field keeps the current policy's value, or
/// AWS's default when there is none; a longer minimum already set is kept.
pub fn cis_preset(current: Option<&AccountPasswordPolicy>) -> AccountPasswordPolicy {
    let base = current.cloned().unwrap_or_else(AccountPasswordPolicy::aws_default);
    AccountPasswordPolicy {
        minimum_password_length: base.minimum_password_length.max(14),
        password_reuse_prevention: Some(24),
        ..base
    }
}

/// One field that differs between two policies, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PolicyFieldChange {
    /// The field's camelCase name, as in [`AccountPasswordPolicy`]'s JSON.
    pub field: String,
    pub before: String,
    pub after: String,
}

fn days(v: Option<i32>) -> String {
    v.map_or("never".into(), |d| d.to_string())
}

fn count(v: Option<i32>) -> String {
    v.map_or("none".into(), |n| n.to_string())
}

/// The editable fields that differ, in the form's order (`expirePasswords` follows
/// `maxPasswordAge` and is left out).
pub fn diff_password_policy(before: &AccountPasswordPolicy, after: &AccountPasswordPolicy) -> Vec<PolicyFieldChange> {
    let rows: [(&str, String, String); 9] = [
        (
            "minimumPasswordLength",
            before.minimum_password_length.to_string(),
            after.minimum_password_length.to_string(),
        ),
        ("requireSymbols", before.require_symbols.to_string(), after.require_symbols.to_string()),
        ("requireNumbers", before.require_numbers.to_string(), after.require_numbers.to_string()),
        (
            "requireUppercaseCharacters",
            before.require_uppercase_characters.to_string(),
            after.require_uppercase_characters.to_string(),
        ),
        (
            "requireLowercaseCharacters",
            before.require_lowercase_characters.to_string(),
            after.require_lowercase_characters.to_string(),
        ),
        (
            "allowUsersToChangePassword",
            before.allow_users_to_change_password.to_string(),
            after.allow_users_to_change_password.to_string(),
        ),
        ("maxPasswordAge", days(before.max_password_age), days(after.max_password_age)),
        ("passwordReusePrevention", count(before.password_reuse_prevention), count(after.password_reuse_prevention)),
        ("hardExpiry", before.hard_expiry.to_string(), after.hard_expiry.to_string()),
    ];
    rows.into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(field, before, after)| PolicyFieldChange { field: field.into(), before, after })
        .collect()
}

/// How many of something exist, against the account's quota for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct QuotaUse {
    pub used: i32,
    pub quota: i32,
}

/// GetAccountSummary, the figures the account page shows; `entries` is the whole map,
/// sorted by key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary {
    pub users: QuotaUse,
    pub groups: QuotaUse,
    pub roles: QuotaUse,
    /// Customer-managed policies.
    pub policies: QuotaUse,
    pub server_certificates: QuotaUse,
    /// MFA devices in use, against the MFA devices quota (AWS gives no separate one).
    pub mfa_devices_in_use: i32,
    pub mfa_devices: i32,
    pub policy_versions_in_use: QuotaUse,
    pub entries: Vec<(String, i32)>,
}

/// The account's summary.
pub async fn get_account_summary(conn: &Connection) -> Result<AccountSummary> {
    let out = conn.iam.get_account_summary().send().await.map_err(|e| conn.error(e))?;
    let mut entries: Vec<(String, i32)> =
        out.summary_map.unwrap_or_default().into_iter().map(|(k, v)| (k.as_str().to_string(), v)).collect();
    entries.sort();
    Ok(summary_from(entries))
}

fn summary_from(entries: Vec<(String, i32)>) -> AccountSummary {
    let get = |k: &str| entries.iter().find(|(n, _)| n == k).map_or(0, |(_, v)| *v);
    let quota = |used: &str, quota: &str| QuotaUse { used: get(used), quota: get(quota) };
    AccountSummary {
        users: quota("Users", "UsersQuota"),
        groups: quota("Groups", "GroupsQuota"),
        roles: quota("Roles", "RolesQuota"),
        policies: quota("Policies", "PoliciesQuota"),
        server_certificates: quota("ServerCertificates", "ServerCertificatesQuota"),
        mfa_devices_in_use: get("MFADevicesInUse"),
        mfa_devices: get("MFADevices"),
        policy_versions_in_use: quota("PolicyVersionsInUse", "PolicyVersionsInUseQuota"),
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> AccountPasswordPolicy {
        AccountPasswordPolicy {
            minimum_password_length: 12,
            require_symbols: true,
            require_numbers: true,
            require_uppercase_characters: false,
            require_lowercase_characters: true,
            allow_users_to_change_password: true,
            max_password_age: Some(90),
            password_reuse_prevention: Some(5),
            hard_expiry: false,
            expire_passwords: true,
        }
    }

    type Edit = fn(&mut AccountPasswordPolicy);

    #[test]
    fn policy_ranges_are_aws_ranges() {
        let with = |f: Edit| {
            let mut p = full();
            f(&mut p);
            check_password_policy(&p)
        };
        let ok: [Edit; 8] = [
            |p| p.minimum_password_length = 6,
            |p| p.minimum_password_length = 128,
            |p| p.max_password_age = Some(1),
            |p| p.max_password_age = Some(1095),
            |p| p.max_password_age = None,
            |p| p.password_reuse_prevention = Some(1),
            |p| p.password_reuse_prevention = Some(24),
            |p| p.password_reuse_prevention = None,
        ];
        for f in ok {
            with(f).unwrap();
        }
        let bad: [(Edit, &str); 6] = [
            (|p| p.minimum_password_length = 5, "6 to 128"),
            (|p| p.minimum_password_length = 129, "6 to 128"),
            (|p| p.max_password_age = Some(0), "1 to 1095"),
            (|p| p.max_password_age = Some(1096), "1 to 1095"),
            (|p| p.password_reuse_prevention = Some(0), "1 to 24"),
            (|p| p.password_reuse_prevention = Some(25), "1 to 24"),
        ];
        for (f, msg) in bad {
            let e = with(f).unwrap_err();
            assert!(matches!(&e, Error::InvalidInput(m) if m.contains(msg)), "{e}");
        }
        check_password_policy(&AccountPasswordPolicy::aws_default()).unwrap();
    }

    #[test]
    fn cis_preset_sets_length_and_reuse_and_keeps_the_rest() {
        let p = cis_preset(Some(&full()));
        assert_eq!(
            p,
            AccountPasswordPolicy { minimum_password_length: 14, password_reuse_prevention: Some(24), ..full() }
        );
        let d = cis_preset(None);
        assert_eq!(
            d,
            AccountPasswordPolicy {
                minimum_password_length: 14,
                password_reuse_prevention: Some(24),
                ..AccountPasswordPolicy::aws_default()
            }
        );
        let long = AccountPasswordPolicy { minimum_password_length: 20, ..full() };
        assert_eq!(cis_preset(Some(&long)).minimum_password_length, 20);
        check_password_policy(&d).unwrap();
    }

    #[test]
    fn diff_lists_changed_fields_only() {
        assert!(diff_password_policy(&full(), &full()).is_empty());
        let changes = diff_password_policy(&full(), &cis_preset(Some(&full())));
        let ch = |f: &str, b: &str, a: &str| PolicyFieldChange { field: f.into(), before: b.into(), after: a.into() };
        assert_eq!(changes, [ch("minimumPasswordLength", "12", "14"), ch("passwordReusePrevention", "5", "24")]);
        let after =
            AccountPasswordPolicy { max_password_age: None, hard_expiry: true, expire_passwords: false, ..full() };
        assert_eq!(
            diff_password_policy(&full(), &after),
            [ch("maxPasswordAge", "90", "never"), ch("hardExpiry", "false", "true")]
        );
    }

    #[test]
    fn summary_reads_the_map() {
        let s = summary_from(vec![
            ("Users".into(), 3),
            ("UsersQuota".into(), 5000),
            ("MFADevicesInUse".into(), 1),
            ("MFADevices".into(), 2),
        ]);
        assert_eq!(s.users, QuotaUse { used: 3, quota: 5000 });
        assert_eq!(s.groups, QuotaUse { used: 0, quota: 0 });
        assert_eq!((s.mfa_devices_in_use, s.mfa_devices), (1, 2));
        assert_eq!(s.entries.len(), 4);
    }
}
