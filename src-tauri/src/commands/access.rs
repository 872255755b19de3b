//! Who can do what: a principal's effective permissions, the simulator and "who can do
//! this?", answered from the profile's snapshot of the account (read once, then offline).

use super::Cmd;
use gatehouse_core::access::{
    self, AccessPreset, EffectivePermissions, Simulation, SimulationRequest, SnapshotInfo, Snapshots, WhoCan,
};
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::vocab::Principal;
use tauri::State;

/// Reads the account's authorization details again; later questions use this snapshot.
#[tauri::command]
#[specta::specta]
pub async fn load_access_snapshot(
    connections: State<'_, Connections>,
    snapshots: State<'_, Snapshots>,
    profile: String,
) -> Cmd<SnapshotInfo> {
    let conn = connections.get(&profile)?;
    Ok(snapshots.load(&profile, &conn).await?.info.clone())
}

#[tauri::command]
#[specta::specta]
pub async fn get_effective_permissions(
    connections: State<'_, Connections>,
    snapshots: State<'_, Snapshots>,
    profile: String,
    principal: Principal,
) -> Cmd<EffectivePermissions> {
    let conn = connections.get(&profile)?;
    access::effective_permissions(&*snapshots.get(&profile, &conn).await?, &principal)
}

#[tauri::command]
#[specta::specta]
pub async fn simulate_access(
    connections: State<'_, Connections>,
    snapshots: State<'_, Snapshots>,
    profile: String,
    request: SimulationRequest,
) -> Cmd<Simulation> {
    let conn = connections.get(&profile)?;
    access::simulate(&*snapshots.get(&profile, &conn).await?, &request)
}

#[tauri::command]
#[specta::specta]
pub async fn who_can(
    connections: State<'_, Connections>,
    snapshots: State<'_, Snapshots>,
    profile: String,
    actions: Vec<String>,
    resource: Option<String>,
) -> Cmd<Vec<WhoCan>> {
    let conn = connections.get(&profile)?;
    access::who_can(&*snapshots.get(&profile, &conn).await?, &actions, resource.as_deref())
}

#[tauri::command]
#[specta::specta]
pub async fn list_access_presets() -> Cmd<Vec<AccessPreset>> {
    Ok(access::presets())
}
