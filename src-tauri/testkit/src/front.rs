//! An AWS-shaped front for a moto server (`../aws_front.py`): pages every IAM listing as AWS
//! does, adds a network's latency to each call, and on demand applies eventual consistency
//! and throttling. Started on 127.0.0.1 like moto, stopped when dropped.

use crate::process::{free_port, wait_for_port, Service};
use crate::{repo_root, venv_python};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

/// What the front does beyond paging. Latency applies to every call (answered concurrently);
/// `consistency`: a user, group or role created through the front is missing from listings
/// and answers NoSuchEntity for this long; `throttle`: calls a second above which the front
/// answers `Throttling` (0: never).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Behaviour {
    pub latency: Duration,
    pub consistency: Duration,
    pub throttle: f64,
    /// Every other page of a listing holds 90% of what was asked, as AWS may.
    pub short_pages: bool,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour { latency: Duration::ZERO, consistency: Duration::ZERO, throttle: 0.0, short_pages: true }
    }
}

/// What the front was asked since it started (or since `reset_stats`).
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Calls by IAM/STS action, throttled ones included.
    pub calls: BTreeMap<String, u64>,
    /// Calls answered `Throttling`.
    pub throttled: u64,
    /// Answers that left out, or said NoSuchEntity for, an entity not yet visible.
    pub hidden: u64,
}

/// The best a boto3 script can do for the users table, for the benchmarks to compare with:
/// GetAccountAuthorizationDetails (users and groups) at AWS's largest page, then the
/// credential report. Run with `moto::boto3`; prints its own time (the interpreter's start
/// not counted), the pages it read and the users it saw.
pub const BOTO3_BEST_USERS_READ: &str = r#"
import time
t = time.perf_counter()
pages = 0; users = 0
for page in iam.get_paginator('get_account_authorization_details').paginate(
        Filter=['User', 'Group'], PaginationConfig={'PageSize': 1000}):
    pages += 1; users += len(page['UserDetailList'])
while iam.generate_credential_report()['State'] != 'COMPLETE':
    time.sleep(0.5)
iam.get_credential_report()
print(json.dumps({'seconds': time.perf_counter() - t, 'pages': pages, 'users': users}))
"#;

pub struct AwsFront {
    pub port: u16,
    service: Service,
}

impl AwsFront {
    /// A front for the moto (or any IAM endpoint) at `upstream`.
    pub fn start(upstream: &str, behaviour: Behaviour) -> AwsFront {
        let script = repo_root().join("src-tauri/testkit/aws_front.py");
        for _ in 0..5 {
            let port = free_port();
            let mut cmd = Command::new(venv_python());
            cmd.arg(&script).arg(upstream).arg(port.to_string()).stdout(Stdio::null()).stderr(Stdio::null());
            let mut service = Service::spawn("aws_front.py", &mut cmd);
            wait_for_port(&mut service, port, Duration::from_secs(20));
            if service.is_running() {
                let front = AwsFront { port, service };
                front.set(behaviour);
                return front;
            }
        }
        panic!("could not start aws_front.py on a free port");
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.service.pid()
    }

    /// Changes what the front does from now on.
    pub fn set(&self, b: Behaviour) {
        let body = serde_json::json!({
            "latency": b.latency.as_secs_f64(),
            "consistency": b.consistency.as_secs_f64(),
            "throttle": b.throttle,
            "short_pages": b.short_pages,
        });
        self.request("POST", "/front-api/config", &body.to_string());
    }

    pub fn stats(&self) -> Stats {
        let v: serde_json::Value =
            serde_json::from_str(&self.request("GET", "/front-api/stats", "")).expect("the front's stats are JSON");
        Stats {
            calls: v["calls"]
                .as_object()
                .map(|m| m.iter().map(|(k, n)| (k.clone(), n.as_u64().unwrap_or(0))).collect())
                .unwrap_or_default(),
            throttled: v["throttled"].as_u64().unwrap_or(0),
            hidden: v["hidden"].as_u64().unwrap_or(0),
        }
    }

    /// Calls made of `action` so far.
    pub fn calls(&self, action: &str) -> u64 {
        self.stats().calls.get(action).copied().unwrap_or(0)
    }

    pub fn reset_stats(&self) {
        self.request("POST", "/front-api/reset-stats", "");
    }

    /// One plain HTTP/1.1 request to the front's own API; the answer's body.
    fn request(&self, method: &str, path: &str, body: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to the front");
        s.set_read_timeout(Some(Duration::from_secs(10))).ok();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .expect("write to the front");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("read the front's answer");
        out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
    }
}
