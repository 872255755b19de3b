//! IAM Identity Center (SSO) profiles: whether their cached token still works, and signing
//! in from the app with the device authorization flow, as `aws sso login --use-device-code`
//! does.
//!
//! The token cache is shared with the AWS CLI, the SDKs and aws-config:
//! `~/.aws/sso/cache/<sha1 of the sso-session name, or of the start URL>.json`. Reading it
//! never changes it. The one file Gatehouse ever writes under `~/.aws` is that cache file,
//! and only when the user signs in from the app: it is what makes the profile usable by
//! every other tool as well, exactly as if `aws sso login` had run.

use crate::error::{Error, Result};
use crate::sensitive::Sensitive;
use aws_config::profile::ProfileSet;
use aws_sdk_iam::primitives::{DateTime, DateTimeFormat};
use aws_sdk_ssooidc::config::http::HttpResponse;
use aws_sdk_ssooidc::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ssooidc::operation::create_token::CreateTokenError;
use serde::Serialize;
use sha1::{Digest, Sha1};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// The scope `aws configure sso` writes for a session; without one no refresh token comes
/// back, and the profile needs a new sign-in every few hours instead of every few weeks.
const DEFAULT_SCOPE: &str = "sso:account:access";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628 §3.5: the polling interval when the server names none, and the step added on
/// each `slow_down`.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// Where an SSO profile signs in, resolved as aws-config resolves it
/// (`profile/credentials/repr.rs sso_from_profile`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSettings {
    /// The `[sso-session NAME]` the profile names; none for a legacy profile.
    pub session_name: Option<String>,
    pub start_url: String,
    /// Where the identity center lives: the OIDC endpoint's region.
    pub region: String,
    /// Sent at client registration; only for sessions, as the CLI does.
    pub scopes: Vec<String>,
}

impl SsoSettings {
    /// The cache file's path under `home`, named as botocore, the CLI and aws-config name it.
    pub fn cache_file(&self, home: &Path) -> PathBuf {
        let key = self.session_name.as_deref().unwrap_or(&self.start_url);
        home.join(".aws/sso/cache").join(format!("{}.json", hex::encode(Sha1::digest(key.as_bytes()))))
    }
}

/// The SSO settings of profile `name`, or why they cannot work, in words. The checks are
/// aws-config's, so a profile said to be fine here is one aws-config accepts.
pub(crate) fn settings(set: &ProfileSet, name: &str) -> std::result::Result<SsoSettings, String> {
    let p = set.get_profile(name).ok_or_else(|| format!("there is no profile named {name}"))?;
    // Each value and the section it should have been found in, for the message.
    let (session_name, start_url, region, scopes, place) = match p.get("sso_session") {
        Some(session) => {
            for key in ["sso_start_url", "sso_region"] {
                if p.get(key).is_some() {
                    return Err(format!(
                        "profile {name} names sso_session {session}, so its {key} belongs in [sso-session {session}], \
                         not in the profile"
                    ));
                }
            }
            let s = set.sso_session(session).ok_or_else(|| {
                format!("profile {name} names sso_session {session}, but there is no [sso-session {session}] section")
            })?;
            let scopes = match s.get("sso_registration_scopes") {
                Some(list) => list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
                None => vec![DEFAULT_SCOPE.to_string()],
            };
            let place = format!("[sso-session {session}]");
            (Some(session.to_string()), s.get("sso_start_url"), s.get("sso_region"), scopes, place)
        }
        None => (None, p.get("sso_start_url"), p.get("sso_region"), Vec::new(), format!("profile {name}")),
    };
    let start_url = start_url.ok_or_else(|| format!("{place} has no sso_start_url: there is nowhere to sign in"))?;
    let region = region.ok_or_else(|| format!("{place} has no sso_region: the sign-in endpoint is unknown"))?;
    let (start_url, region) = (start_url.to_string(), region.to_string());
    match (p.get("sso_account_id"), p.get("sso_role_name")) {
        (Some(_), Some(_)) => {}
        (Some(_), None) => return Err(format!("profile {name} has sso_account_id but no sso_role_name")),
        (None, Some(_)) => return Err(format!("profile {name} has sso_role_name but no sso_account_id")),
        (None, None) => {
            return Err(format!(
                "profile {name} has neither sso_account_id nor sso_role_name: it signs in but names no role to \
                 get AWS credentials for"
            ))
        }
    }
    Ok(SsoSettings { session_name, start_url, region, scopes })
}

/// The profile whose SSO sign-in gives `name` its credentials: itself for an SSO profile,
/// the end of its `source_profile` chain for a role profile (as aws-config follows it);
/// none when SSO plays no part.
pub(crate) fn sso_base(set: &ProfileSet, name: &str) -> Option<String> {
    let mut current = name;
    // A longer chain is a cycle, which aws-config reports when connecting.
    for _ in 0..16 {
        let p = set.get_profile(current)?;
        let is_sso = p.get("sso_session").is_some() || p.get("sso_start_url").is_some();
        if p.get("role_arn").is_some() && p.get("web_identity_token_file").is_none() {
            match p.get("source_profile") {
                Some(source) if source != current => {
                    current = source;
                    continue;
                }
                // `source_profile` naming itself: its own lines are the base.
                Some(_) => {}
                None => return None,
            }
        }
        return is_sso.then(|| current.to_string());
    }
    None
}

/// Whether the cached token lets aws-config get credentials now: `None` when it does, else
/// since when it stopped (none when there is no usable token at all).
pub(crate) fn token_expired(settings: &SsoSettings, home: &Path, now: SystemTime) -> Option<Option<String>> {
    let Ok(text) = std::fs::read_to_string(settings.cache_file(home)) else { return Some(None) };
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Some(None);
    };
    // aws-config matches the keys ignoring ASCII case.
    let field = |k: &str| map.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).and_then(|(_, v)| v.as_str());
    // aws-config refuses an offset other than `Z`, so a file it cannot read counts as none.
    let date = |k: &str| field(k).and_then(|v| DateTime::from_str(v, DateTimeFormat::DateTime).ok());
    let (Some(_), Some(expires)) = (field("accessToken"), date("expiresAt")) else { return Some(None) };
    let now = DateTime::from(now);
    if expires > now {
        return None;
    }
    // aws-config refreshes an expired session token by itself when it can (sso/token.rs).
    let refreshable = settings.session_name.is_some()
        && ["clientId", "clientSecret", "refreshToken"].iter().all(|k| field(k).is_some())
        && date("registrationExpiresAt").is_some_and(|r| r > now);
    if refreshable {
        None
    } else {
        Some(Some(crate::vocab::rfc3339(&expires)))
    }
}

/// What the UI shows while the user approves the sign-in in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SsoSignIn {
    /// The page where the code is typed.
    pub verification_uri: String,
    /// The same page with the code filled in, when the identity center gives one.
    pub verification_uri_complete: Option<String>,
    /// The code the browser page must show too: the user compares them before approving.
    pub user_code: String,
    pub expires_in_secs: u32,
    pub interval_secs: u32,
    /// What `finish_sso_sign_in` takes; it means nothing outside this app run.
    pub handle: String,
}

/// What happens while waiting for the approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SsoProgress {
    /// Not approved yet; the code stays valid this many seconds more.
    Waiting { remaining: u32 },
    /// The identity center asked to poll less often; `interval` is the new pace in seconds.
    SlowDown { interval: u32 },
    /// Approved; the token is cached until `expires` (RFC 3339).
    SignedIn { expires: String },
}

/// A sign-in started and not finished: the registered client and the device code.
struct Pending {
    profile: String,
    settings: SsoSettings,
    cache_file: PathBuf,
    client: aws_sdk_ssooidc::Client,
    client_id: String,
    client_secret: Sensitive<String>,
    /// When the client registration ends; a refresh needs it.
    registration_expires: Option<i64>,
    device_code: Sensitive<String>,
    interval: Duration,
    deadline: Instant,
}

/// The sign-ins in progress, by handle. Memory only: an app restart forgets them, and the
/// user starts again.
#[derive(Default)]
pub struct SsoSignIns {
    pending: Mutex<HashMap<String, Pending>>,
    /// The sign-ins `finish` is polling for, each with the flag `cancel` raises. The flag is
    /// a mutex held while the token is written, so a cancel lands either before the write
    /// (nothing is written) or after it (the sign-in had already succeeded).
    polling: Mutex<HashMap<String, Arc<Mutex<bool>>>>,
    /// The page each sign-in is approved on, as the identity center gave it: the only
    /// address `page` hands out to be opened, whatever the UI asks.
    pages: Mutex<HashMap<String, String>>,
}

impl SsoSignIns {
    /// Registers a public client and starts the device authorization for `settings`.
    /// `client` must point at the identity center's OIDC endpoint.
    pub(crate) async fn start(
        &self,
        profile: &str,
        settings: SsoSettings,
        cache_file: PathBuf,
        client: aws_sdk_ssooidc::Client,
    ) -> Result<SsoSignIn> {
        let endpoint = format!("the SSO sign-in endpoint of {} ({})", settings.start_url, settings.region);
        // Every call is checked where it is about to leave, on the endpoint the SDK resolved
        // (the profile's, the environment's, or AWS's own).
        let guard = EndpointGuard { profile: profile.to_string(), refused: Arc::default() };
        let refused = guard.refused.clone();
        let client = aws_sdk_ssooidc::Client::from_conf(client.config().to_builder().interceptor(guard).build());
        let failed = |e| match refused.lock().unwrap().take() {
            Some(why) => Error::InvalidInput(why),
            None => oidc_error(e, &endpoint),
        };
        let scopes = (!settings.scopes.is_empty()).then(|| settings.scopes.clone());
        let reg =
            client.register_client().client_name("gatehouse").client_type("public").set_scopes(scopes).send().await;
        let reg = reg.map_err(failed)?;
        let (Some(client_id), Some(secret)) = (reg.client_id(), reg.client_secret()) else {
            return Err(unanswered(&endpoint, "RegisterClient", "a client id and secret"));
        };
        let client_secret = Sensitive::new(secret.to_string());
        let auth = client
            .start_device_authorization()
            .client_id(client_id)
            .client_secret(client_secret.expose())
            .start_url(&settings.start_url)
            .send()
            .await
            .map_err(|e| match refused.lock().unwrap().take() {
                Some(why) => Error::InvalidInput(why),
                None => oidc_error(e, &endpoint),
            })?;
        let (Some(device_code), Some(user_code), Some(uri)) =
            (auth.device_code(), auth.user_code(), auth.verification_uri())
        else {
            return Err(unanswered(&endpoint, "StartDeviceAuthorization", "a device code, user code and page"));
        };
        // Both addresses are shown, and one is opened on a click: each must be the identity
        // center's own page, whatever endpoint answered.
        check_page(uri, &settings)?;
        if let Some(complete) = auth.verification_uri_complete() {
            check_page(complete, &settings)?;
        }
        let interval = match auth.interval() {
            i if i > 0 => Duration::from_secs(i as u64),
            _ => DEFAULT_INTERVAL,
        };
        let expires_in = auth.expires_in().max(0) as u64;
        let sign_in = SsoSignIn {
            verification_uri: uri.to_string(),
            verification_uri_complete: auth.verification_uri_complete().map(str::to_string),
            user_code: user_code.to_string(),
            expires_in_secs: expires_in as u32,
            interval_secs: interval.as_secs() as u32,
            handle: handle(),
        };
        let pending = Pending {
            profile: profile.to_string(),
            settings,
            cache_file,
            client_id: client_id.to_string(),
            client_secret,
            registration_expires: Some(reg.client_secret_expires_at()).filter(|t| *t > 0),
            device_code: Sensitive::new(device_code.to_string()),
            client,
            interval,
            deadline: Instant::now() + Duration::from_secs(expires_in),
        };
        let mut all = self.pending.lock().unwrap();
        // Sign-ins the UI started and never finished would otherwise stay for the app's life.
        all.retain(|_, p| p.deadline > Instant::now());
        all.insert(sign_in.handle.clone(), pending);
        let page = sign_in.verification_uri_complete.clone().unwrap_or_else(|| sign_in.verification_uri.clone());
        let mut pages = self.pages.lock().unwrap();
        pages.retain(|h, _| all.contains_key(h) || self.polling.lock().unwrap().contains_key(h));
        pages.insert(sign_in.handle.clone(), page);
        Ok(sign_in)
    }

    /// Polls until the user approves, refuses, or the code expires; on approval writes the
    /// token cache file. The sign-in is used up either way.
    pub async fn finish(&self, handle: &str, on_progress: impl Fn(SsoProgress)) -> Result<()> {
        let stop = Arc::new(Mutex::new(false));
        let p = {
            let mut pending = self.pending.lock().unwrap();
            let p = pending.remove(handle).ok_or_else(|| {
                Error::InvalidInput("This SSO sign-in is unknown or already finished; start it again.".into())
            })?;
            // Under the lock `cancel` takes first, so that no cancel falls between the maps.
            self.polling.lock().unwrap().insert(handle.to_string(), stop.clone());
            p
        };
        let result = poll(p, &stop, on_progress).await;
        self.polling.lock().unwrap().remove(handle);
        self.pages.lock().unwrap().remove(handle);
        result
    }

    /// The page a sign-in in progress is approved on (an https address of the identity
    /// center, checked by `start`), for the system browser.
    pub fn page(&self, handle: &str) -> Result<String> {
        self.pages.lock().unwrap().get(handle).cloned().ok_or_else(|| {
            Error::InvalidInput("This SSO sign-in is unknown or already finished; start it again.".into())
        })
    }

    /// Abandons a sign-in (the user closed its dialog): one not being waited for is
    /// forgotten, and `finish` stops polling before its next call to the identity center.
    pub fn cancel(&self, handle: &str) {
        let mut pending = self.pending.lock().unwrap();
        pending.remove(handle);
        self.pages.lock().unwrap().remove(handle);
        let stop = self.polling.lock().unwrap().get(handle).cloned();
        if let Some(stop) = stop {
            // Waits for a token being written, if one is: the write then stands.
            *stop.lock().unwrap() = true;
        }
    }
}

async fn poll(mut p: Pending, stop: &Mutex<bool>, on_progress: impl Fn(SsoProgress)) -> Result<()> {
    let endpoint = format!("the SSO sign-in endpoint of {} ({})", p.settings.start_url, p.settings.region);
    let cancelled =
        |p: &Pending| Error::InvalidInput(format!("The SSO sign-in of profile {} was cancelled.", p.profile));
    loop {
        if *stop.lock().unwrap() {
            return Err(cancelled(&p));
        }
        let answer = p
            .client
            .create_token()
            .client_id(&p.client_id)
            .client_secret(p.client_secret.expose())
            .grant_type(DEVICE_GRANT)
            .device_code(p.device_code.expose())
            .send()
            .await;
        match answer {
            Ok(out) => {
                let Some(token) = out.access_token() else {
                    return Err(unanswered(&endpoint, "CreateToken", "an access token"));
                };
                let token = Sensitive::new(token.to_string());
                let refresh = out.refresh_token().map(|r| Sensitive::new(r.to_string()));
                let now = SystemTime::now();
                let expires = whole_seconds(now + Duration::from_secs(out.expires_in().max(0) as u64));
                {
                    // A cancel while this call was under way wins: nothing is written. Held
                    // during the write, so a cancel cannot fall between the check and it.
                    let stopped = stop.lock().unwrap();
                    if *stopped {
                        return Err(cancelled(&p));
                    }
                    write_cache(&p, &token, refresh.as_ref(), &expires)?;
                }
                on_progress(SsoProgress::SignedIn { expires });
                return Ok(());
            }
            Err(e) => {
                let service = e.as_service_error();
                if service.is_some_and(|s| s.is_authorization_pending_exception()) {
                    // Not approved yet: the usual answer, again and again.
                } else if service.is_some_and(|s| s.is_slow_down_exception()) {
                    p.interval += SLOW_DOWN_STEP;
                    on_progress(SsoProgress::SlowDown { interval: p.interval.as_secs() as u32 });
                } else if service.is_some_and(|s| s.is_expired_token_exception()) {
                    return Err(code_expired(&p.profile));
                } else if let Some(CreateTokenError::AccessDeniedException(denied)) = service {
                    // The identity center explains in `error_description`, not `message`.
                    let why = denied.error_description().or(denied.message());
                    let why = why.map(|m| format!(" ({m})")).unwrap_or_default();
                    return Err(Error::AccessDenied(format!(
                        "The SSO sign-in of profile {} was refused{why}. Start it again and approve it in the \
                             browser.",
                        p.profile
                    )));
                } else {
                    return Err(oidc_error(e, &endpoint));
                }
            }
        }
        let left = p.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(code_expired(&p.profile));
        }
        on_progress(SsoProgress::Waiting { remaining: left.as_secs() as u32 });
        tokio::time::sleep(p.interval.min(left)).await;
    }
}

/// Refuses a call to the identity center's OIDC endpoint over plain http anywhere but this
/// machine's loopback (a local stand-in, as the tests use): the sign-in's client secret and
/// device code would travel unencrypted, and the answer would choose the page to open.
#[derive(Debug)]
struct EndpointGuard {
    profile: String,
    /// The sentence of a refusal, for the error the call then ends with.
    refused: Arc<Mutex<Option<String>>>,
}

impl aws_sdk_ssooidc::config::Intercept for EndpointGuard {
    fn name(&self) -> &'static str {
        "EndpointGuard"
    }

    fn read_before_transmit(
        &self,
        context: &aws_sdk_ssooidc::config::interceptors::BeforeTransmitInterceptorContextRef<'_>,
        _: &aws_sdk_ssooidc::config::RuntimeComponents,
        _: &mut aws_sdk_ssooidc::config::ConfigBag,
    ) -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
        match check_oidc_endpoint(context.request().uri(), &self.profile) {
            Ok(()) => Ok(()),
            Err(why) => {
                *self.refused.lock().unwrap() = Some(why.clone());
                Err(why.into())
            }
        }
    }
}

/// `Err(sentence)` unless `uri` is https, or plain http to this machine's loopback.
fn check_oidc_endpoint(uri: &str, profile: &str) -> std::result::Result<(), String> {
    let (scheme, rest) = uri.split_once("://").unwrap_or(("", uri));
    let authority = split_authority(rest);
    let shown = match &authority {
        Some((_, host, Some(port))) => format!("{scheme}://{host}:{port}"),
        Some((_, host, None)) => format!("{scheme}://{host}"),
        None => uri.to_string(),
    };
    let why = match (scheme.to_ascii_lowercase().as_str(), authority) {
        ("https", Some(_)) => return Ok(()),
        ("http", Some((None, host, _))) if is_loopback(&host) => return Ok(()),
        ("http", _) => {
            "a plain http address that is not this machine's loopback (the sign-in would travel unencrypted)"
        }
        _ => "which is not an https address",
    };
    Err(format!(
        "The SSO sign-in endpoint of profile {profile} is {shown}, {why}; Gatehouse does not sign in through it. \
         Check endpoint_url in the profile's services section and AWS_ENDPOINT_URL_SSO_OIDC."
    ))
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost" || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `(user-info, host in lower case, port)` of what follows `scheme://`, or none when the
/// address cannot be read unambiguously (a backslash, which browsers read as a slash, a
/// space or a control character, an empty host).
fn split_authority(rest: &str) -> Option<(Option<String>, String, Option<String>)> {
    if rest.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control()) {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((user, hp)) => (Some(user.to_string()), hp),
        None => (None, authority),
    };
    let (host, port) = if host_port.starts_with('[') {
        let close = host_port.find(']')?;
        let port = host_port[close + 1..].strip_prefix(':').map(str::to_string);
        (&host_port[..=close], port)
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p.to_string())),
            None => (host_port, None),
        }
    };
    (!host.is_empty()).then(|| (user, host.to_ascii_lowercase(), port))
}

/// The page the user approves the sign-in on must be the identity center's own: https, no
/// user-info, the default port, and a host of AWS IAM Identity Center (`*.awsapps.com`,
/// `*.awsapps.cn`, `device.sso.<sso_region>.amazonaws.com(.cn)`) or the start URL's host.
/// Anything else was chosen by whatever answered at the OIDC endpoint, and a browser sent
/// there would have the user type a sign-in code into someone else's page.
fn check_page(page: &str, settings: &SsoSettings) -> Result<()> {
    let refused = |why: String| {
        Err(Error::InvalidInput(format!(
            "The identity center gave {page} as the page to approve the sign-in on, but {why}. Gatehouse does \
             not open it: the sign-in endpoint of this profile may not be AWS's (check endpoint_url and \
             AWS_ENDPOINT_URL_SSO_OIDC)."
        )))
    };
    let Some(rest) = page.get(..8).filter(|s| s.eq_ignore_ascii_case("https://")).map(|_| &page[8..]) else {
        return refused("it is not an https address".into());
    };
    let Some((user, host, port)) = split_authority(rest) else {
        return refused("it cannot be read as one unambiguous address".into());
    };
    if user.is_some() {
        return refused("it carries a user name (user@host), which can disguise where it leads".into());
    }
    if port.is_some_and(|p| p != "443") {
        return refused("it names a port of its own".into());
    }
    let start_host = settings
        .start_url
        .get(..8)
        .filter(|s| s.eq_ignore_ascii_case("https://"))
        .and_then(|_| split_authority(&settings.start_url[8..]))
        .filter(|(user, _, _)| user.is_none())
        .map(|(_, host, _)| host);
    let label = |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let under = |suffix: &str| host.strip_suffix(suffix).is_some_and(|sub| sub.split('.').all(label));
    let region = settings.region.to_ascii_lowercase();
    let device = [format!("device.sso.{region}.amazonaws.com"), format!("device.sso.{region}.amazonaws.com.cn")];
    if under(".awsapps.com") || under(".awsapps.cn") || device.contains(&host) || start_host.as_ref() == Some(&host) {
        Ok(())
    } else {
        refused(format!(
            "{host} is not a host of AWS IAM Identity Center (*.awsapps.com, *.awsapps.cn, device.sso.{region}.amazonaws.com) \
             nor that of the start URL {}",
            settings.start_url
        ))
    }
}

/// The identity center explains its errors in OAuth's `error_description`, which the SDK
/// does not read as the message: without it the sentence would end at the code.
fn oidc_error<E>(err: SdkError<E, HttpResponse>, endpoint: &str) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let description = err
        .raw_response()
        .and_then(|r| r.body().bytes())
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| v.get("error_description")?.as_str().map(str::to_string));
    match (err.code(), err.message(), description) {
        (Some(code), None, Some(description)) => Error::from_aws_code(code, &description),
        _ => Error::from_sdk(err, endpoint),
    }
}

/// Not `ExpiredToken`, whose sentence is about a session token: no token was ever issued.
fn code_expired(profile: &str) -> Error {
    Error::NoCredentials(format!(
        "the sign-in code of profile {profile} expired before it was approved; start the sign-in again"
    ))
}

fn unanswered(endpoint: &str, call: &str, what: &str) -> Error {
    Error::AwsService { code: "IncompleteAnswer".into(), message: format!("{endpoint} answered {call} without {what}") }
}

/// An opaque, unguessable name for a pending sign-in.
fn handle() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS random number generator is available");
    hex::encode(b)
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the CLI's format (`strftime('%Y-%m-%dT%H:%M:%SZ')`); aws-config
/// refuses any offset other than `Z`.
fn whole_seconds(t: SystemTime) -> String {
    let secs = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_secs();
    crate::vocab::rfc3339(&DateTime::from_secs(secs as i64))
}

/// The cache file as the AWS CLI v2 writes it after `aws sso login` (its field names; those
/// without a value are left out, as the CLI leaves out `refreshToken`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CacheFile<'a> {
    start_url: &'a str,
    region: &'a str,
    access_token: &'a str,
    expires_at: &'a str,
    client_id: &'a str,
    client_secret: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    registration_expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
}

/// Writes the token where every AWS tool looks for it. Folder 0700 and file 0600, as the
/// CLI makes them; through `private_file`, so a reader never sees half a token and a
/// symlink at the path is replaced, not followed.
fn write_cache(
    p: &Pending,
    token: &Sensitive<String>,
    refresh: Option<&Sensitive<String>>,
    expires: &str,
) -> Result<()> {
    let file = CacheFile {
        start_url: &p.settings.start_url,
        region: &p.settings.region,
        access_token: token.expose(),
        expires_at: expires,
        client_id: &p.client_id,
        client_secret: p.client_secret.expose(),
        registration_expires_at: p.registration_expires.map(|t| crate::vocab::rfc3339(&DateTime::from_secs(t))),
        refresh_token: refresh.map(|r| r.expose().as_str()),
    };
    let bytes = Sensitive::new(serde_json::to_vec(&file).map_err(|e| Error::Internal(e.to_string()))?);
    let path = &p.cache_file;
    let dir = path.parent().ok_or_else(|| Error::Internal(format!("{} has no folder", path.display())))?;
    let failed = |what: &str, e: std::io::Error| {
        Error::InvalidInput(format!("The SSO token could not be saved ({what} {}: {e}).", dir.display()))
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| failed("creating", e))?;
    crate::private_file::write(path, bytes.expose()).map_err(|e| failed("writing into", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session_settings() -> SsoSettings {
        SsoSettings {
            session_name: Some("corp".into()),
            start_url: "https://d-90000000.awsapps.com/start".into(),
            region: "eu-west-1".into(),
            scopes: vec![DEFAULT_SCOPE.into()],
        }
    }

    #[test]
    fn the_cache_file_is_named_by_the_session_name_or_else_the_start_url() {
        let home = Path::new("/h");
        // sha1("corp") and sha1("https://d-90000000.awsapps.com/start"), as botocore computes them.
        let by_session = session_settings().cache_file(home);
        assert_eq!(by_session, PathBuf::from("/h/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"));
        let legacy = SsoSettings { session_name: None, scopes: vec![], ..session_settings() };
        let expected = hex::encode(Sha1::digest(b"https://d-90000000.awsapps.com/start"));
        assert_eq!(legacy.cache_file(home), PathBuf::from(format!("/h/.aws/sso/cache/{expected}.json")));
    }

    #[test]
    fn dates_are_whole_seconds_in_utc_with_z() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(1_800_000_000_750);
        assert_eq!(whole_seconds(t), "2027-01-15T08:00:00Z");
    }

    fn cached(home: &Path, s: &SsoSettings, json: &str) {
        let f = s.cache_file(home);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, json).unwrap();
    }

    #[test]
    fn a_token_counts_until_it_expires_unless_aws_config_can_refresh_it() {
        let home = tempfile::tempdir().unwrap();
        let s = session_settings();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        assert_eq!(token_expired(&s, home.path(), now), Some(None), "no file");
        cached(home.path(), &s, r#"{"accessToken":"t","expiresAt":"2027-01-15T09:00:00Z"}"#);
        assert_eq!(token_expired(&s, home.path(), now), None);
        cached(home.path(), &s, r#"{"accessToken":"t","expiresAt":"2027-01-15T07:00:00Z"}"#);
        assert_eq!(token_expired(&s, home.path(), now), Some(Some("2027-01-15T07:00:00Z".into())));
        // aws-config cannot read an offset; neither can we.
        cached(home.path(), &s, r#"{"accessToken":"t","expiresAt":"2027-01-15T09:00:00+00:00"}"#);
        assert_eq!(token_expired(&s, home.path(), now), Some(None));
        let refreshable = r#"{"accessToken":"t","expiresAt":"2027-01-15T07:00:00Z","clientId":"c",
            "clientSecret":"s","refreshToken":"r","registrationExpiresAt":"2027-03-01T00:00:00Z"}"#;
        cached(home.path(), &s, refreshable);
        assert_eq!(token_expired(&s, home.path(), now), None);
        // A legacy profile is never refreshed.
        let legacy = SsoSettings { session_name: None, scopes: vec![], ..s };
        cached(home.path(), &legacy, refreshable);
        assert_eq!(token_expired(&legacy, home.path(), now), Some(Some("2027-01-15T07:00:00Z".into())));
    }

    #[test]
    fn only_the_identity_centers_own_pages_are_accepted() {
        let s = session_settings();
        for good in [
            "https://device.sso.eu-west-1.amazonaws.com/",
            "https://device.sso.eu-west-1.amazonaws.com/?user_code=WDJB-MJHT",
            "https://device.sso.eu-west-1.amazonaws.com.cn/",
            "https://d-90000000.awsapps.com/start/#/device",
            "https://my-org.awsapps.cn/start",
            "HTTPS://D-90000000.AWSAPPS.COM:443/start",
        ] {
            assert_eq!(check_page(good, &s).map_err(|e| e.to_string()), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("https://evil.example/login", "evil.example is not a host of AWS IAM Identity Center"),
            ("http://device.sso.eu-west-1.amazonaws.com/", "not an https address"),
            ("https://device.sso.eu-west-1.amazonaws.com@evil.example/", "user name"),
            ("https://user:pw@d-90000000.awsapps.com/start", "user name"),
            ("https://evil.example\\@d-90000000.awsapps.com/", "unambiguous"),
            ("https://device.sso.us-east-1.amazonaws.com/", "not a host of AWS IAM Identity Center"),
            ("https://awsapps.com.evil.example/", "not a host"),
            ("https://evilawsapps.com/", "not a host"),
            ("https://d-90000000.awsapps.com:8443/start", "port"),
            ("https://d-9.awsapps.com./", "not a host"),
            ("javascript:alert(1)", "not an https address"),
        ] {
            let err = check_page(bad, &s).unwrap_err();
            assert_eq!(err.code(), crate::error::ErrorCode::InvalidInput);
            assert!(err.to_string().contains(why), "{bad}: {err}");
            assert!(err.to_string().contains("Gatehouse does not open it"), "{bad}: {err}");
        }
        // The start URL's own host, for an identity center behind a custom domain.
        let custom = SsoSettings { start_url: "https://sso.example.com/start".into(), ..session_settings() };
        assert_eq!(check_page("https://sso.example.com/device", &custom).map_err(|e| e.to_string()), Ok(()));
        assert!(check_page("https://other.example.com/device", &custom).is_err());
    }

    #[test]
    fn plain_http_oidc_endpoints_are_accepted_on_loopback_only() {
        for ok in [
            "https://oidc.eu-west-1.amazonaws.com/token",
            "http://127.0.0.1:4000/client/register",
            "http://localhost:4000/token",
            "http://[::1]:4000/token",
        ] {
            assert_eq!(check_oidc_endpoint(ok, "p"), Ok(()), "{ok}");
        }
        for bad in [
            "http://192.0.2.10:8080/token",
            "http://127.0.0.1.evil.example/token",
            "http://127.0.0.1@evil.example/token",
            "ftp://127.0.0.1/token",
        ] {
            let why = check_oidc_endpoint(bad, "p").unwrap_err();
            assert!(why.starts_with("The SSO sign-in endpoint of profile p is "), "{bad}: {why}");
        }
    }
}
