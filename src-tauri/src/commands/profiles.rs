//! Profiles, the connection of the selected one, and its account's inventory.

use super::Cmd;
use gatehouse_core::aws::connection::{CallerIdentity, Connections};
use gatehouse_core::aws::profiles::ProfileList;
use gatehouse_core::aws::sso::{SsoProgress, SsoSignIn};
use gatehouse_core::iam::inventory::{self, Inventory};
use serde::Serialize;
use tauri::ipc::Channel;
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

/// Starts the SSO sign-in a profile in state `ssoExpired` needs (its own, or its source
/// profile's); the UI opens `verificationUri` in the browser and shows `userCode`, then
/// calls `finish_sso_sign_in` with `handle`.
#[tauri::command]
#[specta::specta]
pub async fn start_sso_sign_in(connections: State<'_, Connections>, profile: String) -> Cmd<SsoSignIn> {
    connections.start_sso_sign_in(&profile).await
}

/// Waits for the user to approve the sign-in, then caches the SSO token where the AWS CLI
/// keeps it; the UI then calls `connect_profile` again.
#[tauri::command]
#[specta::specta]
pub async fn finish_sso_sign_in(
    connections: State<'_, Connections>,
    handle: String,
    on_progress: Channel<SsoProgress>,
) -> Cmd<()> {
    connections
        .finish_sso_sign_in(&handle, |p| {
            // A closed window is no reason to abandon a sign-in the user is approving.
            let _ = on_progress.send(p);
        })
        .await
}

/// Abandons an SSO sign-in (its dialog was closed); nothing is written.
#[tauri::command]
#[specta::specta]
pub async fn cancel_sso_sign_in(connections: State<'_, Connections>, handle: String) -> Cmd<()> {
    connections.cancel_sso_sign_in(&handle);
    Ok(())
}

#[tauri::command]
#[specta::specta]
pub async fn load_inventory(connections: State<'_, Connections>, profile: String) -> Cmd<Inventory> {
    inventory::load(&*connections.get(&profile)?).await
}

/// Forgets what was read of the profile's account: the next screen to ask reads it again
/// from AWS (Refresh). Changes made in the app keep the read current on their own.
#[tauri::command]
#[specta::specta]
pub async fn refresh_account(connections: State<'_, Connections>, profile: String) -> Cmd<()> {
    connections.get(&profile)?.read().forget();
    Ok(())
}

/// How many of the profile's calls AWS has throttled since it was connected (each was sent
/// again after a pause). The UI reads it while a change runs, to say that AWS is slowing it.
#[tauri::command]
#[specta::specta]
pub async fn get_throttled_calls(connections: State<'_, Connections>, profile: String) -> Cmd<u32> {
    Ok(u32::try_from(connections.get(&profile)?.watch.throttled()).unwrap_or(u32::MAX))
}

/// Opens the page a sign-in is approved on in the system browser. Only the address the
/// identity center gave for `handle` is opened, never one from the UI.
#[tauri::command]
#[specta::specta]
pub async fn open_sso_page(connections: State<'_, Connections>, handle: String) -> Cmd<()> {
    let page = connections.sso_sign_in_page(&handle)?;
    #[cfg(target_os = "macos")]
    let mut opener = std::process::Command::new("open");
    #[cfg(target_os = "windows")]
    let mut opener = {
        let mut c = std::process::Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    };
    #[cfg(not(any(target_os = "macos", target_os = "windows")))]
    let mut opener = std::process::Command::new("xdg-open");
    opener
        .arg(&page)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        // Reaped when the opener exits (it hands the page to the browser and ends).
        .map(|mut child| drop(std::thread::spawn(move || child.wait())))
        .map_err(|e| {
            gatehouse_core::Error::InvalidInput(format!(
                "The browser could not be opened ({e}); open {page} yourself, the code is shown here."
            ))
        })
}
