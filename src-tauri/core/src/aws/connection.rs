//! Connections to AWS, one per profile: credentials resolved from that profile alone, the
//! caller identity verified with STS, and the IAM client to use afterwards.

use crate::aws::profiles::{self, ProfileSource};
use crate::error::{Error, Result};
use aws_config::meta::region::ProvideRegion;
use aws_config::profile::{ProfileFileCredentialsProvider, ProfileFileRegionProvider};
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_runtime::env_config::file::EnvConfigFiles as ProfileFiles;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// IAM is a global service; its endpoint lives in us-east-1 whatever the profile says.
const DEFAULT_REGION: &str = "us-east-1";

#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Attempts per call, retries included. Tests use 1 so that a missing moto operation
    /// fails at once instead of after three retries.
    pub max_attempts: u32,
    pub connect_timeout: Duration,
    /// One attempt's bound: a server that accepts and never answers fails each attempt
    /// after this long, and the call after `max_attempts` of them.
    pub attempt_timeout: Duration,
    /// The whole call's bound, retries included.
    pub operation_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            max_attempts: 3,
            connect_timeout: Duration::from_secs(5),
            attempt_timeout: Duration::from_secs(20),
            operation_timeout: Duration::from_secs(90),
        }
    }
}

impl ConnectOptions {
    /// The error for a call that got no answer in time: which endpoint, after how long.
    fn no_answer(&self, endpoint: &str) -> Error {
        let attempts = self.max_attempts.max(1);
        Error::EndpointUnreachable {
            endpoint: endpoint.to_string(),
            reason: format!(
                "no answer after {} s{}; check the endpoint and your network, then try again",
                self.attempt_timeout.as_secs(),
                if attempts > 1 { format!(" on each of {attempts} attempts") } else { String::new() }
            ),
        }
    }

    fn error<E, R>(&self, err: SdkError<E, R>, endpoint: &str) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        match err {
            SdkError::TimeoutError(_) => self.no_answer(endpoint),
            err => Error::from_sdk(err, endpoint),
        }
    }

    /// The defaults, with `AWS_MAX_ATTEMPTS` honoured as the CLI does.
    pub fn from_env() -> Self {
        let mut o = Self::default();
        if let Some(n) = std::env::var("AWS_MAX_ATTEMPTS").ok().and_then(|v| v.parse().ok()) {
            o.max_attempts = n;
        }
        o
    }
}

/// Who the selected profile is, as STS says. Shown in the header at all times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CallerIdentity {
    pub profile: String,
    pub account: String,
    pub arn: String,
    pub user_id: String,
    pub region: String,
    pub endpoint_url: Option<String>,
}

pub struct Connection {
    pub identity: CallerIdentity,
    pub iam: aws_sdk_iam::Client,
    /// Where calls go, for "could not reach …" messages.
    pub endpoint: String,
    options: ConnectOptions,
}

impl Connection {
    /// A connection over an IAM client made elsewhere; `connect` is the usual way, after
    /// STS has said who the credentials are.
    pub fn new(identity: CallerIdentity, iam: aws_sdk_iam::Client, endpoint: String, options: ConnectOptions) -> Self {
        Connection { identity, iam, endpoint, options }
    }

    /// Maps an IAM call's failure to our error, naming this connection's endpoint.
    pub fn error<E, R>(&self, err: SdkError<E, R>) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        self.options.error(err, &self.endpoint)
    }
}

/// The connections of this app run. Connecting again replaces a profile's connection, so
/// that new credentials (a fresh SSO login, an edited file) are picked up.
pub struct Connections {
    source: ProfileSource,
    options: ConnectOptions,
    connections: Mutex<HashMap<String, Arc<Connection>>>,
}

impl Connections {
    pub fn new(source: ProfileSource, options: ConnectOptions) -> Self {
        Connections { source, options, connections: Mutex::new(HashMap::new()) }
    }

    pub fn source(&self) -> &ProfileSource {
        &self.source
    }

    pub async fn connect(&self, profile: &str) -> Result<CallerIdentity> {
        let (files, problems) = profiles::healthy_files(&self.source).await;
        let listed = profiles::list_profiles(&self.source).await?;
        let Some(entry) = listed.profiles.iter().find(|p| p.name == profile) else {
            return Err(match problems.first() {
                Some(p) => Error::ProfileConfig { file: p.file.clone(), reason: p.message.clone() },
                None => Error::ProfileNotFound(profile.to_string()),
            });
        };
        let config = self.sdk_config(profile, files).await;
        let region = config.region().map(|r| r.to_string()).unwrap_or_else(|| DEFAULT_REGION.into());
        let endpoint = entry
            .endpoint_url
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
            .unwrap_or_else(|| format!("AWS (sts.{region}.amazonaws.com)"));

        let sts = aws_sdk_sts::Client::new(&config);
        let who = sts.get_caller_identity().send().await.map_err(|e| self.options.error(e, &endpoint))?;
        let identity = CallerIdentity {
            profile: profile.to_string(),
            account: who.account().unwrap_or_default().to_string(),
            arn: who.arn().unwrap_or_default().to_string(),
            user_id: who.user_id().unwrap_or_default().to_string(),
            region,
            endpoint_url: entry.endpoint_url.clone(),
        };
        let iam = aws_sdk_iam::Client::new(&config);
        let connection =
            Arc::new(Connection { identity: identity.clone(), iam, endpoint, options: self.options.clone() });
        self.connections.lock().unwrap().insert(profile.to_string(), connection);
        Ok(identity)
    }

    /// The live connection of a profile; the UI connects before it lists anything.
    pub fn get(&self, profile: &str) -> Result<Arc<Connection>> {
        self.connections.lock().unwrap().get(profile).cloned().ok_or_else(|| Error::NotConnected(profile.to_string()))
    }

    /// Credentials and region come from the named profile only, never from
    /// `AWS_ACCESS_KEY_ID` and friends: selecting "prod" must never act with other keys.
    async fn sdk_config(&self, profile: &str, files: ProfileFiles) -> SdkConfig {
        let retry = if self.options.max_attempts <= 1 {
            RetryConfig::disabled()
        } else {
            RetryConfig::standard().with_max_attempts(self.options.max_attempts)
        };
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(self.options.connect_timeout)
            .operation_attempt_timeout(self.options.attempt_timeout)
            .operation_timeout(self.options.operation_timeout)
            .build();
        let region = ProfileFileRegionProvider::builder()
            .profile_files(files.clone())
            .profile_name(profile)
            .build()
            .region()
            .await
            .unwrap_or_else(|| Region::new(DEFAULT_REGION));
        let provider_config = ProviderConfig::without_region()
            .with_region(Some(region.clone()))
            .with_retry_config(retry.clone())
            .with_timeout_config(timeouts.clone());
        let credentials = ProfileFileCredentialsProvider::builder()
            .configure(&provider_config)
            .profile_files(files.clone())
            .profile_name(profile)
            .build();
        aws_config::defaults(BehaviorVersion::latest())
            .profile_files(files)
            .profile_name(profile)
            .region(region)
            .credentials_provider(credentials)
            .retry_config(retry)
            .timeout_config(timeouts)
            .load()
            .await
    }
}
