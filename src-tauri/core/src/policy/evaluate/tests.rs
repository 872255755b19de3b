//! Table-driven cases, each from an example or a rule of AWS's documentation: "Policy
//! evaluation logic" (PEL), "IAM JSON policy elements" Action/NotAction/Resource/NotResource
//! (ACTION, NOTACTION, RESOURCE, NOTRESOURCE), "Condition operators" (COND), "Condition
//! with multiple keys or values" (MULTI), "Set operators for multivalued context keys"
//! (SET), "Policy variables" (VARS), "Permissions boundaries" (PB), and the IAM example
//! policies (EX).

use super::*;

/// The expected outcome: who decides, or which Allow came closest and why.
enum Want {
    Allowed(&'static [(usize, usize)]),
    Denied(&'static [(usize, usize)]),
    /// Implicit deny: the closest statement and a part of the reason.
    Implicit(Option<(usize, usize, &'static str)>),
    /// Implicit deny because the boundary does not allow what the identity policies do.
    Boundary((usize, usize, &'static str)),
}

struct Case {
    name: &'static str,
    identity: Vec<String>,
    boundary: Option<String>,
    action: &'static str,
    resource: &'static str,
    context: Vec<(&'static str, Vec<&'static str>)>,
    want: Want,
}

/// A policy of these statements (JSON objects, comma-separated), version 2012-10-17.
fn pol(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

fn case(name: &'static str, identity: &[&str], action: &'static str, resource: &'static str, want: Want) -> Case {
    Case {
        name,
        identity: identity.iter().map(|s| pol(s)).collect(),
        boundary: None,
        action,
        resource,
        context: Vec::new(),
        want,
    }
}

impl Case {
    fn ctx(mut self, key: &'static str, values: &[&'static str]) -> Case {
        self.context.push((key, values.to_vec()));
        self
    }

    fn boundary(mut self, statements: &str) -> Case {
        self.boundary = Some(pol(statements));
        self
    }

    /// The whole document as given (for Version cases).
    fn raw(mut self, document: &str) -> Case {
        self.identity = vec![document.to_string()];
        self
    }
}

/// One Allow statement on every action and resource with this Condition block: the
/// operator cases. `holds` says whether AWS's rule makes it apply.
fn cond(name: &'static str, condition: &str, context: &[(&'static str, &[&'static str])], holds: bool) -> Case {
    let statement = format!(r#"{{"Sid":"C","Effect":"Allow","Action":"*","Resource":"*","Condition":{condition}}}"#);
    let want = if holds { Want::Allowed(&[(0, 0)]) } else { Want::Implicit(Some((0, 0, "condition"))) };
    let mut c = case(name, &[&statement], "s3:GetObject", "arn:aws:s3:::bucket/key", want);
    for (k, v) in context {
        c = c.ctx(k, v);
    }
    c
}

const S3_ALL: &str = r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#;
const ALL: &str = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#;
const OBJ: &str = "arn:aws:s3:::bucket/key";

fn cases() -> Vec<Case> {
    use Want::*;
    vec![
        // ---- Policy evaluation logic ----
        case("PEL: by default all requests are implicitly denied", &[], "s3:GetObject", OBJ, Implicit(None)),
        case("PEL: an empty policy set denies (no policy)", &[], "iam:ListUsers", "*", Implicit(None)),
        case("PEL: an allow in an identity policy allows", &[S3_ALL], "s3:GetObject", OBJ, Allowed(&[(0, 0)])),
        case(
            "PEL: an explicit deny in the same policy overrides the allow",
            &[&format!(r#"{S3_ALL},{{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}}"#)],
            "s3:GetObject",
            OBJ,
            Denied(&[(0, 1)]),
        ),
        case(
            "PEL: an explicit deny in another policy overrides the allow",
            &[S3_ALL, r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#],
            "s3:PutObject",
            OBJ,
            Denied(&[(1, 0)]),
        ),
        case(
            "PEL: a deny alone is an explicit deny",
            &[r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"}"#],
            "s3:PutObject",
            OBJ,
            Denied(&[(0, 0)]),
        ),
        case(
            "PEL: every denying statement is reported",
            &[ALL, r#"{"Effect":"Deny","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*"}"#],
            "s3:PutObject",
            OBJ,
            Denied(&[(1, 0), (1, 1)]),
        ),
        case(
            "PEL: every allowing statement is reported",
            &[S3_ALL, &format!(r#"{ALL},{{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}}"#)],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0), (1, 0), (1, 1)]),
        ),
        case(
            "PEL: an allow in the second policy is enough",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#, S3_ALL],
            "s3:GetObject",
            OBJ,
            Allowed(&[(1, 0)]),
        ),
        case(
            "PEL: a deny for another action does not apply",
            &[&format!(r#"{S3_ALL},{{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}}"#)],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        ),
        case(
            "PEL: a deny for another resource does not apply",
            &[&format!(r#"{S3_ALL},{{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::secret/*"}}"#)],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        ),
        case(
            "PEL: a deny whose condition is not met does not apply",
            &[&format!(
                r#"{S3_ALL},{{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}"#
            )],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:SecureTransport", &["true"]),
        case(
            "PEL: a deny whose condition is met wins",
            &[&format!(
                r#"{S3_ALL},{{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}"#
            )],
            "s3:GetObject",
            OBJ,
            Denied(&[(0, 1)]),
        )
        .ctx("aws:SecureTransport", &["false"]),
        case(
            "PEL: an allow for another service leaves an implicit deny",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Implicit(Some((0, 0, "the action s3:GetObject is not in its Action list"))),
        ),
        case(
            "PEL: a policy whose only statement is a deny of something else leaves an implicit deny",
            &[r#"{"Effect":"Deny","Action":"ec2:*","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Implicit(None),
        ),
        // ---- Permissions boundaries ----
        case("PB: allowed by identity and boundary", &[S3_ALL], "s3:GetObject", OBJ, Allowed(&[(0, 0), (1, 0)]))
            .boundary(r#"{"Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:*"],"Resource":"*"}"#),
        case(
            "PB: the ShirleyRodriguez example: iam:CreateUser allowed by identity, not by the boundary",
            &[r#"{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*"}"#],
            "iam:CreateUser",
            "arn:aws:iam::123456789012:user/Zhang",
            Boundary((1, 0, "the action iam:CreateUser is not in its Action list")),
        )
        .boundary(r#"{"Effect":"Allow","Action":["s3:*","cloudwatch:*","ec2:*"],"Resource":"*"}"#),
        case(
            "PB: the boundary alone grants nothing",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Implicit(Some((0, 0, "not in its Action list"))),
        )
        .boundary(S3_ALL),
        case("PB: a boundary with no identity policy grants nothing", &[], "s3:GetObject", OBJ, Implicit(None))
            .boundary(S3_ALL),
        case(
            "PB: an explicit deny in the boundary wins",
            &[ALL],
            "s3:DeleteBucket",
            "arn:aws:s3:::bucket",
            Denied(&[(1, 1)]),
        )
        .boundary(r#"{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}"#),
        case(
            "PB: deny statements in both identity and boundary are all reported",
            &[&format!(r#"{ALL},{{"Effect":"Deny","Action":"s3:*","Resource":"*"}}"#)],
            "s3:DeleteBucket",
            "arn:aws:s3:::bucket",
            Denied(&[(0, 1), (1, 0)]),
        )
        .boundary(r#"{"Effect":"Deny","Action":"s3:Delete*","Resource":"*"}"#),
        case(
            "PB: a boundary of only denies allows nothing",
            &[ALL],
            "ec2:RunInstances",
            "*",
            Boundary((1, 0, "not in its Action list")),
        )
        .boundary(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}"#),
        case(
            "PB: the boundary's resource limits the grant",
            &[S3_ALL],
            "s3:GetObject",
            "arn:aws:s3:::other/key",
            Boundary((1, 0, "does not match arn:aws:s3:::bucket/*")),
        )
        .boundary(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}"#),
        case(
            "PB: the boundary's condition limits the grant",
            &[S3_ALL],
            "s3:GetObject",
            OBJ,
            Boundary((1, 0, "aws:RequestedRegion")),
        )
        .boundary(r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}"#)
        .ctx("aws:RequestedRegion", &["us-east-1"]),
        case(
            "PB: the boundary's allowing statements are reported with the identity's",
            &[S3_ALL],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0), (1, 0), (1, 1)]),
        )
        .boundary(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}"#),
        case(
            "PB: identity policies over two policies, boundary as the last index",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#, S3_ALL],
            "s3:GetObject",
            OBJ,
            Allowed(&[(1, 0), (2, 0)]),
        )
        .boundary(ALL),
        // ---- Action ----
        case("ACTION: an exact action", &[r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#], "s3:GetObject", OBJ, Allowed(&[(0, 0)])),
        case(
            "ACTION: actions are case-insensitive (iam:listaccesskeys is iam:ListAccessKeys)",
            &[r#"{"Effect":"Allow","Action":"iam:listaccesskeys","Resource":"*"}"#],
            "IAM:ListAccessKeys",
            "*",
            Allowed(&[(0, 0)]),
        ),
        case("ACTION: service:* covers the service", &[S3_ALL], "s3:PutBucketPolicy", "arn:aws:s3:::bucket", Allowed(&[(0, 0)])),
        case("ACTION: * covers every service", &[ALL], "dynamodb:Query", "*", Allowed(&[(0, 0)])),
        case(
            "ACTION: s3:Get* covers s3:GetObject",
            &[r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        ),
        case(
            "ACTION: s3:Get* does not cover s3:PutObject",
            &[r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#],
            "s3:PutObject",
            OBJ,
            Implicit(Some((0, 0, "the action s3:PutObject is not in its Action list"))),
        ),
        case(
            "ACTION: iam:*AccessKey* covers iam:CreateAccessKey",
            &[r#"{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"*"}"#],
            "iam:CreateAccessKey",
            "*",
            Allowed(&[(0, 0)]),
        ),
        case(
            "ACTION: iam:*AccessKey* covers iam:ListAccessKeys",
            &[r#"{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"*"}"#],
            "iam:ListAccessKeys",
            "*",
            Allowed(&[(0, 0)]),
        ),
        case(
            "ACTION: iam:*AccessKey* does not cover iam:CreateUser",
            &[r#"{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"*"}"#],
            "iam:CreateUser",
            "*",
            Implicit(Some((0, 0, "not in its Action list"))),
        ),
        case(
            "ACTION: ? matches one character",
            &[r#"{"Effect":"Allow","Action":"s3:Get?bject","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        ),
        case(
            "ACTION: ? does not match two characters",
            &[r#"{"Effect":"Allow","Action":"s3:Get?ject","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Implicit(Some((0, 0, "Action list"))),
        ),
        case(
            "ACTION: a list of actions is an OR",
            &[r#"{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage"],"Resource":"*"}"#],
            "sqs:ReceiveMessage",
            "arn:aws:sqs:us-east-2:123456789012:queue1",
            Allowed(&[(0, 0)]),
        ),
        case(
            "ACTION: s3:* does not cover s3express:CreateSession",
            &[S3_ALL],
            "s3express:CreateSession",
            "*",
            Implicit(Some((0, 0, "Action list"))),
        ),
        case(
            "ACTION: a service prefix alone is not a wildcard",
            &[r#"{"Effect":"Allow","Action":"s3:","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Implicit(Some((0, 0, "Action list"))),
        ),
        case(
            "ACTION: *:Describe* spans services",
            &[r#"{"Effect":"Allow","Action":"*:Describe*","Resource":"*"}"#],
            "ec2:DescribeInstances",
            "*",
            Allowed(&[(0, 0)]),
        ),
        case(
            "ACTION: ec2:*Instances matches in the middle",
            &[r#"{"Effect":"Allow","Action":"ec2:*Instances","Resource":"*"}"#],
            "ec2:TerminateInstances",
            "*",
            Allowed(&[(0, 0)]),
        ),
        case(
            "ACTION: an upper-case pattern matches a lower-case request",
            &[r#"{"Effect":"Allow","Action":"DYNAMODB:GETITEM","Resource":"*"}"#],
            "dynamodb:getitem",
            "*",
            Allowed(&[(0, 0)]),
        ),
        // ---- NotAction ----
        case(
            "NOTACTION: Allow with NotAction iam:* allows everything else",
            &[r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        ),
        case(
            "NOTACTION: Allow with NotAction iam:* does not allow iam actions",
            &[r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#],
            "iam:CreateUser",
            "*",
            Implicit(Some((0, 0, "the action iam:CreateUser is excluded by its NotAction list"))),
        ),
        case(
            "NOTACTION: the exclusion is case-insensitive",
            &[r#"{"Effect":"Allow","NotAction":"IAM:*","Resource":"*"}"#],
            "iam:CreateUser",
            "*",
            Implicit(Some((0, 0, "NotAction"))),
        ),
        case(
            "NOTACTION: Deny with NotAction denies all but the listed (deny all except IAM)",
            &[ALL, r#"{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Denied(&[(1, 0)]),
        ),
        case(
            "NOTACTION: Deny with NotAction does not deny the listed actions",
            &[ALL, r#"{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*"}"#],
            "sts:GetCallerIdentity",
            "*",
            Allowed(&[(0, 0)]),
        ),
        case(
            "NOTACTION: NotAction with a resource limits what else is allowed (EX: s3 only in one bucket)",
            &[r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::bucket/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::other/key",
            Implicit(Some((0, 0, "does not match arn:aws:s3:::bucket/*"))),
        ),
        case(
            "EX: DenyAllExceptListedIfNoMFA denies s3 without MFA",
            &[
                ALL,
                r#"{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#,
            ],
            "s3:ListAllMyBuckets",
            "*",
            Denied(&[(1, 0)]),
        )
        .ctx("aws:MultiFactorAuthPresent", &["false"]),
        case(
            "EX: DenyAllExceptListedIfNoMFA denies when the MFA key is absent (BoolIfExists)",
            &[
                ALL,
                r#"{"Effect":"Deny","NotAction":["iam:EnableMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#,
            ],
            "s3:ListAllMyBuckets",
            "*",
            Denied(&[(1, 0)]),
        ),
        case(
            "EX: DenyAllExceptListedIfNoMFA lets iam:EnableMFADevice through",
            &[
                ALL,
                r#"{"Effect":"Deny","NotAction":["iam:EnableMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#,
            ],
            "iam:EnableMFADevice",
            "*",
            Allowed(&[(0, 0)]),
        ),
        case(
            "EX: DenyAllExceptListedIfNoMFA allows everything with MFA",
            &[
                ALL,
                r#"{"Effect":"Deny","NotAction":["iam:EnableMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#,
            ],
            "s3:ListAllMyBuckets",
            "*",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:MultiFactorAuthPresent", &["true"]),
        // ---- Resource ----
        case("RESOURCE: * matches every resource", &[S3_ALL], "s3:GetObject", "arn:aws:s3:::any/thing", Allowed(&[(0, 0)])),
        case(
            "RESOURCE: an exact ARN",
            &[r#"{"Effect":"Allow","Action":"sqs:*","Resource":"arn:aws:sqs:us-east-2:123456789012:queue1"}"#],
            "sqs:SendMessage",
            "arn:aws:sqs:us-east-2:123456789012:queue1",
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: the IAM user name is case-sensitive (user/Bob is not user/bob)",
            &[r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:user/Bob"}"#],
            "iam:GetUser",
            "arn:aws:iam::123456789012:user/bob",
            Implicit(Some((0, 0, "the resource arn:aws:iam::123456789012:user/bob does not match arn:aws:iam::123456789012:user/Bob"))),
        ),
        case(
            "RESOURCE: bucket/* covers the bucket's objects",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/a/b/c.txt",
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: bucket/* does not cover the bucket itself",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}"#],
            "s3:ListBucket",
            "arn:aws:s3:::bucket",
            Implicit(Some((0, 0, "does not match arn:aws:s3:::bucket/*"))),
        ),
        case(
            "RESOURCE: the bucket and its objects listed together",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::bucket","arn:aws:s3:::bucket/*"]}"#],
            "s3:ListBucket",
            "arn:aws:s3:::bucket",
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: a path wildcard (user/accounting/*)",
            &[r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:user/accounting/*"}"#],
            "iam:GetUser",
            "arn:aws:iam::123456789012:user/accounting/Juan",
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: a path wildcard does not cover users outside the path",
            &[r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:user/accounting/*"}"#],
            "iam:GetUser",
            "arn:aws:iam::123456789012:user/Juan",
            Implicit(Some((0, 0, "does not match"))),
        ),
        case(
            "RESOURCE: ARNs are case-sensitive (bucket names)",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::Bucket/*"}"#],
            "s3:GetObject",
            OBJ,
            Implicit(Some((0, 0, "does not match"))),
        ),
        case(
            "RESOURCE: ? matches one character within a segment",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/ke?"}"#],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: a * that ends a segment may cross colons (account wildcard)",
            &[r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::*:user/x"}"#],
            "iam:GetUser",
            "arn:aws:iam::123456789012:user/x",
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: a trailing * expands beyond colon boundaries",
            &[r#"{"Effect":"Allow","Action":"logs:*","Resource":"arn:aws:logs:us-east-1:123456789012:*"}"#],
            "logs:PutLogEvents",
            "arn:aws:logs:us-east-1:123456789012:log-group:app:log-stream:web",
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: a * inside a segment does not cross a colon",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:us-*1:123456789012:instance/*"}"#],
            "ec2:StartInstances",
            "arn:aws:ec2:us-east:1:123456789012:instance/i-1",
            Implicit(Some((0, 0, "does not match"))),
        ),
        case(
            "RESOURCE: a * inside a segment matches within it",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"arn:aws:ec2:us-*-1:123456789012:instance/*"}"#],
            "ec2:StartInstances",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: * expands across / within a segment",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/folder/file",
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: a list of resources is an OR",
            &[r#"{"Effect":"Allow","Action":"dynamodb:*","Resource":["arn:aws:dynamodb:us-east-2:123456789012:table/books_table","arn:aws:dynamodb:us-east-2:123456789012:table/magazines_table"]}"#],
            "dynamodb:GetItem",
            "arn:aws:dynamodb:us-east-2:123456789012:table/magazines_table",
            Allowed(&[(0, 0)]),
        ),
        case(
            "RESOURCE: the closest miss names every pattern",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"]}"#],
            "s3:GetObject",
            "arn:aws:s3:::c/k",
            Implicit(Some((0, 0, "does not match arn:aws:s3:::a/* or arn:aws:s3:::b/*"))),
        ),
        // ---- NotResource ----
        case(
            "NOTRESOURCE: Allow with NotResource allows other resources",
            &[r#"{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::HRBucket/Payroll/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::HRBucket/Other/x",
            Allowed(&[(0, 0)]),
        ),
        case(
            "NOTRESOURCE: Allow with NotResource does not allow the listed",
            &[r#"{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::HRBucket/Payroll/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::HRBucket/Payroll/june",
            Implicit(Some((0, 0, "excluded by its NotResource list"))),
        ),
        case(
            "NOTRESOURCE: Deny with NotResource denies everything outside (deny all but one bucket)",
            &[ALL, r#"{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}"#],
            "s3:GetObject",
            "arn:aws:s3:::Other/x",
            Denied(&[(1, 0)]),
        ),
        case(
            "NOTRESOURCE: Deny with NotResource leaves the listed resources",
            &[ALL, r#"{"Effect":"Deny","Action":"s3:*","NotResource":["arn:aws:s3:::HRBucket/Payroll","arn:aws:s3:::HRBucket/Payroll/*"]}"#],
            "s3:GetObject",
            "arn:aws:s3:::HRBucket/Payroll/june",
            Allowed(&[(0, 0)]),
        ),
        case(
            "NOTRESOURCE: NotAction and NotResource together",
            &[ALL, r#"{"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::bucket/*"}"#],
            "ec2:RunInstances",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            Denied(&[(1, 0)]),
        ),
        // ---- Condition operators ----
        cond("COND: StringEquals matches exactly", r#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#, &[("aws:PrincipalTag/job-category", &["iamuser-admin"])], true),
        cond("COND: StringEquals is case-sensitive in values", r#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#, &[("aws:PrincipalTag/job-category", &["IAMUser-Admin"])], false),
        cond("COND: condition keys are case-insensitive", r#"{"StringEquals":{"AWS:PrincipalTag/Job-Category":"iamuser-admin"}}"#, &[("aws:principaltag/job-category", &["iamuser-admin"])], true),
        cond("COND: StringEquals on an absent key is false", r#"{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}"#, &[], false),
        cond("COND: StringEquals with several values is an OR", r#"{"StringEquals":{"aws:PrincipalTag/team":["a","b","c"]}}"#, &[("aws:PrincipalTag/team", &["b"])], true),
        cond("COND: StringEquals with several values, none equal", r#"{"StringEquals":{"aws:PrincipalTag/team":["a","b"]}}"#, &[("aws:PrincipalTag/team", &["z"])], false),
        cond("COND: StringNotEquals with a different value", r#"{"StringNotEquals":{"aws:PrincipalTag/team":"a"}}"#, &[("aws:PrincipalTag/team", &["b"])], true),
        cond("COND: StringNotEquals with the same value", r#"{"StringNotEquals":{"aws:PrincipalTag/team":"a"}}"#, &[("aws:PrincipalTag/team", &["a"])], false),
        cond("COND: StringNotEquals on an absent key is true (negated operators)", r#"{"StringNotEquals":{"aws:PrincipalTag/team":"a"}}"#, &[], true),
        cond("COND: StringNotEquals with a list is a NOR (value in list)", r#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#, &[("aws:PrincipalTag/role", &["audit"])], false),
        cond("COND: StringNotEquals with a list is a NOR (value not in list)", r#"{"StringNotEquals":{"aws:PrincipalTag/role":["audit","security"]}}"#, &[("aws:PrincipalTag/role", &["dev"])], true),
        cond("COND: StringEqualsIgnoreCase ignores case", r#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/dept":"Finance"}}"#, &[("aws:PrincipalTag/dept", &["FINANCE"])], true),
        cond("COND: StringEqualsIgnoreCase still needs the same text", r#"{"StringEqualsIgnoreCase":{"aws:PrincipalTag/dept":"Finance"}}"#, &[("aws:PrincipalTag/dept", &["Finances"])], false),
        cond("COND: StringNotEqualsIgnoreCase", r#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/dept":"Finance"}}"#, &[("aws:PrincipalTag/dept", &["finance"])], false),
        cond("COND: StringNotEqualsIgnoreCase, other value", r#"{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/dept":"Finance"}}"#, &[("aws:PrincipalTag/dept", &["HR"])], true),
        cond("COND: StringLike with * (s3:prefix home/*)", r#"{"StringLike":{"s3:prefix":["home/*"]}}"#, &[("s3:prefix", &["home/user1/docs"])], true),
        cond("COND: StringLike does not match another prefix", r#"{"StringLike":{"s3:prefix":["home/*"]}}"#, &[("s3:prefix", &["public/x"])], false),
        cond("COND: StringLike with ?", r#"{"StringLike":{"s3:prefix":"home/?/"}}"#, &[("s3:prefix", &["home/a/"])], true),
        cond("COND: StringLike ? is one character", r#"{"StringLike":{"s3:prefix":"home/?/"}}"#, &[("s3:prefix", &["home/ab/"])], false),
        cond("COND: StringLike is case-sensitive", r#"{"StringLike":{"s3:prefix":"Home/*"}}"#, &[("s3:prefix", &["home/a"])], false),
        cond("COND: StringLike without a wildcard is an exact match", r#"{"StringLike":{"s3:prefix":"home"}}"#, &[("s3:prefix", &["home/a"])], false),
        cond("COND: StringLike on an absent key is false", r#"{"StringLike":{"s3:prefix":"*"}}"#, &[], false),
        cond("COND: StringNotLike", r#"{"StringNotLike":{"s3:prefix":"secret/*"}}"#, &[("s3:prefix", &["secret/x"])], false),
        cond("COND: StringNotLike, other value", r#"{"StringNotLike":{"s3:prefix":"secret/*"}}"#, &[("s3:prefix", &["public/x"])], true),
        cond("COND: StringNotLike on an absent key is true", r#"{"StringNotLike":{"s3:prefix":"secret/*"}}"#, &[], true),
        cond("COND: NumericEquals", r#"{"NumericEquals":{"s3:max-keys":"10"}}"#, &[("s3:max-keys", &["10"])], true),
        cond("COND: NumericEquals compares numbers, not text", r#"{"NumericEquals":{"s3:max-keys":"10"}}"#, &[("s3:max-keys", &["10.0"])], true),
        cond("COND: NumericNotEquals", r#"{"NumericNotEquals":{"s3:max-keys":"10"}}"#, &[("s3:max-keys", &["11"])], true),
        cond("COND: NumericNotEquals, equal", r#"{"NumericNotEquals":{"s3:max-keys":"10"}}"#, &[("s3:max-keys", &["10"])], false),
        cond("COND: NumericLessThan (max-keys under 10)", r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#, &[("s3:max-keys", &["9"])], true),
        cond("COND: NumericLessThan, equal is not less", r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#, &[("s3:max-keys", &["10"])], false),
        cond("COND: NumericLessThanEquals, equal", r#"{"NumericLessThanEquals":{"s3:max-keys":"10"}}"#, &[("s3:max-keys", &["10"])], true),
        cond("COND: NumericGreaterThan", r#"{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}"#, &[("aws:MultiFactorAuthAge", &["7200"])], true),
        cond("COND: NumericGreaterThan, smaller", r#"{"NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}}"#, &[("aws:MultiFactorAuthAge", &["60"])], false),
        cond("COND: NumericGreaterThanEquals", r#"{"NumericGreaterThanEquals":{"aws:MultiFactorAuthAge":"3600"}}"#, &[("aws:MultiFactorAuthAge", &["3600"])], true),
        cond("COND: NumericLessThan, a JSON number in the policy", r#"{"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}"#, &[("aws:MultiFactorAuthAge", &["100"])], true),
        cond("COND: Numeric on a value that is not a number is false", r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#, &[("s3:max-keys", &["ten"])], false),
        cond("COND: Numeric on an absent key is false", r#"{"NumericLessThan":{"s3:max-keys":"10"}}"#, &[], false),
        cond("COND: DateGreaterThan with ISO 8601 (after 2020-04-01)", r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}}"#, &[("aws:CurrentTime", &["2021-06-30T12:00:00Z"])], true),
        cond("COND: DateGreaterThan, earlier", r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}}"#, &[("aws:CurrentTime", &["2019-06-30T12:00:00Z"])], false),
        cond("COND: DateLessThan with a date only", r#"{"DateLessThan":{"aws:CurrentTime":"2020-06-30"}}"#, &[("aws:CurrentTime", &["2020-06-29T23:59:59Z"])], true),
        cond("COND: DateLessThan, the same instant is not less", r#"{"DateLessThan":{"aws:CurrentTime":"2020-06-30T00:00:00Z"}}"#, &[("aws:CurrentTime", &["2020-06-30T00:00:00Z"])], false),
        cond("COND: DateLessThanEquals, the same instant", r#"{"DateLessThanEquals":{"aws:CurrentTime":"2020-06-30T00:00:00Z"}}"#, &[("aws:CurrentTime", &["2020-06-30T00:00:00Z"])], true),
        cond("COND: DateEquals across time zones", r#"{"DateEquals":{"aws:CurrentTime":"2020-06-30T12:00:00+02:00"}}"#, &[("aws:CurrentTime", &["2020-06-30T10:00:00Z"])], true),
        cond("COND: DateNotEquals", r#"{"DateNotEquals":{"aws:CurrentTime":"2020-06-30T12:00:00Z"}}"#, &[("aws:CurrentTime", &["2020-06-30T10:00:00Z"])], true),
        cond("COND: DateGreaterThanEquals", r#"{"DateGreaterThanEquals":{"aws:CurrentTime":"2020-06-30T12:00:00Z"}}"#, &[("aws:CurrentTime", &["2020-06-30T12:00:00Z"])], true),
        cond("COND: Date with epoch time in the policy", r#"{"DateGreaterThan":{"aws:EpochTime":"1593475200"}}"#, &[("aws:EpochTime", &["1593561600"])], true),
        cond("COND: Date compares an epoch against ISO 8601", r#"{"DateLessThan":{"aws:CurrentTime":"1593475200"}}"#, &[("aws:CurrentTime", &["2020-06-29T00:00:00Z"])], true),
        cond("COND: DateLessThan with fractional seconds", r#"{"DateLessThan":{"aws:TokenIssueTime":"2020-06-30T00:00:00.500Z"}}"#, &[("aws:TokenIssueTime", &["2020-06-30T00:00:00.250Z"])], true),
        cond("COND: Date on an absent key is false", r#"{"DateGreaterThan":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"}}"#, &[], false),
        cond("COND: Date on a value that is not a date is false", r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#, &[("aws:CurrentTime", &["yesterday"])], false),
        cond("COND: Bool true (MFA present)", r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#, &[("aws:MultiFactorAuthPresent", &["true"])], true),
        cond("COND: Bool true, request false", r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#, &[("aws:MultiFactorAuthPresent", &["false"])], false),
        cond("COND: Bool on an absent key is false", r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#, &[], false),
        cond("COND: Bool with a JSON boolean", r#"{"Bool":{"aws:SecureTransport":true}}"#, &[("aws:SecureTransport", &["true"])], true),
        cond("COND: Bool false (SecureTransport)", r#"{"Bool":{"aws:SecureTransport":"false"}}"#, &[("aws:SecureTransport", &["false"])], true),
        cond("COND: BoolIfExists on an absent key is true", r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#, &[], true),
        cond("COND: BoolIfExists on a present key checks it", r#"{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}"#, &[("aws:MultiFactorAuthPresent", &["true"])], false),
        cond("COND: BinaryEquals compares base64 values", r#"{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#, &[("key", &["QmluYXJ5VmFsdWVJbkJhc2U2NA=="])], true),
        cond("COND: BinaryEquals, another value", r#"{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#, &[("key", &["b3RoZXI="])], false),
        cond("COND: BinaryEquals on an absent key is false", r#"{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}"#, &[], false),
        cond("COND: IpAddress in a v4 CIDR (203.0.113.0/24)", r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#, &[("aws:SourceIp", &["203.0.113.45"])], true),
        cond("COND: IpAddress outside the CIDR", r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#, &[("aws:SourceIp", &["203.0.114.1"])], false),
        cond("COND: IpAddress with a list of ranges (v4 and v6)", r#"{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:DB8:1234:5678::/64"]}}"#, &[("aws:SourceIp", &["2001:db8:1234:5678::abcd"])], true),
        cond("COND: IpAddress v6 outside the prefix", r#"{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}"#, &[("aws:SourceIp", &["2001:db8:1234:9999::1"])], false),
        cond("COND: IpAddress with one address (a /32)", r#"{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}"#, &[("aws:SourceIp", &["203.0.113.7"])], true),
        cond("COND: IpAddress never matches across v4 and v6", r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#, &[("aws:SourceIp", &["2001:db8::1"])], false),
        cond("COND: IpAddress on an absent key is false", r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#, &[], false),
        cond("COND: NotIpAddress outside the ranges (deny outside office)", r#"{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}"#, &[("aws:SourceIp", &["198.51.100.1"])], true),
        cond("COND: NotIpAddress inside a range", r#"{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}"#, &[("aws:SourceIp", &["203.0.113.9"])], false),
        cond("COND: NotIpAddress on an absent key is true", r#"{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#, &[], true),
        cond("COND: ArnEquals on an exact ARN", r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:topic"}}"#, &[("aws:SourceArn", &["arn:aws:sns:us-east-1:123456789012:topic"])], true),
        cond("COND: ArnLike with a wildcard per component", r#"{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}"#, &[("aws:SourceArn", &["arn:aws:cloudtrail:us-east-2:111122223333:trail/mytrail"])], true),
        cond("COND: ArnLike, another account", r#"{"ArnLike":{"aws:SourceArn":"arn:aws:cloudtrail:*:111122223333:trail/*"}}"#, &[("aws:SourceArn", &["arn:aws:cloudtrail:us-east-2:444455556666:trail/mytrail"])], false),
        cond("COND: ArnLike, a component wildcard stays in its component", r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin"}}"#, &[("aws:PrincipalArn", &["arn:aws:iam::123:x:role/admin"])], false),
        cond("COND: ArnLike is case-sensitive", r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/Admin*"}}"#, &[("aws:PrincipalArn", &["arn:aws:iam::123456789012:role/admin"])], false),
        cond("COND: ArnLike on a value that is not an ARN is false", r#"{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::*"}}"#, &[("aws:SourceArn", &["not-an-arn"])], false),
        cond("COND: ArnNotEquals, another ARN", r#"{"ArnNotEquals":{"aws:SourceArn":"arn:aws:s3:::bucket"}}"#, &[("aws:SourceArn", &["arn:aws:s3:::other"])], true),
        cond("COND: ArnNotLike, a matching ARN", r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin*"}}"#, &[("aws:PrincipalArn", &["arn:aws:iam::123456789012:role/admin-1"])], false),
        cond("COND: ArnNotLike on an absent key is true", r#"{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/admin*"}}"#, &[], true),
        cond("COND: Null true, the key is absent", r#"{"Null":{"aws:TokenIssueTime":"true"}}"#, &[], true),
        cond("COND: Null true, the key is present", r#"{"Null":{"aws:TokenIssueTime":"true"}}"#, &[("aws:TokenIssueTime", &["2020-01-01T00:00:00Z"])], false),
        cond("COND: Null false, the key is present", r#"{"Null":{"aws:TokenIssueTime":"false"}}"#, &[("aws:TokenIssueTime", &["2020-01-01T00:00:00Z"])], true),
        cond("COND: Null false, the key is absent", r#"{"Null":{"aws:TokenIssueTime":"false"}}"#, &[], false),
        cond("COND: Null with a JSON boolean", r#"{"Null":{"aws:RequestTag/env":true}}"#, &[], true),
        cond("COND: StringEqualsIfExists on an absent key is true", r#"{"StringEqualsIfExists":{"ec2:InstanceType":["t1.micro","m1.small"]}}"#, &[], true),
        cond("COND: StringEqualsIfExists on a present key checks it", r#"{"StringEqualsIfExists":{"ec2:InstanceType":["t1.micro","m1.small"]}}"#, &[("ec2:InstanceType", &["m5.large"])], false),
        cond("COND: StringEqualsIfExists on a present key that matches", r#"{"StringEqualsIfExists":{"ec2:InstanceType":["t1.micro","m1.small"]}}"#, &[("ec2:InstanceType", &["m1.small"])], true),
        cond("COND: NumericLessThanIfExists on an absent key", r#"{"NumericLessThanIfExists":{"s3:max-keys":"10"}}"#, &[], true),
        cond("COND: IpAddressIfExists on an absent key", r#"{"IpAddressIfExists":{"aws:SourceIp":"192.0.2.0/24"}}"#, &[], true),
        cond("COND: ArnLikeIfExists on an absent key", r#"{"ArnLikeIfExists":{"aws:SourceArn":"arn:aws:s3:::x"}}"#, &[], true),
        cond("COND: StringNotEqualsIfExists on a present equal key", r#"{"StringNotEqualsIfExists":{"aws:PrincipalTag/team":"x"}}"#, &[("aws:PrincipalTag/team", &["x"])], false),
        // ---- Multiple keys, operators and values ----
        cond("MULTI: two keys in one operator are an AND (both met)", r#"{"StringEquals":{"aws:PrincipalTag/team":"a","aws:RequestedRegion":"eu-west-1"}}"#, &[("aws:PrincipalTag/team", &["a"]), ("aws:RequestedRegion", &["eu-west-1"])], true),
        cond("MULTI: two keys in one operator are an AND (one not met)", r#"{"StringEquals":{"aws:PrincipalTag/team":"a","aws:RequestedRegion":"eu-west-1"}}"#, &[("aws:PrincipalTag/team", &["a"]), ("aws:RequestedRegion", &["us-east-1"])], false),
        cond("MULTI: two operators are an AND (both met)", r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"},"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#, &[("aws:MultiFactorAuthPresent", &["true"]), ("aws:SourceIp", &["192.0.2.1"])], true),
        cond("MULTI: two operators are an AND (one not met)", r#"{"Bool":{"aws:MultiFactorAuthPresent":"true"},"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"#, &[("aws:MultiFactorAuthPresent", &["true"]), ("aws:SourceIp", &["10.0.0.1"])], false),
        cond("MULTI: a date window (DateGreaterThan and DateLessThan)", r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}"#, &[("aws:CurrentTime", &["2020-05-15T00:00:00Z"])], true),
        cond("MULTI: a date window, after it", r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}"#, &[("aws:CurrentTime", &["2020-07-01T00:00:00Z"])], false),
        // ---- Set operators ----
        cond("SET: ForAllValues:StringEquals, every tag key allowed", r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"#, &[("aws:TagKeys", &["environment"])], true),
        cond("SET: ForAllValues:StringEquals, one tag key not allowed", r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"#, &[("aws:TagKeys", &["environment", "owner"])], false),
        cond("SET: ForAllValues on an absent key is true", r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"#, &[], true),
        cond("SET: ForAllValues on an empty set is true", r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["environment"]}}"#, &[("aws:TagKeys", &[])], true),
        cond("SET: ForAnyValue:StringEquals, one value matches", r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"#, &[("aws:TagKeys", &["owner", "cost-center"])], true),
        cond("SET: ForAnyValue:StringEquals, none matches", r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}"#, &[("aws:TagKeys", &["owner"])], false),
        cond("SET: ForAnyValue on an absent key is false", r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment"]}}"#, &[], false),
        cond("SET: ForAnyValue on an empty set is false", r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment"]}}"#, &[("aws:TagKeys", &[])], false),
        cond("SET: ForAnyValue:StringLike with a wildcard", r#"{"ForAnyValue:StringLike":{"aws:TagKeys":"team*"}}"#, &[("aws:TagKeys", &["owner", "team-name"])], true),
        cond("SET: ForAllValues:StringLike, all match", r#"{"ForAllValues:StringLike":{"aws:TagKeys":["key1*","key2*"]}}"#, &[("aws:TagKeys", &["key1a", "key2b"])], true),
        cond("SET: ForAllValues:StringNotEquals, none of the values is listed", r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"#, &[("aws:TagKeys", &["a", "b"])], true),
        cond("SET: ForAllValues:StringNotEquals, one value is listed", r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":["secret"]}}"#, &[("aws:TagKeys", &["a", "secret"])], false),
        cond("SET: ForAnyValue:StringNotEquals, some value is not listed", r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]}}"#, &[("aws:TagKeys", &["secret", "b"])], true),
        cond("SET: ForAnyValue:StringNotEquals, every value is listed", r#"{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["secret"]}}"#, &[("aws:TagKeys", &["secret"])], false),
        cond("SET: ForAllValues:StringEqualsIgnoreCase", r#"{"ForAllValues:StringEqualsIgnoreCase":{"aws:TagKeys":["Environment"]}}"#, &[("aws:TagKeys", &["environment", "ENVIRONMENT"])], true),
        cond("SET: ForAnyValue:StringEqualsIfExists on an absent key is true", r#"{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":["a"]}}"#, &[], true),
        cond("SET: ForAllValues with a Null check that requires the key", r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]},"Null":{"aws:TagKeys":"false"}}"#, &[], false),
        cond("SET: multivalued keys need a set operator; without one (Gatehouse's reading) any value may match", r#"{"StringEquals":{"aws:CalledVia":"athena.amazonaws.com"}}"#, &[("aws:CalledVia", &["glue.amazonaws.com", "athena.amazonaws.com"])], true),
        // ---- Policy variables ----
        case(
            "VARS: ${aws:username} in a resource (a home folder per user)",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/home/Juan/photo.jpg",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:username", &["Juan"]),
        case(
            "VARS: ${aws:username} does not cover another user's folder",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/home/Maria/photo.jpg",
            Implicit(Some((0, 0, "does not match arn:aws:s3:::bucket/home/${aws:username}/*"))),
        )
        .ctx("aws:username", &["Juan"]),
        case(
            "VARS: a variable with no value makes the statement not match",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/home/${aws:username}/photo.jpg",
            Implicit(Some((0, 0, "the variable ${aws:username} in its Resource has no value"))),
        ),
        case(
            "VARS: a deny whose variable has no value does not apply",
            &[S3_ALL, r#"{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"}"#],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        ),
        case(
            "VARS: ${aws:username} in an IAM user ARN (manage own access keys)",
            &[r#"{"Effect":"Allow","Action":["iam:*AccessKey*","iam:GetUser"],"Resource":"arn:aws:iam::*:user/${aws:username}"}"#],
            "iam:CreateAccessKey",
            "arn:aws:iam::123456789012:user/Juan",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:username", &["Juan"]),
        case(
            "VARS: variable values are case-sensitive in ARNs",
            &[r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::*:user/${aws:username}"}"#],
            "iam:CreateAccessKey",
            "arn:aws:iam::123456789012:user/juan",
            Implicit(Some((0, 0, "does not match"))),
        )
        .ctx("aws:username", &["Juan"]),
        case(
            "VARS: variable names are case-insensitive",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${AWS:UserName}/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/Juan/x",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:username", &["Juan"]),
        case(
            "VARS: ${aws:PrincipalTag/team} in a resource",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/blue/x",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:PrincipalTag/team", &["blue"]),
        case(
            "VARS: ${aws:PrincipalTag/...} in a condition value (ResourceTag equals PrincipalTag)",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/project":"${aws:PrincipalTag/project}"}}}"#],
            "ec2:StartInstances",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:ResourceTag/project", &["apollo"])
        .ctx("aws:PrincipalTag/project", &["apollo"]),
        case(
            "VARS: a condition variable for another value does not match",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/project":"${aws:PrincipalTag/project}"}}}"#],
            "ec2:StartInstances",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            Implicit(Some((0, 0, "aws:ResourceTag/project"))),
        )
        .ctx("aws:ResourceTag/project", &["gemini"])
        .ctx("aws:PrincipalTag/project", &["apollo"]),
        case(
            "VARS: a condition variable with no value makes the statement not match",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/project":"${aws:PrincipalTag/project}"}}}"#],
            "ec2:StartInstances",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-1",
            Implicit(Some((0, 0, "the variable ${aws:PrincipalTag/project} in condition aws:ResourceTag/project"))),
        )
        .ctx("aws:ResourceTag/project", &["apollo"]),
        case(
            "VARS: a variable in a StringLike value (s3:prefix home/${aws:username}/*)",
            &[r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}}}"#],
            "s3:ListBucket",
            "arn:aws:s3:::bucket",
            Allowed(&[(0, 0)]),
        )
        .ctx("s3:prefix", &["home/Juan/docs"])
        .ctx("aws:username", &["Juan"]),
        case(
            "VARS: ${*} is a literal asterisk, not a wildcard",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${*}"}"#],
            "s3:GetObject",
            OBJ,
            Implicit(Some((0, 0, "does not match"))),
        ),
        case(
            "VARS: ${*} matches a key that is an asterisk",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${*}"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/*",
            Allowed(&[(0, 0)]),
        ),
        case(
            "VARS: ${?} is a literal question mark",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/a${?}"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/ab",
            Implicit(Some((0, 0, "does not match"))),
        ),
        case(
            "VARS: ${?} matches a question mark",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/a${?}"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/a?",
            Allowed(&[(0, 0)]),
        ),
        case(
            "VARS: ${$} is a literal dollar sign",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${$}{x}"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/${x}",
            Allowed(&[(0, 0)]),
        ),
        case(
            "VARS: a default value when the key is absent",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'company-wide'}/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/company-wide/x",
            Allowed(&[(0, 0)]),
        ),
        case(
            "VARS: the default value is not used when the key has a value",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'company-wide'}/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/company-wide/x",
            Implicit(Some((0, 0, "does not match"))),
        )
        .ctx("aws:PrincipalTag/team", &["blue"]),
        case(
            "VARS: a variable's value is literal, its wildcards do not glob",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/anything",
            Implicit(Some((0, 0, "does not match"))),
        )
        .ctx("aws:username", &["*"]),
        case(
            "VARS: a multivalued key is no variable",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:CalledVia}/*"}"#],
            "s3:GetObject",
            "arn:aws:s3:::bucket/a/x",
            Implicit(Some((0, 0, "has no value"))),
        )
        .ctx("aws:CalledVia", &["a", "b"]),
        case(
            "VARS: without Version 2012-10-17, ${aws:username} is plain text",
            &[],
            "s3:GetObject",
            "arn:aws:s3:::bucket/${aws:username}/x",
            Allowed(&[(0, 0)]),
        )
        .raw(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}/*"}]}"#)
        .ctx("aws:username", &["Juan"]),
        case(
            "VARS: under Version 2008-10-17, the user's name is not substituted",
            &[],
            "s3:GetObject",
            "arn:aws:s3:::bucket/Juan/x",
            Implicit(Some((0, 0, "does not match"))),
        )
        .raw(r#"{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::bucket/${aws:username}/*"}]}"#)
        .ctx("aws:username", &["Juan"]),
        case(
            "VARS: ${aws:userid} and a string after it",
            &[r#"{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/${aws:userid}-table"}"#],
            "dynamodb:GetItem",
            "arn:aws:dynamodb:us-east-1:123456789012:table/AIDAEXAMPLE-table",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:userid", &["AIDAEXAMPLE"]),
        // ---- Closest miss ----
        case(
            "PEL: the closest miss is the statement that failed only on a condition",
            &[
                r#"{"Sid":"Other","Effect":"Allow","Action":"ec2:*","Resource":"*"}"#,
                r#"{"Sid":"NeedsMfa","Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
            ],
            "s3:DeleteBucket",
            "arn:aws:s3:::bucket",
            Implicit(Some((1, 0, "condition aws:MultiFactorAuthPresent (Bool true) is not met: the key is absent"))),
        ),
        case(
            "PEL: a condition miss is closer than a resource miss",
            &[
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::logs/*"},{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
            ],
            "s3:DeleteBucket",
            "arn:aws:s3:::bucket",
            Implicit(Some((0, 1, "the request has false"))),
        )
        .ctx("aws:MultiFactorAuthPresent", &["false"]),
        case(
            "PEL: a resource miss is closer than an action miss",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"},{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::logs/*"}"#],
            "s3:DeleteBucket",
            "arn:aws:s3:::bucket",
            Implicit(Some((0, 1, "the resource arn:aws:s3:::bucket does not match arn:aws:s3:::logs/*"))),
        ),
        case(
            "PEL: one failed dimension is closer than two",
            &[r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::logs/*"},{"Effect":"Allow","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::logs"}"#],
            "s3:DeleteBucket",
            "arn:aws:s3:::bucket",
            Implicit(Some((0, 1, "does not match arn:aws:s3:::logs"))),
        ),
        case(
            "PEL: the action reason is given first",
            &[r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*"}"#],
            "s3:DeleteBucket",
            "arn:aws:s3:::bucket",
            Implicit(Some((0, 0, "the action s3:DeleteBucket is not in its Action list"))),
        ),
        case(
            "PEL: deny statements are never the closest miss",
            &[r#"{"Effect":"Deny","Action":"ec2:*","Resource":"*"},{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Implicit(Some((0, 1, "Action list"))),
        ),
        case(
            "PEL: the closest miss reports the failing condition among several",
            &[r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}"#],
            "s3:GetObject",
            OBJ,
            Implicit(Some((0, 0, "condition aws:SourceIp (IpAddress 192.0.2.0/24) is not met: the request has 10.1.2.3"))),
        )
        .ctx("aws:SecureTransport", &["true"])
        .ctx("aws:SourceIp", &["10.1.2.3"]),
        case(
            "PEL: the first of equally close statements",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*"}"#, r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#],
            "s3:GetObject",
            OBJ,
            Implicit(Some((0, 0, "Action list"))),
        ),
        // ---- More IAM example policies ----
        case(
            "EX: allow EC2 in one region (aws:RequestedRegion)",
            &[r#"{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-2"}}}"#],
            "ec2:RunInstances",
            "*",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:RequestedRegion", &["us-east-2"]),
        case(
            "EX: deny access outside the listed regions (StringNotEquals on a deny)",
            &[ALL, r#"{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-west-1"]}}}"#],
            "ec2:RunInstances",
            "*",
            Denied(&[(1, 0)]),
        )
        .ctx("aws:RequestedRegion", &["us-east-1"]),
        case(
            "EX: deny access outside the listed regions lets a listed region through",
            &[ALL, r#"{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["eu-central-1","eu-west-1"]}}}"#],
            "ec2:RunInstances",
            "*",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:RequestedRegion", &["eu-west-1"]),
        case(
            "EX: deny based on source IP (NotIpAddress on a deny)",
            &[ALL, r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}}"#],
            "s3:GetObject",
            OBJ,
            Denied(&[(1, 0)]),
        )
        .ctx("aws:SourceIp", &["198.51.100.7"])
        .ctx("aws:ViaAWSService", &["false"]),
        case(
            "EX: deny based on source IP spares calls made by a service",
            &[ALL, r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]},"Bool":{"aws:ViaAWSService":"false"}}}"#],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:SourceIp", &["198.51.100.7"])
        .ctx("aws:ViaAWSService", &["true"]),
        case(
            "EX: start and stop instances tagged with the principal's CostCenter",
            &[r#"{"Effect":"Allow","Action":["ec2:StartInstances","ec2:StopInstances"],"Resource":"arn:aws:ec2:*:*:instance/*","Condition":{"StringEquals":{"aws:ResourceTag/CostCenter":"${aws:PrincipalTag/CostCenter}"}}}"#],
            "ec2:StopInstances",
            "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:ResourceTag/CostCenter", &["42"])
        .ctx("aws:PrincipalTag/CostCenter", &["42"]),
        case(
            "EX: tag on create only with allowed keys (ForAllValues and a request tag)",
            &[r#"{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/Department":["Dev","QA"]},"ForAllValues:StringEquals":{"aws:TagKeys":["Department"]}}}"#],
            "iam:CreateUser",
            "arn:aws:iam::123456789012:user/new",
            Implicit(Some((0, 0, "aws:TagKeys"))),
        )
        .ctx("aws:RequestTag/Department", &["Dev"])
        .ctx("aws:TagKeys", &["Department", "Owner"]),
        case(
            "EX: self-managed MFA: manage only one's own MFA device",
            &[r#"{"Effect":"Allow","Action":["iam:CreateVirtualMFADevice","iam:DeleteVirtualMFADevice"],"Resource":"arn:aws:iam::*:mfa/${aws:username}"}"#],
            "iam:CreateVirtualMFADevice",
            "arn:aws:iam::123456789012:mfa/Juan",
            Allowed(&[(0, 0)]),
        )
        .ctx("aws:username", &["Juan"]),
        case(
            "EX: MFA age under an hour (NumericLessThan on aws:MultiFactorAuthAge)",
            &[r#"{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}"#],
            "ec2:TerminateInstances",
            "*",
            Implicit(Some((0, 0, "aws:MultiFactorAuthAge (NumericLessThan 3600) is not met: the key is absent"))),
        ),
        case(
            "EX: deny S3 over plain HTTP (aws:SecureTransport false)",
            &[S3_ALL, r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#],
            "s3:GetObject",
            OBJ,
            Denied(&[(1, 0)]),
        )
        .ctx("aws:SecureTransport", &["false"]),
        case(
            "EX: PassRole only to EC2 (iam:PassedToService)",
            &[r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::123456789012:role/app-*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}"#],
            "iam:PassRole",
            "arn:aws:iam::123456789012:role/app-web",
            Implicit(Some((0, 0, "iam:PassedToService"))),
        )
        .ctx("iam:PassedToService", &["lambda.amazonaws.com"]),
        case(
            "EX: a single statement object instead of an array",
            &[],
            "s3:GetObject",
            OBJ,
            Allowed(&[(0, 0)]),
        )
        .raw(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}}"#),
    ]
}

fn context_of(c: &Case) -> Context {
    let mut ctx = Context::default();
    for (k, v) in &c.context {
        ctx.insert(k, v.iter().map(|s| s.to_string()).collect());
    }
    ctx
}

fn refs(pairs: &[(usize, usize)]) -> Vec<StatementRef> {
    pairs.iter().map(|&(policy, statement)| StatementRef { policy, statement }).collect()
}

#[test]
fn aws_documented_cases() {
    let cases = cases();
    assert!(cases.len() >= 150, "{} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let identity: Vec<Policy> =
            c.identity.iter().map(|d| Policy::parse(d).unwrap_or_else(|e| panic!("{}: {e}\n{d}", c.name))).collect();
        let identity: Vec<&Policy> = identity.iter().collect();
        let boundary = c.boundary.as_deref().map(|d| Policy::parse(d).unwrap_or_else(|e| panic!("{}: {e}", c.name)));
        let ctx = context_of(c);
        let got =
            evaluate(&identity, boundary.as_ref(), &Request { action: c.action, resource: c.resource, context: &ctx });
        let ok = match &c.want {
            Want::Allowed(at) => got.decision == Decision::Allowed && got.deciding == refs(at) && !got.boundary_denied,
            Want::Denied(at) => got.decision == Decision::ExplicitDeny && got.deciding == refs(at),
            Want::Implicit(closest) => {
                got.decision == Decision::ImplicitDeny
                    && got.deciding.is_empty()
                    && !got.boundary_denied
                    && miss_is(&got.closest, *closest)
            }
            Want::Boundary(closest) => {
                got.decision == Decision::ImplicitDeny && got.boundary_denied && miss_is(&got.closest, Some(*closest))
            }
        };
        if !ok {
            failures.push(format!("{}: got {got:?}", c.name));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

fn miss_is(got: &Option<Miss>, want: Option<(usize, usize, &str)>) -> bool {
    match (got, want) {
        (None, None) => true,
        (Some(m), Some((p, s, reason))) => {
            m.at == StatementRef { policy: p, statement: s } && m.reason.contains(reason)
        }
        _ => false,
    }
}
