//! Console access: the login profile and its password. A generated or typed password goes
//! into the keychain before AWS is asked to set it, and becomes a pending handoff once AWS
//! has it.

use crate::aws::connection::Connection;
use crate::credentials::{aws_may_have_acted, passwords, sign_in, ChangeOptions, Step};
use crate::error::{Error, Result};
use crate::rules::{self, NameKind};
use crate::secrets::handoff::{Handoff, Handoffs, SecretKind, StagedPassword};
use crate::secrets::SecretStore;
use crate::sensitive::Sensitive;
use crate::vocab::{rfc3339, Changed, Done, Entity, How, Partial};

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

async fn password_handoff(conn: &Connection, user: &str, reset_required: bool) -> Handoff {
    Handoff {
        account: conn.identity.account.clone(),
        user: user.to_string(),
        kind: SecretKind::ConsolePassword,
        key_id: "password".into(),
        sign_in_url: sign_in(conn).await,
        created: String::new(),
        reset_required,
    }
}

/// Gives a user console access (`create`), or a new password (a reset). The password is
/// always sent on a reset: on AWS, UpdateLoginProfile without one only changes the reset
/// flag (moto instead deletes the login profile).
pub async fn set_console_password<S: SecretStore + 'static>(
    conn: &Connection,
    handoffs: &Handoffs<S>,
    user: &str,
    typed: Option<Sensitive<String>>,
    reset_required: bool,
    create: bool,
) -> Result<Done<Handoff>, Partial> {
    rules::name(NameKind::User, user).and(typed.as_ref().map_or(Ok(()), |p| rules::password(p.expose())))?;
    // Whatever failed from here, a password may have been filed in the keychain, or set at AWS.
    let touched = Changed::updated(Entity::user(user)).and(Changed::updated(Entity::Keychain));
    let options = ChangeOptions::default();
    match set_console_password_with(conn, handoffs, user, typed, reset_required, create, &options).await {
        Ok(h) => {
            let how = if create { How::Created } else { How::Updated };
            let mut changed = touched;
            changed.push(Entity::LoginProfile { user: user.into() }, how);
            Ok(Done::new(h, changed))
        }
        Err(e) => Err(Partial::new(e, touched)),
    }
}

/// The order keeps the password somewhere at every moment: whatever needs the network comes
/// first, then the password is filed (a keychain that refuses stops everything while the
/// old password still works), then AWS is asked, and only AWS's answer decides whether the
/// filed password becomes the handoff or goes.
pub async fn set_console_password_with<S: SecretStore + 'static>(
    conn: &Connection,
    handoffs: &Handoffs<S>,
    user: &str,
    typed: Option<Sensitive<String>>,
    reset_required: bool,
    create: bool,
    options: &ChangeOptions,
) -> Result<Handoff> {
    rules::name(NameKind::User, user).and(typed.as_ref().map_or(Ok(()), |p| rules::password(p.expose())))?;
    let password = password_for(conn, user, typed).await?;
    let h = password_handoff(conn, user, reset_required).await;
    // The user's IAM id, which a rename does not change, so that no pending password of
    // another user who once had this name is replaced (unknown if AWS does not say).
    let user_id = conn.iam.get_user().user_name(user).send().await.ok().and_then(|o| o.user).map(|u| u.user_id);
    let staged = handoffs.stage_password(h, user_id, &password).await?;
    // CreateLoginProfile and UpdateLoginProfile take the same fields; only the call differs.
    macro_rules! send {
        ($call:ident) => {
            conn.iam
                .$call()
                .user_name(user)
                .password(password.expose())
                .password_reset_required(reset_required)
                .send()
                .await
                .map_err(|e| conn.error(e))
        };
    }
    let sent = if create {
        send!(create_login_profile).map(|out| out.login_profile.map(|l| rfc3339(&l.create_date)).unwrap_or_default())
    } else {
        send!(update_login_profile).map(|_| String::new())
    };
    let created = match sent {
        Ok(created) => created,
        Err(e) => return Err(not_set(handoffs, staged, e).await),
    };
    options.checkpoint(Step::AwsChanged)?;
    handoffs.confirm(staged, created).await.map_err(|e| {
        e.with_context(&format!(
            "AWS has the new password of {user}; it stays in the keychain and is listed with the pending handoffs as \
             unconfirmed"
        ))
    })
}

/// AWS did not set the password: the staged one goes, unless AWS may have set it after all.
async fn not_set<S: SecretStore + 'static>(handoffs: &Handoffs<S>, staged: StagedPassword, e: Error) -> Error {
    if aws_may_have_acted(&e) {
        return e.with_context(
            "AWS did not answer, so it may have set the password: it stays in the keychain and is listed with the \
             pending handoffs as unconfirmed",
        );
    }
    match handoffs.discard(staged).await {
        Ok(()) => e,
        Err(k) => e.with_context(&format!(
            "the password filed for this change could not be removed from the keychain ({k}); it is listed with the \
             pending handoffs as unconfirmed: discard it"
        )),
    }
}

pub async fn delete_login_profile(conn: &Connection, user: &str) -> Result<Changed> {
    rules::name(NameKind::User, user)?;
    call!(conn, conn.iam.delete_login_profile().user_name(user))?;
    Ok(Changed::deleted(Entity::LoginProfile { user: user.into() }).and(Changed::updated(Entity::user(user))))
}
