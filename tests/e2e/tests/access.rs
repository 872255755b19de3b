//! Who can do what, in the real window, on the sandbox's organisation: the simulator's three
//! answers with the statements that decided, "who can create access keys?", and a user's
//! effective permissions. All offline, from one snapshot of the account.

use gatehouse_e2e::keys::ENTER;
use gatehouse_e2e::{screenshot_dir, AppWindow, SeededApp};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn grants(s: &AppWindow, kind: &str) -> Vec<String> {
    sorted(s.attributes_of_all(&format!("[data-testid='who-grant'][data-kind='{kind}']"), "data-name"))
}

#[test]
fn the_simulator_and_who_can_answer_from_the_accounts_policies() {
    // dana.white reads everything through the readonly group, and may not delete buckets.
    let app = SeededApp::start("666666666666", "acme", |moto| {
        moto.boto3(
            r#"
iam.put_user_policy(UserName='dana.white', PolicyName='no-bucket-deletes', PolicyDocument=json.dumps({
  'Version': '2012-10-17',
  'Statement': [{'Sid': 'NoBucketDeletes', 'Effect': 'Deny', 'Action': 's3:DeleteBucket', 'Resource': '*'}]}))
print('{}')"#,
        );
    });
    let administrators: Vec<String> = sorted(
        app.seeded["users"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["groups"].as_array().unwrap().iter().any(|g| g == "administrators"))
            .map(|u| u["name"].as_str().unwrap().to_string())
            .collect(),
    );
    assert!(administrators.len() >= 3, "{administrators:?}");

    let s = &app.window;
    let shots = screenshot_dir();

    s.wait_for("[data-testid='tab-users']", WAIT);
    s.click_on("[data-testid='tab-access']");
    s.wait_for("[data-testid='access-snapshot-info']", WAIT);

    // Can dana.white delete a bucket, or read an object?
    s.click_on("[data-testid='sim-principal'] option[data-name='dana.white']");
    s.fill("[data-testid='sim-action']", &format!("s3:DeleteBucket{ENTER}"));
    s.fill("[data-testid='sim-action']", &format!("s3:GetObject{ENTER}"));
    s.click_on("[data-testid='sim-run']");
    let denied = "[data-testid='sim-result'][data-action='s3:DeleteBucket']";
    let allowed = "[data-testid='sim-result'][data-action='s3:GetObject']";
    s.wait_for(&format!("{denied}[data-decision='explicitDeny']"), WAIT);
    s.wait_for(&format!("{allowed}[data-decision='allowed']"), WAIT);
    // The inline statement denied it; ReadOnlyAccess, through the readonly group, allowed it.
    assert_eq!(s.attributes_of_all(&format!("{denied} [data-testid='sim-deciding']"), "data-sid"), ["NoBucketDeletes"]);
    assert_eq!(
        s.attributes_of_all(&format!("{denied} [data-testid='sim-deciding']"), "data-policy-name"),
        ["no-bucket-deletes"]
    );
    assert!(s
        .attributes_of_all(&format!("{allowed} [data-testid='sim-deciding']"), "data-policy-name")
        .contains(&"ReadOnlyAccess".to_string()));
    assert!(s
        .attributes_of_all(&format!("{allowed} [data-testid='sim-deciding']"), "data-via")
        .contains(&"readonly".to_string()));
    let scope = s.text(&s.wait_for("[data-testid='sim-out-of-scope']", WAIT));
    assert!(scope.contains("resource-based"), "{scope}");
    s.screenshot(&shots.join("60-simulator.png"));

    // Who can create access keys? The administrators group's members, and no other user.
    s.fill("[data-testid='who-action']", &format!("iam:CreateAccessKey{ENTER}"));
    s.click_on("[data-testid='who-run']");
    s.wait_for("[data-testid='who-result'][data-action='iam:CreateAccessKey']", WAIT);
    assert_eq!(grants(s, "User"), administrators);
    // The two roles that carry AdministratorAccess in the seed; nothing else.
    assert_eq!(grants(s, "Role"), ["OrganizationAccountAccessRole", "break-glass"]);
    s.execute("document.querySelector(\"[data-testid='who-result']\").scrollIntoView({block: 'center'})");
    s.screenshot(&shots.join("61-who-can.png"));

    // dana.white's effective permissions, on her page.
    s.click_on("[data-testid='tab-users']");
    s.fill("[data-testid='user-search']", "dana.white");
    s.click_on("tr[data-user='dana.white'] button.link");
    s.click_on("[data-testid='effective-show']");
    s.wait_until("dana's policies by source", WAIT, |s| {
        let names = s.attributes_of_all("[data-testid='effective-policy']", "data-name");
        names.contains(&"no-bucket-deletes".to_string()) && names.contains(&"ReadOnlyAccess".to_string())
    });
    s.wait_for("[data-testid='effective-service'][data-prefix='s3']", WAIT);
    assert!(s.find_all("[data-testid='admin-equivalent']").is_empty(), "read-only is not admin");
    s.execute("document.querySelector(\"[data-testid='effective-permissions']\").scrollIntoView({block: 'start'})");
    s.screenshot(&shots.join("62-effective-permissions.png"));

    app.close();
}
