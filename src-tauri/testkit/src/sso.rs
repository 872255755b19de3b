//! An IAM Identity Center endpoint on 127.0.0.1 (moto has none): the OIDC calls
//! RegisterClient, StartDeviceAuthorization, and CreateToken answering from a script, and
//! the portal's GetRoleCredentials, in the restJson1 wire format the SDK reads. Errors carry `x-amzn-ErrorType` and `__type`, without which
//! the SDK cannot tell AuthorizationPending from any other failure.

use crate::faults::read_request;
use std::io::Write;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// What the stub says to one CreateToken call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenAnswer {
    /// The user has not approved yet.
    Pending,
    SlowDown,
    /// The user refused.
    Denied,
    /// The device code is not (or no longer) one the identity center knows.
    InvalidGrant,
    /// Approved: this access token, valid `expires_in` seconds, with a refresh token.
    Token {
        access_token: String,
        expires_in: u32,
    },
    /// This answer, given after a pause (an approval landing while the call is under way).
    After(std::time::Duration, Box<TokenAnswer>),
}

pub const CLIENT_ID: &str = "stub-client-id";
pub const CLIENT_SECRET: &str = "stub-client-secret";
pub const DEVICE_CODE: &str = "stub-device-code";
pub const USER_CODE: &str = "WDJB-MJHT";
pub const REFRESH_TOKEN: &str = "stub-refresh-token";
/// When the stub's client registrations end (2099-01-01T00:00:00Z).
pub const REGISTRATION_EXPIRES_AT: i64 = 4_070_908_800;

pub const ROLE_ACCESS_KEY_ID: &str = "ASIASTUBSSOROLE00001";

/// One request received: its path (with the query) and JSON body, and the SSO bearer token
/// a portal call carried.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub body: serde_json::Value,
    pub bearer: Option<String>,
}

/// The running stub; stopped when dropped.
pub struct SsoOidcStub {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
}

impl SsoOidcStub {
    /// CreateToken calls get `answers` in turn; the last one repeats. The device code is
    /// valid 600 s, polled every second.
    pub fn start(answers: Vec<TokenAnswer>) -> SsoOidcStub {
        Self::start_with_expiry(answers, 600)
    }

    /// As `start`, with a device code valid `expires_in` seconds.
    pub fn start_with_expiry(answers: Vec<TokenAnswer>, expires_in: u32) -> SsoOidcStub {
        let page = "https://device.sso.eu-west-1.amazonaws.com/".to_string();
        Self::start_with(answers, expires_in, page)
    }

    /// As `start`, with StartDeviceAuthorization naming `page` as the verification page
    /// (and `page?user_code=…` as the complete one): a hostile or mistaken endpoint.
    pub fn start_with_page(answers: Vec<TokenAnswer>, page: &str) -> SsoOidcStub {
        Self::start_with(answers, 600, page.to_string())
    }

    fn start_with(answers: Vec<TokenAnswer>, expires_in: u32, page: String) -> SsoOidcStub {
        assert!(!answers.is_empty(), "CreateToken needs at least one answer");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log, halt) = (received.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut token_calls = 0usize;
            // One at a time, so that CreateToken answers come in order.
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let Some((head, body)) = read_request(&stream) else { continue };
                let head = String::from_utf8_lossy(&head).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                let body: serde_json::Value = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
                let bearer = head.lines().find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("x-amz-sso_bearer_token").then(|| value.trim().to_string())
                });
                log.lock().unwrap().push(Received { path: path.clone(), body, bearer });
                match path.split('?').next().unwrap_or("") {
                    "/federation/credentials" => respond(&stream, "200 OK", None, &role_credentials()),
                    "/client/register" => respond(&stream, "200 OK", None, &register_answer()),
                    "/device_authorization" => {
                        let json = serde_json::json!({
                            "deviceCode": DEVICE_CODE,
                            "userCode": USER_CODE,
                            "verificationUri": page,
                            "verificationUriComplete": format!("{page}?user_code={USER_CODE}"),
                            "expiresIn": expires_in,
                            "interval": 1,
                        });
                        respond(&stream, "200 OK", None, &json.to_string())
                    }
                    "/token" => {
                        let answer = &answers[token_calls.min(answers.len() - 1)];
                        token_calls += 1;
                        token_answer(&stream, answer);
                    }
                    _ => error(&stream, "404 Not Found", "ResourceNotFoundException", "not_found", "no such call"),
                }
            }
        });
        SsoOidcStub { port, received, stop }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The requests so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for SsoOidcStub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn role_credentials() -> String {
    let in_an_hour = (SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 3600) * 1000;
    serde_json::json!({ "roleCredentials": {
        "accessKeyId": ROLE_ACCESS_KEY_ID,
        "secretAccessKey": "stub-role-secret",
        "sessionToken": "stub-role-session-token",
        "expiration": in_an_hour,
    }})
    .to_string()
}

fn register_answer() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    serde_json::json!({
        "clientId": CLIENT_ID,
        "clientSecret": CLIENT_SECRET,
        "clientIdIssuedAt": now,
        "clientSecretExpiresAt": REGISTRATION_EXPIRES_AT,
    })
    .to_string()
}

fn token_answer(stream: &TcpStream, answer: &TokenAnswer) {
    match answer {
        TokenAnswer::After(pause, answer) => {
            std::thread::sleep(*pause);
            token_answer(stream, answer)
        }
        TokenAnswer::Pending => error(
            stream,
            "400 Bad Request",
            "AuthorizationPendingException",
            "authorization_pending",
            "Authorization is still pending",
        ),
        TokenAnswer::SlowDown => error(stream, "400 Bad Request", "SlowDownException", "slow_down", "Slow down"),
        TokenAnswer::Denied => error(
            stream,
            "400 Bad Request",
            "AccessDeniedException",
            "access_denied",
            "The user denied the authorization request",
        ),
        TokenAnswer::InvalidGrant => {
            error(stream, "400 Bad Request", "InvalidGrantException", "invalid_grant", "Invalid grant provided")
        }
        TokenAnswer::Token { access_token, expires_in } => {
            let json = serde_json::json!({
                "accessToken": access_token,
                "tokenType": "Bearer",
                "expiresIn": expires_in,
                "refreshToken": REFRESH_TOKEN,
            });
            respond(stream, "200 OK", None, &json.to_string())
        }
    }
}

fn error(stream: &TcpStream, status: &str, kind: &str, error: &str, description: &str) {
    let json = serde_json::json!({ "__type": kind, "error": error, "error_description": description });
    respond(stream, status, Some(kind), &json.to_string());
}

fn respond(mut stream: &TcpStream, status: &str, error_type: Option<&str>, body: &str) {
    let error_header = error_type.map(|t| format!("x-amzn-ErrorType: {t}\r\n")).unwrap_or_default();
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{error_header}Content-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}
