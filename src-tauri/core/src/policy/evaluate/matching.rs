//! Wildcards and policy variables: the patterns of `Action`, `Resource` and condition
//! values, compiled once at parse time so that matching allocates nothing unless a pattern
//! holds a variable.

use super::Context;
use std::borrow::Cow;

/// One unit of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
    Byte(u8),
    /// `*`. In a resource ARN it stays inside its colon-separated segment unless it is the
    /// segment's last character ("Using wildcards in resource ARNs"); elsewhere it spans all.
    Star {
        colon: bool,
    },
    /// `?`: one character (not one byte); in a resource ARN, never a colon.
    One {
        colon: bool,
    },
}

/// How a pattern's wildcards behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Actions: `*`/`?` match anything, compared case-insensitively (pattern lower-cased).
    Action,
    /// Resource ARNs: case-sensitive, wildcards kept within ARN segments (see [`Tok::Star`]).
    Resource,
    /// Condition values: case-sensitive, wildcards match anything.
    Value,
}

/// A piece of a pattern as written: text whose `*`/`?` are wildcards, a literal character
/// from `${*}`/`${?}`/`${$}`, or a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Literal(u8),
    Var { key: String, key_lower: String, default: Option<String> },
}

/// A pattern: compiled once when it has no variables, resolved per request when it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pattern {
    pub(super) raw: String,
    kind: Kind,
    /// The compiled tokens when the pattern holds no variable.
    fixed: Option<Vec<Tok>>,
    parts: Vec<Part>,
}

impl Pattern {
    /// `variables`: whether the policy's Version (2012-10-17) turns `${…}` into variables;
    /// under the old version, or none, they are plain text.
    pub(super) fn new(raw: &str, kind: Kind, variables: bool) -> Pattern {
        let parts = if variables { split_parts(raw) } else { vec![Part::Text(raw.to_string())] };
        let fixed = if parts.iter().any(|p| matches!(p, Part::Var { .. })) {
            None
        } else {
            let mut toks = Vec::with_capacity(raw.len());
            for p in &parts {
                push_part(&mut toks, p, kind);
            }
            finish(&mut toks, kind);
            Some(toks)
        };
        Pattern { raw: raw.to_string(), kind, fixed, parts }
    }

    /// The compiled tokens, when the pattern has no variable (always so for actions).
    pub(super) fn tokens_fixed(&self) -> Option<&[Tok]> {
        self.fixed.as_deref()
    }

    /// The tokens for this request, or the first variable with no value (as written, `${…}`).
    pub(super) fn tokens(&self, ctx: &Context) -> Result<Cow<'_, [Tok]>, String> {
        if let Some(fixed) = &self.fixed {
            return Ok(Cow::Borrowed(fixed));
        }
        let mut toks = Vec::with_capacity(self.raw.len() + 16);
        for p in &self.parts {
            if let Part::Var { key, key_lower, default } = p {
                match resolve(ctx, key_lower, default.as_deref()) {
                    Some(value) => toks.extend(value.bytes().map(Tok::Byte)),
                    None => return Err(format!("${{{key}}}")),
                }
            } else {
                push_part(&mut toks, p, self.kind);
            }
        }
        finish(&mut toks, self.kind);
        Ok(Cow::Owned(toks))
    }

    /// The value as text for this request (wildcards and escapes as their characters), for
    /// operators that do not glob.
    pub(super) fn text(&self, ctx: &Context) -> Result<Cow<'_, str>, String> {
        if self.fixed.is_some() && !self.parts.iter().any(|p| matches!(p, Part::Literal(_))) {
            return Ok(Cow::Borrowed(&self.raw));
        }
        let mut out = String::with_capacity(self.raw.len() + 16);
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Literal(b) => out.push(char::from(*b)),
                Part::Var { key, key_lower, default } => match resolve(ctx, key_lower, default.as_deref()) {
                    Some(value) => out.push_str(value),
                    None => return Err(format!("${{{key}}}")),
                },
            }
        }
        Ok(Cow::Owned(out))
    }
}

/// A variable's value: the key's single value, else the default. A key with several values
/// does not resolve (AWS: multivalued keys cannot be policy variables).
fn resolve<'c>(ctx: &'c Context, key_lower: &str, default: Option<&'c str>) -> Option<&'c str> {
    match ctx.get_lower(key_lower) {
        Some([one]) => Some(one.as_str()),
        _ => default,
    }
}

fn push_part(toks: &mut Vec<Tok>, part: &Part, kind: Kind) {
    match part {
        Part::Text(t) => {
            for b in t.bytes() {
                toks.push(match b {
                    b'*' => Tok::Star { colon: true },
                    b'?' => Tok::One { colon: kind != Kind::Resource },
                    b if kind == Kind::Action => Tok::Byte(b.to_ascii_lowercase()),
                    b => Tok::Byte(b),
                });
            }
        }
        Part::Literal(b) => toks.push(Tok::Byte(if kind == Kind::Action { b.to_ascii_lowercase() } else { *b })),
        Part::Var { .. } => {}
    }
}

/// In a resource, a `*` crosses colons only when it ends its segment (followed by a colon,
/// or last).
fn finish(toks: &mut [Tok], kind: Kind) {
    if kind != Kind::Resource {
        return;
    }
    for i in 0..toks.len() {
        if let Some(Tok::Star { .. }) = toks.get(i) {
            let ends_segment = matches!(toks.get(i + 1), None | Some(Tok::Byte(b':')));
            toks[i] = Tok::Star { colon: ends_segment };
        }
    }
}

/// `${key}`, `${key, 'default'}` (a doubled `''` is a quote), and the escapes `${*}`,
/// `${?}`, `${$}`. An unclosed `${` is text.
fn split_parts(raw: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = raw;
    while let Some(at) = rest.find("${") {
        let Some(len) = rest[at + 2..].find('}') else { break };
        text.push_str(&rest[..at]);
        let inner = &rest[at + 2..at + 2 + len];
        rest = &rest[at + 2 + len + 1..];
        let part = match inner.trim() {
            "*" => Part::Literal(b'*'),
            "?" => Part::Literal(b'?'),
            "$" => Part::Literal(b'$'),
            body => {
                let (key, default) = match body.split_once(',') {
                    Some((key, default)) => {
                        let d = default.trim();
                        let d = d.strip_prefix('\'').and_then(|d| d.strip_suffix('\'')).unwrap_or(d);
                        (key.trim(), Some(d.replace("''", "'")))
                    }
                    None => (body, None),
                };
                Part::Var { key: key.to_string(), key_lower: key.to_ascii_lowercase(), default }
            }
        };
        if !text.is_empty() {
            parts.push(Part::Text(std::mem::take(&mut text)));
        }
        parts.push(part);
    }
    text.push_str(rest);
    if !text.is_empty() || parts.is_empty() {
        parts.push(Part::Text(text));
    }
    parts
}

/// Whether `text` matches the tokens; `fold` compares the text's ASCII letters in lower case
/// (the tokens are already lower-case then).
pub(super) fn glob(toks: &[Tok], text: &str, fold: bool) -> bool {
    let restricted = toks.iter().any(|t| matches!(t, Tok::Star { colon: false }));
    if restricted {
        glob_dp(toks, text.as_bytes(), fold)
    } else {
        glob_greedy(toks, text.as_bytes(), fold)
    }
}

fn byte_eq(p: u8, t: u8, fold: bool) -> bool {
    p == if fold { t.to_ascii_lowercase() } else { t }
}

/// The length of the character starting at `at` (1 for a stray continuation byte).
fn char_len(text: &[u8], at: usize) -> usize {
    let mut n = 1;
    while text.get(at + n).is_some_and(|b| b & 0xC0 == 0x80) {
        n += 1;
    }
    n
}

/// The classic linear matcher: on a mismatch, let the last `*` take one more character.
/// Correct when every `*` may take any character.
fn glob_greedy(toks: &[Tok], text: &[u8], fold: bool) -> bool {
    greedy(toks.len(), |i| toks[i], text, fold)
}

/// [`glob_greedy`] over tokens given by position, so that text patterns need no token list.
fn greedy(len: usize, tok: impl Fn(usize) -> Tok, text: &[u8], fold: bool) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match (p < len).then(|| tok(p)) {
            Some(Tok::Star { .. }) => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some(Tok::Byte(b)) if byte_eq(b, text[t], fold) => {
                p += 1;
                t += 1;
                continue;
            }
            Some(Tok::One { colon }) if colon || text[t] != b':' => {
                p += 1;
                t += char_len(text, t);
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                let next = st + char_len(text, st);
                star = Some((sp, next));
                p = sp + 1;
                t = next;
            }
            None => return false,
        }
    }
    (p..len).all(|i| matches!(tok(i), Tok::Star { .. }))
}

/// Dynamic programming over text positions, for patterns with segment-bound stars (rare:
/// `arn:aws:ec2:us-*-1:…`), where the greedy matcher's backtracking is not enough.
fn glob_dp(toks: &[Tok], text: &[u8], fold: bool) -> bool {
    let n = text.len();
    // reach[i]: the pattern so far can end at text position i.
    let mut reach = vec![false; n + 1];
    reach[0] = true;
    let mut next = vec![false; n + 1];
    for tok in toks {
        next.iter_mut().for_each(|r| *r = false);
        match *tok {
            Tok::Star { colon } => {
                let mut on = false;
                for i in 0..=n {
                    on = reach[i] || (on && i > 0 && (colon || text[i - 1] != b':'));
                    next[i] = on;
                }
            }
            Tok::Byte(b) => {
                for i in 0..n {
                    if reach[i] && byte_eq(b, text[i], fold) {
                        next[i + 1] = true;
                    }
                }
            }
            Tok::One { colon } => {
                for i in 0..n {
                    if reach[i] && (colon || text[i] != b':') {
                        let end = (i + char_len(text, i)).min(n);
                        next[end] = true;
                    }
                }
            }
        }
        std::mem::swap(&mut reach, &mut next);
    }
    reach[n]
}

/// Whether `text` matches a pattern given as text (`*` and `?` anywhere): one component of
/// an ARN under `ArnLike`.
pub(super) fn glob_str(pattern: &str, text: &str) -> bool {
    let pattern = pattern.as_bytes();
    let tok = |i: usize| match pattern[i] {
        b'*' => Tok::Star { colon: true },
        b'?' => Tok::One { colon: true },
        b => Tok::Byte(b),
    };
    greedy(pattern.len(), tok, text.as_bytes(), false)
}
