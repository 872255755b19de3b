//! IPC commands: parse, call the core, return its result or its `{code, message}` error.
//! Each command is declared once in `commands!`, which also feeds the TypeScript bindings,
//! so the UI's view of a command cannot drift from its Rust signature.

use gatehouse_core::credentials;
use gatehouse_core::deletion::{self, Principal, Step};
use gatehouse_core::handoff::{self, Handoff, Handoffs};
use gatehouse_core::mfa::{self, MfaEnrolment};
use gatehouse_core::rotation::{self, KeyUse, Rotation, Rotations};
use gatehouse_core::users::AccessKeyInfo;
use gatehouse_core::passwords::{self, PasswordPolicy};
use gatehouse_core::secrets::KeyringStore;
use gatehouse_core::Sensitive;
use gatehouse_core::error::IpcError;
use gatehouse_core::groups::{self, GroupDetail};
use gatehouse_core::inventory::{self, GroupRow, Inventory, Tag, UserRow};
use gatehouse_core::policies::{self, PolicySummary};
use gatehouse_core::users::{self, FieldError, NewUser, UserDetail};
use gatehouse_core::{principals, profiles, CallerIdentity, Error, ProfileList, Sessions};
use serde::Serialize;
use tauri::ipc::Channel;
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

/// One step of a deletion plan, with the sentence the confirmation screen shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlannedStep {
    pub step: Step,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DeletionPlan {
    pub principal: Principal,
    pub steps: Vec<PlannedStep>,
    /// Dependencies that could not be listed; deletion may stop on DeleteConflict.
    pub warnings: Vec<String>,
    /// The principal no longer exists: nothing to do.
    pub gone: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DeletionProgress {
    pub principal: Principal,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct DeletionResult {
    pub principal: Principal,
    pub done: Vec<String>,
    pub failed: Option<String>,
    pub error: Option<IpcError>,
    pub remaining: Vec<String>,
}

type Cmd<T> = Result<T, Error>;

#[tauri::command]
async fn app_info(info: State<'_, AppInfo>) -> Cmd<AppInfo> {
    Ok(info.inner().clone())
}

#[tauri::command]
async fn list_profiles(sessions: State<'_, Sessions>) -> Cmd<ProfileList> {
    profiles::list_profiles(sessions.source()).await
}

#[tauri::command]
async fn connect_profile(sessions: State<'_, Sessions>, profile: String) -> Cmd<CallerIdentity> {
    sessions.connect(&profile).await
}

#[tauri::command]
async fn load_inventory(sessions: State<'_, Sessions>, profile: String) -> Cmd<Inventory> {
    inventory::load(&*sessions.get(&profile)?).await
}

#[tauri::command]
async fn user_detail(sessions: State<'_, Sessions>, profile: String, name: String) -> Cmd<UserDetail> {
    users::user_detail(&*sessions.get(&profile)?, &name).await
}

#[tauri::command]
async fn create_user(sessions: State<'_, Sessions>, profile: String, user: NewUser) -> Cmd<()> {
    users::create_user(&*sessions.get(&profile)?, &user).await
}

#[tauri::command]
async fn check_new_user(user: NewUser) -> Cmd<Vec<FieldError>> {
    Ok(user.field_errors())
}

#[tauri::command]
async fn user_row(sessions: State<'_, Sessions>, profile: String, name: String) -> Cmd<Option<UserRow>> {
    inventory::user_row(&*sessions.get(&profile)?, &name).await
}

#[tauri::command]
async fn group_row(sessions: State<'_, Sessions>, profile: String, name: String) -> Cmd<Option<GroupRow>> {
    inventory::group_row(&*sessions.get(&profile)?, &name).await
}

#[tauri::command]
async fn rename_principal(
    sessions: State<'_, Sessions>,
    profile: String,
    principal: Principal,
    new_name: Option<String>,
    new_path: Option<String>,
) -> Cmd<()> {
    principals::rename(&*sessions.get(&profile)?, &principal, new_name.as_deref(), new_path.as_deref()).await
}

#[tauri::command]
async fn set_tags(sessions: State<'_, Sessions>, profile: String, principal: Principal, existing: Vec<Tag>, tags: Vec<Tag>) -> Cmd<()> {
    principals::tag(&*sessions.get(&profile)?, &principal, &existing, &tags).await
}

#[tauri::command]
async fn remove_tags(sessions: State<'_, Sessions>, profile: String, principal: Principal, keys: Vec<String>) -> Cmd<()> {
    principals::untag(&*sessions.get(&profile)?, &principal, &keys).await
}

#[tauri::command]
async fn list_policies(sessions: State<'_, Sessions>, profile: String) -> Cmd<Vec<PolicySummary>> {
    policies::list_policies(&*sessions.get(&profile)?).await
}

#[tauri::command]
async fn attach_policy(sessions: State<'_, Sessions>, profile: String, principal: Principal, arn: String) -> Cmd<()> {
    principals::attach_policy(&*sessions.get(&profile)?, &principal, &arn).await
}

#[tauri::command]
async fn detach_policy(sessions: State<'_, Sessions>, profile: String, principal: Principal, arn: String) -> Cmd<()> {
    principals::detach_policy(&*sessions.get(&profile)?, &principal, &arn).await
}

#[tauri::command]
async fn get_inline_policy(sessions: State<'_, Sessions>, profile: String, principal: Principal, name: String) -> Cmd<String> {
    principals::get_inline_policy(&*sessions.get(&profile)?, &principal, &name).await
}

#[tauri::command]
async fn put_inline_policy(
    sessions: State<'_, Sessions>,
    profile: String,
    principal: Principal,
    name: String,
    document: String,
) -> Cmd<()> {
    principals::put_inline_policy(&*sessions.get(&profile)?, &principal, &name, &document).await
}

#[tauri::command]
async fn delete_inline_policy(sessions: State<'_, Sessions>, profile: String, principal: Principal, name: String) -> Cmd<()> {
    principals::delete_inline_policy(&*sessions.get(&profile)?, &principal, &name).await
}

#[tauri::command]
async fn group_detail(sessions: State<'_, Sessions>, profile: String, name: String) -> Cmd<GroupDetail> {
    groups::group_detail(&*sessions.get(&profile)?, &name).await
}

#[tauri::command]
async fn create_group(sessions: State<'_, Sessions>, profile: String, name: String, path: String) -> Cmd<()> {
    groups::create_group(&*sessions.get(&profile)?, &name, &path).await
}

#[tauri::command]
async fn set_group_members(sessions: State<'_, Sessions>, profile: String, group: String, users: Vec<String>, member: bool) -> Cmd<()> {
    groups::set_membership(&*sessions.get(&profile)?, &group, &users, member).await
}

#[tauri::command]
async fn plan_deletion(sessions: State<'_, Sessions>, profile: String, principals: Vec<Principal>) -> Cmd<Vec<DeletionPlan>> {
    use gatehouse_core::deletion::DeletionOps;
    let conn = sessions.get(&profile)?;
    let mut plans = Vec::new();
    for p in principals {
        let deps = conn.dependencies(&p).await?;
        let steps = deps.as_ref().map(|d| deletion::plan(&p, d)).unwrap_or_default();
        plans.push(DeletionPlan {
            steps: steps.into_iter().map(|s| PlannedStep { text: s.describe(&p), step: s }).collect(),
            warnings: deps.as_ref().map(|d| d.warnings.clone()).unwrap_or_default(),
            gone: deps.is_none(),
            principal: p,
        });
    }
    Ok(plans)
}

/// Deletes each principal in turn, re-planning from its current state, and reports every
/// step as it starts. One failure does not stop the others.
#[tauri::command]
async fn delete_principals(
    sessions: State<'_, Sessions>,
    profile: String,
    principals: Vec<Principal>,
    on_progress: Channel<DeletionProgress>,
) -> Cmd<Vec<DeletionResult>> {
    let conn = sessions.get(&profile)?;
    let mut results = Vec::new();
    for p in principals {
        let report = |_: usize, s: &Step| {
            let _ = on_progress.send(DeletionProgress { principal: p.clone(), text: s.describe(&p) });
        };
        let r = match deletion::delete(&*conn, &p, report).await {
            Ok(outcome) => DeletionResult {
                done: outcome.done.iter().map(|s| s.describe(&p)).collect(),
                failed: outcome.failed.as_ref().map(|(s, _)| s.describe(&p)),
                error: outcome.failed.as_ref().map(|(_, e)| IpcError::from(e)),
                remaining: outcome.remaining.iter().map(|s| s.describe(&p)).collect(),
                principal: p,
            },
            Err(e) => DeletionResult { done: vec![], failed: Some("Reading what to delete".into()), error: Some(IpcError::from(&e)), remaining: vec![], principal: p },
        };
        results.push(r);
    }
    Ok(results)
}

type Keychain<'a> = State<'a, Handoffs<KeyringStore>>;

#[tauri::command]
async fn create_access_key(sessions: State<'_, Sessions>, handoffs: Keychain<'_>, profile: String, user: String) -> Cmd<Handoff> {
    credentials::create_access_key(&*sessions.get(&profile)?, &handoffs, &user).await
}

#[tauri::command]
async fn set_access_key_status(sessions: State<'_, Sessions>, profile: String, user: String, key_id: String, active: bool) -> Cmd<()> {
    credentials::set_access_key_status(&*sessions.get(&profile)?, &user, &key_id, active).await
}

#[tauri::command]
async fn delete_access_key(sessions: State<'_, Sessions>, profile: String, user: String, key_id: String) -> Cmd<()> {
    credentials::delete_access_key(&*sessions.get(&profile)?, &user, &key_id).await
}

#[tauri::command]
async fn password_policy(sessions: State<'_, Sessions>, profile: String) -> Cmd<PasswordPolicy> {
    passwords::password_policy(&*sessions.get(&profile)?).await
}

/// Console access (`create`) or a new password. `password`: typed by the administrator, or
/// none to generate one.
#[tauri::command]
async fn set_console_password(
    sessions: State<'_, Sessions>,
    handoffs: Keychain<'_>,
    profile: String,
    user: String,
    password: Option<String>,
    reset_required: bool,
    create: bool,
) -> Cmd<Handoff> {
    let conn = sessions.get(&profile)?;
    credentials::set_console_password(&conn, &handoffs, &user, password.map(Sensitive::new), reset_required, create).await
}

#[tauri::command]
async fn delete_login_profile(sessions: State<'_, Sessions>, profile: String, user: String) -> Cmd<()> {
    credentials::delete_login_profile(&*sessions.get(&profile)?, &user).await
}

#[tauri::command]
async fn pending_handoffs(handoffs: Keychain<'_>) -> Cmd<Vec<Handoff>> {
    handoffs.pending()
}

/// The one command that sends a secret to the webview: on an explicit "reveal".
#[tauri::command]
async fn reveal_secret(handoffs: Keychain<'_>, handoff: Handoff) -> Cmd<String> {
    Ok(handoffs.reveal(&handoff)?.expose().clone())
}

/// Copies the secret from the Rust side, so it never passes through the webview, and
/// clears the clipboard after 30 seconds if it still holds it.
#[tauri::command]
async fn copy_secret(app: tauri::AppHandle, handoffs: Keychain<'_>, handoff: Handoff) -> Cmd<()> {
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
async fn save_handoff_csv(app: tauri::AppHandle, handoffs: Keychain<'_>, handoff: Handoff) -> Cmd<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    let secret = handoffs.reveal(&handoff)?;
    let (name, csv) = handoff::console_csv(&handoff, &secret);
    let dialog = app.dialog().file().set_file_name(&name).add_filter("CSV", &["csv"]);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    write_private(&path, csv.expose()).map_err(|e| Error::Internal(format!("{}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

/// Only the owner may read a file with a secret in it.
fn write_private(path: &std::path::Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(content.as_bytes())
}

#[tauri::command]
async fn complete_handoff(handoffs: Keychain<'_>, handoff: Handoff) -> Cmd<()> {
    handoffs.complete(&handoff)
}

#[tauri::command]
async fn create_virtual_mfa(sessions: State<'_, Sessions>, profile: String, user: String) -> Cmd<MfaEnrolment> {
    mfa::create_virtual_mfa(&*sessions.get(&profile)?, &user).await
}

#[tauri::command]
async fn enable_mfa(sessions: State<'_, Sessions>, profile: String, user: String, serial: String, code1: String, code2: String) -> Cmd<()> {
    mfa::enable_mfa(&*sessions.get(&profile)?, &user, &serial, &code1, &code2).await
}

#[tauri::command]
async fn deactivate_mfa(sessions: State<'_, Sessions>, profile: String, user: String, serial: String) -> Cmd<()> {
    mfa::deactivate_mfa(&*sessions.get(&profile)?, &user, &serial).await
}

#[tauri::command]
async fn delete_virtual_mfa(sessions: State<'_, Sessions>, profile: String, serial: String) -> Cmd<()> {
    mfa::delete_virtual_mfa(&*sessions.get(&profile)?, &serial).await
}

/// Where a rotation starts: the user's keys and, when it has two, which to delete first.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct RotationStart {
    pub keys: Vec<AccessKeyInfo>,
    pub remove_first: Option<String>,
}

#[tauri::command]
async fn rotation_start(sessions: State<'_, Sessions>, profile: String, user: String) -> Cmd<RotationStart> {
    let keys = users::user_detail(&*sessions.get(&profile)?, &user).await?.access_keys;
    let remove_first = rotation::key_to_remove_first(&keys).map(|k| k.id.clone());
    Ok(RotationStart { keys, remove_first })
}

#[tauri::command]
async fn key_last_used(sessions: State<'_, Sessions>, profile: String, key_id: String) -> Cmd<KeyUse> {
    rotation::key_last_used(&*sessions.get(&profile)?, &key_id).await
}

#[tauri::command]
async fn list_rotations(rotations: State<'_, Rotations>) -> Cmd<Vec<Rotation>> {
    rotations.list()
}

#[tauri::command]
async fn save_rotation(rotations: State<'_, Rotations>, rotation: Rotation) -> Cmd<()> {
    rotations.save(&rotation)
}

#[tauri::command]
async fn finish_rotation(rotations: State<'_, Rotations>, account: String, user: String) -> Cmd<()> {
    rotations.finish(&account, &user)
}

/// A command as the UI sees it: name, arguments (name, TypeScript type), result type.
pub struct Signature {
    pub name: &'static str,
    pub args: Vec<(String, String)>,
    pub result: String,
}

/// Tauri hands arguments over in camelCase.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

macro_rules! ts_type {
    ($ty:ty) => {
        <$ty as TS>::name()
    };
    ($ty:ty, $ts:literal) => {
        $ts.to_string()
    };
}

macro_rules! commands {
    ($($name:ident($($arg:ident: $ty:ty $(as $ts:literal)?),*) -> $ret:ty;)*) => {
        pub fn signatures() -> Vec<Signature> {
            vec![$(Signature {
                name: stringify!($name),
                args: vec![$((camel(stringify!($arg)), ts_type!($ty $(, $ts)?))),*],
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
    load_inventory(profile: String) -> Inventory;
    user_detail(profile: String, name: String) -> UserDetail;
    check_new_user(user: NewUser) -> Vec<FieldError>;
    user_row(profile: String, name: String) -> Option<UserRow>;
    group_row(profile: String, name: String) -> Option<GroupRow>;
    create_user(profile: String, user: NewUser) -> ();
    rename_principal(profile: String, principal: Principal, new_name: Option<String>, new_path: Option<String>) -> ();
    set_tags(profile: String, principal: Principal, existing: Vec<Tag>, tags: Vec<Tag>) -> ();
    remove_tags(profile: String, principal: Principal, keys: Vec<String>) -> ();
    list_policies(profile: String) -> Vec<PolicySummary>;
    attach_policy(profile: String, principal: Principal, arn: String) -> ();
    detach_policy(profile: String, principal: Principal, arn: String) -> ();
    get_inline_policy(profile: String, principal: Principal, name: String) -> String;
    put_inline_policy(profile: String, principal: Principal, name: String, document: String) -> ();
    delete_inline_policy(profile: String, principal: Principal, name: String) -> ();
    group_detail(profile: String, name: String) -> GroupDetail;
    create_group(profile: String, name: String, path: String) -> ();
    set_group_members(profile: String, group: String, users: Vec<String>, member: bool) -> ();
    plan_deletion(profile: String, principals: Vec<Principal>) -> Vec<DeletionPlan>;
    delete_principals(profile: String, principals: Vec<Principal>, on_progress: () as "Channel<DeletionProgress>") -> Vec<DeletionResult>;
    create_access_key(profile: String, user: String) -> Handoff;
    set_access_key_status(profile: String, user: String, key_id: String, active: bool) -> ();
    delete_access_key(profile: String, user: String, key_id: String) -> ();
    password_policy(profile: String) -> PasswordPolicy;
    set_console_password(profile: String, user: String, password: Option<String>, reset_required: bool, create: bool) -> Handoff;
    delete_login_profile(profile: String, user: String) -> ();
    pending_handoffs() -> Vec<Handoff>;
    reveal_secret(handoff: Handoff) -> String;
    copy_secret(handoff: Handoff) -> ();
    save_handoff_csv(handoff: Handoff) -> Option<String>;
    complete_handoff(handoff: Handoff) -> ();
    create_virtual_mfa(profile: String, user: String) -> MfaEnrolment;
    enable_mfa(profile: String, user: String, serial: String, code1: String, code2: String) -> ();
    deactivate_mfa(profile: String, user: String, serial: String) -> ();
    delete_virtual_mfa(profile: String, serial: String) -> ();
    rotation_start(profile: String, user: String) -> RotationStart;
    key_last_used(profile: String, key_id: String) -> KeyUse;
    list_rotations() -> Vec<Rotation>;
    save_rotation(rotation: Rotation) -> ();
    finish_rotation(account: String, user: String) -> ();
}
