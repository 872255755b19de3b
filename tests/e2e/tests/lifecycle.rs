//! Users and groups, their whole lifecycle, clicked through in the real window and checked
//! with boto3 after each step.

use gatehouse_e2e::{app_binary, screenshot_dir, AppWindow, AppWorld, TauriDriver, Xvfb};
use gatehouse_testkit::{AwsFiles, Moto};
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

fn shown_users(s: &AppWindow) -> Vec<String> {
    s.attributes_of_all("tbody tr[data-user]", "data-user")
}

#[test]
fn a_user_and_a_group_from_creation_to_deletion() {
    let moto = Moto::start("333333333333");
    moto.seed("globex");
    let mut files = AwsFiles::new();
    files.static_profile("globex", &moto.endpoint(), "us-east-1");
    let world = AppWorld::new(files);
    let env = world.env(&[("AWS_PROFILE", "globex")]);
    let xvfb = Xvfb::start();
    let driver = TauriDriver::start(&xvfb.display, &env);
    let s = AppWindow::start(&driver.url(), &app_binary());
    let shots = screenshot_dir();

    // AWS_PROFILE is preselected: the account's users appear.
    s.show_users();
    s.wait_until("the seeded users", WAIT, |s| shown_users(s).contains(&"qa.helen".to_string()));

    // Create a user with a path, a tag, a group and a policy.
    s.click_on("[data-testid='add-user']");
    s.fill("[data-testid='new-user-name']", "e2e.user");
    s.fill("[data-testid='new-user-path']", "/e2e/");
    s.click_on("[data-testid='add-tag']");
    s.fill("[data-testid='tag-key']", "team");
    s.fill("[data-testid='tag-value']", "qa");
    s.screenshot(&shots.join("10-add-user-details.png"));
    s.click_on("[data-testid='wizard-next']");
    s.click_on("input[data-group='developers']");
    s.fill("[data-testid='policy-filter']", "ReadOnlyAccess");
    s.click_on("input[data-policy='ReadOnlyAccess']");
    s.screenshot(&shots.join("11-add-user-permissions.png"));
    s.click_on("[data-testid='wizard-next']");
    s.wait_until("the review", WAIT, |s| s.body_text().contains("ReadOnlyAccess"));
    s.screenshot(&shots.join("12-add-user-review.png"));
    s.click_on("[data-testid='wizard-create']");
    s.wait_until("the new user's page", WAIT, |s| {
        s.find_all("[data-testid='user-panel'] [data-group='developers']").len() == 1
    });
    s.screenshot(&shots.join("13-user-page.png"));
    let made = moto.boto3(
        r#"
u = iam.get_user(UserName='e2e.user')['User']
print(json.dumps({'path': u['Path'],
  'tags': {t['Key']: t['Value'] for t in iam.list_user_tags(UserName='e2e.user')['Tags']},
  'groups': [g['GroupName'] for g in iam.list_groups_for_user(UserName='e2e.user')['Groups']],
  'policies': [p['PolicyName'] for p in iam.list_attached_user_policies(UserName='e2e.user')['AttachedPolicies']]}))"#,
    );
    assert_eq!(
        made,
        json!({"path": "/e2e/", "tags": {"team": "qa"}, "groups": ["developers"], "policies": ["ReadOnlyAccess"]})
    );

    // Find it by search.
    s.click_on("[data-testid='user-panel'] .close");
    s.fill("[data-testid='user-search']", "e2e");
    s.wait_until("only the new user", WAIT, |s| shown_users(s) == ["e2e.user"]);
    s.screenshot(&shots.join("14-search.png"));

    // Rename it.
    s.click_on("tr[data-user='e2e.user'] button.link");
    s.wait_for("[data-testid='user-panel'] [data-testid='user-groups']", WAIT);
    s.click_on("[data-testid='rename-user']");
    s.fill("[data-testid='rename-name']", "e2e.renamed");
    s.click_on("[data-testid='rename-save']");
    s.wait_until("the renamed user", WAIT, |s| {
        s.find_all("[data-testid='panel-title']").first().map(|e| s.text(e)).as_deref() == Some("e2e.renamed")
    });
    let renamed = moto.boto3("print(json.dumps(iam.get_user(UserName='e2e.renamed')['User']['Path']))");
    assert_eq!(renamed, "/e2e/");

    // Credentials given elsewhere (boto3): an access key, a console password, a virtual MFA device.
    let creds = moto.boto3(
        r#"
key = iam.create_access_key(UserName='e2e.renamed')['AccessKey']['AccessKeyId']
iam.create_login_profile(UserName='e2e.renamed', Password='Initial-Passw0rd!')
mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName='e2e.renamed')['VirtualMFADevice']['SerialNumber']
iam.enable_mfa_device(UserName='e2e.renamed', SerialNumber=mfa, AuthenticationCode1='123456', AuthenticationCode2='654321')
print(json.dumps({'key': key, 'mfa': mfa}))"#,
    );
    let key = creds["key"].as_str().unwrap();
    let mfa = creds["mfa"].as_str().unwrap();
    s.click_on("[data-testid='user-panel'] .close");
    s.fill("[data-testid='user-search']", "e2e.renamed");
    s.click_on("tr[data-user='e2e.renamed'] button.link");
    s.wait_for(&format!("[data-testid='user-panel'] tr[data-key='{key}']"), WAIT);
    s.screenshot(&shots.join("15-user-with-credentials.png"));

    // Delete it through the plan.
    s.click_on("[data-testid='delete-user']");
    s.wait_until("the deletion plan", WAIT, |s| {
        let t = s.body_text();
        t.contains(&format!("Delete access key {key}"))
            && t.contains("Remove console access")
            && t.contains(&format!("Delete virtual MFA device {mfa}"))
            && t.contains("Remove e2e.renamed from group developers")
            && t.contains("Detach managed policy")
    });
    s.screenshot(&shots.join("16-delete-plan.png"));
    s.fill("[data-testid='confirm-delete-input']", "e2e.renamed");
    s.click_on("[data-testid='confirm-delete']");
    s.wait_for("[data-testid='deletion-done']", WAIT);
    s.screenshot(&shots.join("17-deleted.png"));
    s.click_on("[data-testid='deletion-close']");
    let after = moto.boto3(&format!(
        r#"
try:
    iam.get_user(UserName='e2e.renamed'); user = True
except iam.exceptions.NoSuchEntityException:
    user = False
members = [u['UserName'] for u in iam.get_group(GroupName='developers')['Users']]
mfas = [d['SerialNumber'] for d in iam.list_virtual_mfa_devices()['VirtualMFADevices']]
print(json.dumps({{'user': user, 'member': 'e2e.renamed' in members, 'mfa': '{mfa}' in mfas}}))"#
    ));
    assert_eq!(
        after,
        json!({"user": false, "member": false, "mfa": false}),
        "no user, no membership, no dangling MFA device"
    );
    s.wait_until("the user gone from the table", WAIT, |s| shown_users(s).is_empty());

    // A group: created, given members and a policy, deleted through its plan.
    s.click_on("[data-testid='tab-groups']");
    s.click_on("[data-testid='add-group']");
    s.fill("[data-testid='group-name']", "e2e-group");
    s.fill("[data-testid='group-path']", "/e2e/");
    s.click_on("[data-testid='group-create']");
    s.wait_for("[data-testid='group-panel'] [data-testid='group-candidates']", WAIT);
    s.click_on("[data-testid='group-candidates'] option[value='qa.helen']");
    s.click_on("[data-testid='group-candidates'] option[value='qa.ivan']");
    s.click_on("[data-testid='add-members']");
    s.wait_until("two members", WAIT, |s| s.find_all("[data-testid='group-members'] option").len() == 2);
    s.click_on("[data-testid='group-panel'] [data-testid='attach-policies']");
    s.fill("[data-testid='group-panel'] [data-testid='policy-filter']", "ReadOnlyAccess");
    s.click_on("[data-testid='group-panel'] input[data-policy='ReadOnlyAccess']");
    s.click_on("[data-testid='attach-selected']");
    s.wait_for("[data-testid='group-panel'] li[data-attached='ReadOnlyAccess']", WAIT);
    s.screenshot(&shots.join("18-group.png"));
    let group = moto.boto3(
        "g = iam.get_group(GroupName='e2e-group'); print(json.dumps({'path': g['Group']['Path'], 'members': sorted(u['UserName'] for u in g['Users']),\
         'policies': [p['PolicyName'] for p in iam.list_attached_group_policies(GroupName='e2e-group')['AttachedPolicies']]}))",
    );
    assert_eq!(group, json!({"path": "/e2e/", "members": ["qa.helen", "qa.ivan"], "policies": ["ReadOnlyAccess"]}));

    s.click_on("[data-testid='delete-group']");
    s.wait_until("the group's plan", WAIT, |s| s.body_text().contains("Remove qa.helen from group e2e-group"));
    s.screenshot(&shots.join("19-group-delete-plan.png"));
    s.fill("[data-testid='confirm-delete-input']", "e2e-group");
    s.click_on("[data-testid='confirm-delete']");
    s.wait_for("[data-testid='deletion-done']", WAIT);
    s.click_on("[data-testid='deletion-close']");
    let gone = moto.boto3(
        "print(json.dumps({'groups': [g['GroupName'] for g in iam.list_groups()['Groups'] if g['GroupName'] == 'e2e-group'],\
         'users': sorted(u['UserName'] for u in iam.list_users()['Users'] if u['UserName'].startswith('qa.'))}))",
    );
    assert_eq!(
        gone,
        json!({"groups": [], "users": ["qa.helen", "qa.ivan", "qa.judy"]}),
        "the members stay, the group goes"
    );
    s.wait_until("the group gone from the table", WAIT, |s| s.find_all("tr[data-group-row='e2e-group']").is_empty());
    s.screenshot(&shots.join("20-groups.png"));
    s.close();
}
