//! The Tauri shell: window, state, and the IPC commands. Everything that knows IAM lives in
//! `gatehouse-core`.

pub mod bindings;
mod clipboard;
mod commands;

use gatehouse_core::aws::connection::{ConnectOptions, Connections};
use gatehouse_core::aws::profiles::ProfileSource;
use gatehouse_core::credentials::rotation::Rotations;
use gatehouse_core::secrets::handoff::Handoffs;
use gatehouse_core::secrets::keychain::KeyringStore;

pub fn run() {
    let connections = Connections::new(ProfileSource::from_env(), ConnectOptions::from_env());
    let commands = commands::builder();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(connections)
        .manage(gatehouse_core::access::Snapshots::default())
        .manage(Handoffs::new(KeyringStore::new()))
        .manage(commands::AppInfo::from_env())
        .manage(std::sync::Arc::new(clipboard::SecretClipboard::<clipboard::SystemBoard>::default()))
        .setup(|app| {
            use tauri::Manager;
            // Rotation progress (no secrets) lives in the app's data folder.
            let dir = app.path().app_data_dir()?;
            app.manage(Rotations::new(dir.join("rotations.json")));
            // The audit's acknowledgements and last counts (no secrets, no account data).
            app.manage(gatehouse_core::audit::store::AuditStore::new(dir.join("audit.json")));
            Ok(())
        })
        .invoke_handler(commands.invoke_handler())
        .build(tauri::generate_context!())
        .expect("Gatehouse could not start its window");
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event {
            // A secret copied less than 30 s ago does not outlive the app.
            use tauri::Manager;
            // Bounded: a clipboard that does not answer cannot keep the app (and, on X11,
            // the secret it serves) alive.
            app.state::<std::sync::Arc<clipboard::SecretClipboard>>().clear_within(clipboard::CLEAR_AT_EXIT_WITHIN);
        }
    });
}
