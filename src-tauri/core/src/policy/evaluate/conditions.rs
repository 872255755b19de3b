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
            let mut matched = false;
            for v in &self.values {
                if self.pair(r, v, ctx)? {
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
    fn pair(&self, request: &str, value: &Pattern, ctx: &Context) -> Result<bool, String> {
        Ok(match self.op {
            Op::StringEquals => *value.text(ctx)? == *request,
            Op::StringEqualsIgnoreCase => value.text(ctx)?.to_lowercase() == request.to_lowercase(),
            Op::StringLike => glob(&value.tokens(ctx)?, request, false),
            Op::Numeric(cmp) => match (number(&value.raw), number(request)) {
                (Some(p), Some(r)) => compare(cmp, r, p),
                _ => false,
            },
            Op::Date(cmp) => match (date(&value.raw), date(request)) {
                (Some(p), Some(r)) => compare(cmp, r, p),
                _ => false,
            },
            Op::Bool => {
                let p = value.raw.trim();
                (p.eq_ignore_ascii_case("true") || p.eq_ignore_ascii_case("false"))
                    && p.eq_ignore_ascii_case(request.trim())
            }
            Op::BinaryEquals => match (base64(&value.raw), base64(request)) {
                (Some(p), Some(r)) => p == r,
                _ => value.raw == request,
            },
            Op::IpAddress => in_cidr(request, &value.raw),
            Op::ArnLike => arn_like(&value.text(ctx)?, request),
            Op::Null => false,
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
/// fractions or an offset) or seconds since the epoch; as seconds since the epoch.
pub(super) fn date(s: &str) -> Option<f64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') && !s[1..].contains('-') {
        return number(s);
    }
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) as f64 * 86_400.0;
    let mut at = 10;
    if matches!(b.get(at), Some(b'T' | b't' | b' ')) {
        let (h, m) = (num(at + 1, 2)?, num(at + 4, 2)?);
        if b.get(at + 3) != Some(&b':') || h > 24 || m > 59 {
            return None;
        }
        secs += (h * 3600 + m * 60) as f64;
        at += 6;
        if b.get(at) == Some(&b':') {
            let sec = num(at + 1, 2)?;
            if sec > 60 {
                return None;
            }
            secs += sec as f64;
            at += 3;
            if b.get(at) == Some(&b'.') {
                let digits = b[at + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                let frac: f64 = std::str::from_utf8(&b[at..at + 1 + digits]).ok()?.parse().ok()?;
                secs += frac;
                at += 1 + digits;
            }
        }
        match b.get(at) {
            None => {}
            Some(b'Z' | b'z') if at + 1 == b.len() => {}
            Some(&sign @ (b'+' | b'-')) => {
                let oh = num(at + 1, 2)?;
                let om = match b.get(at + 3) {
                    Some(b':') => num(at + 4, 2)?,
                    None => 0,
                    _ => num(at + 3, 2)?,
                };
                let offset = (oh * 3600 + om * 60) as f64;
                secs += if sign == b'+' { -offset } else { offset };
            }
            _ => return None,
        }
    } else if at != b.len() {
        return None;
    }
    Some(secs)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.trim().bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Whether the address `ip` is in `cidr` (`203.0.113.0/24`, `2001:db8::/32`, or one
/// address). IPv4 and IPv6 never match each other.
pub(super) fn in_cidr(ip: &str, cidr: &str) -> bool {
    let (net, prefix) = match cidr.trim().split_once('/') {
        Some((net, prefix)) => (net, prefix.parse::<u32>().ok()),
        None => (cidr.trim(), None),
    };
    let (Ok(ip), Ok(net)) = (ip.trim().parse::<IpAddr>(), net.parse::<IpAddr>()) else { return false };
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let prefix = prefix.unwrap_or(32);
            if prefix > 32 {
                return false;
            }
            let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let prefix = prefix.unwrap_or(128);
            if prefix > 128 {
                return false;
            }
            let mask = if prefix == 0 { 0 } else { u128::MAX << (128 - prefix) };
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
