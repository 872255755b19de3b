//! The security audit: run it, acknowledge a finding's accepted risk, export the findings.

use super::Cmd;
use gatehouse_core::audit::export::ExportFormat;
use gatehouse_core::audit::store::AuditStore;
use gatehouse_core::audit::{self, Acknowledgement, Audit, AuditFinding};
use gatehouse_core::aws::connection::Connections;
use tauri::State;

/// Reads the account in bulk and audits it. `opened`: the first audit since the profile
/// was selected (the dashboard's trend compares with the previous opening).
#[tauri::command]
#[specta::specta]
pub async fn run_audit(
    connections: State<'_, Connections>,
    store: State<'_, AuditStore>,
    profile: String,
    opened: bool,
) -> Cmd<Audit> {
    audit::run(&*connections.get(&profile)?, &store, &profile, opened).await
}

/// Accepts a finding's risk, with a reason, for the profile's account.
#[tauri::command]
#[specta::specta]
pub async fn acknowledge_finding(
    connections: State<'_, Connections>,
    store: State<'_, AuditStore>,
    profile: String,
    finding: String,
    reason: String,
) -> Cmd<Acknowledgement> {
    store.acknowledge(&connections.get(&profile)?.identity.account, &finding, &reason)
}

#[tauri::command]
#[specta::specta]
pub async fn unacknowledge_finding(
    connections: State<'_, Connections>,
    store: State<'_, AuditStore>,
    profile: String,
    finding: String,
) -> Cmd<()> {
    store.unacknowledge(&connections.get(&profile)?.identity.account, &finding)
}

/// Saves the findings where the administrator chooses; returns the path, or none when the
/// dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_audit(
    app: tauri::AppHandle,
    connections: State<'_, Connections>,
    profile: String,
    format: ExportFormat,
    ran_at: String,
    findings: Vec<AuditFinding>,
) -> Cmd<Option<String>> {
    let account = connections.get(&profile)?.identity.account.clone();
    let text = format.render(&account, &ran_at, &findings)?;
    let day = ran_at.get(..10).unwrap_or_default();
    let name = format!("gatehouse-audit-{account}-{day}.{}", format.extension());
    super::save_file(&app, &name, format.extension(), text.as_bytes()).await
}
