//! The whole account in a handful of calls: GetAccountAuthorizationDetails for users,
//! groups and their policies (the connection's shared read), and the credential report for
//! console access, MFA and access keys. The tutorials' one-call-per-user loop takes ~40,000
//! calls for 5,000 users; this takes 7 or 8 through AWS's pages of 1,000.

use super::credential_report::{self, CredentialReportRow};
use super::details::{self, Principals};
use crate::aws::connection::Connection;
use crate::error::Result;
use crate::vocab::{rfc3339, Tag};
use serde::Serialize;
use std::collections::HashMap;

/// Console access, from the credential report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleAccess {
    pub enabled: bool,
    pub last_used: Option<String>,
}

/// Access keys, from the credential report (which has no key ids: those need ListAccessKeys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeySummary {
    pub count: u32,
    pub active: u32,
    /// When the oldest key was created or last rotated.
    pub oldest: Option<String>,
    pub last_used: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub user_id: String,
    pub created: String,
    pub groups: Vec<String>,
    pub attached_policies: Vec<String>,
    pub inline_policies: Vec<String>,
    pub tags: Vec<Tag>,
    /// `None` when the credential report could not be read.
    pub console: Option<ConsoleAccess>,
    pub mfa: Option<bool>,
    pub keys: Option<KeySummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupRow {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub group_id: String,
    pub created: String,
    pub members: Vec<String>,
    pub attached_policies: Vec<String>,
    pub inline_policies: Vec<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    pub users: Vec<UserRow>,
    pub groups: Vec<GroupRow>,
    /// Calls made to build it; the point of bulk reads.
    pub calls: u32,
    /// What could not be read (e.g. no permission for the credential report).
    pub warnings: Vec<String>,
}

pub async fn load(conn: &Connection) -> Result<Inventory> {
    let (details, report) = tokio::join!(details::principals(conn), credential_report::shared(conn));
    let (principals, mut calls) = details?;
    let (mut users, mut groups) = rows(&principals);
    let mut warnings = Vec::new();
    match report {
        Ok((report, report_calls)) => {
            calls += report_calls;
            let rows = summarise(&report.rows);
            for u in &mut users {
                if let Some(r) = rows.get(&u.name) {
                    u.console = Some(r.console.clone());
                    u.mfa = Some(r.mfa);
                    u.keys = Some(r.keys.clone());
                }
            }
        }
        Err(e) => warnings
            .push(format!("Console access, MFA and access keys are not shown: the credential report failed ({e}).")),
    }
    // Members come from the users' side: one source of truth, no per-group call.
    let mut members: HashMap<&str, Vec<String>> = HashMap::new();
    for u in &users {
        for g in &u.groups {
            members.entry(g.as_str()).or_default().push(u.name.clone());
        }
    }
    for g in &mut groups {
        g.members = members.remove(g.name.as_str()).unwrap_or_default();
    }
    users.sort_by(|a, b| a.name.cmp(&b.name));
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Inventory { users, groups, calls, warnings })
}

fn rows(p: &Principals) -> (Vec<UserRow>, Vec<GroupRow>) {
    let inline = |l| details::inline(l).map(|(name, _)| name).collect();
    let users = p
        .users
        .iter()
        .map(|u| UserRow {
            name: u.user_name.clone().unwrap_or_default(),
            path: u.path.clone().unwrap_or_else(|| "/".into()),
            arn: u.arn.clone().unwrap_or_default(),
            user_id: u.user_id.clone().unwrap_or_default(),
            created: u.create_date.as_ref().map(rfc3339).unwrap_or_default(),
            groups: u.group_list.clone().unwrap_or_default(),
            attached_policies: details::attached(&u.attached_managed_policies),
            inline_policies: inline(&u.user_policy_list),
            tags: details::tags(&u.tags),
            console: None,
            mfa: None,
            keys: None,
        })
        .collect();
    let groups = p
        .groups
        .iter()
        .map(|g| GroupRow {
            name: g.group_name.clone().unwrap_or_default(),
            path: g.path.clone().unwrap_or_else(|| "/".into()),
            arn: g.arn.clone().unwrap_or_default(),
            group_id: g.group_id.clone().unwrap_or_default(),
            created: g.create_date.as_ref().map(rfc3339).unwrap_or_default(),
            members: Vec::new(),
            attached_policies: details::attached(&g.attached_managed_policies),
            inline_policies: inline(&g.group_policy_list),
        })
        .collect();
    (users, groups)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub console: ConsoleAccess,
    pub mfa: bool,
    pub keys: KeySummary,
}

/// What the users' table shows of each user's report row, by user name.
pub fn summarise(rows: &[CredentialReportRow]) -> HashMap<String, ReportRow> {
    let mut out = HashMap::new();
    for r in rows.iter().filter(|r| !r.is_root()) {
        let mut summary = KeySummary { count: 0, active: 0, oldest: None, last_used: None };
        for k in r.keys() {
            let Some(rotated) = k.last_rotated.clone() else { continue };
            summary.count += 1;
            if k.active {
                summary.active += 1;
            }
            if summary.oldest.as_ref().is_none_or(|o| rotated < *o) {
                summary.oldest = Some(rotated);
            }
            if let Some(u) = &k.last_used_date {
                if summary.last_used.as_ref().is_none_or(|l| u > l) {
                    summary.last_used = Some(u.clone());
                }
            }
        }
        out.insert(
            r.user.clone(),
            ReportRow {
                console: ConsoleAccess {
                    enabled: r.password_enabled == Some(true),
                    last_used: r.password_last_used.clone(),
                },
                mfa: r.mfa_active,
                keys: summary,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111111111111:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ana,arn:aws:iam::111111111111:user/ana,2024-01-01T00:00:00+00:00,true,2026-11-20T09:00:00+00:00,2024-01-01T00:00:00+00:00,N/A,true,true,2025-02-01T00:00:00+00:00,2026-11-22T10:00:00+00:00,eu-west-1,s3,false,2024-03-01T00:00:00+00:00,2024-06-01T00:00:00+00:00,us-east-1,iam,false,N/A,false,N/A
\"svc,build\",arn:aws:iam::111111111111:user/svc,2024-01-01T00:00:00+00:00,false,no_information,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
";

    #[test]
    fn reads_console_mfa_and_keys_from_the_credential_report() {
        let rows = summarise(&credential_report::parse(REPORT.as_bytes()).unwrap());
        assert_eq!(rows.len(), 2, "the root account is not a user");
        let ana = &rows["ana"];
        assert!(ana.console.enabled && ana.mfa);
        assert_eq!(ana.console.last_used.as_deref(), Some("2026-11-20T09:00:00+00:00"));
        assert_eq!((ana.keys.count, ana.keys.active), (2, 1));
        assert_eq!(ana.keys.oldest.as_deref(), Some("2024-03-01T00:00:00+00:00"));
        assert_eq!(ana.keys.last_used.as_deref(), Some("2026-11-22T10:00:00+00:00"));
        let svc = &rows["svc,build"];
        assert!(!svc.console.enabled && svc.console.last_used.is_none() && svc.keys.count == 0);
    }

    #[test]
    fn a_report_without_the_expected_columns_is_an_error_not_a_guess() {
        assert!(credential_report::parse(b"user,arn\nana,x\n").is_err());
    }
}
