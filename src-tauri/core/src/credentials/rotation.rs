//! Access key rotation: create the new key, hand it over, watch for its first use,
//! deactivate the old key, delete it. The wizard's progress is saved (no secret in it) so
//! that a rotation that takes days survives restarts.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use crate::iam::users::AccessKeyInfo;
use crate::validate::{self, NameKind};
use crate::vocab::rfc3339;
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
}

/// The rotations in progress, in a JSON file of the app's data folder.
pub struct Rotations {
    path: PathBuf,
    lock: Mutex<()>,
}

impl Rotations {
    pub fn new(path: PathBuf) -> Self {
        Rotations { path, lock: Mutex::new(()) }
    }

    pub fn list(&self) -> Result<Vec<Rotation>> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                Error::Internal(format!(
                    "{} is unreadable ({e}); rotations in progress are not shown",
                    self.path.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(Error::Internal(format!("{}: {e}", self.path.display()))),
        }
    }

    fn write(&self, list: &[Rotation]) -> Result<()> {
        let io = |e: std::io::Error| Error::Internal(format!("{}: {e}", self.path.display()));
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        // Written whole and renamed into place: a crash never leaves half a file.
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(list).map_err(|e| Error::Internal(e.to_string()))?)
            .map_err(io)?;
        std::fs::rename(&tmp, &self.path).map_err(io)
    }

    /// Adds or updates the rotation of `r.user` in `r.account`.
    pub fn save(&self, r: &Rotation) -> Result<()> {
        let _g = self.lock.lock().unwrap();
        let mut list = self.list()?;
        list.retain(|x| !(x.account == r.account && x.user == r.user));
        list.push(r.clone());
        self.write(&list)
    }

    pub fn finish(&self, account: &str, user: &str) -> Result<()> {
        let _g = self.lock.lock().unwrap();
        let mut list = self.list()?;
        list.retain(|x| !(x.account == account && x.user == user));
        self.write(&list)
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
    validate::name(NameKind::User, user)?;
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
    validate::access_key_id(key_id)?;
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
            account: "111".into(),
            user: "ci".into(),
            old_key: "AKIAOLD".into(),
            new_key: "AKIANEW".into(),
            step: RotationStep::WaitForUse,
            started: "2026-11-23T10:00:00Z".into(),
        };
        Rotations::new(path.clone()).save(&r).unwrap();
        let again = Rotations::new(path.clone());
        assert_eq!(again.list().unwrap(), std::slice::from_ref(&r));
        again.save(&Rotation { step: RotationStep::DeleteOld, ..r.clone() }).unwrap();
        assert_eq!(again.list().unwrap()[0].step, RotationStep::DeleteOld);
        again.finish("111", "ci").unwrap();
        assert!(again.list().unwrap().is_empty());
        std::fs::write(&path, "{not json").unwrap();
        assert!(again.list().unwrap_err().to_string().contains("unreadable"));
    }
}
