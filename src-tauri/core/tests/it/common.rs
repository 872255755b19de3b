//! Shared by the core's integration tests: one moto account and a connection to it, and the
//! account's users as the app reads them.

use gatehouse_core::aws::connection::{CallerIdentity, ConnectOptions, Connection, Connections};
use gatehouse_core::aws::profiles::ProfileSource;
use gatehouse_core::iam::inventory::{self, UserRow};
use gatehouse_testkit::{AwsFiles, Moto};
use std::sync::Arc;

/// A fresh moto server standing for `account`, with profile "t" connected to it.
pub struct Account {
    pub moto: Moto,
    _files: AwsFiles,
    pub connections: Connections,
}

impl Account {
    pub async fn new(account: &str) -> Account {
        let moto = Moto::start(account);
        let (files, connections) = connect(&moto.endpoint()).await;
        Account { moto, _files: files, connections }
    }

    pub fn conn(&self) -> Arc<Connection> {
        self.connections.get("t").unwrap()
    }
}

/// Profile "t" at `endpoint`, connected. The files must outlive the connections.
pub async fn connect(endpoint: &str) -> (AwsFiles, Connections) {
    let mut files = AwsFiles::new();
    files.static_profile("t", endpoint, "us-east-1");
    let (config_file, credentials_file) = files.write();
    // No retries: a missing moto operation fails at once, a throttled call is not retried.
    let connections = Connections::new(
        ProfileSource { config_file, credentials_file, preferred: None },
        ConnectOptions { max_attempts: 1, ..ConnectOptions::default() },
    );
    connections.connect("t").await.unwrap();
    (files, connections)
}

/// Every user of the account, read as the users screen reads them (the inventory).
pub async fn users(conn: &Connection) -> Vec<UserRow> {
    let inventory = inventory::load(conn).await.unwrap();
    assert!(inventory.warnings.is_empty(), "{:?}", inventory.warnings);
    inventory.users
}

/// A connection whose IAM calls all go to `endpoint`, made without asking STS who it is:
/// for an endpoint that answers nothing useful (a fault server), where connecting through a
/// profile would fail at GetCallerIdentity.
pub fn unverified_connection(endpoint: &str, account: &str) -> Connection {
    use aws_sdk_iam::config::{retry::RetryConfig, BehaviorVersion, Credentials, Region};
    let config = aws_sdk_iam::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIAFAULTSERVER00000", "fault", None, None, "tests"))
        .retry_config(RetryConfig::disabled())
        .build();
    let identity = CallerIdentity {
        profile: "fault".into(),
        account: account.into(),
        arn: format!("arn:aws:iam::{account}:user/tester"),
        user_id: "AIDAFAULTSERVER".into(),
        region: "us-east-1".into(),
        endpoint_url: Some(endpoint.into()),
        expires: None,
    };
    let options = ConnectOptions { max_attempts: 1, ..ConnectOptions::default() };
    Connection::new(identity, aws_sdk_iam::Client::from_conf(config), endpoint.into(), options)
}

/// The password moto holds for `user`, if it has console access: no IAM call returns it,
/// moto's state dump does.
pub fn aws_password(moto: &Moto, user: &str) -> Option<String> {
    let found = moto.boto3(&format!(
        "import urllib.request\n\
         state = json.loads(urllib.request.urlopen(iam.meta.endpoint_url + '/moto-api/data.json').read())\n\
         print(json.dumps([u.get('password') for u in state['iam']['User'] if u['name'] == '{user}']))"
    ));
    found[0].as_str().map(str::to_string)
}
