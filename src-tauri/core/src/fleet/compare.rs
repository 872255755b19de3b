//! Two accounts side by side: what drifted between, say, staging and production. Entities
//! are matched by name, since ids and ARNs carry the account and never match; documents
//! are compared as policies, not as text.

use crate::access::{Details, Entity, ManagedDocument};
use crate::iam::account::{diff_password_policy, AccountPasswordPolicy, PolicyFieldChange};
use crate::iam::policies::name_from_arn;
use crate::policy::document::percent_decode;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub enum Side {
    OnlyInA,
    OnlyInB,
    /// In both accounts, but not the same.
    Different,
}

/// What differs about an entity present in both accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Difference {
    /// A managed policy attached in one account only (by name: AWS managed policies share
    /// their ARN, customer ones are matched across accounts by path and name).
    AttachedPolicy {
        policy: String,
        side: Side,
    },
    /// An inline policy in one account only, or in both with different documents.
    InlinePolicy {
        name: String,
        side: Side,
    },
    TrustPolicy,
    /// A customer managed policy's default version.
    Document,
    PermissionsBoundary {
        a: Option<String>,
        b: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EntityComparison {
    pub name: String,
    pub side: Side,
    /// Empty unless `side` is `Different`.
    pub differences: Vec<Difference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PasswordPolicyComparison {
    /// Whether each account sets a policy; one that does not is compared as AWS's default.
    pub a_set: bool,
    pub b_set: bool,
    /// Fields where B differs from A (`before` is A, `after` is B).
    pub changes: Vec<PolicyFieldChange>,
}

/// Only what differs: entities equal in both accounts are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountComparison {
    pub account_a: String,
    pub account_b: String,
    pub groups: Vec<EntityComparison>,
    pub roles: Vec<EntityComparison>,
    /// Customer managed policies.
    pub policies: Vec<EntityComparison>,
    pub password_policy: PasswordPolicyComparison,
}

pub fn compare(
    a: &Details,
    b: &Details,
    pa: Option<&AccountPasswordPolicy>,
    pb: Option<&AccountPasswordPolicy>,
) -> AccountComparison {
    let default = AccountPasswordPolicy::aws_default();
    let same = Same { a: &a.account, b: &b.account };
    AccountComparison {
        account_a: a.account.clone(),
        account_b: b.account.clone(),
        groups: by_name(&a.groups, &b.groups, |x, y| principal_differences(&same, x, y)),
        roles: by_name(&a.roles, &b.roles, |x, y| {
            let mut d = principal_differences(&same, x, y);
            if !same.document(x.trust.as_deref().unwrap_or_default(), y.trust.as_deref().unwrap_or_default()) {
                d.push(Difference::TrustPolicy);
            }
            let (ba, bb) = (x.boundary.as_deref().map(policy_key), y.boundary.as_deref().map(policy_key));
            if ba != bb {
                let name = |arn: &Option<String>| arn.as_deref().map(|a| name_from_arn(a).to_string());
                d.push(Difference::PermissionsBoundary { a: name(&x.boundary), b: name(&y.boundary) });
            }
            d
        }),
        policies: {
            fn named(d: &Details) -> BTreeMap<String, &ManagedDocument> {
                d.policies.iter().map(|p| (p.name.clone(), p)).collect()
            }
            diff_maps(named(a), named(b), |x, y| {
                if same.document(&x.document, &y.document) {
                    Vec::new()
                } else {
                    vec![Difference::Document]
                }
            })
        },
        password_policy: PasswordPolicyComparison {
            a_set: pa.is_some(),
            b_set: pb.is_some(),
            changes: diff_password_policy(pa.unwrap_or(&default), pb.unwrap_or(&default)),
        },
    }
}

fn by_name(
    a: &[Entity],
    b: &[Entity],
    differences: impl Fn(&Entity, &Entity) -> Vec<Difference>,
) -> Vec<EntityComparison> {
    fn named(list: &[Entity]) -> BTreeMap<String, &Entity> {
        list.iter().map(|e| (e.name.clone(), e)).collect()
    }
    diff_maps(named(a), named(b), |x, y| differences(x, y))
}

fn diff_maps<T>(
    a: BTreeMap<String, &T>,
    b: BTreeMap<String, &T>,
    differences: impl Fn(&T, &T) -> Vec<Difference>,
) -> Vec<EntityComparison> {
    let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .filter_map(|name| {
            let (side, differences) = match (a.get(name), b.get(name)) {
                (Some(_), None) => (Side::OnlyInA, Vec::new()),
                (None, Some(_)) => (Side::OnlyInB, Vec::new()),
                (Some(x), Some(y)) => {
                    let d = differences(x, y);
                    if d.is_empty() {
                        return None;
                    }
                    (Side::Different, d)
                }
                (None, None) => return None,
            };
            Some(EntityComparison { name: name.clone(), side, differences })
        })
        .collect()
}

/// Attached policies and inline policies, which groups, roles (and users) share.
fn principal_differences(same: &Same<'_>, a: &Entity, b: &Entity) -> Vec<Difference> {
    let mut out = Vec::new();
    fn attached(e: &Entity) -> BTreeMap<String, &str> {
        e.managed.iter().map(|arn| (policy_key(arn), arn.as_str())).collect()
    }
    let (ma, mb) = (attached(a), attached(b));
    for (key, arn) in &ma {
        if !mb.contains_key(key) {
            out.push(Difference::AttachedPolicy { policy: name_from_arn(arn).to_string(), side: Side::OnlyInA });
        }
    }
    for (key, arn) in &mb {
        if !ma.contains_key(key) {
            out.push(Difference::AttachedPolicy { policy: name_from_arn(arn).to_string(), side: Side::OnlyInB });
        }
    }
    fn inline(e: &Entity) -> BTreeMap<String, &str> {
        e.inline.iter().map(|(n, d)| (n.clone(), d.as_str())).collect()
    }
    let (ia, ib) = (inline(a), inline(b));
    let names: BTreeSet<&String> = ia.keys().chain(ib.keys()).collect();
    for name in names {
        let side = match (ia.get(name), ib.get(name)) {
            (Some(_), None) => Side::OnlyInA,
            (None, Some(_)) => Side::OnlyInB,
            (Some(x), Some(y)) if !same.document(x, y) => Side::Different,
            _ => continue,
        };
        out.push(Difference::InlinePolicy { name: name.clone(), side });
    }
    out
}

/// A managed policy's ARN without its account: AWS managed policies keep `aws`, customer
/// ones in two accounts match when their path and name do.
fn policy_key(arn: &str) -> String {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        [_, _, _, _, "aws", resource] => format!("aws:{resource}"),
        [_, _, _, _, _, resource] => format!("customer:{resource}"),
        _ => arn.to_string(),
    }
}

/// Documents of account A against account B.
struct Same<'a> {
    a: &'a str,
    b: &'a str,
}

impl Same<'_> {
    /// Each account's own id is set aside: a role trusting its own account, or a policy
    /// naming its own resources, is the same in both. Another account's id is compared.
    fn document(&self, x: &str, y: &str) -> bool {
        let own = |doc: &str, account: &str| {
            let doc = percent_decode(doc);
            if account.is_empty() {
                doc
            } else {
                doc.replace(account, "${OwnAccount}")
            }
        };
        same_document(&own(x, self.a), &own(y, self.b))
    }
}

/// Two documents as IAM reads them: encoding, whitespace and key order aside, and arrays
/// as sets (the order of actions, resources or statements changes nothing, and `"a"`
/// means the same as `["a"]`). Text that is not JSON is compared as text.
pub fn same_document(a: &str, b: &str) -> bool {
    let parse = |s: &str| serde_json::from_str::<Value>(&percent_decode(s)).ok().map(normalize);
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x == y,
        _ => percent_decode(a) == percent_decode(b),
    }
}

fn normalize(v: Value) -> Value {
    match v {
        Value::Array(items) => {
            let mut items: Vec<Value> = items.into_iter().map(normalize).collect();
            items.sort_by_cached_key(Value::to_string);
            items.dedup();
            if items.len() == 1 {
                items.pop().unwrap_or(Value::Null)
            } else {
                Value::Array(items)
            }
        }
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, normalize(v))).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "712000000001";
    const B: &str = "712000000002";

    fn group(account: &str, name: &str, managed: &[&str], inline: &[(&str, &str)]) -> Entity {
        Entity {
            name: name.into(),
            arn: format!("arn:aws:iam::{account}:group/{name}"),
            managed: managed.iter().map(|m| m.replace("ACCT", account)).collect(),
            inline: inline.iter().map(|(n, d)| (n.to_string(), d.to_string())).collect(),
            ..Entity::default()
        }
    }

    fn details(account: &str) -> Details {
        Details { account: account.into(), ..Details::default() }
    }

    const ALLOW_S3: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"}]}"#;
    /// ALLOW_S3 encoded as GetAccountAuthorizationDetails sends it, keys and actions reordered.
    const ALLOW_S3_OTHER_ORDER: &str = "%7B%22Statement%22%3A%7B%22Resource%22%3A%5B%22%2A%22%5D%2C%22Action%22%3A%5B%22s3%3AListBucket%22%2C%22s3%3AGetObject%22%5D%2C%22Effect%22%3A%22Allow%22%7D%2C%22Version%22%3A%222012-10-17%22%7D";
    const ALLOW_EC2: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#;

    #[test]
    fn documents_compare_as_policies_not_text() {
        assert!(same_document(ALLOW_S3, ALLOW_S3_OTHER_ORDER));
        assert!(!same_document(ALLOW_S3, ALLOW_EC2));
        assert!(same_document(r#"{"Action":"s3:*"}"#, r#"{"Action":["s3:*"]}"#));
        assert!(!same_document(r#"{"Action":"s3:*"}"#, "not json"));
    }

    #[test]
    fn groups_only_in_one_account_or_with_other_policies_are_listed_and_equal_ones_not() {
        let readonly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        let mut a = details(A);
        let mut b = details(B);
        a.groups = vec![
            group(A, "same", &[readonly, "arn:aws:iam::ACCT:policy/Ops"], &[("s3", ALLOW_S3)]),
            group(A, "only-a", &[], &[]),
            group(A, "attached", &[readonly], &[]),
            group(A, "inline", &[], &[("s3", ALLOW_S3), ("gone", ALLOW_EC2)]),
        ];
        b.groups = vec![
            // The customer policy Ops has B's account in its ARN and is still the same one.
            group(B, "same", &[readonly, "arn:aws:iam::ACCT:policy/Ops"], &[("s3", ALLOW_S3_OTHER_ORDER)]),
            group(B, "only-b", &[], &[]),
            group(B, "attached", &["arn:aws:iam::ACCT:policy/ReadOnlyAccess"], &[]),
            group(B, "inline", &[], &[("s3", ALLOW_EC2)]),
        ];
        let c = compare(&a, &b, None, None);
        let sides: Vec<_> = c.groups.iter().map(|g| (g.name.as_str(), g.side)).collect();
        assert_eq!(
            sides,
            [
                ("attached", Side::Different),
                ("inline", Side::Different),
                ("only-a", Side::OnlyInA),
                ("only-b", Side::OnlyInB)
            ]
        );
        // A customer policy named like an AWS managed one is another policy.
        assert_eq!(
            c.groups[0].differences,
            [
                Difference::AttachedPolicy { policy: "ReadOnlyAccess".into(), side: Side::OnlyInA },
                Difference::AttachedPolicy { policy: "ReadOnlyAccess".into(), side: Side::OnlyInB },
            ]
        );
        assert_eq!(
            c.groups[1].differences,
            [
                Difference::InlinePolicy { name: "gone".into(), side: Side::OnlyInA },
                Difference::InlinePolicy { name: "s3".into(), side: Side::Different },
            ]
        );
        assert!(c.groups[2].differences.is_empty());
    }

    #[test]
    fn policies_are_matched_by_name_and_differ_by_document() {
        let policy = |account: &str, name: &str, document: &str| ManagedDocument {
            arn: format!("arn:aws:iam::{account}:policy/{name}"),
            name: name.into(),
            document: document.into(),
        };
        let mut a = details(A);
        let mut b = details(B);
        a.policies = vec![policy(A, "Same", ALLOW_S3), policy(A, "Changed", ALLOW_S3), policy(A, "OnlyA", ALLOW_S3)];
        b.policies = vec![
            policy(B, "Same", ALLOW_S3_OTHER_ORDER),
            policy(B, "Changed", ALLOW_EC2),
            policy(B, "OnlyB", ALLOW_S3),
        ];
        let c = compare(&a, &b, None, None);
        let got: Vec<_> = c.policies.iter().map(|p| (p.name.as_str(), p.side, p.differences.clone())).collect();
        assert_eq!(
            got,
            [
                ("Changed", Side::Different, vec![Difference::Document]),
                ("OnlyA", Side::OnlyInA, vec![]),
                ("OnlyB", Side::OnlyInB, vec![]),
            ]
        );
    }

    #[test]
    fn roles_differ_by_trust_boundary_and_policies() {
        let trust = |principal: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
            )
        };
        let role = |account: &str, name: &str, service: &str, boundary: Option<&str>| Entity {
            name: name.into(),
            arn: format!("arn:aws:iam::{account}:role/{name}"),
            trust: Some(trust(service)),
            boundary: boundary.map(|b| format!("arn:aws:iam::{account}:policy/{b}")),
            ..Entity::default()
        };
        let mut a = details(A);
        let mut b = details(B);
        a.roles = vec![
            role(A, "same", "ec2.amazonaws.com", Some("Edge")),
            role(A, "trust", "ec2.amazonaws.com", None),
            role(A, "bound", "ec2.amazonaws.com", None),
        ];
        b.roles = vec![
            role(B, "same", "ec2.amazonaws.com", Some("Edge")),
            role(B, "trust", "lambda.amazonaws.com", None),
            role(B, "bound", "ec2.amazonaws.com", Some("Edge")),
        ];
        let c = compare(&a, &b, None, None);
        let got: Vec<_> = c.roles.iter().map(|r| (r.name.as_str(), r.differences.clone())).collect();
        assert_eq!(
            got,
            [
                ("bound", vec![Difference::PermissionsBoundary { a: None, b: Some("Edge".into()) }]),
                ("trust", vec![Difference::TrustPolicy]),
            ]
        );
    }

    #[test]
    fn a_document_naming_its_own_account_is_the_same_in_both() {
        let root = |account: &str| {
            format!(
                r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"sts:AssumeRole"}}]}}"#
            )
        };
        let role = |account: &str, trusted: &str| Entity {
            name: "Admin".into(),
            arn: format!("arn:aws:iam::{account}:role/Admin"),
            trust: Some(root(trusted)),
            ..Entity::default()
        };
        let (mut a, mut b) = (details(A), details(B));
        a.roles = vec![role(A, A)];
        b.roles = vec![role(B, B)];
        assert!(compare(&a, &b, None, None).roles.is_empty(), "each trusts itself");
        b.roles = vec![role(B, "712000000099")];
        let c = compare(&a, &b, None, None);
        assert_eq!(c.roles[0].differences, [Difference::TrustPolicy], "B trusts a third account");
        b.roles = vec![role(B, A)];
        assert_eq!(compare(&a, &b, None, None).roles.len(), 1, "B trusts A, A trusts itself");
    }

    #[test]
    fn password_policies_compare_field_by_field_with_none_as_aws_default() {
        let (a, b) = (details(A), details(B));
        let strict = AccountPasswordPolicy {
            minimum_password_length: 14,
            require_symbols: true,
            ..AccountPasswordPolicy::aws_default()
        };
        let c = compare(&a, &b, Some(&strict), None);
        assert_eq!((c.password_policy.a_set, c.password_policy.b_set), (true, false));
        let fields: Vec<_> =
            c.password_policy.changes.iter().map(|f| (f.field.as_str(), f.before.as_str(), f.after.as_str())).collect();
        assert_eq!(fields, [("minimumPasswordLength", "14", "8"), ("requireSymbols", "true", "false")]);
        assert!(compare(&a, &b, Some(&strict), Some(&strict.clone())).password_policy.changes.is_empty());
        assert!(compare(&a, &b, None, None).password_policy.changes.is_empty());
        // Equal accounts differ in nothing.
        let c = compare(&a, &b, None, None);
        assert!(c.groups.is_empty() && c.roles.is_empty() && c.policies.is_empty());
    }
}
