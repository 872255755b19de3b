//! Deleting a customer-managed policy the way AWS requires: detach it from every user,
//! group and role, delete its non-default versions, then the policy. Planned from what the
//! policy has now, and every step treats "already gone" as done, so running it again after
//! an interruption finishes the job.
//!
//! CONTRACT STUB: being written.

use crate::aws::connection::Connection;
use crate::error::{Error, IpcError, Result};
use crate::vocab::Principal;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum PolicyStep {
    Detach { principal: Principal },
    DeleteVersion { id: String },
    DeletePolicy,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PlannedPolicyStep {
    pub step: PolicyStep,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PolicyDeletionPlan {
    pub arn: String,
    pub steps: Vec<PlannedPolicyStep>,
    /// The policy no longer exists: nothing to do.
    pub gone: bool,
}

/// What happened: what was done, the step that failed and why, and what was not attempted.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PolicyDeletionResult {
    pub arn: String,
    pub done: Vec<String>,
    pub failed: Option<String>,
    pub error: Option<IpcError>,
    pub remaining: Vec<String>,
}

pub async fn plan(conn: &Connection, arn: &str) -> Result<PolicyDeletionPlan> {
    let _ = (conn, arn);
    Err(Error::Internal("not written yet".into()))
}

/// Plans from the policy's current state and runs the plan, reporting each step's text as
/// it starts.
pub async fn delete(conn: &Connection, arn: &str, on_step: impl FnMut(String)) -> PolicyDeletionResult {
    let _ = (conn, on_step);
    PolicyDeletionResult {
        arn: arn.to_string(),
        done: vec![],
        failed: Some("Reading what to delete".into()),
        error: Some(IpcError::from(&Error::Internal("not written yet".into()))),
        remaining: vec![],
    }
}
