//! Roles: the account's list with their trusted entities in words, one role in full, and
//! creating and changing roles. Deleting one goes through `deletion`.
//!
//! CONTRACT STUB: types are final-ish, bodies are being written.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::vocab::Tag;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleLastUsed {
    pub date: String,
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleRow {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub role_id: String,
    pub created: String,
    pub description: String,
    /// Seconds, 3600–43200.
    pub max_session_duration: i32,
    /// Who may assume it, in words: "EC2", "account 123456789012 with MFA", "GitHub OIDC".
    pub trusted: Vec<String>,
    pub last_used: Option<RoleLastUsed>,
    /// Created and managed by an AWS service: AWS refuses most edits.
    pub service_linked: bool,
    pub attached_policies: Vec<String>,
    pub inline_policies: Vec<String>,
    pub instance_profiles: Vec<String>,
    pub permissions_boundary: Option<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleDetail {
    pub row: RoleRow,
    /// Decoded and pretty-printed.
    pub trust_policy: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InlinePolicy {
    pub name: String,
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewRole {
    pub name: String,
    pub path: String,
    pub description: String,
    pub trust_policy: String,
    /// Seconds, 3600–43200; `None`: AWS's default of one hour.
    pub max_session_duration: Option<i32>,
    /// Managed policies to attach.
    pub policies: Vec<String>,
    pub inline_policies: Vec<InlinePolicy>,
    pub permissions_boundary: Option<String>,
    pub tags: Vec<Tag>,
}

/// The identity providers a trust policy can name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IdentityProviders {
    pub oidc: Vec<OidcProvider>,
    pub saml: Vec<SamlProvider>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct OidcProvider {
    pub arn: String,
    /// `token.actions.githubusercontent.com`
    pub url: String,
    pub audiences: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SamlProvider {
    pub arn: String,
    pub name: String,
}

fn stub() -> Error {
    Error::Internal("not written yet".into())
}

pub async fn list_roles(conn: &Connection) -> Result<Vec<RoleRow>> {
    let _ = conn;
    Err(stub())
}

pub async fn get_role(conn: &Connection, name: &str) -> Result<RoleDetail> {
    let _ = (conn, name);
    Err(stub())
}

pub async fn create_role(conn: &Connection, new: &NewRole) -> Result<RoleRow> {
    let _ = (conn, new);
    Err(stub())
}

/// Changes the description and the maximum session duration (seconds).
pub async fn update_role(conn: &Connection, name: &str, description: &str, max_session_duration: i32) -> Result<()> {
    let _ = (conn, name, description, max_session_duration);
    Err(stub())
}

pub async fn update_trust_policy(conn: &Connection, name: &str, document: &str) -> Result<()> {
    let _ = (conn, name, document);
    Err(stub())
}

pub async fn list_identity_providers(conn: &Connection) -> Result<IdentityProviders> {
    let _ = conn;
    Err(stub())
}
