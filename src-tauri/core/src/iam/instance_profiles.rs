//! Instance profiles: how an EC2 instance carries a role.
//!
//! CONTRACT STUB: being written.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct InstanceProfileRow {
    pub name: String,
    pub path: String,
    pub arn: String,
    pub created: String,
    /// At most one on AWS.
    pub roles: Vec<String>,
}

fn stub() -> Error {
    Error::Internal("not written yet".into())
}

pub async fn list_instance_profiles(conn: &Connection) -> Result<Vec<InstanceProfileRow>> {
    let _ = conn;
    Err(stub())
}

/// Creates an instance profile and, when `role` is given, puts the role in it.
pub async fn create(conn: &Connection, name: &str, path: &str, role: Option<&str>) -> Result<InstanceProfileRow> {
    let _ = (conn, name, path, role);
    Err(stub())
}

pub async fn add_role(conn: &Connection, instance_profile: &str, role: &str) -> Result<()> {
    let _ = (conn, instance_profile, role);
    Err(stub())
}

pub async fn remove_role(conn: &Connection, instance_profile: &str, role: &str) -> Result<()> {
    let _ = (conn, instance_profile, role);
    Err(stub())
}

/// Removes its role, if any, then deletes it (AWS refuses while it holds a role).
pub async fn delete(conn: &Connection, instance_profile: &str) -> Result<()> {
    let _ = (conn, instance_profile);
    Err(stub())
}
