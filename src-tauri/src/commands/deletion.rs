//! Deleting users, groups, roles and managed policies: the plan first, then the run with
//! progress.

use super::Cmd;
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::deletion::{self, DeletionPlan, DeletionProgress, DeletionResult, Target};
use tauri::ipc::Channel;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn plan_deletion(
    connections: State<'_, Connections>,
    profile: String,
    targets: Vec<Target>,
) -> Cmd<Vec<DeletionPlan>> {
    deletion::plan_all(&*connections.get(&profile)?, targets).await
}

#[tauri::command]
#[specta::specta]
pub async fn run_deletion(
    connections: State<'_, Connections>,
    profile: String,
    targets: Vec<Target>,
    on_progress: Channel<DeletionProgress>,
) -> Cmd<Vec<DeletionResult>> {
    let conn = connections.get(&profile)?;
    // A closed channel (the window went away) must not stop the deletion.
    Ok(deletion::delete_all(&*conn, targets, |p| drop(on_progress.send(p))).await)
}
