//! The `Condition` element ("IAM JSON policy elements: Condition operators"): every operator
//! and key pair is one [`Condition`]; all of a statement's must hold (AND), any one of a
//! key's values may (OR; NOR for the negated operators).

use super::matching::{glob, glob_str, Kind, Pattern};
use super::Context;
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    BinaryEquals,
    IpAddress,
    ArnLike,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SetOp {
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone)]
pub(super) struct Condition {
    /// The operator as written (`ForAnyValue:StringLikeIfExists`), for messages.
    pub(super) operator: String,
    pub(super) key: String,
    key_lower: String,
    op: Op,
    /// `StringNotEquals`, `NotIpAddress`, `ArnNotLike`, …: true when no value matches.
    negated: bool,
    if_exists: bool,
    set: Option<SetOp>,
    values: Vec<Pattern>,
    /// The values read once as the operator needs them (numbers, dates, networks, bytes):
    /// these operators take no variables, so the reading holds for every request.
    parsed: Vec<Typed>,
}

/// A value read for its operator; `Invalid` when it does not read (it then matches nothing).
#[derive(Debug, Clone, PartialEq)]
enum Typed {
    Text,
    Number(f64),
    Network(IpAddr, u32),
    Bytes(Vec<u8>),
    Invalid,
}

impl Typed {
    fn read(op: Op, value: &str) -> Typed {
        let read = match op {
            Op::Numeric(_) => number(value).map(Typed::Number),
            Op::Date(_) => date(value).map(Typed::Number),
            Op::IpAddress => network(value).map(|(net, prefix)| Typed::Network(net, prefix)),
            Op::BinaryEquals => base64(value).map(Typed::Bytes),
            _ => Some(Typed::Text),
        };
        read.unwrap_or(Typed::Invalid)
    }
}

/// The operator's parts, or None when it is not one of AWS's.
fn parse_operator(name: &str) -> Option<(Op, bool, bool, Option<SetOp>)> {
    let (set, rest) = match name.split_once(':') {
        Some(("ForAllValues", rest)) => (Some(SetOp::ForAllValues), rest),
        Some(("ForAnyValue", rest)) => (Some(SetOp::ForAnyValue), rest),
        Some(_) => return None,
        None => (None, name),
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let (op, negated) = match base {
        "StringEquals" => (Op::StringEquals, false),
        "StringNotEquals" => (Op::StringEquals, true),
        "StringEqualsIgnoreCase" => (Op::StringEqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (Op::StringEqualsIgnoreCase, true),
        "StringLike" => (Op::StringLike, false),
        "StringNotLike" => (Op::StringLike, true),
        "NumericEquals" => (Op::Numeric(Cmp::Eq), false),
        "NumericNotEquals" => (Op::Numeric(Cmp::Eq), true),
        "NumericLessThan" => (Op::Numeric(Cmp::Lt), false),
        "NumericLessThanEquals" => (Op::Numeric(Cmp::Le), false),
        "NumericGreaterThan" => (Op::Numeric(Cmp::Gt), false),
        "NumericGreaterThanEquals" => (Op::Numeric(Cmp::Ge), false),
        "DateEquals" => (Op::Date(Cmp::Eq), false),
        "DateNotEquals" => (Op::Date(Cmp::Eq), true),
        "DateLessThan" => (Op::Date(Cmp::Lt), false),
        "DateLessThanEquals" => (Op::Date(Cmp::Le), false),
        "DateGreaterThan" => (Op::Date(Cmp::Gt), false),
        "DateGreaterThanEquals" => (Op::Date(Cmp::Ge), false),
        "Bool" => (Op::Bool, false),
        "BinaryEquals" => (Op::BinaryEquals, false),
        "IpAddress" => (Op::IpAddress, false),
        "NotIpAddress" => (Op::IpAddress, true),
        // AWS documents ArnEquals and ArnLike alike: per-component, with wildcards.
        "ArnEquals" | "ArnLike" => (Op::ArnLike, false),
        "ArnNotEquals" | "ArnNotLike" => (Op::ArnLike, true),
        "Null" if !if_exists && set.is_none() => (Op::Null, false),
        _ => return None,
    };
    Some((op, negated, if_exists, set))
}

impl Condition {
    pub(super) fn new(operator: &str, key: &str, values: &[String], variables: bool) -> Result<Condition, String> {
        let Some((op, negated, if_exists, set)) = parse_operator(operator) else {
            return Err(format!("\"{operator}\" is not a condition operator"));
        };
        if values.is_empty() {
            return Err(format!("The condition {operator} on {key} has no value"));
        }
        // Variables are replaced in string and ARN values only ("Where you can use policy
        // variables").
        let variables =
            variables && matches!(op, Op::StringEquals | Op::StringEqualsIgnoreCase | Op::StringLike | Op::ArnLike);
        Ok(Condition {
            operator: operator.to_string(),
            key: key.to_string(),
            key_lower: key.to_ascii_lowercase(),
            op,
            negated,
            if_exists,
            set,
            values: values.iter().map(|v| Pattern::new(v, Kind::Value, variables)).collect(),
            parsed: values.iter().map(|v| Typed::read(op, v)).collect(),
        })
    }

    /// Whether the condition holds; Err names a variable with no value (the statement then
    /// does not apply).
    pub(super) fn holds(&self, ctx: &Context) -> Result<bool, String> {
        let present = ctx.get_lower(&self.key_lower).filter(|v| !v.is_empty());
        if self.op == Op::Null {
            let mut any = false;
            for v in &self.values {
                let want_absent = v.raw.eq_ignore_ascii_case("true");
                any |= want_absent == present.is_none();
            }
            return Ok(any);
        }
        let Some(request) = present else {
            return Ok(match self.set {
                Some(SetOp::ForAllValues) => true,
                Some(SetOp::ForAnyValue) => self.if_exists,
                // "If the key … is not present … the condition is false", except negated
                // operators (true) and …IfExists (true).
                None => self.if_exists || self.negated,
            });
        };
        // Each request value either matches one of the policy's values or not.
        let mut all = true;
        let mut any = false;
        for r in request {
            // The request's value is read once, not once per policy value.
            let typed = Typed::read(self.op, r);
            let mut matched = false;
            for (v, parsed) in self.values.iter().zip(&self.parsed) {
                if self.pair(r, &typed, v, parsed, ctx)? {
                    matched = true;
                    break;
                }
            }
            let ok = matched != self.negated;
            all &= ok;
            any |= ok;
        }
        Ok(match self.set {
            Some(SetOp::ForAllValues) => all,
            Some(SetOp::ForAnyValue) => any,
            // A single-valued key: a negated operator needs no value to match (NOR), a
            // positive one any (OR).
            None if self.negated => all,
            None => any,
        })
    }

    /// Why the condition does not hold, as the tail of a sentence.
    pub(super) fn explain(&self, ctx: &Context) -> String {
        let values: Vec<&str> = self.values.iter().map(|v| v.raw.as_str()).collect();
        let head = format!("condition {} ({} {}) is not met", self.key, self.operator, values.join(", "));
        match ctx.get_lower(&self.key_lower).filter(|v| !v.is_empty()) {
            None if self.op == Op::Null => format!("{head}: the key is absent"),
            None => format!("{head}: the key is absent"),
            Some(v) if v.len() == 1 => format!("{head}: the request has {}", v[0]),
            Some(v) => format!("{head}: the request has {}", v.join(", ")),
        }
    }

    /// Whether one request value matches one policy value, by the positive operator.
    fn pair(
        &self,
        request: &str,
        typed: &Typed,
        value: &Pattern,
        parsed: &Typed,
        ctx: &Context,
    ) -> Result<bool, String> {
        Ok(match (self.op, typed, parsed) {
            (Op::StringEquals, ..) => *value.text(ctx)? == *request,
            (Op::StringEqualsIgnoreCase, ..) => {
                value.text(ctx)?.chars().flat_map(char::to_lowercase).eq(request.chars().flat_map(char::to_lowercase))
            }
            (Op::StringLike, ..) => glob(&value.tokens(ctx)?, request, false),
            (Op::Numeric(cmp) | Op::Date(cmp), Typed::Number(r), Typed::Number(p)) => compare(cmp, *r, *p),
            (Op::Bool, ..) => {
                let p = value.raw.trim();
                (p.eq_ignore_ascii_case("true") || p.eq_ignore_ascii_case("false"))
                    && p.eq_ignore_ascii_case(request.trim())
            }
            (Op::BinaryEquals, Typed::Bytes(r), Typed::Bytes(p)) => r == p,
            (Op::IpAddress, _, Typed::Network(net, prefix)) => {
                request.trim().parse::<IpAddr>().is_ok_and(|ip| contains(*net, *prefix, ip))
            }
            (Op::ArnLike, ..) => arn_like(&value.text(ctx)?, request),
            _ => false,
        })
    }
}

fn compare(cmp: Cmp, request: f64, policy: f64) -> bool {
    match cmp {
        Cmp::Eq => request == policy,
        Cmp::Lt => request < policy,
        Cmp::Le => request <= policy,
        Cmp::Gt => request > policy,
        Cmp::Ge => request >= policy,
    }
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A date as AWS accepts it: ISO 8601 (`2019-07-16`, `2019-07-16T12:00:00Z`, with
/// fractions or an offset; no offset is UTC) or seconds since the epoch; as seconds since
/// the epoch. Read by the `time` crate, by the calendar: `2019-02-31` is no date.
pub(super) fn date(s: &str) -> Option<f64> {
    use time::format_description::well_known::{Iso8601, Rfc3339};
    use time::{Date, OffsetDateTime, PrimitiveDateTime};
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') && !s[1..].contains('-') {
        return number(s);
    }
    let secs = |t: OffsetDateTime| t.unix_timestamp_nanos() as f64 / 1e9;
    if let Ok(t) = OffsetDateTime::parse(s, &Iso8601::DEFAULT).or_else(|_| OffsetDateTime::parse(s, &Rfc3339)) {
        return Some(secs(t));
    }
    if let Ok(t) = PrimitiveDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(secs(t.assume_utc()));
    }
    // A date alone (Iso8601 would read the date out of a longer text too).
    if s.len() == 10 {
        if let Ok(d) = Date::parse(s, &Iso8601::DEFAULT) {
            return Some(secs(d.midnight().assume_utc()));
        }
    }
    None
}

/// Standard base64, padded, as `BinaryEquals` values are written; the SDK's decoder, which
/// refuses anything after the padding.
pub(super) fn base64(s: &str) -> Option<Vec<u8>> {
    aws_smithy_types::base64::decode(s.trim()).ok()
}

/// Whether the address `ip` is in `cidr` (`203.0.113.0/24`, `2001:db8::/32`, or one
/// address). IPv4 and IPv6 never match each other. The operator reads the network once
/// instead; this whole form is for the tests.
#[cfg(test)]
pub(super) fn in_cidr(ip: &str, cidr: &str) -> bool {
    match (ip.trim().parse::<IpAddr>(), network(cidr)) {
        (Ok(ip), Some((net, prefix))) => contains(net, prefix, ip),
        _ => false,
    }
}

/// A network as a policy writes it: an address with an optional prefix length.
fn network(cidr: &str) -> Option<(IpAddr, u32)> {
    let (net, prefix) = match cidr.trim().split_once('/') {
        Some((net, prefix)) => (net, Some(prefix.parse::<u32>().ok()?)),
        None => (cidr.trim(), None),
    };
    let net = net.parse::<IpAddr>().ok()?;
    let max = if net.is_ipv4() { 32 } else { 128 };
    let prefix = prefix.unwrap_or(max);
    (prefix <= max).then_some((net, prefix))
}

fn contains(net: IpAddr, prefix: u32, ip: IpAddr) -> bool {
    match (net, ip) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => {
            let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) => {
            let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

/// ArnLike: "each of the six colon-delimited components of the ARN is checked separately",
/// each with `*` and `?`.
fn arn_like(pattern: &str, arn: &str) -> bool {
    let mut p = pattern.splitn(6, ':');
    let mut a = arn.splitn(6, ':');
    for _ in 0..6 {
        match (p.next(), a.next()) {
            (Some(p), Some(a)) if glob_str(p, a) => {}
            _ => return false,
        }
    }
    true
}
