//! The core against real moto servers (one per account), through temporary AWS config files.
//! Everything Gatehouse reads is checked against what boto3 wrote or reads back.

use gatehouse_core::aws::connection::{ConnectOptions, Connections};
use gatehouse_core::aws::profiles::{list_profiles, ProfileKind, ProfileSource};
use gatehouse_core::error::ErrorCode;
use gatehouse_testkit::moto::SuiteMoto;
use gatehouse_testkit::{AwsFiles, Moto};
use std::sync::OnceLock;
use std::time::Duration;

use crate::common::users;

/// One pair of seeded servers for this whole test binary ("a fresh one per suite").
struct Accounts {
    acme: SuiteMoto,
    globex: SuiteMoto,
    /// For tests that write: the seeded accounts stay exactly as seeded.
    scratch: SuiteMoto,
    acme_seed: serde_json::Value,
    globex_seed: serde_json::Value,
}

fn accounts() -> &'static Accounts {
    static ACCOUNTS: OnceLock<Accounts> = OnceLock::new();
    ACCOUNTS.get_or_init(|| {
        let acme = Moto::start_for_suite("111111111111");
        let globex = Moto::start_for_suite("222222222222");
        let acme_seed = acme.seed("acme");
        let globex_seed = globex.seed("globex");
        let scratch = Moto::start_for_suite("333333333333");
        scratch.seed("globex");
        Accounts { acme, globex, scratch, acme_seed, globex_seed }
    })
}

fn options() -> ConnectOptions {
    // No retries: a failing call must fail now, not after three attempts.
    ConnectOptions {
        max_attempts: 1,
        connect_timeout: Duration::from_secs(2),
        attempt_timeout: Duration::from_secs(20),
        operation_timeout: Duration::from_secs(20),
        ..ConnectOptions::default()
    }
}

fn connections(files: &AwsFiles, preferred: Option<&str>) -> Connections {
    let (config_file, credentials_file) = files.write();
    Connections::new(
        ProfileSource { config_file, credentials_file, preferred: preferred.map(str::to_string) },
        options(),
    )
}

fn seeded_names(seed: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> =
        seed["users"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

fn two_account_files() -> AwsFiles {
    let a = accounts();
    let mut files = AwsFiles::new();
    files.static_profile("acme", &a.acme.endpoint(), "eu-west-1");
    files.static_profile("globex", &a.globex.endpoint(), "us-east-2");
    files.static_profile("scratch", &a.scratch.endpoint(), "us-east-1");
    files
}

#[tokio::test]
async fn lists_every_kind_of_profile_from_both_files() {
    let mut files = two_account_files();
    files
        .config_text("[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/OrganizationAccountAccessRole\nsource_profile = acme\n")
        .config_text("[profile corp-sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-central-1\n")
        .config_text("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-central-1\n")
        .config_text("[profile vault]\ncredential_process = /usr/local/bin/vault-creds\n")
        .config_text("[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /tmp/token\n")
        .credentials_text("[keys-only]\naws_access_key_id = AKIAONLYKEYS\naws_secret_access_key = x\n");
    let s = connections(&files, Some("globex"));
    let list = list_profiles(s.source()).await.unwrap();

    let names: Vec<&str> = list.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["acme", "admin", "ci", "corp-sso", "globex", "keys-only", "scratch", "vault"]);
    let get = |n: &str| list.profiles.iter().find(|p| p.name == n).unwrap();
    assert_eq!(get("acme").kind, ProfileKind::StaticKeys);
    assert_eq!(get("acme").region.as_deref(), Some("eu-west-1"));
    assert_eq!(get("acme").endpoint_url.as_deref(), Some(accounts().acme.endpoint().as_str()));
    assert_eq!(get("admin").kind, ProfileKind::AssumeRole);
    assert_eq!(get("admin").source.as_deref(), Some("acme"));
    assert_eq!(get("corp-sso").kind, ProfileKind::Sso);
    assert_eq!(get("corp-sso").source.as_deref(), Some("corp"));
    assert_eq!(get("vault").kind, ProfileKind::CredentialProcess);
    assert_eq!(get("ci").kind, ProfileKind::WebIdentity);
    assert_eq!(get("keys-only").kind, ProfileKind::StaticKeys);
    assert_eq!(list.preselected.as_deref(), Some("globex"), "AWS_PROFILE is preselected");
    assert!(list.problems.is_empty());
}

#[tokio::test]
async fn preselects_default_when_the_preferred_profile_does_not_exist() {
    let mut files = two_account_files();
    files.credentials_text("[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = x\n");
    let s = connections(&files, Some("no-such-profile"));
    assert_eq!(list_profiles(s.source()).await.unwrap().preselected.as_deref(), Some("default"));
}

#[tokio::test]
async fn each_profile_shows_its_own_account_and_users() {
    let a = accounts();
    let files = two_account_files();
    let s = connections(&files, None);

    let acme = s.connect("acme").await.unwrap();
    assert_eq!(acme.account, "111111111111");
    assert_eq!(acme.region, "eu-west-1");
    assert!(acme.arn.starts_with("arn:aws:"), "{}", acme.arn);
    let globex = s.connect("globex").await.unwrap();
    assert_eq!(globex.account, "222222222222");

    let acme_users: Vec<String> = users(&s.get("acme").unwrap()).await.into_iter().map(|u| u.name).collect();
    let globex_users: Vec<String> = users(&s.get("globex").unwrap()).await.into_iter().map(|u| u.name).collect();
    let mut sorted = acme_users.clone();
    sorted.sort();
    assert_eq!(sorted, seeded_names(&a.acme_seed));
    let mut sorted = globex_users.clone();
    sorted.sort();
    assert_eq!(sorted, seeded_names(&a.globex_seed));
    assert!(acme_users.iter().all(|u| !globex_users.contains(u)), "no user of one account under the other");
}

#[tokio::test]
async fn user_fields_match_what_boto3_reads() {
    let a = accounts();
    let files = two_account_files();
    let s = connections(&files, None);
    s.connect("acme").await.unwrap();
    let ours = users(&s.get("acme").unwrap()).await;
    let theirs = a.acme.boto3(
        "u = iam.get_user(UserName='jonas.berg')['User']\n\
         print(json.dumps({'path': u['Path'], 'arn': u['Arn'], 'id': u['UserId'], 'created': u['CreateDate'].isoformat()}))",
    );
    let jonas = ours.iter().find(|u| u.name == "jonas.berg").unwrap();
    assert_eq!(jonas.path, theirs["path"]);
    assert_eq!(jonas.arn, theirs["arn"]);
    assert_eq!(jonas.user_id, theirs["id"]);
    assert_eq!(jonas.created[..19], theirs["created"].as_str().unwrap()[..19]);
}

#[tokio::test]
async fn a_user_created_by_boto3_appears_on_the_next_load() {
    let a = accounts();
    let files = two_account_files();
    let s = connections(&files, None);
    s.connect("scratch").await.unwrap();
    a.scratch.boto3("iam.create_user(UserName='fresh.hire', Path='/qa/'); print('{}')");
    let listed = users(&s.get("scratch").unwrap()).await;
    let fresh = listed.iter().find(|u| u.name == "fresh.hire").expect("boto3's user is listed");
    assert_eq!(fresh.path, "/qa/");
}

#[tokio::test]
async fn assume_role_profile_acts_as_the_role() {
    let a = accounts();
    let mut files = two_account_files();
    files.config_text(&format!(
        "[profile admin]\nrole_arn = arn:aws:iam::111111111111:role/OrganizationAccountAccessRole\n\
         source_profile = acme\nendpoint_url = {}\nregion = eu-west-1\n",
        a.acme.endpoint()
    ));
    let s = connections(&files, None);
    let who = s.connect("admin").await.unwrap();
    assert_eq!(who.account, "111111111111");
    assert!(who.arn.contains("assumed-role/OrganizationAccountAccessRole"), "{}", who.arn);
}

#[tokio::test]
async fn credential_process_profile_runs_its_command() {
    let a = accounts();
    let mut files = two_account_files();
    files.config_text(&format!(
        "[profile vault]\ncredential_process = printf '{{\"Version\":1,\"AccessKeyId\":\"AKIAPROCESS\",\"SecretAccessKey\":\"x\"}}'\n\
         endpoint_url = {}\n",
        a.globex.endpoint()
    ));
    let s = connections(&files, None);
    let who = s.connect("vault").await.unwrap();
    assert_eq!(who.account, "222222222222");
    assert_eq!(who.region, "us-east-1", "IAM's region when the profile has none");
}

#[tokio::test]
async fn a_broken_config_file_is_named_and_the_other_files_profiles_still_work() {
    let a = accounts();
    let mut files = AwsFiles::new();
    files.config_text("[profile fine]\nregion = eu-west-1\nthis line is not ini\n[profile broken");
    files.credentials_text(&format!(
        "[survivor]\naws_access_key_id = AKIASURVIVOR\naws_secret_access_key = x\nendpoint_url = {}\n",
        a.acme.endpoint()
    ));
    let s = connections(&files, None);
    let list = list_profiles(s.source()).await.unwrap();
    assert_eq!(list.problems.len(), 1);
    assert_eq!(list.problems[0].file, files.config_path().display().to_string());
    assert!(list.problems[0].message.contains("line"), "says where: {}", list.problems[0].message);
    let names: Vec<&str> = list.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["survivor"]);

    assert_eq!(s.connect("survivor").await.unwrap().account, "111111111111");
    let err = s.connect("fine").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProfileConfig);
    assert!(err.to_string().contains(&files.config_path().display().to_string()));
    // Reading never writes: the broken file is exactly as it was.
    let text = std::fs::read_to_string(files.config_path()).unwrap();
    assert!(text.ends_with("[profile broken\n"));
}

#[tokio::test]
async fn a_dead_endpoint_is_reported_as_unreachable() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut files = AwsFiles::new();
    files.static_profile("dead", &format!("http://127.0.0.1:{port}"), "eu-west-1");
    let s = connections(&files, None);
    let err = s.connect("dead").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::EndpointUnreachable, "{err}");
    assert!(err.to_string().contains(&format!("127.0.0.1:{port}")), "{err}");
}

#[tokio::test]
async fn missing_profiles_credentials_and_connections_are_errors_not_panics() {
    let mut files = two_account_files();
    files.config_text(&format!("[profile nokeys]\nendpoint_url = {}\n", accounts().acme.endpoint()));
    let s = connections(&files, None);
    assert_eq!(s.connect("nope").await.unwrap_err().code(), ErrorCode::ProfileNotFound);
    assert_eq!(s.connect("nokeys").await.unwrap_err().code(), ErrorCode::NoCredentials);
    assert_eq!(s.get("acme").err().unwrap().code(), ErrorCode::NotConnected);
}

#[tokio::test]
async fn aws_error_codes_from_a_real_endpoint_keep_their_meaning() {
    // A server of its own: moto can answer HTTP 500 to a read that races a write, and this
    // test writes while others read the shared ones.
    let own = Moto::start("444444444444");
    let mut files = AwsFiles::new();
    files.static_profile("own", &own.endpoint(), "us-east-1");
    let s = connections(&files, None);
    s.connect("own").await.unwrap();
    let conn = s.get("own").unwrap();

    let err = conn.iam.get_user().user_name("nobody").send().await.map_err(|e| conn.error(e)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoSuchEntity, "{err}");
    assert!(err.to_string().contains("nobody"), "names the entity: {err}");

    conn.iam.create_user().user_name("qa.helen").send().await.unwrap();
    let err = conn.iam.create_user().user_name("qa.helen").send().await.map_err(|e| conn.error(e)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::EntityAlreadyExists, "{err}");

    conn.iam.create_user().user_name("two-keys").send().await.unwrap();
    for _ in 0..2 {
        conn.iam.create_access_key().user_name("two-keys").send().await.unwrap();
    }
    let err = conn.iam.create_access_key().user_name("two-keys").send().await.map_err(|e| conn.error(e)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::LimitExceeded, "{err}");

    let err = conn
        .iam
        .create_policy()
        .policy_name("bad")
        .policy_document("{not json")
        .send()
        .await
        .map_err(|e| conn.error(e))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedPolicyDocument, "{err}");
}
