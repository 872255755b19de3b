//! Findings for an audit trail: CSV (one row per finding) and Markdown (a table per
//! severity), with the account and the time of the audit.

use super::checks::entity_key;
use super::{AuditFinding, FindingSeverity};
use crate::error::{Error, Result};

const SEVERITIES: [FindingSeverity; 4] =
    [FindingSeverity::Critical, FindingSeverity::High, FindingSeverity::Medium, FindingSeverity::Low];

fn severity_name(s: FindingSeverity) -> &'static str {
    match s {
        FindingSeverity::Critical => "Critical",
        FindingSeverity::High => "High",
        FindingSeverity::Medium => "Medium",
        FindingSeverity::Low => "Low",
    }
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return first) is prefixed with `'`: IAM names may start with `=`, `+`, `-` or `@`, and
/// an export must not run anything when opened.
fn cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

pub fn csv(account: &str, ran_at: &str, findings: &[AuditFinding]) -> Result<String> {
    let bad = |e: &dyn std::fmt::Display| Error::Internal(format!("the findings could not be written as CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "severity",
        "check",
        "entity",
        "title",
        "why",
        "cis",
        "acknowledged",
        "reason",
        "account",
        "audited_at",
    ])
    .map_err(|e| bad(&e))?;
    for f in findings {
        let ack = f.acknowledged.as_ref();
        let row = [
            severity_name(f.severity).to_string(),
            f.check.clone(),
            entity_key(&f.entity),
            f.title.clone(),
            f.why.clone(),
            f.cis.clone().unwrap_or_default(),
            if ack.is_some() { "yes" } else { "no" }.to_string(),
            ack.map(|a| a.reason.clone()).unwrap_or_default(),
            account.to_string(),
            ran_at.to_string(),
        ];
        w.write_record(row.iter().map(|v| cell(v))).map_err(|e| bad(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| bad(&e))?;
    String::from_utf8(bytes).map_err(|e| bad(&e))
}

/// Text for a Markdown table cell: `|` escaped, line breaks made spaces, and `<`/`>`
/// escaped so that a name or a reason is never read as HTML.
fn md(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' => out.push_str("\\|"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

pub fn markdown(account: &str, ran_at: &str, findings: &[AuditFinding]) -> String {
    let mut out = format!("# Security audit of account {}\n\nAudited at {}.\n\n", md(account), md(ran_at));
    let open: Vec<&AuditFinding> = findings.iter().filter(|f| f.acknowledged.is_none()).collect();
    let acknowledged: Vec<&AuditFinding> = findings.iter().filter(|f| f.acknowledged.is_some()).collect();
    let summary: Vec<String> = SEVERITIES
        .iter()
        .map(|s| format!("{} {}", open.iter().filter(|f| f.severity == *s).count(), severity_name(*s).to_lowercase()))
        .collect();
    out.push_str(&format!("Open findings: {}; acknowledged: {}.\n", summary.join(", "), acknowledged.len()));
    if findings.is_empty() {
        out.push_str("\nNo findings.\n");
        return out;
    }
    for severity in SEVERITIES {
        let of: Vec<&&AuditFinding> = open.iter().filter(|f| f.severity == severity).collect();
        if of.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {} ({})\n\n", severity_name(severity), of.len()));
        out.push_str("| Finding | Entity | Why | CIS | Check |\n|---|---|---|---|---|\n");
        for f in of {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                md(&f.title),
                md(&entity_key(&f.entity)),
                md(&f.why),
                md(f.cis.as_deref().unwrap_or("")),
                md(&f.check)
            ));
        }
    }
    if !acknowledged.is_empty() {
        out.push_str(&format!("\n## Acknowledged ({})\n\n", acknowledged.len()));
        out.push_str("| Severity | Finding | Entity | Reason | Acknowledged at |\n|---|---|---|---|---|\n");
        for f in acknowledged {
            let a = f.acknowledged.as_ref().expect("filtered on it");
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                severity_name(f.severity),
                md(&f.title),
                md(&entity_key(&f.entity)),
                md(&a.reason),
                md(&a.at)
            ));
        }
    }
    out
}

/// The two formats findings are exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, specta::Type)]
pub enum ExportFormat {
    Csv,
    Markdown,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Markdown => "md",
        }
    }

    /// The findings in this format.
    pub fn render(self, account: &str, ran_at: &str, findings: &[AuditFinding]) -> Result<String> {
        match self {
            ExportFormat::Csv => csv(account, ran_at, findings),
            ExportFormat::Markdown => Ok(markdown(account, ran_at, findings)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Acknowledgement, FindingEntity, Fix};

    const AT: &str = "2026-11-24T10:00:00Z";

    fn findings() -> Vec<AuditFinding> {
        vec![
            AuditFinding {
                id: "root-no-mfa:Root".into(),
                check: "root-no-mfa".into(),
                severity: FindingSeverity::Critical,
                entity: FindingEntity::Root,
                title: "The root user has no MFA".into(),
                why: "Whoever learns the password, controls the account.".into(),
                cis: Some("CIS 1.5".into()),
                fix: Fix::RootConsole,
                acknowledged: None,
            },
            AuditFinding {
                id: "user-no-group:User/=ana".into(),
                check: "user-no-group".into(),
                severity: FindingSeverity::Low,
                entity: FindingEntity::User { name: "=ana".into() },
                title: "=ana is in no group".into(),
                why: "Permissions | drift.".into(),
                cis: None,
                fix: Fix::UserGroups { user: "=ana".into() },
                acknowledged: Some(Acknowledgement {
                    reason: "break-glass | user\nreviewed <monthly>".into(),
                    at: "2026-11-20T08:00:00Z".into(),
                }),
            },
        ]
    }

    #[test]
    fn csv_has_one_row_per_finding_with_the_account_and_time() {
        let text = csv("111111111111", AT, &findings()).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            ["severity", "check", "entity", "title", "why", "cis", "acknowledged", "reason", "account", "audited_at"]
        );
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].iter().collect::<Vec<_>>(),
            [
                "Critical",
                "root-no-mfa",
                "Root",
                "The root user has no MFA",
                "Whoever learns the password, controls the account.",
                "CIS 1.5",
                "no",
                "",
                "111111111111",
                AT
            ]
        );
        // A name a spreadsheet would run as a formula is defused; the reason's line break
        // is kept, quoted.
        assert_eq!(&rows[1][2], "User/=ana");
        assert_eq!(&rows[1][3], "'=ana is in no group");
        assert_eq!(&rows[1][6], "yes");
        assert_eq!(&rows[1][7], "break-glass | user\nreviewed <monthly>");
        assert_eq!(&rows[1][5], "");
    }

    #[test]
    fn csv_of_no_findings_is_the_header() {
        assert_eq!(
            csv("111111111111", AT, &[]).unwrap(),
            "severity,check,entity,title,why,cis,acknowledged,reason,account,audited_at\n"
        );
    }

    #[test]
    fn markdown_has_a_table_per_severity_and_the_acknowledged_with_their_reason() {
        let text = markdown("111111111111", AT, &findings());
        assert!(
            text.starts_with("# Security audit of account 111111111111\n\nAudited at 2026-11-24T10:00:00Z.\n"),
            "{text}"
        );
        assert!(text.contains("Open findings: 1 critical, 0 high, 0 medium, 0 low; acknowledged: 1."), "{text}");
        assert!(text.contains(
            "## Critical (1)\n\n| Finding | Entity | Why | CIS | Check |\n|---|---|---|---|---|\n| The root user has no MFA | Root | Whoever learns the password, controls the account. | CIS 1.5 | root-no-mfa |\n"
        ), "{text}");
        // No empty tables for severities without open findings.
        assert!(!text.contains("## High") && !text.contains("## Low"), "{text}");
        assert!(text.contains(
            "| Low | =ana is in no group | User/=ana | break-glass \\| user reviewed &lt;monthly&gt; | 2026-11-20T08:00:00Z |\n"
        ), "{text}");
        // Every table row has exactly its columns' unescaped pipes.
        for line in text.lines().filter(|l| l.starts_with('|')) {
            let pipes = line.replace("\\|", "").matches('|').count();
            assert_eq!(pipes, 6, "{line}");
        }
    }

    #[test]
    fn markdown_of_no_findings_says_so() {
        let text = markdown("111111111111", AT, &[]);
        assert!(text.ends_with("acknowledged: 0.\n\nNo findings.\n"), "{text}");
    }

    #[test]
    fn render_picks_the_format() {
        let f = findings();
        assert_eq!(ExportFormat::Csv.render("111111111111", AT, &f).unwrap(), csv("111111111111", AT, &f).unwrap());
        assert_eq!(ExportFormat::Markdown.render("111111111111", AT, &f).unwrap(), markdown("111111111111", AT, &f));
        assert_eq!(ExportFormat::Markdown.extension(), "md");
    }
}
