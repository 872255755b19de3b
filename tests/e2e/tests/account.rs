//! The account in the real window: the sandbox's organisation audited on the first screen,
//! a finding fixed from its own button (MFA enrolled, then gone after a refresh), the CIS
//! password-policy preset applied through its diff (what boto3 reads), the credential
//! report listing every user, and an alias that shows in the header and in a new handoff's
//! sign-in URL.

use gatehouse_e2e::{screenshot_dir, AppWindow, SeededApp};
use std::sync::Mutex;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// One window at a time: the tests share the machine's display server and keychain setup.
static ONE_WINDOW: Mutex<()> = Mutex::new(());

fn shown_findings(s: &AppWindow) -> Vec<String> {
    s.attributes_of_all("[data-testid='finding']", "data-finding")
}

/// The users the seed gave a console password and no MFA (seed.py: people, not services or
/// contractors, not the first user; administrators get MFA).
fn console_without_mfa(seed: &serde_json::Value) -> Vec<String> {
    let users = seed["users"].as_array().unwrap();
    users
        .iter()
        .skip(1)
        .filter(|u| {
            let path = u["path"].as_str().unwrap();
            let admin = u["groups"].as_array().unwrap().iter().any(|g| g == "administrators");
            !path.starts_with("/service/") && path != "/contractors/" && !admin
        })
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

fn administrators(seed: &serde_json::Value) -> Vec<String> {
    seed["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["groups"].as_array().unwrap().iter().any(|g| g == "administrators"))
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_sandbox_is_audited_on_the_first_screen_and_a_finding_is_fixed_from_its_button() {
    let _window = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let app = SeededApp::start("777777777777", "acme", |_| {});
    let (s, moto) = (&app.window, &app.moto);
    let shots = screenshot_dir();

    // The profile opens on its dashboard: quotas, and the audit's counts.
    s.wait_for("[data-testid='dashboard']", WAIT);
    s.wait_for("[data-testid='audit-count-high']", WAIT);
    s.wait_for("[role='meter']", WAIT);
    s.screenshot(&shots.join("70-dashboard.png"));

    // The findings the seed must produce, and none it must not.
    s.click_on("[data-testid='section-audit']");
    s.wait_for("[data-testid='finding']", WAIT);
    let shown = shown_findings(s);
    let without_mfa = console_without_mfa(&app.seeded);
    assert!(!without_mfa.is_empty());
    for user in &without_mfa {
        let id = format!("user-console-no-mfa:User/{user}");
        assert!(shown.contains(&id), "{id} is missing from {shown:?}");
    }
    for admin in administrators(&app.seeded) {
        let id = format!("user-console-no-mfa:User/{admin}");
        assert!(!shown.contains(&id), "{admin} has MFA (seed.py), yet {id} is shown");
    }
    let checks = s.attributes_of_all("[data-testid='finding']", "data-check");
    for check in ["password-policy-missing", "user-direct-policies", "root-no-mfa"] {
        assert!(checks.iter().any(|c| c == check), "no {check} finding in {checks:?}");
    }
    s.screenshot(&shots.join("71-audit.png"));

    // Fix one from its button: the user's page opens at the MFA enrolment.
    let user = &without_mfa[0];
    let finding = format!("[data-finding='user-console-no-mfa:User/{user}']");
    s.click_on(&format!("{finding} [data-testid='finding-fix']"));
    s.wait_for("[data-testid='mfa-qr'] svg", WAIT);
    s.enter_mfa_codes();
    s.wait_for("[data-testid='user-panel'] [data-mfa]", WAIT);
    s.screenshot(&shots.join("72-fixed-from-finding.png"));
    let devices = moto.boto3(&format!("print(json.dumps(len(iam.list_mfa_devices(UserName='{user}')['MFADevices'])))"));
    assert_eq!(devices, 1, "boto3 sees {user}'s new MFA device");

    // Back to the audit: it says it is out of date; after a refresh the finding is gone.
    s.click_on("[data-testid='user-panel'] .close");
    s.click_on("[data-testid='tab-account']");
    s.click_on("[data-testid='section-audit']");
    s.click_on("[data-testid='audit-refresh']");
    s.wait_until("the fixed finding gone after a refresh", WAIT, |s| {
        let shown = shown_findings(s);
        !shown.is_empty() && s.find_all(&finding).is_empty()
    });
    s.screenshot(&shots.join("73-audit-after-fix.png"));
    app.close();
}

#[test]
fn the_cis_preset_the_credential_report_and_an_alias_as_aws_sees_them() {
    let _window = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let app = SeededApp::start("888888888888", "globex", |_| {});
    let (s, moto) = (&app.window, &app.moto);
    let shots = screenshot_dir();

    // No password policy: the finding's button opens the editor with the CIS preset's diff.
    s.wait_for("[data-testid='dashboard']", WAIT);
    s.click_on("[data-testid='section-audit']");
    let fix = "[data-check='password-policy-missing'] [data-testid='finding-fix']";
    s.wait_for(fix, WAIT);
    s.click_on(fix);
    s.wait_for("[data-testid='cis-diff'] [data-field='minimumPasswordLength']", WAIT);
    s.wait_for("[data-testid='cis-diff'] [data-field='passwordReusePrevention']", WAIT);
    s.screenshot(&shots.join("74-cis-diff.png"));
    s.click_on("[data-testid='cis-apply']");
    s.wait_until("the diff closed", WAIT, |s| s.find_all("[data-testid='cis-diff']").is_empty());
    let policy = moto.boto3("print(json.dumps(iam.get_account_password_policy()['PasswordPolicy']))");
    assert_eq!(policy["MinimumPasswordLength"], 14, "{policy}");
    assert_eq!(policy["PasswordReusePrevention"], 24, "{policy}");
    // The rest is AWS's default, sent whole (UpdateAccountPasswordPolicy resets what it omits).
    assert_eq!(policy["RequireSymbols"], false, "{policy}");
    assert_eq!(policy["AllowUsersToChangePassword"], false, "{policy}");
    s.screenshot(&shots.join("75-password-policy.png"));

    // The credential report lists every user, with the root user first.
    s.click_on("[data-testid='section-report']");
    s.click_on("[data-testid='report-generate']");
    s.wait_for("[data-testid='report-table'] [data-user]", WAIT);
    let mut expected: Vec<String> =
        app.seeded["users"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_string()).collect();
    expected.sort();
    s.wait_until("every user in the report", WAIT, |s| {
        let mut shown = s.attributes_of_all("[data-testid='report-table'] [data-user]", "data-user");
        shown.retain(|u| u != "<root_account>");
        shown.sort();
        shown == expected
    });
    s.screenshot(&shots.join("76-credential-report.png"));

    // An alias: the header shows it, boto3 reads it, and a new handoff's sign-in URL uses it.
    s.click_on("[data-testid='section-settings']");
    s.fill("[data-testid='alias-input']", "globex-e2e");
    s.click_on("[data-testid='alias-save']");
    s.wait_until("the alias in the header", WAIT, |s| {
        s.find_all("[data-testid='identity-alias']").first().is_some_and(|e| s.text(e).contains("globex-e2e"))
    });
    let aliases = moto.boto3("print(json.dumps(iam.list_account_aliases()['AccountAliases']))");
    assert_eq!(aliases, serde_json::json!(["globex-e2e"]));
    s.screenshot(&shots.join("77-alias.png"));

    s.show_users();
    s.click_on("[data-testid='add-user']");
    s.fill("[data-testid='new-user-name']", "alias.check");
    s.click_on("[data-testid='wizard-next']");
    s.click_on("[data-testid='with-console']");
    s.click_on("[data-testid='wizard-next']");
    s.click_on("[data-testid='wizard-create']");
    let url = s.text(&s.wait_for("[data-testid='handoff-signin-url']", WAIT));
    assert_eq!(url, "https://globex-e2e.signin.aws.amazon.com/console");
    s.screenshot(&shots.join("78-handoff-alias.png"));
    app.close();
}
