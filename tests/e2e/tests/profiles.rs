//! Many accounts in the real window: a role profile that needs an MFA code asks for it and
//! loads its account once given one; search everywhere finds a user in the second account
//! and opens it there; comparing two sandbox accounts shows a group only one of them has.

use gatehouse_e2e::keys::ENTER;
use gatehouse_e2e::{app_binary, screenshot_dir, AppWindow, AppWorld, TauriDriver, Xvfb};
use gatehouse_testkit::{AwsFiles, Moto};
use std::sync::Mutex;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// One window at a time: two apps under WebKit on two cores only slow each other down.
static ONE_WINDOW: Mutex<()> = Mutex::new(());

#[test]
fn a_role_that_needs_mfa_asks_for_a_code_then_loads_its_account() {
    let _window = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let account = "912000000001";
    let moto = Moto::start(account);
    moto.seed("globex");
    moto.boto3(&format!(
        "iam.create_role(RoleName='Admin', AssumeRolePolicyDocument=json.dumps({{'Version': '2012-10-17', \
         'Statement': [{{'Effect': 'Allow', 'Principal': {{'AWS': 'arn:aws:iam::{account}:root'}}, \
         'Action': 'sts:AssumeRole', 'Condition': {{'Bool': {{'aws:MultiFactorAuthPresent': 'true'}}}}}}]}}))\n\
         print('null')"
    ));
    let serial = format!("arn:aws:iam::{account}:mfa/ana");
    let mut files = AwsFiles::new();
    files.static_profile("base", &moto.endpoint(), "us-east-1").config_text(&format!(
        "[profile admin]\nrole_arn = arn:aws:iam::{account}:role/Admin\nsource_profile = base\n\
         mfa_serial = {serial}\nregion = us-east-1\nendpoint_url = {}\n",
        moto.endpoint()
    ));
    let world = AppWorld::new(files);
    let xvfb = Xvfb::start();
    let driver = TauriDriver::start(&xvfb.display, &world.env(&[("AWS_PROFILE", "admin")]));
    let s = AppWindow::start(&driver.url(), &app_binary());
    let shots = screenshot_dir();

    // The list says the profile needs a code; selecting it asks for one, naming the device.
    s.wait_for("button[data-profile='admin'] [data-testid='profile-needs-mfa']", WAIT);
    let token = s.wait_for("[data-testid='mfa-token']", WAIT);
    assert!(s.body_text().contains(&serial), "the prompt names the MFA device");
    s.screenshot(&shots.join("80-mfa-prompt.png"));

    // A code: the role's session, its expiry in the header, and the account's users.
    s.type_text(&token, "123456");
    s.click_on("[data-testid='mfa-submit']");
    s.wait_until("the assumed role in the header", WAIT, |s| {
        s.find_all("[data-testid='identity-arn']")
            .first()
            .and_then(|e| s.attribute(e, "title"))
            .is_some_and(|arn| arn.contains("assumed-role/Admin"))
    });
    s.wait_for("[data-testid='identity-expires']", WAIT);
    s.show_users();
    s.wait_for("tr[data-user='qa.helen']", WAIT);
    s.screenshot(&shots.join("81-mfa-session.png"));
    s.close();
}

#[test]
fn search_everywhere_opens_a_user_in_its_account_and_compare_shows_a_group_of_one() {
    let _window = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let acme = Moto::start("912000000002");
    let globex = Moto::start("912000000003");
    acme.seed("acme");
    globex.seed("globex");
    globex.boto3("iam.create_group(GroupName='release-managers')\nprint('null')");
    let mut files = AwsFiles::new();
    files.static_profile("acme-prod", &acme.endpoint(), "us-east-1");
    files.static_profile("globex-staging", &globex.endpoint(), "us-east-1");
    let world = AppWorld::new(files);
    let xvfb = Xvfb::start();
    let driver = TauriDriver::start(&xvfb.display, &world.env(&[("AWS_PROFILE", "acme-prod")]));
    let s = AppWindow::start(&driver.url(), &app_binary());
    let shots = screenshot_dir();
    s.wait_for("[data-testid='dashboard']", WAIT);

    // qa.helen exists only in globex: found there, with each account's progress line.
    s.click_on("[data-testid='search-everywhere']");
    let query = s.wait_for("[data-testid='fleet-query']", WAIT);
    s.type_text(&query, "qa.helen");
    s.type_text(&query, ENTER);
    let hit = "[data-testid='fleet-result'][data-profile='globex-staging'][data-name='qa.helen']";
    s.wait_for(hit, WAIT);
    s.wait_until("a progress line per account", WAIT, |s| s.find_all("[data-testid='fleet-progress']").len() == 2);
    assert!(
        s.find_all("[data-testid='fleet-result'][data-profile='acme-prod']").is_empty(),
        "nothing of acme matches qa.helen"
    );
    s.screenshot(&shots.join("82-search-everywhere.png"));

    // Opening it selects globex and shows the user's page there.
    s.click_on(&format!("{hit} td.name"));
    s.wait_until("globex selected", WAIT, |s| s.find_all("[data-account='912000000003']").len() == 1);
    s.wait_until("qa.helen's page", WAIT, |s| {
        s.find_all("[data-testid='user-panel']").first().is_some_and(|p| s.text(p).contains("qa.helen"))
    });
    s.screenshot(&shots.join("83-search-opened.png"));
    s.click_on("[data-testid='user-panel'] .close");

    // Compare: the group only globex has, and nothing of the groups both have.
    s.click_on("[data-testid='compare-accounts']");
    s.wait_for("[data-testid='compare-a']", WAIT);
    s.execute(
        "const pick = (id, v) => { const e = document.querySelector(`[data-testid='${id}']`); e.value = v; \
         e.dispatchEvent(new Event('change', { bubbles: true })); }; \
         pick('compare-a', 'acme-prod'); pick('compare-b', 'globex-staging');",
    );
    s.click_on("[data-testid='compare-run']");
    let only = s.wait_for("[data-testid='compare-row'][data-kind='group'][data-name='release-managers']", WAIT);
    assert_eq!(s.attribute(&only, "data-status").as_deref(), Some("onlyInB"));
    assert!(
        s.find_all("[data-testid='compare-row'][data-kind='group'][data-name='readonly']").is_empty(),
        "readonly (AWS's ReadOnlyAccess in both) is the same"
    );
    s.screenshot(&shots.join("84-compare.png"));
    s.close();
}
