//! The IPC commands, one module per domain. Each command is a few lines: take its
//! arguments, call the core, return its result or its `{code, message}` error. Its
//! TypeScript is generated from the function itself (`#[specta::specta]`), so the UI's
//! view of a command is its real signature.

mod access;
mod account;
mod audit;
mod credentials;
mod deletion;
mod editor;
mod fleet;
mod groups;
mod handoff;
mod mfa;
mod policies;
mod principals;
mod profiles;
mod roles;
mod rotation;
mod users;

use gatehouse_core::secrets::handoff::Handoffs;
use gatehouse_core::secrets::keychain::KeyringStore;
use tauri_specta::{collect_commands, Builder};

pub use profiles::AppInfo;

type Cmd<T> = Result<T, gatehouse_core::Error>;

/// A command of several calls that may fail part-way: its error says what was changed before.
type Partly<T> = Result<T, gatehouse_core::vocab::Partial>;

/// The pending handoffs, kept in the OS keychain.
type HandoffStore<'a> = tauri::State<'a, Handoffs<KeyringStore>>;

/// Every command, declared once, in two lists. A `profile` command acts on one profile,
/// named by its first argument; their names go into the bindings (`PROFILE_COMMANDS`), so
/// the window knows which failures speak of a profile's session (an expired token, an MFA
/// session ended) instead of guessing it from the arguments. The `other` commands act on no
/// profile (the keychain's, the editor's, the saved rotations') or on many (the fleet's).
macro_rules! commands {
    (profile: [$($pm:ident::$p:ident),* $(,)?], other: [$($om:ident::$o:ident),* $(,)?] $(,)?) => {
        /// Every command, and the constants the UI needs from Rust.
        pub fn builder() -> Builder<tauri::Wry> {
            Builder::<tauri::Wry>::new()
                .commands(collect_commands![$($pm::$p,)* $($om::$o,)*])
                .constant("PROFILE_COMMANDS", [$(stringify!($p)),*].map(camel_case).to_vec())
                .constant("ERROR_CODES", gatehouse_core::ErrorCode::ALL)
                .error_handling(tauri_specta::ErrorHandlingMode::Throw)
                // One TypeScript type per Rust type: the UI reads what the core sends.
                .disable_serde_phases()
        }
    };
}

/// A command's name as the bindings spell it: `get_user` is `getUser`.
fn camel_case(snake: &str) -> String {
    let mut parts = snake.split('_');
    let first = parts.next().unwrap_or_default().to_string();
    parts.fold(first, |mut out, p| {
        let mut chars = p.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
        out
    })
}

commands! {
    profile: [
        profiles::connect_profile,
        profiles::connect_profile_with_mfa,
        profiles::start_sso_sign_in,
        profiles::load_inventory,
        profiles::refresh_account,
        profiles::get_throttled_calls,
        account::get_account_alias,
        account::set_account_alias,
        account::remove_account_alias,
        account::get_password_policy,
        account::update_password_policy,
        account::delete_password_policy,
        account::get_cis_password_policy,
        account::get_account_summary,
        account::get_credential_report,
        account::save_credential_report,
        audit::run_audit,
        audit::acknowledge_finding,
        audit::unacknowledge_finding,
        audit::save_audit,
        users::get_user,
        users::get_user_row,
        users::create_user,
        groups::get_group,
        groups::get_group_row,
        groups::create_group,
        groups::set_group_members,
        principals::rename_principal,
        principals::tag_principal,
        principals::untag_principal,
        principals::attach_policy,
        principals::detach_policy,
        principals::get_inline_policy,
        principals::put_inline_policy,
        principals::delete_inline_policy,
        principals::set_permissions_boundary,
        principals::remove_permissions_boundary,
        policies::list_policies,
        policies::get_policy,
        policies::create_policy,
        policies::create_policy_version,
        policies::set_default_policy_version,
        policies::delete_policy_version,
        roles::list_roles,
        roles::get_role,
        roles::create_role,
        roles::update_role,
        roles::update_trust_policy,
        roles::list_identity_providers,
        roles::list_instance_profiles,
        roles::create_instance_profile,
        roles::add_role_to_instance_profile,
        roles::remove_role_from_instance_profile,
        roles::delete_instance_profile,
        access::load_access_snapshot,
        access::get_effective_permissions,
        access::simulate_access,
        access::who_can,
        deletion::plan_deletion,
        deletion::run_deletion,
        credentials::create_access_key,
        credentials::set_access_key_status,
        credentials::delete_access_key,
        credentials::set_console_password,
        credentials::delete_login_profile,
        mfa::create_virtual_mfa,
        mfa::enable_mfa,
        mfa::deactivate_mfa,
        mfa::delete_virtual_mfa,
        mfa::list_orphaned_mfa_devices,
        rotation::plan_rotation,
        rotation::get_key_last_used,
        rotation::deactivate_old_key,
        rotation::delete_old_key,
    ],
    other: [
        profiles::get_app_info,
        profiles::list_profiles,
        profiles::finish_sso_sign_in,
        profiles::cancel_sso_sign_in,
        profiles::open_sso_page,
        fleet::search_everywhere,
        fleet::find_access_key_owner,
        fleet::compare_accounts,
        users::validate_new_user,
        editor::validate_policy,
        editor::complete_actions,
        editor::describe_actions,
        editor::list_service_principals,
        editor::build_trust_policy,
        access::list_access_presets,
        handoff::list_handoffs,
        handoff::reveal_secret,
        handoff::copy_secret,
        handoff::save_handoff_csv,
        handoff::complete_handoff,
        handoff::dismiss_lost_key,
        rotation::list_rotations,
        rotation::save_rotation,
        rotation::finish_rotation,
    ],
}

/// Asks where to save `name` (a save dialog filtered to `extension`) and writes `bytes`
/// there; none when the dialog was cancelled. Only for what holds no secret.
async fn save_file(app: &tauri::AppHandle, name: &str, extension: &str, bytes: &[u8]) -> Cmd<Option<String>> {
    use gatehouse_core::Error;
    use tauri_plugin_dialog::DialogExt;
    let dialog = app.dialog().file().set_file_name(name).add_filter(extension.to_uppercase(), &[extension]);
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else { return Ok(None) };
    // Never through a symlink at the chosen path, never leaving a readable file behind:
    // the one writer every file of Gatehouse goes through.
    let target = path.clone();
    let bytes = bytes.to_vec();
    tauri::async_runtime::spawn_blocking(move || gatehouse_core::private_file::write(&target, &bytes))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::InvalidInput(format!("{} could not be written: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}
