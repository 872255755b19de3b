//! Signing an SSO profile in from the app against a stub identity center: the token lands
//! in the cache file the CLI and botocore read, and the profile stops reading as expired.
//! The stub is reached through the config's `services` section, since tests may not set
//! `AWS_ENDPOINT_URL_SSO_OIDC` (they share one process); the one test that needs `HOME`
//! and that variable runs in a child process of its own.

use gatehouse_core::aws::connection::{ConnectOptions, Connections};
use gatehouse_core::aws::profiles::{ProfileKind, ProfileSource, ProfileState};
use gatehouse_core::aws::sso::SsoProgress;
use gatehouse_core::error::ErrorCode;
use gatehouse_testkit::sso::{self as stub, SsoOidcStub, TokenAnswer};
use gatehouse_testkit::{venv_python, AwsFiles, Moto};
use std::path::Path;
use std::sync::Mutex;

const START_URL: &str = "https://d-9000000001.awsapps.com/start";
/// sha1("corp"): the cache file of the `corp` session.
const CORP_CACHE: &str = ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json";

/// A config with the SSO profile `corp-admin` of session `corp`, whose OIDC calls go to
/// `stub`; the connections keep SSO tokens under the temporary `home`.
fn setup(stub: &SsoOidcStub, files: &mut AwsFiles) -> (Connections, std::path::PathBuf) {
    setup_at(&stub.endpoint(), files)
}

/// As [`setup`], the OIDC calls going to `endpoint`.
fn setup_at(endpoint: &str, files: &mut AwsFiles) -> (Connections, std::path::PathBuf) {
    files.config_text(&format!(
        "[profile corp-admin]\nsso_session = corp\nsso_account_id = 713000000041\nsso_role_name = Admin\n\
         region = eu-west-1\nservices = stub\n\n\
         [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\n\
         sso_registration_scopes = sso:account:access\n\n\
         [services stub]\nsso-oidc =\n  endpoint_url = {endpoint}\n"
    ));
    let (config_file, credentials_file) = files.write();
    let home = files.dir.path().join("home");
    let connections = Connections::new(
        ProfileSource { config_file, credentials_file, preferred: None },
        ConnectOptions { max_attempts: 1, ..ConnectOptions::default() },
    )
    .with_home(&home);
    (connections, home)
}

async fn state(connections: &Connections) -> ProfileState {
    let list = connections.list_profiles().await.unwrap();
    let p = list.profiles.into_iter().find(|p| p.name == "corp-admin").unwrap();
    assert_eq!(p.kind, ProfileKind::Sso);
    p.state
}

/// botocore's own loader reading the cache under `home`, as the CLI would.
fn botocore_token(home: &Path) -> serde_json::Value {
    let program = format!(
        "import json, os\n\
         from botocore.utils import SSOTokenLoader, JSONFileCache\n\
         cache = JSONFileCache(os.path.expanduser('~/.aws/sso/cache'))\n\
         print(json.dumps(SSOTokenLoader(cache=cache)('{START_URL}', session_name='corp')))\n"
    );
    let out = std::process::Command::new(venv_python()).arg("-c").arg(program).env("HOME", home).output().unwrap();
    assert!(out.status.success(), "botocore: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn signing_in_caches_the_token_where_botocore_finds_it_and_the_profile_becomes_ready() {
    let token = TokenAnswer::Token { access_token: "stub-access-token-1".into(), expires_in: 28_800 };
    let stub = SsoOidcStub::start(vec![TokenAnswer::Pending, TokenAnswer::Pending, token]);
    let mut files = AwsFiles::new();
    let (connections, home) = setup(&stub, &mut files);
    assert_eq!(state(&connections).await, ProfileState::SsoExpired { expired: None });

    let sign_in = connections.start_sso_sign_in("corp-admin").await.unwrap();
    assert_eq!(sign_in.user_code, stub::USER_CODE);
    assert_eq!((sign_in.interval_secs, sign_in.expires_in_secs), (1, 600));
    assert!(sign_in.verification_uri_complete.as_deref().unwrap().ends_with(stub::USER_CODE));
    assert!(!home.join(CORP_CACHE).exists(), "nothing is written before the approval");

    let progress = Mutex::new(Vec::new());
    connections.finish_sso_sign_in(&sign_in.handle, |p| progress.lock().unwrap().push(p)).await.unwrap();
    let progress = progress.into_inner().unwrap();
    assert_eq!(progress.iter().filter(|p| matches!(p, SsoProgress::Waiting { .. })).count(), 2, "{progress:?}");
    assert!(matches!(progress.last(), Some(SsoProgress::SignedIn { .. })), "{progress:?}");

    // What went over the wire, as the CLI sends it.
    let received = stub.received();
    let paths: Vec<&str> = received.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["/client/register", "/device_authorization", "/token", "/token", "/token"]);
    let register = &received[0].body;
    assert_eq!(register["clientName"], "gatehouse");
    assert_eq!(register["clientType"], "public");
    assert_eq!(register["scopes"], serde_json::json!(["sso:account:access"]));
    assert_eq!(received[1].body["startUrl"], START_URL);
    let create = &received[4].body;
    assert_eq!(create["grantType"], "urn:ietf:params:oauth:grant-type:device_code");
    assert_eq!(
        (create["deviceCode"].as_str(), create["clientId"].as_str()),
        (Some(stub::DEVICE_CODE), Some(stub::CLIENT_ID))
    );

    // The file: named by sha1(session name), private, in the CLI's format.
    let file = home.join(CORP_CACHE);
    let cached: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(cached["accessToken"], "stub-access-token-1");
    assert_eq!(cached["startUrl"], START_URL);
    assert_eq!(cached["region"], "eu-west-1");
    assert_eq!(cached["clientId"], stub::CLIENT_ID);
    assert_eq!(cached["clientSecret"], stub::CLIENT_SECRET);
    assert_eq!(cached["refreshToken"], stub::REFRESH_TOKEN);
    assert_eq!(cached["registrationExpiresAt"], "2099-01-01T00:00:00Z");
    let expires = cached["expiresAt"].as_str().unwrap();
    assert!(expires.len() == 20 && expires.ends_with('Z'), "YYYY-MM-DDTHH:MM:SSZ: {expires}");
    assert_eq!(progress.last(), Some(&SsoProgress::SignedIn { expires: expires.to_string() }));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }
    let dir: Vec<_> = std::fs::read_dir(file.parent().unwrap()).unwrap().collect();
    assert_eq!(dir.len(), 1, "no temporary file is left behind");

    let loaded = botocore_token(&home);
    assert_eq!(loaded["accessToken"], "stub-access-token-1");
    assert_eq!(loaded["expiresAt"], expires);

    assert_eq!(state(&connections).await, ProfileState::Ready);
    // A handle works once.
    let again = connections.finish_sso_sign_in(&sign_in.handle, |_| {}).await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::InvalidInput, "{again}");
}

#[tokio::test]
async fn a_refused_sign_in_says_so_and_writes_nothing() {
    let stub = SsoOidcStub::start(vec![TokenAnswer::Denied]);
    let mut files = AwsFiles::new();
    let (connections, home) = setup(&stub, &mut files);
    let sign_in = connections.start_sso_sign_in("corp-admin").await.unwrap();
    let err = connections.finish_sso_sign_in(&sign_in.handle, |_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AccessDenied, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("sign-in of profile corp-admin was refused"), "{msg}");
    assert!(msg.contains("The user denied the authorization request"), "{msg}");
    assert!(!home.join(".aws").exists(), "nothing written under ~/.aws");
    assert_eq!(state(&connections).await, ProfileState::SsoExpired { expired: None });
}

#[tokio::test]
async fn only_sso_profiles_sign_in() {
    let stub = SsoOidcStub::start(vec![TokenAnswer::Pending]);
    let mut files = AwsFiles::new();
    files.config_text("[profile keys]\naws_access_key_id = AKIATESTING\naws_secret_access_key = s\n");
    let (connections, _) = setup(&stub, &mut files);
    let err = connections.start_sso_sign_in("keys").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(stub.received().is_empty());
}

#[tokio::test]
async fn slow_down_makes_the_polling_five_seconds_slower() {
    let token = TokenAnswer::Token { access_token: "stub-access-token-2".into(), expires_in: 3600 };
    let stub = SsoOidcStub::start(vec![TokenAnswer::SlowDown, token]);
    let mut files = AwsFiles::new();
    let (connections, home) = setup(&stub, &mut files);
    let sign_in = connections.start_sso_sign_in("corp-admin").await.unwrap();
    let started = std::time::Instant::now();
    let progress = Mutex::new(Vec::new());
    connections.finish_sso_sign_in(&sign_in.handle, |p| progress.lock().unwrap().push(p)).await.unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_secs(6), "1 s + 5 s: {:?}", started.elapsed());
    let progress = progress.into_inner().unwrap();
    assert_eq!(progress.first(), Some(&SsoProgress::SlowDown { interval: 6 }), "{progress:?}");
    assert_eq!(botocore_token(&home)["accessToken"], "stub-access-token-2");
}

#[tokio::test]
async fn a_code_nobody_approves_expires_with_a_sentence_and_writes_nothing() {
    let stub = SsoOidcStub::start_with_expiry(vec![TokenAnswer::Pending], 2);
    let mut files = AwsFiles::new();
    let (connections, home) = setup(&stub, &mut files);
    let sign_in = connections.start_sso_sign_in("corp-admin").await.unwrap();
    let err = connections.finish_sso_sign_in(&sign_in.handle, |_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoCredentials, "{err}");
    assert!(
        err.to_string()
            .contains("the sign-in code of profile corp-admin expired before it was approved; start the sign-in again"),
        "{err}"
    );
    assert!(!home.join(".aws").exists());
}

#[tokio::test]
async fn a_legacy_profile_signs_in_without_scopes_and_caches_under_its_start_url() {
    let token = TokenAnswer::Token { access_token: "stub-access-token-3".into(), expires_in: 3600 };
    let stub = SsoOidcStub::start(vec![token]);
    let mut files = AwsFiles::new();
    files.config_text(&format!(
        "[profile legacy]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\nsso_account_id = 713000000042\n\
         sso_role_name = ReadOnly\nservices = stub\n"
    ));
    let (connections, home) = setup(&stub, &mut files);
    let sign_in = connections.start_sso_sign_in("legacy").await.unwrap();
    connections.finish_sso_sign_in(&sign_in.handle, |_| {}).await.unwrap();
    let register = &stub.received()[0].body;
    assert!(register.get("scopes").is_none(), "the CLI sends none without sso_registration_scopes: {register}");
    // sha1(START_URL), as botocore's loader computes it when given no session name.
    let program = format!(
        "import json, os\n\
         from botocore.utils import SSOTokenLoader, JSONFileCache\n\
         cache = JSONFileCache(os.path.expanduser('~/.aws/sso/cache'))\n\
         print(json.dumps(SSOTokenLoader(cache=cache)('{START_URL}')))\n"
    );
    let out = std::process::Command::new(venv_python()).arg("-c").arg(program).env("HOME", &home).output().unwrap();
    assert!(out.status.success(), "botocore: {}", String::from_utf8_lossy(&out.stderr));
    let loaded: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(loaded["accessToken"], "stub-access-token-3");
    assert!(!home.join(CORP_CACHE).exists(), "not under the session's name");
    let list = connections.list_profiles().await.unwrap();
    assert_eq!(list.profiles.iter().find(|p| p.name == "legacy").unwrap().state, ProfileState::Ready);
}

#[tokio::test]
async fn other_identity_center_errors_keep_their_code_and_explanation() {
    let stub = SsoOidcStub::start(vec![TokenAnswer::InvalidGrant]);
    let mut files = AwsFiles::new();
    let (connections, home) = setup(&stub, &mut files);
    let sign_in = connections.start_sso_sign_in("corp-admin").await.unwrap();
    let err = connections.finish_sso_sign_in(&sign_in.handle, |_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AwsService, "{err}");
    assert_eq!(err.to_string(), "AWS answered InvalidGrantException: Invalid grant provided");
    assert!(!home.join(".aws").exists());
}

#[tokio::test]
async fn a_role_sourced_from_an_sso_profile_needs_and_gets_that_profiles_sign_in() {
    let token = TokenAnswer::Token { access_token: "stub-access-token-4".into(), expires_in: 3600 };
    let stub = SsoOidcStub::start(vec![token]);
    let mut files = AwsFiles::new();
    files.config_text(
        "[profile member-admin]\nrole_arn = arn:aws:iam::713000000043:role/Admin\nsource_profile = corp-admin\n\
         [profile chained]\nrole_arn = arn:aws:iam::713000000044:role/Audit\nsource_profile = member-admin\n\
         [profile loop-a]\nrole_arn = arn:aws:iam::713000000045:role/A\nsource_profile = loop-b\n\
         [profile loop-b]\nrole_arn = arn:aws:iam::713000000045:role/B\nsource_profile = loop-a\n",
    );
    let (connections, home) = setup(&stub, &mut files);
    let states = || async {
        let list = connections.list_profiles().await.unwrap();
        let of = |n: &str| list.profiles.iter().find(|p| p.name == n).unwrap().state.clone();
        [of("corp-admin"), of("member-admin"), of("chained"), of("loop-a")]
    };
    let missing = ProfileState::SsoExpired { expired: None };
    let circle =
        ProfileState::Broken { reason: "the source_profile chain of profile loop-a goes round in a circle".into() };
    assert_eq!(states().await, [missing.clone(), missing.clone(), missing, circle.clone()]);
    let err = connections.connect("chained").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoCredentials, "{err}");
    assert!(
        err.to_string().contains("SSO token of profile corp-admin (the source of profile chained) is missing"),
        "{err}"
    );

    let sign_in = connections.start_sso_sign_in("chained").await.unwrap();
    connections.finish_sso_sign_in(&sign_in.handle, |_| {}).await.unwrap();
    assert!(home.join(CORP_CACHE).exists(), "the session of corp-admin is the one signed in");
    let ready = ProfileState::Ready;
    assert_eq!(states().await, [ready.clone(), ready.clone(), ready, circle]);
    let err = connections.start_sso_sign_in("loop-a").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
}

/// Set in the child's environment only.
const CHILD: &str = "GATEHOUSE_TEST_SSO_CHILD";
const CHILD_ACCOUNT: &str = "713000000046";

/// The whole way, with nothing but the environment to steer it: `HOME` for the cache,
/// `AWS_ENDPOINT_URL_SSO_OIDC` for the sign-in, then aws-config's own SSO provider reads
/// the file Gatehouse wrote, trades the token for role credentials at the portal (the
/// stub again, `AWS_ENDPOINT_URL_SSO`), and STS (moto) says who they are.
#[test]
fn aws_config_connects_with_the_token_signed_in_from_the_app() {
    if std::env::var_os(CHILD).is_some() {
        return in_the_child();
    }
    let moto = Moto::start(CHILD_ACCOUNT);
    let token = TokenAnswer::Token { access_token: "stub-access-token-5".into(), expires_in: 3600 };
    let stub = SsoOidcStub::start(vec![TokenAnswer::Pending, token]);
    let mut files = AwsFiles::new();
    files.config_text(&format!(
        "[profile corp-admin]\nsso_session = corp\nsso_account_id = {CHILD_ACCOUNT}\nsso_role_name = Admin\n\
         region = us-east-1\nendpoint_url = {}\n\n\
         [sso-session corp]\nsso_start_url = {START_URL}\nsso_region = eu-west-1\n\
         sso_registration_scopes = sso:account:access\n",
        moto.endpoint()
    ));
    let (config, credentials) = files.write();
    let home = files.dir.path().join("home");
    // module_path!() is "it::sso"; libtest names tests without the crate.
    let module = module_path!().split_once("::").map_or(module_path!(), |(_, m)| m);
    let test = format!("{module}::aws_config_connects_with_the_token_signed_in_from_the_app");
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([test.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("HOME", &home)
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        .env("AWS_ENDPOINT_URL_SSO_OIDC", stub.endpoint())
        .env("AWS_ENDPOINT_URL_SSO", stub.endpoint())
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the test failed in its child process:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the child process did not run the test:\n{stdout}\n{stderr}");
    assert!(home.join(CORP_CACHE).exists());
    let portal: Vec<_> =
        stub.received().into_iter().filter(|r| r.path.starts_with("/federation/credentials")).collect();
    assert_eq!(portal.len(), 1, "{portal:?}");
    assert_eq!(portal[0].bearer.as_deref(), Some("stub-access-token-5"));
    assert!(portal[0].path.contains("role_name=Admin"), "{}", portal[0].path);
    assert!(portal[0].path.contains(&format!("account_id={CHILD_ACCOUNT}")), "{}", portal[0].path);
}

fn in_the_child() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async {
        let connections = Connections::new(
            ProfileSource::from_env(),
            ConnectOptions { max_attempts: 1, ..ConnectOptions::default() },
        );
        assert_eq!(state(&connections).await, ProfileState::SsoExpired { expired: None });
        let sign_in = connections.start_sso_sign_in("corp-admin").await.unwrap();
        connections.finish_sso_sign_in(&sign_in.handle, |_| {}).await.unwrap();
        assert_eq!(state(&connections).await, ProfileState::Ready);
        let who = connections.connect("corp-admin").await.unwrap();
        assert_eq!(who.account, CHILD_ACCOUNT);
    });
}

#[tokio::test]
async fn a_cancelled_sign_in_stops_polling_and_writes_nothing() {
    let stub = SsoOidcStub::start(vec![TokenAnswer::Pending]);
    let mut files = AwsFiles::new();
    let (connections, home) = setup(&stub, &mut files);
    let sign_in = connections.start_sso_sign_in("corp-admin").await.unwrap();
    let started = std::time::Instant::now();
    let (finished, ()) = tokio::join!(connections.finish_sso_sign_in(&sign_in.handle, |_| {}), async {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        connections.cancel_sso_sign_in(&sign_in.handle);
    });
    let err = finished.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(err.to_string().contains("was cancelled"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    assert!(!home.join(".aws").exists());
    // Cancelling one that is not being waited for forgets it.
    let other = connections.start_sso_sign_in("corp-admin").await.unwrap();
    connections.cancel_sso_sign_in(&other.handle);
    let err = connections.finish_sso_sign_in(&other.handle, |_| {}).await.unwrap_err();
    assert!(err.to_string().contains("unknown or already finished"), "{err}");
}

/// An endpoint that names a page of its own choosing (issue 20, item 1): nothing is kept
/// to be opened, and the sentence names the address and why it is refused.
#[tokio::test]
async fn a_sign_in_page_that_is_not_the_identity_centers_is_refused_and_opens_nothing() {
    let stub = SsoOidcStub::start_with_page(vec![TokenAnswer::Pending], "https://evil.example/login");
    let mut files = AwsFiles::new();
    let (connections, home) = setup(&stub, &mut files);
    let err = connections.start_sso_sign_in("corp-admin").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("https://evil.example/login"), "{msg}");
    assert!(msg.contains("evil.example is not a host of AWS IAM Identity Center"), "{msg}");
    assert!(msg.contains("Gatehouse does not open it"), "{msg}");
    // No sign-in was kept: there is no handle whose page could be opened, nothing is polled.
    let paths: Vec<String> = stub.received().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/client/register", "/device_authorization"]);
    assert!(!home.join(".aws").exists());
}

#[tokio::test]
async fn a_sign_in_page_with_user_info_is_refused() {
    let page = "https://device.sso.eu-west-1.amazonaws.com@evil.example/";
    let stub = SsoOidcStub::start_with_page(vec![TokenAnswer::Pending], page);
    let mut files = AwsFiles::new();
    let (connections, _home) = setup(&stub, &mut files);
    let err = connections.start_sso_sign_in("corp-admin").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(err.to_string().contains("user name"), "{err}");
}

/// A plain http OIDC endpoint elsewhere than loopback is refused before any call.
#[tokio::test]
async fn a_plain_http_oidc_endpoint_off_this_machine_is_refused_before_any_call() {
    let mut files = AwsFiles::new();
    let (connections, _home) = setup_at("http://192.0.2.10:8080", &mut files);
    let started = std::time::Instant::now();
    let err = connections.start_sso_sign_in("corp-admin").await.unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "no call was tried: {:?}", started.elapsed());
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("http://192.0.2.10:8080"), "{msg}");
    assert!(msg.contains("plain http address that is not this machine's loopback"), "{msg}");
}

/// A cancel while the CreateToken call that carries the approval is under way: nothing is
/// written (issue 20, item 8).
#[tokio::test]
async fn a_cancel_during_the_last_poll_writes_nothing() {
    let token = TokenAnswer::Token { access_token: "stub-access-token-6".into(), expires_in: 3600 };
    let slow = TokenAnswer::After(std::time::Duration::from_millis(1500), Box::new(token));
    let stub = SsoOidcStub::start(vec![slow]);
    let mut files = AwsFiles::new();
    let (connections, home) = setup(&stub, &mut files);
    let sign_in = connections.start_sso_sign_in("corp-admin").await.unwrap();
    let (finished, ()) = tokio::join!(connections.finish_sso_sign_in(&sign_in.handle, |_| {}), async {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        connections.cancel_sso_sign_in(&sign_in.handle);
    });
    let err = finished.unwrap_err();
    assert!(err.to_string().contains("was cancelled"), "{err}");
    assert_eq!(stub.received().iter().filter(|r| r.path == "/token").count(), 1);
    assert!(!home.join(CORP_CACHE).exists(), "the token of a cancelled sign-in is not cached");
}
