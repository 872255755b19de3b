//! Deleting users, groups and roles: the plan first, then the run with progress.

use super::Cmd;
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::deletion::{self, DeletionPlan, DeletionProgress, DeletionResult};
use gatehouse_core::vocab::Principal;
use tauri::ipc::Channel;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn plan_deletion(
    connections: State<'_, Connections>,
    profile: String,
    principals: Vec<Principal>,
) -> Cmd<Vec<DeletionPlan>> {
    deletion::plan_all(&*connections.get(&profile)?, principals).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_principals(
    connections: State<'_, Connections>,
    profile: String,
    principals: Vec<Principal>,
    on_progress: Channel<DeletionProgress>,
) -> Cmd<Vec<DeletionResult>> {
    let conn = connections.get(&profile)?;
    // A closed channel (the window went away) must not stop the deletion.
    Ok(deletion::delete_all(&*conn, principals, |p| drop(on_progress.send(p))).await)
}
