//! The words every feature shares: who a principal is, a tag, how a time is written. They
//! live here, below the features, so that no feature has to import another to say them.

use crate::error::{Error, ErrorCode};
use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use serde::{Deserialize, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub enum PrincipalKind {
    User,
    Group,
    Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub name: String,
}

impl Principal {
    pub fn user(name: &str) -> Self {
        Principal { kind: PrincipalKind::User, name: name.into() }
    }
    pub fn group(name: &str) -> Self {
        Principal { kind: PrincipalKind::Group, name: name.into() }
    }
    pub fn role(name: &str) -> Self {
        Principal { kind: PrincipalKind::Role, name: name.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// Times cross IPC as RFC 3339 strings in UTC, which sort as they compare.
pub(crate) fn rfc3339(t: &DateTime) -> String {
    t.fmt(DateTimeFormat::DateTime).unwrap_or_default()
}

/// What a change did to the account: each thing it touched and how. Every function that
/// changes something returns one (a partial failure carries what was done before it failed),
/// so the window reloads exactly what changed and nobody keeps a second list of it by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(transparent)]
pub struct Changed(pub Vec<Change>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Change {
    pub entity: Entity,
    pub how: How,
}

/// Something a change can touch. A user's keys, MFA devices and console password are named
/// apart from the user because a screen may show just them; each also changes its user's row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind")]
pub enum Entity {
    User {
        name: String,
    },
    Group {
        name: String,
    },
    Role {
        name: String,
    },
    /// A managed policy, by ARN.
    Policy {
        arn: String,
    },
    AccessKey {
        user: String,
        id: String,
    },
    MfaDevice {
        user: String,
        serial: String,
    },
    LoginProfile {
        user: String,
    },
    InstanceProfile {
        name: String,
    },
    /// The account's alias or password policy.
    AccountSettings,
    /// A secret put in or taken out of the OS keychain (a handoff): not the account's, the app's.
    Keychain,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind")]
pub enum How {
    Created,
    Updated,
    Deleted,
    /// Renamed or moved: the entity is now known as `to` (same kind).
    Renamed {
        to: String,
    },
}

impl Entity {
    pub fn user(name: &str) -> Self {
        Entity::User { name: name.into() }
    }
    pub fn group(name: &str) -> Self {
        Entity::Group { name: name.into() }
    }
    pub fn role(name: &str) -> Self {
        Entity::Role { name: name.into() }
    }
    pub fn policy(arn: &str) -> Self {
        Entity::Policy { arn: arn.into() }
    }
    pub fn principal(p: &Principal) -> Self {
        match p.kind {
            PrincipalKind::User => Entity::user(&p.name),
            PrincipalKind::Group => Entity::group(&p.name),
            PrincipalKind::Role => Entity::role(&p.name),
        }
    }
}

impl Changed {
    pub fn none() -> Self {
        Changed(Vec::new())
    }
    /// One entity changed in one way.
    pub fn one(entity: Entity, how: How) -> Self {
        Changed(vec![Change { entity, how }])
    }
    pub fn created(entity: Entity) -> Self {
        Changed::one(entity, How::Created)
    }
    pub fn updated(entity: Entity) -> Self {
        Changed::one(entity, How::Updated)
    }
    pub fn deleted(entity: Entity) -> Self {
        Changed::one(entity, How::Deleted)
    }
    /// Adds a change to what was changed.
    pub fn push(&mut self, entity: Entity, how: How) {
        let change = Change { entity, how };
        if !self.0.contains(&change) {
            self.0.push(change);
        }
    }
    /// This and `other`, each change once.
    pub fn and(mut self, other: Changed) -> Self {
        self.extend(other);
        self
    }
    /// Adds what `other` changed.
    pub fn extend(&mut self, other: Changed) {
        for c in other.0 {
            self.push(c.entity, c.how);
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A change's answer (the new role's row, the handoff of a new key) and what it changed.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Done<T> {
    pub value: T,
    pub changed: Changed,
}

impl<T> Done<T> {
    pub fn new(value: T, changed: Changed) -> Self {
        Done { value, changed }
    }
}

/// Read as the answer it carries.
impl<T> std::ops::Deref for Done<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// A change of several calls that failed part-way: AWS's error (its code kept), and what the
/// calls before it changed, so the window reloads that too. It crosses IPC as the error's
/// `{code, message}` with `changed` beside them.
#[derive(Debug)]
pub struct Partial {
    pub error: Error,
    pub changed: Changed,
}

impl Partial {
    pub fn new(error: Error, changed: Changed) -> Self {
        Partial { error, changed }
    }
}

/// Read as the error it carries: its code and message are the error's.
impl std::ops::Deref for Partial {
    type Target = Error;
    fn deref(&self) -> &Error {
        &self.error
    }
}

impl std::fmt::Display for Partial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

/// Failing before anything was changed.
impl From<Error> for Partial {
    fn from(error: Error) -> Self {
        Partial { error, changed: Changed::none() }
    }
}

/// What the UI receives of a [`Partial`].
#[derive(Serialize, specta::Type)]
struct PartialIpcError {
    code: ErrorCode,
    message: String,
    changed: Changed,
}

impl Serialize for Partial {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Partial { error, changed } = self;
        PartialIpcError { code: error.code(), message: error.to_string(), changed: changed.clone() }.serialize(s)
    }
}

impl specta::Type for Partial {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        PartialIpcError::definition(types)
    }
}
