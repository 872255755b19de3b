//! Credentials of IAM users: access keys, console passwords, virtual MFA devices and key
//! rotation. Every generated secret goes straight into the keychain as a pending handoff;
//! the caller gets the handoff's metadata, never the secret.

pub mod access_keys;
pub mod console;
pub mod mfa;
pub mod passwords;
pub mod rotation;

use crate::aws::connection::Connection;
use crate::secrets::handoff::sign_in_url;

/// The console sign-in URL: the account alias if it has one (and may be read), else the
/// account id, which always works.
pub(crate) async fn sign_in(conn: &Connection) -> String {
    let alias = conn.iam.list_account_aliases().send().await.ok().and_then(|o| o.account_aliases.into_iter().next());
    sign_in_url(alias.as_deref().unwrap_or(&conn.identity.account))
}
