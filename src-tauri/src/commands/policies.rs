//! Managed policies: the list, one policy with its versions, creating, versions and the
//! default version. Deleting one is a deletion (`deletion`), as for a user.

use super::Cmd;
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::iam::policies::{self, NewPolicy, PolicyDetail, PolicySummary, PolicyVersion};
use gatehouse_core::vocab::{Changed, Done};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn list_policies(connections: State<'_, Connections>, profile: String) -> Cmd<Vec<PolicySummary>> {
    policies::list_policies(&*connections.get(&profile)?).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_policy(connections: State<'_, Connections>, profile: String, arn: String) -> Cmd<PolicyDetail> {
    policies::get_policy(&*connections.get(&profile)?, &arn).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_policy(
    connections: State<'_, Connections>,
    profile: String,
    policy: NewPolicy,
) -> Cmd<Done<PolicySummary>> {
    policies::create_policy(&*connections.get(&profile)?, &policy).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_policy_version(
    connections: State<'_, Connections>,
    profile: String,
    arn: String,
    document: String,
    set_default: bool,
) -> Cmd<Done<PolicyVersion>> {
    policies::create_version(&*connections.get(&profile)?, &arn, &document, set_default).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_default_policy_version(
    connections: State<'_, Connections>,
    profile: String,
    arn: String,
    version: String,
) -> Cmd<Changed> {
    policies::set_default_version(&*connections.get(&profile)?, &arn, &version).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_policy_version(
    connections: State<'_, Connections>,
    profile: String,
    arn: String,
    version: String,
) -> Cmd<Changed> {
    policies::delete_version(&*connections.get(&profile)?, &arn, &version).await
}
