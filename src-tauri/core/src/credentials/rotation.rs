//! Access key rotation: create the new key, hand it over, watch for its first use,
//! deactivate the old key, delete it. The wizard's progress is saved (no secret in it) so
//! that a rotation that takes days survives restarts.
//!
//! The last two steps are here, not in the UI: a wizard resumed days later must not
//! delete a key that someone has since reactivated, or that was used after it was
//! deactivated, so deleting reads the key's status and last use from AWS first.

use crate::aws::connection::Connection;
use crate::credentials::access_keys;
use crate::error::{Error, Result};
use crate::iam::users::AccessKeyInfo;
use crate::rules::{self, NameKind};
use crate::saved_file::{Loaded, SavedFile};
use crate::vocab::{rfc3339, Changed, Done};
use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum RotationStep {
    /// The new key exists and was handed over; waiting for the first use.
    WaitForUse,
    /// The new key is in use; the old one is still active.
    DeactivateOld,
    /// The old key is inactive; nothing broke: delete it.
    DeleteOld,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Rotation {
    pub account: String,
    pub user: String,
    pub old_key: String,
    pub new_key: String,
    pub step: RotationStep,
    pub started: String,
    /// When [`deactivate_old`] deactivated the old key (RFC 3339, this machine's clock). A
    /// use of the key after that means someone reactivated it, and [`delete_old`] refuses.
    /// Only `deactivate_old` sets it; files written before it existed load without it.
    #[serde(default)]
    #[specta(optional)]
    pub deactivated: Option<String>,
}

/// The rotations in progress and, on the one call that found the saved file damaged and
/// set it aside, a sentence saying so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RotationList {
    pub rotations: Vec<Rotation>,
    pub notice: Option<String>,
}

/// The rotations in progress, in a JSON file of the app's data folder.
pub struct Rotations {
    file: SavedFile,
    /// Held for every read and write of the file. Holds the notice about a damaged file
    /// until a `list` hands it out, so that it is shown once even when `save` found it.
    state: Mutex<Option<String>>,
}

impl Rotations {
    pub fn new(path: PathBuf) -> Self {
        Rotations { file: SavedFile::new(path), state: Mutex::new(None) }
    }

    pub fn list(&self) -> Result<RotationList> {
        let mut notice = self.state.lock().unwrap();
        let rotations = self.load(&mut notice)?;
        Ok(RotationList { rotations, notice: notice.take() })
    }

    /// The rotation of `user` in `account`, if one is in progress.
    pub fn get(&self, account: &str, user: &str) -> Result<Option<Rotation>> {
        let mut notice = self.state.lock().unwrap();
        Ok(self.load(&mut notice)?.into_iter().find(|r| r.account == account && r.user == user))
    }

    /// Adds or updates the rotation of `r.user` in `r.account`, as the wizard moves on. The
    /// deactivation time is kept as recorded: only [`deactivate_old`] may set it, so the
    /// UI can neither forge nor erase what [`delete_old`] relies on.
    pub fn save(&self, r: &Rotation) -> Result<()> {
        rules::account_id(&r.account)?;
        rules::name(NameKind::User, &r.user)?;
        rules::access_key_id(&r.old_key)?;
        rules::access_key_id(&r.new_key)?;
        let recorded = self.get(&r.account, &r.user)?.filter(|x| x.old_key == r.old_key).and_then(|x| x.deactivated);
        self.put(&Rotation { deactivated: recorded, ..r.clone() })
    }

    fn put(&self, r: &Rotation) -> Result<()> {
        let mut notice = self.state.lock().unwrap();
        let mut list = self.load(&mut notice)?;
        list.retain(|x| !(x.account == r.account && x.user == r.user));
        list.push(r.clone());
        self.write(&list)
    }

    pub fn finish(&self, account: &str, user: &str) -> Result<()> {
        let mut notice = self.state.lock().unwrap();
        let mut list = self.load(&mut notice)?;
        list.retain(|x| !(x.account == account && x.user == user));
        self.write(&list)
    }

    /// The saved rotations; a damaged file is set aside and none are in progress.
    fn load(&self, notice: &mut Option<String>) -> Result<Vec<Rotation>> {
        Ok(match self.file.load("rotations in progress cannot be saved")? {
            Loaded::Found(list) => list,
            Loaded::Missing => Vec::new(),
            Loaded::SetAside { damage, aside } => {
                *notice = Some(format!(
                    "The saved key rotations were unreadable ({damage}), so Gatehouse set the file aside as {} and \
                     starts with none in progress. No key was changed: check the keys of users you were rotating on \
                     their pages.",
                    aside.display()
                ));
                Vec::new()
            }
        })
    }

    fn write(&self, list: &[Rotation]) -> Result<()> {
        self.file.write(list)
    }
}

fn now() -> String {
    rfc3339(&DateTime::from(std::time::SystemTime::now()))
}

/// When the old key was deactivated, on AWS's clock: the `Date` of an answer AWS gave
/// after the deactivation, plus one second (the header counts whole seconds, and a use in
/// the second before it must not read as later). This machine's clock only when AWS's
/// answer had no readable date.
fn deactivation_stamp(aws_date: Option<&str>) -> String {
    match aws_date.and_then(|d| DateTime::from_str(d.trim(), DateTimeFormat::HttpDate).ok()) {
        Some(at) => rfc3339(&DateTime::from_secs(at.secs() + 1)),
        None => now(),
    }
}

/// The `Date` header of AWS's answer to a read about `key` (GetAccessKeyLastUsed): what
/// time it is at AWS.
async fn aws_date(conn: &Connection, key: &str) -> Option<String> {
    use aws_sdk_iam::config::interceptors::BeforeDeserializationInterceptorContextRef;
    use aws_sdk_iam::config::{ConfigBag, Intercept, RuntimeComponents};
    #[derive(Debug, Clone, Default)]
    struct DateOf(std::sync::Arc<Mutex<Option<String>>>);
    impl Intercept for DateOf {
        fn name(&self) -> &'static str {
            "DateOf"
        }
        fn read_after_transmit(
            &self,
            context: &BeforeDeserializationInterceptorContextRef<'_>,
            _: &RuntimeComponents,
            _: &mut ConfigBag,
        ) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
            *self.0.lock().unwrap() = context.response().headers().get("date").map(str::to_string);
            Ok(())
        }
    }
    let date = DateOf::default();
    let call = conn.iam.get_access_key_last_used().access_key_id(key).customize().interceptor(date.clone());
    call.send().await.ok()?;
    let seen = date.0.lock().unwrap().clone();
    seen
}

/// The rotation of `user` in `account`, which must be the connection's account: a
/// rotation is continued with a profile of the account it started in.
fn in_progress(conn: &Connection, rotations: &Rotations, account: &str, user: &str) -> Result<Rotation> {
    rules::account_id(account)?;
    rules::name(NameKind::User, user)?;
    if conn.identity.account != account {
        return Err(Error::InvalidInput(format!(
            "This rotation is in account {account}, but profile {} is connected to account {}: select a profile \
             of account {account} to continue it.",
            conn.identity.profile, conn.identity.account
        )));
    }
    rotations.get(account, user)?.ok_or_else(|| {
        Error::NoSuchEntity(format!("No access key rotation of {user} is in progress in account {account}."))
    })
}

/// Sets the old key Inactive and records when, moving the rotation to its last step.
pub async fn deactivate_old(
    conn: &Connection,
    rotations: &Rotations,
    account: &str,
    user: &str,
) -> Result<Done<Rotation>> {
    let r = in_progress(conn, rotations, account, user)?;
    let changed = access_keys::set_access_key_status(conn, user, &r.old_key, false).await?;
    // Read after AWS answered, on AWS's clock (the one its LastUsedDate is on; this
    // machine's may be off by minutes or hours): any use recorded before this instant
    // happened while the key could still authenticate, so only a later one means it was
    // reactivated.
    let date = aws_date(conn, &r.old_key).await;
    let r = Rotation { step: RotationStep::DeleteOld, deactivated: Some(deactivation_stamp(date.as_deref())), ..r };
    rotations.put(&r)?;
    Ok(Done::new(r, changed))
}

/// Deletes the old key and finishes the rotation, after reading from AWS that the key is
/// still inactive and unused since it was deactivated (see [`may_delete`]). A key already
/// gone finishes the rotation too. IAM has no conditional delete, so a reactivation in the
/// instant between the check and the delete cannot be caught.
pub async fn delete_old(conn: &Connection, rotations: &Rotations, account: &str, user: &str) -> Result<Changed> {
    let r = in_progress(conn, rotations, account, user)?;
    let keys: Vec<aws_sdk_iam::types::AccessKeyMetadata> = items!(conn, conn.iam.list_access_keys().user_name(user))?;
    let Some(key) = keys.iter().find(|k| k.access_key_id.as_deref() == Some(r.old_key.as_str())) else {
        return rotations.finish(account, user).map(|()| Changed::none());
    };
    let status = key.status.as_ref().map_or("of unknown status", |s| s.as_str());
    let used = key_last_used(conn, &r.old_key).await?;
    may_delete(&r.old_key, status, used.last_used.as_deref(), r.deactivated.as_deref())?;
    let changed = access_keys::delete_access_key(conn, user, &r.old_key).await?;
    rotations.finish(account, user)?;
    Ok(changed)
}

/// Whether the old key may go, from what AWS says now: it must be `Inactive`, the rotation
/// must know when it deactivated it, and the key must not have been used after that.
/// Anything else means something may still depend on it, and deleting cannot be undone.
pub fn may_delete(key: &str, status: &str, last_used: Option<&str>, deactivated: Option<&str>) -> Result<()> {
    let refuse = |why: String| Err(Error::DeleteConflict(format!("Access key {key} was not deleted: {why}")));
    if status != "Inactive" {
        return refuse(match deactivated {
            Some(when) => format!(
                "it is {status} again, so someone reactivated it after this rotation deactivated it ({when}) and \
                 something may still use it. Find out who needs it, move them to the new key, then deactivate \
                 the old key again in this rotation before deleting it."
            ),
            None => format!(
                "it is {status}. Deactivate it first (the previous step) and make sure nothing breaks before \
                 deleting it."
            ),
        });
    }
    let parse = |t: &str| DateTime::from_str(t, DateTimeFormat::DateTime).ok();
    let Some(deactivated_at) = deactivated.and_then(parse) else {
        return refuse(
            "Gatehouse has no record of when it was deactivated, so it cannot tell whether anything used it \
             since. Deactivate it again in this rotation (it stays inactive), then delete it."
                .into(),
        );
    };
    match last_used {
        None => Ok(()),
        Some(used) => match parse(used) {
            Some(used_at) if used_at <= deactivated_at => Ok(()),
            Some(_) => refuse(format!(
                "AWS says it was last used at {used}, after this rotation deactivated it ({}): it was reactivated \
                 and used since, so something still needs it. Move that use to the new key, then deactivate the \
                 old key again in this rotation before deleting it.",
                deactivated.unwrap_or_default()
            )),
            None => refuse(format!("AWS reports a last use ({used}) that Gatehouse cannot read as a time.")),
        },
    }
}

/// Which key to delete first when a user already has two: an inactive one, else the one
/// unused longest (never used counts as oldest), else the oldest.
pub fn key_to_remove_first(keys: &[AccessKeyInfo]) -> Option<&AccessKeyInfo> {
    if keys.len() < 2 {
        return None;
    }
    keys.iter().min_by(|a, b| {
        let rank =
            |k: &AccessKeyInfo| (k.status == "Active", k.last_used.clone().unwrap_or_default(), k.created.clone());
        rank(a).cmp(&rank(b))
    })
}

/// Where a rotation starts: the user's keys and, when it has two, which to delete first.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RotationPlan {
    pub keys: Vec<AccessKeyInfo>,
    pub remove_first: Option<String>,
}

pub async fn plan(conn: &Connection, user: &str) -> Result<RotationPlan> {
    rules::name(NameKind::User, user)?;
    let keys = crate::iam::users::user_detail(conn, user).await?.access_keys;
    let remove_first = key_to_remove_first(&keys).map(|k| k.id.clone());
    Ok(RotationPlan { keys, remove_first })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct KeyUse {
    pub last_used: Option<String>,
    pub service: Option<String>,
    pub region: Option<String>,
}

/// GetAccessKeyLastUsed: when, where and for what a key was last used.
pub async fn key_last_used(conn: &Connection, key_id: &str) -> Result<KeyUse> {
    rules::access_key_id(key_id)?;
    let out = conn.iam.get_access_key_last_used().access_key_id(key_id).send().await.map_err(|e| conn.error(e))?;
    let used = out.access_key_last_used;
    let known = |s: String| (s != "N/A").then_some(s);
    Ok(KeyUse {
        last_used: used.as_ref().and_then(|u| u.last_used_date.as_ref()).map(rfc3339),
        service: used.as_ref().and_then(|u| known(u.service_name.clone())),
        region: used.as_ref().and_then(|u| known(u.region.clone())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, status: &str, created: &str, used: Option<&str>) -> AccessKeyInfo {
        AccessKeyInfo {
            id: id.into(),
            status: status.into(),
            created: created.into(),
            last_used: used.map(str::to_string),
            last_used_service: None,
            last_used_region: None,
        }
    }

    #[test]
    fn proposes_the_key_that_hurts_least_to_remove() {
        let inactive =
            [key("A", "Active", "2020", Some("2026-11-01")), key("B", "Inactive", "2025", Some("2026-11-20"))];
        assert_eq!(key_to_remove_first(&inactive).unwrap().id, "B");
        let unused = [key("A", "Active", "2020", Some("2026-11-01")), key("B", "Active", "2025", None)];
        assert_eq!(key_to_remove_first(&unused).unwrap().id, "B", "never used");
        let stale = [key("A", "Active", "2020", Some("2026-11-01")), key("B", "Active", "2025", Some("2026-11-20"))];
        assert_eq!(key_to_remove_first(&stale).unwrap().id, "A", "unused longest");
        assert!(key_to_remove_first(&stale[..1]).is_none(), "one key: nothing to remove first");
    }

    #[test]
    fn rotations_survive_a_new_store_over_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/rotations.json");
        let r = Rotation {
            account: "111111111111".into(),
            user: "ci".into(),
            old_key: "AKIAOLD000000000".into(),
            new_key: "AKIANEW000000000".into(),
            step: RotationStep::WaitForUse,
            started: "2026-11-23T10:00:00Z".into(),
            deactivated: None,
        };
        Rotations::new(path.clone()).save(&r).unwrap();
        let again = Rotations::new(path.clone());
        assert_eq!(again.list().unwrap().rotations, std::slice::from_ref(&r));
        again.save(&Rotation { step: RotationStep::DeleteOld, ..r.clone() }).unwrap();
        assert_eq!(again.list().unwrap().rotations[0].step, RotationStep::DeleteOld);
        again.finish("111111111111", "ci").unwrap();
        assert!(again.list().unwrap().rotations.is_empty());
        std::fs::write(&path, "{not json").unwrap();
        // No longer an error that blocks every later call: the file is set aside, once.
        assert!(again.list().unwrap().notice.unwrap().contains("unreadable"));
    }

    fn rotation(step: RotationStep, deactivated: Option<&str>) -> Rotation {
        Rotation {
            account: "111111111111".into(),
            user: "ci".into(),
            old_key: "AKIAOLD000000000".into(),
            new_key: "AKIANEW000000000".into(),
            step,
            started: "2026-11-23T10:00:00Z".into(),
            deactivated: deactivated.map(str::to_string),
        }
    }

    /// Every answer AWS can give about the old key, and whether it may be deleted.
    #[test]
    fn the_old_key_is_deleted_only_while_inactive_and_unused_since_its_deactivation() {
        let at = Some("2026-11-24T09:30:00Z");
        let allowed: &[(&str, Option<&str>, Option<&str>)] = &[
            ("Inactive", None, at),
            ("Inactive", Some("2026-11-20T08:00:00Z"), at),
            ("Inactive", Some("2026-11-24T09:29:59Z"), at),
            ("Inactive", Some("2026-11-24T09:30:00Z"), at),
            ("Inactive", Some("2026-11-24T09:29:00Z"), Some("2026-11-24T09:29:00.25Z")),
        ];
        for &(status, used, deactivated) in allowed {
            may_delete("AKIAOLD", status, used, deactivated)
                .unwrap_or_else(|e| panic!("{status} {used:?} {deactivated:?}: {e}"));
        }
        let refused: &[(&str, Option<&str>, Option<&str>, &str)] = &[
            ("Active", None, at, "someone reactivated it"),
            ("Active", Some("2026-11-24T10:00:00Z"), at, "someone reactivated it"),
            ("Active", None, None, "Deactivate it first"),
            ("Expired", None, at, "it is Expired again"),
            ("Inactive", Some("2026-11-24T09:30:01Z"), at, "after this rotation deactivated it"),
            ("Inactive", Some("2026-11-25T00:00:00Z"), at, "used since"),
            ("Inactive", Some("2026-11-24T09:30:00.5Z"), at, "after this rotation deactivated it"),
            ("Inactive", None, None, "no record of when it was deactivated"),
            ("Inactive", Some("2026-11-20T08:00:00Z"), None, "no record of when"),
            ("Inactive", None, Some("yesterday"), "no record of when"),
            ("Inactive", Some("soon"), at, "cannot read as a time"),
        ];
        for &(status, used, deactivated, why) in refused {
            let err = may_delete("AKIAOLD", status, used, deactivated).unwrap_err();
            assert_eq!(err.code(), crate::error::ErrorCode::DeleteConflict, "{err}");
            let text = err.to_string();
            assert!(text.starts_with("Access key AKIAOLD was not deleted: "), "{text}");
            assert!(text.contains(why), "{status} {used:?} {deactivated:?}: {text}");
        }
    }

    /// Issue 20, item 8: the deactivation is stamped with AWS's time, whatever this
    /// machine's clock says, so a skewed clock cannot let a key reactivated and used since
    /// read as unused.
    #[test]
    fn the_deactivation_is_stamped_on_awss_clock() {
        let stamp = deactivation_stamp(Some("Tue, 24 Nov 2026 09:30:00 GMT"));
        assert_eq!(stamp, "2026-11-24T09:30:01Z");
        // A use AWS records a minute later (the key reactivated and used) is refused, even
        // if this machine's clock ran an hour ahead when the key was deactivated.
        let refused = may_delete("AKIAOLD", "Inactive", Some("2026-11-24T09:31:00Z"), Some(&stamp));
        assert!(refused.unwrap_err().to_string().contains("after this rotation deactivated it"));
        // A use in the same second as the deactivation is before it.
        may_delete("AKIAOLD", "Inactive", Some("2026-11-24T09:30:00Z"), Some(&stamp)).unwrap();
        // No date from AWS: this machine's clock, as a last resort.
        let local = deactivation_stamp(None);
        assert!(local.ends_with('Z') && DateTime::from_str(&local, DateTimeFormat::DateTime).is_ok(), "{local}");
        assert!(deactivation_stamp(Some("yesterday")).starts_with(&local[..10]));
    }

    #[test]
    fn files_written_before_the_deactivation_time_existed_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rotations.json");
        std::fs::write(
            &path,
            r#"[{"account":"111111111111","user":"ci","oldKey":"AKIAOLD000000000","newKey":"AKIANEW000000000","step":"DeleteOld","started":"2026-11-23T10:00:00Z"}]"#,
        )
        .unwrap();
        let list = Rotations::new(path).list().unwrap();
        assert_eq!(list.rotations, [rotation(RotationStep::DeleteOld, None)]);
        assert_eq!(list.notice, None);
    }

    #[test]
    fn the_ui_can_neither_forge_nor_erase_the_deactivation_time() {
        let dir = tempfile::tempdir().unwrap();
        let rotations = Rotations::new(dir.path().join("rotations.json"));
        rotations.save(&rotation(RotationStep::DeleteOld, Some("2026-11-24T09:30:00Z"))).unwrap();
        assert_eq!(rotations.get("111111111111", "ci").unwrap().unwrap().deactivated, None, "not forged");
        let recorded = rotation(RotationStep::DeleteOld, Some("2026-11-24T09:30:00Z"));
        rotations.put(&recorded).unwrap();
        rotations.save(&rotation(RotationStep::DeactivateOld, None)).unwrap();
        let kept = rotations.get("111111111111", "ci").unwrap().unwrap();
        assert_eq!(
            (kept.step, kept.deactivated.as_deref()),
            (RotationStep::DeactivateOld, Some("2026-11-24T09:30:00Z"))
        );
        // A rotation of another old key starts without one.
        rotations
            .save(&Rotation { old_key: "AKIAOTHER0000000".into(), ..rotation(RotationStep::WaitForUse, None) })
            .unwrap();
        assert_eq!(rotations.get("111111111111", "ci").unwrap().unwrap().deactivated, None);
        let err = rotations.save(&Rotation { account: "111".into(), ..recorded }).unwrap_err();
        assert!(err.to_string().contains("not twelve digits"), "{err}");
    }

    #[test]
    fn a_damaged_file_is_set_aside_once_and_the_rotations_go_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rotations.json");
        std::fs::write(&path, "[{\"account\": \"1111").unwrap();
        let rotations = Rotations::new(path.clone());

        let first = rotations.list().unwrap();
        assert!(first.rotations.is_empty());
        let notice = first.notice.expect("the user is told");
        assert!(notice.contains("unreadable") && notice.contains("set the file aside"), "{notice}");
        let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("rotations.json.damaged-"))
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert!(notice.contains(&aside[0].display().to_string()), "names where it went: {notice}");
        assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), "[{\"account\": \"1111", "kept as it was");
        assert!(!path.exists());

        assert_eq!(rotations.list().unwrap().notice, None, "told once");
        let r = rotation(RotationStep::WaitForUse, None);
        rotations.save(&r).unwrap();
        assert_eq!(rotations.list().unwrap().rotations, std::slice::from_ref(&r));

        // Damaged again and found by a save: the next list tells, and the earlier damaged
        // file is not overwritten.
        std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        rotations.save(&r).unwrap();
        let list = rotations.list().unwrap();
        assert_eq!(list.rotations, [r]);
        assert!(list.notice.unwrap().contains("unreadable"));
        let damaged = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains(".damaged-"))
            .count();
        assert_eq!(damaged, 2);
    }

    #[test]
    fn writing_leaves_no_temporary_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/rotations.json");
        let rotations = Rotations::new(path.clone());
        for step in [RotationStep::WaitForUse, RotationStep::DeactivateOld, RotationStep::DeleteOld] {
            rotations.save(&rotation(step, None)).unwrap();
        }
        let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["rotations.json"]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Rotation>>(&text).unwrap()[0].step, RotationStep::DeleteOld);
    }
}
