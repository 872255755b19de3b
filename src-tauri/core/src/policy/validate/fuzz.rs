//! The validator must never panic and must stay quick on anything typed into the editor:
//! arbitrary text, valid policies with bytes deleted, inserted or duplicated, and deep
//! nesting. proptest runs here, in the ordinary `cargo test`, with a bounded number of cases.

use super::*;
use proptest::prelude::*;
use std::time::{Duration, Instant};

const SEEDS: &[&str] = &[
    r#"{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A1","Effect":"Allow","Action":["s3:Get*","s3:GetObject","iam:PassRole"],"Resource":["*","arn:aws:ec2:us-east-1:1:instance/*"],"Condition":{"StringLike":{"s3:prefix":["${aws:username}/*"]},"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"a"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["*","123456789012"],"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true}}}}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:s3:::b/é😀","Condition":{"NumericLessThan":{"s3:max-keys":10.5e3}}}]}"#,
];

fn kinds() -> impl Strategy<Value = PolicyKind> {
    prop_oneof![
        Just(PolicyKind::Managed),
        Just(PolicyKind::UserInline),
        Just(PolicyKind::GroupInline),
        Just(PolicyKind::RoleInline),
        Just(PolicyKind::Trust),
    ]
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let piece = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just(":".to_string()),
        Just(",".to_string()),
        Just("\\u".to_string()),
        Just("😀".to_string()),
        any::<String>(),
    ];
    let edit = prop_oneof![
        (any::<usize>(), 1..20usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), piece).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), 1..40usize).prop_map(|(at, n)| Edit::Duplicate(at, n)),
    ];
    prop::collection::vec(edit, 1..6)
}

/// Applies the edits to the document's bytes; the result is read back lossily, as the editor
/// would only ever hold valid UTF-8 but the edits may cut a character.
fn mutate(seed: &str, edits: &[Edit]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for e in edits {
        let len = bytes.len().max(1);
        match e {
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Edit::Insert(at, s) => {
                let at = (at % len).min(bytes.len());
                bytes.splice(at..at, s.bytes());
            }
            Edit::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let copy: Vec<u8> = bytes.get(at..end).unwrap_or_default().to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every finding's range lies inside the document and in order.
fn consistent(doc: &str, v: &Validation) {
    let len = doc.encode_utf16().count() as u32;
    for f in &v.findings {
        assert!(f.from <= f.to && f.to <= len, "{f:?} in a document of {len}");
        assert!(f.line >= 1 && f.column >= 1);
        assert!(!f.code.is_empty() && !f.message.is_empty());
    }
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_text_never_panics(doc in any::<String>(), kind in kinds()) {
        let v = validate(&doc, kind);
        consistent(&doc, &v);
        let _ = check(&doc, kind);
    }

    #[test]
    fn mutated_policies_never_panic(seed in 0..SEEDS.len(), edits in edits(), kind in kinds()) {
        let doc = mutate(SEEDS[seed], &edits);
        let v = validate(&doc, kind);
        consistent(&doc, &v);
    }

    #[test]
    fn json_like_text_never_panics(doc in "[\\[\\]{}\":,\\\\ a-zA-Z0-9*?${}/.é😀-]{0,300}", kind in kinds()) {
        consistent(&doc, &validate(&doc, kind));
    }
}

#[test]
fn deep_nesting_is_refused_quickly() {
    let start = Instant::now();
    for open in ["[", "{\"a\":", "{\"Statement\":", "[{\"Condition\":"] {
        // Under the size read at all (policy::validate::LARGEST_READ), far over MAX_DEPTH.
        let doc = open.repeat(3_000);
        let v = validate(&doc, PolicyKind::Managed);
        assert_eq!(v.findings.iter().filter(|f| f.code == "JSON_SYNTAX").count(), 1);
    }
    let nested = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{"aws:username":{}1{}}}}}}}]}}"#,
        "[".repeat(50),
        "]".repeat(50)
    );
    let v = validate(&nested, PolicyKind::Managed);
    assert!(v.findings.iter().any(|f| f.code == "CONDITION_SHAPE"), "{:?}", v.findings);
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
}

#[test]
fn a_large_policy_validates_quickly() {
    let statement = r#"{"Effect":"Allow","Action":["s3:Get*","ec2:Describe*","iam:*AccessKey*","s3:GetObject"],"Resource":"*","Condition":{"StringEquals":{"aws:username":"a"}}}"#;
    let doc = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, vec![statement; 200].join(","));
    let start = Instant::now();
    let v = validate(&doc, PolicyKind::RoleInline);
    let took = start.elapsed();
    println!("{} bytes, {} findings in {took:?}", doc.len(), v.findings.len());
    assert!(v.findings.iter().any(|f| f.code == "POLICY_TOO_LARGE"));
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn long_names_are_not_compared_for_typos() {
    // Three times, under the size read at all (LARGEST_READ).
    let long = "A".repeat(15_000);
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["ec2:{long}","{long}x:Get"],"Resource":"*","Condition":{{"StringEquals":{{"s3:{long}":"a"}}}}}}]}}"#
    );
    let start = Instant::now();
    let v = validate(&doc, PolicyKind::Managed);
    assert!(v.findings.iter().any(|f| f.code == "UNKNOWN_ACTION"), "{:?}", v.findings);
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
}
