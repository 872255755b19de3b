//! Who can do what, answered offline from one snapshot of the account's authorization
//! details: a principal's effective permissions, the simulator ("can P do A on R?") and
//! "who can do this?" across the account. No call to AWS after the snapshot is read.
//!
//! CONTRACT STUB: types are final-ish, bodies are being written.

use crate::aws::connection::Connection;
use crate::error::{Error, Result};
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
    /// Services with at least one allowed action, most access first.
    pub services: Vec<ServiceAccess>,
    /// Allowed every action on every resource (`*` on `*`, or the equivalent).
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
}

/// The account's authorization details, as read once.
#[derive(Debug)]
pub struct Snapshot {
    pub info: SnapshotInfo,
}

/// One snapshot per profile, kept in memory until read again.
#[derive(Default)]
pub struct Snapshots {
    by_profile: Mutex<HashMap<String, Arc<Snapshot>>>,
}

fn stub() -> Error {
    Error::Internal("not written yet".into())
}

impl Snapshots {
    /// Reads the account again and keeps the result for `profile`.
    pub async fn load(&self, profile: &str, conn: &Connection) -> Result<Arc<Snapshot>> {
        let _ = conn;
        let _ = self.by_profile.lock().map(|m| m.get(profile).cloned());
        Err(stub())
    }

    /// The kept snapshot of `profile`, read first if there is none.
    pub async fn get(&self, profile: &str, conn: &Connection) -> Result<Arc<Snapshot>> {
        self.load(profile, conn).await
    }
}

pub fn effective_permissions(snapshot: &Snapshot, principal: &Principal) -> Result<EffectivePermissions> {
    let _ = (snapshot, principal);
    Err(stub())
}

pub fn simulate(snapshot: &Snapshot, request: &SimulationRequest) -> Result<Simulation> {
    let _ = (snapshot, request);
    Err(stub())
}

/// Every user and role allowed each of `actions` (on `resource`, `*` when `None`).
pub fn who_can(snapshot: &Snapshot, actions: &[String], resource: Option<&str>) -> Result<Vec<WhoCan>> {
    let _ = (snapshot, actions, resource);
    Err(stub())
}

pub fn presets() -> Vec<AccessPreset> {
    Vec::new()
}
