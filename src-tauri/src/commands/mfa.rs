//! Virtual MFA devices: enrol, enable with two codes, deactivate, delete, and the devices
//! left behind named for a user.

use super::Cmd;
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::credentials::mfa::{self, MfaEnrolment};
use gatehouse_core::vocab::{Changed, Done};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn create_virtual_mfa(
    connections: State<'_, Connections>,
    profile: String,
    user: String,
) -> Cmd<Done<MfaEnrolment>> {
    mfa::create_virtual_mfa(&*connections.get(&profile)?, &user).await
}

#[tauri::command]
#[specta::specta]
pub async fn enable_mfa(
    connections: State<'_, Connections>,
    profile: String,
    user: String,
    serial: String,
    code1: String,
    code2: String,
) -> Cmd<Changed> {
    mfa::enable_mfa(&*connections.get(&profile)?, &user, &serial, &code1, &code2).await
}

#[tauri::command]
#[specta::specta]
pub async fn deactivate_mfa(
    connections: State<'_, Connections>,
    profile: String,
    user: String,
    serial: String,
) -> Cmd<Changed> {
    mfa::deactivate_mfa(&*connections.get(&profile)?, &user, &serial).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_virtual_mfa(connections: State<'_, Connections>, profile: String, serial: String) -> Cmd<Changed> {
    mfa::delete_virtual_mfa(&*connections.get(&profile)?, &serial).await
}

/// Virtual devices named for `user` that no user holds (left by an abandoned enrolment or
/// an interrupted removal); each is deleted with `delete_virtual_mfa`.
#[tauri::command]
#[specta::specta]
pub async fn list_orphaned_mfa_devices(
    connections: State<'_, Connections>,
    profile: String,
    user: String,
) -> Cmd<Vec<String>> {
    mfa::orphaned_devices(&*connections.get(&profile)?, &user).await
}
