//! Trust policies: built from what an administrator picks, and described in words.

use serde::Deserialize;
use serde_json::{json, Map, Value};

/// Who may assume a role, as the trust-policy builder asks it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TrustSpec {
    /// AWS services, by service principal (`ec2.amazonaws.com`).
    #[serde(rename_all = "camelCase")]
    Service { principals: Vec<String> },
    /// Another (or this) AWS account.
    #[serde(rename_all = "camelCase")]
    Account { account_id: String, external_id: Option<String>, require_mfa: bool },
    /// An OIDC provider of the account, with its audience and subject conditions.
    #[serde(rename_all = "camelCase")]
    WebIdentity { provider_arn: String, audience: Option<String>, subject: Option<String> },
    #[serde(rename_all = "camelCase")]
    Saml { provider_arn: String },
}

/// The audience AWS's console federation endpoint puts in SAML assertions.
const SAML_AUDIENCE: &str = "https://signin.aws.amazon.com/saml";

/// The OIDC provider's host as condition keys name it: the ARN's part after
/// `oidc-provider/` (`token.actions.githubusercontent.com`).
fn oidc_host(provider_arn: &str) -> &str {
    provider_arn.split_once(":oidc-provider/").map_or(provider_arn, |(_, h)| h)
}

/// What the builder refuses to build: a web-identity trust of a shared OIDC provider
/// (GitHub Actions, GitLab.com, Terraform Cloud, Bitbucket…) with no subject, which would
/// let anyone on that service assume the role.
pub fn check(spec: &TrustSpec) -> crate::error::Result<()> {
    let TrustSpec::WebIdentity { provider_arn, subject, .. } = spec else { return Ok(()) };
    let Some((host, name)) = crate::policy::validate::shared_web_identity_provider(provider_arn) else {
        return Ok(());
    };
    match subject.as_deref().map(str::trim) {
        Some(sub) if !sub.trim_matches('*').is_empty() => Ok(()),
        _ => Err(crate::error::Error::InvalidInput(format!(
            "Name the subject ({host}:sub) this role trusts: without one, anyone with a {name} identity token \
             (any repository, project or workspace there, not only yours) could assume it."
        ))),
    }
}

/// The trust policy for `spec`, pretty-printed, for the editor.
pub fn build(spec: &TrustSpec) -> String {
    let statement = match spec {
        TrustSpec::Service { principals } => {
            let service = if principals.len() == 1 { json!(principals[0]) } else { json!(principals) };
            json!({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"})
        }
        TrustSpec::Account { account_id, external_id, require_mfa } => {
            let mut condition = Map::new();
            if let Some(id) = external_id.as_deref().filter(|s| !s.is_empty()) {
                condition.insert("StringEquals".into(), json!({"sts:ExternalId": id}));
            }
            if *require_mfa {
                condition.insert("Bool".into(), json!({"aws:MultiFactorAuthPresent": "true"}));
            }
            let mut s = json!({
                "Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{account_id}:root")},
                "Action": "sts:AssumeRole",
            });
            if !condition.is_empty() {
                s["Condition"] = Value::Object(condition);
            }
            s
        }
        TrustSpec::WebIdentity { provider_arn, audience, subject } => {
            let host = oidc_host(provider_arn);
            let mut equals = Map::new();
            let mut like = Map::new();
            if let Some(aud) = audience.as_deref().filter(|s| !s.is_empty()) {
                equals.insert(format!("{host}:aud"), json!(aud));
            }
            if let Some(sub) = subject.as_deref().filter(|s| !s.is_empty()) {
                // A subject with a wildcard ("repo:org/app:*") only matches under StringLike.
                let target = if sub.contains(['*', '?']) { &mut like } else { &mut equals };
                target.insert(format!("{host}:sub"), json!(sub));
            }
            let mut condition = Map::new();
            if !equals.is_empty() {
                condition.insert("StringEquals".into(), Value::Object(equals));
            }
            if !like.is_empty() {
                condition.insert("StringLike".into(), Value::Object(like));
            }
            let mut s = json!({
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
            });
            if !condition.is_empty() {
                s["Condition"] = Value::Object(condition);
            }
            s
        }
        TrustSpec::Saml { provider_arn } => json!({
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithSAML",
            "Condition": {"StringEquals": {"SAML:aud": SAML_AUDIENCE}},
        }),
    };
    let doc = json!({"Version": "2012-10-17", "Statement": [statement]});
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// A string or a list of strings, as every policy element may be.
fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// Short names for the services administrators meet most; any other principal is shown as
/// its host, which is already readable (`states.amazonaws.com`).
fn service_word(principal: &str) -> String {
    let short = principal.strip_suffix(".amazonaws.com").or_else(|| principal.strip_suffix(".amazonaws.com.cn"));
    let known = match short {
        Some("ec2") => "EC2",
        Some("lambda") => "Lambda",
        Some("ecs-tasks") => "ECS tasks",
        Some("ecs") => "ECS",
        Some("eks") => "EKS",
        Some("edgelambda") => "Lambda@Edge",
        Some("apigateway") => "API Gateway",
        Some("events") => "EventBridge",
        Some("states") => "Step Functions",
        Some("codebuild") => "CodeBuild",
        Some("codepipeline") => "CodePipeline",
        Some("glue") => "Glue",
        Some("sagemaker") => "SageMaker",
        Some("cloudformation") => "CloudFormation",
        Some("s3") => "S3",
        Some("sns") => "SNS",
        Some("sqs") => "SQS",
        _ => return principal.to_string(),
    };
    known.to_string()
}

/// An `AWS` principal in words: an account (`123456789012` or its `:root` ARN), a role,
/// a user, or anyone.
fn aws_word(principal: &str) -> String {
    if principal == "*" {
        return "any AWS principal (*)".into();
    }
    if principal.len() == 12 && principal.bytes().all(|b| b.is_ascii_digit()) {
        return format!("account {principal}");
    }
    let parts: Vec<&str> = principal.splitn(6, ':').collect();
    if let [_, _, "iam", "", account, resource] = parts[..] {
        if resource == "root" {
            return format!("account {account}");
        }
        if let Some(role) = resource.strip_prefix("role/") {
            return format!("role {} in account {account}", role.rsplit('/').next().unwrap_or(role));
        }
        if let Some(user) = resource.strip_prefix("user/") {
            return format!("user {} in account {account}", user.rsplit('/').next().unwrap_or(user));
        }
    }
    if let [_, _, "sts", "", account, resource] = parts[..] {
        if let Some(session) = resource.strip_prefix("assumed-role/") {
            let role = session.split('/').next().unwrap_or(session);
            return format!("role {role} in account {account}");
        }
    }
    principal.to_string()
}

/// A `Federated` principal in words: GitHub's OIDC provider by name, another OIDC
/// provider by host, a SAML provider by its name in the account.
fn federated_word(principal: &str) -> String {
    if let Some((_, name)) = principal.split_once(":saml-provider/") {
        return format!("SAML: {name}");
    }
    let host = oidc_host(principal);
    match host {
        "token.actions.githubusercontent.com" => "GitHub OIDC".into(),
        "cognito-identity.amazonaws.com" => "Cognito identity pools".into(),
        "accounts.google.com" => "Google".into(),
        "www.amazon.com" => "Login with Amazon".into(),
        "graph.facebook.com" => "Facebook".into(),
        _ => host.to_string(),
    }
}

/// What the statement's conditions add to an account's words.
fn account_qualifiers(statement: &Value) -> String {
    let Some(condition) = statement.get("Condition").and_then(Value::as_object) else {
        return String::new();
    };
    let has = |key: &str| {
        condition.values().filter_map(Value::as_object).any(|m| m.keys().any(|k| k.eq_ignore_ascii_case(key)))
    };
    let mut out = Vec::new();
    if has("aws:MultiFactorAuthPresent") || has("aws:MultiFactorAuthAge") {
        out.push("with MFA");
    }
    if has("sts:ExternalId") {
        out.push("with external ID");
    }
    if out.is_empty() {
        String::new()
    } else {
        format!(" {}", out.join(" and "))
    }
}

/// The trusted entities of a trust policy, in words, in the order the policy names them.
/// Only `Allow` statements trust anyone; a document that is not JSON trusts no one we can
/// name.
pub fn describe(document: &str) -> Vec<String> {
    let Ok(doc) = serde_json::from_str::<Value>(document) else {
        return Vec::new();
    };
    let statements = match doc.get("Statement") {
        Some(Value::Array(a)) => a.clone(),
        Some(s @ Value::Object(_)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let mut out: Vec<String> = Vec::new();
    for s in statements.iter().filter(|s| s.get("Effect").and_then(Value::as_str) == Some("Allow")) {
        let principal = s.get("Principal");
        let words: Vec<String> = match principal {
            Some(Value::String(star)) if star == "*" => vec!["any AWS principal (*)".into()],
            Some(Value::Object(p)) => {
                let qualifiers = account_qualifiers(s);
                let mut w: Vec<String> = strings(p.get("Service")).iter().map(|x| service_word(x)).collect();
                w.extend(strings(p.get("AWS")).iter().map(|x| {
                    let word = aws_word(x);
                    if word.starts_with("account ") {
                        format!("{word}{qualifiers}")
                    } else {
                        word
                    }
                }));
                w.extend(strings(p.get("Federated")).iter().map(|x| federated_word(x)));
                w
            }
            _ => Vec::new(),
        };
        for w in words {
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_json(spec: &TrustSpec) -> Value {
        serde_json::from_str(&build(spec)).unwrap()
    }

    #[test]
    fn builds_each_kind_of_trust() {
        let github = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        let okta = "arn:aws:iam::123456789012:saml-provider/okta";
        let cases: Vec<(TrustSpec, Value)> = vec![
            (
                TrustSpec::Service { principals: vec!["ec2.amazonaws.com".into()] },
                json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
            ),
            (
                TrustSpec::Service { principals: vec!["ec2.amazonaws.com".into(), "lambda.amazonaws.com".into()] },
                json!({"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]},
                       "Action": "sts:AssumeRole"}),
            ),
            (
                TrustSpec::Account { account_id: "111122223333".into(), external_id: None, require_mfa: false },
                json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                       "Action": "sts:AssumeRole"}),
            ),
            (
                TrustSpec::Account {
                    account_id: "111122223333".into(),
                    external_id: Some("s3cr3t".into()),
                    require_mfa: true,
                },
                json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                       "Action": "sts:AssumeRole",
                       "Condition": {"StringEquals": {"sts:ExternalId": "s3cr3t"},
                                     "Bool": {"aws:MultiFactorAuthPresent": "true"}}}),
            ),
            (
                TrustSpec::WebIdentity {
                    provider_arn: github.into(),
                    audience: Some("sts.amazonaws.com".into()),
                    subject: Some("repo:acme/app:ref:refs/heads/main".into()),
                },
                json!({"Effect": "Allow", "Principal": {"Federated": github},
                       "Action": "sts:AssumeRoleWithWebIdentity",
                       "Condition": {"StringEquals": {
                           "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                           "token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}}),
            ),
            (
                TrustSpec::WebIdentity {
                    provider_arn: github.into(),
                    audience: Some("sts.amazonaws.com".into()),
                    subject: Some("repo:acme/app:*".into()),
                },
                json!({"Effect": "Allow", "Principal": {"Federated": github},
                       "Action": "sts:AssumeRoleWithWebIdentity",
                       "Condition": {
                           "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                           "StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:*"}}}),
            ),
            (
                TrustSpec::Saml { provider_arn: okta.into() },
                json!({"Effect": "Allow", "Principal": {"Federated": okta}, "Action": "sts:AssumeRoleWithSAML",
                       "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}),
            ),
        ];
        for (spec, statement) in cases {
            let doc = spec_json(&spec);
            assert_eq!(doc, json!({"Version": "2012-10-17", "Statement": [statement]}), "{spec:?}");
            assert!(build(&spec).contains("\n  "), "pretty-printed for the editor");
        }
    }

    #[test]
    fn describes_trusted_entities_in_words() {
        let stmt = |principal: Value, condition: Option<Value>| {
            let mut s = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
            if let Some(c) = condition {
                s["Condition"] = c;
            }
            json!({"Version": "2012-10-17", "Statement": [s]}).to_string()
        };
        let cases: Vec<(String, Vec<&str>)> = vec![
            (stmt(json!({"Service": "ec2.amazonaws.com"}), None), vec!["EC2"]),
            (
                stmt(json!({"Service": ["lambda.amazonaws.com", "states.amazonaws.com"]}), None),
                vec!["Lambda", "Step Functions"],
            ),
            (stmt(json!({"Service": "unknown-thing.amazonaws.com"}), None), vec!["unknown-thing.amazonaws.com"]),
            (stmt(json!({"AWS": "arn:aws:iam::123456789012:root"}), None), vec!["account 123456789012"]),
            (stmt(json!({"AWS": "123456789012"}), None), vec!["account 123456789012"]),
            (
                stmt(
                    json!({"AWS": "arn:aws:iam::123456789012:root"}),
                    Some(json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
                ),
                vec!["account 123456789012 with MFA"],
            ),
            (
                stmt(
                    json!({"AWS": "arn:aws:iam::123456789012:root"}),
                    Some(json!({"StringEquals": {"sts:ExternalId": "x"}})),
                ),
                vec!["account 123456789012 with external ID"],
            ),
            (
                stmt(json!({"AWS": "arn:aws:iam::123456789012:role/deploy/ci"}), None),
                vec!["role ci in account 123456789012"],
            ),
            (
                stmt(json!({"AWS": "arn:aws:iam::123456789012:user/ana"}), None),
                vec!["user ana in account 123456789012"],
            ),
            (stmt(json!({"AWS": "*"}), None), vec!["any AWS principal (*)"]),
            (stmt(json!("*"), None), vec!["any AWS principal (*)"]),
            (
                stmt(
                    json!({"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}),
                    None,
                ),
                vec!["GitHub OIDC"],
            ),
            (
                stmt(
                    json!({"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"}),
                    None,
                ),
                vec!["oidc.eks.eu-west-1.amazonaws.com/id/ABC"],
            ),
            (stmt(json!({"Federated": "arn:aws:iam::123456789012:saml-provider/okta"}), None), vec!["SAML: okta"]),
            ("not json".into(), vec![]),
        ];
        for (doc, words) in cases {
            assert_eq!(describe(&doc), words, "{doc}");
        }
    }

    #[test]
    fn a_built_policy_describes_as_what_was_picked() {
        let spec = TrustSpec::Account { account_id: "111122223333".into(), external_id: None, require_mfa: true };
        assert_eq!(describe(&build(&spec)), ["account 111122223333 with MFA"]);
        let deny = r#"{"Statement": [{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}"#;
        assert!(describe(deny).is_empty(), "a Deny trusts no one");
    }

    /// Issue 20, item 6: the builder refuses a shared provider with no subject.
    #[test]
    fn a_shared_oidc_provider_needs_a_subject() {
        let github = |subject: Option<&str>| TrustSpec::WebIdentity {
            provider_arn: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com".into(),
            audience: Some("sts.amazonaws.com".into()),
            subject: subject.map(str::to_string),
        };
        for missing in [None, Some(""), Some("  "), Some("*")] {
            let err = check(&github(missing)).unwrap_err();
            assert_eq!(err.code(), crate::error::ErrorCode::InvalidInput);
            assert!(err.to_string().contains("token.actions.githubusercontent.com:sub"), "{err}");
            assert!(err.to_string().contains("GitHub Actions"), "{err}");
        }
        check(&github(Some("repo:acme/web:*"))).unwrap();
        // An account's own provider (EKS) is its own: no subject is its administrator's call.
        let eks = TrustSpec::WebIdentity {
            provider_arn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC".into(),
            audience: None,
            subject: None,
        };
        check(&eks).unwrap();
        let gitlab = TrustSpec::WebIdentity {
            provider_arn: "arn:aws:iam::111122223333:oidc-provider/gitlab.com".into(),
            audience: None,
            subject: None,
        };
        assert!(check(&gitlab).unwrap_err().to_string().contains("GitLab.com"));
    }
}
