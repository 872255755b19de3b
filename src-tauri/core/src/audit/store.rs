//! What the audit keeps between runs, in one JSON file in the app's data folder: the
//! acknowledgements per account (finding id → reason) and the counts of each profile's last
//! audits for the trend. Counts only: no secret and no account data beyond them.
//!
//! ```json
//! { "acknowledgements": { "111111111111": { "user-no-group:User/ana": { "reason": "…", "at": "…" } } },
//!   "profiles": { "prod": { "latest": { "counts": {…}, "at": "…" }, "baseline": { "counts": {…}, "at": "…" } } } }
//! ```
//!
//! Written like the key rotations' file: under a mutex, whole, to a temporary file renamed
//! into place; a file that cannot be read is set aside, never overwritten, and the audit
//! starts afresh.

use super::{Acknowledgement, AuditTrend, SeverityCounts};
use crate::error::{Error, Result};
use crate::rules;
use crate::saved_file::{Loaded, SavedFile};
use crate::vocab::rfc3339;
use aws_sdk_iam::primitives::DateTime;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;

/// The longest reason kept, in characters.
pub const MAX_REASON: usize = 500;
/// The longest finding id accepted (ids are a check and an ARN or a name).
const MAX_FINDING_ID: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Stamped {
    counts: SeverityCounts,
    at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ProfileCounts {
    latest: Stamped,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    baseline: Option<Stamped>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Saved {
    #[serde(default)]
    acknowledgements: BTreeMap<String, BTreeMap<String, Acknowledgement>>,
    #[serde(default)]
    profiles: BTreeMap<String, ProfileCounts>,
}

pub struct AuditStore {
    file: SavedFile,
    /// Held for every read and write of the file. Holds the sentence about a damaged file
    /// set aside until [`AuditStore::take_notice`] hands it out.
    state: Mutex<Option<String>>,
}

impl AuditStore {
    pub fn new(path: PathBuf) -> Self {
        AuditStore { file: SavedFile::new(path), state: Mutex::new(None) }
    }

    /// The account's acknowledgements, by finding id.
    pub fn acknowledgements(&self, account: &str) -> Result<HashMap<String, Acknowledgement>> {
        rules::account_id(account)?;
        let mut notice = self.lock();
        let saved = self.load(&mut notice)?;
        Ok(saved.acknowledgements.get(account).map(|m| m.clone().into_iter().collect()).unwrap_or_default())
    }

    pub fn acknowledge(&self, account: &str, finding: &str, reason: &str) -> Result<Acknowledgement> {
        rules::account_id(account)?;
        check_finding(finding)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::InvalidInput(
                "Say why this finding is accepted: the reason is what a later reviewer reads.".into(),
            ));
        }
        let n = reason.chars().count();
        if n > MAX_REASON {
            return Err(Error::InvalidInput(format!(
                "The reason is {n} characters long; keep it to {MAX_REASON} or fewer."
            )));
        }
        let ack = Acknowledgement { reason: reason.to_string(), at: now() };
        let mut notice = self.lock();
        let mut saved = self.load(&mut notice)?;
        saved.acknowledgements.entry(account.to_string()).or_default().insert(finding.to_string(), ack.clone());
        self.write(&saved)?;
        Ok(ack)
    }

    /// Takes the acknowledgement back; nothing to take back is not an error.
    pub fn unacknowledge(&self, account: &str, finding: &str) -> Result<()> {
        rules::account_id(account)?;
        check_finding(finding)?;
        let mut notice = self.lock();
        let mut saved = self.load(&mut notice)?;
        let Some(acks) = saved.acknowledgements.get_mut(account) else { return Ok(()) };
        if acks.remove(finding).is_none() {
            return Ok(());
        }
        if acks.is_empty() {
            saved.acknowledgements.remove(account);
        }
        self.write(&saved)
    }

    /// Records `counts` as the profile's latest audit and returns the trend's baseline: the
    /// counts of the previous opening. `opened` moves the baseline to the latest counts
    /// kept so far (a new opening of the profile); a refresh keeps it.
    pub fn record(&self, profile: &str, counts: SeverityCounts, at: &str, opened: bool) -> Result<Option<AuditTrend>> {
        if profile.trim().is_empty() {
            return Err(Error::InvalidInput(
                "The audit's counts are kept per profile, and the profile has no name.".into(),
            ));
        }
        let mut notice = self.lock();
        let mut saved = self.load(&mut notice)?;
        let latest = Stamped { counts, at: at.to_string() };
        let entry = match saved.profiles.remove(profile) {
            None => ProfileCounts { latest, baseline: None },
            Some(previous) if opened => ProfileCounts { latest, baseline: Some(previous.latest) },
            Some(previous) => ProfileCounts { latest, baseline: previous.baseline },
        };
        let trend = entry.baseline.as_ref().map(|b| AuditTrend { previous: b.counts, previous_at: b.at.clone() });
        saved.profiles.insert(profile.to_string(), entry);
        self.write(&saved)?;
        Ok(trend)
    }

    /// The sentence about a damaged file set aside, once, if one was.
    pub fn take_notice(&self) -> Option<String> {
        self.lock().take()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        // A panic while holding it left nothing half-written on disk (writes are atomic).
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What is saved; a damaged file is set aside and the audit starts afresh.
    fn load(&self, notice: &mut Option<String>) -> Result<Saved> {
        Ok(match self.file.load("the audit's acknowledgements cannot be saved")? {
            Loaded::Found(saved) => saved,
            Loaded::Missing => Saved::default(),
            Loaded::SetAside { damage, aside } => {
                *notice = Some(format!(
                    "The audit's saved acknowledgements and trend were unreadable ({damage}), so Gatehouse set the \
                     file aside as {} and starts afresh: acknowledge accepted findings again.",
                    aside.display()
                ));
                Saved::default()
            }
        })
    }

    fn write(&self, saved: &Saved) -> Result<()> {
        self.file.write(saved)
    }
}

fn check_finding(finding: &str) -> Result<()> {
    if finding.trim().is_empty() || finding.len() > MAX_FINDING_ID || finding.chars().any(char::is_control) {
        return Err(Error::InvalidInput(format!(
            "'{}' is not a finding of the audit.",
            finding.chars().take(80).collect::<String>()
        )));
    }
    Ok(())
}

fn now() -> String {
    rfc3339(&DateTime::from(std::time::SystemTime::now()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    const ACCOUNT: &str = "111111111111";

    fn store() -> (tempfile::TempDir, AuditStore) {
        let dir = tempfile::tempdir().unwrap();
        let s = AuditStore::new(dir.path().join("audit.json"));
        (dir, s)
    }

    fn counts(critical: u32, high: u32, medium: u32, low: u32) -> SeverityCounts {
        SeverityCounts { critical, high, medium, low }
    }

    #[test]
    fn acknowledgements_are_kept_per_account_and_taken_back() {
        let (dir, s) = store();
        assert!(s.acknowledgements(ACCOUNT).unwrap().is_empty());
        let ack = s.acknowledge(ACCOUNT, "user-no-group:User/ana", "  break-glass user, reviewed monthly \n").unwrap();
        assert_eq!(ack.reason, "break-glass user, reviewed monthly");
        assert!(epoch_ok(&ack.at), "{}", ack.at);
        let acks = s.acknowledgements(ACCOUNT).unwrap();
        assert_eq!(acks.len(), 1);
        assert_eq!(acks["user-no-group:User/ana"], ack);
        // Another account sees none of them.
        assert!(s.acknowledgements("222222222222").unwrap().is_empty());
        // A second store on the same file reads them back.
        let again = AuditStore::new(dir.path().join("audit.json"));
        assert_eq!(again.acknowledgements(ACCOUNT).unwrap()["user-no-group:User/ana"], ack);
        let raw: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("audit.json")).unwrap()).unwrap();
        assert_eq!(
            raw["acknowledgements"][ACCOUNT]["user-no-group:User/ana"]["reason"],
            "break-glass user, reviewed monthly"
        );

        s.unacknowledge(ACCOUNT, "user-no-group:User/ana").unwrap();
        assert!(s.acknowledgements(ACCOUNT).unwrap().is_empty());
        // Nothing to take back: fine.
        s.unacknowledge(ACCOUNT, "user-no-group:User/ana").unwrap();
    }

    fn epoch_ok(at: &str) -> bool {
        crate::audit::checks::epoch(at).is_some()
    }

    #[test]
    fn a_reason_is_required_and_bounded_and_the_account_checked() {
        let (_dir, s) = store();
        let e = s.acknowledge(ACCOUNT, "root-no-mfa:Root", "   ").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert!(e.to_string().contains("reason"), "{e}");
        let e = s.acknowledge(ACCOUNT, "root-no-mfa:Root", &"é".repeat(501)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert!(e.to_string().contains("501") && e.to_string().contains("500"), "{e}");
        // 500 characters (1,000 bytes) is within bounds.
        s.acknowledge(ACCOUNT, "root-no-mfa:Root", &"é".repeat(500)).unwrap();
        let e = s.acknowledge("12345", "root-no-mfa:Root", "ok").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        let e = s.acknowledge(ACCOUNT, "", "ok").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(s.acknowledgements(ACCOUNT).unwrap().len(), 1);
    }

    #[test]
    fn the_baseline_moves_on_opening_and_stays_on_refresh() {
        let (_dir, s) = store();
        // First audit of the profile: no trend.
        assert_eq!(s.record("prod", counts(1, 2, 3, 4), "2026-11-01T00:00:00Z", true).unwrap(), None);
        // A refresh: still no baseline.
        assert_eq!(s.record("prod", counts(1, 1, 3, 4), "2026-11-01T01:00:00Z", false).unwrap(), None);
        // Opened again: the baseline is the last audit of the previous opening.
        let t = s.record("prod", counts(0, 1, 3, 4), "2026-11-02T00:00:00Z", true).unwrap().unwrap();
        assert_eq!(t, AuditTrend { previous: counts(1, 1, 3, 4), previous_at: "2026-11-01T01:00:00Z".into() });
        // Refreshes keep that baseline.
        let t = s.record("prod", counts(0, 0, 0, 0), "2026-11-02T00:10:00Z", false).unwrap().unwrap();
        assert_eq!(t.previous, counts(1, 1, 3, 4));
        // Another profile has its own.
        assert_eq!(s.record("dev", counts(9, 9, 9, 9), "2026-11-02T00:00:00Z", true).unwrap(), None);
        let t = s.record("prod", counts(0, 0, 0, 1), "2026-11-03T00:00:00Z", true).unwrap().unwrap();
        assert_eq!(t, AuditTrend { previous: counts(0, 0, 0, 0), previous_at: "2026-11-02T00:10:00Z".into() });
    }

    #[test]
    fn a_damaged_file_is_set_aside_and_the_store_starts_afresh() {
        let (dir, s) = store();
        let path = dir.path().join("audit.json");
        std::fs::write(&path, b"{ not json").unwrap();
        assert!(s.acknowledgements(ACCOUNT).unwrap().is_empty());
        let notice = s.take_notice().expect("a notice");
        assert!(notice.contains("set the file aside"), "{notice}");
        assert_eq!(s.take_notice(), None, "said once");
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("audit.json.damaged-"))
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert_eq!(std::fs::read(dir.path().join(&aside[0])).unwrap(), b"{ not json", "kept as it was");
        // And the store works on.
        s.acknowledge(ACCOUNT, "root-no-mfa:Root", "accepted").unwrap();
        assert_eq!(s.record("prod", counts(0, 0, 0, 0), "2026-11-01T00:00:00Z", true).unwrap(), None);
        assert_eq!(s.acknowledgements(ACCOUNT).unwrap().len(), 1);
        // A second damage is set aside next to the first, not over it.
        std::fs::write(&path, b"42").unwrap();
        assert!(s.acknowledgements(ACCOUNT).unwrap().is_empty());
        let n = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("audit.json.damaged-"))
            .count();
        assert_eq!(n, 2);
    }

    #[test]
    fn no_temporary_file_is_left_behind() {
        let (dir, s) = store();
        s.acknowledge(ACCOUNT, "root-no-mfa:Root", "accepted").unwrap();
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        assert_eq!(names, vec!["audit.json".to_string()]);
    }
}
