//! Properties of the evaluation logic over generated policies ("Policy evaluation logic":
//! an explicit deny overrides any allow; an allow is only ever added to), the parser's and
//! the evaluator's refusal to panic on any input, the helpers' edge cases, and the hot
//! path's speed.

use super::conditions::{base64, date, in_cidr};
use super::matching::{glob, Kind, Pattern};
use super::*;
use proptest::prelude::*;
use std::time::Instant;

const ACTIONS: &[&str] =
    &["*", "s3:*", "s3:Get*", "s3:GetObject", "S3:PUTOBJECT", "iam:*", "ec2:?escribe*", "iam:*AccessKey*", "*:List*"];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/${aws:username}/*",
    "arn:aws:iam::*:user/${aws:username}",
    "arn:aws:iam::123456789012:user/Bob",
    "arn:aws:ec2:us-*-1:*:instance/*",
];
const CONDITIONS: &[&str] = &[
    r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#,
    r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#,
    r#"{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#,
    r#"{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#,
    r#"{"StringEquals":{"aws:PrincipalTag/team":"${aws:username}"}}"#,
    r#"{"StringNotEquals":{"aws:PrincipalTag/team":["a","b"]}}"#,
    r#"{"ForAllValues:StringLike":{"aws:TagKeys":"t*"}}"#,
    r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"team"}}"#,
    r#"{"Null":{"aws:username":"true"}}"#,
];
const REQUEST_ACTIONS: &[&str] =
    &["s3:GetObject", "s3:PutObject", "iam:CreateAccessKey", "ec2:DescribeInstances", "iam:ListUsers"];
const REQUEST_RESOURCES: &[&str] = &[
    "arn:aws:s3:::bucket/Bob/key",
    "arn:aws:s3:::bucket",
    "arn:aws:iam::123456789012:user/Bob",
    "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
    "*",
];

#[derive(Debug, Clone)]
struct Gen {
    deny: bool,
    action: usize,
    not_action: bool,
    resource: usize,
    not_resource: bool,
    condition: Option<usize>,
}

impl Gen {
    fn json(&self) -> String {
        let effect = if self.deny { "Deny" } else { "Allow" };
        let action = if self.not_action { "NotAction" } else { "Action" };
        let resource = if self.not_resource { "NotResource" } else { "Resource" };
        let condition = self.condition.map_or(String::new(), |c| format!(r#","Condition":{}"#, CONDITIONS[c]));
        format!(
            r#"{{"Effect":"{effect}","{action}":"{}","{resource}":"{}"{condition}}}"#,
            ACTIONS[self.action], RESOURCES[self.resource]
        )
    }
}

fn statement(deny: impl Strategy<Value = bool>) -> impl Strategy<Value = Gen> {
    (
        deny,
        0..ACTIONS.len(),
        prop::bool::weighted(0.2),
        0..RESOURCES.len(),
        prop::bool::weighted(0.2),
        prop::option::weighted(0.4, 0..CONDITIONS.len()),
    )
        .prop_map(|(deny, action, not_action, resource, not_resource, condition)| Gen {
            deny,
            action,
            not_action,
            resource,
            not_resource,
            condition,
        })
}

fn policy_doc(statements: &[Gen]) -> String {
    let body: Vec<String> = statements.iter().map(Gen::json).collect();
    format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, body.join(","))
}

#[derive(Debug, Clone)]
struct World {
    identity: Vec<Vec<Gen>>,
    boundary: Option<Vec<Gen>>,
    action: usize,
    resource: usize,
    context: Vec<(usize, bool)>,
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(prop::collection::vec(statement(any::<bool>()), 0..4), 0..3),
        prop::option::weighted(0.3, prop::collection::vec(statement(any::<bool>()), 0..3)),
        0..REQUEST_ACTIONS.len(),
        0..REQUEST_RESOURCES.len(),
        prop::collection::vec((0..6usize, any::<bool>()), 0..6),
    )
        .prop_map(|(identity, boundary, action, resource, context)| World {
            identity,
            boundary,
            action,
            resource,
            context,
        })
}

fn context_of(pairs: &[(usize, bool)]) -> Context {
    let mut ctx = Context::default();
    for &(key, flag) in pairs {
        let (k, v): (&str, Vec<&str>) = match key {
            0 => ("aws:username", vec![if flag { "Bob" } else { "Alice" }]),
            1 => ("aws:MultiFactorAuthPresent", vec![if flag { "true" } else { "false" }]),
            2 => ("aws:SourceIp", vec![if flag { "192.0.2.7" } else { "198.51.100.1" }]),
            3 => ("aws:PrincipalTag/team", vec![if flag { "Bob" } else { "a" }]),
            4 => ("aws:TagKeys", if flag { vec!["team", "tier"] } else { vec!["owner"] }),
            _ => ("aws:TagKeys", vec![]),
        };
        ctx.insert(k, v.into_iter().map(str::to_string).collect());
    }
    ctx
}

fn run(w: &World) -> Evaluation {
    let identity: Vec<Policy> =
        w.identity.iter().map(|s| Policy::parse(&policy_doc(s)).unwrap_or_else(|e| panic!("{e}"))).collect();
    let identity: Vec<&Policy> = identity.iter().collect();
    let boundary = w.boundary.as_ref().map(|s| Policy::parse(&policy_doc(s)).unwrap_or_else(|e| panic!("{e}")));
    let ctx = context_of(&w.context);
    let request = Request { action: REQUEST_ACTIONS[w.action], resource: REQUEST_RESOURCES[w.resource], context: &ctx };
    evaluate(&identity, boundary.as_ref(), &request)
}

/// Adds a statement to the identity policy `at` (a new policy past the end), or to the
/// boundary when `to_boundary` and there is one.
fn with(w: &World, s: Gen, at: usize, to_boundary: bool) -> World {
    let mut w = w.clone();
    match (&mut w.boundary, to_boundary) {
        (Some(b), true) => b.push(s),
        _ => match w.identity.get_mut(at) {
            Some(p) => p.push(s),
            None => w.identity.push(vec![s]),
        },
    }
    w
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    /// "An explicit deny in any of these policies overrides the allow": a Deny statement
    /// never turns a denied request into an allowed one.
    #[test]
    fn adding_a_deny_never_allows(w in world(), s in statement(Just(true)), at in 0..4usize, to_boundary in any::<bool>()) {
        let before = run(&w);
        let after = run(&with(&w, s, at, to_boundary));
        if before.decision != Decision::Allowed {
            prop_assert_ne!(after.decision, Decision::Allowed);
        }
        if before.decision == Decision::ExplicitDeny {
            prop_assert_eq!(after.decision, Decision::ExplicitDeny);
        }
    }

    /// An Allow statement never turns an allowed request into a denied one (no deny
    /// applies when the request is allowed).
    #[test]
    fn adding_an_allow_never_denies(w in world(), s in statement(Just(false)), at in 0..4usize, to_boundary in any::<bool>()) {
        let before = run(&w);
        let after = run(&with(&w, s, at, to_boundary));
        if before.decision == Decision::Allowed {
            prop_assert_eq!(after.decision, Decision::Allowed);
            prop_assert!(after.deciding.len() >= before.deciding.len());
        }
        if before.decision == Decision::ExplicitDeny {
            prop_assert_eq!(after.decision, Decision::ExplicitDeny);
        }
    }

    /// The deciding statements really are of the deciding effect, and an implicit deny's
    /// closest miss is an Allow statement.
    #[test]
    fn deciding_statements_have_the_deciding_effect(w in world()) {
        let e = run(&w);
        let statement_of = |r: &StatementRef| {
            if r.policy < w.identity.len() { w.identity[r.policy][r.statement].clone() }
            else { w.boundary.as_ref().map(|b| b[r.statement].clone()).unwrap_or_else(|| panic!("no boundary")) }
        };
        for r in &e.deciding {
            prop_assert_eq!(statement_of(r).deny, e.decision == Decision::ExplicitDeny);
        }
        if let Some(miss) = &e.closest {
            prop_assert!(!statement_of(&miss.at).deny);
            prop_assert!(!miss.reason.is_empty());
        }
    }

    /// Nothing typed panics the parser, and whatever parses evaluates without panicking.
    #[test]
    fn no_panic_on_any_document(doc in "[{}\\[\\]\":,a-zA-Z0-9*?${}/ -]{0,200}", action in "[a-z0-9:*?]{0,20}", resource in "[a-z0-9:*?/$]{0,30}") {
        if let Ok(p) = Policy::parse(&doc) {
            let ctx = Context::default();
            let _ = evaluate(&[&p], Some(&p), &Request { action: &action, resource: &resource, context: &ctx });
        }
    }

    /// Generated statements with any bytes: conditions, variables and globs never panic.
    #[test]
    fn no_panic_on_any_values(pattern in "\\PC{0,40}", value in "\\PC{0,40}", op in 0..12usize) {
        const OPS: &[&str] = &["StringLike", "StringEqualsIgnoreCase", "NumericLessThan", "DateLessThan", "Bool", "BinaryEquals", "IpAddress", "ArnLike", "Null", "ForAllValues:StringNotLike", "ForAnyValue:StringEqualsIfExists", "NotIpAddress"];
        let doc = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": pattern.clone(), "Resource": pattern.clone(),
                           "Condition": {OPS[op]: {"k": pattern.clone()}}}]
        }).to_string();
        let p = Policy::parse(&doc).map_err(TestCaseError::fail)?;
        let mut ctx = Context::default();
        ctx.insert("k", vec![value.clone()]);
        ctx.insert("aws:username", vec![value.clone()]);
        let _ = evaluate(&[&p], None, &Request { action: &value, resource: &value, context: &ctx });
    }
}

#[test]
fn parse_refuses_what_aws_rejects() {
    let bad: &[(&str, &str)] = &[
        ("", "ends"),
        ("[]", "JSON object"),
        (r#"{"Version":"2012-10-17"}"#, "no \"Statement\""),
        (r#"{"Version":"2012-10-18","Statement":[]}"#, "Version"),
        (r#"{"Version":"2012-10-17","Statement":"x"}"#, "statement object"),
        (r#"{"Version":"2012-10-17","Statement":[{"Action":"*","Resource":"*"}]}"#, "no \"Effect\""),
        (r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}"#, "Effect"),
        (r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}"#, "no \"Action\""),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}]}"#,
            "both",
        ),
        (r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*"}]}"#, "no \"Resource\""),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}]}"#,
            "both",
        ),
        (r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":1,"Resource":"*"}]}"#, "Action"),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":"*"}]}"#,
            "identity-based",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"a":"b"}}}]}"#,
            "not a condition operator",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NullIfExists":{"a":"true"}}}]}"#,
            "not a condition operator",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":{}}}}]}"#,
            "must be a string",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}]}"#,
            "twice",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Extra":1}]}"#,
            "not an element",
        ),
    ];
    for (doc, want) in bad {
        match Policy::parse(doc) {
            Ok(_) => panic!("{doc} parsed"),
            Err(e) => assert!(e.contains(want), "{doc}: {e}"),
        }
    }
}

#[test]
fn statements_keep_their_fields_and_utf16_ranges() {
    // "é😀" is 2 + 4 bytes but 1 + 2 UTF-16 units: the ranges are the editor's.
    let doc = "{\"Version\":\"2012-10-17\",\"Id\":\"é😀\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\",\"sts:*\"],\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":true}}},\n  {\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::b/*\"}]}";
    let p = Policy::parse(doc).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.statements.len(), 2);
    let (a, b) = (&p.statements[0], &p.statements[1]);
    assert_eq!(a.sid.as_deref(), Some("A"));
    assert_eq!(a.effect, Effect::Allow);
    assert_eq!(a.actions, ["iam:*", "sts:*"]);
    assert!(a.not_action && !a.not_resource && a.conditional);
    assert_eq!(b.effect, Effect::Deny);
    assert_eq!(b.resources, ["arn:aws:s3:::b/*"]);
    assert!(!b.not_action && b.not_resource && !b.conditional && b.sid.is_none());
    let units: Vec<u16> = doc.encode_utf16().collect();
    let text = |s: &Statement| String::from_utf16_lossy(&units[s.from as usize..s.to as usize]);
    assert!(text(a).starts_with("{\"Sid\":\"A\"") && text(a).ends_with("true}}}"), "{}", text(a));
    assert_eq!(text(b), "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::b/*\"}");
}

#[test]
fn dates_as_aws_writes_them() {
    assert_eq!(date("1970-01-01T00:00:00Z"), Some(0.0));
    assert_eq!(date("2020-06-30"), Some(1_593_475_200.0));
    assert_eq!(date("2020-06-30T00:00:00Z"), Some(1_593_475_200.0));
    assert_eq!(date("2020-06-30T02:00:00+02:00"), Some(1_593_475_200.0));
    assert_eq!(date("2020-06-29T19:00:00-0500"), Some(1_593_475_200.0));
    assert_eq!(date("2020-06-30T00:00Z"), Some(1_593_475_200.0));
    assert_eq!(date("1593475200"), Some(1_593_475_200.0));
    assert_eq!(date("2000-02-29T12:00:00.5Z"), Some(951_825_600.5));
    assert_eq!(date("2020-06-30t00:00:00z"), Some(1_593_475_200.0));
    assert_eq!(date("2020-06-30T00:00:00"), Some(1_593_475_200.0), "no offset: UTC");
    for bad in
        ["", "-", "2020-13-01", "2020-06-30T25:00:00Z", "2020/06/30", "2020-06-30Tx", "2020-06-30T00:00:00Q", "é"]
    {
        assert_eq!(date(bad), None, "{bad}");
    }
    // Issue 20: days that do not exist, which the hand-written reader took.
    for impossible in ["2019-02-31", "2019-02-29", "2019-04-31T00:00:00Z", "2019-02-30T12:00:00+02:00"] {
        assert_eq!(date(impossible), None, "{impossible}");
    }
    assert_eq!(date("2020-02-29"), Some(1_582_934_400.0), "a leap day is a day");
}

#[test]
fn base64_is_read_strictly() {
    assert_eq!(base64("QmluYXJ5VmFsdWVJbkJhc2U2NA==").as_deref(), Some(&b"BinaryValueInBase64"[..]));
    assert_eq!(base64(" QQ== ").as_deref(), Some(&b"A"[..]));
    // Issue 20: trailing junk after the padding, which the hand-written reader ignored.
    for bad in ["QQ==junk", "QQ=", "Q", "QQ==QQ==", "Q Q==", "QQ#="] {
        assert_eq!(base64(bad), None, "{bad}");
    }
}

#[test]
fn cidr_edges() {
    assert!(in_cidr("10.0.0.1", "0.0.0.0/0"));
    assert!(in_cidr("10.0.0.1", "10.0.0.1/32"));
    assert!(!in_cidr("10.0.0.2", "10.0.0.1/32"));
    assert!(in_cidr("::1", "::/0"));
    assert!(in_cidr("2001:db8::ff", "2001:DB8::/120"));
    assert!(!in_cidr("10.0.0.1", "10.0.0.0/33"));
    assert!(!in_cidr("not an ip", "10.0.0.0/8"));
    assert!(!in_cidr("10.0.0.1", "10.0.0.0/x"));
}

#[test]
fn glob_edges() {
    let value = |p: &str| Pattern::new(p, Kind::Value, false);
    let ctx = Context::default();
    let m = |p: &str, t: &str| glob(&value(p).tokens(&ctx).unwrap_or_default(), t, false);
    assert!(m("", ""));
    assert!(m("*", ""));
    assert!(!m("?", ""));
    assert!(m("?", "é"), "? is one character, not one byte");
    assert!(m("a?c", "a😀c"));
    assert!(m("*a*b*c*", "xxaxxbxxcxx"));
    assert!(!m("*a*b*c*", "xxcxxbxxaxx"));
    assert!(m("a**b", "ab"));
    let res =
        |p: &str, t: &str| glob(&Pattern::new(p, Kind::Resource, false).tokens(&ctx).unwrap_or_default(), t, false);
    assert!(res("*", "arn:aws:s3:::b/k"));
    assert!(res("arn:*:s3:::b/*", "arn:aws:s3:::b/k"));
    assert!(!res("arn:aws:s3:::a?b", "arn:aws:s3:::a:b"), "? stays inside its segment");
    assert!(res("arn:aws:s3:::a*b*", "arn:aws:s3:::axb:c"));
    let action =
        |p: &str, t: &str| glob(&Pattern::new(p, Kind::Action, false).tokens(&ctx).unwrap_or_default(), t, true);
    assert!(action("S3:Get*", "s3:gEtObJeCt"));
    assert!(!action("s3:Get", "s3:GetObject"));
}

/// The access module asks one question of 5,000 principals with several policies each;
/// parsing happens once, so evaluation must stay allocation-free and quick. In a debug
/// build this prints the time; the bound is loose enough for a busy machine.
#[test]
fn five_thousand_principals_quickly() {
    let docs = [
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"]},{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"arn:aws:iam::*:user/${aws:username}"},{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]}}}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}]}"#,
    ];
    let policies: Vec<Policy> = docs.iter().map(|d| Policy::parse(d).unwrap_or_else(|e| panic!("{e}"))).collect();
    let identity: Vec<&Policy> = policies.iter().collect();
    let mut ctx = Context::default();
    ctx.insert("aws:username", vec!["Bob".into()]);
    ctx.insert("aws:MultiFactorAuthPresent", vec!["true".into()]);
    ctx.insert("aws:SourceIp", vec!["203.0.113.9".into()]);
    let request = Request { action: "s3:DeleteBucket", resource: "arn:aws:s3:::logs", context: &ctx };
    let start = Instant::now();
    let mut allowed = 0;
    for _ in 0..5_000 {
        allowed += usize::from(evaluate(&identity, None, &request).decision == Decision::Allowed);
    }
    let elapsed = start.elapsed();
    eprintln!("5,000 allowed evaluations of {} policies: {elapsed:?}", identity.len());
    assert_eq!(allowed, 5_000);
    assert!(elapsed.as_secs() < 5, "{elapsed:?}");

    // An implicit deny looks for the closest miss too: the common answer for most users.
    let request = Request { action: "iam:CreateUser", resource: "arn:aws:iam::123456789012:user/new", context: &ctx };
    let start = Instant::now();
    let mut closest = 0;
    for _ in 0..5_000 {
        let e = evaluate(&identity, None, &request);
        closest += usize::from(e.decision == Decision::ImplicitDeny && e.closest.is_some());
    }
    let elapsed = start.elapsed();
    eprintln!("5,000 implicitly denied evaluations with the closest miss: {elapsed:?}");
    assert_eq!(closest, 5_000);
    assert!(elapsed.as_secs() < 5, "{elapsed:?}");
}

#[test]
fn out_of_scope_names_what_is_not_evaluated() {
    for what in ["resource-based policies", "SCPs", "RCPs", "session policies", "trust policy"] {
        assert!(OUT_OF_SCOPE.contains(what), "{what}");
    }
}
