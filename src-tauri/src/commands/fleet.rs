//! Many accounts at once: search every profile, find an access key's owner, compare two
//! accounts.

use super::Cmd;
use gatehouse_core::aws::connection::Connections;
use gatehouse_core::fleet::{self, AccessKeyOwner, AccountComparison, FleetProgress, SearchResults};
use tauri::ipc::Channel;
use tauri::State;

/// Searches `profiles` for a name part or an access key id; each profile's progress goes
/// to `on_progress`. A profile needing MFA is reported, not prompted.
#[tauri::command]
#[specta::specta]
pub async fn search_everywhere(
    connections: State<'_, Connections>,
    profiles: Vec<String>,
    query: String,
    on_progress: Channel<FleetProgress>,
) -> Cmd<SearchResults> {
    fleet::search(&connections, &profiles, &query, &|p| {
        // A closed window is no reason to stop searching.
        let _ = on_progress.send(p);
    })
    .await
}

/// Which user, in which of the profiles' accounts, owns an access key; every profile of
/// the files is asked.
#[tauri::command]
#[specta::specta]
pub async fn find_access_key_owner(connections: State<'_, Connections>, key_id: String) -> Cmd<AccessKeyOwner> {
    let profiles: Vec<String> = connections.list_profiles().await?.profiles.into_iter().map(|p| p.name).collect();
    fleet::find_access_key_owner(&connections, &profiles, &key_id, &|_| {}).await
}

/// What differs between two profiles' accounts: groups, roles, customer managed policies,
/// password policy.
#[tauri::command]
#[specta::specta]
pub async fn compare_accounts(
    connections: State<'_, Connections>,
    profile_a: String,
    profile_b: String,
) -> Cmd<AccountComparison> {
    fleet::compare_profiles(&connections, &profile_a, &profile_b).await
}
