//! The real app in a real window: two profiles on two moto accounts, switched by clicking.

use gatehouse_e2e::{app_binary, screenshot_dir, AppWindow, AppWorld, TauriDriver, Xvfb};
use gatehouse_testkit::{AwsFiles, Moto};
use std::sync::Mutex;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// One window at a time: two apps under WebKit on two cores only slow each other down.
static ONE_WINDOW: Mutex<()> = Mutex::new(());

fn names(seed: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> =
        seed["users"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().into()).collect();
    v.sort();
    v
}

fn shown_users(s: &AppWindow) -> Vec<String> {
    let mut v = s.attributes_of_all("tbody tr[data-user]", "data-user");
    v.sort();
    v
}

#[test]
fn switching_profiles_shows_each_accounts_identity_and_users_only() {
    let _window = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let acme = Moto::start("111111111111");
    let globex = Moto::start("222222222222");
    let acme_users = names(&acme.seed("acme"));
    let globex_users = names(&globex.seed("globex"));

    let mut files = AwsFiles::new();
    files.static_profile("acme-prod", &acme.endpoint(), "eu-west-1");
    files.static_profile("globex-staging", &globex.endpoint(), "us-east-2");
    let world = AppWorld::new(files);

    let xvfb = Xvfb::start();
    let driver = TauriDriver::start(&xvfb.display, &world.env(&[]));
    let s = AppWindow::start(&driver.url(), &app_binary());
    let shots = screenshot_dir();

    // Both profiles are listed; no AWS_PROFILE and no default, so nothing is selected yet.
    s.wait_for("button[data-profile='acme-prod']", WAIT);
    s.wait_for("button[data-profile='globex-staging']", WAIT);
    s.screenshot(&shots.join("01-profiles.png"));

    // Select the first: its account id and its users.
    s.click(&s.wait_for("button[data-profile='acme-prod']", WAIT));
    s.wait_until("acme's account id in the header", WAIT, |s| s.find_all("[data-account='111111111111']").len() == 1);
    s.wait_until("acme's users", WAIT, |s| shown_users(s) == acme_users);
    let arn = s.attribute(&s.wait_for("[data-testid='identity-arn']", WAIT), "title").unwrap_or_default();
    assert!(arn.starts_with("arn:aws:") && arn.contains("111111111111"), "{arn}");
    s.screenshot(&shots.join("02-acme-users.png"));

    // The search box filters.
    let search = s.wait_for("[data-testid='user-search']", WAIT);
    s.type_text(&search, "/data/");
    s.wait_until("only /data/ users", WAIT, |s| {
        let shown = shown_users(s);
        !shown.is_empty() && shown.len() < acme_users.len()
    });
    s.screenshot(&shots.join("03-acme-search.png"));

    // Switch: the second account's id and users, and nothing of the first.
    s.click(&s.wait_for("button[data-profile='globex-staging']", WAIT));
    s.wait_until("globex's account id in the header", WAIT, |s| s.find_all("[data-account='222222222222']").len() == 1);
    s.wait_until("globex's users", WAIT, |s| shown_users(s) == globex_users);
    let text = s.body_text();
    assert!(!text.contains("111111111111") && !text.contains("1111 1111 1111"), "acme's account id is gone");
    for u in &acme_users {
        assert!(!text.contains(u.as_str()), "acme's user {u} is not shown under globex");
    }
    s.screenshot(&shots.join("04-globex-users.png"));

    s.close();
}

#[test]
fn a_broken_file_and_a_dead_endpoint_are_explained_where_they_happen() {
    let _window = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let dead_port = gatehouse_testkit::process::free_port();
    let mut files = AwsFiles::new();
    files.config_text(&format!(
        "[profile offline]\nregion = eu-west-1\nendpoint_url = http://127.0.0.1:{dead_port}\n\
         aws_access_key_id = AKIAOFFLINE\naws_secret_access_key = x\n"
    ));
    files.credentials_text("[broken\naws_access_key_id = AKIA");
    let world = AppWorld::new(files);
    let credentials = world.credentials.clone();

    let xvfb = Xvfb::start();
    let driver = TauriDriver::start(&xvfb.display, &world.env(&[]));
    let s = AppWindow::start(&driver.url(), &app_binary());
    let shots = screenshot_dir();

    // The broken credentials file is named, and the config file's profile is still listed.
    let problem = s.wait_for(&format!("[data-file='{}']", credentials.display()), WAIT);
    let text = s.text(&problem);
    assert!(text.contains("Cannot be read") && text.contains("line 1"), "{text}");
    s.click(&s.wait_for("button[data-profile='offline']", WAIT));
    let alert = s.wait_for("main [role='alert'][data-code='EndpointUnreachable']", WAIT);
    let message = s.text(&alert);
    assert!(message.contains(&format!("127.0.0.1:{dead_port}")), "names the endpoint: {message}");
    s.screenshot(&shots.join("05-errors.png"));
    s.close();
    // Gatehouse never writes the user's files, broken or not.
    assert_eq!(std::fs::read_to_string(&credentials).unwrap(), "[broken\naws_access_key_id = AKIA\n");
}
