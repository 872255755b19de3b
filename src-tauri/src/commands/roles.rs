//! Roles, their trust policies, the identity providers a trust policy names, and instance
//! profiles. Deleting a role goes through `deletion`, like users and groups.

use super::{Cmd, Partly};
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::iam::instance_profiles::{self, InstanceProfileRow};
use gatehouse_core::iam::roles::{self, IdentityProviders, NewRole, RoleDetail, RoleRow};
use gatehouse_core::vocab::{Changed, Done};
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn list_roles(connections: State<'_, Connections>, profile: String) -> Cmd<Vec<RoleRow>> {
    roles::list_roles(&*connections.get(&profile)?).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_role(connections: State<'_, Connections>, profile: String, name: String) -> Cmd<RoleDetail> {
    roles::get_role(&*connections.get(&profile)?, &name).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_role(connections: State<'_, Connections>, profile: String, role: NewRole) -> Partly<Done<RoleRow>> {
    roles::create_role(&*connections.get(&profile)?, &role).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_role(
    connections: State<'_, Connections>,
    profile: String,
    name: String,
    description: String,
    max_session_duration: i32,
) -> Cmd<Changed> {
    roles::update_role(&*connections.get(&profile)?, &name, &description, max_session_duration).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_trust_policy(
    connections: State<'_, Connections>,
    profile: String,
    name: String,
    document: String,
) -> Cmd<Changed> {
    roles::update_trust_policy(&*connections.get(&profile)?, &name, &document).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_identity_providers(connections: State<'_, Connections>, profile: String) -> Cmd<IdentityProviders> {
    roles::list_identity_providers(&*connections.get(&profile)?).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_instance_profiles(
    connections: State<'_, Connections>,
    profile: String,
) -> Cmd<Vec<InstanceProfileRow>> {
    instance_profiles::list_instance_profiles(&*connections.get(&profile)?).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_instance_profile(
    connections: State<'_, Connections>,
    profile: String,
    name: String,
    path: String,
    role: Option<String>,
) -> Partly<Done<InstanceProfileRow>> {
    instance_profiles::create(&*connections.get(&profile)?, &name, &path, role.as_deref()).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_role_to_instance_profile(
    connections: State<'_, Connections>,
    profile: String,
    instance_profile: String,
    role: String,
) -> Cmd<Changed> {
    instance_profiles::add_role(&*connections.get(&profile)?, &instance_profile, &role).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_role_from_instance_profile(
    connections: State<'_, Connections>,
    profile: String,
    instance_profile: String,
    role: String,
) -> Cmd<Changed> {
    instance_profiles::remove_role(&*connections.get(&profile)?, &instance_profile, &role).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_instance_profile(
    connections: State<'_, Connections>,
    profile: String,
    instance_profile: String,
) -> Partly<Changed> {
    instance_profiles::delete(&*connections.get(&profile)?, &instance_profile).await
}
