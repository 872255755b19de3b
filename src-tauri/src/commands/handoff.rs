//! The one-time handoff: pending secrets, reveal, copy, CSV, handed over. The UI names a
//! handoff by its id; what is shown, copied or saved comes from the keychain.

use super::{Cmd, HandoffStore};
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

/// Copies the secret from the Rust side, so it never passes through the webview, and
/// clears the clipboard after 30 seconds if it still holds it.
#[tauri::command]
#[specta::specta]
pub async fn copy_secret(app: tauri::AppHandle, handoffs: HandoffStore<'_>, id: HandoffId) -> Cmd<()> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    let (_, secret) = handoffs.reveal(&id).await?;
    app.clipboard().write_text(secret.expose().clone()).map_err(|e| Error::Internal(format!("clipboard: {e}")))?;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        if app.clipboard().read_text().ok().as_deref() == Some(secret.expose().as_str()) {
            let _ = app.clipboard().write_text(String::new());
        }
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
