//! Console access: the login profile and its password. A generated or typed password goes
//! straight into the keychain as a pending handoff.

use crate::aws::connection::Connection;
use crate::credentials::{passwords, sign_in};
use crate::error::Result;
use crate::secrets::handoff::{Handoff, Handoffs, SecretKind};
use crate::secrets::SecretStore;
use crate::sensitive::Sensitive;
use crate::validate::{self, NameKind};
use crate::vocab::rfc3339;

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
    validate::name(NameKind::User, user).and(typed.as_ref().map_or(Ok(()), |p| validate::password(p.expose())))?;
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
    validate::name(NameKind::User, user)?;
    call!(conn, conn.iam.delete_login_profile().user_name(user))
}
