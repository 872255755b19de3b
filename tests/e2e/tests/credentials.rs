//! The one-time handoff in the real window with the real keychain: a new user's console
//! password and access key go to the keychain (secret-tool sees them), survive a restart
//! as pending, and are gone once handed over. No secret is left in any file of the app's
//! HOME, config, data or cache folders (which hold the webview's storage).

use gatehouse_e2e::{app_binary, files_containing, screenshot_dir, AppWindow, AppWorld, TauriDriver, Xvfb};
use gatehouse_testkit::{AwsFiles, Moto};
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

#[test]
fn a_new_users_secrets_live_in_the_keychain_until_handed_over() {
    let started = std::time::SystemTime::now();
    let moto = Moto::start("444444444444");
    moto.seed("globex");
    let old_key =
        moto.boto3("print(json.dumps(iam.create_access_key(UserName='qa.ivan')['AccessKey']['AccessKeyId']))");
    let old_key = old_key.as_str().unwrap().to_string();
    let mut files = AwsFiles::new();
    files.static_profile("globex", &moto.endpoint(), "us-east-1");
    let world = AppWorld::new(files);
    let xvfb = Xvfb::start();
    let driver = TauriDriver::start(&xvfb.display, &world.env(&[("AWS_PROFILE", "globex")]));
    let s = AppWindow::start(&driver.url(), &app_binary());
    let shots = screenshot_dir();

    s.show_users();
    s.wait_for("tr[data-user='qa.helen']", WAIT);
    s.click_on("[data-testid='add-user']");
    s.fill("[data-testid='new-user-name']", "new.hire");
    s.click_on("[data-testid='wizard-next']");
    s.click_on("input[data-group='readonly']");
    s.click_on("[data-testid='with-console']");
    s.click_on("[data-testid='with-key']");
    s.click_on("[data-testid='wizard-next']");
    s.click_on("[data-testid='wizard-create']");

    // The handoff screen: masked secrets, the key id, the sign-in URL.
    let key_id = s.text(&s.wait_for("[data-testid='handoff-key-id']", WAIT));
    assert!(key_id.starts_with("AKIA"), "{key_id}");
    assert!(s.text(&s.wait_for("[data-testid='secret-password']", WAIT)).starts_with('•'));
    s.screenshot(&shots.join("30-handoff.png"));

    // secret-tool, an independent client, finds both secrets in the keychain.
    let entry = |kind: &str, id: &str| format!("444444444444/new.hire/{kind}/{id}");
    let secret_key = world
        .keychain
        .lookup("gatehouse", &entry("secret-access-key", &key_id))
        .expect("the secret access key is in the keychain");
    let password = world
        .keychain
        .lookup("gatehouse", &entry("console-password", "password"))
        .expect("the password is in the keychain");
    assert_eq!(secret_key.len(), 40);
    let has = moto.boto3("print(json.dumps({'login': iam.get_login_profile(UserName='new.hire')['LoginProfile']['UserName'], 'keys': [k['AccessKeyId'] for k in iam.list_access_keys(UserName='new.hire')['AccessKeyMetadata']]}))");
    assert_eq!(has, json!({"login": "new.hire", "keys": [key_id]}));

    // Reveal shows exactly what the keychain holds; hide again.
    s.click_on("[data-testid='reveal-password']");
    s.wait_until("the revealed password", WAIT, |s| {
        s.text(&s.wait_for("[data-testid='secret-password']", WAIT)) == password
    });
    s.click_on("[data-testid='reveal-password']");

    // Closing keeps it pending.
    s.click_on("[role='dialog'] .close");
    s.wait_for("[data-pending='new.hire']", WAIT);

    // Start rotating qa.ivan's key: the new key goes to a handoff too.
    s.click_on("[data-testid='user-panel'] .close");
    s.click_on("tr[data-user='qa.ivan'] button.link");
    s.click_on("[data-testid='rotate-key']");
    s.click_on("[data-testid='rotation-create']");
    let new_key = s.text(&s.wait_for("[data-testid='handoff-key-id']", WAIT));
    assert_ne!(new_key, old_key);
    let rotated_secret = world
        .keychain
        .lookup("gatehouse", &format!("444444444444/qa.ivan/secret-access-key/{new_key}"))
        .expect("the new key's secret is in the keychain");
    s.click_on("[data-testid='handoff'] ~ .actions button:not(.primary)");

    // A restart rebuilds the pending list from the keychain, and the rotation resumes.
    s.close();
    let s = AppWindow::start(&driver.url(), &app_binary());
    s.wait_for("[data-pending='new.hire']", WAIT);
    s.wait_for("[data-pending='qa.ivan']", WAIT);
    s.screenshot(&shots.join("31-pending-after-restart.png"));
    s.show_users();
    s.click_on("tr[data-user='qa.ivan'] button.link");
    s.click_on("[data-testid='rotation-resume']");
    s.wait_for("[data-testid='new-key-use']", WAIT);
    s.screenshot(&shots.join("35-rotation-wait-for-use.png"));
    s.click_on("[data-testid='rotation-continue']");
    s.click_on("[data-testid='rotation-deactivate']");
    s.click_on("[data-testid='rotation-delete']");
    s.wait_for("[data-testid='rotation-done']", WAIT);
    s.screenshot(&shots.join("36-rotation-done.png"));
    let keys = moto.boto3("print(json.dumps([[k['AccessKeyId'], k['Status']] for k in iam.list_access_keys(UserName='qa.ivan')['AccessKeyMetadata']]))");
    assert_eq!(keys, json!([[new_key, "Active"]]), "only the new key remains, active");
    s.click_on("[role='dialog'] .close");
    s.click_on("[data-testid='user-panel'] .close");
    s.click_on("[data-pending='qa.ivan']");
    s.click_on("[data-testid='handed-over']");

    // Handed over: the keychain forgets both.
    s.click_on("[data-pending='new.hire']");
    s.click_on("[data-testid='handed-over']");
    s.wait_until("no pending handoff", WAIT, |s| s.find_all("[data-pending]").is_empty());
    assert_eq!(world.keychain.lookup("gatehouse", &entry("secret-access-key", &key_id)), None);
    assert_eq!(world.keychain.lookup("gatehouse", &entry("console-password", "password")), None);
    s.screenshot(&shots.join("32-handed-over.png"));

    // Virtual MFA: the QR code and the seed come from Gatehouse; the test computes the two
    // codes from the seed as an authenticator app would.
    s.click_on("tr[data-user='new.hire'] button.link");
    s.wait_for("[data-testid='user-panel'] [data-testid='user-groups']", WAIT);
    s.click_on("[data-testid='assign-mfa']");
    s.wait_for("[data-testid='mfa-qr'] svg", WAIT);
    s.screenshot(&shots.join("33-mfa.png"));
    let seed = s.enter_mfa_codes();
    s.wait_for("[data-testid='user-panel'] [data-mfa]", WAIT);
    s.screenshot(&shots.join("34-mfa-enabled.png"));

    // A typed password the account's policy refuses is explained at the console section,
    // before any call: moto would have accepted it.
    s.fill("[data-testid='typed-password']", "weak");
    s.click_on("[data-testid='reset-password']");
    s.wait_until("the policy message", WAIT, |s| s.body_text().contains("password policy needs"));
    s.screenshot(&shots.join("37-weak-password.png"));
    let devices = moto.boto3(
        "print(json.dumps([d['SerialNumber'] for d in iam.list_mfa_devices(UserName='new.hire')['MFADevices']]))",
    );
    assert_eq!(
        devices,
        json!(["arn:aws:iam::444444444444:mfa/new.hire"]),
        "boto3 lists the device as enabled for the user"
    );
    s.close();
    drop(driver);

    // No secret in any file the app could have written: its home, config, data, cache and
    // TMPDIR, and anything in /tmp changed since the test started; UTF-8 and UTF-16.
    for secret in [&secret_key, &password, &seed, &rotated_secret] {
        let mut hits = files_containing(&world.home, secret, None);
        hits.extend(files_containing(std::path::Path::new("/tmp"), secret, Some(started)));
        assert!(hits.is_empty(), "a secret was written to {hits:?}");
    }
    assert!(
        world.home.join(".local/share").exists() || world.home.join(".cache").exists(),
        "the scan covered the app's folders"
    );
}
