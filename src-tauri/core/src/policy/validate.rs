//! The one policy validator: the editor's diagnostics as you type, and the check every
//! create/put call makes first, so nothing invalid is ever sent.
//!
//! CONTRACT STUB: the findings, the issue codes and the size limits are being written.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Where a document goes: it decides the size limit and whether `Principal` belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub enum PolicyKind {
    Managed,
    UserInline,
    GroupInline,
    RoleInline,
    /// A role's trust policy (AssumeRolePolicyDocument).
    Trust,
}

/// The four classes of AWS's own policy validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// The policy would be rejected, or is not functional.
    Error,
    /// Overly permissive.
    SecurityWarning,
    /// Not best practice.
    Warning,
    /// Style.
    Suggestion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable issue code, e.g. `UNKNOWN_ACTION`.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// The range it is about, in UTF-16 code units from the start (CodeMirror's offsets).
    pub from: u32,
    pub to: u32,
    /// 1-based line and column of `from`, for messages.
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Validation {
    pub findings: Vec<Finding>,
    /// The document's size as AWS counts it (characters that are not whitespace).
    pub size: u32,
    /// AWS's limit for this kind of document.
    pub limit: u32,
}

/// Every finding about `document` as a policy of `kind`.
pub fn validate(document: &str, kind: PolicyKind) -> Validation {
    let _ = kind;
    let size = document.chars().filter(|c| !c.is_whitespace()).count() as u32;
    Validation { findings: Vec::new(), size, limit: 6144 }
}

/// What every write calls first: the first error, with its line, as MalformedPolicyDocument.
pub fn check(document: &str, kind: PolicyKind) -> Result<()> {
    let _ = kind;
    let value: serde_json::Value = serde_json::from_str(document).map_err(|e| {
        Error::MalformedPolicyDocument(format!(
            "The policy is not valid JSON: {e} (line {}, column {}).",
            e.line(),
            e.column()
        ))
    })?;
    if !value.is_object() || value.get("Statement").is_none() {
        return Err(Error::MalformedPolicyDocument("A policy is a JSON object with a \"Statement\".".into()));
    }
    Ok(())
}
