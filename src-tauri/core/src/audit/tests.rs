//! Every check on crafted reports and details: a case where it fires (its exact id,
//! severity, CIS control and fix) and the near miss where it does not.

use super::checks::{self, epoch, DAY};
use super::*;
use crate::access::{Details, Entity, ManagedDocument};
use crate::iam::account::{AccountPasswordPolicy, AccountSummary, QuotaUse};
use crate::iam::credential_report::{CredentialReportRow, ReportKey, ROOT};
use crate::vocab::PrincipalKind;
use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};

/// 2026-11-24T00:00:00Z.
const NOW: i64 = 1_795_478_400;
const ACCOUNT: &str = "111111111111";

fn ago(days: i64) -> Option<String> {
    let t = DateTime::from_secs(NOW - days * DAY);
    Some(t.fmt(DateTimeFormat::DateTime).unwrap().replace('Z', "+00:00"))
}

fn summary(entries: &[(&str, i32)]) -> AccountSummary {
    let q = QuotaUse { used: 0, quota: 0 };
    AccountSummary {
        users: q,
        groups: q,
        roles: q,
        policies: q,
        server_certificates: q,
        mfa_devices_in_use: 0,
        mfa_devices: 0,
        policy_versions_in_use: q,
        entries: entries.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
    }
}

/// A user with nothing to say about it: MFA on, no key, password used yesterday.
fn user(name: &str) -> CredentialReportRow {
    CredentialReportRow {
        user: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        user_creation_time: ago(400),
        password_enabled: Some(true),
        password_last_used: ago(1),
        password_last_changed: ago(300),
        mfa_active: true,
        ..Default::default()
    }
}

fn root_row() -> CredentialReportRow {
    CredentialReportRow {
        user: ROOT.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:root"),
        user_creation_time: ago(1000),
        password_last_used: ago(200),
        mfa_active: true,
        ..Default::default()
    }
}

fn key(active: bool, rotated_days: i64, used_days: Option<i64>) -> ReportKey {
    ReportKey {
        active,
        last_rotated: ago(rotated_days),
        last_used_date: used_days.and_then(ago),
        last_used_region: used_days.map(|_| "eu-west-1".into()),
        last_used_service: used_days.map(|_| "s3".into()),
    }
}

fn strong_policy() -> AccountPasswordPolicy {
    AccountPasswordPolicy {
        minimum_password_length: 14,
        require_symbols: true,
        require_numbers: true,
        require_uppercase_characters: true,
        require_lowercase_characters: true,
        allow_users_to_change_password: true,
        max_password_age: Some(90),
        password_reuse_prevention: Some(24),
        hard_expiry: false,
        expire_passwords: true,
    }
}

/// A details user in a group with no direct policy.
fn entity(name: &str) -> Entity {
    Entity {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
        groups: vec!["staff".into()],
        ..Entity::default()
    }
}

fn details() -> Details {
    Details { account: ACCOUNT.into(), ..Details::default() }
}

struct Case {
    report: Vec<CredentialReportRow>,
    details: Details,
    policy: Option<AccountPasswordPolicy>,
    summary: AccountSummary,
}

impl Case {
    fn new() -> Case {
        Case { report: vec![root_row()], details: details(), policy: Some(strong_policy()), summary: summary(&[]) }
    }

    fn run(&self) -> Vec<AuditFinding> {
        check(&AuditInput {
            report: &self.report,
            details: &self.details,
            password_policy: self.policy.as_ref(),
            summary: &self.summary,
            now: NOW,
        })
    }

    fn find(&self, id: &str) -> Option<AuditFinding> {
        self.run().into_iter().find(|f| f.id == id)
    }

    fn ids(&self) -> Vec<String> {
        self.run().into_iter().map(|f| f.id).collect()
    }
}

/// The finding `id` is there, with this severity, CIS control and fix.
#[track_caller]
fn assert_finding(case: &Case, id: &str, severity: FindingSeverity, cis: Option<&str>, fix: Fix) -> AuditFinding {
    let f = case.find(id).unwrap_or_else(|| panic!("no {id} in {:?}", case.ids()));
    assert_eq!(f.check, id.split(':').next().unwrap());
    assert_eq!(f.severity, severity, "{id}");
    assert_eq!(f.cis.as_deref(), cis, "{id}");
    assert_eq!(f.fix, fix, "{id}");
    assert!(f.acknowledged.is_none());
    assert!(!f.title.is_empty() && !f.title.contains('\n'), "{id}: {}", f.title);
    assert!(f.why.ends_with('.'), "{id}: {}", f.why);
    f
}

#[track_caller]
fn assert_absent(case: &Case, id: &str) {
    let ids = case.ids();
    assert!(!ids.iter().any(|i| i == id), "{id} fired: {ids:?}");
}

const ADMIN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

fn customer(name: &str, doc: &str) -> ManagedDocument {
    ManagedDocument { arn: format!("arn:aws:iam::{ACCOUNT}:policy/{name}"), name: name.into(), document: doc.into() }
}

// ---- time --------------------------------------------------------------------------------

#[test]
fn times_with_an_offset_or_z_are_read() {
    assert_eq!(epoch("2026-11-24T00:00:00+00:00"), Some(NOW));
    assert_eq!(epoch("2026-11-24T00:00:00Z"), Some(NOW));
    assert_eq!(epoch("2026-11-24T01:00:00+01:00"), Some(NOW));
    assert_eq!(ago(1).as_deref(), Some("2026-11-23T00:00:00+00:00"));
    assert_eq!(epoch("2026-11-23T19:30:00-04:30"), Some(NOW));
    assert_eq!(epoch("2026-11-24T00:00:00.250+00:00"), Some(NOW));
    // The SDK's parser alone refuses the report's `+00:00`: the reason `epoch` reads it.
    assert!(DateTime::from_str("2026-11-24T00:00:00+00:00", DateTimeFormat::DateTime).is_err());
    assert_eq!(epoch("N/A"), None);
    assert_eq!(epoch("2026-11-24"), None);
    // Issue 20: days and offsets that do not exist are no time.
    assert_eq!(epoch("2019-02-31T00:00:00+00:00"), None);
    assert_eq!(epoch("2019-02-29T00:00:00Z"), None);
    assert_eq!(epoch("2026-11-24T00:00:00+99:00"), None);
}

// ---- root --------------------------------------------------------------------------------

#[test]
fn root_without_mfa() {
    let mut c = Case::new();
    assert_absent(&c, "root-no-mfa:Root");
    c.report[0].mfa_active = false;
    let f = assert_finding(&c, "root-no-mfa:Root", FindingSeverity::Critical, Some("CIS 1.5"), Fix::RootConsole);
    assert_eq!(f.entity, FindingEntity::Root);
}

#[test]
fn root_without_mfa_from_the_summary_when_the_report_has_no_root_row() {
    let mut c = Case::new();
    c.report.clear();
    c.summary = summary(&[("AccountMFAEnabled", 1), ("AccountAccessKeysPresent", 0)]);
    assert_absent(&c, "root-no-mfa:Root");
    assert_absent(&c, "root-access-keys:Root");
    c.summary = summary(&[("AccountMFAEnabled", 0), ("AccountAccessKeysPresent", 1)]);
    assert_finding(&c, "root-no-mfa:Root", FindingSeverity::Critical, Some("CIS 1.5"), Fix::RootConsole);
    assert_finding(&c, "root-access-keys:Root", FindingSeverity::Critical, Some("CIS 1.4"), Fix::RootConsole);
}

#[test]
fn root_with_an_active_key() {
    let mut c = Case::new();
    c.report[0].access_key2 = key(false, 10, Some(5));
    assert_absent(&c, "root-access-keys:Root");
    c.report[0].access_key2.active = true;
    assert_finding(&c, "root-access-keys:Root", FindingSeverity::Critical, Some("CIS 1.4"), Fix::RootConsole);
}

#[test]
fn root_used_in_the_last_30_days() {
    let mut c = Case::new();
    c.report[0].password_last_used = ago(31);
    assert_absent(&c, "root-used-recently:Root");
    c.report[0].password_last_used = ago(29);
    assert_finding(&c, "root-used-recently:Root", FindingSeverity::High, Some("CIS 1.7"), Fix::RootConsole);
    // A key's use counts too.
    c.report[0].password_last_used = None;
    c.report[0].access_key1 = key(false, 300, Some(3));
    assert_finding(&c, "root-used-recently:Root", FindingSeverity::High, Some("CIS 1.7"), Fix::RootConsole);
}

// ---- users -------------------------------------------------------------------------------

#[test]
fn console_user_without_mfa() {
    let mut c = Case::new();
    c.report.push(user("ana"));
    assert_absent(&c, "user-console-no-mfa:User/ana");
    c.report[1].mfa_active = false;
    let f = assert_finding(
        &c,
        "user-console-no-mfa:User/ana",
        FindingSeverity::High,
        Some("CIS 1.10"),
        Fix::MfaEnrol { user: "ana".into() },
    );
    assert_eq!(f.entity, FindingEntity::User { name: "ana".into() });
    assert!(f.title.contains("ana"), "{}", f.title);
    // No password: no console sign-in to protect.
    c.report[1].password_enabled = Some(false);
    assert_absent(&c, "user-console-no-mfa:User/ana");
}

#[test]
fn active_key_older_than_90_days() {
    let mut c = Case::new();
    c.report.push(user("ana"));
    c.report[1].access_key1 = key(true, 89, Some(1));
    assert_absent(&c, "user-key-old:User/ana");
    c.report[1].access_key1 = key(false, 91, Some(1));
    assert_absent(&c, "user-key-old:User/ana");
    c.report[1].access_key1 = key(true, 91, Some(1));
    assert_finding(
        &c,
        "user-key-old:User/ana",
        FindingSeverity::Medium,
        Some("CIS 1.14"),
        Fix::RotateKey { user: "ana".into() },
    );
}

#[test]
fn password_unused_for_45_days() {
    let mut c = Case::new();
    c.report.push(user("ana"));
    c.report[1].password_last_used = ago(44);
    assert_absent(&c, "user-password-unused:User/ana");
    c.report[1].password_last_used = ago(45);
    assert_finding(
        &c,
        "user-password-unused:User/ana",
        FindingSeverity::Medium,
        Some("CIS 1.12"),
        Fix::ConsoleAccess { user: "ana".into() },
    );
    // Never used: measured from the last change.
    c.report[1].password_last_used = None;
    c.report[1].password_last_changed = ago(10);
    assert_absent(&c, "user-password-unused:User/ana");
    c.report[1].password_last_changed = ago(50);
    assert!(c.find("user-password-unused:User/ana").is_some());
    // ... or else from the user's creation.
    c.report[1].password_last_changed = None;
    c.report[1].user_creation_time = ago(20);
    assert_absent(&c, "user-password-unused:User/ana");
    // No password: nothing unused.
    c.report[1].user_creation_time = ago(400);
    c.report[1].password_enabled = Some(false);
    assert_absent(&c, "user-password-unused:User/ana");
}

#[test]
fn key_unused_for_45_days() {
    let mut c = Case::new();
    c.report.push(user("ana"));
    c.report[1].access_key2 = key(true, 60, Some(44));
    assert_absent(&c, "user-key-unused:User/ana");
    c.report[1].access_key2 = key(false, 60, Some(46));
    assert_absent(&c, "user-key-unused:User/ana");
    c.report[1].access_key2 = key(true, 60, Some(46));
    assert_finding(
        &c,
        "user-key-unused:User/ana",
        FindingSeverity::Medium,
        Some("CIS 1.12"),
        Fix::AccessKeys { user: "ana".into() },
    );
    // Never used: measured from its creation.
    c.report[1].access_key2 = key(true, 30, None);
    assert_absent(&c, "user-key-unused:User/ana");
    c.report[1].access_key2 = key(true, 50, None);
    assert!(c.find("user-key-unused:User/ana").is_some());
}

#[test]
fn two_active_keys() {
    let mut c = Case::new();
    c.report.push(user("ana"));
    c.report[1].access_key1 = key(true, 10, Some(1));
    c.report[1].access_key2 = key(false, 10, Some(1));
    assert_absent(&c, "user-two-active-keys:User/ana");
    c.report[1].access_key2.active = true;
    assert_finding(
        &c,
        "user-two-active-keys:User/ana",
        FindingSeverity::Low,
        Some("CIS 1.13"),
        Fix::AccessKeys { user: "ana".into() },
    );
}

#[test]
fn active_key_never_used_after_7_days() {
    let mut c = Case::new();
    c.report.push(user("ana"));
    c.report[1].access_key1 = key(true, 6, None);
    assert_absent(&c, "user-key-never-used:User/ana");
    c.report[1].access_key1 = key(true, 8, Some(2));
    assert_absent(&c, "user-key-never-used:User/ana");
    c.report[1].access_key1 = key(false, 8, None);
    assert_absent(&c, "user-key-never-used:User/ana");
    c.report[1].access_key1 = key(true, 8, None);
    assert_finding(
        &c,
        "user-key-never-used:User/ana",
        FindingSeverity::Low,
        Some("CIS 1.11"),
        Fix::AccessKeys { user: "ana".into() },
    );
}

#[test]
fn a_clean_user_has_no_finding() {
    let mut c = Case::new();
    c.report.push(user("ana"));
    c.report[1].access_key1 = key(true, 30, Some(1));
    c.details.users.push(entity("ana"));
    assert_eq!(c.ids(), Vec::<String>::new());
}

#[test]
fn users_missing_from_the_report_are_skipped() {
    // In the details but not in the report (created after it was generated): only the
    // details' checks speak about them.
    let mut c = Case::new();
    c.details.users.push(Entity { groups: vec![], ..entity("new") });
    assert_eq!(c.ids(), vec!["user-no-group:User/new".to_string()]);
}

#[test]
fn policies_attached_to_a_user_directly() {
    let mut c = Case::new();
    c.details.users.push(entity("ana"));
    assert_absent(&c, "user-direct-policies:User/ana");
    c.details.users[0].managed.push("arn:aws:iam::aws:policy/ReadOnlyAccess".into());
    assert_finding(
        &c,
        "user-direct-policies:User/ana",
        FindingSeverity::Low,
        Some("CIS 1.15"),
        Fix::UserPolicies { user: "ana".into() },
    );
    c.details.users[0].managed.clear();
    c.details.users[0].inline.push(("mine".into(), r#"{"Statement":[]}"#.into()));
    assert!(c.find("user-direct-policies:User/ana").is_some());
}

#[test]
fn user_in_no_group() {
    let mut c = Case::new();
    c.details.users.push(entity("ana"));
    assert_absent(&c, "user-no-group:User/ana");
    c.details.users[0].groups.clear();
    assert_finding(&c, "user-no-group:User/ana", FindingSeverity::Low, None, Fix::UserGroups { user: "ana".into() });
}

// ---- policies ----------------------------------------------------------------------------

#[test]
fn customer_policy_allowing_everything() {
    let mut c = Case::new();
    c.details.policies.push(customer("Admin", ADMIN));
    let arn = format!("arn:aws:iam::{ACCOUNT}:policy/Admin");
    let id = format!("policy-full-admin:{arn}");
    // Unattached: Medium, and unattached.
    let f = assert_finding(&c, &id, FindingSeverity::Medium, Some("CIS 1.16"), Fix::Policy { arn: arn.clone() });
    assert_eq!(f.entity, FindingEntity::Policy { arn: arn.clone(), name: "Admin".into() });
    assert!(f.why.contains("attached to no one"), "{}", f.why);
    // Attached: High.
    c.details.users.push(Entity { managed: vec![arn.clone()], ..entity("ana") });
    let f = assert_finding(&c, &id, FindingSeverity::High, Some("CIS 1.16"), Fix::Policy { arn: arn.clone() });
    assert!(f.why.contains("is attached"), "{}", f.why);
    // `*:*` is the same thing.
    c.details.policies[0].document = ADMIN.replace("\"Action\":\"*\"", "\"Action\":\"*:*\"");
    assert!(c.find(&id).is_some());
    // It is not admin-equivalent on top of it.
    assert_absent(&c, &format!("policy-admin-equivalent:{arn}"));
}

#[test]
fn everything_under_a_condition_or_aws_managed_is_not_full_admin() {
    let mut c = Case::new();
    let conditional = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*",
        "Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
    c.details.policies.push(customer("MfaAdmin", conditional));
    c.details.policies.push(ManagedDocument {
        arn: "arn:aws:iam::aws:policy/AdministratorAccess".into(),
        name: "AdministratorAccess".into(),
        document: ADMIN.into(),
    });
    let ids = c.ids();
    assert!(
        !ids.iter().any(|i| i.starts_with("policy-full-admin") || i.starts_with("policy-admin-equivalent")),
        "{ids:?}"
    );
    // A URL-encoded document (as IAM sends it) is decoded first.
    c.details.policies.push(customer("Encoded", &ADMIN.replace('"', "%22").replace('{', "%7B").replace('}', "%7D")));
    assert!(c.find(&format!("policy-full-admin:arn:aws:iam::{ACCOUNT}:policy/Encoded")).is_some(), "{:?}", c.ids());
}

#[test]
fn policy_admin_equivalent_by_wildcards_or_by_an_escalation_action() {
    let mut c = Case::new();
    let every_service =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:GetObjectNope","Resource":"*"}]}"#;
    c.details.policies.push(customer("Everything", every_service));
    let arn = format!("arn:aws:iam::{ACCOUNT}:policy/Everything");
    let f = assert_finding(
        &c,
        &format!("policy-admin-equivalent:{arn}"),
        FindingSeverity::High,
        None,
        Fix::Policy { arn: arn.clone() },
    );
    assert!(f.title.contains("Everything"));
    assert_absent(&c, &format!("policy-full-admin:{arn}"));

    let pass = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:PassRole"],"Resource":"*"}]}"#;
    c.details.policies = vec![customer("Pass", pass)];
    let arn = format!("arn:aws:iam::{ACCOUNT}:policy/Pass");
    let f = assert_finding(
        &c,
        &format!("policy-admin-equivalent:{arn}"),
        FindingSeverity::High,
        None,
        Fix::Policy { arn: arn.clone() },
    );
    assert!(f.title.contains("iam:PassRole"), "{}", f.title);
    // Everything but S3 is not every action, but it includes IAM's escalation actions.
    let not_s3 = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}]}"#;
    c.details.policies = vec![customer("NotS3", not_s3)];
    let f = c.find(&format!("policy-admin-equivalent:arn:aws:iam::{ACCOUNT}:policy/NotS3")).expect("NotS3");
    assert!(f.title.contains("iam:CreatePolicyVersion"), "{}", f.title);
    // A wildcard naming it counts.
    c.details.policies = vec![customer("Put", &pass.replace("iam:PassRole", "iam:Put*"))];
    assert!(c.find(&format!("policy-admin-equivalent:arn:aws:iam::{ACCOUNT}:policy/Put")).is_some());
}

#[test]
fn each_escalation_action_alone_is_a_path_to_administrator() {
    let mut c = Case::new();
    for (action, _) in crate::policy::admin::ESCALATION_ACTIONS {
        let doc = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{action}","Resource":"*"}}]}}"#
        );
        c.details.policies = vec![customer("One", &doc)];
        let f = c.find(&format!("policy-admin-equivalent:arn:aws:iam::{ACCOUNT}:policy/One"));
        assert!(f.is_some_and(|f| f.title.contains(action)), "{action}: {:?}", c.ids());
    }
}

#[test]
fn escalation_actions_on_some_resources_or_under_a_condition_are_not_admin_equivalent() {
    let mut c = Case::new();
    let scoped = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111111111111:role/app-*"}]}"#;
    let conditional = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateAccessKey","Resource":"*",
        "Condition":{"StringEquals":{"aws:username":"${aws:username}"}}}]}"#;
    let denied = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*"},
        {"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;
    let read = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}"#;
    c.details.policies = vec![
        customer("Scoped", scoped),
        customer("Conditional", conditional),
        customer("Denied", denied),
        customer("Read", read),
    ];
    let ids = c.ids();
    assert!(!ids.iter().any(|i| i.starts_with("policy-admin-equivalent")), "{ids:?}");
    assert_eq!(ids.iter().filter(|i| i.starts_with("policy-unattached")).count(), 4, "{ids:?}");
}

#[test]
fn inline_policies_granting_administrator_access() {
    let mut c = Case::new();
    c.details.groups.push(Entity {
        name: "ops".into(),
        inline: vec![("all".into(), ADMIN.into())],
        ..Entity::default()
    });
    let principal = Principal { kind: PrincipalKind::Group, name: "ops".into() };
    let f = assert_finding(
        &c,
        "inline-admin:Group/ops/all",
        FindingSeverity::High,
        Some("CIS 1.16"),
        Fix::InlinePolicy { principal: principal.clone(), name: "all".into() },
    );
    assert_eq!(f.entity, FindingEntity::InlinePolicy { principal, name: "all".into() });
    // Admin-equivalent through an escalation action: High, no CIS control.
    let esc =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"*"}]}"#;
    c.details.roles.push(Entity {
        name: "app".into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:role/app"),
        inline: vec![("esc".into(), esc.into())],
        ..Entity::default()
    });
    assert_finding(
        &c,
        "inline-admin:Role/app/esc",
        FindingSeverity::High,
        None,
        Fix::InlinePolicy { principal: Principal::role("app"), name: "esc".into() },
    );
    // The near miss: a condition.
    let with_condition = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*",
        "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;
    c.details.users.push(Entity { inline: vec![("vpn".into(), with_condition.into())], ..entity("ana") });
    assert_absent(&c, "inline-admin:User/ana/vpn");
}

#[test]
fn customer_policy_attached_to_no_one() {
    let mut c = Case::new();
    let read = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    c.details.policies = vec![customer("Read", read), customer("Bound", read), customer("Used", read)];
    let arn = |n: &str| format!("arn:aws:iam::{ACCOUNT}:policy/{n}");
    c.details.roles.push(Entity { name: "r".into(), boundary: Some(arn("Bound")), ..Entity::default() });
    c.details.groups.push(Entity { name: "g".into(), managed: vec![arn("Used")], ..Entity::default() });
    assert_finding(
        &c,
        &format!("policy-unattached:{}", arn("Read")),
        FindingSeverity::Low,
        None,
        Fix::Policy { arn: arn("Read") },
    );
    // A permissions boundary and a group's attachment count.
    assert_absent(&c, &format!("policy-unattached:{}", arn("Bound")));
    assert_absent(&c, &format!("policy-unattached:{}", arn("Used")));
    // AWS managed policies are not the account's to clean up.
    c.details.policies.push(ManagedDocument {
        arn: "arn:aws:iam::aws:policy/ReadOnlyAccess".into(),
        name: "ReadOnlyAccess".into(),
        document: read.into(),
    });
    assert_absent(&c, "policy-unattached:arn:aws:iam::aws:policy/ReadOnlyAccess");
}

fn role(name: &str, trust: &str) -> Entity {
    Entity {
        name: name.into(),
        arn: format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
        trust: Some(trust.into()),
        ..Entity::default()
    }
}

/// Issue 20, item 6: a role trusting GitHub's OIDC provider with no condition on the
/// subject can be assumed from any repository on GitHub.
#[test]
fn role_trusting_a_shared_oidc_provider_without_a_subject() {
    let mut c = Case::new();
    let provider = format!("arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com");
    let any = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"{provider}"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringEquals":{{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}}}}}]}}"#
    );
    c.details.roles.push(role("deploy", &any));
    let f = assert_finding(
        &c,
        "role-trust-any-subject:Role/deploy",
        FindingSeverity::Critical,
        None,
        Fix::RoleTrust { role: "deploy".into() },
    );
    assert_eq!(f.title, "Anyone with a GitHub Actions token can assume deploy");
    assert!(f.why.contains("token.actions.githubusercontent.com:sub"), "{}", f.why);
    // A subject limited to one repository is fine; "*" alone is no limit.
    let limited = any.replace(
        r#""StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}"#,
        r#""StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/web:*"}"#,
    );
    c.details.roles = vec![role("web", &limited)];
    assert_absent(&c, "role-trust-any-subject:Role/web");
    let star = limited.replace("repo:acme/web:*", "*");
    c.details.roles = vec![role("star", &star)];
    assert!(c.find("role-trust-any-subject:Role/star").is_some(), "{:?}", c.ids());
    // The account's own OIDC provider (not a shared service) is not this finding.
    let own = any.replace("token.actions.githubusercontent.com", "oidc.eks.eu-west-1.amazonaws.com/id/ABC");
    c.details.roles = vec![role("eks", &own)];
    assert_absent(&c, "role-trust-any-subject:Role/eks");
}

#[test]
fn role_anyone_can_assume() {
    let mut c = Case::new();
    let open = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
    c.details.roles.push(role("open", open));
    c.details.roles.push(role("star", &open.replace(r#"{"AWS":"*"}"#, r#""*""#)));
    let f = assert_finding(
        &c,
        "role-trust-open:Role/open",
        FindingSeverity::Critical,
        None,
        Fix::RoleTrust { role: "open".into() },
    );
    assert_eq!(f.entity, FindingEntity::Role { name: "open".into() });
    assert!(c.find("role-trust-open:Role/star").is_some(), "{:?}", c.ids());
    // With a condition (e.g. the organisation), it is not open.
    let org = open.replace(
        r#""Action":"sts:AssumeRole""#,
        r#""Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}"#,
    );
    c.details.roles = vec![role("org", &org)];
    assert_absent(&c, "role-trust-open:Role/org");
    // A service principal is not "anyone".
    let service =
        r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    c.details.roles = vec![role("ec2", service)];
    assert_eq!(c.ids(), Vec::<String>::new());
}

#[test]
fn role_trusting_another_account() {
    let mut c = Case::new();
    let other = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:root","arn:aws:iam::222222222222:root"]},"Action":"sts:AssumeRole"}]}"#;
    c.details.roles.push(role("partner", other));
    let f = assert_finding(
        &c,
        "role-trust-cross-account:Role/partner",
        FindingSeverity::Medium,
        None,
        Fix::RoleTrust { role: "partner".into() },
    );
    assert!(f.title.contains("222222222222"), "{}", f.title);
    // A bare account id too.
    c.details.roles = vec![role(
        "bare",
        r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"333333333333"},"Action":"sts:AssumeRole"}}"#,
    )];
    assert!(c.find("role-trust-cross-account:Role/bare").is_some(), "{:?}", c.ids());
    // The near misses: the same account, an external id, MFA required.
    let same = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/ana"},"Action":"sts:AssumeRole"}]}"#;
    let external = other.replace(
        r#""Action":"sts:AssumeRole""#,
        r#""Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x-123"}}"#,
    );
    let mfa = other.replace(
        r#""Action":"sts:AssumeRole""#,
        r#""Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#,
    );
    c.details.roles = vec![role("same", same), role("external", &external), role("mfa", &mfa)];
    assert_eq!(c.ids(), Vec::<String>::new());
}

#[test]
fn service_linked_roles_are_ignored() {
    let mut c = Case::new();
    let open = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#;
    c.details.roles.push(Entity {
        arn: format!("arn:aws:iam::{ACCOUNT}:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX"),
        ..role("AWSServiceRoleForX", open)
    });
    assert_eq!(c.ids(), Vec::<String>::new());
}

// ---- password policy ---------------------------------------------------------------------

#[test]
fn no_password_policy() {
    let mut c = Case::new();
    assert_eq!(c.ids(), Vec::<String>::new(), "the strong policy has no finding");
    c.policy = None;
    let f = assert_finding(
        &c,
        "password-policy-missing:PasswordPolicy",
        FindingSeverity::Medium,
        Some("CIS 1.8"),
        Fix::PasswordPolicy { preset: true },
    );
    assert_eq!(f.entity, FindingEntity::PasswordPolicy);
    // Only that one: the others would repeat it.
    assert_eq!(c.ids(), vec!["password-policy-missing:PasswordPolicy".to_string()]);
}

#[test]
fn password_policy_fields() {
    let mut c = Case::new();
    let p = c.policy.as_mut().unwrap();
    p.minimum_password_length = 13;
    p.password_reuse_prevention = Some(23);
    p.max_password_age = Some(91);
    p.require_symbols = false;
    let fix = Fix::PasswordPolicy { preset: true };
    assert_finding(&c, "password-length:PasswordPolicy", FindingSeverity::Medium, Some("CIS 1.8"), fix.clone());
    assert_finding(&c, "password-reuse:PasswordPolicy", FindingSeverity::Medium, Some("CIS 1.9"), fix.clone());
    assert_finding(&c, "password-no-expiry:PasswordPolicy", FindingSeverity::Low, None, fix.clone());
    assert_finding(&c, "password-classes:PasswordPolicy", FindingSeverity::Low, None, fix);
    assert_absent(&c, "password-policy-missing:PasswordPolicy");
    // No reuse prevention and no expiry at all.
    let p = c.policy.as_mut().unwrap();
    p.password_reuse_prevention = None;
    p.max_password_age = None;
    assert!(c.find("password-reuse:PasswordPolicy").is_some());
    assert!(c.find("password-no-expiry:PasswordPolicy").is_some());
    // Each at its threshold passes.
    c.policy = Some(AccountPasswordPolicy { minimum_password_length: 14, ..strong_policy() });
    assert_eq!(c.ids(), Vec::<String>::new());
}

// ---- the whole -----------------------------------------------------------------------------

#[test]
fn findings_are_most_severe_first_then_by_entity() {
    let mut c = Case::new();
    c.report[0].mfa_active = false;
    let mut bo = user("bo");
    bo.mfa_active = false;
    let mut ana = user("ana");
    ana.mfa_active = false;
    c.report.push(bo);
    c.report.push(ana);
    c.details.users.push(Entity { groups: vec![], ..entity("ana") });
    c.policy = None;
    assert_eq!(
        c.ids(),
        vec![
            "root-no-mfa:Root",
            "user-console-no-mfa:User/ana",
            "user-console-no-mfa:User/bo",
            "password-policy-missing:PasswordPolicy",
            "user-no-group:User/ana",
        ]
    );
}

#[test]
fn sources_that_could_not_be_read_do_not_run_their_checks() {
    let mut c = Case::new();
    c.policy = None;
    c.report[0].mfa_active = false;
    c.details.users.push(Entity { groups: vec![], ..entity("ana") });
    let input =
        AuditInput { report: &c.report, details: &c.details, password_policy: None, summary: &c.summary, now: NOW };
    let only_report = checks::Sources { report: true, details: false, password_policy: false, summary: false };
    let ids: Vec<String> = checks::run_with(&input, only_report).into_iter().map(|f| f.id).collect();
    assert_eq!(ids, vec!["root-no-mfa:Root"]);
    let only_details = checks::Sources { report: false, details: true, password_policy: false, summary: false };
    let ids: Vec<String> = checks::run_with(&input, only_details).into_iter().map(|f| f.id).collect();
    assert_eq!(ids, vec!["user-no-group:User/ana"]);
}
