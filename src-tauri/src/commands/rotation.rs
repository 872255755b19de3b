//! Access key rotation: where it starts, the keys' last use, its saved progress, and its
//! last two steps, which read the old key from AWS before touching it.

use super::Cmd;
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::credentials::rotation::{self, KeyUse, Rotation, RotationList, RotationPlan, Rotations};
use gatehouse_core::vocab::{Changed, Done};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn plan_rotation(connections: State<'_, Connections>, profile: String, user: String) -> Cmd<RotationPlan> {
    rotation::plan(&*connections.get(&profile)?, &user).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_key_last_used(connections: State<'_, Connections>, profile: String, key_id: String) -> Cmd<KeyUse> {
    rotation::key_last_used(&*connections.get(&profile)?, &key_id).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_rotations(rotations: State<'_, Rotations>) -> Cmd<RotationList> {
    rotations.list()
}

#[tauri::command]
#[specta::specta]
pub async fn save_rotation(rotations: State<'_, Rotations>, rotation: Rotation) -> Cmd<()> {
    rotations.save(&rotation)
}

#[tauri::command]
#[specta::specta]
pub async fn finish_rotation(rotations: State<'_, Rotations>, account: String, user: String) -> Cmd<()> {
    rotations.finish(&account, &user)
}

/// Deactivates the rotation's old key and records when; the rotation moves to its last step.
#[tauri::command]
#[specta::specta]
pub async fn deactivate_old_key(
    connections: State<'_, Connections>,
    rotations: State<'_, Rotations>,
    profile: String,
    account: String,
    user: String,
) -> Cmd<Done<Rotation>> {
    rotation::deactivate_old(&*connections.get(&profile)?, &rotations, &account, &user).await
}

/// Deletes the rotation's old key, unless AWS says it is active again or was used after it
/// was deactivated; the rotation is then finished.
#[tauri::command]
#[specta::specta]
pub async fn delete_old_key(
    connections: State<'_, Connections>,
    rotations: State<'_, Rotations>,
    profile: String,
    account: String,
    user: String,
) -> Cmd<Changed> {
    rotation::delete_old(&*connections.get(&profile)?, &rotations, &account, &user).await
}
