//! Credentials of IAM users: access keys, console passwords, virtual MFA devices and key
//! rotation. Every generated secret goes straight into the keychain as a pending handoff;
//! the caller gets the handoff's metadata, never the secret.

pub mod access_keys;
pub mod console;
pub mod mfa;
pub mod passwords;
pub mod rotation;

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::secrets::handoff::sign_in_url;
use std::sync::Arc;

/// The console sign-in URL: the account alias if it has one (and may be read), else the
/// account id, which always works.
pub(crate) async fn sign_in(conn: &Connection) -> String {
    let alias = conn
        .iam
        .list_account_aliases()
        .max_items(crate::aws::PAGE)
        .send()
        .await
        .ok()
        .and_then(|o| o.account_aliases.into_iter().next());
    sign_in_url(alias.as_deref().unwrap_or(&conn.identity.account))
}

/// A moment of a credential change after which a crash leaves something for the keychain
/// to account for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// AWS has made the change (a new access key, a new password); the keychain has not yet
    /// been told it worked.
    AwsChanged,
}

/// Decides, at each [`Step`], whether the change stops there as if the app had crashed.
pub type FaultHook = Arc<dyn Fn(Step) -> bool + Send + Sync>;

/// How a credential change runs. The default is the app's.
#[derive(Clone, Default)]
pub struct ChangeOptions {
    /// For tests of what survives a crash: when the hook says so, the change returns at once
    /// with an error, without any of the cleanup or bookkeeping that would follow.
    pub fault: Option<FaultHook>,
}

impl ChangeOptions {
    /// Stops the change at `step` as a crash would.
    pub fn crash_at(step: Step) -> Self {
        ChangeOptions { fault: Some(Arc::new(move |s| s == step)) }
    }

    fn checkpoint(&self, step: Step) -> Result<()> {
        match &self.fault {
            Some(hook) if hook(step) => Err(Error::Internal(format!("stopped at {step:?} by a fault hook"))),
            _ => Ok(()),
        }
    }
}

/// Whether a failed call may still have changed something at AWS: no answer came back (the
/// request may have arrived), or the answer was not AWS's.
pub(crate) fn aws_may_have_acted(e: &Error) -> bool {
    matches!(e, Error::EndpointUnreachable { .. } | Error::Internal(_))
        || matches!(e, Error::AwsService { code, .. } if code == "UnreadableResponse" || code == "Unknown")
}
