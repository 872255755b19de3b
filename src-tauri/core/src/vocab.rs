//! The words every feature shares: who a principal is, a tag, how a time is written. They
//! live here, below the features, so that no feature has to import another to say them.

use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use serde::{Deserialize, Serialize};

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
