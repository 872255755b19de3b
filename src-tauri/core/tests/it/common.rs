//! Shared by the core's integration tests: one moto account and a connection to it.

use gatehouse_core::aws::connection::{ConnectOptions, Connection, Connections};
use gatehouse_core::aws::profiles::ProfileSource;
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
        let mut files = AwsFiles::new();
        files.static_profile("t", &moto.endpoint(), "us-east-1");
        let (config_file, credentials_file) = files.write();
        // No retries: a missing moto operation fails at once.
        let connections = Connections::new(
            ProfileSource { config_file, credentials_file, preferred: None },
            ConnectOptions { max_attempts: 1, ..ConnectOptions::default() },
        );
        connections.connect("t").await.unwrap();
        Account { moto, _files: files, connections }
    }

    pub fn conn(&self) -> Arc<Connection> {
        self.connections.get("t").unwrap()
    }
}
