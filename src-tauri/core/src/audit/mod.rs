//! The security audit: "is this account in good shape?", answered from the bulk reads (the
//! credential report, GetAccountAuthorizationDetails, the password policy and the account
//! summary), never one call per user. Each finding names its entity, why it matters, the CIS
//! AWS Foundations control it maps to, and the screen that fixes it.
//!
//! `checks` holds the rules (pure functions of an [`AuditInput`], tested on crafted
//! reports and details); `store` keeps acknowledgements (per account) and the counts of the
//! last audit (per profile) in the app's data folder; `export` writes findings as CSV and
//! Markdown.

mod checks;
pub mod export;
pub mod store;
#[cfg(test)]
mod tests;

use crate::access::Details;
use crate::aws::connection::Connection;
use crate::error::Result;
use crate::iam::account::{AccountPasswordPolicy, AccountSummary};
use crate::iam::credential_report::CredentialReportRow;
use crate::vocab::Principal;
use aws_sdk_iam::primitives::DateTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type)]
pub enum FindingSeverity {
    Critical,
    High,
    Medium,
    Low,
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FindingEntity {
    Root,
    User {
        name: String,
    },
    Role {
        name: String,
    },
    /// A customer managed policy.
    Policy {
        arn: String,
        name: String,
    },
    /// An inline policy of a user, group or role.
    InlinePolicy {
        principal: Principal,
        name: String,
    },
    PasswordPolicy,
}

/// The screen that fixes a finding; the UI opens exactly this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "screen", rename_all = "camelCase")]
pub enum Fix {
    /// The user's page, enrolling a virtual MFA device.
    MfaEnrol { user: String },
    /// The key rotation wizard for the user's oldest active key.
    RotateKey { user: String },
    /// The user's access keys (deactivate or delete one).
    AccessKeys { user: String },
    /// The user's console access (remove an unused password).
    ConsoleAccess { user: String },
    /// The user's groups.
    UserGroups { user: String },
    /// The user's policies (move direct attachments to a group).
    UserPolicies { user: String },
    /// The password policy editor, with the CIS preset's changes shown when `preset`.
    PasswordPolicy { preset: bool },
    /// A managed policy's page.
    Policy { arn: String },
    /// A principal's inline policy.
    InlinePolicy { principal: Principal, name: String },
    /// A role's page, at its trust policy.
    RoleTrust { role: String },
    /// Only the root user can fix it, signed in to the AWS console: the app says how.
    RootConsole,
}

/// Someone decided to accept a finding's risk, and why (kept locally per account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Acknowledgement {
    pub reason: String,
    /// RFC 3339.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditFinding {
    /// Stable across audits: `check` and the entity (`user-no-mfa:User/ana`). What an
    /// acknowledgement is kept under.
    pub id: String,
    /// The check's id, e.g. `user-console-no-mfa`.
    pub check: String,
    pub severity: FindingSeverity,
    pub entity: FindingEntity,
    /// One line: "ana can sign in to the console without MFA".
    pub title: String,
    /// Why it matters, one sentence.
    pub why: String,
    /// The CIS AWS Foundations Benchmark control, e.g. "CIS 1.10", where one exists.
    pub cis: Option<String>,
    pub fix: Fix,
    pub acknowledged: Option<Acknowledgement>,
}

/// Findings per severity, acknowledged ones not counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SeverityCounts {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

/// The counts at the previous opening of the profile, for the dashboard's trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AuditTrend {
    pub previous: SeverityCounts,
    /// When that audit ran (RFC 3339).
    pub previous_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Audit {
    /// Most severe first, then by entity.
    pub findings: Vec<AuditFinding>,
    pub counts: SeverityCounts,
    /// `None` the first time the profile is audited.
    pub trend: Option<AuditTrend>,
    /// When the audit ran, and when AWS generated the credential report it read.
    pub ran_at: String,
    pub report_generated: String,
    /// Calls made to AWS for it.
    pub calls: u32,
    /// Checks that could not run and why (e.g. no permission for the credential report).
    pub warnings: Vec<String>,
}

/// Everything the checks look at, already read.
#[derive(Debug, Clone)]
pub struct AuditInput<'a> {
    pub report: &'a [CredentialReportRow],
    /// Users, groups, roles (with trust policies) and customer managed policies.
    pub details: &'a Details,
    /// `None`: no policy, AWS's default applies.
    pub password_policy: Option<&'a AccountPasswordPolicy>,
    pub summary: &'a AccountSummary,
    /// Seconds since the Unix epoch: the checks' "now", given so tests are exact.
    pub now: i64,
}

/// Every finding for `input`, most severe first, no acknowledgement applied.
pub fn check(input: &AuditInput<'_>) -> Vec<AuditFinding> {
    checks::run(input)
}

/// Counts the findings not acknowledged.
pub fn count(findings: &[AuditFinding]) -> SeverityCounts {
    let mut c = SeverityCounts::default();
    for f in findings.iter().filter(|f| f.acknowledged.is_none()) {
        match f.severity {
            FindingSeverity::Critical => c.critical += 1,
            FindingSeverity::High => c.high += 1,
            FindingSeverity::Medium => c.medium += 1,
            FindingSeverity::Low => c.low += 1,
        }
    }
    c
}

/// Reads the account in bulk and audits it; acknowledgements and the trend come from
/// `store`. `opened`: the first audit since the profile was selected, which moves the
/// trend's baseline to the previous opening's counts, and shares the connection's read of
/// the account; any later run reads the account again.
///
/// The four reads run at once. One that fails (no permission for the credential report,
/// say) does not sink the audit: the checks that need it do not run and `warnings` says
/// so. Only when every read fails is the audit an error (the first read's).
pub async fn run(conn: &Connection, store: &store::AuditStore, profile: &str, opened: bool) -> Result<Audit> {
    use crate::iam::{account, credential_report};
    if !opened {
        // Run again: the administrator asks what the account holds now, whoever changed it.
        conn.read().forget();
    }
    let (report, details, policy, summary) = tokio::join!(
        credential_report::shared(conn),
        crate::access::read_details(conn, false),
        account::get_password_policy(conn),
        account::get_account_summary(conn),
    );
    if let (Err(_), Err(_), Err(_), Err(_)) = (&report, &details, &policy, &summary) {
        return Err(report.expect_err("matched as an error"));
    }
    let mut warnings = Vec::new();
    let mut calls = 0;
    let sources = checks::Sources {
        report: report.is_ok(),
        details: details.is_ok(),
        password_policy: policy.is_ok(),
        summary: summary.is_ok(),
    };
    let (rows, report_generated) = match report {
        Ok((r, report_calls)) => {
            calls += report_calls;
            (r.rows.clone(), r.generated.clone())
        }
        Err(e) => {
            calls += 1;
            warnings.push(format!(
                "The credential report could not be read ({e}), so the checks of the root user's and the users' \
                 passwords, MFA and access keys did not run."
            ));
            (Vec::new(), String::new())
        }
    };
    let account_id = conn.identity.account.clone();
    let details = match details {
        Ok((d, pages)) => {
            calls += pages;
            d
        }
        Err(e) => {
            calls += 1;
            warnings.push(format!(
                "The account's authorization details could not be read ({e}), so the checks of policies, groups \
                 and roles' trust did not run."
            ));
            Details { account: account_id.clone(), ..Details::default() }
        }
    };
    // The password policy and the summary: one call each, answered or not.
    calls += 2;
    let password_policy = match policy {
        Ok(state) => state.policy,
        Err(e) => {
            warnings.push(format!("The password policy could not be read ({e}), so it was not checked."));
            None
        }
    };
    let summary = match summary {
        Ok(s) => s,
        Err(e) => {
            warnings.push(format!(
                "The account summary could not be read ({e}); the root user was checked from the credential \
                 report alone."
            ));
            empty_summary()
        }
    };
    let ran = DateTime::from(std::time::SystemTime::now());
    let ran_at = crate::vocab::rfc3339(&ran);
    let input = AuditInput {
        report: &rows,
        details: &details,
        password_policy: password_policy.as_ref(),
        summary: &summary,
        now: ran.secs(),
    };
    let mut findings = checks::run_with(&input, sources);
    let acknowledgements = store.acknowledgements(&account_id)?;
    for f in &mut findings {
        f.acknowledged = acknowledgements.get(&f.id).cloned();
    }
    let counts = count(&findings);
    let trend = store.record(profile, counts, &ran_at, opened)?;
    warnings.extend(store.take_notice());
    Ok(Audit { findings, counts, trend, ran_at, report_generated, calls, warnings })
}

/// A summary with nothing in it, for when it could not be read.
fn empty_summary() -> AccountSummary {
    let none = crate::iam::account::QuotaUse { used: 0, quota: 0 };
    AccountSummary {
        users: none,
        groups: none,
        roles: none,
        policies: none,
        server_certificates: none,
        mfa_devices_in_use: 0,
        mfa_devices: 0,
        policy_versions_in_use: none,
        entries: Vec::new(),
    }
}
