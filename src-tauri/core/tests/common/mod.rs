//! Shared by the core's integration tests: one moto account and a connection to it.

use gatehouse_core::aws::profiles::ProfileSource;
use gatehouse_core::aws::session::{ConnectOptions, Connection, Sessions};
use gatehouse_testkit::{AwsFiles, Moto};
use std::sync::Arc;

/// A fresh moto server standing for `account`, with profile "t" connected to it.
pub struct Account {
    pub moto: Moto,
    _files: AwsFiles,
    pub sessions: Sessions,
}

impl Account {
    pub async fn new(account: &str) -> Account {
        let moto = Moto::start(account);
        let mut files = AwsFiles::new();
        files.static_profile("t", &moto.endpoint(), "us-east-1");
        let (config_file, credentials_file) = files.write();
        // No retries: a missing moto operation fails at once.
        let sessions = Sessions::new(
            ProfileSource { config_file, credentials_file, preferred: None },
            ConnectOptions { max_attempts: 1, ..ConnectOptions::default() },
        );
        sessions.connect("t").await.unwrap();
        Account { moto, _files: files, sessions }
    }

    pub fn conn(&self) -> Arc<Connection> {
        self.sessions.get("t").unwrap()
    }
}
