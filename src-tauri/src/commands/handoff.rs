//! The one-time handoff: pending secrets, reveal, copy, CSV, handed over. The UI names a
//! handoff by its id; what is shown, copied or saved comes from the keychain.

use super::{Cmd, HandoffStore};
use crate::clipboard::{SecretClipboard, CLEAR_AFTER};
use gatehouse_core::secrets::handoff::{self, HandoffId, HandoffList};
use gatehouse_core::Error;

#[tauri::command]
#[specta::specta]
pub async fn list_handoffs(handoffs: HandoffStore<'_>) -> Cmd<HandoffList> {
    handoffs.list().await
}

/// The one command that sends a secret to the webview: on an explicit "reveal".
#[tauri::command]
#[specta::specta]
pub async fn reveal_secret(handoffs: HandoffStore<'_>, id: HandoffId) -> Cmd<String> {
    let (_, secret) = handoffs.reveal(&id).await?;
    Ok(secret.expose().clone())
}

/// Copies the secret from the Rust side, so it never passes through the webview; it is
/// kept out of clipboard history and cleared after 30 seconds and at exit.
#[tauri::command]
#[specta::specta]
pub async fn copy_secret(
    handoffs: HandoffStore<'_>,
    clipboard: tauri::State<'_, std::sync::Arc<SecretClipboard>>,
    id: HandoffId,
) -> Cmd<()> {
    let (_, secret) = handoffs.reveal(&id).await?;
    // Clipboard calls block (an X11 or Wayland round trip): on the blocking pool, never on
    // an async worker.
    let clipboard = std::sync::Arc::clone(&clipboard);
    let copying = std::sync::Arc::clone(&clipboard);
    let copy = tokio::task::spawn_blocking(move || copying.copy(secret))
        .await
        .map_err(|e| Error::Internal(format!("the clipboard failed: {e}")))??;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(CLEAR_AFTER).await;
        let _ = tokio::task::spawn_blocking(move || clipboard.clear(Some(copy))).await;
    });
    Ok(())
}

/// Saves the console-style CSV where the administrator chooses; returns the path, or none
/// when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_handoff_csv(app: tauri::AppHandle, handoffs: HandoffStore<'_>, id: HandoffId) -> Cmd<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let (stored, secret) = handoffs.reveal(&id).await?;
    let (name, _) = handoff::console_csv(&stored, &secret)?;
    let dialog = app.dialog().file().set_file_name(&name).add_filter("CSV", &["csv"]);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    handoff::save_csv(&path, &stored, &secret)?;
    Ok(Some(path.display().to_string()))
}

/// "Handed over": the secret leaves the keychain. For an unconfirmed password: discarded.
#[tauri::command]
#[specta::specta]
pub async fn complete_handoff(handoffs: HandoffStore<'_>, id: HandoffId) -> Cmd<()> {
    handoffs.complete(&id).await
}

/// Removes the note of a lost access key, once the user has deleted the key (or found it
/// was never made).
#[tauri::command]
#[specta::specta]
pub async fn dismiss_lost_key(handoffs: HandoffStore<'_>, entry: String) -> Cmd<()> {
    handoffs.dismiss_lost_key(&entry).await
}
