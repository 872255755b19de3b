//! The one policy validator: the editor's diagnostics as you type, and the check every
//! create/put call makes first, so nothing invalid is ever sent.
//!
//! moto accepts oversized and some malformed documents, so these rules are Gatehouse's own,
//! after AWS's IAM JSON policy element reference and the four classes of IAM Access
//! Analyzer's policy validation. Every finding has a stable code (the UI and the tests key on
//! it) and the exact range it is about.
//!
//! The codes, by class:
//! - error: JSON_SYNTAX, POLICY_SHAPE, MISSING_VERSION, INVALID_VERSION, INVALID_ID,
//!   MISSING_STATEMENT, STATEMENT_SHAPE, UNKNOWN_ELEMENT, DUPLICATE_KEY, DUPLICATE_SID,
//!   INVALID_SID, MISSING_EFFECT, INVALID_EFFECT, MISSING_ACTION, ACTION_AND_NOTACTION,
//!   ACTION_SHAPE, MALFORMED_ACTION, MISSING_RESOURCE, RESOURCE_AND_NOTRESOURCE,
//!   RESOURCE_SHAPE, MALFORMED_RESOURCE, RESOURCE_IN_TRUST_POLICY,
//!   PRINCIPAL_IN_IDENTITY_POLICY, MISSING_PRINCIPAL, PRINCIPAL_AND_NOTPRINCIPAL,
//!   PRINCIPAL_SHAPE, CONDITION_SHAPE, UNKNOWN_CONDITION_OPERATOR, POLICY_TOO_LARGE;
//! - security warning: ALLOW_ALL_ACTIONS, PASSROLE_ON_ALL, WRITE_ON_ALL_RESOURCES,
//!   ALLOW_WITH_NOTACTION, ALLOW_WITH_NOTRESOURCE, TRUST_ANY_PRINCIPAL, WEB_IDENTITY_ANY_SUBJECT;
//! - warning: OLD_VERSION, UNKNOWN_SERVICE, UNKNOWN_ACTION, UNKNOWN_CONDITION_KEY,
//!   RESOURCE_SERVICE_MISMATCH, CONDITION_KEY_NEVER_APPLIES, TRUST_ACTION_NOT_STS;
//! - suggestion: REDUNDANT_ACTION, NARROWABLE_WILDCARD.

use super::catalogue::{self, glob_match, Action, Catalogue, Level};
use super::json::{self, Member, Node, Span, Value};
use super::position::Positions;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;

/// Where a document goes: it decides the size limit and whether `Principal` belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub enum PolicyKind {
    Managed,
    UserInline,
    GroupInline,
    RoleInline,
    /// A role's trust policy (AssumeRolePolicyDocument).
    Trust,
}

impl PolicyKind {
    /// AWS's quotas, in characters that are not whitespace ("IAM and AWS STS quotas").
    pub fn limit(self) -> u32 {
        match self {
            PolicyKind::Managed => 6_144,
            PolicyKind::UserInline => 2_048,
            PolicyKind::GroupInline => 5_120,
            PolicyKind::RoleInline => 10_240,
            PolicyKind::Trust => 2_048,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            PolicyKind::Managed => "a managed policy",
            PolicyKind::UserInline => "a user's inline policies",
            PolicyKind::GroupInline => "a group's inline policies",
            PolicyKind::RoleInline => "a role's inline policies",
            PolicyKind::Trust => "a role's trust policy",
        }
    }
}

/// The four classes of AWS's own policy validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// The policy would be rejected, or is not functional.
    Error,
    /// Overly permissive.
    SecurityWarning,
    /// Not best practice.
    Warning,
    /// Style.
    Suggestion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable issue code, e.g. `UNKNOWN_ACTION`.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// The range it is about, in UTF-16 code units from the start (CodeMirror's offsets).
    pub from: u32,
    pub to: u32,
    /// 1-based line and column of `from`, for messages.
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Validation {
    pub findings: Vec<Finding>,
    /// The document's size as AWS counts it (characters that are not whitespace).
    pub size: u32,
    /// AWS's limit for this kind of document.
    pub limit: u32,
}

/// The largest document read at all: five times AWS's largest policy limit (a role's
/// inline policies, 10,240), in characters that are not whitespace. Beyond it the document
/// is refused unread, so a large paste costs one pass over it, not a parse and every check.
pub const LARGEST_READ: usize = 5 * 10_240;

/// A document longer than this many bytes (whitespace included) is refused without even
/// counting its characters: a pasted megabyte is answered in the time of a small policy.
pub const LARGEST_READ_BYTES: usize = 256 * 1024;

/// Every finding about `document` as a policy of `kind`, ordered by position. Columns, like
/// `from` and `to`, count UTF-16 code units.
pub fn validate(document: &str, kind: PolicyKind) -> Validation {
    if document.len() > LARGEST_READ_BYTES {
        return far_too_large(document, kind, None);
    }
    let size = non_whitespace(document);
    if size > LARGEST_READ {
        return far_too_large(document, kind, Some(size));
    }
    let mut v = Validator {
        positions: Positions::new(document),
        kind,
        findings: Vec::new(),
        cat: catalogue::catalogue(),
        expansions: HashMap::new(),
    };
    match json::parse(document) {
        Err(e) => {
            v.push("JSON_SYNTAX", Severity::Error, e.span, format!("{}.", e.message));
            // The rest of the document still names actions: a typo in one is worth saying
            // while the syntax is being fixed, as AWS's own editor does.
            for (text, span) in actions_in_broken_json(document) {
                v.known_action(&Item { text: &text, span });
            }
        }
        Ok(root) => v.policy(&root),
    }
    let size = non_whitespace(document);
    let limit = kind.limit();
    if size > limit as usize {
        // From the first character over the limit to the end: what has to go.
        let over =
            document.char_indices().filter(|(_, c)| !c.is_whitespace()).nth(limit as usize).map_or(0, |(i, _)| i);
        v.push(
            "POLICY_TOO_LARGE",
            Severity::Error,
            Span { start: over, end: document.len() },
            format!(
                "The policy has {size} characters (not counting whitespace); AWS allows {limit} for {}.",
                kind.describe()
            ),
        );
    }
    let mut findings = v.findings;
    findings.sort_by_key(|f| (f.from, f.severity));
    Validation { findings, size: u32::try_from(size).unwrap_or(u32::MAX), limit }
}

/// A document far over every limit AWS has: one finding at the first character over the
/// limit, naming the size (in characters that are not whitespace when they were counted,
/// else in bytes); nothing is parsed, and no more of the document is read than up to there.
fn far_too_large(document: &str, kind: PolicyKind, size: Option<usize>) -> Validation {
    let limit = kind.limit();
    let (mut units, mut line, mut line_start, mut counted) = (0usize, 1usize, 0usize, 0usize);
    let mut at = (0, 1, 1, 1);
    for c in document.chars() {
        if !c.is_whitespace() {
            if counted == limit as usize {
                at = (units, line, units - line_start + 1, c.len_utf16());
                break;
            }
            counted += 1;
        }
        units += c.len_utf16();
        if c == '\n' {
            line += 1;
            line_start = units;
        }
    }
    let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    let bytes = document.len();
    let measured = match size {
        Some(size) => format!("The policy has {size} characters (not counting whitespace, {bytes} bytes in all)"),
        None => format!("The policy is {bytes} bytes long"),
    };
    let finding = Finding {
        code: "POLICY_TOO_LARGE".into(),
        severity: Severity::Error,
        message: format!(
            "{measured}; AWS allows {limit} characters (not counting whitespace) for {}. It is not checked further: \
             it is far over even AWS's largest policy limit (10240).",
            kind.describe()
        ),
        from: n(at.0),
        to: n(at.0 + at.3),
        line: n(at.1),
        column: n(at.2),
    };
    // Not counted: the bytes, which are at least as many.
    Validation { findings: vec![finding], size: n(size.unwrap_or(bytes)), limit }
}

/// Characters that are not whitespace, as AWS counts a policy's size. ASCII text (nearly
/// every policy) is counted by bytes, a pasted megabyte in a few milliseconds.
fn non_whitespace(document: &str) -> usize {
    if document.is_ascii() {
        // char::is_whitespace on ASCII: tab, line feed, vertical tab, form feed, carriage
        // return and space, found with memchr (word at a time, not byte at a time).
        let bytes = document.as_bytes();
        let spaces = memchr::memchr3_iter(b' ', b'\n', b'\t', bytes).count()
            + memchr::memchr3_iter(b'\r', 0x0B, 0x0C, bytes).count();
        document.len() - spaces
    } else {
        document.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// What every write calls first: the first error, with its line, as MalformedPolicyDocument.
pub fn check(document: &str, kind: PolicyKind) -> Result<()> {
    match validate(document, kind).findings.into_iter().find(|f| f.severity == Severity::Error) {
        None => Ok(()),
        Some(f) => Err(Error::MalformedPolicyDocument(format!(
            "{} (line {}, column {}).",
            f.message.trim_end_matches('.'),
            f.line,
            f.column
        ))),
    }
}

/// AWS's condition operators, without the `IfExists` suffix and the set prefixes.
const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// Whether `op` is a condition operator: one of `OPERATORS`, optionally with `IfExists`
/// and a `ForAllValues:`/`ForAnyValue:` prefix (neither goes with `Null`).
pub fn is_condition_operator(op: &str) -> bool {
    let (set, rest) = match op.split_once(':') {
        Some((set @ ("ForAllValues" | "ForAnyValue"), rest)) => (Some(set), rest),
        Some(_) => return false,
        None => (None, op),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    OPERATORS.contains(&base) && !(base == "Null" && (if_exists || set.is_some()))
}

const POLICY_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] =
    &["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
/// The actions a trust policy governs, lower-case.
const TRUST_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];
const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

struct Validator<'a> {
    positions: Positions<'a>,
    kind: PolicyKind,
    findings: Vec<Finding>,
    cat: &'static Catalogue,
    /// Each pattern's actions, expanded once per document: policies repeat their patterns.
    expansions: HashMap<String, Vec<&'static Action>>,
}

/// An action or resource string in a statement, with where it is.
struct Item<'n> {
    text: &'n str,
    span: Span,
}

/// The string values of every `"Action"` and `"NotAction"` key, found token by token in a
/// document that does not parse: a string, or an array of strings, right after the key.
/// Escaped strings are skipped (no action needs an escape).
fn actions_in_broken_json(text: &str) -> Vec<(String, Span)> {
    let bytes = text.as_bytes();
    // Each string literal on the line it starts: (content start, content end, the byte after).
    let string_at = |start: usize| -> Option<(usize, usize, usize)> {
        if bytes.get(start) != Some(&b'"') {
            return None;
        }
        let mut i = start + 1;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'"' => return Some((start + 1, i, i + 1)),
                b'\\' | b'\n' => return None,
                _ => i += 1,
            }
        }
        None
    };
    let skip_ws = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let Some((from, to, after)) = string_at(i) else {
            i += 1;
            continue;
        };
        i = after;
        if !matches!(&text[from..to], "Action" | "NotAction") {
            continue;
        }
        let colon = skip_ws(after);
        if bytes.get(colon) != Some(&b':') {
            continue;
        }
        let mut j = skip_ws(colon + 1);
        let in_array = bytes.get(j) == Some(&b'[');
        if in_array {
            j = skip_ws(j + 1);
        }
        while let Some((from, to, after)) = string_at(j) {
            found.push((text[from..to].to_string(), Span { start: from - 1, end: after }));
            j = skip_ws(after);
            if !in_array || bytes.get(j) != Some(&b',') {
                break;
            }
            j = skip_ws(j + 1);
        }
        i = i.max(j);
    }
    found
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
}

/// A string or a non-empty array of strings (Action, Resource, a principal's value):
/// its strings, or None when it has another shape.
fn strings(node: &Node) -> Option<Vec<Item<'_>>> {
    match &node.value {
        Value::String(s) => Some(vec![Item { text: s, span: node.span }]),
        Value::Array(items) if !items.is_empty() => {
            items.iter().map(|n| n.as_str().map(|s| Item { text: s, span: n.span })).collect()
        }
        _ => None,
    }
}

/// OIDC providers shared by everyone who uses the service, whose tokens' audience is the
/// same for everyone (GitHub Actions, GitLab.com, Terraform Cloud, Buildkite) or names a
/// whole workspace (Bitbucket Pipelines): a role that trusts one with no condition on the
/// token's subject can be assumed from anyone's repository, project or workspace there.
/// (Google's and Cognito's audience is the application's own id, which AWS requires.) Host
/// prefixes as IAM names the provider (the ARN's part after `oidc-provider/`; a trailing
/// `/` takes any path), each with the service's name.
const SHARED_WEB_IDENTITY_PROVIDERS: &[(&str, &str)] = &[
    ("token.actions.githubusercontent.com", "GitHub Actions"),
    ("gitlab.com", "GitLab.com"),
    ("app.terraform.io", "Terraform Cloud"),
    ("agent.buildkite.com", "Buildkite"),
    ("api.bitbucket.org/", "Bitbucket Pipelines"),
];

/// The provider host a `Federated` principal names (an OIDC provider's ARN, or its bare
/// host) and its service's name, when it is one of `SHARED_WEB_IDENTITY_PROVIDERS`.
pub fn shared_web_identity_provider(federated: &str) -> Option<(&str, &'static str)> {
    let host = federated.split_once(":oidc-provider/").map_or(federated, |(_, h)| h);
    SHARED_WEB_IDENTITY_PROVIDERS.iter().find_map(|(known, name)| {
        let matches = match known.strip_suffix('/') {
            Some(prefix) => host.starts_with(*known) || host == prefix,
            None => host.eq_ignore_ascii_case(known),
        };
        matches.then_some((host, *name))
    })
}

/// Whether a statement's `Condition` (its JSON node) limits `<host>:sub` to something other
/// than `*`, under an operator that is not a negation.
pub fn subject_condition(condition: Option<&Node>, host: &str) -> bool {
    let key = format!("{host}:sub");
    condition.and_then(Node::members).unwrap_or_default().iter().any(|op| {
        let negated = op.key.contains("Not") || op.key.starts_with("Null");
        !negated
            && op.value.members().unwrap_or_default().iter().any(|k| {
                k.key.eq_ignore_ascii_case(&key)
                    && strings(&k.value)
                        .is_some_and(|values| values.iter().any(|v| !v.text.trim_matches('*').is_empty()))
            })
    })
}

/// The shared web-identity providers an `Allow` statement of a trust policy (as IAM hands
/// it out, parsed) trusts with no condition on the token's subject: `(host, service name)`.
/// The same rule as the validator's `WEB_IDENTITY_ANY_SUBJECT`, for the audit.
pub fn web_identity_any_subject(statement: &serde_json::Value) -> Vec<(String, &'static str)> {
    use serde_json::Value as J;
    if statement.get("Effect").and_then(J::as_str) != Some("Allow") {
        return Vec::new();
    }
    let federated: Vec<&str> = match statement.get("Principal").and_then(|p| p.get("Federated")) {
        Some(J::String(s)) => vec![s.as_str()],
        Some(J::Array(items)) => items.iter().filter_map(J::as_str).collect(),
        _ => Vec::new(),
    };
    let limited = |host: &str| {
        let key = format!("{host}:sub");
        let ops = statement.get("Condition").and_then(J::as_object);
        ops.into_iter().flatten().any(|(op, keys)| {
            let negated = op.contains("Not") || op.starts_with("Null");
            !negated
                && keys.as_object().into_iter().flatten().any(|(k, v)| {
                    let values: Vec<&str> = match v {
                        J::String(s) => vec![s.as_str()],
                        J::Array(items) => items.iter().filter_map(J::as_str).collect(),
                        _ => Vec::new(),
                    };
                    k.eq_ignore_ascii_case(&key) && values.iter().any(|v| !v.trim_matches('*').is_empty())
                })
        })
    };
    federated
        .into_iter()
        .filter_map(shared_web_identity_provider)
        .filter(|(host, _)| !limited(host))
        .map(|(host, name)| (host.to_string(), name))
        .collect()
}

/// What a subject of the provider looks like, for the message.
fn subject_example(host: &str) -> &'static str {
    match host {
        "token.actions.githubusercontent.com" => "repo:your-org/your-repo:*",
        "gitlab.com" => "project_path:your-group/your-project:ref_type:branch:ref:main",
        "app.terraform.io" => "organization:your-org:project:*:workspace:*:run_phase:*",
        _ => "the subject of your pipeline or project",
    }
}

/// The first character of a node: where a finding about something missing in it points.
fn opening(node: &Node) -> Span {
    Span { start: node.span.start, end: node.span.start + 1 }
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The closest of `candidates` to `wrong` (case-insensitively), if close enough to be a typo.
fn closest<'c>(wrong: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    // No name of AWS's is this long: not a typo, and not worth the quadratic comparison.
    if wrong.len() > 128 {
        return None;
    }
    let wrong = wrong.to_ascii_lowercase();
    let limit = (wrong.len() / 4).clamp(1, 3);
    candidates
        .map(|c| (edit_distance(&wrong, &c.to_ascii_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

impl Validator<'_> {
    fn push(&mut self, code: &str, severity: Severity, span: Span, message: String) {
        let (from, line, column) = self.positions.at(span.start);
        let to = self.positions.utf16(span.end.max(span.start));
        let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        self.findings.push(Finding {
            code: code.to_string(),
            severity,
            message,
            from: n(from),
            to: n(to),
            line: n(line),
            column: n(column),
        });
    }

    fn expand(&mut self, pattern: &str) -> Vec<&'static Action> {
        let cat = self.cat;
        self.expansions.entry(pattern.to_string()).or_insert_with(|| cat.expand(pattern)).clone()
    }

    fn identity(&self) -> bool {
        self.kind != PolicyKind::Trust
    }

    /// Keys given twice in one object: JSON parsers disagree on which one wins.
    fn duplicate_keys(&mut self, members: &[Member]) {
        // One pass with a set: an object of 200,000 keys is checked in linear time.
        let mut seen = HashSet::with_capacity(members.len());
        for m in members {
            if !seen.insert(m.key.as_str()) {
                self.push(
                    "DUPLICATE_KEY",
                    Severity::Error,
                    m.key_span,
                    format!("\"{}\" is given twice in the same object; give it once.", m.key),
                );
            }
        }
    }

    fn unknown_elements(&mut self, members: &[Member], known: &[&str], what: &str) {
        for m in members {
            if !known.contains(&m.key.as_str()) {
                let hint = closest(&m.key, known.iter().copied()).map_or_else(
                    || format!(" {what} has {}.", known.join(", ")),
                    |k| format!(" Did you mean \"{k}\"?"),
                );
                self.push(
                    "UNKNOWN_ELEMENT",
                    Severity::Error,
                    m.key_span,
                    format!("\"{}\" is not an element of {what}.{hint}", m.key),
                );
            }
        }
    }

    fn policy(&mut self, root: &Node) {
        let Some(members) = root.members() else {
            self.push(
                "POLICY_SHAPE",
                Severity::Error,
                root.span,
                format!("A policy is a JSON object with \"Version\" and \"Statement\", not {}.", root.kind()),
            );
            return;
        };
        self.duplicate_keys(members);
        self.unknown_elements(members, POLICY_ELEMENTS, "a policy");
        match root.get("Version") {
            None => self.push(
                "MISSING_VERSION",
                Severity::Error,
                opening(root),
                "The policy has no \"Version\"; add \"Version\": \"2012-10-17\" (without it, policy variables such as ${aws:username} are not replaced).".into(),
            ),
            Some(m) => match m.value.as_str() {
                Some("2012-10-17") => {}
                Some("2008-10-17") => self.push(
                    "OLD_VERSION",
                    Severity::Warning,
                    m.value.span,
                    "Version 2008-10-17 does not support policy variables; use \"2012-10-17\".".into(),
                ),
                _ => self.push(
                    "INVALID_VERSION",
                    Severity::Error,
                    m.value.span,
                    "\"Version\" must be \"2012-10-17\" (or the older \"2008-10-17\"); it is the policy language's version, not a date of yours.".into(),
                ),
            },
        }
        if let Some(m) = root.get("Id") {
            if m.value.as_str().is_none() {
                self.push("INVALID_ID", Severity::Error, m.value.span, "\"Id\" must be a string.".into());
            }
        }
        let Some(statement) = root.get("Statement") else {
            self.push("MISSING_STATEMENT", Severity::Error, opening(root), "The policy has no \"Statement\".".into());
            return;
        };
        let statements: Vec<&Node> = match &statement.value.value {
            Value::Object(_) => vec![&statement.value],
            Value::Array(items) if items.is_empty() => {
                self.push(
                    "STATEMENT_SHAPE",
                    Severity::Error,
                    statement.value.span,
                    "\"Statement\" is empty; a policy needs at least one statement.".into(),
                );
                return;
            }
            Value::Array(items) => items.iter().collect(),
            _ => {
                self.push(
                    "STATEMENT_SHAPE",
                    Severity::Error,
                    statement.value.span,
                    format!(
                        "\"Statement\" must be a statement object or an array of them, not {}.",
                        statement.value.kind()
                    ),
                );
                return;
            }
        };
        let mut sids: HashMap<&str, ()> = HashMap::new();
        for s in statements {
            if s.members().is_none() {
                self.push(
                    "STATEMENT_SHAPE",
                    Severity::Error,
                    s.span,
                    format!("Each statement must be a JSON object, not {}.", s.kind()),
                );
                continue;
            }
            if let Some(sid) = s.get("Sid") {
                if let Some(text) = sid.value.as_str().filter(|t| !t.is_empty()) {
                    if sids.insert(text, ()).is_some() {
                        self.push(
                            "DUPLICATE_SID",
                            Severity::Error,
                            sid.value.span,
                            format!("Another statement already has the Sid \"{text}\"; each Sid must be unique."),
                        );
                    }
                }
            }
            self.statement(s);
        }
    }

    fn statement(&mut self, s: &Node) {
        let members = s.members().unwrap_or_default();
        self.duplicate_keys(members);
        self.unknown_elements(members, STATEMENT_ELEMENTS, "a statement");

        if let Some(sid) = s.get("Sid") {
            match sid.value.as_str() {
                Some(t) if t.chars().all(|c| c.is_ascii_alphanumeric()) => {}
                _ => self.push(
                    "INVALID_SID",
                    Severity::Error,
                    sid.value.span,
                    "A Sid may contain only letters A-Z, a-z and digits 0-9.".into(),
                ),
            }
        }

        let effect = match s.get("Effect") {
            None => {
                self.push(
                    "MISSING_EFFECT",
                    Severity::Error,
                    opening(s),
                    "The statement has no \"Effect\"; add \"Effect\": \"Allow\" or \"Deny\".".into(),
                );
                None
            }
            Some(m) => match m.value.as_str() {
                Some("Allow") => Some(Effect::Allow),
                Some("Deny") => Some(Effect::Deny),
                _ => {
                    self.push(
                        "INVALID_EFFECT",
                        Severity::Error,
                        m.value.span,
                        "\"Effect\" must be \"Allow\" or \"Deny\" (spelled so, with a capital letter).".into(),
                    );
                    None
                }
            },
        };

        self.principals(s, effect);
        let (actions, negated_actions) = self.actions(s);
        let resources = self.resources(s);
        let condition_keys = self.condition(s);

        for a in &actions {
            self.known_action(a);
        }
        if !self.identity() {
            self.trust_actions(&actions);
        }
        if let Some(not) = &negated_actions {
            for a in not {
                self.known_action(a);
            }
        }
        let expanded: Vec<Vec<&'static Action>> = actions.iter().map(|a| self.expand(a.text)).collect();

        if effect == Some(Effect::Allow) && self.identity() {
            self.permissive(s, &actions, &expanded, &resources);
        }
        self.resource_services(&actions, &expanded, &resources);
        let only_actions = negated_actions.is_none();
        for (key, span) in condition_keys {
            self.condition_key(key, span, only_actions.then_some((&actions[..], &expanded[..])));
        }
        self.redundancy(&actions, &expanded, effect);
    }

    fn principals(&mut self, s: &Node, effect: Option<Effect>) {
        let principal = s.get("Principal");
        let not_principal = s.get("NotPrincipal");
        if self.identity() {
            for m in [principal, not_principal].into_iter().flatten() {
                self.push(
                    "PRINCIPAL_IN_IDENTITY_POLICY",
                    Severity::Error,
                    m.key_span,
                    format!(
                        "\"{}\" does not belong in a policy attached to a user, group or role: the principal is whoever it is attached to. It belongs in a role's trust policy.",
                        m.key
                    ),
                );
            }
            return;
        }
        match (principal, not_principal) {
            (None, None) => self.push(
                "MISSING_PRINCIPAL",
                Severity::Error,
                opening(s),
                "A trust policy statement needs a \"Principal\": who may assume the role.".into(),
            ),
            (Some(a), Some(b)) => {
                let later = if a.key_span.start > b.key_span.start { a } else { b };
                self.push(
                    "PRINCIPAL_AND_NOTPRINCIPAL",
                    Severity::Error,
                    later.key_span,
                    "A statement has either \"Principal\" or \"NotPrincipal\", not both.".into(),
                );
            }
            _ => {}
        }
        for m in [principal, not_principal].into_iter().flatten() {
            self.principal_value(m, effect == Some(Effect::Allow) && s.get("Condition").is_none());
        }
        if effect == Some(Effect::Allow) {
            if let Some(federated) = principal.and_then(|p| p.value.get("Federated")) {
                for provider in strings(&federated.value).unwrap_or_default() {
                    let Some((host, name)) = shared_web_identity_provider(provider.text) else { continue };
                    if !subject_condition(s.get("Condition").map(|c| &c.value), host) {
                        self.push(
                            "WEB_IDENTITY_ANY_SUBJECT",
                            Severity::SecurityWarning,
                            provider.span,
                            format!(
                                "Anyone with a {name} identity token may assume this role: the statement has no \
                                 condition on {host}:sub. Add one naming yours (for example \
                                 \"StringLike\": {{\"{host}:sub\": \"{}\"}}).",
                                subject_example(host)
                            ),
                        );
                    }
                }
            }
        }
    }

    fn principal_value(&mut self, m: &Member, unconditional_allow: bool) {
        let anyone = |this: &mut Self, span: Span| {
            if unconditional_allow && m.key == "Principal" {
                this.push(
                    "TRUST_ANY_PRINCIPAL",
                    Severity::SecurityWarning,
                    span,
                    "Anyone, in any AWS account, may assume this role. Name the accounts or services, or add a Condition.".into(),
                );
            }
        };
        match &m.value.value {
            Value::String(s) if s == "*" => anyone(self, m.value.span),
            Value::Object(types) => {
                self.duplicate_keys(types);
                for t in types {
                    if !PRINCIPAL_TYPES.contains(&t.key.as_str()) {
                        self.push(
                            "PRINCIPAL_SHAPE",
                            Severity::Error,
                            t.key_span,
                            format!(
                                "\"{}\" is not a kind of principal; use \"AWS\", \"Service\", \"Federated\" or \"CanonicalUser\".",
                                t.key
                            ),
                        );
                    }
                    match strings(&t.value) {
                        None => self.push(
                            "PRINCIPAL_SHAPE",
                            Severity::Error,
                            t.value.span,
                            format!("A principal is a string or an array of strings, not {}.", t.value.kind()),
                        ),
                        Some(items) => {
                            for item in items.iter().filter(|i| i.text == "*" && t.key == "AWS") {
                                anyone(self, item.span);
                            }
                        }
                    }
                }
                if types.is_empty() {
                    self.push("PRINCIPAL_SHAPE", Severity::Error, m.value.span, "The principal is empty.".into());
                }
            }
            _ => self.push(
                "PRINCIPAL_SHAPE",
                Severity::Error,
                m.value.span,
                "A principal is \"*\" or an object such as {\"AWS\": \"arn:aws:iam::123456789012:root\"} or {\"Service\": \"ec2.amazonaws.com\"}.".into(),
            ),
        }
    }

    /// Action and NotAction: their shapes, and the well-formed strings of each.
    fn actions<'n>(&mut self, s: &'n Node) -> (Vec<Item<'n>>, Option<Vec<Item<'n>>>) {
        let action = s.get("Action");
        let not_action = s.get("NotAction");
        match (action, not_action) {
            (None, None) => self.push(
                "MISSING_ACTION",
                Severity::Error,
                opening(s),
                "The statement has no \"Action\" (or \"NotAction\"): it would allow or deny nothing.".into(),
            ),
            (Some(a), Some(b)) => {
                let later = if a.key_span.start > b.key_span.start { a } else { b };
                self.push(
                    "ACTION_AND_NOTACTION",
                    Severity::Error,
                    later.key_span,
                    "A statement has either \"Action\" or \"NotAction\", not both.".into(),
                );
            }
            _ => {}
        }
        let actions = action.map(|m| self.action_list(m)).unwrap_or_default();
        let negated = not_action.map(|m| self.action_list(m));
        (actions, negated)
    }

    fn action_list<'n>(&mut self, m: &'n Member) -> Vec<Item<'n>> {
        let Some(items) = strings(&m.value) else {
            self.push(
                "ACTION_SHAPE",
                Severity::Error,
                m.value.span,
                format!("\"{}\" must be a string or a non-empty array of strings.", m.key),
            );
            return Vec::new();
        };
        let mut good = Vec::new();
        for item in items {
            if well_formed_action(item.text) {
                good.push(item);
            } else {
                self.push(
                    "MALFORMED_ACTION",
                    Severity::Error,
                    item.span,
                    format!(
                        "\"{}\" is not an action: actions are written service:Action, such as s3:GetObject, s3:Get* or \"*\".",
                        item.text
                    ),
                );
            }
        }
        good
    }

    fn resources<'n>(&mut self, s: &'n Node) -> Vec<Item<'n>> {
        let resource = s.get("Resource");
        let not_resource = s.get("NotResource");
        if !self.identity() {
            for m in [resource, not_resource].into_iter().flatten() {
                self.push(
                    "RESOURCE_IN_TRUST_POLICY",
                    Severity::Error,
                    m.key_span,
                    format!("A trust policy has no \"{}\": the resource is the role itself.", m.key),
                );
            }
            return Vec::new();
        }
        match (resource, not_resource) {
            (None, None) => self.push(
                "MISSING_RESOURCE",
                Severity::Error,
                opening(s),
                "The statement has no \"Resource\" (or \"NotResource\"); use \"*\" or the ARNs it applies to.".into(),
            ),
            (Some(a), Some(b)) => {
                let later = if a.key_span.start > b.key_span.start { a } else { b };
                self.push(
                    "RESOURCE_AND_NOTRESOURCE",
                    Severity::Error,
                    later.key_span,
                    "A statement has either \"Resource\" or \"NotResource\", not both.".into(),
                );
            }
            _ => {}
        }
        let mut listed = Vec::new();
        for m in [resource, not_resource].into_iter().flatten() {
            let Some(items) = strings(&m.value) else {
                self.push(
                    "RESOURCE_SHAPE",
                    Severity::Error,
                    m.value.span,
                    format!("\"{}\" must be a string or a non-empty array of strings.", m.key),
                );
                continue;
            };
            for item in items {
                if !well_formed_resource(item.text) {
                    self.push(
                        "MALFORMED_RESOURCE",
                        Severity::Error,
                        item.span,
                        format!(
                            "\"{}\" is not an ARN: resources are \"*\" or ARNs such as arn:aws:s3:::my-bucket/*.",
                            item.text
                        ),
                    );
                } else if m.key == "Resource" {
                    listed.push(item);
                }
            }
        }
        listed
    }

    /// The Condition block's shape; its keys and where they are.
    fn condition<'n>(&mut self, s: &'n Node) -> Vec<(&'n str, Span)> {
        let mut keys = Vec::new();
        let Some(condition) = s.get("Condition") else { return keys };
        let Some(operators) = condition.value.members() else {
            self.push(
                "CONDITION_SHAPE",
                Severity::Error,
                condition.value.span,
                "\"Condition\" must be an object: {\"operator\": {\"key\": \"value\"}}.".into(),
            );
            return keys;
        };
        self.duplicate_keys(operators);
        for op in operators {
            if !is_condition_operator(&op.key) {
                let same_but_case =
                    OPERATORS.iter().any(|o| o.eq_ignore_ascii_case(op.key.trim_end_matches("IfExists")));
                let hint = closest(&op.key, OPERATORS.iter().copied())
                    .map_or_else(String::new, |o| format!(" Did you mean {o}?"));
                self.push(
                    "UNKNOWN_CONDITION_OPERATOR",
                    Severity::Error,
                    op.key_span,
                    if same_but_case {
                        format!("\"{}\" is not spelled as AWS spells its condition operators.{hint}", op.key)
                    } else {
                        format!("\"{}\" is not a condition operator.{hint}", op.key)
                    },
                );
            }
            let Some(entries) = op.value.members().filter(|m| !m.is_empty()) else {
                self.push(
                    "CONDITION_SHAPE",
                    Severity::Error,
                    op.value.span,
                    format!(
                        "The operator {} needs an object of condition keys and values: {{\"key\": \"value\"}}.",
                        op.key
                    ),
                );
                continue;
            };
            self.duplicate_keys(entries);
            for entry in entries {
                let scalar = |n: &Node| matches!(n.value, Value::String(_) | Value::Number(_) | Value::Bool(_));
                let ok = match &entry.value.value {
                    Value::Array(items) => items.iter().all(scalar),
                    _ => scalar(&entry.value),
                };
                if !ok {
                    self.push(
                        "CONDITION_SHAPE",
                        Severity::Error,
                        entry.value.span,
                        format!(
                            "The value of {} must be a string, number or boolean, or an array of them, not {}.",
                            entry.key,
                            entry.value.kind()
                        ),
                    );
                }
                keys.push((entry.key.as_str(), entry.key_span));
            }
        }
        keys
    }

    fn known_action(&mut self, a: &Item<'_>) {
        if a.text == "*" {
            return;
        }
        let Some((prefix, name)) = a.text.split_once(':') else { return };
        let Some(service) = self.cat.service(prefix) else {
            let hint = closest(prefix, self.cat.services.iter().map(|s| s.prefix.as_str()))
                .map_or_else(String::new, |p| format!(" Did you mean {p}:{name}?"));
            self.push(
                "UNKNOWN_SERVICE",
                Severity::Warning,
                a.span,
                format!("\"{prefix}\" is not the prefix of an AWS service.{hint}"),
            );
            return;
        };
        if !self.expand(a.text).is_empty() {
            return;
        }
        let message = if has_wildcard(name) {
            format!("{} matches no action of {}.", a.text, service.name)
        } else {
            let hint = closest(name, self.cat.service_actions(service).iter().map(|x| x.name.as_str()))
                .map_or_else(String::new, |n| format!(" Did you mean {}:{n}?", service.prefix));
            format!("{} is not an action of {}.{hint}", a.text, service.name)
        };
        self.push("UNKNOWN_ACTION", Severity::Warning, a.span, message);
    }

    /// A trust policy governs only how the role is assumed: other actions in it do nothing.
    fn trust_actions(&mut self, actions: &[Item<'_>]) {
        for a in actions {
            let lower = a.text.to_ascii_lowercase();
            if lower == "*" || TRUST_ACTIONS.iter().any(|t| glob_match(lower.as_bytes(), t.as_bytes())) {
                continue;
            }
            self.push(
                "TRUST_ACTION_NOT_STS",
                Severity::Warning,
                a.span,
                format!(
                    "{} does nothing in a trust policy, which governs only how the role is assumed (sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity, sts:SetContext). Grant it in the role's permissions policies.",
                    a.text
                ),
            );
        }
    }

    /// Access Analyzer's security warnings for an Allow statement.
    fn permissive(&mut self, s: &Node, actions: &[Item<'_>], expanded: &[Vec<&Action>], resources: &[Item<'_>]) {
        if let Some(m) = s.get("NotAction") {
            self.push(
                "ALLOW_WITH_NOTACTION",
                Severity::SecurityWarning,
                m.key_span,
                "Allow with NotAction allows every action not listed, in every service, including ones AWS adds later. List the actions to allow instead.".into(),
            );
        }
        if let Some(m) = s.get("NotResource") {
            self.push(
                "ALLOW_WITH_NOTRESOURCE",
                Severity::SecurityWarning,
                m.key_span,
                "Allow with NotResource allows the actions on every resource not listed, including ones created later. List the resources to allow instead.".into(),
            );
        }
        for a in actions.iter().filter(|a| a.text == "*") {
            self.push(
                "ALLOW_ALL_ACTIONS",
                Severity::SecurityWarning,
                a.span,
                "\"Action\": \"*\" allows every action of every AWS service: full administrator access. Allow only the actions needed.".into(),
            );
        }
        if !resources.iter().any(|r| r.text == "*") {
            return;
        }
        for (a, matched) in actions.iter().zip(expanded) {
            if a.text == "*" {
                continue;
            }
            if matched.iter().any(|x| self.cat.services[x.service].prefix == "iam" && x.name == "PassRole") {
                self.push(
                    "PASSROLE_ON_ALL",
                    Severity::SecurityWarning,
                    a.span,
                    format!("{} allows iam:PassRole on every role (\"Resource\": \"*\"): whoever has it can hand any role, and its permissions, to a service. Name the roles in a separate statement.", a.text),
                );
            } else if let Some(w) = matched
                .iter()
                .find(|x| matches!(x.level, Level::Write | Level::PermissionsManagement) && x.has_resource_types())
            {
                let what = if has_wildcard(a.text) {
                    format!("{} (such as {})", a.text, w.full_name())
                } else {
                    a.text.to_string()
                };
                self.push(
                    "WRITE_ON_ALL_RESOURCES",
                    Severity::SecurityWarning,
                    a.span,
                    format!("{what} changes resources, and \"Resource\": \"*\" lets it change every one of them. Name the resources' ARNs."),
                );
            }
        }
    }

    /// Resource ARNs of a service none of the statement's actions belongs to.
    fn resource_services(&mut self, actions: &[Item<'_>], expanded: &[Vec<&Action>], resources: &[Item<'_>]) {
        if actions.is_empty() || actions.iter().any(|a| a.text == "*") || expanded.iter().any(Vec::is_empty) {
            return;
        }
        let mut services: Vec<usize> = expanded.iter().flatten().map(|a| a.service).collect();
        services.sort_unstable();
        services.dedup();
        for r in resources {
            let Some(arn_service) = r.text.split(':').nth(2) else { continue };
            if arn_service.is_empty() || has_wildcard(arn_service) || arn_service.contains('$') {
                continue;
            }
            if services.iter().any(|&s| self.cat.arn_service_matches(&self.cat.services[s], arn_service)) {
                continue;
            }
            let prefixes: Vec<&str> = services.iter().map(|&s| self.cat.services[s].prefix.as_str()).collect();
            self.push(
                "RESOURCE_SERVICE_MISMATCH",
                Severity::Warning,
                r.span,
                format!(
                    "This ARN is a resource of \"{arn_service}\", but the statement's actions are of {}: they never apply to it.",
                    prefixes.join(", ")
                ),
            );
        }
    }

    /// A condition key unknown to its service, or one no action of the statement supports.
    /// `actions` is None when the statement uses NotAction (then every action may apply).
    fn condition_key(&mut self, key: &str, span: Span, actions: Option<(&[Item<'_>], &[Vec<&Action>])>) {
        let Some((prefix, _)) = key.split_once(':') else {
            self.push(
                "UNKNOWN_CONDITION_KEY",
                Severity::Warning,
                span,
                format!("\"{key}\" is not a condition key: keys are written service:name, such as aws:SourceIp."),
            );
            return;
        };
        // Global keys apply to every request; keys of identity providers (saml:,
        // accounts.google.com:) have no service.
        if prefix.eq_ignore_ascii_case("aws") {
            return;
        }
        let Some(service) = self.cat.service(prefix) else { return };
        if !self.cat.service_has_key(service, key) {
            let hint = closest(key, service.condition_keys.iter().map(String::as_str))
                .map_or_else(String::new, |k| format!(" Did you mean {k}?"));
            self.push(
                "UNKNOWN_CONDITION_KEY",
                Severity::Warning,
                span,
                format!("{key} is not a condition key of {}.{hint}", service.name),
            );
            return;
        }
        let Some((items, expanded)) = actions else { return };
        if items.is_empty() || items.iter().any(|a| a.text == "*") || expanded.iter().any(Vec::is_empty) {
            return;
        }
        if !self.cat.any_action_has_key(service, key) {
            return;
        }
        if expanded.iter().flatten().any(|a| self.cat.action_has_key(a, key)) {
            return;
        }
        self.push(
            "CONDITION_KEY_NEVER_APPLIES",
            Severity::Warning,
            span,
            format!("{key} is not part of the request for any of the statement's actions, so this condition never matches as intended."),
        );
    }

    /// Suggestions: actions another entry already covers, wildcards that stand for one action.
    fn redundancy(&mut self, actions: &[Item<'_>], expanded: &[Vec<&Action>], effect: Option<Effect>) {
        let lower: Vec<String> = actions.iter().map(|a| a.text.to_ascii_lowercase()).collect();
        // Only an earlier copy of the same action, or a wildcard, can cover an action: the
        // first copy of each is found in a map, and only wildcards are compared pairwise.
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(actions.len());
        for (i, l) in lower.iter().enumerate() {
            first.entry(l.as_str()).or_insert(i);
        }
        let wildcards: Vec<usize> = (0..actions.len()).filter(|&j| has_wildcard(&lower[j])).collect();
        // Past this many comparisons, wildcards are not compared (a suggestion, not a rule).
        let compare_wildcards = wildcards.len().saturating_mul(actions.len()) <= 1_000_000;
        for (i, a) in actions.iter().enumerate() {
            let copy = first.get(lower[i].as_str()).copied().filter(|&j| j < i);
            let wildcard = || {
                wildcards.iter().copied().filter(|_| compare_wildcards).find(|&j| {
                    if j == i || lower[j] == lower[i] {
                        return false;
                    }
                    if has_wildcard(&lower[i]) {
                        !expanded[i].is_empty()
                            && expanded[i].iter().all(|x| expanded[j].iter().any(|y| std::ptr::eq(*x, *y)))
                    } else {
                        glob_match(lower[j].as_bytes(), lower[i].as_bytes())
                    }
                })
            };
            // The earliest action that covers it, as a scan from the start would find.
            let cover = match (copy, wildcard()) {
                (Some(c), Some(w)) => Some(c.min(w)),
                (c, w) => c.or(w),
            };
            if let Some(j) = cover {
                self.push(
                    "REDUNDANT_ACTION",
                    Severity::Suggestion,
                    a.span,
                    format!("{} is already covered by {} in this statement.", a.text, actions[j].text),
                );
                continue;
            }
            if effect == Some(Effect::Allow) && a.text != "*" && has_wildcard(a.text) {
                if let [only] = expanded[i].as_slice() {
                    self.push(
                        "NARROWABLE_WILDCARD",
                        Severity::Suggestion,
                        a.span,
                        format!(
                            "{} matches only {}; name it, so that actions AWS adds later are not allowed unseen.",
                            a.text,
                            only.full_name()
                        ),
                    );
                }
            }
        }
    }
}

/// `*`, or `service:Action` where the action may hold `*` and `?` wildcards.
fn well_formed_action(s: &str) -> bool {
    if s == "*" {
        return true;
    }
    let Some((service, action)) = s.split_once(':') else { return false };
    !service.is_empty()
        && service.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !action.is_empty()
        && action.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*' | '?'))
}

/// `*`, or an ARN: `arn:partition:service:region:account:resource`, which may hold wildcards
/// and policy variables (`${aws:username}`, whose colon the last field absorbs).
fn well_formed_resource(s: &str) -> bool {
    s == "*" || (s.starts_with("arn:") && s.splitn(6, ':').count() == 6)
}
