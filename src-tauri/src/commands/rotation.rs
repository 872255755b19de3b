//! Access key rotation: where it starts, the keys' last use, and its saved progress.

use super::Cmd;
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::credentials::rotation::{self, KeyUse, Rotation, RotationPlan, Rotations};
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
pub async fn list_rotations(rotations: State<'_, Rotations>) -> Cmd<Vec<Rotation>> {
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
