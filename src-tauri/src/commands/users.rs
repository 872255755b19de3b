//! Users: detail, table row, the add-user form.

use super::{Cmd, Partly};
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::iam::inventory::UserRow;
use gatehouse_core::iam::users::{self, FieldError, NewUser, UserDetail};
use gatehouse_core::vocab::Changed;
use tauri::State;

#[tauri::command]
#[specta::specta]
pub async fn get_user(connections: State<'_, Connections>, profile: String, name: String) -> Cmd<UserDetail> {
    users::user_detail(&*connections.get(&profile)?, &name).await
}

/// The user's table row again after a change; none when the user is gone.
#[tauri::command]
#[specta::specta]
pub async fn get_user_row(connections: State<'_, Connections>, profile: String, name: String) -> Cmd<Option<UserRow>> {
    users::user_row(&*connections.get(&profile)?, &name).await
}

/// The add-user form's errors, by field, before anything is sent.
#[tauri::command]
#[specta::specta]
pub async fn validate_new_user(user: NewUser) -> Cmd<Vec<FieldError>> {
    Ok(user.field_errors())
}

#[tauri::command]
#[specta::specta]
pub async fn create_user(connections: State<'_, Connections>, profile: String, user: NewUser) -> Partly<Changed> {
    users::create_user(&*connections.get(&profile)?, &user).await
}
