//! The audit's rules, each a pure function of the input.

use super::{AuditFinding, AuditInput, FindingEntity, FindingSeverity, Fix};
use crate::access::effective::summarise;
use crate::iam::credential_report::{CredentialReportRow, ReportKey};
use crate::policy::admin::{grants_everything, ESCALATION_ACTIONS};
use crate::policy::document;
use crate::policy::evaluate::{evaluate, Context, Decision, Policy, Request};
use crate::vocab::{Principal, PrincipalKind};
use serde_json::Value;
use std::collections::HashMap;

pub(super) const DAY: i64 = 86_400;
/// CIS 1.7: the root user used within this many days.
const ROOT_RECENT_DAYS: i64 = 30;
/// CIS 1.14: an active key older than this many days.
const KEY_MAX_AGE_DAYS: i64 = 90;
/// CIS 1.12: a credential not used for at least this many days.
const UNUSED_DAYS: i64 = 45;
/// CIS 1.11: a key never used this many days after its creation was not needed.
const NEVER_USED_GRACE_DAYS: i64 = 7;
/// CIS 1.8.
const MIN_PASSWORD_LENGTH: i32 = 14;
/// CIS 1.9.
const MIN_REUSE_PREVENTION: i32 = 24;
/// Passwords older than this many days should expire.
const MAX_PASSWORD_AGE_DAYS: i32 = 90;

/// Which of the audit's sources were read: the checks of a source that could not be read
/// do not run (a missing password policy read is not "no password policy").
#[derive(Debug, Clone, Copy)]
pub(super) struct Sources {
    pub report: bool,
    pub details: bool,
    pub password_policy: bool,
    pub summary: bool,
}

impl Sources {
    pub const ALL: Sources = Sources { report: true, details: true, password_policy: true, summary: true };
}

pub(super) fn run(input: &AuditInput<'_>) -> Vec<AuditFinding> {
    run_with(input, Sources::ALL)
}

pub(super) fn run_with(input: &AuditInput<'_>, sources: Sources) -> Vec<AuditFinding> {
    let mut out = Vec::new();
    if sources.report || sources.summary {
        root(input, sources, &mut out);
    }
    if sources.report {
        for row in input.report.iter().filter(|r| !r.is_root()) {
            user_credentials(row, input.now, &mut out);
        }
    }
    if sources.details {
        user_details(input, &mut out);
        policies(input, &mut out);
        inline(input, &mut out);
        trust(input, &mut out);
    }
    if sources.password_policy {
        password_policy(input, &mut out);
    }
    sort(&mut out);
    out
}

/// Most severe first, then by entity, then by title.
pub(super) fn sort(findings: &mut [AuditFinding]) {
    findings.sort_by_cached_key(|f| (f.severity, entity_key(&f.entity), f.title.clone(), f.check.clone()));
}

/// The entity's part of a finding's id.
pub(super) fn entity_key(e: &FindingEntity) -> String {
    match e {
        FindingEntity::Root => "Root".into(),
        FindingEntity::User { name } => format!("User/{name}"),
        FindingEntity::Role { name } => format!("Role/{name}"),
        FindingEntity::Policy { arn, .. } => arn.clone(),
        FindingEntity::InlinePolicy { principal, name } => {
            format!("{}/{}/{name}", kind_name(principal.kind), principal.name)
        }
        FindingEntity::PasswordPolicy => "PasswordPolicy".into(),
    }
}

fn kind_name(k: PrincipalKind) -> &'static str {
    match k {
        PrincipalKind::User => "User",
        PrincipalKind::Group => "Group",
        PrincipalKind::Role => "Role",
    }
}

fn finding(
    check: &str,
    severity: FindingSeverity,
    entity: FindingEntity,
    title: String,
    why: &str,
    cis: Option<&str>,
    fix: Fix,
) -> AuditFinding {
    AuditFinding {
        id: format!("{check}:{}", entity_key(&entity)),
        check: check.into(),
        severity,
        entity,
        title,
        why: why.into(),
        cis: cis.map(str::to_string),
        fix,
        acknowledged: None,
    }
}

/// Seconds since the Unix epoch of an RFC 3339 time (the credential report writes
/// `2026-11-24T09:00:00+00:00`, the SDK `…Z`), read by the `time` crate: by the calendar,
/// so `2019-02-31` or an offset of `+99:00` is no time.
pub(super) fn epoch(s: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(s.trim(), &Rfc3339).ok().map(time::OffsetDateTime::unix_timestamp)
}

/// Seconds from `at` to `now`; `None` when `at` cannot be read.
fn age_secs(at: Option<&str>, now: i64) -> Option<i64> {
    at.and_then(epoch).map(|t| now - t)
}

fn root(input: &AuditInput<'_>, sources: Sources, out: &mut Vec<AuditFinding>) {
    let row = input.report.iter().find(|r| r.is_root()).filter(|_| sources.report);
    let entry = |name: &str| {
        if !sources.summary {
            return None;
        }
        input.summary.entries.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    };
    let no_mfa = match row {
        Some(r) => !r.mfa_active,
        None => entry("AccountMFAEnabled") == Some(0),
    };
    if no_mfa {
        out.push(finding(
            "root-no-mfa",
            FindingSeverity::Critical,
            FindingEntity::Root,
            "The root user has no MFA".into(),
            "Whoever learns the root password controls the whole account, and nothing in IAM can stop them.",
            Some("CIS 1.5"),
            Fix::RootConsole,
        ));
    }
    let keys = row.is_some_and(|r| r.keys().iter().any(|k| k.active)) || entry("AccountAccessKeysPresent") == Some(1);
    if keys {
        out.push(finding(
            "root-access-keys",
            FindingSeverity::Critical,
            FindingEntity::Root,
            "The root user has access keys".into(),
            "A leaked root key can do anything in the account, and no policy can limit it.",
            Some("CIS 1.4"),
            Fix::RootConsole,
        ));
    }
    if let Some(r) = row {
        let uses = std::iter::once(r.password_last_used.as_deref())
            .chain(r.keys().into_iter().map(|k| k.last_used_date.as_deref()));
        // A use "in the future" (clock skew) counts as recent.
        let recent = uses.filter_map(|u| age_secs(u, input.now)).any(|age| age <= ROOT_RECENT_DAYS * DAY);
        if recent {
            out.push(finding(
                "root-used-recently",
                FindingSeverity::High,
                FindingEntity::Root,
                format!("The root user was used in the last {ROOT_RECENT_DAYS} days"),
                "Everyday work as root bypasses every IAM control and audit distinction; use IAM users or roles instead.",
                Some("CIS 1.7"),
                Fix::RootConsole,
            ));
        }
    }
}

fn user_credentials(row: &CredentialReportRow, now: i64, out: &mut Vec<AuditFinding>) {
    let name = row.user.as_str();
    let user = || FindingEntity::User { name: name.to_string() };
    let password = row.password_enabled == Some(true);
    if password && !row.mfa_active {
        out.push(finding(
            "user-console-no-mfa",
            FindingSeverity::High,
            user(),
            format!("{name} can sign in to the console without MFA"),
            "A stolen or guessed password alone is enough to sign in as this user.",
            Some("CIS 1.10"),
            Fix::MfaEnrol { user: name.into() },
        ));
    }
    let active: Vec<&ReportKey> = row.keys().into_iter().filter(|k| k.active).collect();
    let old =
        active.iter().filter_map(|k| age_secs(k.last_rotated.as_deref(), now)).any(|a| a > KEY_MAX_AGE_DAYS * DAY);
    if old {
        out.push(finding(
            "user-key-old",
            FindingSeverity::Medium,
            user(),
            format!("{name} has an active access key older than {KEY_MAX_AGE_DAYS} days"),
            "The longer a key lives, the more places it has been copied to and the likelier it has leaked.",
            Some("CIS 1.14"),
            Fix::RotateKey { user: name.into() },
        ));
    }
    if password {
        let since = row
            .password_last_used
            .as_deref()
            .or(row.password_last_changed.as_deref())
            .or(row.user_creation_time.as_deref());
        if age_secs(since, now).is_some_and(|a| a >= UNUSED_DAYS * DAY) {
            out.push(finding(
                "user-password-unused",
                FindingSeverity::Medium,
                user(),
                format!("{name}'s console password has not been used for {UNUSED_DAYS} days or more"),
                "A password nobody uses is a way in that nobody would notice being used.",
                Some("CIS 1.12"),
                Fix::ConsoleAccess { user: name.into() },
            ));
        }
    }
    let unused = active.iter().any(|k| {
        let since = k.last_used_date.as_deref().or(k.last_rotated.as_deref());
        age_secs(since, now).is_some_and(|a| a >= UNUSED_DAYS * DAY)
    });
    if unused {
        out.push(finding(
            "user-key-unused",
            FindingSeverity::Medium,
            user(),
            format!("{name} has an active access key not used for {UNUSED_DAYS} days or more"),
            "A key nobody uses is a standing credential that nobody would notice being used.",
            Some("CIS 1.12"),
            Fix::AccessKeys { user: name.into() },
        ));
    }
    if active.len() == 2 {
        out.push(finding(
            "user-two-active-keys",
            FindingSeverity::Low,
            user(),
            format!("{name} has two active access keys"),
            "Two active keys double what can leak; a second key should live only during a rotation.",
            Some("CIS 1.13"),
            Fix::AccessKeys { user: name.into() },
        ));
    }
    let never_used = active.iter().any(|k| {
        k.last_used_date.is_none()
            && age_secs(k.last_rotated.as_deref(), now).is_some_and(|a| a > NEVER_USED_GRACE_DAYS * DAY)
    });
    if never_used {
        out.push(finding(
            "user-key-never-used",
            FindingSeverity::Low,
            user(),
            format!("{name} has an active access key that was never used"),
            "A key created and never used was not needed, and only adds a credential that can leak.",
            Some("CIS 1.11"),
            Fix::AccessKeys { user: name.into() },
        ));
    }
}

fn user_details(input: &AuditInput<'_>, out: &mut Vec<AuditFinding>) {
    for u in &input.details.users {
        let name = u.name.as_str();
        if !u.managed.is_empty() || !u.inline.is_empty() {
            out.push(finding(
                "user-direct-policies",
                FindingSeverity::Low,
                FindingEntity::User { name: name.into() },
                format!("{name} has policies attached directly"),
                "Permissions given through groups are easier to review and to take away than ones given user by user.",
                Some("CIS 1.15"),
                Fix::UserPolicies { user: name.into() },
            ));
        }
        if u.groups.is_empty() {
            out.push(finding(
                "user-no-group",
                FindingSeverity::Low,
                FindingEntity::User { name: name.into() },
                format!("{name} is in no group"),
                "A user outside every group gets permissions one by one, which drift and are hard to review.",
                None,
                Fix::UserGroups { user: name.into() },
            ));
        }
    }
}

/// How a policy document grants administrator access, if it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Admin {
    /// An unconditional Allow of `*` on `*`.
    Full,
    /// Everything, by other means, or an IAM privilege-escalation action on `*`.
    Equivalent,
}

/// The first privilege-escalation action the policy allows on every resource without a
/// condition.
fn escalation(policy: &Policy) -> Option<&'static str> {
    let context = Context::default();
    ESCALATION_ACTIONS.iter().map(|(action, _)| *action).find(|action| {
        let e = evaluate(&[policy], None, &Request { action, resource: "*", context: &context });
        e.decision == Decision::Allowed
            && e.deciding.iter().any(|at| policy.statements.get(at.statement).is_some_and(|s| !s.conditional))
    })
}

/// Whether the document alone makes its holder admin-equivalent, as the effective
/// permissions' summary decides it (every action on every resource, however spelled).
fn admin_equivalent(policy: &Policy) -> bool {
    summarise(&[policy], None).admin_equivalent
}

fn admin(raw: &str) -> Option<(Admin, Option<&'static str>)> {
    let policy = Policy::parse(&document::decode(raw)).ok()?;
    if policy.statements.iter().any(grants_everything) {
        return Some((Admin::Full, None));
    }
    if admin_equivalent(&policy) {
        return Some((Admin::Equivalent, None));
    }
    escalation(&policy).map(|a| (Admin::Equivalent, Some(a)))
}

fn is_aws_managed(arn: &str) -> bool {
    // `arn:aws:iam::aws:policy/…`, and the same in the other partitions.
    arn.split(':').nth(4) == Some("aws")
}

fn policies(input: &AuditInput<'_>, out: &mut Vec<AuditFinding>) {
    let d = input.details;
    let mut attached: HashMap<&str, usize> = HashMap::new();
    for e in d.users.iter().chain(&d.groups).chain(&d.roles) {
        for arn in e.managed.iter().chain(&e.boundary) {
            *attached.entry(arn.as_str()).or_default() += 1;
        }
    }
    for p in d.policies.iter().filter(|p| !is_aws_managed(&p.arn)) {
        let name = if p.name.is_empty() { p.arn.rsplit('/').next().unwrap_or(&p.arn) } else { &p.name };
        let entity = || FindingEntity::Policy { arn: p.arn.clone(), name: name.to_string() };
        let fix = || Fix::Policy { arn: p.arn.clone() };
        let is_attached = attached.get(p.arn.as_str()).copied().unwrap_or(0) > 0;
        match admin(&p.document) {
            Some((Admin::Full, _)) => out.push(if is_attached {
                finding(
                    "policy-full-admin",
                    FindingSeverity::High,
                    entity(),
                    format!("{name} allows every action on every resource"),
                    "It is attached, so whoever has it is a full administrator, whatever their job needs.",
                    Some("CIS 1.16"),
                    fix(),
                )
            } else {
                finding(
                    "policy-full-admin",
                    FindingSeverity::Medium,
                    entity(),
                    format!("{name} allows every action on every resource"),
                    "It is attached to no one yet, but attaching it makes a full administrator in one step.",
                    Some("CIS 1.16"),
                    fix(),
                )
            }),
            Some((Admin::Equivalent, action)) => out.push(finding(
                "policy-admin-equivalent",
                FindingSeverity::High,
                entity(),
                match action {
                    Some(a) => format!("{name} allows {a} on every resource, a path to administrator"),
                    None => format!("{name} grants the equivalent of administrator access"),
                },
                "Whoever has it can give themselves any permission, so it is as dangerous as full administrator access.",
                None,
                fix(),
            )),
            None => {}
        }
        if !is_attached {
            out.push(finding(
                "policy-unattached",
                FindingSeverity::Low,
                entity(),
                format!("{name} is attached to no user, group or role"),
                "An unused policy is clutter that someone may attach later without reviewing it.",
                None,
                fix(),
            ));
        }
    }
}

fn inline(input: &AuditInput<'_>, out: &mut Vec<AuditFinding>) {
    let d = input.details;
    let lists = [(PrincipalKind::User, &d.users), (PrincipalKind::Group, &d.groups), (PrincipalKind::Role, &d.roles)];
    for (kind, list) in lists {
        for e in list.iter() {
            for (name, doc) in &e.inline {
                let Some((how, action)) = admin(doc) else { continue };
                let principal = Principal { kind, name: e.name.clone() };
                let owner = format!("{} {}", kind_name(kind).to_lowercase(), e.name);
                let title = match (how, action) {
                    (Admin::Full, _) => {
                        format!("Inline policy {name} of {owner} allows every action on every resource")
                    }
                    (_, Some(a)) => format!("Inline policy {name} of {owner} allows {a} on every resource"),
                    (_, None) => {
                        format!("Inline policy {name} of {owner} grants the equivalent of administrator access")
                    }
                };
                out.push(finding(
                    "inline-admin",
                    FindingSeverity::High,
                    FindingEntity::InlinePolicy { principal: principal.clone(), name: name.clone() },
                    title,
                    "Administrator access hidden in an inline policy escapes reviews of managed policies.",
                    (how == Admin::Full).then_some("CIS 1.16"),
                    Fix::InlinePolicy { principal, name: name.clone() },
                ));
            }
        }
    }
}

/// A JSON value as a list of strings (a string or an array of strings).
fn strings(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The account of an AWS principal: `123456789012` or `arn:aws:iam::123456789012:…`.
fn principal_account(p: &str) -> Option<&str> {
    let account = if p.starts_with("arn:") { p.split(':').nth(4)? } else { p };
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// Whether a statement's condition names `sts:ExternalId` or `aws:MultiFactorAuthPresent`.
fn guarded(condition: Option<&Value>) -> bool {
    let Some(Value::Object(ops)) = condition else { return false };
    ops.values().filter_map(Value::as_object).flat_map(|keys| keys.keys()).any(|k| {
        let k = k.to_ascii_lowercase();
        k == "sts:externalid" || k == "aws:multifactorauthpresent"
    })
}

fn trust(input: &AuditInput<'_>, out: &mut Vec<AuditFinding>) {
    for role in &input.details.roles {
        if role.arn.contains(":role/aws-service-role/") {
            continue;
        }
        let Some(raw) = &role.trust else { continue };
        let Ok(doc) = serde_json::from_str::<Value>(&document::decode(raw)) else { continue };
        let statements = match doc.get("Statement") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(s @ Value::Object(_)) => vec![s],
            _ => Vec::new(),
        };
        let (mut open, mut foreign) = (false, None::<String>);
        let mut any_subject = None::<(String, &'static str)>;
        for s in statements {
            if any_subject.is_none() {
                any_subject = crate::policy::validate::web_identity_any_subject(s).into_iter().next();
            }
            if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
                continue;
            }
            let condition = s.get("Condition");
            let aws: Vec<&str> = match s.get("Principal") {
                Some(Value::String(p)) if p == "*" => vec!["*"],
                Some(Value::Object(m)) => m.get("AWS").map(strings).unwrap_or_default(),
                _ => Vec::new(),
            };
            if condition.is_none() && aws.contains(&"*") {
                open = true;
            }
            if !guarded(condition) && foreign.is_none() {
                foreign = aws
                    .iter()
                    .filter_map(|p| principal_account(p))
                    .find(|a| *a != input.details.account)
                    .map(str::to_string);
            }
        }
        let name = role.name.as_str();
        let entity = || FindingEntity::Role { name: name.into() };
        if open {
            out.push(finding(
                "role-trust-open",
                FindingSeverity::Critical,
                entity(),
                format!("Anyone can assume {name}"),
                "Its trust policy allows any AWS principal, in any account, to assume the role without a condition.",
                None,
                Fix::RoleTrust { role: name.into() },
            ));
        }
        if let Some((host, provider)) = any_subject {
            out.push(finding(
                "role-trust-any-subject",
                FindingSeverity::Critical,
                entity(),
                format!("Anyone with a {provider} token can assume {name}"),
                &format!(
                    "Its trust policy lets {host} in with no condition on the token's subject ({host}:sub), so any \
                     repository, project or workspace of anyone on {provider} can assume the role."
                ),
                None,
                Fix::RoleTrust { role: name.into() },
            ));
        }
        if let Some(account) = foreign {
            out.push(finding(
                "role-trust-cross-account",
                FindingSeverity::Medium,
                entity(),
                format!("{name} can be assumed from account {account}"),
                "Another account is trusted without an external id or MFA condition, so anyone that account lets in can use the role.",
                None,
                Fix::RoleTrust { role: name.into() },
            ));
        }
    }
}

fn password_policy(input: &AuditInput<'_>, out: &mut Vec<AuditFinding>) {
    let fix = || Fix::PasswordPolicy { preset: true };
    let mut add = |check: &str, severity, title: String, why: &str, cis: Option<&str>| {
        out.push(finding(check, severity, FindingEntity::PasswordPolicy, title, why, cis, fix()));
    };
    let Some(p) = input.password_policy else {
        add(
            "password-policy-missing",
            FindingSeverity::Medium,
            "The account has no password policy".into(),
            "AWS's default then applies: 8 characters, no character classes, no reuse prevention and no expiry.",
            Some("CIS 1.8"),
        );
        return;
    };
    if p.minimum_password_length < MIN_PASSWORD_LENGTH {
        add(
            "password-length",
            FindingSeverity::Medium,
            format!(
                "The password policy allows passwords of {} characters, fewer than {MIN_PASSWORD_LENGTH}",
                p.minimum_password_length
            ),
            "Short passwords are guessed and cracked far sooner than long ones.",
            Some("CIS 1.8"),
        );
    }
    if p.password_reuse_prevention.is_none_or(|n| n < MIN_REUSE_PREVENTION) {
        add(
            "password-reuse",
            FindingSeverity::Medium,
            format!("The password policy does not prevent reusing the last {MIN_REUSE_PREVENTION} passwords"),
            "Users who may reuse old passwords bring back ones that may already have leaked.",
            Some("CIS 1.9"),
        );
    }
    if p.max_password_age.is_none_or(|d| d > MAX_PASSWORD_AGE_DAYS) {
        add(
            "password-no-expiry",
            FindingSeverity::Low,
            format!("Passwords do not expire within {MAX_PASSWORD_AGE_DAYS} days"),
            "A password that never expires stays useful to whoever learned it.",
            None,
        );
    }
    let classes =
        [p.require_uppercase_characters, p.require_lowercase_characters, p.require_numbers, p.require_symbols];
    if classes.iter().any(|c| !c) {
        add(
            "password-classes",
            FindingSeverity::Low,
            "The password policy does not require all four character classes".into(),
            "Without upper and lower case letters, numbers and symbols required, users pick simpler passwords.",
            None,
        );
    }
}
