//! AWS's evaluation logic for identity-based policies within one account, with no I/O
//! ("Policy evaluation logic" in the IAM User Guide): an explicit deny in any policy wins;
//! otherwise an allow is needed from the identity policies and, when a permissions boundary
//! is set, from the boundary too; anything else is an implicit deny.
//!
//! In scope: `Action`/`NotAction` (case-insensitive, `*` and `?`), `Resource`/`NotResource`
//! (case-sensitive; a `*` stays inside its colon-separated ARN segment unless it ends the
//! segment, `?` never matches a colon), every condition operator with `IfExists` and the
//! `ForAllValues:`/`ForAnyValue:` set operators, and policy variables in resources and in
//! string and ARN condition values (`${aws:username}`, `${aws:PrincipalTag/…}`, defaults as
//! `${key, 'default'}`, and the escapes `${*}`, `${?}`, `${$}`); a variable with no value
//! makes its statement not apply. Out of scope, and said so next to every answer
//! ([`OUT_OF_SCOPE`]): resource-based policies, SCPs and RCPs, session policies, and the
//! role's trust policy.
//!
//! Why not `iam-rs` (0.8.0, MIT), which claims the same: run against AWS's documented
//! examples it got most condition rules right (absent keys under negated operators, NOR
//! lists, `ForAllValues`/`ForAnyValue` on absent keys, CIDRs, defaults, `${*}`/`${?}`), but
//! - its `Resource` wildcards cross colons anywhere (`arn:aws:s3:::a*b` matched
//!   `arn:aws:s3:::a:x:b`; AWS keeps a `*` within its ARN segment unless it ends it);
//! - a request's resource must parse as an ARN, so `*` (the resource of `iam:ListUsers`,
//!   `s3:ListAllMyBuckets`) cannot be asked about;
//! - it refuses a policy without `Version`, which AWS accepts (with `${…}` as plain text);
//! - it has no permissions boundary, no deciding statement by policy and index, no closest
//!   miss, and no statement ranges in the document, which this module must give;
//! - it clones every policy on each `evaluate_policy` call, where 5,000 principals are asked
//!   the same question, and brings chrono and ipnet for what is a few dozen lines here.
//!
//! Speed: a policy is parsed once ([`Policy::parse`]) into patterns compiled to tokens (actions
//! lower-cased), so evaluating allocates nothing unless a pattern holds a variable, and the
//! closest miss writes only the winning statement's sentence.

mod conditions;
mod matching;
#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use super::json::{self, Node, Value};
use super::position::Positions;
use conditions::Condition;
use matching::{glob, Kind, Pattern};
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

/// A policy document, parsed once and evaluated many times. Built by [`Policy::parse`] (the
/// compiled statements are private); `Policy::default()` is a policy with no statement.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub statements: Vec<Statement>,
    /// Each statement compiled for matching, in the same order.
    rules: Vec<Rule>,
}

/// A statement as the evaluator needs it: patterns compiled (actions lower-cased) so that a
/// request allocates nothing unless a pattern holds a policy variable.
#[derive(Debug, Clone)]
struct Rule {
    actions: Vec<Pattern>,
    resources: Vec<Pattern>,
    conditions: Vec<Condition>,
}

impl Policy {
    /// Parses a (decoded) policy document. A document AWS would reject is an error.
    pub fn parse(document: &str) -> Result<Policy, String> {
        let root = json::parse(document).map_err(|e| format!("{}.", e.message))?;
        let positions = Positions::new(document);
        let Some(members) = root.members() else {
            return Err("A policy is a JSON object with \"Version\" and \"Statement\".".into());
        };
        for m in members {
            if !matches!(m.key.as_str(), "Version" | "Id" | "Statement") {
                return Err(format!("\"{}\" is not an element of a policy.", m.key));
            }
        }
        // Policy variables exist only in version 2012-10-17; elsewhere `${…}` is plain text.
        let variables = match root.get("Version").map(|m| m.value.as_str()) {
            None => false,
            Some(Some("2012-10-17")) => true,
            Some(Some("2008-10-17")) => false,
            Some(_) => return Err("\"Version\" must be \"2012-10-17\" or \"2008-10-17\".".into()),
        };
        let Some(statement) = root.get("Statement") else {
            return Err("The policy has no \"Statement\".".into());
        };
        let nodes: Vec<&Node> = match &statement.value.value {
            Value::Object(_) => vec![&statement.value],
            Value::Array(items) => items.iter().collect(),
            _ => return Err("\"Statement\" must be a statement object or an array of them.".into()),
        };
        let mut statements = Vec::with_capacity(nodes.len());
        let mut rules = Vec::with_capacity(nodes.len());
        for (i, node) in nodes.into_iter().enumerate() {
            let (statement, rule) =
                parse_statement(node, variables, &positions).map_err(|e| format!("Statement {}: {e}", i + 1))?;
            statements.push(statement);
            rules.push(rule);
        }
        Ok(Policy { statements, rules })
    }
}

/// A string or an array of strings (Action, Resource).
fn strings(node: &Node, element: &str) -> Result<Vec<String>, String> {
    match &node.value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|n| n.as_str().map(str::to_string).ok_or_else(|| format!("\"{element}\" must list strings.")))
            .collect(),
        _ => Err(format!("\"{element}\" must be a string or an array of strings.")),
    }
}

/// A condition value: strings, and numbers and booleans as written.
fn condition_values(node: &Node) -> Option<Vec<String>> {
    let one = |n: &Node| match &n.value {
        Value::String(s) | Value::Number(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match &node.value {
        Value::Array(items) => items.iter().map(one).collect(),
        _ => one(node).map(|v| vec![v]),
    }
}

fn parse_statement(node: &Node, variables: bool, positions: &Positions<'_>) -> Result<(Statement, Rule), String> {
    let Some(members) = node.members() else { return Err("a statement must be a JSON object.".into()) };
    for (i, m) in members.iter().enumerate() {
        if members[..i].iter().any(|e| e.key == m.key) {
            return Err(format!("\"{}\" is given twice.", m.key));
        }
        match m.key.as_str() {
            "Sid" | "Effect" | "Action" | "NotAction" | "Resource" | "NotResource" | "Condition" => {}
            "Principal" | "NotPrincipal" => {
                return Err(format!("\"{}\" has no place in an identity-based policy.", m.key));
            }
            other => return Err(format!("\"{other}\" is not an element of a statement.")),
        }
    }
    let sid = match node.get("Sid") {
        None => None,
        Some(m) => Some(m.value.as_str().ok_or("\"Sid\" must be a string.")?.to_string()),
    };
    let effect = match node.get("Effect").map(|m| m.value.as_str()) {
        Some(Some("Allow")) => Effect::Allow,
        Some(Some("Deny")) => Effect::Deny,
        None => return Err("it has no \"Effect\".".into()),
        Some(_) => return Err("\"Effect\" must be \"Allow\" or \"Deny\".".into()),
    };
    let (actions, not_action) = match (node.get("Action"), node.get("NotAction")) {
        (Some(m), None) => (strings(&m.value, "Action")?, false),
        (None, Some(m)) => (strings(&m.value, "NotAction")?, true),
        (Some(_), Some(_)) => return Err("it has both \"Action\" and \"NotAction\".".into()),
        (None, None) => return Err("it has no \"Action\" or \"NotAction\".".into()),
    };
    let (resources, not_resource) = match (node.get("Resource"), node.get("NotResource")) {
        (Some(m), None) => (strings(&m.value, "Resource")?, false),
        (None, Some(m)) => (strings(&m.value, "NotResource")?, true),
        (Some(_), Some(_)) => return Err("it has both \"Resource\" and \"NotResource\".".into()),
        (None, None) => return Err("it has no \"Resource\" or \"NotResource\".".into()),
    };
    let mut conditions = Vec::new();
    if let Some(block) = node.get("Condition") {
        let Some(operators) = block.value.members() else {
            return Err("\"Condition\" must be an object of operators.".into());
        };
        for op in operators {
            let Some(keys) = op.value.members() else {
                return Err(format!("the condition operator {} must map keys to values.", op.key));
            };
            for key in keys {
                let values = condition_values(&key.value).ok_or_else(|| {
                    format!("the value of {} under {} must be a string or a list of strings.", key.key, op.key)
                })?;
                conditions.push(Condition::new(&op.key, &key.key, &values, variables)?);
            }
        }
    }
    let n = |b: usize| u32::try_from(positions.utf16(b)).unwrap_or(u32::MAX);
    let rule = Rule {
        // Actions are not ARNs: `${…}` in them is plain text.
        actions: actions.iter().map(|a| Pattern::new(a, Kind::Action, false)).collect(),
        resources: resources.iter().map(|r| Pattern::new(r, Kind::Resource, variables)).collect(),
        conditions,
    };
    let statement = Statement {
        sid,
        effect,
        actions,
        not_action,
        resources,
        not_resource,
        conditional: node.get("Condition").is_some(),
        from: n(node.span.start),
        to: n(node.span.end),
    };
    Ok((statement, rule))
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

    /// [`Context::get`] for a key already in lower case: no allocation in the hot path.
    fn get_lower(&self, key_lower: &str) -> Option<&[String]> {
        self.values.get(key_lower).map(Vec::as_slice)
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

/// What is not evaluated, to show next to every answer.
pub const OUT_OF_SCOPE: &str = "Evaluated: the identity-based policies of this account (inline, managed, and the \
groups') and the permissions boundary. Not evaluated: resource-based policies (bucket, key and queue policies), \
service control policies and resource control policies (SCPs and RCPs), session policies, and the role's trust \
policy. AWS may still deny what is shown as allowed here, and a resource-based policy may allow what is shown \
as denied.";

/// How one statement fared against a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    Applies,
    /// The request is outside the statement: which dimensions failed (action, resource,
    /// condition; a variable with no value fails the dimension it is in).
    Misses {
        action: bool,
        resource: bool,
        condition: bool,
    },
}

impl Rule {
    fn action_matches(&self, statement: &Statement, action: &str) -> bool {
        let listed = self.actions.iter().any(|p| p.tokens_fixed().is_some_and(|t| glob(t, action, true)));
        listed != statement.not_action
    }

    /// Whether the resource is covered; Err names a variable with no value.
    fn resource_matches(&self, statement: &Statement, ctx: &Context, resource: &str) -> Result<bool, String> {
        let mut listed = false;
        for p in &self.resources {
            if glob(&p.tokens(ctx)?, resource, false) {
                listed = true;
                break;
            }
        }
        Ok(listed != statement.not_resource)
    }

    fn conditions_hold(&self, ctx: &Context) -> Result<bool, String> {
        for c in &self.conditions {
            if !c.holds(ctx)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The fast check: does the statement apply to the request.
    fn applies(&self, statement: &Statement, request: &Request<'_>) -> bool {
        self.action_matches(statement, request.action)
            && self.resource_matches(statement, request.context, request.resource) == Ok(true)
            && self.conditions_hold(request.context) == Ok(true)
    }

    /// The slow check, for the closest miss: which dimensions fail. Allocates nothing (but
    /// for resources with variables): it runs for every Allow statement of an implicit deny.
    fn fit(&self, statement: &Statement, request: &Request<'_>) -> Fit {
        let action = self.action_matches(statement, request.action);
        let resource = self.resource_matches(statement, request.context, request.resource) == Ok(true);
        let condition = self.conditions.iter().all(|c| c.holds(request.context) == Ok(true));
        if action && resource && condition {
            Fit::Applies
        } else {
            Fit::Misses { action: !action, resource: !resource, condition: !condition }
        }
    }

    /// Why the statement does not apply, in a sentence about its first failing dimension:
    /// the action, then the resource, then the first condition not met.
    fn reason(&self, statement: &Statement, request: &Request<'_>) -> String {
        let ctx = request.context;
        if !self.action_matches(statement, request.action) {
            return if statement.not_action {
                format!("the action {} is excluded by its NotAction list", request.action)
            } else {
                format!("the action {} is not in its Action list", request.action)
            };
        }
        match self.resource_matches(statement, ctx, request.resource) {
            Err(var) => return format!("the variable {var} in its Resource has no value in this request"),
            Ok(false) if statement.not_resource => {
                return format!("the resource {} is excluded by its NotResource list", request.resource);
            }
            Ok(false) => {
                return format!(
                    "the resource {} does not match {}",
                    request.resource,
                    statement.resources.join(" or ")
                );
            }
            Ok(true) => {}
        }
        for c in &self.conditions {
            match c.holds(ctx) {
                Ok(true) => {}
                Ok(false) => return c.explain(ctx),
                Err(var) => {
                    return format!(
                        "the variable {var} in condition {} ({}) has no value in this request",
                        c.key, c.operator
                    );
                }
            }
        }
        String::new()
    }
}

/// AWS's evaluation logic for a request by a principal in this account: an explicit deny in
/// any policy (identity or boundary) wins; otherwise the identity policies must allow, and,
/// when a boundary is set, the boundary must allow too. Everything else is an implicit deny.
pub fn evaluate(identity: &[&Policy], boundary: Option<&Policy>, request: &Request<'_>) -> Evaluation {
    let policies = || identity.iter().copied().chain(boundary).enumerate();
    let mut denying = Vec::new();
    let mut allowing = Vec::new();
    let mut boundary_allowing = Vec::new();
    for (p, policy) in policies() {
        for (s, (statement, rule)) in policy.statements.iter().zip(&policy.rules).enumerate() {
            if !rule.applies(statement, request) {
                continue;
            }
            let at = StatementRef { policy: p, statement: s };
            match statement.effect {
                Effect::Deny => denying.push(at),
                Effect::Allow if p < identity.len() => allowing.push(at),
                Effect::Allow => boundary_allowing.push(at),
            }
        }
    }
    if !denying.is_empty() {
        return Evaluation {
            decision: Decision::ExplicitDeny,
            deciding: denying,
            closest: None,
            boundary_denied: false,
        };
    }
    let identity_allows = !allowing.is_empty();
    let boundary_allows = boundary.is_none() || !boundary_allowing.is_empty();
    if identity_allows && boundary_allows {
        allowing.extend(boundary_allowing);
        return Evaluation { decision: Decision::Allowed, deciding: allowing, closest: None, boundary_denied: false };
    }
    // The closest miss is looked for where the allow is missing: in the identity policies,
    // or, when they allow, in the boundary.
    let closest = if identity_allows {
        boundary.and_then(|b| closest_miss(std::iter::once((identity.len(), b)), request))
    } else {
        closest_miss(identity.iter().copied().enumerate(), request)
    };
    Evaluation { decision: Decision::ImplicitDeny, deciding: Vec::new(), closest, boundary_denied: identity_allows }
}

/// Among the Allow statements, the one that failed on the fewest dimensions; on a tie, the
/// one that got further (a condition miss is closer than a resource miss, which is closer
/// than an action miss), then the first.
fn closest_miss<'p>(policies: impl Iterator<Item = (usize, &'p Policy)>, request: &Request<'_>) -> Option<Miss> {
    // (how far it got, policy, statement): the smallest rank wins.
    let mut best: Option<((u8, bool, bool), usize, usize)> = None;
    let mut winner: Option<(&Statement, &Rule)> = None;
    for (p, policy) in policies {
        for (s, (statement, rule)) in policy.statements.iter().zip(&policy.rules).enumerate() {
            if statement.effect != Effect::Allow {
                continue;
            }
            let Fit::Misses { action, resource, condition } = rule.fit(statement, request) else { continue };
            let rank = (u8::from(action) + u8::from(resource) + u8::from(condition), action, resource);
            if best.is_none_or(|(r, ..)| rank < r) {
                best = Some((rank, p, s));
                winner = Some((statement, rule));
            }
        }
    }
    // Only the winner's sentence is written.
    let ((_, policy, statement), (st, rule)) = best.zip(winner)?;
    Some(Miss { at: StatementRef { policy, statement }, reason: rule.reason(st, request) })
}
