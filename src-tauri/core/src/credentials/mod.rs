//! Access keys and console passwords. Every generated secret goes straight into the
//! keychain as a pending handoff; the caller gets the handoff's metadata, never the secret.

pub mod mfa;
pub mod passwords;
pub mod rotation;

use crate::aws::session::Connection;
use crate::error::{Error, Result};
use crate::secrets::handoff::{sign_in_url, Handoff, Handoffs, SecretKind};
use crate::secrets::SecretStore;
use crate::sensitive::Sensitive;
use crate::vocab::rfc3339;

/// AWS allows two access keys per user.
pub const MAX_ACCESS_KEYS: usize = 2;

/// The console sign-in URL: the account alias if it has one (and may be read), else the
/// account id, which always works.
pub async fn sign_in(conn: &Connection) -> String {
    let alias = conn.iam.list_account_aliases().send().await.ok().and_then(|o| o.account_aliases.into_iter().next());
    sign_in_url(alias.as_deref().unwrap_or(&conn.identity.account))
}

pub async fn create_access_key<S: SecretStore>(
    conn: &Connection,
    handoffs: &Handoffs<S>,
    user: &str,
) -> Result<Handoff> {
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
    let status = if active { aws_sdk_iam::types::StatusType::Active } else { aws_sdk_iam::types::StatusType::Inactive };
    call!(conn, conn.iam.update_access_key().user_name(user).access_key_id(key_id).status(status))
}

pub async fn delete_access_key(conn: &Connection, user: &str, key_id: &str) -> Result<()> {
    call!(conn, conn.iam.delete_access_key().user_name(user).access_key_id(key_id))
}

/// The password to set: the one typed (checked against the account's policy) or a
/// generated one.
async fn password_for(conn: &Connection, user: &str, typed: Option<Sensitive<String>>) -> Result<Sensitive<String>> {
    let policy = passwords::password_policy(conn).await?;
    match typed {
        Some(p) => {
            policy.check(p.expose(), user)?;
            Ok(p)
        }
        None => Ok(passwords::generate(&policy)),
    }
}

async fn password_handoff(conn: &Connection, user: &str, reset_required: bool, created: String) -> Handoff {
    Handoff {
        account: conn.identity.account.clone(),
        user: user.to_string(),
        kind: SecretKind::ConsolePassword,
        key_id: "password".into(),
        sign_in_url: sign_in(conn).await,
        created,
        reset_required,
    }
}

/// Gives a user console access (`create`), or a new password (a reset). The password is
/// always sent on a reset: on AWS, UpdateLoginProfile without one only changes the reset
/// flag (moto instead deletes the login profile).
pub async fn set_console_password<S: SecretStore>(
    conn: &Connection,
    handoffs: &Handoffs<S>,
    user: &str,
    typed: Option<Sensitive<String>>,
    reset_required: bool,
    create: bool,
) -> Result<Handoff> {
    let password = password_for(conn, user, typed).await?;
    let created = if create {
        let out = conn
            .iam
            .create_login_profile()
            .user_name(user)
            .password(password.expose())
            .password_reset_required(reset_required)
            .send()
            .await
            .map_err(|e| conn.error(e))?;
        out.login_profile.as_ref().map(|l| rfc3339(&l.create_date)).unwrap_or_default()
    } else {
        conn.iam
            .update_login_profile()
            .user_name(user)
            .password(password.expose())
            .password_reset_required(reset_required)
            .send()
            .await
            .map_err(|e| conn.error(e))?;
        String::new()
    };
    match handoffs.add(password_handoff(conn, user, reset_required, created).await, &password) {
        Ok(h) => Ok(h),
        Err(e) if create => {
            // Console access whose password nobody can ever see: take it back.
            let _ = conn.iam.delete_login_profile().user_name(user).send().await;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

pub async fn delete_login_profile(conn: &Connection, user: &str) -> Result<()> {
    call!(conn, conn.iam.delete_login_profile().user_name(user))
}
