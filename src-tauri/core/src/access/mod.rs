//! Who can do what, answered offline from one snapshot of the account's authorization
//! details: a principal's effective permissions, the simulator ("can P do A on R?") and
//! "who can do this?" across the account. No call to AWS after the snapshot is read.
//!
//! `snapshot` reads and parses the account once; `effective` summarises what a principal
//! may do per service; `simulate` answers one principal's question with the evaluator;
//! `who_can` asks it of every user and role; `presets` are the auditors' questions.

pub(crate) mod effective;
mod presets;
mod simulate;
mod snapshot;
#[cfg(test)]
mod tests;
mod who_can;

pub use effective::effective_permissions;
pub use presets::presets;
pub use simulate::simulate;
pub use snapshot::{read as read_details, Details, Entity, ManagedDocument, Snapshot};
pub use who_can::who_can;

use crate::aws::connection::Connection;
use crate::error::Result;
use crate::policy::evaluate::Decision;
use crate::vocab::Principal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A policy that applies to a principal, and how it reaches it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppliedPolicy {
    /// Stable within a snapshot: what deciding statements point at.
    pub id: String,
    pub name: String,
    /// A managed policy's ARN; `None` for an inline policy.
    pub arn: Option<String>,
    /// The group it comes through, for a user's group policies.
    pub via_group: Option<String>,
    pub inline: bool,
    /// The principal's permissions boundary (limits, grants nothing by itself).
    pub boundary: bool,
    /// Decoded and pretty-printed: the ranges below point into this text.
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LevelAccess {
    /// List, Read, Write, Permissions management or Tagging.
    pub level: String,
    pub allowed: u32,
    pub total: u32,
}

/// What a principal may do in one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccess {
    /// `s3`
    pub prefix: String,
    /// `Amazon S3`
    pub name: String,
    pub allowed: u32,
    pub total: u32,
    pub levels: Vec<LevelAccess>,
    /// The resource patterns its allows name (`*` when any).
    pub resources: Vec<String>,
    /// Actions explicitly denied (on some resource).
    pub denied: u32,
    /// Some allows depend on conditions.
    pub conditional: bool,
    /// Every action of the service, on every resource.
    pub full_access: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EffectivePermissions {
    pub principal: Principal,
    /// Identity policies, grouped by source in this order: inline, managed, then each group's.
    pub policies: Vec<AppliedPolicy>,
    pub boundary: Option<AppliedPolicy>,
    /// Services with at least one allowed or explicitly denied action, most access first.
    pub services: Vec<ServiceAccess>,
    /// Allowed every action on every resource with no condition (`*` on `*`, or the
    /// equivalent). A Deny that leaves IAM's permissions management alone does not change
    /// it: whoever may rewrite their own policies can lift the Deny.
    pub admin_equivalent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ContextEntry {
    pub key: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SimulationRequest {
    /// A user or a role.
    pub principal: Principal,
    pub actions: Vec<String>,
    /// An ARN; empty means `*`.
    pub resource: String,
    pub context: Vec<ContextEntry>,
}

/// A statement that decided, or came closest, located in its policy's document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StatementAt {
    /// The `AppliedPolicy.id` it belongs to.
    pub policy: String,
    pub policy_name: String,
    pub via_group: Option<String>,
    pub sid: Option<String>,
    /// Its index in the policy's `Statement` list.
    pub index: u32,
    /// Its range in the policy's `document`, in UTF-16 code units.
    pub from: u32,
    pub to: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SimulationResult {
    pub action: String,
    pub decision: Decision,
    pub deciding: Vec<StatementAt>,
    /// For an implicit deny: the closest Allow statement and why it did not match.
    pub closest: Option<StatementAt>,
    pub reason: Option<String>,
    /// Allowed by the identity policies but not by the permissions boundary.
    pub boundary_denied: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    pub policies: Vec<AppliedPolicy>,
    pub results: Vec<SimulationResult>,
    /// What the answer does not consider, said next to it.
    pub out_of_scope: String,
}

/// One principal allowed to do something, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub principal: Principal,
    pub deciding: StatementAt,
    /// "inline policy X", "managed policy P", "group G, managed policy P".
    pub path: String,
    /// Every path that allows it, `path` first (a principal may be allowed twice over).
    pub paths: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct WhoCan {
    pub action: String,
    pub resource: String,
    pub grants: Vec<Grant>,
    /// Principals evaluated, and how long it took.
    pub evaluated: u32,
    pub millis: u32,
}

/// A question auditors ask, as actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccessPreset {
    pub id: String,
    pub title: String,
    /// Asked of `who_can`; `*` asks who is admin-equivalent.
    pub actions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotInfo {
    /// When it was read (RFC 3339).
    pub read_at: String,
    pub users: u32,
    pub groups: u32,
    pub roles: u32,
    pub policies: u32,
    pub calls: u32,
    /// What the answers cannot account for: attached policies missing from the details,
    /// documents that do not parse.
    pub warnings: Vec<String>,
}

/// One snapshot per profile, kept in memory until read again.
#[derive(Default)]
pub struct Snapshots {
    by_profile: Mutex<HashMap<String, Arc<Snapshot>>>,
}

impl Snapshots {
    /// Reads the account again and keeps the result for `profile`.
    pub async fn load(&self, profile: &str, conn: &Connection) -> Result<Arc<Snapshot>> {
        let read_at = snapshot::now_rfc3339();
        let (details, calls) = snapshot::read(conn, true).await?;
        let built = Arc::new(Snapshot::build(details, read_at, calls));
        // A poisoned lock only means another reader panicked: the map itself is whole.
        let mut map = self.by_profile.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(profile.to_string(), built.clone());
        Ok(built)
    }

    /// The kept snapshot of `profile`, read first if there is none, or if the one kept is of
    /// another account than the profile's connection now reaches (the profile was pointed
    /// elsewhere): it never answers for the wrong account.
    pub async fn get(&self, profile: &str, conn: &Connection) -> Result<Arc<Snapshot>> {
        match self.kept(profile, &conn.identity.account) {
            Some(s) => Ok(s),
            None => self.load(profile, conn).await,
        }
    }

    fn kept(&self, profile: &str, account: &str) -> Option<Arc<Snapshot>> {
        let map = self.by_profile.lock().unwrap_or_else(|e| e.into_inner());
        map.get(profile).filter(|s| s.account == account).cloned()
    }
}
