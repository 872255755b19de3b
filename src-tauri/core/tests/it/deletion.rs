//! Deleting users and groups through the plan, against moto, checked with boto3.
//! moto skips most DeleteConflict checks (it would delete a user with keys and groups
//! still attached), so the AWS rules themselves are covered by the unit tests with a fake;
//! here the point is that every dependency AWS would object to is really removed.

use gatehouse_core::credentials::mfa;
use gatehouse_core::deletion::{self, DeletionOps, Step, Target};
use gatehouse_core::vocab::Principal;
use serde_json::json;

use crate::common::Account;

#[tokio::test]
async fn deleting_a_user_removes_every_dependency_and_nothing_dangles() {
    let a = Account::new("555555555555").await;
    let moto = &a.moto;
    let made = moto.boto3(
        r#"
iam.create_group(GroupName='developers'); iam.create_group(GroupName='oncall')
iam.create_user(UserName='leaver', Path='/engineering/')
iam.create_login_profile(UserName='leaver', Password='Initial-Passw0rd!')
k1 = iam.create_access_key(UserName='leaver')['AccessKey']['AccessKeyId']
k2 = iam.create_access_key(UserName='leaver')['AccessKey']['AccessKeyId']
iam.add_user_to_group(GroupName='developers', UserName='leaver')
iam.add_user_to_group(GroupName='oncall', UserName='leaver')
iam.attach_user_policy(UserName='leaver', PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')
iam.put_user_policy(UserName='leaver', PolicyName='logs', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'logs:Get*', 'Resource': '*'}]}))
mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName='leaver')['VirtualMFADevice']['SerialNumber']
iam.enable_mfa_device(UserName='leaver', SerialNumber=mfa, AuthenticationCode1='123456', AuthenticationCode2='654321')
print(json.dumps({'keys': sorted([k1, k2]), 'mfa': mfa}))
"#,
    );
    let conn = a.conn();
    let p = Target::from(Principal::user("leaver"));

    let deps = conn.dependencies(&p).await.unwrap().expect("the user exists");
    let mut keys = deps.access_keys.clone();
    keys.sort();
    assert_eq!(json!(keys), made["keys"]);
    assert!(deps.login_profile);
    assert_eq!(deps.mfa_devices, [made["mfa"].as_str().unwrap()]);
    let mut groups = deps.memberships.clone();
    groups.sort();
    assert_eq!(groups, ["developers", "oncall"]);
    assert_eq!(deps.attached_policies, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    assert_eq!(deps.inline_policies, ["logs"]);
    // moto has no ListServiceSpecificCredentials (HTTP 500): the plan says it could not
    // check, instead of failing. On AWS the listing works and nothing is flagged.
    assert!(deps.warnings.iter().any(|w| w.contains("service-specific credentials")), "{:?}", deps.warnings);

    let steps = deletion::plan(&p, &deps);
    assert!(steps.contains(&Step::DeleteVirtualMfaDevice { serial: made["mfa"].as_str().unwrap().into() }));
    let mut progress = 0;
    let outcome = deletion::execute(&*conn, &p, steps, |i, _| progress = i + 1).await;
    assert!(outcome.is_complete(), "{outcome:?}");
    assert_eq!(progress, outcome.done.len());

    let after = moto.boto3(
        r#"
try:
    iam.get_user(UserName='leaver'); user = True
except iam.exceptions.NoSuchEntityException:
    user = False
members = [u['UserName'] for g in ('developers', 'oncall') for u in iam.get_group(GroupName=g)['Users']]
mfas = [d['SerialNumber'] for d in iam.list_virtual_mfa_devices()['VirtualMFADevices']]
print(json.dumps({'user': user, 'members': members, 'mfas': mfas}))
"#,
    );
    assert_eq!(after["user"], false, "boto3 finds no user");
    assert_eq!(after["members"], json!([]), "no group membership remains");
    assert!(!after["mfas"].as_array().unwrap().contains(&made["mfa"]), "no dangling MFA device");

    // Deleting again is a no-op, not an error.
    let again = deletion::delete(&*conn, &p, |_, _| {}).await.unwrap();
    assert!(again.is_complete() && again.done.is_empty());
}

#[tokio::test]
async fn deleting_a_group_removes_members_and_policies_first() {
    let a = Account::new("666666666666").await;
    let moto = &a.moto;
    moto.boto3(
        r#"
iam.create_group(GroupName='contractors')
for u in ('c1', 'c2'):
    iam.create_user(UserName=u); iam.add_user_to_group(GroupName='contractors', UserName=u)
iam.attach_group_policy(GroupName='contractors', PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')
iam.put_group_policy(GroupName='contractors', PolicyName='deny-iam', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Deny', 'Action': 'iam:*', 'Resource': '*'}]}))
print('{}')
"#,
    );
    let conn = a.conn();
    let p = Target::from(Principal::group("contractors"));
    let deps = conn.dependencies(&p).await.unwrap().unwrap();
    assert_eq!(deletion::plan(&p, &deps).len(), 5, "two members, one attachment, one inline policy, the group");
    let outcome = deletion::delete(&*conn, &p, |_, _| {}).await.unwrap();
    assert!(outcome.is_complete(), "{outcome:?}");
    let after = moto.boto3(
        r#"
groups = [g['GroupName'] for g in iam.list_groups()['Groups']]
users = sorted(u['UserName'] for u in iam.list_users()['Users'])
print(json.dumps({'groups': groups, 'users': users}))
"#,
    );
    assert_eq!(after["groups"], json!([]));
    assert_eq!(after["users"], json!(["c1", "c2"]), "members leave the group; they are not deleted");
}

/// ListMFADevices stops listing a device once it is deactivated: an abandoned enrolment
/// (created, never enabled) and an interrupted removal (deactivated, not deleted) leave
/// virtual devices only ListVirtualMFADevices finds. They go with their user; a device
/// named for "joana" is not "ana"'s.
#[tokio::test]
async fn devices_left_behind_named_for_the_user_go_with_it_and_no_one_elses() {
    let a = Account::new("555555555556").await;
    let moto = &a.moto;
    let made = moto.boto3(
        r#"
for u in ('ana', 'joana', 'bo'):
    iam.create_user(UserName=u)
ana = iam.create_virtual_mfa_device(Path='/team/', VirtualMFADeviceName='ana')['VirtualMFADevice']['SerialNumber']
joana = iam.create_virtual_mfa_device(VirtualMFADeviceName='joana')['VirtualMFADevice']['SerialNumber']
bo = iam.create_virtual_mfa_device(VirtualMFADeviceName='bo')['VirtualMFADevice']['SerialNumber']
iam.enable_mfa_device(UserName='bo', SerialNumber=bo, AuthenticationCode1='123456', AuthenticationCode2='654321')
iam.deactivate_mfa_device(UserName='bo', SerialNumber=bo)
print(json.dumps({'ana': ana, 'joana': joana, 'bo': bo}))
"#,
    );
    let serial = |u: &str| made[u].as_str().unwrap().to_string();
    assert_eq!(serial("ana"), "arn:aws:iam::555555555556:mfa/team/ana");
    let conn = a.conn();

    assert_eq!(mfa::orphaned_devices(&conn, "ana").await.unwrap(), [serial("ana")]);
    assert_eq!(mfa::orphaned_devices(&conn, "joana").await.unwrap(), [serial("joana")]);
    assert_eq!(mfa::orphaned_devices(&conn, "bo").await.unwrap(), [serial("bo")]);

    let ana = Target::from(Principal::user("ana"));
    let deps = conn.dependencies(&ana).await.unwrap().unwrap();
    assert!(deps.mfa_devices.is_empty(), "ListMFADevices does not list it");
    assert_eq!(deps.unassigned_mfa_devices, [serial("ana")]);
    let steps = deletion::plan(&ana, &deps);
    assert_eq!(steps, [Step::DeleteVirtualMfaDevice { serial: serial("ana") }, Step::Delete]);
    let outcome = deletion::execute(&*conn, &ana, steps, |_, _| {}).await;
    assert!(outcome.is_complete(), "{outcome:?}");

    let bo = deletion::delete(&*conn, &Principal::user("bo").into(), |_, _| {}).await.unwrap();
    assert!(bo.is_complete(), "{bo:?}");
    assert_eq!(bo.done[0], Step::DeleteVirtualMfaDevice { serial: serial("bo") });

    let left = moto.boto3(
        "print(json.dumps({'devices': [d['SerialNumber'] for d in iam.list_virtual_mfa_devices()['VirtualMFADevices']], \
         'users': sorted(u['UserName'] for u in iam.list_users()['Users'])}))",
    );
    assert_eq!(left, json!({"devices": [serial("joana")], "users": ["joana"]}), "joana's device is untouched");
}
