//! Table-driven cases: each names the findings it expects, by code and by the text they
//! cover, and the test asserts exactly those (codes and UTF-16 ranges), no more, no fewer.
//! The "AWS:" cases are the example policies of AWS's IAM JSON policy element reference
//! (Version, Id, Statement, Sid, Effect, Principal, NotPrincipal, Action, NotAction,
//! Resource, NotResource, Condition and condition operators), completed into whole policies
//! where the page shows a fragment.

use super::*;
use PolicyKind::{GroupInline, Managed, RoleInline, Trust, UserInline};

/// A case: its name, the kind of policy, the document, and the findings it must give
/// (code, and the text it covers as `range` finds it).
type Case = (&'static str, PolicyKind, String, &'static [(&'static str, &'static str)]);

/// A policy of the given statements.
fn p(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

/// Where `needle` is in `doc`, in UTF-16 units: `text#2` is the second occurrence, `^text`
/// means only its first character (a finding about something missing points there),
/// `context >> text` the first `text` after `context`, `@N` from offset N to the end, and
/// `$END` the empty range at the end.
fn range(doc: &str, needle: &str) -> (u32, u32) {
    let u16 = |s: &str| s.encode_utf16().count() as u32;
    if let Some(n) = needle.strip_prefix('@') {
        return (n.parse().unwrap(), u16(doc));
    }
    if let Some((context, text)) = needle.split_once(" >> ") {
        let after = doc.find(context).unwrap_or_else(|| panic!("{context:?} not in {doc}"));
        let at = after + doc[after..].find(text).unwrap();
        return (u16(&doc[..at]), u16(&doc[..at]) + u16(text));
    }
    let (first_char, needle) = match needle.strip_prefix('^') {
        Some(n) => (true, n),
        None => (false, needle),
    };
    let (needle, nth) = match needle.rsplit_once('#') {
        Some((n, k)) if k.chars().all(|c| c.is_ascii_digit()) && !k.is_empty() => (n, k.parse::<usize>().unwrap()),
        _ => (needle, 1),
    };
    let at = if needle == "$END" {
        doc.len()
    } else {
        doc.match_indices(needle).nth(nth - 1).unwrap_or_else(|| panic!("{needle:?} #{nth} not in {doc}")).0
    };
    let from = u16(&doc[..at]);
    let len = if needle == "$END" {
        0
    } else if first_char {
        u16(&needle[..needle.chars().next().unwrap().len_utf8()])
    } else {
        u16(needle)
    };
    (from, from + len)
}

fn run(cases: &[Case]) {
    let mut failures = Vec::new();
    for (name, kind, doc, expected) in cases {
        let v = validate(doc, *kind);
        let mut got: Vec<(String, u32, u32)> = v.findings.iter().map(|f| (f.code.clone(), f.from, f.to)).collect();
        let mut want: Vec<(String, u32, u32)> = expected
            .iter()
            .map(|(code, needle)| {
                let (from, to) = range(doc, needle);
                (code.to_string(), from, to)
            })
            .collect();
        got.sort();
        want.sort();
        if got != want {
            failures.push(format!("{name}:\n  doc  {doc}\n  want {want:?}\n  got  {got:?}\n  {:#?}", v.findings));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn aws_reference_examples() {
    let cases: Vec<Case> = vec![
        (
            "AWS: Version",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}"#),
            &[],
        ),
        (
            "AWS: Id",
            Managed,
            r#"{"Version":"2012-10-17","Id":"cd3ad3d9-2776-4ef1-a904-4c229d1642ee","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#.into(),
            &[],
        ),
        (
            "AWS: Statement (home folders with ${aws:username})",
            Managed,
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:ListBucket"],
      "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket"],
      "Condition": {"StringLike": {"s3:prefix": ["${aws:username}/*"]}}
    },
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": ["arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*"]
    }
  ]
}"#
            .into(),
            &[],
        ),
        (
            "AWS: Sid",
            Managed,
            p(r#"{"Sid":"1","Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}"#),
            &[],
        ),
        (
            "AWS: Effect",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"*"}"#),
            &[("WRITE_ON_ALL_RESOURCES", r#""iam:ChangePassword""#)],
        ),
        (
            "AWS: Principal, an account",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}"#),
            &[],
        ),
        (
            "AWS: Principal, an account by id",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}"#),
            &[],
        ),
        (
            "AWS: Principal, several accounts",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","999999999999"]},"Action":"sts:AssumeRole"}"#),
            &[],
        ),
        (
            "AWS: Principal, a role",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::AWS-account-ID:role/role-name"},"Action":"sts:AssumeRole"}"#),
            &[],
        ),
        (
            "AWS: Principal, an assumed-role session",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::AWS-account-ID:assumed-role/role-name/role-session-name"},"Action":"sts:AssumeRole"}"#),
            &[],
        ),
        (
            "AWS: Principal, a user",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::AWS-account-ID:user/user-name"},"Action":"sts:AssumeRole"}"#),
            &[],
        ),
        (
            "AWS: Principal, web identity (Cognito)",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-2:12345678-abcd-abcd-abcd-123456789012"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"unauthenticated"}}}"#),
            &[],
        ),
        (
            "AWS: Principal, SAML",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::AWS-account-ID:saml-provider/provider-name"},"Action":"sts:AssumeRoleWithSAML","Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}"#),
            &[],
        ),
        (
            "AWS: Principal, services",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"Service":["ecs.amazonaws.com","elasticloadbalancing.amazonaws.com"]},"Action":"sts:AssumeRole"}"#),
            &[],
        ),
        (
            "AWS: Principal, canonical user",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"sts:AssumeRole"}"#),
            &[],
        ),
        (
            "AWS: Principal, everyone (\"*\")",
            Trust,
            p(r#"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}"#),
            &[("TRUST_ANY_PRINCIPAL", r#""*""#)],
        ),
        (
            "AWS: Principal, everyone ({\"AWS\": \"*\"})",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}"#),
            &[("TRUST_ANY_PRINCIPAL", r#""*""#)],
        ),
        (
            "AWS: Principal \"*\" limited by a Condition",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#),
            &[],
        ),
        (
            "AWS: NotPrincipal with Deny (a bucket policy: not an IAM document)",
            Trust,
            p(r#"{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::444455556666:user/Bob","arn:aws:iam::444455556666:root"]},"Action":"s3:*","Resource":["arn:aws:s3:::BUCKETNAME","arn:aws:s3:::BUCKETNAME/*"]}"#),
            &[("RESOURCE_IN_TRUST_POLICY", r#""Resource""#), ("TRUST_ACTION_NOT_STS", r#""s3:*""#)],
        ),
        (
            "AWS: Action, one",
            Managed,
            p(r#"{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"arn:aws:ec2:us-east-1:123456789012:instance/*"}"#),
            &[],
        ),
        (
            "AWS: Action, several services",
            Managed,
            p(r#"{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage","ec2:StartInstances","iam:ChangePassword","s3:GetObject"],"Resource":"*"}"#),
            &[("WRITE_ON_ALL_RESOURCES", r#""sqs:SendMessage""#), ("WRITE_ON_ALL_RESOURCES", r#""ec2:StartInstances""#), ("WRITE_ON_ALL_RESOURCES", r#""iam:ChangePassword""#)],
        ),
        (
            "AWS: Action, a service's every action",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}"#),
            &[],
        ),
        (
            "AWS: Action, wildcard in the middle (iam:*AccessKey*) on the user's own keys",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"arn:aws:iam::account-ID-without-hyphens:user/${aws:username}"}"#),
            &[],
        ),
        (
            "AWS: NotAction with Allow, scoped to S3",
            Managed,
            p(r#"{"Effect":"Allow","NotAction":"s3:DeleteBucket","Resource":"arn:aws:s3:::*"}"#),
            &[("ALLOW_WITH_NOTACTION", r#""NotAction""#)],
        ),
        (
            "AWS: NotAction with Allow, everything but IAM",
            Managed,
            p(r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#),
            &[("ALLOW_WITH_NOTACTION", r#""NotAction""#)],
        ),
        (
            "AWS: NotAction with Deny (DenyAllUsersNotUsingMFA)",
            Managed,
            p(r#"{"Sid":"DenyAllUsersNotUsingMFA","Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#),
            &[],
        ),
        (
            "AWS: Resource, an SQS queue",
            Managed,
            p(r#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-2:account-ID-without-hyphens:queue1"}"#),
            &[],
        ),
        (
            "AWS: Resource, wildcard users",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/*"}"#),
            &[],
        ),
        (
            "AWS: Resource, several DynamoDB tables",
            Managed,
            p(r#"{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem"],"Resource":["arn:aws:dynamodb:us-east-2:account-ID-without-hyphens:table/books_table","arn:aws:dynamodb:us-east-2:account-ID-without-hyphens:table/magazines_table"]}"#),
            &[],
        ),
        (
            "AWS: Resource, policy variable",
            Managed,
            p(r#"{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-east-2:account-ID-without-hyphens:table/${aws:username}"}"#),
            &[],
        ),
        (
            "AWS: NotResource with Allow",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}"#),
            &[("ALLOW_WITH_NOTRESOURCE", r#""NotResource""#)],
        ),
        (
            "AWS: NotResource with Deny",
            Managed,
            p(r#"{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}"#),
            &[],
        ),
        (
            "AWS: Condition, aws:username",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:username":"johndoe"}}}"#),
            &[],
        ),
        (
            "AWS: Condition, a principal tag",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}}"#),
            &[],
        ),
        (
            "AWS: Condition, s3:prefix",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringLike":{"s3:prefix":["janedoe/*"]}}}"#),
            &[],
        ),
        (
            "AWS: Condition, IpAddress with IPv4 and IPv6",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"arn:aws:iam::account-id:user/*","Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:DB8:1234:5678::/64"]}}}"#),
            &[],
        ),
        (
            "AWS: Condition, a time window and addresses",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2019-07-16T12:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2019-07-16T15:00:00Z"},"IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}}"#),
            &[],
        ),
        (
            "AWS: Condition, NumericLessThanEquals s3:max-keys",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"NumericLessThanEquals":{"s3:max-keys":"10"}}}"#),
            &[],
        ),
        (
            "AWS: Condition, Bool aws:SecureTransport",
            Managed,
            p(r#"{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#),
            &[],
        ),
        (
            "AWS: Condition, Null aws:TokenIssueTime",
            Managed,
            p(r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Null":{"aws:TokenIssueTime":"true"}}}"#),
            &[],
        ),
        (
            "AWS: Condition, ArnEquals aws:SourceArn",
            Managed,
            p(r#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:REGION:123456789012:QUEUE-ID","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:REGION:123456789012:TOPIC-ID"}}}"#),
            &[],
        ),
        (
            "AWS: Condition, ForAllValues:StringEquals aws:TagKeys",
            Managed,
            p(r#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}}"#),
            &[],
        ),
        (
            "AWS: Condition, StringEqualsIfExists ec2:InstanceType",
            Managed,
            p(r#"{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEqualsIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}}"#),
            &[],
        ),
        (
            "AWS: Condition, a number as a JSON number and a boolean as a JSON boolean",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"NumericLessThanEquals":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true}}}"#),
            &[],
        ),
        (
            "AWS: Principal, web identity (Google)",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:aud":"66677788899900pro0"}}}"#),
            &[],
        ),
        (
            "AWS: Principal, federated user session",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::AWS-account-ID:federated-user/user-name"},"Action":"sts:AssumeRole"}"#),
            &[],
        ),
        (
            "AWS: Principal, a service with session tags",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}"#),
            &[],
        ),
        (
            "AWS: NotAction with Deny, MFA self-management",
            Managed,
            p(r#"{"Sid":"BlockMostAccessUnlessSignedInWithMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#),
            &[],
        ),
        (
            "AWS: Resource, users of any account",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}"#),
            &[],
        ),
        (
            "AWS: Condition, several values of one key",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/department":["finance","hr","legal"]}}}"#),
            &[],
        ),
        (
            "AWS: Condition, several keys under one operator",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/department":"finance","aws:PrincipalTag/role":"audit"}}}"#),
            &[],
        ),
        (
            "AWS: Condition operators, StringLike on home folders",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/"]}}}"#),
            &[],
        ),
        (
            "AWS: Condition operators, DateLessThan with IfExists",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"DateLessThanIfExists":{"aws:TokenIssueTime":"2020-01-01T00:00:01Z"}}}"#),
            &[],
        ),
        (
            "AWS: Condition operators, BinaryEquals",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Condition":{"BinaryEquals":{"aws:SomeBinaryKey":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}}"#),
            &[],
        ),
        (
            "AWS: Condition operators, NotIpAddress",
            Managed,
            p(r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}}"#),
            &[],
        ),
        (
            "AWS: Condition operators, ArnLike aws:SourceArn",
            Managed,
            p(r#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:REGION:123456789012:QUEUE-ID","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:REGION:123456789012:*"}}}"#),
            &[],
        ),
        (
            "AWS: Condition operators, ForAnyValue:StringLike",
            Managed,
            p(r#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":"key1*"}}}"#),
            &[],
        ),
        (
            "AWS: Condition, aws:RequestedRegion",
            Managed,
            p(r#"{"Effect":"Deny","NotAction":["iam:*","sts:*","organizations:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-west-1"]}}}"#),
            &[],
        ),
        (
            "AWS: the old 2008-10-17 version",
            Managed,
            r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#.into(),
            &[("OLD_VERSION", r#""2008-10-17""#)],
        ),
        (
            "AWS: a single statement object instead of an array",
            RoleInline,
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}}"#.into(),
            &[],
        ),
    ];
    run(&cases);
}

/// An Allow statement on one bucket's objects, with `extra` members added.
fn s3(extra: &str) -> String {
    p(&format!(r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"{extra}}}"#))
}

#[test]
fn errors() {
    let big =
        p(&format!(r#"{{"Sid":"{}","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#, "A".repeat(2100)));
    let cases: Vec<Case> = vec![
        ("empty document", Managed, String::new(), &[("JSON_SYNTAX", "$END")]),
        ("only whitespace", Managed, "  \n ".into(), &[("JSON_SYNTAX", "$END")]),
        ("not closed", Managed, r#"{"Version":"2012-10-17""#.into(), &[("JSON_SYNTAX", "$END")]),
        ("trailing comma", Managed, r#"{"Version":"2012-10-17",}"#.into(), &[("JSON_SYNTAX", "}")]),
        ("single quotes", Managed, r#"{'Version':'2012-10-17'}"#.into(), &[("JSON_SYNTAX", "'#1")]),
        ("missing colon", Managed, r#"{"Version" "2012-10-17"}"#.into(), &[("JSON_SYNTAX", r#"^"2012-10-17""#)]),
        ("text after the policy", Managed, format!("{} x", s3("")), &[("JSON_SYNTAX", "x")]),
        ("bare word", Managed, p(r#"{"Effect":Allow}"#), &[("JSON_SYNTAX", "A")]),
        ("a line break inside a string", Managed, "{\"Version\":\"2012-\n10-17\"}".into(), &[("JSON_SYNTAX", "\n")]),
        (
            "a typo in an action is still found while the syntax is broken",
            Managed,
            "{\"Version\": \"2012-10-17\", \"Statement\": [\n{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjet\", \"Resource\": \"*\"}\n{\"Effect\": \"Allow\", \"Action\": [\"s3:ListBucket\", \"ec2:DescribeInstancez\"], \"Resource\": \"*\"}\n]}".into(),
            &[
                ("UNKNOWN_ACTION", r#""s3:GetObjet""#),
                ("JSON_SYNTAX", "{#3"),
                ("UNKNOWN_ACTION", r#""ec2:DescribeInstancez""#),
            ],
        ),
        (
            "broken syntax: an escaped or unterminated action string is left alone",
            Managed,
            "{\"Statement\": [{\"Action\": \"s3:Get\\u004fbjet\", \"NotAction\": \"s3:Nope".into(),
            &[("JSON_SYNTAX", "$END")],
        ),
        ("an array, not an object", Managed, "[]".into(), &[("POLICY_SHAPE", "[]")]),
        ("a string, not an object", Managed, r#""policy""#.into(), &[("POLICY_SHAPE", r#""policy""#)]),
        (
            "missing Version",
            Managed,
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#.into(),
            &[("MISSING_VERSION", "^{\"Statement\"")],
        ),
        (
            "Version a date of one's own",
            Managed,
            r#"{"Version":"2024-01-01","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#.into(),
            &[("INVALID_VERSION", r#""2024-01-01""#)],
        ),
        (
            "Version a number",
            Managed,
            r#"{"Version":2012,"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#.into(),
            &[("INVALID_VERSION", "2012")],
        ),
        ("Id a number", Managed, r#"{"Version":"2012-10-17","Id":7,"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#.into(), &[("INVALID_ID", "7#2")]),
        ("missing Statement", Managed, r#"{"Version":"2012-10-17"}"#.into(), &[("MISSING_STATEMENT", "^{")]),
        ("empty Statement", Managed, r#"{"Version":"2012-10-17","Statement":[]}"#.into(), &[("STATEMENT_SHAPE", "[]")]),
        ("Statement a string", Managed, r#"{"Version":"2012-10-17","Statement":"Allow"}"#.into(), &[("STATEMENT_SHAPE", r#""Allow""#)]),
        ("a statement that is a string", Managed, p(r#""s3:GetObject""#), &[("STATEMENT_SHAPE", r#""s3:GetObject""#)]),
        (
            "unknown top-level element",
            Managed,
            r#"{"Version":"2012-10-17","Statment":[],"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#.into(),
            &[("UNKNOWN_ELEMENT", r#""Statment""#)],
        ),
        (
            "duplicate top-level key",
            Managed,
            r#"{"Version":"2012-10-17","Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#.into(),
            &[("DUPLICATE_KEY", "\"Version\"#2")],
        ),
        ("unknown statement element", Managed, s3(r#","Actions":"s3:PutObject""#), &[("UNKNOWN_ELEMENT", r#""Actions""#)]),
        ("duplicate statement key", Managed, s3(r#","Effect":"Deny""#), &[("DUPLICATE_KEY", "\"Effect\"#2")]),
        (
            "duplicate Sid",
            Managed,
            p(r#"{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Sid":"Read","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}"#),
            &[("DUPLICATE_SID", "\"Read\"#2")],
        ),
        (
            "empty Sids are not duplicates",
            Managed,
            p(r#"{"Sid":"","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Sid":"","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}"#),
            &[],
        ),
        ("Sid with a space", Managed, s3(r#","Sid":"Read objects""#), &[("INVALID_SID", r#""Read objects""#)]),
        ("Sid a number", Managed, s3(r#","Sid":1"#), &[("INVALID_SID", "\"Sid\": >> 1")]),
        ("missing Effect", Managed, p(r#"{"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#), &[("MISSING_EFFECT", "^{\"Action\"")]),
        ("Effect lower-case", Managed, p(r#"{"Effect":"allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#), &[("INVALID_EFFECT", r#""allow""#)]),
        ("Effect Permit", Managed, p(r#"{"Effect":"Permit","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#), &[("INVALID_EFFECT", r#""Permit""#)]),
        ("Effect an array", Managed, p(r#"{"Effect":["Allow"],"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#), &[("INVALID_EFFECT", r#"["Allow"]"#)]),
        ("missing Action", Managed, p(r#"{"Effect":"Allow","Resource":"arn:aws:s3:::b/*"}"#), &[("MISSING_ACTION", "^{\"Effect\"")]),
        ("Action and NotAction", Managed, s3(r#","NotAction":"s3:PutObject""#), &[("ACTION_AND_NOTACTION", r#""NotAction""#), ("ALLOW_WITH_NOTACTION", r#""NotAction""#)]),
        ("Action empty array", Managed, p(r#"{"Effect":"Allow","Action":[],"Resource":"arn:aws:s3:::b/*"}"#), &[("ACTION_SHAPE", "[]")]),
        ("Action an object", Managed, p(r#"{"Effect":"Allow","Action":{"s3":"GetObject"},"Resource":"arn:aws:s3:::b/*"}"#), &[("ACTION_SHAPE", r#"{"s3":"GetObject"}"#)]),
        ("Action array with a number", Managed, p(r#"{"Effect":"Allow","Action":["s3:GetObject",3],"Resource":"arn:aws:s3:::b/*"}"#), &[("ACTION_SHAPE", r#"["s3:GetObject",3]"#)]),
        ("action without a service", Managed, p(r#"{"Effect":"Allow","Action":"GetObject","Resource":"arn:aws:s3:::b/*"}"#), &[("MALFORMED_ACTION", r#""GetObject""#)]),
        ("action with a space", Managed, p(r#"{"Effect":"Allow","Action":"s3:Get Object","Resource":"arn:aws:s3:::b/*"}"#), &[("MALFORMED_ACTION", r#""s3:Get Object""#)]),
        ("action with an empty name", Managed, p(r#"{"Effect":"Allow","Action":"s3:","Resource":"arn:aws:s3:::b/*"}"#), &[("MALFORMED_ACTION", r#""s3:""#)]),
        ("wildcard in the service", Managed, p(r#"{"Effect":"Deny","Action":"s*:GetObject","Resource":"arn:aws:s3:::b/*"}"#), &[("MALFORMED_ACTION", r#""s*:GetObject""#)]),
        ("missing Resource", Managed, p(r#"{"Effect":"Allow","Action":"s3:GetObject"}"#), &[("MISSING_RESOURCE", "^{\"Effect\"")]),
        ("Resource and NotResource", Managed, s3(r#","NotResource":"arn:aws:s3:::c/*""#), &[("RESOURCE_AND_NOTRESOURCE", r#""NotResource""#), ("ALLOW_WITH_NOTRESOURCE", r#""NotResource""#)]),
        ("Resource not an ARN", Managed, p(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"my-bucket/*"}"#), &[("MALFORMED_RESOURCE", r#""my-bucket/*""#)]),
        ("Resource a short ARN", Managed, p(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:b"}"#), &[("MALFORMED_RESOURCE", r#""arn:aws:s3:b""#)]),
        ("Resource a number", Managed, p(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":5}"#), &[("RESOURCE_SHAPE", "\"Resource\": >> 5")]),
        ("Principal in a managed policy", Managed, s3(r#","Principal":{"AWS":"123456789012"}"#), &[("PRINCIPAL_IN_IDENTITY_POLICY", r#""Principal""#)]),
        ("NotPrincipal in an inline policy", UserInline, s3(r#","NotPrincipal":"*""#), &[("PRINCIPAL_IN_IDENTITY_POLICY", r#""NotPrincipal""#)]),
        ("trust policy without Principal", Trust, p(r#"{"Effect":"Allow","Action":"sts:AssumeRole"}"#), &[("MISSING_PRINCIPAL", "^{\"Effect\"")]),
        ("trust policy without Action", Trust, p(r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"}}"#), &[("MISSING_ACTION", "^{\"Effect\"")]),
        ("trust policy with Resource", Trust, p(r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}"#), &[("RESOURCE_IN_TRUST_POLICY", r#""Resource""#)]),
        ("Principal and NotPrincipal", Trust, p(r#"{"Effect":"Deny","Principal":{"AWS":"123456789012"},"NotPrincipal":{"AWS":"210987654321"},"Action":"sts:AssumeRole"}"#), &[("PRINCIPAL_AND_NOTPRINCIPAL", r#""NotPrincipal""#)]),
        ("unknown principal type", Trust, p(r#"{"Effect":"Allow","Principal":{"Account":"123456789012"},"Action":"sts:AssumeRole"}"#), &[("PRINCIPAL_SHAPE", r#""Account""#)]),
        ("principal a plain string", Trust, p(r#"{"Effect":"Allow","Principal":"123456789012","Action":"sts:AssumeRole"}"#), &[("PRINCIPAL_SHAPE", r#""123456789012""#)]),
        ("principal value a number", Trust, p(r#"{"Effect":"Allow","Principal":{"AWS":123456789012},"Action":"sts:AssumeRole"}"#), &[("PRINCIPAL_SHAPE", "123456789012")]),
        ("principal empty", Trust, p(r#"{"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"}"#), &[("PRINCIPAL_SHAPE", "{}")]),
        ("Condition an array", Managed, s3(r#","Condition":[]"#), &[("CONDITION_SHAPE", "[]")]),
        ("Condition operator with a string", Managed, s3(r#","Condition":{"StringEquals":"x"}"#), &[("CONDITION_SHAPE", r#""x""#)]),
        ("Condition operator empty", Managed, s3(r#","Condition":{"StringEquals":{}}"#), &[("CONDITION_SHAPE", "{}")]),
        ("Condition value an object", Managed, s3(r#","Condition":{"StringEquals":{"aws:username":{"a":1}}}"#), &[("CONDITION_SHAPE", r#"{"a":1}"#)]),
        ("Condition value an array of arrays", Managed, s3(r#","Condition":{"StringEquals":{"aws:username":[["a"]]}}"#), &[("CONDITION_SHAPE", r#"[["a"]]"#)]),
        ("Condition value null", Managed, s3(r#","Condition":{"StringEquals":{"aws:username":null}}"#), &[("CONDITION_SHAPE", "null")]),
        ("unknown operator", Managed, s3(r#","Condition":{"StringEqual":{"aws:username":"a"}}"#), &[("UNKNOWN_CONDITION_OPERATOR", r#""StringEqual""#)]),
        ("operator in the wrong case", Managed, s3(r#","Condition":{"stringequals":{"aws:username":"a"}}"#), &[("UNKNOWN_CONDITION_OPERATOR", r#""stringequals""#)]),
        ("Null with IfExists", Managed, s3(r#","Condition":{"NullIfExists":{"aws:username":"true"}}"#), &[("UNKNOWN_CONDITION_OPERATOR", r#""NullIfExists""#)]),
        ("unknown set prefix", Managed, s3(r#","Condition":{"ForSomeValues:StringEquals":{"aws:TagKeys":"a"}}"#), &[("UNKNOWN_CONDITION_OPERATOR", r#""ForSomeValues:StringEquals""#)]),
        ("duplicate operator", Managed, s3(r#","Condition":{"StringEquals":{"aws:username":"a"},"StringEquals":{"aws:username":"b"}}"#), &[("DUPLICATE_KEY", "\"StringEquals\"#2")]),
        ("managed policy too large", Managed, p(&format!(r#"{{"Sid":"{}","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#, "A".repeat(6100))), &[("POLICY_TOO_LARGE", "@6144")]),
        ("user inline too large", UserInline, big.clone(), &[("POLICY_TOO_LARGE", "@2048")]),
        ("group inline fits what a user's does not", GroupInline, big.clone(), &[]),
        ("trust too large", Trust, format!(r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"{}","Effect":"Allow","Principal":{{"Service":"ec2.amazonaws.com"}},"Action":"sts:AssumeRole"}}]}}"#, "A".repeat(2048)), &[("POLICY_TOO_LARGE", "@2048")]),
    ];
    run(&cases);
}

#[test]
fn warnings_and_suggestions() {
    let cases: Vec<Case> = vec![
        (
            "Allow *",
            Managed,
            p(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#),
            &[("ALLOW_ALL_ACTIONS", r#""*""#)],
        ),
        ("Deny * is fine", Managed, p(r#"{"Effect":"Deny","Action":"*","Resource":"*"}"#), &[]),
        (
            "Allow * on one bucket",
            Managed,
            p(r#"{"Effect":"Allow","Action":["*"],"Resource":"arn:aws:s3:::b"}"#),
            &[("ALLOW_ALL_ACTIONS", "\"*\"#1")],
        ),
        (
            "PassRole on *",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#),
            &[("PASSROLE_ON_ALL", r#""iam:PassRole""#)],
        ),
        (
            "iam:Pass* on *",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:Pass*","Resource":"*"}"#),
            &[("PASSROLE_ON_ALL", r#""iam:Pass*""#), ("NARROWABLE_WILDCARD", r#""iam:Pass*""#)],
        ),
        (
            "iam:* on *",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#),
            &[("PASSROLE_ON_ALL", r#""iam:*""#)],
        ),
        (
            "PassRole on named roles",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/app-*"}"#),
            &[],
        ),
        (
            "write on *",
            RoleInline,
            p(r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}"#),
            &[("WRITE_ON_ALL_RESOURCES", r#""s3:PutObject""#)],
        ),
        (
            "permissions management on *",
            Managed,
            p(r#"{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*"}"#),
            &[("WRITE_ON_ALL_RESOURCES", r#""iam:AttachUserPolicy""#)],
        ),
        (
            "read on * is not flagged",
            Managed,
            p(r#"{"Effect":"Allow","Action":["s3:GetObject","ec2:DescribeInstances"],"Resource":"*"}"#),
            &[],
        ),
        (
            "a write action that takes only * is not flagged",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s3:CreateJob","Resource":"*"}"#),
            &[],
        ),
        ("write on * denied is fine", Managed, p(r#"{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}"#), &[]),
        (
            "NotAction with Deny is fine",
            Managed,
            p(r#"{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#),
            &[],
        ),
        (
            "unknown action, with a suggestion",
            Managed,
            s3("").replace("s3:GetObject", "s3:GetObjet"),
            &[("UNKNOWN_ACTION", r#""s3:GetObjet""#)],
        ),
        (
            "unknown action in NotAction",
            Managed,
            p(r#"{"Effect":"Deny","NotAction":"iam:CreateUsr","Resource":"*"}"#),
            &[("UNKNOWN_ACTION", r#""iam:CreateUsr""#)],
        ),
        (
            "wildcard matching nothing",
            Managed,
            p(r#"{"Effect":"Allow","Action":"ec2:*Instnce*","Resource":"*"}"#),
            &[("UNKNOWN_ACTION", r#""ec2:*Instnce*""#)],
        ),
        (
            "unknown service",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s4:GetObject","Resource":"*"}"#),
            &[("UNKNOWN_SERVICE", r#""s4:GetObject""#)],
        ),
        (
            "action names are case-insensitive",
            Managed,
            p(r#"{"Effect":"Allow","Action":"S3:getobject","Resource":"arn:aws:s3:::b/*"}"#),
            &[],
        ),
        (
            "unknown condition key of a service",
            Managed,
            s3(r#","Condition":{"StringEquals":{"s3:prefixx":"a"}}"#),
            &[("UNKNOWN_CONDITION_KEY", r#""s3:prefixx""#)],
        ),
        (
            "a condition key without a service",
            Managed,
            s3(r#","Condition":{"StringEquals":{"username":"a"}}"#),
            &[("UNKNOWN_CONDITION_KEY", r#""username""#)],
        ),
        ("global keys are always known", Managed, s3(r#","Condition":{"StringEquals":{"aws:SomethingNew":"a"}}"#), &[]),
        (
            "tag keys with a placeholder",
            Managed,
            p(
                r#"{"Effect":"Allow","Action":"ec2:StartInstances","Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"ec2:ResourceTag/Team":"a"}}}"#,
            ),
            &[],
        ),
        (
            "condition key for another service's action",
            Managed,
            s3(r#","Condition":{"StringEquals":{"ec2:InstanceType":"t3.micro"}}"#),
            &[("CONDITION_KEY_NEVER_APPLIES", r#""ec2:InstanceType""#)],
        ),
        (
            "s3:prefix on GetObject never applies",
            Managed,
            s3(r#","Condition":{"StringLike":{"s3:prefix":"home/*"}}"#),
            &[("CONDITION_KEY_NEVER_APPLIES", r#""s3:prefix""#)],
        ),
        (
            "a key with NotAction is not judged",
            Managed,
            p(
                r#"{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"ec2:InstanceType":"t3.*"}}}"#,
            ),
            &[],
        ),
        (
            "resource of another service",
            Managed,
            p(
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:ec2:us-east-1:123456789012:instance/i-1"}"#,
            ),
            &[("RESOURCE_SERVICE_MISMATCH", r#""arn:aws:ec2:us-east-1:123456789012:instance/i-1""#)],
        ),
        (
            "sts actions on iam role ARNs",
            Managed,
            p(r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/x"}"#),
            &[],
        ),
        (
            "API Gateway's execute-api ARNs",
            Managed,
            p(
                r#"{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:abc/*"}"#,
            ),
            &[],
        ),
        (
            "one of two services matches",
            Managed,
            p(
                r#"{"Effect":"Allow","Action":["s3:GetObject","sqs:ReceiveMessage"],"Resource":["arn:aws:s3:::b/*","arn:aws:sqs:us-east-1:123456789012:q"]}"#,
            ),
            &[],
        ),
        (
            "redundant action",
            Managed,
            p(r#"{"Effect":"Allow","Action":["s3:Get*","s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}"#),
            &[("REDUNDANT_ACTION", r#""s3:GetObject""#)],
        ),
        (
            "duplicate action",
            Managed,
            p(r#"{"Effect":"Allow","Action":["s3:GetObject","s3:getobject"],"Resource":"arn:aws:s3:::b/*"}"#),
            &[("REDUNDANT_ACTION", r#""s3:getobject""#)],
        ),
        (
            "everything under *",
            Managed,
            p(r#"{"Effect":"Deny","Action":["*","s3:GetObject"],"Resource":"*"}"#),
            &[("REDUNDANT_ACTION", r#""s3:GetObject""#)],
        ),
        (
            "a narrower wildcard under a wider one",
            Managed,
            p(r#"{"Effect":"Deny","Action":["s3:*","s3:Get*"],"Resource":"*"}"#),
            &[("REDUNDANT_ACTION", r#""s3:Get*""#)],
        ),
        (
            "wildcard matching one action",
            Managed,
            p(r#"{"Effect":"Allow","Action":"s3:GetObjectT*","Resource":"arn:aws:s3:::b/*"}"#),
            &[],
        ),
        (
            "wildcard matching exactly one",
            Managed,
            p(
                r#"{"Effect":"Allow","Action":"iam:ChangePass*","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}"#,
            ),
            &[("NARROWABLE_WILDCARD", r#""iam:ChangePass*""#)],
        ),
        (
            "a narrowable wildcard in a Deny is left alone",
            Managed,
            p(r#"{"Effect":"Deny","Action":"iam:ChangePass*","Resource":"*"}"#),
            &[],
        ),
        (
            "trust: an action that is not about assuming the role",
            Trust,
            p(
                r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":["sts:AssumeRole","s3:GetObject"]}"#,
            ),
            &[("TRUST_ACTION_NOT_STS", r#""s3:GetObject""#)],
        ),
        (
            "trust: wildcards over the assume actions are fine",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":["sts:AssumeRole*","sts:*"]}"#),
            &[("REDUNDANT_ACTION", r#""sts:AssumeRole*""#)],
        ),
        (
            "trust: a non-sts action is only checked against the catalogue",
            Trust,
            p(r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRol"}"#),
            &[("UNKNOWN_ACTION", r#""sts:AssumeRol""#), ("TRUST_ACTION_NOT_STS", r#""sts:AssumeRol""#)],
        ),
    ];
    run(&cases);
}

#[test]
fn positions_count_utf16_units_lines_and_columns() {
    // "é" is one UTF-16 unit and two bytes; "😀" two units and four bytes.
    let doc = "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"café 😀\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjet\", \"Resource\": \"arn:aws:s3:::b/*\"}]\n}";
    let v = validate(doc, Managed);
    assert_eq!(v.findings.len(), 1, "{:#?}", v.findings);
    let f = &v.findings[0];
    assert_eq!((f.code.as_str(), f.line, f.column), ("UNKNOWN_ACTION", 4, 47));
    let before = &doc[..doc.find("\"s3:GetObjet\"").unwrap()];
    assert_eq!(f.from as usize, before.encode_utf16().count());
    assert_eq!(f.from as usize, before.chars().count() + 1, "the emoji counts twice");
    assert_eq!(f.to - f.from, 13);
    assert_eq!(f.message, "s3:GetObjet is not an action of Amazon S3. Did you mean s3:GetObject?");

    // A syntax error after non-ASCII text, on the third line.
    let doc = "{\"Id\": \"ü😀\",\n\"Version\": \"2012-10-17\"\n\"Statement\": []}";
    let f = &validate(doc, Managed).findings[0];
    assert_eq!((f.code.as_str(), f.line, f.column, f.from, f.to), ("JSON_SYNTAX", 3, 1, 38, 39));

    // Columns on the first line count UTF-16 units too.
    let doc = "{\"Id\": \"😀\", \"Version\": 1, \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}";
    let f = validate(doc, Managed).findings.into_iter().find(|f| f.code == "INVALID_VERSION").unwrap();
    assert_eq!((f.line, f.column, f.from, f.to), (1, 25, 24, 25));
}

#[test]
fn check_reports_the_first_error_with_its_line() {
    let ok = s3("");
    assert!(check(&ok, Managed).is_ok());
    // Warnings do not stop a write.
    assert!(check(&p(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#), Managed).is_ok());
    let err = check("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]\n}", Managed).unwrap_err();
    match err {
        Error::MalformedPolicyDocument(m) => {
            assert_eq!(
                m,
                "\"Effect\" must be \"Allow\" or \"Deny\" (spelled so, with a capital letter) (line 3, column 28)."
            )
        }
        other => panic!("{other:?}"),
    }
    let err = check("{", Trust).unwrap_err();
    assert!(matches!(&err, Error::MalformedPolicyDocument(m) if m.ends_with("(line 1, column 2).")), "{err:?}");
    assert!(check(&s3(r#","Principal":"*""#), Managed).is_err());
    let trust = p(r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#);
    assert!(check(&trust, Trust).is_ok());
    assert!(check(&trust, RoleInline).is_err(), "a trust policy is not a permissions policy");
}

#[test]
fn size_and_limit_are_always_filled() {
    for (kind, limit) in [(Managed, 6144), (UserInline, 2048), (GroupInline, 5120), (RoleInline, 10240), (Trust, 2048)]
    {
        let v = validate("{ \"a\" :\n 1 }", kind);
        assert_eq!((v.size, v.limit), (7, limit));
    }
    assert_eq!(validate("not json at all", Managed).size, 12);
}

#[test]
fn operators() {
    for op in [
        "StringEquals",
        "StringNotLikeIfExists",
        "ForAllValues:StringEquals",
        "ForAnyValue:ArnLikeIfExists",
        "Null",
        "BinaryEquals",
        "NotIpAddress",
        "DateLessThanEquals",
        "NumericGreaterThanEqualsIfExists",
        "Bool",
        "BoolIfExists",
    ] {
        assert!(is_condition_operator(op), "{op}");
    }
    for op in [
        "",
        "StringEqual",
        "NullIfExists",
        "ForAllValues:Null",
        "IfExists",
        "ForAllValues:",
        "stringequals",
        "ForAnyValues:StringEquals",
        "StringEqualsIfExistsIfExists",
    ] {
        assert!(!is_condition_operator(op), "{op}");
    }
}

/// Issue 20, item 4: a 2.4 MB object of 200,000 keys, as a new user might paste, is
/// answered at once with one finding naming its size, not parsed.
#[test]
fn a_huge_paste_is_refused_unread_and_at_once() {
    let mut doc = String::from("{");
    for i in 0..200_000 {
        doc.push_str(&format!("\"key{i:06}\":\"v\","));
    }
    doc.push_str("\"Version\":\"2012-10-17\"}");
    assert!(doc.len() > 2_400_000, "{}", doc.len());
    let started = std::time::Instant::now();
    let v = validate(&doc, Managed);
    let took = started.elapsed();
    println!("answered in {took:?}");
    assert!(took < std::time::Duration::from_millis(200), "answered in {took:?}");
    assert_eq!(v.findings.len(), 1, "{:?}", v.findings.first());
    let f = &v.findings[0];
    assert_eq!((f.code.as_str(), f.severity), ("POLICY_TOO_LARGE", Severity::Error));
    let bytes = doc.len();
    assert!(f.message.starts_with(&format!("The policy is {bytes} bytes long;")), "{}", f.message);
    assert!(f.message.contains("AWS allows 6144 characters (not counting whitespace) for a managed policy"));
    assert!(f.message.contains("far over even AWS's largest policy limit (10240)"), "{}", f.message);
    assert_eq!((v.size as usize, v.limit), (bytes, 6_144));
    // At the first character over the limit: 6,144 characters in (the document has no
    // whitespace).
    assert_eq!((f.from, f.line, f.column), (6_144, 1, 6_145));
    assert!(check(&doc, Managed).unwrap_err().to_string().contains(&format!("{bytes} bytes")));

    // Between the two bounds, the characters are counted and named.
    let mid = format!("{{\"Version\":\"2012-10-17\",\"Id\":\"{}\"}}", "x".repeat(60_000));
    let v = validate(&mid, Managed);
    assert_eq!(v.findings.len(), 1);
    let size = mid.chars().filter(|c| !c.is_whitespace()).count();
    assert!(
        v.findings[0].message.starts_with(&format!("The policy has {size} characters")),
        "{}",
        v.findings[0].message
    );
    assert_eq!(v.size as usize, size);
}

/// Duplicate keys are found in linear time: an object just under the size read in full,
/// with thousands of keys, answers quickly and names every repeated key.
#[test]
fn duplicate_keys_are_found_in_linear_time() {
    let mut doc = String::from(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","#,
    );
    let mut members = Vec::new();
    for i in 0..4_000 {
        members.push(format!("\"k{i}\":1"));
    }
    members.push("\"k7\":2".into());
    doc.push_str(&members.join(","));
    doc.push_str("}]}");
    assert!(doc.len() < LARGEST_READ);
    let started = std::time::Instant::now();
    let v = validate(&doc, RoleInline);
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    let dups: Vec<&Finding> = v.findings.iter().filter(|f| f.code == "DUPLICATE_KEY").collect();
    assert_eq!(dups.len(), 1);
    assert!(dups[0].message.starts_with("\"k7\" is given twice"), "{}", dups[0].message);
}

/// Redundant actions are found as before with the map and the wildcard list: the earliest
/// action that covers one is named.
#[test]
fn redundant_actions_name_the_earliest_cover() {
    let doc =
        p(r#"{"Effect":"Allow","Action":["s3:GetObject","s3:Get*","s3:getobject","s3:*","s3:List*"],"Resource":"*"}"#);
    let v = validate(&doc, Managed);
    let redundant: Vec<&str> =
        v.findings.iter().filter(|f| f.code == "REDUNDANT_ACTION").map(|f| f.message.as_str()).collect();
    assert_eq!(
        redundant,
        [
            "s3:GetObject is already covered by s3:Get* in this statement.",
            "s3:Get* is already covered by s3:* in this statement.",
            "s3:getobject is already covered by s3:GetObject in this statement.",
            "s3:List* is already covered by s3:* in this statement.",
        ]
    );
}

/// Issue 20, item 6: a trust policy letting a shared OIDC provider in with no condition on
/// the subject is a security warning, at the provider.
#[test]
fn web_identity_of_a_shared_provider_without_a_subject_is_a_security_warning() {
    let trust = |provider: &str, condition: &str| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::111122223333:oidc-provider/{provider}"}},"Action":"sts:AssumeRoleWithWebIdentity"{condition}}}]}}"#
        )
    };
    let aud = r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#;
    let found = |doc: &str| -> Vec<Finding> {
        validate(doc, Trust).findings.into_iter().filter(|f| f.code == "WEB_IDENTITY_ANY_SUBJECT").collect()
    };
    for (provider, condition, name) in [
        ("token.actions.githubusercontent.com", aud, "GitHub Actions"),
        ("token.actions.githubusercontent.com", "", "GitHub Actions"),
        ("gitlab.com", "", "GitLab.com"),
        ("app.terraform.io", "", "Terraform Cloud"),
        ("api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc", "", "Bitbucket Pipelines"),
        (
            "token.actions.githubusercontent.com",
            r#","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"*"}}"#,
            "GitHub Actions",
        ),
        (
            "token.actions.githubusercontent.com",
            r#","Condition":{"StringNotLike":{"token.actions.githubusercontent.com:sub":"repo:evil/*"}}"#,
            "GitHub Actions",
        ),
    ] {
        let doc = trust(provider, condition);
        let f = found(&doc);
        assert_eq!(f.len(), 1, "{provider} {condition}");
        assert_eq!(f[0].severity, Severity::SecurityWarning);
        assert!(f[0].message.starts_with(&format!("Anyone with a {name} identity token")), "{}", f[0].message);
        assert_eq!(
            (f[0].from, f[0].to),
            range(&doc, &format!("\"arn:aws:iam::111122223333:oidc-provider/{provider}\""))
        );
    }
    let limited = r#","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/web:*"}}"#;
    assert_eq!(found(&trust("token.actions.githubusercontent.com", limited)), []);
    // The account's own provider, and a Deny, are not this warning.
    assert_eq!(found(&trust("oidc.eks.eu-west-1.amazonaws.com/id/ABC", "")), []);
    let deny = trust("gitlab.com", "").replace("\"Allow\"", "\"Deny\"");
    assert_eq!(found(&deny), []);
}
