//! Many accounts at once against moto: one server per account, one profile each, and a
//! profile whose endpoint is a closed port.

use gatehouse_core::aws::connection::{ConnectOptions, Connections};
use gatehouse_core::aws::profiles::ProfileSource;
use gatehouse_core::error::ErrorCode;
use gatehouse_core::fleet::compare::Side;
use gatehouse_core::fleet::search::{MatchKind, SearchState};
use gatehouse_core::fleet::{self, FleetProgress};
use gatehouse_testkit::process::free_port;
use gatehouse_testkit::{AwsFiles, Moto};
use std::sync::Mutex;
use std::time::Duration;

const ACCOUNTS: [&str; 3] = ["712000000021", "712000000022", "712000000023"];

struct Fleet {
    motos: Vec<Moto>,
    _files: AwsFiles,
    connections: Connections,
}

/// Profiles one, two and three at their own moto servers, two-again at two's, and "dead"
/// at a closed port.
fn fleet() -> Fleet {
    let motos: Vec<Moto> = ACCOUNTS.iter().map(|a| Moto::start(a)).collect();
    let mut files = AwsFiles::new();
    for (name, moto) in ["one", "two", "three"].iter().zip(&motos) {
        files.static_profile(name, &moto.endpoint(), "us-east-1");
    }
    // A second way into account 2, as an administrator with two roles there has.
    files.static_profile("two-again", &motos[1].endpoint(), "us-east-1");
    files.static_profile("dead", &format!("http://127.0.0.1:{}", free_port()), "us-east-1");
    let (config_file, credentials_file) = files.write();
    let options = ConnectOptions {
        max_attempts: 1,
        connect_timeout: Duration::from_secs(2),
        attempt_timeout: Duration::from_secs(5),
        operation_timeout: Duration::from_secs(20),
        ..ConnectOptions::default()
    };
    let connections = Connections::new(ProfileSource { config_file, credentials_file, preferred: None }, options);
    Fleet { motos, _files: files, connections }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn finds_a_name_in_its_account_only_a_key_owner_across_accounts_and_names_the_dead_profile() {
    let f = fleet();
    f.motos[1].boto3(
        "iam.create_user(UserName='Zed-Contractor', Path='/vendors/')\n\
         iam.create_group(GroupName='contractors')\n\
         print('null')",
    );
    let key = f.motos[2].boto3(
        "iam.create_user(UserName='ci-bot')\n\
         print(json.dumps(iam.create_access_key(UserName='ci-bot')['AccessKey']['AccessKeyId']))",
    );
    let key = key.as_str().unwrap().to_string();
    let profiles = names(&["one", "two", "three", "two-again", "dead"]);

    f.motos[1].start_recording();
    let seen = Mutex::new(Vec::<FleetProgress>::new());
    let record = |p: FleetProgress| seen.lock().unwrap().push(p);
    let found = fleet::search(&f.connections, &profiles, "CONTRACTOR", &record).await.unwrap();
    let got: Vec<_> =
        found.matches.iter().map(|m| (m.profile.as_str(), m.account.as_str(), m.kind, m.name.as_str())).collect();
    assert_eq!(
        got,
        [
            ("two", ACCOUNTS[1], MatchKind::User, "Zed-Contractor"),
            ("two", ACCOUNTS[1], MatchKind::Group, "contractors"),
        ]
    );
    let user = &found.matches[0];
    assert_eq!(user.path, "/vendors/");
    assert_eq!(user.arn, format!("arn:aws:iam::{}:user/vendors/Zed-Contractor", ACCOUNTS[1]));
    assert_eq!(found.failures.len(), 1, "{:?}", found.failures);
    assert_eq!((found.failures[0].profile.as_str(), found.failures[0].code), ("dead", ErrorCode::EndpointUnreachable));
    let reads = f.motos[1]
        .recorded_forms()
        .iter()
        .filter(|f| f.get("Action").is_some_and(|a| a == "GetAccountAuthorizationDetails"))
        .count();
    // One page of each of the three streams (users and groups, roles, the account's
    // policies), once for the two profiles.
    assert_eq!(reads, 3, "account 2 is read once for its two profiles");
    let seen = seen.into_inner().unwrap();
    let state = |profile: &str| seen.iter().rev().find(|p| p.profile == profile).map(|p| p.state.clone());
    assert_eq!(state("two"), Some(SearchState::Done { matches: 2 }));
    assert_eq!(state("two-again"), Some(SearchState::Done { matches: 2 }));
    assert_eq!(state("one"), Some(SearchState::Done { matches: 0 }));
    assert!(matches!(state("dead"), Some(SearchState::Failed { .. })), "{seen:?}");
    assert_eq!(seen.iter().filter(|p| p.state == SearchState::Searching).count(), 5);

    // The key's owner, asked through profile one: moto answers GetAccessKeyInfo with its
    // own account for a key it does not hold (each moto server is one account), so the
    // key is found by listing the other accounts, as when STS is denied.
    let found = fleet::search(&f.connections, &profiles, &key, &|_| {}).await.unwrap();
    assert_eq!(found.matches.len(), 1, "{found:?}");
    let m = &found.matches[0];
    assert_eq!((m.profile.as_str(), m.account.as_str(), m.kind), ("three", ACCOUNTS[2], MatchKind::AccessKey));
    assert_eq!((m.name.as_str(), m.owner.as_deref()), (key.as_str(), Some("ci-bot")));
    assert_eq!(m.arn, format!("arn:aws:iam::{}:user/ci-bot", ACCOUNTS[2]));
    assert_eq!(found.failures.iter().map(|f| f.profile.as_str()).collect::<Vec<_>>(), ["dead"]);
    assert_eq!(found.key_account.as_deref(), Some(ACCOUNTS[2]));

    // Asked through profile three, STS names account 3 at once, and no other account's
    // users are listed.
    f.motos[0].start_recording();
    let owner =
        fleet::find_access_key_owner(&f.connections, &names(&["three", "one", "dead"]), &key, &|_| {}).await.unwrap();
    assert_eq!(owner.account.as_deref(), Some(ACCOUNTS[2]));
    assert_eq!(owner.found.as_ref().and_then(|m| m.owner.as_deref()), Some("ci-bot"));
    let listed_in_one =
        f.motos[0].recorded_forms().iter().filter(|f| f.get("Action").is_some_and(|a| a == "ListUsers")).count();
    assert_eq!(listed_in_one, 0, "account one was not listed");

    let not_a_key = fleet::find_access_key_owner(&f.connections, &profiles, "ci-bot", &|_| {}).await.unwrap_err();
    assert_eq!(not_a_key.code(), ErrorCode::InvalidInput);
}

#[tokio::test]
async fn an_mfa_profile_is_reported_not_prompted() {
    let moto = Moto::start("712000000024");
    let mut files = AwsFiles::new();
    files.static_profile("plain", &moto.endpoint(), "us-east-1").config_text(&format!(
        "[profile guarded]\nrole_arn = arn:aws:iam::712000000024:role/R\nsource_profile = plain\n\
         mfa_serial = arn:aws:iam::712000000024:mfa/ana\nendpoint_url = {}\n",
        moto.endpoint()
    ));
    let (config_file, credentials_file) = files.write();
    let connections = Connections::new(
        ProfileSource { config_file, credentials_file, preferred: None },
        ConnectOptions { max_attempts: 1, ..ConnectOptions::default() },
    );
    let seen = Mutex::new(Vec::new());
    let found =
        fleet::search(&connections, &names(&["plain", "guarded"]), "anything", &|p| seen.lock().unwrap().push(p))
            .await
            .unwrap();
    assert_eq!(found.failures.len(), 1);
    assert_eq!((found.failures[0].profile.as_str(), found.failures[0].code), ("guarded", ErrorCode::MfaRequired));
    assert!(seen.lock().unwrap().iter().any(|p| p.profile == "guarded" && p.state == SearchState::NeedsMfa));
}

#[tokio::test]
async fn compares_two_accounts_where_a_group_exists_in_one_only() {
    let a = Moto::start("712000000025");
    let b = Moto::start("712000000026");
    let both = "iam.create_group(GroupName='devs')\n\
                iam.attach_group_policy(GroupName='devs', PolicyArn='arn:aws:iam::aws:policy/ReadOnlyAccess')\n";
    a.boto3(&format!("{both}iam.create_group(GroupName='auditors')\nprint('null')"));
    b.boto3(&format!("{both}print('null')"));
    let mut files = AwsFiles::new();
    files.static_profile("a", &a.endpoint(), "us-east-1").static_profile("b", &b.endpoint(), "us-east-1");
    let (config_file, credentials_file) = files.write();
    let connections = Connections::new(
        ProfileSource { config_file, credentials_file, preferred: None },
        ConnectOptions { max_attempts: 1, ..ConnectOptions::default() },
    );
    let c = fleet::compare_profiles(&connections, "a", "b").await.unwrap();
    assert_eq!((c.account_a.as_str(), c.account_b.as_str()), ("712000000025", "712000000026"));
    let groups: Vec<_> = c.groups.iter().map(|g| (g.name.as_str(), g.side)).collect();
    assert_eq!(groups, [("auditors", Side::OnlyInA)], "devs is the same in both");
    assert!(!c.password_policy.a_set && !c.password_policy.b_set);
    assert!(c.password_policy.changes.is_empty());
}
