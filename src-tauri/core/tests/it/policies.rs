//! Managed policies against moto (with AWS's 1,582 managed policies loaded): the list,
//! versions, entities, and deletion through a plan; every change read back with boto3.

use gatehouse_core::deletion::{self, Step, Target};
use gatehouse_core::error::ErrorCode;
use gatehouse_core::iam::policies::{self, NewPolicy};
use gatehouse_core::vocab::{Principal, Tag};
use gatehouse_testkit::faults::{Answer, Fault, FaultServer};
use serde_json::json;
use std::time::Instant;

use crate::common::{self, Account};

fn doc(action: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}).to_string()
}

fn new_policy(name: &str) -> NewPolicy {
    NewPolicy {
        name: name.into(),
        path: "/team/".into(),
        description: "Reads the deploy bucket".into(),
        document: doc("s3:GetObject"),
        tags: vec![Tag { key: "team".into(), value: "platform".into() }],
    }
}

#[tokio::test]
async fn the_list_has_aws_and_customer_policies_with_descriptions() {
    let a = Account::new("710000000020").await;
    let conn = a.conn();
    let created = policies::create_policy(&conn, &new_policy("deploy-read")).await.unwrap();
    assert_eq!(created.arn, "arn:aws:iam::710000000020:policy/team/deploy-read");
    assert_eq!((created.name.as_str(), created.path.as_str()), ("deploy-read", "/team/"));
    assert!(!created.aws_managed);

    let started = Instant::now();
    let (list, calls) = policies::list_policies_counted(&conn).await.unwrap();
    let took = started.elapsed();
    println!("list_policies: {} policies in {calls} call(s), {} ms", list.len(), took.as_millis());
    // The alternative, for the record: ListPolicies pages (100 a page) without descriptions.
    let started = Instant::now();
    let mut pages = conn.iam.list_policies().scope(aws_sdk_iam::types::PolicyScopeType::All).into_paginator().send();
    let (mut n, mut pages_read) = (0, 0);
    while let Some(page) = pages.next().await {
        n += page.unwrap().policies.unwrap_or_default().len();
        pages_read += 1;
    }
    println!("ListPolicies: {n} policies in {pages_read} call(s), {} ms", started.elapsed().as_millis());
    assert!(list.len() > 1_582, "AWS's managed policies and ours: {}", list.len());

    let mine = list.iter().find(|p| p.name == "deploy-read").expect("the customer policy");
    assert_eq!(mine.description, "Reads the deploy bucket");
    assert_eq!(mine.default_version, "v1");
    assert!(!mine.created.is_empty() && !mine.updated.is_empty());
    assert_eq!(list[0].name, "deploy-read", "the account's own policies come first");

    // moto's GetAccountAuthorizationDetails leaves PolicyName out: the name comes from the ARN.
    let ro = list.iter().find(|p| p.arn == "arn:aws:iam::aws:policy/ReadOnlyAccess").expect("ReadOnlyAccess");
    assert_eq!(ro.name, "ReadOnlyAccess");
    assert!(ro.aws_managed);
    // moto's copies of AWS's policies have no descriptions (an empty string, here and in
    // GetPolicy); on AWS, GetAccountAuthorizationDetails carries them.
    assert_eq!(ro.default_version.chars().next(), Some('v'));
    assert!(!ro.created.is_empty());

    let seen = a.moto.boto3(
        "p = iam.get_policy(PolicyArn='arn:aws:iam::710000000020:policy/team/deploy-read')['Policy']\n\
         t = iam.list_policy_tags(PolicyArn=p['Arn'])['Tags']\n\
         print(json.dumps({'description': p.get('Description'), 'tags': t}))",
    );
    assert_eq!(seen, json!({"description": "Reads the deploy bucket", "tags": [{"Key": "team", "Value": "platform"}]}));

    // Rules broken before AWS is asked.
    let long = NewPolicy { description: "x".repeat(1001), ..new_policy("long") };
    assert_eq!(policies::create_policy(&conn, &long).await.unwrap_err().code(), ErrorCode::InvalidInput);
    let bad = NewPolicy { document: "{not json".into(), ..new_policy("bad") };
    assert_eq!(policies::create_policy(&conn, &bad).await.unwrap_err().code(), ErrorCode::MalformedPolicyDocument);
}

#[tokio::test]
async fn versions_and_entities() {
    let a = Account::new("710000000021").await;
    let conn = a.conn();
    let arn = policies::create_policy(&conn, &new_policy("versions")).await.unwrap().value.arn;
    for (i, action) in ["s3:List*", "s3:Get*", "s3:Put*", "s3:Delete*"].iter().enumerate() {
        let v = policies::create_version(&conn, &arn, &doc(action), i == 3).await.unwrap();
        assert_eq!(v.id, format!("v{}", i + 2));
    }
    let detail = policies::get_policy(&conn, &arn).await.unwrap();
    let ids: Vec<&str> = detail.versions.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["v5", "v4", "v3", "v2", "v1"], "newest first");
    assert!(detail.versions[0].default && detail.summary.default_version == "v5");
    assert!(detail.versions[1].document.contains("\"s3:Put*\""), "decoded: {}", detail.versions[1].document);
    assert!(detail.versions[1].document.contains("\n  "), "pretty-printed");
    assert_eq!(detail.tags, [Tag { key: "team".into(), value: "platform".into() }]);

    // A sixth version is refused before AWS is asked, naming what to delete.
    a.moto.boto3(&format!("iam.set_default_policy_version(PolicyArn='{arn}', VersionId='v1'); print('{{}}')"));
    let err = policies::create_version(&conn, &arn, &doc("ec2:*"), false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::LimitExceeded);
    assert!(err.to_string().contains("the oldest that is not the default is v2"), "{err}");

    // Gatehouse makes v1 the default again (after boto3 moved it): boto3 sees it.
    policies::set_default_version(&conn, &arn, "v3").await.unwrap();
    policies::set_default_version(&conn, &arn, "v1").await.unwrap();
    let seen = a.moto.boto3(&format!(
        "print(json.dumps({{v['VersionId']: v['IsDefaultVersion'] for v in iam.list_policy_versions(PolicyArn='{arn}')['Versions']}}))"
    ));
    assert_eq!(seen, json!({"v1": true, "v2": false, "v3": false, "v4": false, "v5": false}));

    policies::delete_version(&conn, &arn, "v2").await.unwrap();
    let err = policies::delete_version(&conn, &arn, "v1").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DeleteConflict);
    assert!(err.to_string().contains("v1 is the default version"), "{err}");
    let seen = a.moto.boto3(&format!(
        "print(json.dumps(sorted(v['VersionId'] for v in iam.list_policy_versions(PolicyArn='{arn}')['Versions'])))"
    ));
    assert_eq!(seen, json!(["v1", "v3", "v4", "v5"]));

    a.moto.boto3(&format!(
        "iam.create_user(UserName='ana'); iam.create_group(GroupName='dev')\n\
         iam.create_role(RoleName='ci', AssumeRolePolicyDocument='{{}}')\n\
         for attach in (lambda: iam.attach_user_policy(UserName='ana', PolicyArn='{arn}'),\n\
                        lambda: iam.attach_group_policy(GroupName='dev', PolicyArn='{arn}'),\n\
                        lambda: iam.attach_role_policy(RoleName='ci', PolicyArn='{arn}')): attach()\n\
         print('{{}}')"
    ));
    let e = policies::entities(&conn, &arn).await.unwrap();
    assert_eq!((e.users, e.groups, e.roles), (vec!["ana".into()], vec!["dev".into()], vec!["ci".into()]));

    // An AWS policy in full: versions, no tags to read, its entities.
    let ro = policies::get_policy(&conn, "arn:aws:iam::aws:policy/ReadOnlyAccess").await.unwrap();
    assert!(ro.summary.aws_managed && !ro.versions.is_empty() && ro.tags.is_empty());
    let err = policies::create_version(&conn, "arn:aws:iam::aws:policy/ReadOnlyAccess", &doc("s3:*"), false).await;
    assert_eq!(err.unwrap_err().code(), ErrorCode::InvalidInput);
}

/// A customer policy attached to a user, a group and a role, with extra versions.
fn seed_attached_policy(a: &Account, name: &str) -> String {
    let made = a.moto.boto3(&format!(
        r#"
d = lambda a: json.dumps({{'Version': '2012-10-17', 'Statement': [{{'Effect': 'Allow', 'Action': a, 'Resource': '*'}}]}})
arn = iam.create_policy(PolicyName='{name}', PolicyDocument=d('s3:Get*'))['Policy']['Arn']
iam.create_policy_version(PolicyArn=arn, PolicyDocument=d('s3:List*'))
iam.create_policy_version(PolicyArn=arn, PolicyDocument=d('s3:Put*'), SetAsDefault=True)
iam.create_user(UserName='ana'); iam.create_group(GroupName='dev')
iam.create_role(RoleName='ci', AssumeRolePolicyDocument=json.dumps({{'Version': '2012-10-17', 'Statement': []}}))
iam.attach_user_policy(UserName='ana', PolicyArn=arn)
iam.attach_group_policy(GroupName='dev', PolicyArn=arn)
iam.attach_role_policy(RoleName='ci', PolicyArn=arn)
print(json.dumps(arn))
"#
    ));
    made.as_str().unwrap().to_string()
}

fn what_boto3_finds(a: &Account, arn: &str) -> serde_json::Value {
    a.moto.boto3(&format!(
        r#"
try:
    iam.get_policy(PolicyArn='{arn}'); policy = True
except iam.exceptions.NoSuchEntityException:
    policy = False
print(json.dumps({{'policy': policy,
  'user': [p['PolicyArn'] for p in iam.list_attached_user_policies(UserName='ana')['AttachedPolicies']],
  'group': [p['PolicyArn'] for p in iam.list_attached_group_policies(GroupName='dev')['AttachedPolicies']],
  'role': [p['PolicyArn'] for p in iam.list_attached_role_policies(RoleName='ci')['AttachedPolicies']]}}))
"#
    ))
}

#[tokio::test]
async fn deleting_a_policy_detaches_it_everywhere_and_resumes_after_an_interruption() {
    let a = Account::new("710000000022").await;
    let conn = a.conn();
    let arn = seed_attached_policy(&a, "shared");

    let policy = Target::policy(&arn);
    let plan = deletion::plan_all(&*conn, vec![policy.clone()]).await.unwrap().remove(0);
    assert!(!plan.gone);
    let steps: Vec<Step> = plan.steps.iter().map(|s| s.step.clone()).collect();
    assert_eq!(
        steps,
        [
            Step::DetachFrom { principal: Principal::user("ana") },
            Step::DetachFrom { principal: Principal::group("dev") },
            Step::DetachFrom { principal: Principal::role("ci") },
            Step::DeletePolicyVersion { id: "v1".into() },
            Step::DeletePolicyVersion { id: "v2".into() },
            Step::Delete,
        ]
    );
    assert_eq!(plan.steps[5].text, "Delete policy shared");

    // Interrupted: the role's detach fails (throttled) after the user and group went.
    let fault = FaultServer::start(Fault::when(Answer::Throttling, &a.moto.endpoint(), |body| {
        body.contains("Action=DetachRolePolicy")
    }));
    let (_files, through) = common::connect(&fault.endpoint()).await;
    let mut seen = Vec::new();
    let first =
        deletion::delete_all(&*through.get("t").unwrap(), vec![policy.clone()], |p| seen.push(p.text)).await.remove(0);
    assert_eq!(first.done, ["Detach from user ana", "Detach from group dev"]);
    assert_eq!(first.failed.as_deref(), Some("Detach from role ci"));
    assert_eq!(first.error.as_ref().map(|e| e.code), Some(ErrorCode::Throttling));
    assert_eq!(first.remaining, ["Delete version v1", "Delete version v2", "Delete policy shared"]);
    assert_eq!(seen.len(), 3, "each step is announced as it starts");
    let mid = what_boto3_finds(&a, &arn);
    assert_eq!(mid, json!({"policy": true, "user": [], "group": [], "role": [arn]}));

    // Run again: re-planned from what is left, it finishes the job.
    let second = deletion::delete_all(&*conn, vec![policy.clone()], |_| {}).await.remove(0);
    assert!(second.failed.is_none(), "{second:?}");
    assert_eq!(second.done, ["Detach from role ci", "Delete version v1", "Delete version v2", "Delete policy shared"]);
    assert_eq!(what_boto3_finds(&a, &arn), json!({"policy": false, "user": [], "group": [], "role": []}));

    // Once more: nothing to do.
    assert!(deletion::plan_all(&*conn, vec![policy.clone()]).await.unwrap()[0].gone);
    let third = deletion::delete_all(&*conn, vec![policy], |_| {}).await.remove(0);
    assert!(third.done.is_empty() && third.failed.is_none() && third.remaining.is_empty(), "{third:?}");

    // AWS's own policies cannot be deleted by anyone.
    let aws_managed = Target::policy("arn:aws:iam::aws:policy/ReadOnlyAccess");
    let err = deletion::plan_all(&*conn, vec![aws_managed]).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("managed by AWS"), "{err}");
}
