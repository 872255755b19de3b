//! Access keys: created straight into the keychain as a pending handoff, deactivated,
//! deleted.

use crate::aws::connection::Connection;
use crate::credentials::{aws_may_have_acted, sign_in, ChangeOptions, Step};
use crate::error::{Error, Result};
use crate::rules::{self, NameKind};
use crate::secrets::handoff::{Handoff, Handoffs, KeyNote, SecretKind};
use crate::secrets::SecretStore;
use crate::sensitive::Sensitive;
use crate::vocab::{rfc3339, Changed, Done, Entity, How, Partial};

/// AWS allows two access keys per user.
pub const MAX_ACCESS_KEYS: usize = 2;

pub async fn create_access_key<S: SecretStore + 'static>(
    conn: &Connection,
    handoffs: &Handoffs<S>,
    user: &str,
) -> Result<Done<Handoff>, Partial> {
    rules::name(NameKind::User, user)?;
    // Whatever failed from here, a note or a secret may have been filed, and a key made.
    let touched = Changed::updated(Entity::user(user)).and(Changed::updated(Entity::Keychain));
    match create_access_key_with(conn, handoffs, user, &ChangeOptions::default()).await {
        Ok(h) => {
            let mut changed = touched;
            changed.push(Entity::AccessKey { user: user.into(), id: h.key_id.clone() }, How::Created);
            Ok(Done::new(h, changed))
        }
        Err(e) => Err(Partial::new(e, touched)),
    }
}

/// AWS makes the secret, so it cannot be filed before the call: a note that a key is being
/// created is filed instead, the secret as soon as AWS returns it, and a key whose secret
/// cannot be filed is deleted again. Whatever stops this half-way, the keychain holds
/// either the secret or the note.
pub async fn create_access_key_with<S: SecretStore + 'static>(
    conn: &Connection,
    handoffs: &Handoffs<S>,
    user: &str,
    options: &ChangeOptions,
) -> Result<Handoff> {
    rules::name(NameKind::User, user)?;
    let existing = conn
        .iam
        .list_access_keys()
        .user_name(user)
        .max_items(crate::aws::PAGE)
        .send()
        .await
        .map_err(|e| conn.error(e))?;
    if existing.access_key_metadata.len() >= MAX_ACCESS_KEYS {
        return Err(Error::LimitExceeded(format!(
            "{user} already has {MAX_ACCESS_KEYS} access keys, AWS's limit. Deactivate and delete one first, or rotate."
        )));
    }
    let sign_in_url = sign_in(conn).await;
    let note = handoffs.note_key_creation(&conn.identity.account, user).await?;
    let out = match conn.iam.create_access_key().user_name(user).send().await.map_err(|e| conn.error(e)) {
        Ok(out) => out,
        Err(e) => return Err(no_key_created(handoffs, note, e).await),
    };
    options.checkpoint(Step::AwsChanged)?;
    let key = out.access_key.ok_or_else(|| Error::Internal("AWS returned no access key".into()))?;
    let secret = Sensitive::new(key.secret_access_key);
    let h = Handoff {
        account: conn.identity.account.clone(),
        user: user.to_string(),
        kind: SecretKind::SecretAccessKey,
        key_id: key.access_key_id.clone(),
        sign_in_url,
        created: key.create_date.as_ref().map(rfc3339).unwrap_or_default(),
        reset_required: false,
    };
    match handoffs.file_key(&note, h, &secret).await {
        Ok(h) => Ok(h),
        Err(e) => Err(take_back(conn, handoffs, note, user, &key.access_key_id, e).await),
    }
}

/// CreateAccessKey failed. The note goes unless AWS may have made the key all the same.
async fn no_key_created<S: SecretStore + 'static>(handoffs: &Handoffs<S>, note: KeyNote, e: Error) -> Error {
    if aws_may_have_acted(&e) {
        return e.with_context(
            "AWS did not answer, so it may have created the key: a note stays in the keychain and is listed with the \
             pending handoffs",
        );
    }
    match handoffs.drop_key_note(note).await {
        Ok(()) => e,
        Err(k) => e.with_context(&format!(
            "no key was created, but the keychain note that one was being created could not be removed ({k}): dismiss \
             it when it is listed"
        )),
    }
}

/// The secret could not be filed: a key whose secret nobody can ever see is a liability, so
/// it is deleted again. If that fails too, the note stays and both failures are told.
async fn take_back<S: SecretStore + 'static>(
    conn: &Connection,
    handoffs: &Handoffs<S>,
    note: KeyNote,
    user: &str,
    key_id: &str,
    filing: Error,
) -> Error {
    match delete_access_key(conn, user, key_id).await {
        Ok(_) => {
            let done =
                format!("the new access key {key_id} of {user} was deleted again, so no key without a secret is left");
            match handoffs.drop_key_note(note).await {
                Ok(()) => filing.with_context(&done),
                Err(k) => filing.with_context(&format!(
                    "{done}; the keychain note that it was being created could not be removed ({k}): dismiss it when it \
                     is listed"
                )),
            }
        }
        Err(rollback) => filing.with_context(&format!(
            "deleting the new access key {key_id} of {user} again failed too ({rollback}): its secret is lost; delete \
             {key_id} yourself"
        )),
    }
}

pub async fn set_access_key_status(conn: &Connection, user: &str, key_id: &str, active: bool) -> Result<Changed> {
    rules::name(NameKind::User, user).and(rules::access_key_id(key_id))?;
    let status = if active { aws_sdk_iam::types::StatusType::Active } else { aws_sdk_iam::types::StatusType::Inactive };
    call!(conn, conn.iam.update_access_key().user_name(user).access_key_id(key_id).status(status))?;
    Ok(Changed::updated(Entity::AccessKey { user: user.into(), id: key_id.into() })
        .and(Changed::updated(Entity::user(user))))
}

pub async fn delete_access_key(conn: &Connection, user: &str, key_id: &str) -> Result<Changed> {
    rules::name(NameKind::User, user).and(rules::access_key_id(key_id))?;
    call!(conn, conn.iam.delete_access_key().user_name(user).access_key_id(key_id))?;
    Ok(Changed::deleted(Entity::AccessKey { user: user.into(), id: key_id.into() })
        .and(Changed::updated(Entity::user(user))))
}
