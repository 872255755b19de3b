//! AWS's documented rules for IAM names, paths and tags, enforced before any call. moto
//! validates none of them (it accepts a user name with a space, 65 characters, or none at
//! all), and AWS's own messages for them are terse; here each rule fails with a sentence
//! that names the field and the rule.

use crate::error::{Error, Result};

/// Characters IAM allows in user, group, role and policy names: `[\w+=,.@-]`.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '=' | ',' | '.' | '@' | '-')
}

/// What is being named, with its AWS length limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    User,
    Group,
    Role,
    Policy,
}

impl NameKind {
    fn label(self) -> &'static str {
        match self {
            NameKind::User => "user name",
            NameKind::Group => "group name",
            NameKind::Role => "role name",
            NameKind::Policy => "policy name",
        }
    }

    fn max_len(self) -> usize {
        match self {
            NameKind::User | NameKind::Role => 64,
            NameKind::Group | NameKind::Policy => 128,
        }
    }
}

fn invalid(msg: String) -> Error {
    Error::InvalidInput(msg)
}

pub fn name(kind: NameKind, value: &str) -> Result<()> {
    let label = kind.label();
    if value.is_empty() {
        return Err(invalid(format!("The {label} is empty.")));
    }
    let len = value.chars().count();
    if len > kind.max_len() {
        return Err(invalid(format!("The {label} has {len} characters; AWS allows at most {}.", kind.max_len())));
    }
    if let Some(bad) = value.chars().find(|c| !is_name_char(*c)) {
        return Err(invalid(format!(
            "The {label} contains {}; AWS allows only letters, digits and + = , . @ _ -.",
            describe_char(bad)
        )));
    }
    Ok(())
}

/// IAM paths: `/` alone, or `/` + printable ASCII (no spaces) + `/`, at most 512 characters.
pub fn path(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(invalid("The path is empty; use / for none.".into()));
    }
    if value.len() > 512 {
        return Err(invalid(format!("The path has {} characters; AWS allows at most 512.", value.len())));
    }
    if !value.starts_with('/') || !value.ends_with('/') {
        return Err(invalid(format!("The path '{value}' must start and end with /, for example /engineering/.")));
    }
    if let Some(bad) = value.chars().find(|c| !('\u{21}'..='\u{7e}').contains(c)) {
        return Err(invalid(format!(
            "The path contains {}; AWS allows only printable ASCII without spaces.",
            describe_char(bad)
        )));
    }
    if value.contains("//") {
        return Err(invalid(format!("The path '{value}' has an empty segment (//).")));
    }
    Ok(())
}

/// Tag keys and values: letters, digits, spaces and `_ . : / = + - @` (Unicode letters and
/// digits included).
fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == ' ' || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@')
}

pub const MAX_TAGS: usize = 50;

pub fn tag_key(key: &str) -> Result<()> {
    let len = key.chars().count();
    if len == 0 {
        return Err(invalid("A tag key is empty.".into()));
    }
    if len > 128 {
        return Err(invalid(format!("The tag key '{}…' has {len} characters; AWS allows at most 128.", truncate(key))));
    }
    if key.to_ascii_lowercase().starts_with("aws:") {
        return Err(invalid(format!("The tag key '{key}' starts with aws:, which AWS reserves for its own tags.")));
    }
    if let Some(bad) = key.chars().find(|c| !is_tag_char(*c)) {
        return Err(invalid(format!(
            "The tag key '{key}' contains {}; allowed are letters, digits, spaces and _ . : / = + - @.",
            describe_char(bad)
        )));
    }
    Ok(())
}

pub fn tag_value(key: &str, value: &str) -> Result<()> {
    let len = value.chars().count();
    if len > 256 {
        return Err(invalid(format!("The value of tag '{key}' has {len} characters; AWS allows at most 256.")));
    }
    if let Some(bad) = value.chars().find(|c| !is_tag_char(*c)) {
        return Err(invalid(format!(
            "The value of tag '{key}' contains {}; allowed are letters, digits, spaces and _ . : / = + - @.",
            describe_char(bad)
        )));
    }
    Ok(())
}

/// A whole tag set, as one principal will carry it.
pub fn tags<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<()> {
    let mut seen: Vec<String> = Vec::new();
    for (k, v) in pairs {
        tag_key(k)?;
        tag_value(k, v)?;
        // IAM treats tag keys that differ only in case as the same key.
        let folded = k.to_lowercase();
        if seen.contains(&folded) {
            return Err(invalid(format!("The tag key '{k}' appears twice (IAM ignores case in tag keys).")));
        }
        seen.push(folded);
    }
    if seen.len() > MAX_TAGS {
        return Err(invalid(format!("{} tags; AWS allows at most {MAX_TAGS} per user, group or role.", seen.len())));
    }
    Ok(())
}

/// IAM's default quotas that a single request can break.
pub const MAX_GROUPS_PER_USER: usize = 10;
pub const MAX_MANAGED_POLICIES_PER_PRINCIPAL: usize = 10;

pub fn group_count(count: usize) -> Result<()> {
    if count > MAX_GROUPS_PER_USER {
        return Err(invalid(format!(
            "A user can be in at most {MAX_GROUPS_PER_USER} groups; this would make {count}."
        )));
    }
    Ok(())
}

pub fn managed_policy_count(count: usize) -> Result<()> {
    if count > MAX_MANAGED_POLICIES_PER_PRINCIPAL {
        return Err(invalid(format!(
            "At most {MAX_MANAGED_POLICIES_PER_PRINCIPAL} managed policies can be attached (AWS's default quota); this would make {count}."
        )));
    }
    Ok(())
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        c if c.is_control() => format!("a control character (U+{:04X})", c as u32),
        c => format!("'{c}'"),
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_aws_accepts() {
        for n in ["a", "ana.silva", "ci-deploy", "svc+build=1,x@corp_2", &"u".repeat(64)] {
            name(NameKind::User, n).unwrap();
        }
        name(NameKind::Group, &"g".repeat(128)).unwrap();
        name(NameKind::Policy, &"p".repeat(128)).unwrap();
        for p in ["/", "/engineering/", "/division_abc/subdivision_xyz/", &format!("/{}/", "a".repeat(510))] {
            path(p).unwrap();
        }
        tags([
            ("team", "platform"),
            ("cost-center", ""),
            ("Owner Email", "ana@example.com"),
            ("équipe", "données 1/2"),
        ])
        .unwrap();
        let fifty: Vec<(String, String)> = (0..50).map(|i| (format!("k{i}"), "v".into())).collect();
        tags(fifty.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
    }

    /// Every row is input AWS rejects; each must fail here, before any call, with a
    /// message that says what is wrong.
    #[test]
    fn rejects_what_aws_rejects() {
        let long65 = "u".repeat(65);
        let long129 = "g".repeat(129);
        let user_names: &[(&str, &str)] = &[
            ("", "empty"),
            (&long65, "at most 64"),
            ("ana silva", "a space"),
            ("ana/silva", "'/'"),
            ("ana#1", "'#'"),
            ("ana*", "'*'"),
            ("ana!", "'!'"),
            ("ana:x", "':'"),
            ("ana\tx", "a tab"),
            ("josé", "'é'"),
            ("ana\u{0}", "control character"),
            ("ana(1)", "'('"),
            ("a;b", "';'"),
            ("a'b", "'''"),
        ];
        for (input, expect) in user_names {
            let err = name(NameKind::User, input).unwrap_err();
            assert!(err.to_string().contains(expect), "user name {input:?}: {err}");
            assert!(err.to_string().contains("user name"), "names the field: {err}");
        }
        let group_names: &[(&str, &str)] =
            &[("", "empty"), (&long129, "at most 128"), ("dev ops", "a space"), ("dev|ops", "'|'")];
        for (input, expect) in group_names {
            let err = name(NameKind::Group, input).unwrap_err();
            assert!(err.to_string().contains(expect), "group name {input:?}: {err}");
        }
        assert!(name(NameKind::Role, &long65).is_err());

        let long_path = format!("/{}/", "a".repeat(511));
        let paths: &[(&str, &str)] = &[
            ("", "empty"),
            ("engineering", "start and end"),
            ("/engineering", "start and end"),
            ("engineering/", "start and end"),
            ("/eng ineering/", "a space"),
            ("/ingénierie/", "'é'"),
            ("/a//b/", "empty segment"),
            (&long_path, "at most 512"),
            ("/tab\t/", "a tab"),
        ];
        for (input, expect) in paths {
            let err = path(input).unwrap_err();
            assert!(err.to_string().contains(expect), "path {input:?}: {err}");
        }

        let long_key = "k".repeat(129);
        let long_value = "v".repeat(257);
        let bad_tags: &[(&[(&str, &str)], &str)] = &[
            (&[("", "x")], "empty"),
            (&[(&long_key, "x")], "at most 128"),
            (&[("aws:createdBy", "x")], "reserves"),
            (&[("AWS:team", "x")], "reserves"),
            (&[("team#1", "x")], "'#'"),
            (&[("team", "a,b")], "','"),
            (&[("team", "x;y")], "';'"),
            (&[("team", &long_value)], "at most 256"),
            (&[("team", "a\u{7}")], "control character"),
            (&[("team", "a"), ("Team", "b")], "appears twice"),
            (&[("key*", "x")], "'*'"),
            (&[("ok", "<script>")], "'<'"),
        ];
        for (input, expect) in bad_tags {
            let err = tags(input.iter().copied()).unwrap_err();
            assert!(err.to_string().contains(expect), "tags {input:?}: {err}");
        }
        let fifty_one: Vec<(String, String)> = (0..51).map(|i| (format!("k{i}"), "v".into())).collect();
        let err = tags(fifty_one.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap_err();
        assert!(err.to_string().contains("at most 50"), "{err}");

        assert!(group_count(11).unwrap_err().to_string().contains("at most 10 groups"));
        group_count(10).unwrap();
        assert!(managed_policy_count(11).unwrap_err().to_string().contains("At most 10 managed policies"));
        managed_policy_count(10).unwrap();

        // All of them are validation errors, which the UI shows at the field.
        assert_eq!(name(NameKind::User, "").unwrap_err().code(), crate::error::ErrorCode::InvalidInput);
        let rows = user_names.len() + group_names.len() + paths.len() + bad_tags.len() + 4;
        assert!(rows >= 40, "the table covers {rows} bad inputs");
    }
}
