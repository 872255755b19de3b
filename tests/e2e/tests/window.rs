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
    s.show_users();
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
    s.show_users();
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

#[test]
fn an_expired_session_drops_the_account_and_reconnects_and_a_hung_endpoint_is_named() {
    use gatehouse_testkit::faults::{Answer, Fault, FaultServer};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let _window = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let acme = Moto::start("111111111111");
    let acme_users = names(&acme.seed("acme"));
    // In front of moto: every request answers ExpiredToken while `expired` is set.
    let expired = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&expired);
    let front =
        FaultServer::start(Fault::when(Answer::ExpiredToken, &acme.endpoint(), move |_| flag.load(Ordering::SeqCst)));
    let hung = FaultServer::start(Fault::always(Answer::Hang));

    let mut files = AwsFiles::new();
    files.static_profile("acme-prod", &front.endpoint(), "eu-west-1");
    files.static_profile("stuck", &hung.endpoint(), "eu-west-1");
    let world = AppWorld::new(files);
    let xvfb = Xvfb::start();
    let driver = TauriDriver::start(&xvfb.display, &world.env(&[("AWS_PROFILE", "acme-prod")]));
    let s = AppWindow::start(&driver.url(), &app_binary());
    let shots = screenshot_dir();

    s.show_users();
    s.wait_until("acme's users", WAIT, |s| shown_users(s) == acme_users);

    // The session expires; the next reload says so, and nothing of the account stays shown.
    expired.store(true, Ordering::SeqCst);
    s.click(&s.wait_for("button[title='Reload everything (Ctrl+R)']", WAIT));
    let note = s.text(&s.wait_for("[data-testid='session-expired']", WAIT));
    assert!(note.contains("acme-prod") && note.contains("expired"), "{note}");
    s.wait_until("the account is no longer shown", WAIT, |s| {
        shown_users(s).is_empty() && s.find_all("[data-account='111111111111']").is_empty()
    });
    s.wait_for("button[data-profile='acme-prod'] [data-testid='profile-expired']", WAIT);
    s.screenshot(&shots.join("06-session-expired.png"));

    // Signed in again: Reconnect brings the account back and clears the mark.
    expired.store(false, Ordering::SeqCst);
    s.click(&s.wait_for("[data-testid='reconnect']", WAIT));
    s.wait_until("acme's users again", WAIT, |s| shown_users(s) == acme_users);
    assert!(s.find_all("[data-testid='profile-expired']").is_empty());

    // An endpoint that accepts and never answers: a sentence naming it, after the attempt
    // timeout (one attempt here), and the window stays usable.
    s.click(&s.wait_for("button[data-profile='stuck']", WAIT));
    let alert = s.wait_for("main [role='alert'][data-code='EndpointUnreachable']", Duration::from_secs(60));
    let message = s.text(&alert);
    assert!(message.contains(&hung.endpoint()) && message.contains("no answer after"), "{message}");
    s.screenshot(&shots.join("07-hung-endpoint.png"));
    s.click(&s.wait_for("button[data-profile='acme-prod']", WAIT));
    s.show_users();
    s.wait_until("acme's users after the hung profile", WAIT, |s| shown_users(s) == acme_users);
    s.close();
}

#[test]
fn a_new_installation_without_profiles_says_how_to_add_one_and_finds_it_when_asked() {
    let _window = ONE_WINDOW.lock().unwrap_or_else(|e| e.into_inner());
    let moto = Moto::start("914000000001");
    moto.seed("globex");
    let world = AppWorld::new(AwsFiles::new());
    // As installed: no AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE, and no ~/.aws at all.
    let env: Vec<(String, String)> = world
        .env(&[])
        .into_iter()
        .filter(|(k, _)| !k.starts_with("AWS_CONFIG") && !k.starts_with("AWS_SHARED"))
        .collect();
    let aws = world.home.join(".aws");
    assert!(!aws.exists());

    let xvfb = Xvfb::start();
    let driver = TauriDriver::start(&xvfb.display, &env);
    let s = AppWindow::start(&driver.url(), &app_binary());
    let shots = screenshot_dir();

    // Not an error: the files it read, and how the AWS CLI adds a profile.
    let empty = s.wait_for("[data-testid='no-profiles']", WAIT);
    let config = s.text(&s.wait_for("[data-testid='config-file']", WAIT));
    assert_eq!(config, aws.join("config").display().to_string());
    let credentials = s.text(&s.wait_for("[data-testid='credentials-file']", WAIT));
    assert_eq!(credentials, aws.join("credentials").display().to_string());
    let text = s.text(&empty);
    assert!(text.contains("aws configure --profile") && text.contains("aws configure sso"), "{text}");
    assert!(!text.to_lowercase().contains("sandbox"), "the sandbox is a development feature: {text}");
    assert!(s.find_all("[role='alert']").is_empty(), "no error is shown");
    s.screenshot(&shots.join("06-no-profiles.png"));

    // The user runs `aws configure`; "Look again" finds the profile, which then connects.
    let mut files = AwsFiles::new();
    files.static_profile("admin", &moto.endpoint(), "eu-west-1");
    let (written_config, written_credentials) = files.write();
    std::fs::create_dir(&aws).unwrap();
    std::fs::copy(written_config, aws.join("config")).unwrap();
    std::fs::copy(written_credentials, aws.join("credentials")).unwrap();
    s.click_on("[data-testid='look-again']");
    s.click(&s.wait_for("button[data-profile='admin']", WAIT));
    s.wait_until("the account of the new profile", WAIT, |s| {
        s.body_text().contains("914000000001") || s.body_text().contains("9140 0000 0001")
    });
    assert!(s.find_all("[data-testid='no-profiles']").is_empty());
    s.close();
}
