//! Access keys: created straight into the keychain as a pending handoff, deactivated,
//! deleted.

use crate::aws::connection::Connection;
use crate::credentials::sign_in;
use crate::error::{Error, Result};
use crate::secrets::handoff::{Handoff, Handoffs, SecretKind};
use crate::secrets::SecretStore;
use crate::sensitive::Sensitive;
use crate::validate::{self, NameKind};
use crate::vocab::rfc3339;

/// AWS allows two access keys per user.
pub const MAX_ACCESS_KEYS: usize = 2;

pub async fn create_access_key<S: SecretStore>(
    conn: &Connection,
    handoffs: &Handoffs<S>,
    user: &str,
) -> Result<Handoff> {
    validate::name(NameKind::User, user)?;
    let existing = conn.iam.list_access_keys().user_name(user).send().await.map_err(|e| conn.error(e))?;
    if existing.access_key_metadata.len() >= MAX_ACCESS_KEYS {
        return Err(Error::LimitExceeded(format!(
            "{user} already has {MAX_ACCESS_KEYS} access keys, AWS's limit. Deactivate and delete one first, or rotate."
        )));
    }
    let out = conn.iam.create_access_key().user_name(user).send().await.map_err(|e| conn.error(e))?;
    let key = out.access_key.ok_or_else(|| Error::Internal("AWS returned no access key".into()))?;
    let secret = Sensitive::new(key.secret_access_key);
    let h = Handoff {
        account: conn.identity.account.clone(),
        user: user.to_string(),
        kind: SecretKind::SecretAccessKey,
        key_id: key.access_key_id.clone(),
        sign_in_url: sign_in(conn).await,
        created: key.create_date.as_ref().map(rfc3339).unwrap_or_default(),
        reset_required: false,
    };
    match handoffs.add(h, &secret) {
        Ok(h) => Ok(h),
        Err(e) => {
            // A key whose secret nobody can ever see is a liability: take it back.
            let _ = conn.iam.delete_access_key().user_name(user).access_key_id(&key.access_key_id).send().await;
            Err(e)
        }
    }
}

pub async fn set_access_key_status(conn: &Connection, user: &str, key_id: &str, active: bool) -> Result<()> {
    validate::name(NameKind::User, user).and(validate::access_key_id(key_id))?;
    let status = if active { aws_sdk_iam::types::StatusType::Active } else { aws_sdk_iam::types::StatusType::Inactive };
    call!(conn, conn.iam.update_access_key().user_name(user).access_key_id(key_id).status(status))
}

pub async fn delete_access_key(conn: &Connection, user: &str, key_id: &str) -> Result<()> {
    validate::name(NameKind::User, user).and(validate::access_key_id(key_id))?;
    call!(conn, conn.iam.delete_access_key().user_name(user).access_key_id(key_id))
}
