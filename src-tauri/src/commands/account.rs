//! The account: its alias, its password policy (with the CIS preset and its difference from
//! the current policy), and its summary against the quotas.

use super::Cmd;
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::iam::account::{
    self, AccountPasswordPolicy, AccountSummary, PasswordPolicyState, PolicyFieldChange,
};
use gatehouse_core::iam::credential_report::{self, CredentialReport, ReportProgress};
use gatehouse_core::vocab::Changed;
use tauri::ipc::Channel;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn get_account_alias(connections: State<'_, Connections>, profile: String) -> Cmd<Option<String>> {
    account::get_alias(&*connections.get(&profile)?).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_account_alias(connections: State<'_, Connections>, profile: String, alias: String) -> Cmd<Changed> {
    account::set_alias(&*connections.get(&profile)?, &alias).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_account_alias(connections: State<'_, Connections>, profile: String) -> Cmd<Changed> {
    account::remove_alias(&*connections.get(&profile)?).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_password_policy(connections: State<'_, Connections>, profile: String) -> Cmd<PasswordPolicyState> {
    account::get_password_policy(&*connections.get(&profile)?).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_password_policy(
    connections: State<'_, Connections>,
    profile: String,
    policy: AccountPasswordPolicy,
) -> Cmd<Changed> {
    account::update_password_policy(&*connections.get(&profile)?, &policy).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_password_policy(connections: State<'_, Connections>, profile: String) -> Cmd<Changed> {
    account::delete_password_policy(&*connections.get(&profile)?).await
}

/// The CIS preset built on the current policy (or AWS's default), and what it changes.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CisPasswordPolicy {
    pub policy: AccountPasswordPolicy,
    pub changes: Vec<PolicyFieldChange>,
}

#[tauri::command]
#[specta::specta]
pub async fn get_cis_password_policy(connections: State<'_, Connections>, profile: String) -> Cmd<CisPasswordPolicy> {
    let state = account::get_password_policy(&*connections.get(&profile)?).await?;
    let current = state.policy.as_ref().unwrap_or(&state.default);
    let policy = account::cis_preset(state.policy.as_ref());
    Ok(CisPasswordPolicy { changes: account::diff_password_policy(current, &policy), policy })
}

#[tauri::command]
#[specta::specta]
pub async fn get_account_summary(connections: State<'_, Connections>, profile: String) -> Cmd<AccountSummary> {
    account::get_account_summary(&*connections.get(&profile)?).await
}

/// Generates the credential report (AWS may take a while: progress goes to `on_progress`)
/// and reads every row.
#[tauri::command]
#[specta::specta]
pub async fn get_credential_report(
    connections: State<'_, Connections>,
    profile: String,
    on_progress: Channel<ReportProgress>,
) -> Cmd<CredentialReport> {
    let conn = connections.get(&profile)?;
    credential_report::refresh(&conn, credential_report::DEFAULT_TIMEOUT, |p| {
        // A closed window is no reason to stop generating.
        let _ = on_progress.send(p);
    })
    .await
}

/// Saves the report AWS holds, byte for byte as AWS sent it, where the administrator
/// chooses; returns the path, or none when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_credential_report(
    app: tauri::AppHandle,
    connections: State<'_, Connections>,
    profile: String,
) -> Cmd<Option<String>> {
    let conn = connections.get(&profile)?;
    let (generated, csv) = credential_report::read(&conn).await?;
    let day = generated.get(..10).unwrap_or_default();
    let name = format!("credential-report-{}-{day}.csv", conn.identity.account);
    super::save_file(&app, &name, "csv", &csv).await
}
