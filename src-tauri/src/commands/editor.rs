//! The policy editor's questions: diagnostics, action completion and hover. Offline: the
//! core answers from the embedded catalogue, with no profile and no call to AWS.

use super::Cmd;
use gatehouse_core::iam::trust::{self, TrustSpec};
use gatehouse_core::policy::catalogue::{self, ActionInfo, ActionPattern, ServicePrincipal};
use gatehouse_core::policy::validate::{self, PolicyKind, Validation};

/// How many completions the editor shows at once.
const COMPLETIONS: usize = 200;

#[tauri::command]
#[specta::specta]
pub async fn validate_policy(document: String, kind: PolicyKind) -> Cmd<Validation> {
    Ok(validate::validate(&document, kind))
}

#[tauri::command]
#[specta::specta]
pub async fn complete_actions(prefix: String) -> Cmd<Vec<ActionInfo>> {
    Ok(catalogue::complete(&prefix, COMPLETIONS))
}

#[tauri::command]
#[specta::specta]
pub async fn describe_actions(pattern: String) -> Cmd<ActionPattern> {
    Ok(catalogue::describe(&pattern))
}

#[tauri::command]
#[specta::specta]
pub async fn list_service_principals() -> Cmd<Vec<ServicePrincipal>> {
    Ok(catalogue::service_principals())
}

/// The trust policy the builder's choices make, for the editor (nothing is sent).
#[tauri::command]
#[specta::specta]
pub async fn build_trust_policy(spec: TrustSpec) -> Cmd<String> {
    Ok(trust::build(&spec))
}
