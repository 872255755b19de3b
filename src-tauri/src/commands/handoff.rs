//! The one-time handoff: pending secrets, reveal, copy, CSV, handed over.

use super::{Cmd, HandoffStore};
use gatehouse_core::secrets::handoff::{self, Handoff};
use gatehouse_core::Error;

#[tauri::command]
#[specta::specta]
pub async fn list_handoffs(handoffs: HandoffStore<'_>) -> Cmd<Vec<Handoff>> {
    handoffs.pending()
}

/// The one command that sends a secret to the webview: on an explicit "reveal".
#[tauri::command]
#[specta::specta]
pub async fn reveal_secret(handoffs: HandoffStore<'_>, handoff: Handoff) -> Cmd<String> {
    Ok(handoffs.reveal(&handoff)?.expose().clone())
}

/// Copies the secret from the Rust side, so it never passes through the webview, and
/// clears the clipboard after 30 seconds if it still holds it.
#[tauri::command]
#[specta::specta]
pub async fn copy_secret(app: tauri::AppHandle, handoffs: HandoffStore<'_>, handoff: Handoff) -> Cmd<()> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    let secret = handoffs.reveal(&handoff)?;
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
pub async fn save_handoff_csv(
    app: tauri::AppHandle,
    handoffs: HandoffStore<'_>,
    handoff: Handoff,
) -> Cmd<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let secret = handoffs.reveal(&handoff)?;
    let (name, _) = handoff::console_csv(&handoff, &secret)?;
    let dialog = app.dialog().file().set_file_name(&name).add_filter("CSV", &["csv"]);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    handoff::save_csv(&path, &handoff, &secret)?;
    Ok(Some(path.display().to_string()))
}

/// "Handed over": the secret leaves the keychain.
#[tauri::command]
#[specta::specta]
pub async fn complete_handoff(handoffs: HandoffStore<'_>, handoff: Handoff) -> Cmd<()> {
    handoffs.complete(&handoff)
}
