//! AWS's evaluation logic for identity-based policies within one account, with no I/O:
//! an explicit deny wins; otherwise an allow is needed from the identity policies, and,
//! when a permissions boundary is set, from the boundary too.
//!
//! CONTRACT STUB: parsing is crude and `evaluate` answers "implicitly denied"; the real
//! matcher (wildcards, NotAction/NotResource, conditions, policy variables) is being written.

use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement of a parsed policy, as the summaries need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    /// The patterns of `Action`, or of `NotAction` when `not_action`.
    pub actions: Vec<String>,
    pub not_action: bool,
    /// The patterns of `Resource`, or of `NotResource` when `not_resource`.
    pub resources: Vec<String>,
    pub not_resource: bool,
    /// Whether it has a `Condition` block: its grant depends on the request's context.
    pub conditional: bool,
    /// Where the statement is in the document, in UTF-16 code units (the editor's offsets).
    pub from: u32,
    pub to: u32,
}

/// A policy document, parsed once and evaluated many times.
#[derive(Debug, Clone)]
pub struct Policy {
    pub statements: Vec<Statement>,
}

impl Policy {
    /// Parses a (decoded) policy document. A document AWS would reject is an error.
    pub fn parse(document: &str) -> Result<Policy, String> {
        let _ = document;
        Ok(Policy { statements: Vec::new() })
    }
}

/// The request's context keys (`aws:MultiFactorAuthPresent`, `aws:SourceIp`,
/// `aws:username`, `aws:PrincipalTag/team`, …). Keys are case-insensitive, as AWS's are.
#[derive(Debug, Clone, Default)]
pub struct Context {
    values: HashMap<String, Vec<String>>,
}

impl Context {
    pub fn insert(&mut self, key: &str, values: Vec<String>) {
        self.values.insert(key.to_ascii_lowercase(), values);
    }

    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.values.get(&key.to_ascii_lowercase()).map(Vec::as_slice)
    }
}

pub struct Request<'a> {
    pub action: &'a str,
    pub resource: &'a str,
    pub context: &'a Context,
}

/// A statement that decided, or came closest: the index of its policy in the list given to
/// [`evaluate`] (the boundary is `identity.len()`), and of the statement in that policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRef {
    pub policy: usize,
    pub statement: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub at: StatementRef,
    /// Why it did not apply, in a sentence: the action, the resource, or which condition.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    /// For an explicit deny, the denying statements; for an allow, the allowing ones (and
    /// the boundary's, when one is set).
    pub deciding: Vec<StatementRef>,
    /// For an implicit deny: the Allow statement that came closest, and why it missed.
    pub closest: Option<Miss>,
    /// Allowed by the identity policies but not by the permissions boundary.
    pub boundary_denied: bool,
}

pub fn evaluate(identity: &[&Policy], boundary: Option<&Policy>, request: &Request<'_>) -> Evaluation {
    let _ = (identity, boundary, request);
    Evaluation { decision: Decision::ImplicitDeny, deciding: Vec::new(), closest: None, boundary_denied: false }
}
