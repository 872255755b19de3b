//! Shared by the core's integration tests: one moto account and a connection to it, the
//! account's users as the app reads them, and an endpoint in front of an account that
//! throttles chosen calls.

use gatehouse_core::aws::connection::{ConnectOptions, Connection, Connections};
use gatehouse_core::aws::profiles::ProfileSource;
use gatehouse_core::iam::inventory::{self, UserRow};
use gatehouse_testkit::{AwsFiles, Moto};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
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

/// An endpoint in front of a moto server that answers AWS's `Throttling` to the requests
/// `throttled` picks by their form-encoded body (`Action=AddUserToGroup&…`) and forwards
/// every other one: a step that fails after the steps before it worked, which moto alone
/// cannot produce. One request per connection, as testkit's fault server does.
pub struct Throttle {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl Throttle {
    pub fn start(upstream: &str, throttled: impl Fn(&str) -> bool + Send + Sync + 'static) -> Throttle {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let (halt, upstream, throttled) =
            (stop.clone(), upstream.trim_start_matches("http://").to_string(), Arc::new(throttled));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (upstream, throttled) = (upstream.clone(), throttled.clone());
                std::thread::spawn(move || {
                    let Some((request, body)) = read_request(&stream) else { return };
                    if throttled(&body) {
                        throttling(&stream);
                    } else {
                        forward(&stream, &request, &upstream);
                    }
                });
            }
        });
        Throttle { port, stop }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Throttle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// The whole request, with `Connection: close` so that upstream ends its answer, and the
/// body as text.
fn read_request(stream: &TcpStream) -> Option<(Vec<u8>, String)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut head = Vec::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        if line == "\r\n" {
            break;
        }
        if !line.to_ascii_lowercase().starts_with("connection:") {
            head.extend_from_slice(line.as_bytes());
        }
    }
    head.extend_from_slice(b"Connection: close\r\n\r\n");
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    head.extend_from_slice(&body);
    Some((head, String::from_utf8_lossy(&body).into_owned()))
}

fn throttling(mut stream: &TcpStream) {
    let body = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>\
                <Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttle</RequestId></ErrorResponse>";
    let _ = write!(
        stream,
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

fn forward(mut client: &TcpStream, request: &[u8], upstream: &str) {
    let Ok(mut up) = TcpStream::connect(upstream) else { return };
    if up.write_all(request).is_err() {
        return;
    }
    let mut answer = Vec::new();
    let _ = up.read_to_end(&mut answer);
    let _ = client.write_all(&answer);
    let _ = client.flush();
    let _ = client.shutdown(Shutdown::Both);
}
