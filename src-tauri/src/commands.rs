//! IPC commands: parse, call the core, return its result or its `{code, message}` error.
//! Each command is declared once in `commands!`, which also feeds the TypeScript bindings,
//! so the UI's view of a command cannot drift from its Rust signature.

use gatehouse_core::{profiles, users, CallerIdentity, Error, ProfileList, Sessions, UserSummary};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

/// Facts about this run of the app that the UI shows.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    /// Started by the sandbox script against local moto servers, not AWS.
    pub sandbox: bool,
}

impl AppInfo {
    pub fn from_env() -> Self {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            sandbox: std::env::var("GATEHOUSE_SANDBOX").is_ok_and(|v| v == "1"),
        }
    }
}

#[tauri::command]
async fn app_info(info: State<'_, AppInfo>) -> Result<AppInfo, Error> {
    Ok(info.inner().clone())
}

#[tauri::command]
async fn list_profiles(sessions: State<'_, Sessions>) -> Result<ProfileList, Error> {
    profiles::list_profiles(sessions.source()).await
}

#[tauri::command]
async fn connect_profile(sessions: State<'_, Sessions>, profile: String) -> Result<CallerIdentity, Error> {
    sessions.connect(&profile).await
}

#[tauri::command]
async fn list_users(sessions: State<'_, Sessions>, profile: String) -> Result<Vec<UserSummary>, Error> {
    let conn = sessions.get(&profile)?;
    users::list_users(&conn).await
}

/// A command as the UI sees it: name, arguments (name, TypeScript type), result type.
pub struct Signature {
    pub name: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub result: String,
}

macro_rules! commands {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        pub fn signatures() -> Vec<Signature> {
            vec![$(Signature {
                name: stringify!($name),
                args: vec![$((stringify!($arg), <$ty as TS>::name())),*],
                result: <$ret as TS>::name(),
            }),*]
        }

        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

commands! {
    app_info() -> AppInfo;
    list_profiles() -> ProfileList;
    connect_profile(profile: String) -> CallerIdentity;
    list_users(profile: String) -> Vec<UserSummary>;
}
