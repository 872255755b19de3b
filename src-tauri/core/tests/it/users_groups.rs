//! Users and groups against moto; each change is read back with boto3, and what boto3
//! wrote is read by Gatehouse.

use gatehouse_core::error::ErrorCode;
use gatehouse_core::iam::users::{self, NewUser};
use gatehouse_core::iam::{groups, inventory, principals};
use gatehouse_core::vocab::{Changed, Entity, How, Principal, Tag};
use serde_json::json;

use crate::common::{self, Account};
use gatehouse_testkit::faults::{Answer, Fault, FaultServer};

fn tag(k: &str, v: &str) -> Tag {
    Tag { key: k.into(), value: v.into() }
}

#[tokio::test]
async fn creating_a_user_with_path_tags_groups_and_policies() {
    let a = Account::new("710000000001").await;
    a.moto.boto3("iam.create_group(GroupName='developers'); print('{}')");
    let spec = NewUser {
        name: "ana.silva".into(),
        path: "/engineering/".into(),
        tags: vec![tag("team", "payments"), tag("cost-center", "1001")],
        groups: vec!["developers".into()],
        new_groups: vec!["oncall".into()],
        policies: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
        copy_from: None,
    };
    let changed = users::create_user(&a.conn(), &spec).await.unwrap();
    // What it answers is what the window reloads: each thing it made or changed, once.
    let readonly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    let expected = Changed::created(Entity::group("oncall"))
        .and(Changed::created(Entity::user("ana.silva")))
        .and(Changed::updated(Entity::group("developers")))
        .and(Changed::updated(Entity::user("ana.silva")))
        .and(Changed::updated(Entity::group("oncall")))
        .and(Changed::updated(Entity::policy(readonly)));
    assert_eq!(changed, expected);
    let got = a.moto.boto3(
        r#"
u = iam.get_user(UserName='ana.silva')['User']
print(json.dumps({
  'path': u['Path'],
  'tags': sorted([t['Key'] + '=' + t['Value'] for t in iam.list_user_tags(UserName='ana.silva')['Tags']]),
  'groups': sorted(g['GroupName'] for g in iam.list_groups_for_user(UserName='ana.silva')['Groups']),
  'policies': [p['PolicyArn'] for p in iam.list_attached_user_policies(UserName='ana.silva')['AttachedPolicies']],
}))"#,
    );
    assert_eq!(got["path"], "/engineering/");
    assert_eq!(got["tags"], json!(["cost-center=1001", "team=payments"]));
    assert_eq!(got["groups"], json!(["developers", "oncall"]), "the missing group was created on the spot");
    assert_eq!(got["policies"], json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"]));

    // A copy of ana gets her groups and policies.
    let copy = NewUser { name: "ben".into(), copy_from: Some("ana.silva".into()), ..NewUser::default() };
    users::create_user(&a.conn(), &copy).await.unwrap();
    let got = a.moto.boto3(
        "print(json.dumps({'groups': sorted(g['GroupName'] for g in iam.list_groups_for_user(UserName='ben')['Groups']),\
         'policies': [p['PolicyArn'] for p in iam.list_attached_user_policies(UserName='ben')['AttachedPolicies']]}))",
    );
    assert_eq!(got["groups"], json!(["developers", "oncall"]));
    assert_eq!(got["policies"], json!(["arn:aws:iam::aws:policy/ReadOnlyAccess"]));

    // AWS's errors keep their meaning.
    let err = users::create_user(&a.conn(), &NewUser { name: "ben".into(), ..NewUser::default() }).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::EntityAlreadyExists, "{err}");
}

#[tokio::test]
async fn bad_input_is_refused_before_any_call() {
    let a = Account::new("710000000002").await;
    for spec in [
        NewUser { name: "ana silva".into(), ..NewUser::default() },
        NewUser { name: "u".repeat(65), ..NewUser::default() },
        NewUser { name: "ok".into(), path: "engineering".into(), ..NewUser::default() },
        NewUser { name: "ok".into(), tags: vec![tag("aws:x", "1")], ..NewUser::default() },
        NewUser { name: "ok".into(), groups: (0..11).map(|i| format!("g{i}")).collect(), ..NewUser::default() },
    ] {
        let err = users::create_user(&a.conn(), &spec).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    }
    // moto would have accepted every one of them; none reached it.
    let users = a.moto.boto3("print(json.dumps([u['UserName'] for u in iam.list_users()['Users']]))");
    assert_eq!(users, json!([]));
}

#[tokio::test]
async fn rename_move_tag_and_inline_policies() {
    let a = Account::new("710000000003").await;
    a.moto.boto3("iam.create_user(UserName='temp', Path='/', Tags=[{'Key': 'team', 'Value': 'x'}]); print('{}')");
    let conn = a.conn();
    let renamed =
        principals::rename(&conn, &Principal::user("temp"), Some("temp.renamed"), Some("/contractors/")).await.unwrap();
    assert_eq!(renamed, Changed::one(Entity::user("temp"), How::Renamed { to: "temp.renamed".into() }));
    let got = a.moto.boto3("u = iam.get_user(UserName='temp.renamed')['User']; print(json.dumps({'path': u['Path']}))");
    assert_eq!(got["path"], "/contractors/");
    // On AWS a rename keeps the user's tags; moto drops them, so the test does not
    // check them here (the app relies on AWS's behaviour and re-reads the user).

    let p = Principal::user("temp.renamed");
    principals::tag(&conn, &p, &[], &[tag("team", "platform"), tag("owner", "ana@example.com")]).await.unwrap();
    principals::untag(&conn, &p, &["owner".into()]).await.unwrap();
    let tags = a.moto.boto3(
        "print(json.dumps({t['Key']: t['Value'] for t in iam.list_user_tags(UserName='temp.renamed')['Tags']}))",
    );
    assert_eq!(tags, json!({"team": "platform"}));
    let existing = vec![tag("team", "platform")];
    let err = principals::tag(&conn, &p, &existing, &[tag("Team", "dup")]).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");

    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;
    principals::put_inline_policy(&conn, &p, "read-b", doc).await.unwrap();
    let shown = principals::get_inline_policy(&conn, &p, "read-b").await.unwrap();
    assert!(shown.contains("\"s3:GetObject\"") && shown.contains('\n'), "decoded and pretty: {shown}");
    let via_boto3 = a.moto.boto3(
        "print(json.dumps(iam.get_user_policy(UserName='temp.renamed', PolicyName='read-b')['PolicyDocument']))",
    );
    assert_eq!(via_boto3["Statement"][0]["Action"], "s3:GetObject");
    let err = principals::put_inline_policy(&conn, &p, "bad", "{\"Statement\": [").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedPolicyDocument);
    principals::delete_inline_policy(&conn, &p, "read-b").await.unwrap();
    principals::attach_policy(&conn, &p, "arn:aws:iam::aws:policy/ReadOnlyAccess").await.unwrap();
    principals::attach_policy(&conn, &p, "arn:aws:iam::aws:policy/PowerUserAccess").await.unwrap();
    principals::detach_policy(&conn, &p, "arn:aws:iam::aws:policy/PowerUserAccess").await.unwrap();
    let attached = a.moto.boto3("print(json.dumps([p['PolicyName'] for p in iam.list_attached_user_policies(UserName='temp.renamed')['AttachedPolicies']]))");
    assert_eq!(attached, json!(["ReadOnlyAccess"]));
    let left = a.moto.boto3("print(json.dumps(iam.list_user_policies(UserName='temp.renamed')['PolicyNames']))");
    assert_eq!(left, json!([]));
}

#[tokio::test]
async fn user_detail_shows_what_boto3_gave_the_user_and_where_policies_come_from() {
    let a = Account::new("710000000004").await;
    let made = a.moto.boto3(
        r#"
iam.create_group(GroupName='readers'); iam.attach_group_policy(GroupName='readers', PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')
iam.create_user(UserName='dev', Tags=[{'Key': 'team', 'Value': 'search'}])
iam.add_user_to_group(GroupName='readers', UserName='dev')
iam.create_login_profile(UserName='dev', Password='Initial-Passw0rd!', PasswordResetRequired=True)
key = iam.create_access_key(UserName='dev')['AccessKey']['AccessKeyId']
print(json.dumps({'key': key}))"#,
    );
    let d = users::user_detail(&a.conn(), "dev").await.unwrap();
    assert_eq!(d.tags, [tag("team", "search")]);
    assert!(d.login_profile.is_some(), "console access");
    assert_eq!(d.access_keys.len(), 1);
    assert_eq!(json!(d.access_keys[0].id), made["key"]);
    assert_eq!(d.access_keys[0].status, "Active");
    assert_eq!(d.groups, ["readers"]);
    assert_eq!(d.via_groups.len(), 1);
    assert_eq!(d.via_groups[0].group, "readers");
    assert_eq!(d.via_groups[0].attached, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    let err = users::user_detail(&a.conn(), "nobody").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoSuchEntity);

    // After a change, one row is rebuilt from per-user calls instead of a full reload.
    let row = users::user_row(&a.conn(), "dev").await.unwrap().unwrap();
    assert_eq!(row.groups, ["readers"]);
    assert_eq!(row.keys.as_ref().unwrap().count, 1);
    assert!(row.console.as_ref().unwrap().enabled);
    assert!(users::user_row(&a.conn(), "nobody").await.unwrap().is_none());
    let group = groups::group_row(&a.conn(), "readers").await.unwrap().unwrap();
    assert_eq!(group.members, ["dev"]);
}

#[tokio::test]
async fn the_inventory_comes_from_a_handful_of_bulk_calls() {
    let a = Account::new("710000000005").await;
    let seed = a.moto.seed("acme");
    a.moto.boto3(
        "iam.create_login_profile(UserName='alice.nguyen', Password='P4ssw0rd!x'); iam.create_access_key(UserName='alice.nguyen'); print('{}')",
    );
    let inv = inventory::load(&a.conn()).await.unwrap();
    assert!(inv.warnings.is_empty(), "{:?}", inv.warnings);
    assert!(inv.calls <= 5, "{} calls", inv.calls);
    assert_eq!(inv.users.len(), seed["users"].as_array().unwrap().len());
    let alice = inv.users.iter().find(|u| u.name == "alice.nguyen").unwrap();
    assert_eq!(alice.groups, ["administrators"]);
    assert!(alice.console.as_ref().unwrap().enabled);
    assert_eq!(alice.keys.as_ref().unwrap().count, 1);
    assert_eq!(alice.mfa, Some(false));
    // What the seed gave: keys for services, console and MFA for an administrator.
    let ci = inv.users.iter().find(|u| u.name == "ci-deploy").unwrap();
    assert_eq!(ci.keys.as_ref().unwrap().count, 1);
    assert!(!ci.console.as_ref().unwrap().enabled);
    let victor = inv.users.iter().find(|u| u.name == "victor.hugo").unwrap();
    assert!(victor.console.as_ref().unwrap().enabled);
    assert_eq!(victor.mfa, Some(true));
    let bob = inv.users.iter().find(|u| u.name == "bob.martin").unwrap();
    assert_eq!(bob.attached_policies.len(), 1, "the seed attaches one policy to bob");
    assert_eq!(bob.inline_policies, ["read-build-logs"]);
    let devs = inv.groups.iter().find(|g| g.name == "developers").unwrap();
    let expected: usize = seed["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["groups"].as_array().unwrap().contains(&json!("developers")))
        .count();
    assert_eq!(devs.members.len(), expected);
    assert_eq!(devs.attached_policies.len(), 2, "PowerUserAccess and the seeded customer policy");
}

#[tokio::test]
async fn groups_are_created_renamed_and_filled_from_either_side() {
    let a = Account::new("710000000006").await;
    a.moto.boto3("[iam.create_user(UserName=u) for u in ('u1', 'u2', 'u3')]; print('{}')");
    let conn = a.conn();
    groups::create_group(&conn, "qa", "/teams/").await.unwrap();
    assert_eq!(groups::create_group(&conn, "qa team", "/").await.unwrap_err().code(), ErrorCode::InvalidInput);
    groups::set_membership(&conn, "qa", &["u1".into(), "u2".into(), "u3".into()], true).await.unwrap();
    groups::set_membership(&conn, "qa", &["u2".into()], false).await.unwrap();
    principals::rename(&conn, &Principal::group("qa"), Some("quality"), None).await.unwrap();
    let err = principals::rename(&conn, &Principal::group("quality"), Some("q a"), None).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    principals::attach_policy(&conn, &Principal::group("quality"), "arn:aws:iam::aws:policy/ReadOnlyAccess")
        .await
        .unwrap();
    let got = a.moto.boto3(
        "g = iam.get_group(GroupName='quality'); print(json.dumps({'path': g['Group']['Path'], 'members': sorted(u['UserName'] for u in g['Users']),\
         'policies': [p['PolicyArn'] for p in iam.list_attached_group_policies(GroupName='quality')['AttachedPolicies']]}))",
    );
    assert_eq!(
        got,
        json!({"path": "/teams/", "members": ["u1", "u3"], "policies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]})
    );
    let d = groups::group_detail(&conn, "quality").await.unwrap();
    assert_eq!(d.members, ["u1", "u3"]);
    assert_eq!(d.attached_policies, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    let err = groups::set_membership(&conn, "quality", &["nobody".into()], true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoSuchEntity, "{err}");
    // Failing after a first user was added: still AWS's code, and who was added.
    let err = groups::set_membership(&conn, "quality", &["u2".into(), "nobody".into()], true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoSuchEntity, "{err}");
    assert!(err.to_string().contains("1 already added: u2"), "{err}");
}

#[tokio::test]
async fn a_step_throttled_after_others_worked_keeps_its_code_and_says_what_was_done() {
    let a = Account::new("710000000007").await;
    a.moto.boto3(
        "iam.create_group(GroupName='developers'); [iam.create_user(UserName=u) for u in ('u1', 'u2')]; print('{}')",
    );
    // moto cannot fail one step after others worked: a fault server in front of it can.
    let throttle = FaultServer::start(Fault::when(Answer::Throttling, &a.moto.endpoint(), |body| {
        body.contains("Action=AddUserToGroup") && (body.contains("UserName=ana") || body.contains("UserName=u2"))
    }));
    let (_files, through) = common::connect(&throttle.endpoint()).await;
    let conn = through.get("t").unwrap();

    let spec = NewUser { name: "ana".into(), groups: vec!["developers".into()], ..NewUser::default() };
    let err = users::create_user(&conn, &spec).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Throttling, "{err}");
    assert!(err.to_string().contains("Rate exceeded — after this was done: created user ana."), "{err}");
    assert_eq!(err.changed, Changed::created(Entity::user("ana")), "what was done before, for the window to reload");
    let ana = a.moto.boto3(
        "print(json.dumps({'user': iam.get_user(UserName='ana')['User']['UserName'], \
         'groups': [g['GroupName'] for g in iam.list_groups_for_user(UserName='ana')['Groups']]}))",
    );
    assert_eq!(ana, json!({"user": "ana", "groups": []}), "the user was made; the membership was not");

    let err = groups::set_membership(&conn, "developers", &["u1".into(), "u2".into()], true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Throttling, "{err}");
    assert!(err.to_string().contains("Rate exceeded — 1 already added: u1"), "{err}");
    let u1 = Changed::updated(Entity::group("developers")).and(Changed::updated(Entity::user("u1")));
    assert_eq!(err.changed, u1);
    assert!(!err.changed.0.iter().any(|c| c.how != How::Updated));
    let members =
        a.moto.boto3("print(json.dumps([u['UserName'] for u in iam.get_group(GroupName='developers')['Users']]))");
    assert_eq!(members, json!(["u1"]));
}
