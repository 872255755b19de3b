//! What the audit keeps between runs, in one JSON file in the app's data folder: the
//! acknowledgements per account (finding id → reason) and the counts of each profile's last
//! audits for the trend. Counts only: no secret and no account data beyond them.

use super::{Acknowledgement, AuditTrend, SeverityCounts};
use crate::error::Result;
use std::path::PathBuf;

pub struct AuditStore {
    path: PathBuf,
}

impl AuditStore {
    pub fn new(path: PathBuf) -> Self {
        AuditStore { path }
    }

    /// The account's acknowledgements, by finding id.
    pub fn acknowledgements(&self, account: &str) -> Result<std::collections::HashMap<String, Acknowledgement>> {
        let _ = (account, &self.path);
        Ok(Default::default())
    }

    pub fn acknowledge(&self, account: &str, finding: &str, reason: &str) -> Result<Acknowledgement> {
        let _ = (account, finding, reason);
        Err(crate::error::Error::Internal("not written yet".into()))
    }

    pub fn unacknowledge(&self, account: &str, finding: &str) -> Result<()> {
        let _ = (account, finding);
        Err(crate::error::Error::Internal("not written yet".into()))
    }

    /// Records `counts` as the profile's latest audit and returns the trend's baseline: the
    /// counts of the previous opening. `opened` moves the baseline to the latest counts
    /// kept so far (a new opening of the profile); a refresh keeps it.
    pub fn record(&self, profile: &str, counts: SeverityCounts, at: &str, opened: bool) -> Result<Option<AuditTrend>> {
        let _ = (profile, counts, at, opened);
        Ok(None)
    }
}
