//! AWS's documented rules for IAM identifiers, names, paths, tags and passwords, enforced
//! before any call. moto validates none of them (it accepts a user name with a space, 65
//! characters, or none at all), and AWS's own messages for them are terse; here each rule
//! fails with a sentence that names the field and the rule.
//!
//! Every function a command reaches checks each identifier it takes here first, so that a
//! malformed value never becomes a request: the patterns and lengths are the IAM API
//! reference's, character for character.

use crate::error::{Error, Result};
use regex::Regex;
use std::sync::LazyLock;

/// `\w` as the IAM API reference uses it: ASCII letters, digits and `_`.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Characters IAM allows in user, group, role and policy names: `[\w+=,.@-]`.
fn is_name_char(c: char) -> bool {
    is_word_char(c) || matches!(c, '+' | '=' | ',' | '.' | '@' | '-')
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

/// One `[class]+` pattern with its length bounds, checked in the order that gives the most
/// useful message: empty, too short, too long, then the first character outside the class.
fn pattern(label: &str, value: &str, (min, max): (usize, usize), ok: fn(char) -> bool, allowed: &str) -> Result<()> {
    if value.is_empty() {
        return Err(invalid(format!("The {label} is empty.")));
    }
    let len = value.chars().count();
    if len < min {
        return Err(invalid(format!("The {label} has {len} characters; AWS requires at least {min}.")));
    }
    if len > max {
        return Err(invalid(format!("The {label} has {len} characters; AWS allows at most {max}.")));
    }
    if let Some(bad) = value.chars().find(|c| !ok(*c)) {
        return Err(invalid(format!("The {label} contains {}; AWS allows only {allowed}.", describe_char(bad))));
    }
    Ok(())
}

pub fn name(kind: NameKind, value: &str) -> Result<()> {
    pattern(kind.label(), value, (1, kind.max_len()), is_name_char, "letters, digits and + = , . @ _ -")
}

/// AccessKeyId: `[\w]+`, 16 to 128 characters.
pub fn access_key_id(value: &str) -> Result<()> {
    pattern("access key id", value, (16, 128), is_word_char, "letters, digits and _ (like AKIAIOSFODNN7EXAMPLE)")
}

/// SerialNumber of an MFA device: `[\w+=/:,.@-]+`, 9 to 256 characters (a virtual
/// device's ARN, or a hardware device's serial).
pub fn mfa_serial(value: &str) -> Result<()> {
    let ok = |c: char| is_name_char(c) || matches!(c, '/' | ':');
    pattern("MFA serial number", value, (9, 256), ok, "letters, digits and + = / : , . @ _ -")
}

/// An AWS account id: twelve digits.
pub fn account_id(value: &str) -> Result<()> {
    if value.len() != 12 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(format!("The account id '{}' is not twelve digits.", truncate(value))));
    }
    Ok(())
}

/// A managed policy's ARN: 20 to 2048 characters shaped
/// `arn:<partition>:iam::(aws|<12 digits>):policy/<path><name>`.
pub fn policy_arn(value: &str) -> Result<()> {
    let len = value.chars().count();
    if !(20..=2048).contains(&len) {
        return Err(invalid(format!("The policy ARN has {len} characters; AWS's are 20 to 2048.")));
    }
    let example = "like arn:aws:iam::aws:policy/ReadOnlyAccess";
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts[..] else {
        return Err(invalid(format!("'{}…' is not a policy ARN ({example}).", truncate(value))));
    };
    if arn != "arn" {
        return Err(invalid(format!("The policy ARN must start with arn: ({example}).")));
    }
    let partition_ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|p| {
            !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !p.ends_with('-')
        });
    if !partition_ok {
        return Err(invalid(format!(
            "The policy ARN's partition '{}' is not one of AWS's (aws, aws-cn, aws-us-gov, …).",
            truncate(partition)
        )));
    }
    if service != "iam" {
        return Err(invalid(format!(
            "The policy ARN names the service '{}'; managed policies are IAM's ({example}).",
            truncate(service)
        )));
    }
    if !region.is_empty() {
        return Err(invalid(format!("The policy ARN has a region ('{}'); IAM's ARNs have none.", truncate(region))));
    }
    if account != "aws" && account_id(account).is_err() {
        return Err(invalid(format!(
            "The policy ARN's account '{}' is neither aws nor a twelve-digit account id.",
            truncate(account)
        )));
    }
    let Some(path_and_name) = resource.strip_prefix("policy/").map(|_| &resource["policy".len()..]) else {
        return Err(invalid(format!(
            "The policy ARN's resource '{}' is not policy/<path><name> ({example}).",
            truncate(resource)
        )));
    };
    let cut = path_and_name.rfind('/').map_or(0, |i| i + 1);
    let (path_part, policy_name) = path_and_name.split_at(cut);
    path(path_part).map_err(|e| invalid(format!("In the policy ARN: {e}")))?;
    name(NameKind::Policy, policy_name).map_err(|e| invalid(format!("In the policy ARN: {e}")))
}

/// IAM paths: `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, at most 512 characters. AWS's
/// pattern allows empty segments (`/a//b/`), so this does too.
pub fn path(value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(invalid("The path is empty; use / for none.".into()));
    }
    let len = value.chars().count();
    if len > 512 {
        return Err(invalid(format!("The path has {len} characters; AWS allows at most 512.")));
    }
    if !value.starts_with('/') || !value.ends_with('/') {
        return Err(invalid(format!(
            "The path '{}' must start and end with /, for example /engineering/.",
            truncate(value)
        )));
    }
    if let Some(bad) = value.chars().find(|c| !('\u{21}'..='\u{7e}').contains(c)) {
        return Err(invalid(format!(
            "The path contains {}; AWS allows only printable ASCII without spaces.",
            describe_char(bad)
        )));
    }
    // Between its two slashes the pattern needs at least one character.
    if value == "//" {
        return Err(invalid("The path // is not one AWS accepts; use / for none.".into()));
    }
    Ok(())
}

/// Tag keys and values: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, that is any Unicode letter, separator
/// (not only the space) or number, and `_ . : / = + - @`.
fn is_tag_char(c: char) -> bool {
    static TAG_CHAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]$").expect("the tag pattern compiles"));
    TAG_CHAR.is_match(c.encode_utf8(&mut [0; 4]))
}

const TAG_CHARS: &str = "letters, digits, spaces and _ . : / = + - @";

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
        return Err(invalid(format!("The tag key '{key}' contains {}; allowed are {TAG_CHARS}.", describe_char(bad))));
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
            "The value of tag '{key}' contains {}; allowed are {TAG_CHARS}.",
            describe_char(bad)
        )));
    }
    Ok(())
}

/// A whole tag set, as one principal will carry it.
pub fn tags<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<()> {
    // The cap first: a request of thousands of tags is refused before any is looked at.
    let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    if pairs.len() > MAX_TAGS {
        return Err(invalid(format!("{} tags; AWS allows at most {MAX_TAGS} per user, group or role.", pairs.len())));
    }
    let mut seen = std::collections::HashSet::with_capacity(pairs.len());
    for (k, v) in pairs {
        tag_key(k)?;
        tag_value(k, v)?;
        // IAM treats tag keys that differ only in case as the same key.
        if !seen.insert(k.to_lowercase()) {
            return Err(invalid(format!("The tag key '{k}' appears twice (IAM ignores case in tag keys).")));
        }
    }
    Ok(())
}

/// The keys of an untag request: 1 to 50 of them, each a valid key that is not AWS's.
pub fn untag_keys(keys: &[String]) -> Result<()> {
    if keys.is_empty() {
        return Err(invalid("No tag key to remove was given.".into()));
    }
    if keys.len() > MAX_TAGS {
        return Err(invalid(format!("{} tag keys to remove; AWS takes at most {MAX_TAGS} at once.", keys.len())));
    }
    keys.iter().try_for_each(|k| tag_key(k))
}

/// A typed password: 1 to 128 characters from `[\u0009\u000A\u000D\u0020-\u00FF]`. The
/// message gives the position of a bad character, never the character itself.
pub fn password(value: &str) -> Result<()> {
    let len = value.chars().count();
    if len == 0 {
        return Err(invalid("The password is empty.".into()));
    }
    if len > 128 {
        return Err(invalid(format!("The password has {len} characters; AWS allows at most 128.")));
    }
    let ok = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}');
    if let Some(at) = value.chars().position(|c| !ok(c)) {
        return Err(invalid(format!(
            "Character {} of the password is not one AWS accepts in passwords: only tab, line breaks and \
             the Latin-1 characters U+0020 to U+00FF.",
            at + 1
        )));
    }
    Ok(())
}

/// An account alias: 3 to 63 characters, `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`
/// (lowercase letters, digits and hyphens; no leading, trailing or double hyphen).
pub fn account_alias(value: &str) -> Result<()> {
    let len = value.chars().count();
    if len == 0 {
        return Err(invalid("The account alias is empty.".into()));
    }
    if !(3..=63).contains(&len) {
        return Err(invalid(format!("The account alias has {len} characters; AWS allows 3 to 63.")));
    }
    if let Some(c) = value.chars().find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-')) {
        return Err(invalid(format!(
            "The account alias contains {}; only lowercase letters, digits and hyphens are allowed.",
            describe_char(c)
        )));
    }
    if value.starts_with('-') || value.ends_with('-') {
        return Err(invalid("The account alias cannot start or end with a hyphen.".into()));
    }
    if value.contains("--") {
        return Err(invalid("The account alias cannot contain two hyphens in a row.".into()));
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
        // Invisible, combining or look-alike characters are named by their code point too.
        c if !c.is_ascii() && !c.is_alphanumeric() => format!("'{c}' (U+{:04X})", c as u32),
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
    fn account_aliases_follow_aws_pattern() {
        let ok = ["abc", "examplecorp", "my-corp-1", "0-9", &"a".repeat(63), "a-b-c"];
        for a in ok {
            assert!(account_alias(a).is_ok(), "{a} should be accepted");
        }
        let bad: [(&str, &str); 9] = [
            ("", "empty"),
            ("ab", "has 2 characters"),
            (&"a".repeat(64), "has 64 characters"),
            ("My-corp", "'M'"),
            ("my_corp", "'_'"),
            ("my corp", "a space"),
            ("-corp", "start or end"),
            ("corp-", "start or end"),
            ("my--corp", "two hyphens"),
        ];
        for (a, msg) in bad {
            let e = account_alias(a).unwrap_err().to_string();
            assert!(e.contains(msg), "{a:?}: {e}");
        }
    }

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
        // AWS's pattern, (\u002F)|(\u002F[\u0021-\u007E]+\u002F), has no rule against
        // empty segments.
        path("/a//b/").unwrap();
        path("///").unwrap();
        tags([
            ("team", "platform"),
            ("cost-center", ""),
            ("Owner Email", "ana@example.com"),
            ("équipe", "données 1/2"),
        ])
        .unwrap();
        let fifty: Vec<(String, String)> = (0..50).map(|i| (format!("k{i}"), "v".into())).collect();
        tags(fifty.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
        // \p{Z} is every Unicode separator, not only the space.
        tags([("no\u{a0}break", "ideographic\u{3000}space"), ("line\u{2028}sep", "para\u{2029}sep")]).unwrap();
        tags([("Ünïcödé", "日本語 ٣"), ("k=v+w-x@y:z/_.", "")]).unwrap();

        for id in ["AKIAIOSFODNN7EXAMPLE", "ASIA_0123456789AB", &"A".repeat(128)] {
            access_key_id(id).unwrap();
        }
        for serial in ["arn:aws:iam::111111111111:mfa/ana", "arn:aws:iam::111111111111:mfa/team/ana", "GAHT12345678"] {
            mfa_serial(serial).unwrap();
        }
        mfa_serial("123456789").unwrap();
        for arn in [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::111111111111:policy/engineering/a//b/deploy+x=1,y.z@w_v-u",
            "arn:aws-cn:iam::aws:policy/ReadOnlyAccess",
            "arn:aws-us-gov:iam::222222222222:policy/x",
        ] {
            policy_arn(arn).unwrap_or_else(|e| panic!("{arn}: {e}"));
        }
        account_id("111111111111").unwrap();
        untag_keys(&["team".into(), "cost center".into()]).unwrap();
        for pw in ["a", "Correct-Horse-42x", "tab\tnew\nline\rreturn", "£ß÷ÿ é", &"x".repeat(128)] {
            password(pw).unwrap();
        }
    }

    /// The identifiers commands take, each against AWS's pattern and lengths.
    #[test]
    fn rejects_identifiers_aws_rejects() {
        let long_id = "A".repeat(129);
        let key_ids: &[(&str, &str)] = &[
            ("", "access key id is empty"),
            ("AKIA123", "at least 16"),
            (&long_id, "at most 128"),
            ("AKIA-IOSFODNN7EXAMPLE", "'-'"),
            ("AKIA IOSFODNN7EXAMPLE", "a space"),
            ("AKIAIOSFODNN7EXAMPLÉ", "'É'"),
        ];
        for (input, expect) in key_ids {
            let err = access_key_id(input).unwrap_err();
            assert!(err.to_string().contains(expect), "key id {input:?}: {err}");
        }
        let long_serial = format!("arn:aws:iam::111111111111:mfa/{}", "a".repeat(230));
        let serials: &[(&str, &str)] = &[
            ("", "serial number is empty"),
            ("GAHT1234", "at least 9"),
            (&long_serial, "at most 256"),
            ("arn:aws:iam::111111111111:mfa/ana silva", "a space"),
            ("arn:aws:iam::111111111111:mfa/ana*", "'*'"),
            ("arn:aws:iam::111111111111:mfa/ana#", "'#'"),
        ];
        for (input, expect) in serials {
            let err = mfa_serial(input).unwrap_err();
            assert!(err.to_string().contains(expect), "serial {input:?}: {err}");
        }
        let long_arn = format!("arn:aws:iam::aws:policy/{}", "p".repeat(2030));
        let arns: &[(&str, &str)] = &[
            ("ReadOnlyAccess", "20 to 2048"),
            (&long_arn, "20 to 2048"),
            ("arn:aws:iam::aws-policy/ReadOnly", "not a policy ARN"),
            ("arn:aws:iam::aws:policy", "not policy/<path><name>"),
            ("urn:aws:iam::aws:policy/ReadOnlyAccess", "must start with arn:"),
            ("arn:azure:iam::aws:policy/ReadOnlyAccess", "partition 'azure'"),
            ("arn:aws:s3::aws:policy/ReadOnlyAccess", "service 's3'"),
            ("arn:aws:iam:us-east-1:aws:policy/ReadOnlyAccess", "has a region"),
            ("arn:aws:iam::1111:policy/ReadOnlyAccess", "account '1111'"),
            ("arn:aws:iam::aws:role/ReadOnlyAccess", "not policy/<path><name>"),
            ("arn:aws:iam::aws:policy/", "policy name is empty"),
            ("arn:aws:iam::aws:policy/Read Only", "a space"),
            ("arn:aws:iam::aws:policy/team x/ReadOnly", "printable ASCII"),
        ];
        for (input, expect) in arns {
            let err = policy_arn(input).unwrap_err();
            assert!(err.to_string().contains(expect), "policy ARN {input:?}: {err}");
        }
        let err = path("//").unwrap_err();
        assert!(err.to_string().contains("use / for none"), "{err}");
        for (input, expect) in [("", "not twelve digits"), ("11111111111", "not twelve"), ("11111111111a", "twelve")] {
            assert!(account_id(input).unwrap_err().to_string().contains(expect), "{input}");
        }
        let fifty_one: Vec<String> = (0..51).map(|i| format!("k{i}")).collect();
        let untags: &[(&[String], &str)] = &[
            (&[], "No tag key"),
            (&fifty_one, "at most 50 at once"),
            (&["aws:cloudformation:stack-name".into()], "reserves"),
            (&["ok".into(), "bad#".into()], "'#'"),
            (&["".into()], "empty"),
        ];
        for (input, expect) in untags {
            let err = untag_keys(input).unwrap_err();
            assert!(err.to_string().contains(expect), "untag {input:?}: {err}");
        }
        // A zero-width space is a format character (Cf), not a separator (Z).
        let err = tag_key("team\u{200b}").unwrap_err();
        assert!(err.to_string().contains("U+200B"), "{err}");
        let passwords: &[(&str, &str)] = &[
            ("", "password is empty"),
            (&"x".repeat(129), "at most 128"),
            ("Pass€word1", "Character 5 of the password"),
            ("Password\u{0}", "Character 9"),
            ("Pass\u{7}word", "Character 5"),
            ("Пароль-123", "Character 1"),
        ];
        for (input, expect) in passwords {
            let err = password(input).unwrap_err();
            assert!(err.to_string().contains(expect), "password: {err}");
            assert!(!err.to_string().contains(input) || input.is_empty(), "never echoes the password");
        }
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
            ("/a\u{7f}/", "control character (U+007F)"),
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

        // Issue 20, item 4: the cap comes before the loop, and the loop is linear. A paste
        // of 100,000 distinct tags is refused at once, naming the count.
        let many: Vec<(String, String)> = (0..100_000).map(|i| (format!("k{i}"), "v".into())).collect();
        let started = std::time::Instant::now();
        let err = tags(many.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_millis(200), "{:?}", started.elapsed());
        assert!(err.to_string().starts_with("100000 tags; AWS allows at most 50"), "{err}");
        // A bad tag past the 50th is not what is reported: the count is.
        let mut bad_late = fifty_one.clone();
        bad_late.push(("bad*".into(), "v".into()));
        let err = tags(bad_late.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap_err();
        assert!(err.to_string().starts_with("52 tags"), "{err}");

        assert!(group_count(11).unwrap_err().to_string().contains("at most 10 groups"));
        group_count(10).unwrap();
        assert!(managed_policy_count(11).unwrap_err().to_string().contains("At most 10 managed policies"));
        managed_policy_count(10).unwrap();

        // All of them are validation errors, which the UI shows at the field.
        assert_eq!(name(NameKind::User, "").unwrap_err().code(), crate::error::ErrorCode::InvalidInput);
    }
}
