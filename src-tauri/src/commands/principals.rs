//! What users, groups and roles share: rename, tags, managed and inline policies. One
//! command per operation serves every kind.

use super::{Cmd, HandoffStore, Partly};
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::iam::principals;
use gatehouse_core::vocab::{Changed, Principal, Tag};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn rename_principal(
    connections: State<'_, Connections>,
    handoffs: HandoffStore<'_>,
    profile: String,
    principal: Principal,
    new_name: Option<String>,
    new_path: Option<String>,
) -> Partly<Changed> {
    let conn = connections.get(&profile)?;
    principals::rename_with_handoffs(&conn, &handoffs, &principal, new_name.as_deref(), new_path.as_deref()).await
}

/// Adds or overwrites `tags`; `existing` is the principal's tag set, for the limits.
#[tauri::command]
#[specta::specta]
pub async fn tag_principal(
    connections: State<'_, Connections>,
    profile: String,
    principal: Principal,
    existing: Vec<Tag>,
    tags: Vec<Tag>,
) -> Cmd<Changed> {
    principals::tag(&*connections.get(&profile)?, &principal, &existing, &tags).await
}

#[tauri::command]
#[specta::specta]
pub async fn untag_principal(
    connections: State<'_, Connections>,
    profile: String,
    principal: Principal,
    keys: Vec<String>,
) -> Cmd<Changed> {
    principals::untag(&*connections.get(&profile)?, &principal, &keys).await
}

#[tauri::command]
#[specta::specta]
pub async fn attach_policy(
    connections: State<'_, Connections>,
    profile: String,
    principal: Principal,
    arn: String,
) -> Cmd<Changed> {
    principals::attach_policy(&*connections.get(&profile)?, &principal, &arn).await
}

#[tauri::command]
#[specta::specta]
pub async fn detach_policy(
    connections: State<'_, Connections>,
    profile: String,
    principal: Principal,
    arn: String,
) -> Cmd<Changed> {
    principals::detach_policy(&*connections.get(&profile)?, &principal, &arn).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_inline_policy(
    connections: State<'_, Connections>,
    profile: String,
    principal: Principal,
    name: String,
) -> Cmd<String> {
    principals::get_inline_policy(&*connections.get(&profile)?, &principal, &name).await
}

#[tauri::command]
#[specta::specta]
pub async fn put_inline_policy(
    connections: State<'_, Connections>,
    profile: String,
    principal: Principal,
    name: String,
    document: String,
) -> Cmd<Changed> {
    principals::put_inline_policy(&*connections.get(&profile)?, &principal, &name, &document).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_inline_policy(
    connections: State<'_, Connections>,
    profile: String,
    principal: Principal,
    name: String,
) -> Cmd<Changed> {
    principals::delete_inline_policy(&*connections.get(&profile)?, &principal, &name).await
}

/// Sets a user's or role's permissions boundary (groups have none).
#[tauri::command]
#[specta::specta]
pub async fn set_permissions_boundary(
    connections: State<'_, Connections>,
    profile: String,
    principal: Principal,
    arn: String,
) -> Cmd<Changed> {
    principals::set_permissions_boundary(&*connections.get(&profile)?, &principal, &arn).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_permissions_boundary(
    connections: State<'_, Connections>,
    profile: String,
    principal: Principal,
) -> Cmd<Changed> {
    principals::remove_permissions_boundary(&*connections.get(&profile)?, &principal).await
}
