//! Access keys and console passwords. A generated secret goes to the keychain; the UI
//! gets the handoff, never the secret.

use super::{Cmd, HandoffStore, Partly};
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::credentials::{access_keys, console};
use gatehouse_core::secrets::handoff::Handoff;
use gatehouse_core::sensitive::Sensitive;
use gatehouse_core::vocab::{Changed, Done};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn create_access_key(
    connections: State<'_, Connections>,
    handoffs: HandoffStore<'_>,
    profile: String,
    user: String,
) -> Partly<Done<Handoff>> {
    access_keys::create_access_key(&*connections.get(&profile)?, &handoffs, &user).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_access_key_status(
    connections: State<'_, Connections>,
    profile: String,
    user: String,
    key_id: String,
    active: bool,
) -> Cmd<Changed> {
    access_keys::set_access_key_status(&*connections.get(&profile)?, &user, &key_id, active).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_access_key(
    connections: State<'_, Connections>,
    profile: String,
    user: String,
    key_id: String,
) -> Cmd<Changed> {
    access_keys::delete_access_key(&*connections.get(&profile)?, &user, &key_id).await
}

/// Console access (`create`) or a new password. `password`: typed by the administrator,
/// or none to generate one.
#[tauri::command]
#[specta::specta]
pub async fn set_console_password(
    connections: State<'_, Connections>,
    handoffs: HandoffStore<'_>,
    profile: String,
    user: String,
    password: Option<String>,
    reset_required: bool,
    create: bool,
) -> Partly<Done<Handoff>> {
    let conn = connections.get(&profile)?;
    console::set_console_password(&conn, &handoffs, &user, password.map(Sensitive::new), reset_required, create).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_login_profile(connections: State<'_, Connections>, profile: String, user: String) -> Cmd<Changed> {
    console::delete_login_profile(&*connections.get(&profile)?, &user).await
}
