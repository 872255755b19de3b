//! Trust policies: built from what an administrator picks, and described in words.
//!
//! CONTRACT STUB: being written.

use serde::Deserialize;

/// Who may assume a role, as the trust-policy builder asks it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TrustSpec {
    /// AWS services, by service principal (`ec2.amazonaws.com`).
    #[serde(rename_all = "camelCase")]
    Service { principals: Vec<String> },
    /// Another (or this) AWS account.
    #[serde(rename_all = "camelCase")]
    Account { account_id: String, external_id: Option<String>, require_mfa: bool },
    /// An OIDC provider of the account, with its audience and subject conditions.
    #[serde(rename_all = "camelCase")]
    WebIdentity { provider_arn: String, audience: Option<String>, subject: Option<String> },
    #[serde(rename_all = "camelCase")]
    Saml { provider_arn: String },
}

/// The trust policy for `spec`, pretty-printed, for the editor.
pub fn build(spec: &TrustSpec) -> String {
    let _ = spec;
    String::new()
}

/// The trusted entities of a trust policy, in words.
pub fn describe(document: &str) -> Vec<String> {
    let _ = document;
    Vec::new()
}
