//! What a connection's IAM calls see of AWS beyond one answer: IAM is eventually consistent
//! and throttles its control plane, and both are answered here, under the SDK, for every
//! call at once instead of at each call site.
//!
//! - **Eventual consistency.** AWS documents that a user, group or role created a moment ago
//!   can answer `NoSuchEntity` for a while. A call that names one this connection created
//!   less than [`SETTLE_WINDOW`] ago and gets `NoSuchEntity` is sent again after a short
//!   wait, for at most [`SETTLE_WAIT`] (as AWS's own tools do after a create).
//! - **Throttling.** A `Throttling` answer is sent again after an exponential, jittered
//!   back-off, for at most [`THROTTLE_WAIT`]; [`Watch::throttled`] counts them, so that a
//!   long-running action can say AWS is slowing it down. Here rather than in the SDK's retry
//!   strategy, whose retry quota runs dry during a long bulk action and which tests turn off.
//! - **Changes.** Every call that changes something is named to the connection's shared
//!   account read, which forgets the parts that change touched ([`AccountRead::changed`]).
//!
//! A signed request may be sent again as it is: IAM accepts a signature for 5 minutes.

use super::account_read::AccountRead;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long after creating an entity a `NoSuchEntity` naming it is taken for lag.
pub const SETTLE_WINDOW: Duration = Duration::from_secs(60);
/// How long one call waits for a new entity to become visible. Under the attempt timeout.
pub const SETTLE_WAIT: Duration = Duration::from_secs(12);
/// How long one call backs off from throttling at most, before the answer goes to the SDK
/// (whose retries take over); shorter when an attempt is shorter.
pub const THROTTLE_WAIT: Duration = Duration::from_secs(15);

/// A connection's view of its calls; shared by its HTTP layer and the connection.
#[derive(Debug, Default)]
pub struct Watch {
    /// Users, groups and roles this connection created, by (form field, name).
    created: Mutex<HashMap<(&'static str, String), Instant>>,
    throttled: AtomicU64,
    settled: AtomicU64,
    pub read: AccountRead,
}

impl Watch {
    /// `Throttling` answers met so far (each was sent again after a pause).
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    /// `NoSuchEntity` answers about a just-created entity that were waited out.
    pub fn settled(&self) -> u64 {
        self.settled.load(Ordering::Relaxed)
    }

    /// The HTTP client `inner` with this watch over every call. A call's back-off from
    /// throttling ends well inside one attempt of `attempt` (the SDK's bound), so that AWS's
    /// Throttling, not a time-out, reaches the SDK when it lasts longer.
    pub fn client(self: &Arc<Self>, inner: SharedHttpClient, attempt: Duration) -> SharedHttpClient {
        let throttle_wait = THROTTLE_WAIT.min(attempt.mul_f64(0.75));
        SharedHttpClient::new(WatchedClient { inner, watch: self.clone(), throttle_wait })
    }

    /// Whether a `NoSuchEntity` answer (`message`, AWS's error text) is about a user, group or
    /// role this connection created lately, not yet visible: AWS says "The user with name X
    /// cannot be found." for the entity itself. A missing login profile, key or policy of that
    /// entity ("Login Profile for User X cannot be found.") is a real answer, not lag.
    fn lagging(&self, form: &Form, message: &[u8]) -> bool {
        let created = self.created.lock().unwrap();
        NAME_FIELDS.iter().zip(["user", "group", "role"]).any(|(field, kind)| {
            form.get(field).is_some_and(|name| {
                created.get(&(*field, name.to_string())).is_some_and(|at| at.elapsed() < SETTLE_WINDOW)
                    && memchr::memmem::find(message, format!("The {kind} with name {name} cannot be found").as_bytes())
                        .is_some()
            })
        })
    }

    fn answered(&self, form: &Form, status: u16) {
        let Some(action) = form.get("Action") else { return };
        if is_change(action) {
            self.read.changed(action);
        }
        if status != 200 {
            return;
        }
        let mut created = self.created.lock().unwrap();
        created.retain(|_, at| at.elapsed() < SETTLE_WINDOW);
        for (create, field) in [("CreateUser", "UserName"), ("CreateGroup", "GroupName"), ("CreateRole", "RoleName")] {
            if action == create {
                if let Some(name) = form.get(field) {
                    created.insert((field, name.to_string()), Instant::now());
                }
            }
        }
    }
}

const NAME_FIELDS: [&str; 3] = ["UserName", "GroupName", "RoleName"];

/// Whether an IAM action changes the account (everything but reads).
pub fn is_change(action: &str) -> bool {
    !["Get", "List", "Generate", "Simulate"].iter().any(|p| action.starts_with(p))
}

/// The form fields of a query-protocol request (IAM and STS send `Action=…&UserName=…`).
#[derive(Debug, Default)]
struct Form(Vec<(String, String)>);

impl Form {
    fn of(request: &HttpRequest) -> Form {
        let Some(bytes) = request.body().bytes() else { return Form::default() };
        let decode =
            |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
        Form(
            String::from_utf8_lossy(bytes)
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (decode(k), decode(v)))
                .collect(),
        )
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
struct WatchedClient {
    inner: SharedHttpClient,
    watch: Arc<Watch>,
    throttle_wait: Duration,
}

impl HttpClient for WatchedClient {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(WatchedConnector {
            inner: self.inner.http_connector(settings, components),
            watch: self.watch.clone(),
            throttle_wait: self.throttle_wait,
        })
    }
}

#[derive(Debug, Clone)]
struct WatchedConnector {
    inner: SharedHttpConnector,
    watch: Arc<Watch>,
    throttle_wait: Duration,
}

/// What an answer was, as far as the watch cares.
enum Answer {
    Throttled,
    NoSuchEntity,
    Other,
}

impl HttpConnector for WatchedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let this = self.clone();
        HttpConnectorFuture::new(async move { this.send(request).await })
    }
}

impl WatchedConnector {
    async fn send(
        &self,
        request: HttpRequest,
    ) -> Result<HttpResponse, aws_smithy_runtime_api::client::result::ConnectorError> {
        let form = Form::of(&request);
        let started = Instant::now();
        let mut pause = Duration::from_millis(200);
        let mut request = request;
        loop {
            // In memory (IAM's requests are small forms): a copy to send again if need be.
            let again = request.try_clone();
            let mut response = self.inner.call(request).await?;
            let status = response.status().as_u16();
            let mut error_body: Vec<u8> = Vec::new();
            let answer = match status {
                400 | 404 => {
                    // Error answers are a few hundred bytes: read them to know which.
                    let body = response.take_body();
                    let bytes = ByteStream::new(body).collect().await.map(|b| b.into_bytes()).unwrap_or_default();
                    let code = |c: &str| memchr::memmem::find(&bytes, format!("<Code>{c}</Code>").as_bytes()).is_some();
                    let answer = if code("Throttling") {
                        Answer::Throttled
                    } else if code("NoSuchEntity") {
                        Answer::NoSuchEntity
                    } else {
                        Answer::Other
                    };
                    error_body = bytes.to_vec();
                    *response.body_mut() = SdkBody::from(bytes);
                    answer
                }
                _ => Answer::Other,
            };
            let limit = match answer {
                Answer::Throttled => {
                    self.watch.throttled.fetch_add(1, Ordering::Relaxed);
                    Some(self.throttle_wait)
                }
                Answer::NoSuchEntity if self.watch.lagging(&form, &error_body) => {
                    self.watch.settled.fetch_add(1, Ordering::Relaxed);
                    Some(SETTLE_WAIT)
                }
                _ => None,
            };
            match (limit, again) {
                (Some(limit), Some(again)) if started.elapsed() + pause <= limit => {
                    tokio::time::sleep(jitter(pause)).await;
                    pause = (pause * 2).min(Duration::from_secs(3));
                    request = again;
                }
                _ => {
                    self.watch.answered(&form, status);
                    return Ok(response);
                }
            }
        }
    }
}

/// Between half and all of `d`, so that many waiting calls do not come back at once.
fn jitter(d: Duration) -> Duration {
    let mut b = [0u8; 1];
    let _ = getrandom::fill(&mut b);
    d / 2 + d.mul_f64(f64::from(b[0]) / 510.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_not_changes_and_everything_else_is() {
        for read in ["GetUser", "ListUsers", "GenerateCredentialReport", "SimulatePrincipalPolicy"] {
            assert!(!is_change(read), "{read}");
        }
        for change in ["CreateUser", "AttachRolePolicy", "TagUser", "UpdateAssumeRolePolicy", "AddUserToGroup"] {
            assert!(is_change(change), "{change}");
        }
    }

    #[test]
    fn a_form_body_is_decoded() {
        let request = HttpRequest::new(SdkBody::from("Action=AddUserToGroup&UserName=ec.new%2Bhire&GroupName=a+b"));
        let form = Form::of(&request);
        assert_eq!(form.get("Action"), Some("AddUserToGroup"));
        assert_eq!(form.get("UserName"), Some("ec.new+hire"));
        assert_eq!(form.get("GroupName"), Some("a b"));
    }

    #[test]
    fn only_entities_created_here_and_lately_are_waited_for() {
        let watch = Watch::default();
        let form = |s: &str| Form::of(&HttpRequest::new(SdkBody::from(s.to_string())));
        let missing =
            |kind: &str, name: &str| format!("<Message>The {kind} with name {name} cannot be found.</Message>");
        watch.answered(&form("Action=CreateUser&UserName=ana"), 200);
        watch.answered(&form("Action=CreateGroup&GroupName=ops"), 409);
        let adding = form("Action=AddUserToGroup&UserName=ana&GroupName=x");
        assert!(watch.lagging(&adding, missing("user", "ana").as_bytes()));
        assert!(!watch.lagging(&adding, missing("group", "x").as_bytes()), "the group was not created here");
        let login = form("Action=GetLoginProfile&UserName=ana");
        assert!(
            !watch.lagging(&login, b"<Message>Login Profile for User ana cannot be found.</Message>"),
            "a user without console access is an answer, not lag"
        );
        let failed = form("Action=AddUserToGroup&UserName=bob&GroupName=ops");
        assert!(!watch.lagging(&failed, missing("group", "ops").as_bytes()), "a failed create");
        watch.created.lock().unwrap().insert(("UserName", "old".into()), Instant::now() - SETTLE_WINDOW);
        assert!(!watch.lagging(&form("Action=GetUser&UserName=old"), missing("user", "old").as_bytes()));
    }

    #[test]
    fn jitter_stays_between_half_and_all() {
        for _ in 0..100 {
            let j = jitter(Duration::from_millis(1000));
            assert!(j >= Duration::from_millis(500) && j <= Duration::from_millis(1000));
        }
    }
}
