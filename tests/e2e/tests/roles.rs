//! Roles in the real window: one for EC2 made through the trust-policy builder (boto3 reads
//! its trust policy), given an instance profile and policies, then deleted through its plan.

use gatehouse_e2e::{screenshot_dir, AppWindow, SeededApp};
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

fn row_words(s: &AppWindow, name: &str) -> String {
    let css = format!("[data-testid='role-row'][data-name='{name}'] [data-testid='role-trusted']");
    s.execute(&format!("return document.querySelector({css:?})?.textContent.trim() ?? ''"))
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_role_for_ec2_from_the_builder_then_deleted_with_its_instance_profile_and_policies() {
    let app = SeededApp::start("555555555555", "globex", |_| {});
    let (s, moto) = (&app.window, &app.moto);
    let shots = screenshot_dir();

    s.wait_for("[data-testid='tab-users']", WAIT);
    s.click_on("[data-testid='tab-roles']");
    s.wait_for("[data-testid='roles-view']", WAIT);

    // The builder: EC2, chosen from the searchable list of service principals.
    s.click_on("[data-testid='create-role']");
    s.click_on("[data-testid='trust-kind-service']");
    s.fill("[data-testid='service-principal-search']", "ec2");
    s.click_on("[data-testid='service-principal'][data-principal='ec2.amazonaws.com']");
    s.screenshot(&shots.join("50-role-builder.png"));
    s.click_on("[data-testid='wizard-next']");
    // The trust policy opens in the editor before anything is sent.
    s.wait_until("the built trust policy", WAIT, |s| {
        s.execute("return document.querySelector(\"[data-testid='trust-policy'] .cm-content\")?.innerText ?? ''")
            .as_str()
            .is_some_and(|t| t.contains("ec2.amazonaws.com") && t.contains("sts:AssumeRole"))
    });
    s.screenshot(&shots.join("51-role-trust-policy.png"));
    s.click_on("[data-testid='wizard-next']");

    // Details and permissions: a managed policy and an inline one typed in the editor.
    s.fill("[data-testid='role-name']", "e2e-app-server");
    s.fill("[data-testid='role-description']", "The app servers");
    s.fill("[data-testid='policy-filter']", "ReadOnlyAccess");
    s.click_on("input[data-policy='ReadOnlyAccess']");
    s.click_on("[data-testid='add-role-inline-policy']");
    s.type_in_editor(
        "inline-policy-editor",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": "arn:aws:sqs:us-east-1:555555555555:jobs"}"#,
    );
    s.fill("[aria-label='Inline policy name 1']", "read-jobs");
    s.wait_until("the inline policy checked", WAIT, |s| {
        s.find_all("[data-testid='inline-policy-editor-summary'][data-errors='0']").len() == 1
    });
    s.click_on("[data-testid='wizard-next']");
    s.wait_for("[data-testid='role-review']", WAIT);
    s.screenshot(&shots.join("52-role-review.png"));
    s.click_on("[data-testid='create-role-submit']");
    s.wait_for("[data-testid='role-panel']", WAIT);

    let made = moto.boto3(
        r#"
r = iam.get_role(RoleName='e2e-app-server')['Role']
doc = r['AssumeRolePolicyDocument']
print(json.dumps({'principal': doc['Statement'][0]['Principal'], 'action': doc['Statement'][0]['Action'],
  'description': r.get('Description'),
  'attached': [p['PolicyName'] for p in iam.list_attached_role_policies(RoleName='e2e-app-server')['AttachedPolicies']],
  'inline': iam.list_role_policies(RoleName='e2e-app-server')['PolicyNames']}))"#,
    );
    assert_eq!(
        made,
        json!({"principal": {"Service": "ec2.amazonaws.com"}, "action": "sts:AssumeRole",
               "description": "The app servers", "attached": ["ReadOnlyAccess"], "inline": ["read-jobs"]})
    );
    s.wait_until("EC2 in words in the list", WAIT, |s| row_words(s, "e2e-app-server") == "EC2");

    // An instance profile for it, from its page.
    s.click_on("[data-testid='create-instance-profile']");
    s.fill("[data-testid='instance-profile-name']", "e2e-app-server");
    s.click_on("[data-testid='save-instance-profile']");
    s.wait_for("[data-testid='instance-profile'][data-name='e2e-app-server']", WAIT);
    s.screenshot(&shots.join("53-role-page.png"));
    let profile = moto.boto3(
        "print(json.dumps([r['RoleName'] for r in iam.get_instance_profile(InstanceProfileName='e2e-app-server')['InstanceProfile']['Roles']]))",
    );
    assert_eq!(profile, json!(["e2e-app-server"]));

    // Deleted through its plan: out of the instance profile, policies gone, then the role.
    s.click_on("[data-testid='delete-role']");
    s.wait_until("the role's deletion plan", WAIT, |s| {
        let t = s.body_text();
        t.contains("Remove the role from instance profile e2e-app-server")
            && t.contains("Detach managed policy arn:aws:iam::aws:policy/ReadOnlyAccess")
            && t.contains("Delete inline policy read-jobs")
            && t.contains("Delete role e2e-app-server")
    });
    s.screenshot(&shots.join("54-role-delete-plan.png"));
    s.fill("[data-testid='confirm-delete-input']", "e2e-app-server");
    s.click_on("[data-testid='confirm-delete']");
    s.wait_for("[data-testid='deletion-done']", WAIT);
    s.click_on("[data-testid='deletion-close']");
    s.wait_until("the role gone from the list", WAIT, |s| {
        s.find_all("[data-testid='role-row'][data-name='e2e-app-server']").is_empty()
    });
    s.screenshot(&shots.join("55-roles.png"));
    let gone = moto.boto3(
        r#"
names = [r['RoleName'] for r in iam.list_roles()['Roles']]
ip = iam.get_instance_profile(InstanceProfileName='e2e-app-server')['InstanceProfile']
print(json.dumps({'role': 'e2e-app-server' in names, 'profile_roles': ip['Roles']}))"#,
    );
    assert_eq!(gone, json!({"role": false, "profile_roles": []}));

    app.close();
}
