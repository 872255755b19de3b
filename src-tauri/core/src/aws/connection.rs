//! Connections to AWS, one per profile: credentials resolved from that profile alone, the
//! caller identity verified with STS, and the IAM client to use afterwards.

use crate::aws::account_read::AccountRead;
use crate::aws::credential_process::{ProcessCredentials, PROCESS_TIMEOUT};
use crate::aws::profiles::{self, Profile, ProfileKind, ProfileList, ProfileSource, ProfileState};
use crate::aws::sso::{self, SsoProgress, SsoSignIn, SsoSignIns};
use crate::aws::watch::Watch;
use crate::error::{Error, Result};
use aws_config::meta::region::ProvideRegion;
use aws_config::profile::{ProfileFileCredentialsProvider, ProfileFileRegionProvider};
use aws_config::provider_config::ProviderConfig;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_runtime::env_config::file::EnvConfigFiles as ProfileFiles;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_types::os_shim_internal::{Env, Fs};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

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
    /// One attempt's bound when a profile is selected (STS GetCallerIdentity, at most two
    /// attempts): a hung endpoint is named within seconds, not after the long reads' bound.
    pub check_timeout: Duration,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            max_attempts: 3,
            connect_timeout: Duration::from_secs(5),
            attempt_timeout: Duration::from_secs(20),
            operation_timeout: Duration::from_secs(90),
            check_timeout: Duration::from_secs(4),
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

    /// The bounds of the connection check: a short attempt, two attempts at most.
    fn for_check(&self) -> ConnectOptions {
        ConnectOptions {
            max_attempts: self.max_attempts.clamp(1, 2),
            attempt_timeout: self.attempt_timeout.min(self.check_timeout),
            ..self.clone()
        }
    }

    fn retry(&self) -> RetryConfig {
        if self.max_attempts <= 1 {
            RetryConfig::disabled()
        } else {
            RetryConfig::standard().with_max_attempts(self.max_attempts)
        }
    }

    fn timeouts(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout)
            .operation_attempt_timeout(self.attempt_timeout)
            .operation_timeout(self.operation_timeout)
            .build()
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
    /// When the credentials stop working (RFC 3339): set for an MFA session, none for
    /// long-lived keys and for credentials aws-config refreshes on its own.
    pub expires: Option<String>,
}

pub struct Connection {
    pub identity: CallerIdentity,
    pub iam: aws_sdk_iam::Client,
    /// Where calls go, for "could not reach …" messages.
    pub endpoint: String,
    options: ConnectOptions,
    /// STS with the same credentials; none for a connection made by `new`.
    sts: Option<aws_sdk_sts::Client>,
    /// The MFA device of a connection made with a session: once the session ends, the
    /// connection is dropped and the profile asks for a code again.
    mfa_serial: Option<String>,
    /// What its IAM calls met (lag after a create, throttling) and the account read they
    /// share; every IAM call of a connection made by `connect` passes through it.
    pub watch: Arc<Watch>,
}

impl Connection {
    /// A connection over an IAM client made elsewhere; `connect` is the usual way, after
    /// STS has said who the credentials are. Its calls do not pass a watch: nothing waits
    /// out lag or throttling, and its account read is forgotten only by `forget`.
    pub fn new(identity: CallerIdentity, iam: aws_sdk_iam::Client, endpoint: String, options: ConnectOptions) -> Self {
        Connection { identity, iam, endpoint, options, sts: None, mfa_serial: None, watch: Arc::default() }
    }

    /// The account's read shared by every screen of this connection.
    pub fn read(&self) -> &AccountRead {
        &self.watch.read
    }

    /// The account an access key belongs to, as STS GetAccessKeyInfo says (any valid
    /// credentials may ask, about any key).
    pub async fn access_key_account(&self, key_id: &str) -> Result<String> {
        let sts = self.sts.as_ref().ok_or_else(|| {
            Error::Internal(format!("the connection of {} was made without STS", self.identity.profile))
        })?;
        let out = sts.get_access_key_info().access_key_id(key_id).send().await.map_err(|e| self.error(e))?;
        out.account().map(str::to_string).ok_or_else(|| Error::AwsService {
            code: "NoAccount".into(),
            message: format!("{} did not say which account {key_id} belongs to", self.endpoint),
        })
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

/// A session obtained with an MFA code. It lives in memory only: never on disk, and gone
/// with the app, so a code is asked again after a restart as after expiry.
struct MfaSession {
    credentials: Credentials,
    expires: SystemTime,
}

/// A session this close to its end is not reused: a listing started with it could fail
/// halfway through with ExpiredToken.
const SESSION_MARGIN: Duration = Duration::from_secs(60);

/// The properties an MFA connection reads beyond what `Profile` carries.
const MFA_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "source_profile",
    "credential_source",
    "external_id",
    "role_session_name",
    "duration_seconds",
];

/// Where a profile's credentials come from when its SdkConfig is built.
enum Creds {
    /// aws-config's chain for this profile, as the CLI would resolve it.
    Profile(String),
    Fixed(SharedCredentialsProvider),
}

/// The connections of this app run. Connecting again replaces a profile's connection, so
/// that new credentials (a fresh SSO login, an edited file) are picked up.
pub struct Connections {
    source: ProfileSource,
    options: ConnectOptions,
    connections: Mutex<HashMap<String, Arc<Connection>>>,
    sessions: Mutex<HashMap<String, MfaSession>>,
    /// The home folder whose `.aws/sso/cache` holds the SSO tokens: `HOME`, as aws-config
    /// finds it; none when unknown, and then SSO states are left to aws-config.
    home: Option<PathBuf>,
    sso: SsoSignIns,
}

impl Connections {
    pub fn new(source: ProfileSource, options: ConnectOptions) -> Self {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        Connections {
            source,
            options,
            connections: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashMap::new()),
            home: var("HOME").or_else(|| var("USERPROFILE")),
            sso: SsoSignIns::default(),
        }
    }

    /// Reads and writes the SSO token cache under `home` instead of `HOME`: tests run in
    /// parallel threads of one process and cannot change its environment.
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    pub fn source(&self) -> &ProfileSource {
        &self.source
    }

    /// The profiles of the files, each with whether it can connect now: an MFA profile with
    /// a live session says until when, a profile whose SSO token (its own, or its source
    /// profile's) is missing or expired says so (the cache is only read).
    pub async fn list_profiles(&self) -> Result<ProfileList> {
        let mut list = profiles::list_profiles(&self.source).await?;
        let mut set = None;
        for p in &mut list.profiles {
            if p.needs_mfa().is_some() {
                if let Some((_, expires)) = self.live_session(&p.name) {
                    p.state = ProfileState::MfaSession { expires: time(expires) };
                }
            }
            let may_use_sso = matches!(p.kind, ProfileKind::Sso | ProfileKind::AssumeRole);
            if may_use_sso && matches!(p.state, ProfileState::Ready | ProfileState::NeedsMfa) {
                if set.is_none() {
                    set = Some(self.profile_set().await?);
                }
                if let Some((_, expired)) = self.sso_expired(set.as_ref().unwrap(), &p.name) {
                    p.state = ProfileState::SsoExpired { expired };
                }
            }
        }
        Ok(list)
    }

    async fn profile_set(&self) -> Result<aws_config::profile::ProfileSet> {
        let (files, _) = profiles::healthy_files(&self.source).await;
        aws_config::profile::load(&Fs::real(), &Env::real(), &files, None).await.map_err(|e| Error::ProfileConfig {
            file: self.source.config_file.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// `Some((sso profile, expired))` when `name` gets its credentials from an SSO profile
    /// whose cached token aws-config cannot use (see `sso::token_expired`).
    fn sso_expired(&self, set: &aws_config::profile::ProfileSet, name: &str) -> Option<(String, Option<String>)> {
        let home = self.home.as_deref()?;
        let base = sso::sso_base(set, name)?;
        let settings = sso::settings(set, &base).ok()?;
        sso::token_expired(&settings, home, SystemTime::now()).map(|expired| (base, expired))
    }

    /// Starts the SSO sign-in that `profile` needs (its own, or its source profile's): the
    /// user opens `verification_uri` and approves `user_code`, then `finish_sso_sign_in`
    /// waits for it.
    pub async fn start_sso_sign_in(&self, profile: &str) -> Result<SsoSignIn> {
        let (_, files) = self.entry(profile).await?;
        let set = self.profile_set().await?;
        let base = sso::sso_base(&set, profile).ok_or_else(|| {
            Error::InvalidInput(format!(
                "Profile {profile} gets no credentials from SSO; there is nothing to sign in to."
            ))
        })?;
        let settings = sso::settings(&set, &base)
            .map_err(|reason| Error::ProfileConfig { file: self.source.config_file.display().to_string(), reason })?;
        let home = self.home.as_deref().ok_or_else(|| {
            Error::Internal("the home folder is unknown (HOME is not set), so the SSO token has nowhere to go".into())
        })?;
        let cache_file = settings.cache_file(home);
        let client = self.sso_oidc_client(&base, files, &settings.region).await;
        self.sso.start(profile, settings, cache_file, client).await
    }

    /// Waits for the approval of a sign-in from `start_sso_sign_in` and caches its token;
    /// connecting the profile afterwards uses it.
    pub async fn finish_sso_sign_in(&self, handle: &str, on_progress: impl Fn(SsoProgress)) -> Result<()> {
        self.sso.finish(handle, on_progress).await
    }

    /// Abandons a sign-in from `start_sso_sign_in`; a `finish_sso_sign_in` waiting for it
    /// ends with an error within one polling interval.
    pub fn cancel_sso_sign_in(&self, handle: &str) {
        self.sso.cancel(handle)
    }

    /// The page a sign-in in progress is approved on, to open in the system browser.
    pub fn sso_sign_in_page(&self, handle: &str) -> Result<String> {
        self.sso.page(handle)
    }

    /// The identity center's OIDC client. Its endpoint is the SDK's for `sso_region`, unless
    /// `AWS_ENDPOINT_URL_SSO_OIDC` or the profile's `services` section names another, as
    /// for aws-config's own SSO calls. Its calls are unauthenticated: no credentials.
    async fn sso_oidc_client(&self, profile: &str, files: ProfileFiles, region: &str) -> aws_sdk_ssooidc::Client {
        let (retry, timeouts) = self.retry_and_timeouts();
        let config = aws_config::defaults(BehaviorVersion::latest())
            .profile_files(files)
            .profile_name(profile)
            .region(Region::new(region.to_string()))
            .no_credentials()
            .retry_config(retry)
            .timeout_config(timeouts)
            .load()
            .await;
        aws_sdk_ssooidc::Client::new(&config)
    }

    /// Connects `profile` and verifies who it is with STS. A profile with `mfa_serial` fails
    /// with `MfaRequired` unless a session from `connect_with_mfa` is still valid.
    pub async fn connect(&self, profile: &str) -> Result<CallerIdentity> {
        let (entry, files) = self.entry(profile).await?;
        if let ProfileState::Broken { reason } = &entry.state {
            return Err(Error::ProfileConfig {
                file: self.source.config_file.display().to_string(),
                reason: reason.clone(),
            });
        }
        let live = entry.needs_mfa().and_then(|_| self.live_session(profile));
        // A live MFA session no longer needs the SSO token it was obtained with.
        if live.is_none() && matches!(entry.kind, ProfileKind::Sso | ProfileKind::AssumeRole) {
            if let Some((base, expired)) = self.sso_expired(&self.profile_set().await?, profile) {
                let when = expired.map(|t| format!(" ended at {t}")).unwrap_or_else(|| " is missing".into());
                let of = if base == profile { String::new() } else { format!(" (the source of profile {profile})") };
                return Err(Error::NoCredentials(format!(
                    "the SSO token of profile {base}{of}{when}; sign in again from Gatehouse or with aws sso login"
                )));
            }
        }
        let session = match entry.needs_mfa() {
            None => None,
            Some(serial) => Some(live.ok_or_else(|| Error::mfa_required(profile, serial))?),
        };
        self.verify(&entry, files, session).await
    }

    /// Connects an MFA profile with a code from its device: AssumeRole (role profiles) or
    /// GetSessionToken (static keys) with SerialNumber and TokenCode, from the source
    /// credentials aws-config resolves. aws-config itself ignores `mfa_serial` and would
    /// assume the role without MFA, which a trust policy requiring MFA refuses.
    pub async fn connect_with_mfa(&self, profile: &str, code: &str) -> Result<CallerIdentity> {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::InvalidInput("An MFA code is the 6 digits the device shows now.".into()));
        }
        let (entry, files) = self.entry(profile).await?;
        let Some(serial) = entry.needs_mfa().map(str::to_string) else {
            return Err(Error::InvalidInput(format!(
                "Profile {profile} has no mfa_serial; connect it without a code."
            )));
        };
        crate::rules::mfa_serial(&serial)?;
        let props = profiles::properties(&files, profile, MFA_KEYS).await.unwrap_or_default();
        let own_keys = || static_keys(profile, &props).map(|c| Creds::Fixed(SharedCredentialsProvider::new(c)));
        let source = match entry.kind {
            ProfileKind::StaticKeys => own_keys()?,
            _ => match props.get("source_profile") {
                // Keys and role in one profile: its chain would assume the role without MFA.
                Some(sp) if sp == profile => own_keys()?,
                // Only the source profile's chain: the role profile's would assume without MFA.
                // A source profile that needs MFA itself is not prompted for (no recursion).
                Some(sp) => Creds::Profile(sp.clone()),
                None => {
                    return Err(Error::InvalidInput(format!(
                        "Profile {profile} gets its credentials from credential_source; Gatehouse adds an MFA code \
                         only to a source_profile's credentials or the profile's own keys."
                    )))
                }
            },
        };
        let base = self.sdk_config(profile, files.clone(), source).await;
        let endpoint = endpoint_of(&entry, &base);
        let sts = aws_sdk_sts::Client::new(&base);
        let duration = props.get("duration_seconds").and_then(|d| d.parse::<i32>().ok());
        let issued = match entry.kind {
            ProfileKind::StaticKeys => {
                sts.get_session_token()
                    .serial_number(&serial)
                    .token_code(code)
                    .set_duration_seconds(duration)
                    .send()
                    .await
                    .map_err(|e| self.options.error(e, &endpoint))?
                    .credentials
            }
            _ => {
                let session_name = props.get("role_session_name").cloned().unwrap_or_else(|| {
                    let secs = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs();
                    format!("gatehouse-{secs}")
                });
                sts.assume_role()
                    .set_role_arn(entry.role_arn.clone())
                    .role_session_name(session_name)
                    .serial_number(&serial)
                    .token_code(code)
                    .set_external_id(props.get("external_id").cloned())
                    .set_duration_seconds(duration)
                    .send()
                    .await
                    .map_err(|e| self.options.error(e, &endpoint))?
                    .credentials
            }
        };
        let c = issued.ok_or_else(|| Error::AwsService {
            code: "NoCredentials".into(),
            message: format!("{endpoint} answered without credentials"),
        })?;
        let expires = SystemTime::try_from(*c.expiration())
            .map_err(|e| Error::Internal(format!("the session's expiry cannot be read: {e}")))?;
        let credentials = Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            Some(expires),
            "GatehouseMfa",
        );
        self.sessions
            .lock()
            .unwrap()
            .insert(profile.to_string(), MfaSession { credentials: credentials.clone(), expires });
        self.verify(&entry, files, Some((credentials, expires))).await
    }

    /// The session of `profile` if it is valid long enough to be used; an expired one is
    /// forgotten, so that the profile reads as needing MFA again.
    fn live_session(&self, profile: &str) -> Option<(Credentials, SystemTime)> {
        let mut sessions = self.sessions.lock().unwrap();
        let live = sessions.get(profile).filter(|s| s.expires > SystemTime::now() + SESSION_MARGIN);
        match live {
            Some(s) => Some((s.credentials.clone(), s.expires)),
            None => {
                sessions.remove(profile);
                None
            }
        }
    }

    /// The listed profile named `profile` and the files to resolve it from.
    async fn entry(&self, profile: &str) -> Result<(Profile, ProfileFiles)> {
        let (files, problems) = profiles::healthy_files(&self.source).await;
        let listed = profiles::list_profiles(&self.source).await?;
        match listed.profiles.into_iter().find(|p| p.name == profile) {
            Some(entry) => Ok((entry, files)),
            None => Err(match problems.first() {
                Some(p) => Error::ProfileConfig { file: p.file.clone(), reason: p.message.clone() },
                None => Error::ProfileNotFound(profile.to_string()),
            }),
        }
    }

    /// Asks STS who the credentials are and keeps the connection. With a session, its
    /// credentials are used as they are (never refreshed: a new code makes a new session).
    async fn verify(
        &self,
        entry: &Profile,
        files: ProfileFiles,
        session: Option<(Credentials, SystemTime)>,
    ) -> Result<CallerIdentity> {
        let profile = entry.name.as_str();
        let expires = session.as_ref().map(|(_, e)| time(*e));
        let process = match (&session, &entry.kind) {
            (None, ProfileKind::CredentialProcess) => profiles::properties(&files, profile, &["credential_process"])
                .await
                .unwrap_or_default()
                .remove("credential_process"),
            _ => None,
        };
        let creds = match (session, process) {
            (Some((c, _)), _) => Creds::Fixed(SharedCredentialsProvider::new(c)),
            (None, Some(line)) => {
                // Run now, outside the connection check's short bound (a vault may wait for
                // a touch); kept by the provider, so the check does not run it again.
                let provider = SharedCredentialsProvider::new(ProcessCredentials::new(profile, &line, PROCESS_TIMEOUT));
                provider.provide_credentials().await.map_err(|e| Error::NoCredentials(credentials_failure(&e)))?;
                Creds::Fixed(provider)
            }
            (None, None) => Creds::Profile(profile.to_string()),
        };
        let config = self.sdk_config(profile, files, creds).await;
        let region = config.region().map(|r| r.to_string()).unwrap_or_else(|| DEFAULT_REGION.into());
        let endpoint = endpoint_of(entry, &config);

        // STS too: a throttled connection check is backed off like any IAM call.
        let check = self.options.for_check();
        let watch = Arc::new(Watch::default());
        let https = default_https_client();
        let sts = aws_sdk_sts::Client::from_conf(
            aws_sdk_sts::config::Builder::from(&config)
                .http_client(watch.client(https.clone(), check.attempt_timeout))
                .build(),
        );
        let who = sts
            .get_caller_identity()
            .customize()
            .config_override(
                aws_sdk_sts::config::Builder::default().retry_config(check.retry()).timeout_config(check.timeouts()),
            )
            .send()
            .await
            .map_err(|e| match check.error(e, &endpoint) {
                Error::NoCredentials(raw) if entry.kind == ProfileKind::CredentialProcess => {
                    Error::NoCredentials(process_failure(profile, &raw))
                }
                other => other,
            })?;
        let identity = CallerIdentity {
            profile: profile.to_string(),
            account: who.account().unwrap_or_default().to_string(),
            arn: who.arn().unwrap_or_default().to_string(),
            user_id: who.user_id().unwrap_or_default().to_string(),
            region,
            endpoint_url: entry.endpoint_url.clone(),
            expires,
        };
        // Its calls back off from throttling for longer: the long reads' attempts are longer.
        let iam = aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::config::Builder::from(&config)
                .http_client(watch.client(https, self.options.attempt_timeout))
                .build(),
        );
        let connection = Arc::new(Connection {
            identity: identity.clone(),
            iam,
            endpoint,
            options: self.options.clone(),
            sts: Some(sts),
            mfa_serial: identity.expires.as_ref().and(entry.needs_mfa()).map(str::to_string),
            watch,
        });
        self.connections.lock().unwrap().insert(profile.to_string(), connection);
        Ok(identity)
    }

    /// The live connection of a profile; the UI connects before it lists anything. One
    /// made with an MFA session that has ended is `MfaRequired`, not a later ExpiredToken
    /// from the first call made with it.
    pub fn get(&self, profile: &str) -> Result<Arc<Connection>> {
        let conn = self
            .connections
            .lock()
            .unwrap()
            .get(profile)
            .cloned()
            .ok_or_else(|| Error::NotConnected(profile.to_string()))?;
        if let Some(serial) = &conn.mfa_serial {
            if self.live_session(profile).is_none() {
                let mut connections = self.connections.lock().unwrap();
                match connections.get(profile) {
                    // Made by `connect_with_mfa` meanwhile (its session is filed before it).
                    Some(newer) if !Arc::ptr_eq(newer, &conn) => return Ok(Arc::clone(newer)),
                    _ => connections.remove(profile),
                };
                return Err(Error::mfa_required(profile, serial));
            }
        }
        Ok(conn)
    }

    /// Region, endpoint, retries and timeouts come from the named profile only, never from
    /// `AWS_ACCESS_KEY_ID` and friends: selecting "prod" must never act with other keys.
    fn retry_and_timeouts(&self) -> (RetryConfig, TimeoutConfig) {
        (self.options.retry(), self.options.timeouts())
    }

    async fn sdk_config(&self, profile: &str, files: ProfileFiles, creds: Creds) -> SdkConfig {
        let (retry, timeouts) = self.retry_and_timeouts();
        let region = ProfileFileRegionProvider::builder()
            .profile_files(files.clone())
            .profile_name(profile)
            .build()
            .region()
            .await
            .unwrap_or_else(|| Region::new(DEFAULT_REGION));
        let credentials = match creds {
            Creds::Fixed(c) => c,
            Creds::Profile(name) => {
                let provider_config = ProviderConfig::without_region()
                    .with_region(Some(region.clone()))
                    .with_retry_config(retry.clone())
                    .with_timeout_config(timeouts.clone());
                SharedCredentialsProvider::new(
                    ProfileFileCredentialsProvider::builder()
                        .configure(&provider_config)
                        .profile_files(files.clone())
                        .profile_name(name)
                        .build(),
                )
            }
        };
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

/// The SDK's own default HTTPS client (hyper 1, rustls with aws-lc), made explicitly so
/// that the watch can wrap it.
fn default_https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    aws_smithy_http_client::Builder::new().tls_provider(Provider::Rustls(CryptoMode::AwsLc)).build_https()
}

/// Where a profile's calls go, for "could not reach …" messages.
fn endpoint_of(entry: &Profile, config: &SdkConfig) -> String {
    let region = config.region().map(|r| r.to_string()).unwrap_or_else(|| DEFAULT_REGION.into());
    entry
        .endpoint_url
        .clone()
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
        .unwrap_or_else(|| format!("AWS (sts.{region}.amazonaws.com)"))
}

/// The profile's own long-term keys, the source of its MFA session.
fn static_keys(profile: &str, props: &HashMap<String, String>) -> Result<Credentials> {
    match (props.get("aws_access_key_id"), props.get("aws_secret_access_key")) {
        (Some(id), Some(secret)) => {
            Ok(Credentials::new(id, secret, props.get("aws_session_token").cloned(), None, "GatehouseProfileKeys"))
        }
        _ => Err(Error::NoCredentials(format!(
            "profile {profile} needs aws_access_key_id and aws_secret_access_key to ask for an MFA session"
        ))),
    }
}

/// aws-config's message for a failed `credential_process` (`credential_process.rs`), said
/// of the profile. Its messages carry the exit status and stderr, never stdout, so no
/// credential the process printed is repeated here.
/// The sentence of a credentials provider's error (ours carry it whole as their source).
fn credentials_failure(e: &aws_credential_types::provider::error::CredentialsError) -> String {
    use std::error::Error as _;
    e.source().map(|s| s.to_string()).unwrap_or_else(|| e.to_string())
}

fn process_failure(profile: &str, raw: &str) -> String {
    /// Enough stderr to read the reason; a process that dumps pages is cut.
    const MOST: usize = 600;
    let of = format!("the credential_process of profile {profile}");
    if let Some((_, rest)) = raw.split_once("external process exited with code ") {
        let (status, stderr) = rest.split_once(". Stderr: ").unwrap_or((rest, ""));
        // `ExitStatus`'s Display: "exit status: 3", or "signal: 9 (SIGKILL)" when killed.
        let status = status.trim().strip_prefix("exit status: ").map(|c| format!("exited with status {c}"));
        let status = status.unwrap_or_else(|| format!("ended ({})", rest.split(". Stderr: ").next().unwrap_or(rest)));
        let stderr = stderr.trim();
        let said = if stderr.is_empty() {
            " and printed nothing on stderr".to_string()
        } else if stderr.chars().count() > MOST {
            format!(": {}…", stderr.chars().take(MOST).collect::<String>())
        } else {
            format!(": {stderr}")
        };
        format!("{of} {status}{said}")
    } else if let Some((_, why)) = raw.split_once("could not parse response: ") {
        format!(
            "{of} printed something that is not credentials ({why}); it must print JSON with Version 1, \
             AccessKeyId and SecretAccessKey"
        )
    } else if raw.contains("could not decode output as UTF-8") {
        format!("{of} printed output that is not UTF-8 text")
    } else if let Some((_, why)) = raw.split_once("Error retrieving credentials from external process: ") {
        format!("{of} could not be run: {why}")
    } else {
        format!("{of} failed: {raw}")
    }
}

fn time(t: SystemTime) -> String {
    crate::vocab::rfc3339(&aws_sdk_iam::primitives::DateTime::from(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn connections() -> Connections {
        let source = ProfileSource {
            config_file: PathBuf::from("/nonexistent/c"),
            credentials_file: PathBuf::from("/nonexistent/k"),
            preferred: None,
        };
        Connections::new(source, ConnectOptions::default())
    }

    fn session(c: &Connections, expires: SystemTime) {
        let credentials = Credentials::new("ASIA", "s", Some("t".into()), Some(expires), "test");
        c.sessions.lock().unwrap().insert("p".into(), MfaSession { credentials, expires });
    }

    #[test]
    fn a_session_is_reused_until_shortly_before_it_expires_then_forgotten() {
        let c = connections();
        assert!(c.live_session("p").is_none());
        let later = SystemTime::now() + Duration::from_secs(3600);
        session(&c, later);
        assert_eq!(c.live_session("p").map(|(_, e)| e), Some(later));
        // Within the margin counts as expired: a code is asked for again.
        session(&c, SystemTime::now() + SESSION_MARGIN / 2);
        assert!(c.live_session("p").is_none());
        assert!(c.sessions.lock().unwrap().is_empty(), "the expired session is dropped");
        session(&c, SystemTime::now() - Duration::from_secs(1));
        assert!(c.live_session("p").is_none());
    }

    #[test]
    fn a_connection_made_with_an_ended_session_asks_for_a_code_again() {
        let c = connections();
        let identity = CallerIdentity {
            profile: "p".into(),
            account: "712000000001".into(),
            arn: "arn:aws:sts::712000000001:assumed-role/R/s".into(),
            user_id: "AROA:s".into(),
            region: DEFAULT_REGION.into(),
            endpoint_url: None,
            expires: Some("2030-01-01T00:00:00Z".into()),
        };
        let config = aws_sdk_iam::Config::builder().behavior_version(BehaviorVersion::latest()).build();
        let mut conn =
            Connection::new(identity, aws_sdk_iam::Client::from_conf(config), "e".into(), ConnectOptions::default());
        conn.mfa_serial = Some("arn:aws:iam::712000000001:mfa/ana".into());
        c.connections.lock().unwrap().insert("p".into(), Arc::new(conn));
        session(&c, SystemTime::now() + Duration::from_secs(3600));
        assert!(c.get("p").is_ok());
        session(&c, SystemTime::now() - Duration::from_secs(1));
        let err = c.get("p").err().unwrap();
        assert_eq!(err.code(), crate::error::ErrorCode::MfaRequired, "{err}");
        assert_eq!(c.get("p").err().unwrap().code(), crate::error::ErrorCode::NotConnected, "the connection is gone");
    }

    /// Issue 20, item 8: a `get` that finds the old connection's session ended must not drop
    /// the connection `connect_with_mfa` made meanwhile (its session filed first, then the
    /// connection). Raced many times: the new connection always stays.
    #[test]
    fn get_never_drops_a_connection_connect_with_mfa_just_made() {
        let c = Arc::new(connections());
        let conn = |n: u8| {
            let identity = CallerIdentity {
                profile: "p".into(),
                account: "712000000001".into(),
                arn: format!("arn:aws:sts::712000000001:assumed-role/R/s{n}"),
                user_id: "AROA:s".into(),
                region: DEFAULT_REGION.into(),
                endpoint_url: None,
                expires: None,
            };
            let config = aws_sdk_iam::Config::builder().behavior_version(BehaviorVersion::latest()).build();
            let mut conn = Connection::new(
                identity,
                aws_sdk_iam::Client::from_conf(config),
                "e".into(),
                ConnectOptions::default(),
            );
            conn.mfa_serial = Some("arn:aws:iam::712000000001:mfa/ana".into());
            Arc::new(conn)
        };
        let (old, new) = (conn(1), conn(2));
        let start = Arc::new(std::sync::Barrier::new(2));
        let getter = {
            let (c, start) = (Arc::clone(&c), Arc::clone(&start));
            std::thread::spawn(move || {
                for _ in 0..20_000 {
                    start.wait();
                    let _ = c.get("p");
                    start.wait();
                }
            })
        };
        for i in 0..20_000 {
            // The old connection, whose session has ended.
            session(&c, SystemTime::now() - Duration::from_secs(1));
            c.connections.lock().unwrap().insert("p".into(), Arc::clone(&old));
            start.wait();
            // connect_with_mfa: the new session, then the new connection.
            session(&c, SystemTime::now() + Duration::from_secs(3600));
            c.connections.lock().unwrap().insert("p".into(), Arc::clone(&new));
            start.wait();
            let now = c.connections.lock().unwrap().get("p").cloned();
            assert!(now.is_some_and(|n| Arc::ptr_eq(&n, &new)), "iteration {i}: the new connection was dropped");
        }
        getter.join().unwrap();
    }

    #[tokio::test]
    async fn an_sso_profile_reads_as_expired_until_its_cache_holds_a_live_token() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            "[profile corp-admin]\nsso_session = corp\nsso_account_id = 713000000001\nsso_role_name = Admin\n\
             [sso-session corp]\nsso_start_url = https://d-9.awsapps.com/start\nsso_region = eu-west-1\n",
        )
        .unwrap();
        let home = dir.path().join("home");
        let source =
            ProfileSource { config_file: config, credentials_file: dir.path().join("credentials"), preferred: None };
        let c = Connections::new(source, ConnectOptions::default()).with_home(&home);
        let state = || async { c.list_profiles().await.unwrap().profiles[0].state.clone() };
        assert_eq!(state().await, ProfileState::SsoExpired { expired: None });
        let cache = home.join(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
        std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
        std::fs::write(&cache, r#"{"accessToken":"t","expiresAt":"2001-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(state().await, ProfileState::SsoExpired { expired: Some("2001-01-01T00:00:00Z".into()) });
        let err = c.connect("corp-admin").await.unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::NoCredentials, "{err}");
        assert!(err.to_string().contains("ended at 2001-01-01T00:00:00Z; sign in again"), "{err}");
        std::fs::write(&cache, r#"{"accessToken":"t","expiresAt":"2099-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(state().await, ProfileState::Ready);
    }

    #[test]
    fn a_failed_credential_process_is_described_with_its_status_and_stderr() {
        let exited = "Error retrieving credentials: external process exited with code exit status: 3. Stderr: \
                      vault: token expired\n";
        assert_eq!(
            process_failure("vault", exited),
            "the credential_process of profile vault exited with status 3: vault: token expired"
        );
        let silent = "Error retrieving credentials: external process exited with code exit status: 1. Stderr: ";
        assert_eq!(
            process_failure("vault", silent),
            "the credential_process of profile vault exited with status 1 and printed nothing on stderr"
        );
        let killed = "Error retrieving credentials: external process exited with code signal: 9 (SIGKILL). Stderr: ";
        assert!(
            process_failure("v", killed).contains("ended (signal: 9 (SIGKILL))"),
            "{}",
            process_failure("v", killed)
        );
        let long = format!("{silent}{}", "x".repeat(5000));
        assert!(process_failure("v", &long).chars().count() < 800);
        let json = "Error retrieving credentials from external process, could not parse response: Expected field \
                    `AccessKeyId` in response but it was missing";
        let said = process_failure("vault", json);
        assert!(said.contains("not credentials (Expected field `AccessKeyId`"), "{said}");
        let spawn = "Error retrieving credentials from external process: No such file or directory (os error 2)";
        assert_eq!(
            process_failure("vault", spawn),
            "the credential_process of profile vault could not be run: No such file or directory (os error 2)"
        );
    }

    /// The whole path, with aws-config running the process: the failure comes before any
    /// request, so the endpoint is never reached.
    #[cfg(unix)]
    #[tokio::test]
    async fn connecting_a_credential_process_profile_that_fails_says_why_and_echoes_no_credential() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            "[profile vault]\nendpoint_url = http://127.0.0.1:9\n\
             credential_process = sh -c 'echo {\"AccessKeyId\":\"AKIASHOULDNOTSHOW\"}; echo denied by policy >&2; exit 4'\n\
             [profile halfjson]\nendpoint_url = http://127.0.0.1:9\n\
             credential_process = echo {\"Version\":1,\"AccessKeyId\":\"AKIASHOULDNOTSHOW\"}\n",
        )
        .unwrap();
        let source =
            ProfileSource { config_file: config, credentials_file: dir.path().join("credentials"), preferred: None };
        let c = Connections::new(source, ConnectOptions { max_attempts: 1, ..ConnectOptions::default() });
        let err = c.connect("vault").await.unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::NoCredentials, "{err}");
        assert_eq!(
            err.to_string(),
            "No credentials could be loaded for this profile: the credential_process of profile vault exited with \
             status 4: denied by policy"
        );
        let err = c.connect("halfjson").await.unwrap_err().to_string();
        assert!(err.contains("profile halfjson printed something that is not credentials"), "{err}");
        assert!(err.contains("SecretAccessKey"), "{err}");
        assert!(!err.contains("AKIASHOULDNOTSHOW"), "{err}");
    }

    #[test]
    fn session_ends_cross_ipc_as_rfc3339() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert_eq!(time(t), "2027-01-15T08:00:00Z");
    }
}
