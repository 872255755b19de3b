//! Deleting a customer-managed policy the way AWS requires: detach it from every user,
//! group and role, delete its non-default versions, then the policy. Planned from what the
//! policy has now, and every step treats "already gone" as done, so running it again after
//! an interruption finishes the job.

use crate::aws::connection::Connection;
use crate::error::{Error, IpcError, Result};
use crate::iam::policies::{self, is_aws_managed, name_from_arn, PolicyEntities};
use crate::iam::principals;
use crate::rules;
use crate::vocab::{Principal, PrincipalKind};
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

/// The steps, in the order AWS requires: detach from every user, group and role, delete
/// every version but the default, then the policy (which takes its default version along).
pub fn steps(entities: &PolicyEntities, non_default_versions: &[String]) -> Vec<PolicyStep> {
    let mut steps: Vec<PolicyStep> = Vec::new();
    steps.extend(entities.users.iter().map(|n| PolicyStep::Detach { principal: Principal::user(n) }));
    steps.extend(entities.groups.iter().map(|n| PolicyStep::Detach { principal: Principal::group(n) }));
    steps.extend(entities.roles.iter().map(|n| PolicyStep::Detach { principal: Principal::role(n) }));
    steps.extend(non_default_versions.iter().map(|id| PolicyStep::DeleteVersion { id: id.clone() }));
    steps.push(PolicyStep::DeletePolicy);
    steps
}

impl PolicyStep {
    /// What the confirmation screen and the progress line say.
    pub fn describe(&self, arn: &str) -> String {
        match self {
            PolicyStep::Detach { principal } => {
                let kind = match principal.kind {
                    PrincipalKind::User => "user",
                    PrincipalKind::Group => "group",
                    PrincipalKind::Role => "role",
                };
                format!("Detach from {kind} {}", principal.name)
            }
            PolicyStep::DeleteVersion { id } => format!("Delete version {id}"),
            PolicyStep::DeletePolicy => format!("Delete policy {}", name_from_arn(arn)),
        }
    }
}

/// The policy's steps from its current state; `None` when it no longer exists.
async fn current_steps(conn: &Connection, arn: &str) -> Result<Option<Vec<PolicyStep>>> {
    rules::policy_arn(arn)?;
    if is_aws_managed(arn) {
        return Err(Error::InvalidInput(format!(
            "{} is managed by AWS: no account can delete it. Detach it where it is not wanted instead.",
            name_from_arn(arn)
        )));
    }
    let (entities, versions) = tokio::join!(policies::entities(conn, arn), policies::version_list(conn, arn));
    let (entities, versions) = match (entities, versions) {
        (Err(Error::NoSuchEntity(_)), _) | (_, Err(Error::NoSuchEntity(_))) => return Ok(None),
        (e, v) => (e?, v?),
    };
    // Oldest first: the versions come newest first.
    let non_default: Vec<String> =
        versions.into_iter().rev().filter(|v| !v.is_default_version).filter_map(|v| v.version_id).collect();
    Ok(Some(steps(&entities, &non_default)))
}

pub async fn plan(conn: &Connection, arn: &str) -> Result<PolicyDeletionPlan> {
    let steps = current_steps(conn, arn).await?;
    Ok(PolicyDeletionPlan {
        arn: arn.to_string(),
        gone: steps.is_none(),
        steps: steps
            .unwrap_or_default()
            .into_iter()
            .map(|s| PlannedPolicyStep { text: s.describe(arn), step: s })
            .collect(),
    })
}

async fn apply(conn: &Connection, arn: &str, step: &PolicyStep) -> Result<()> {
    match step {
        PolicyStep::Detach { principal } => principals::detach_policy(conn, principal, arn).await.map(drop),
        PolicyStep::DeleteVersion { id } => policies::delete_version(conn, arn, id).await.map(drop),
        PolicyStep::DeletePolicy => policies::delete_policy(conn, arn).await,
    }
}

/// Plans from the policy's current state and runs the plan, reporting each step's text as
/// it starts. A step whose object is already gone (NoSuchEntity) counts as done, so running
/// it again after an interruption finishes the job.
pub async fn delete(conn: &Connection, arn: &str, mut on_step: impl FnMut(String)) -> PolicyDeletionResult {
    let mut result =
        PolicyDeletionResult { arn: arn.to_string(), done: vec![], failed: None, error: None, remaining: vec![] };
    let steps = match current_steps(conn, arn).await {
        Ok(Some(steps)) => steps,
        Ok(None) => return result,
        Err(e) => {
            result.failed = Some("Reading what to delete".into());
            result.error = Some(IpcError::from(&e));
            return result;
        }
    };
    let mut rest = steps.into_iter();
    while let Some(step) = rest.next() {
        let text = step.describe(arn);
        on_step(text.clone());
        match apply(conn, arn, &step).await {
            Ok(()) | Err(Error::NoSuchEntity(_)) => result.done.push(text),
            Err(e) => {
                result.failed = Some(text);
                result.error = Some(IpcError::from(&e));
                result.remaining = rest.map(|s| s.describe(arn)).collect();
                break;
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detaches_everywhere_then_deletes_versions_then_the_policy() {
        let entities =
            PolicyEntities { users: vec!["ana".into()], groups: vec!["dev".into()], roles: vec!["ci".into()] };
        let got = steps(&entities, &["v1".into(), "v3".into()]);
        assert_eq!(
            got,
            [
                PolicyStep::Detach { principal: Principal::user("ana") },
                PolicyStep::Detach { principal: Principal::group("dev") },
                PolicyStep::Detach { principal: Principal::role("ci") },
                PolicyStep::DeleteVersion { id: "v1".into() },
                PolicyStep::DeleteVersion { id: "v3".into() },
                PolicyStep::DeletePolicy,
            ]
        );
        let arn = "arn:aws:iam::123456789012:policy/team/deploy";
        let texts: Vec<String> = got.iter().map(|s| s.describe(arn)).collect();
        assert_eq!(
            texts,
            [
                "Detach from user ana",
                "Detach from group dev",
                "Detach from role ci",
                "Delete version v1",
                "Delete version v3",
                "Delete policy deploy",
            ]
        );
        assert_eq!(steps(&PolicyEntities::default(), &[]), [PolicyStep::DeletePolicy]);
    }
}
