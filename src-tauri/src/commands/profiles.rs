//! Profiles, the connection of the selected one, and its account's inventory.

use super::Cmd;
use gatehouse_core::aws::connection::{CallerIdentity, Connections};
use gatehouse_core::aws::profiles::ProfileList;
use gatehouse_core::iam::inventory::{self, Inventory};
use serde::Serialize;
use tauri::State;

/// Facts about this run of the app that the UI shows.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// Started by the sandbox script against local moto servers, not AWS.
    pub sandbox: bool,
}

impl AppInfo {
    pub fn from_env() -> Self {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            sandbox: std::env::var("GATEHOUSE_SANDBOX").is_ok_and(|v| v == "1"),
        }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn get_app_info(info: State<'_, AppInfo>) -> Cmd<AppInfo> {
    Ok(info.inner().clone())
}

#[tauri::command]
#[specta::specta]
pub async fn list_profiles(connections: State<'_, Connections>) -> Cmd<ProfileList> {
    connections.list_profiles().await
}

#[tauri::command]
#[specta::specta]
pub async fn connect_profile(connections: State<'_, Connections>, profile: String) -> Cmd<CallerIdentity> {
    connections.connect(&profile).await
}

/// Connects a profile with `mfa_serial` using a code from its device; the session is kept
/// in memory until it expires, so later `connect_profile` calls need no code.
#[tauri::command]
#[specta::specta]
pub async fn connect_profile_with_mfa(
    connections: State<'_, Connections>,
    profile: String,
    code: String,
) -> Cmd<CallerIdentity> {
    connections.connect_with_mfa(&profile, &code).await
}

#[tauri::command]
#[specta::specta]
pub async fn load_inventory(connections: State<'_, Connections>, profile: String) -> Cmd<Inventory> {
    inventory::load(&*connections.get(&profile)?).await
}
