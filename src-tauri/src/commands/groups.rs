//! Groups: detail, table row, create, membership.

use super::{Cmd, Partly};
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::iam::groups::{self, GroupDetail};
use gatehouse_core::iam::inventory::GroupRow;
use gatehouse_core::vocab::Changed;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn get_group(connections: State<'_, Connections>, profile: String, name: String) -> Cmd<GroupDetail> {
    groups::group_detail(&*connections.get(&profile)?, &name).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_group_row(
    connections: State<'_, Connections>,
    profile: String,
    name: String,
) -> Cmd<Option<GroupRow>> {
    groups::group_row(&*connections.get(&profile)?, &name).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_group(
    connections: State<'_, Connections>,
    profile: String,
    name: String,
    path: String,
) -> Cmd<Changed> {
    groups::create_group(&*connections.get(&profile)?, &name, &path).await
}

/// Adds (`member`) or removes several users at once.
#[tauri::command]
#[specta::specta]
pub async fn set_group_members(
    connections: State<'_, Connections>,
    profile: String,
    group: String,
    users: Vec<String>,
    member: bool,
) -> Partly<Changed> {
    groups::set_membership(&*connections.get(&profile)?, &group, &users, member).await
}
