//! An IAM/STS endpoint on 127.0.0.1 that misbehaves on purpose, for the faults moto cannot
//! produce: a socket that accepts and never answers, HTTP 500 without an AWS error, AWS's
//! `Throttling` and `ExpiredToken`, for every request or for chosen ones while the others
//! are forwarded to a real (moto) endpoint. One request per connection (`Connection: close`), which the SDK's client
//! handles like any other server closing an idle connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Which requests get the fault: by their index (0 for the first) and form-encoded body
/// (`Action=AddUserToGroup&…`).
pub type Picker = Arc<dyn Fn(usize, &str) -> bool + Send + Sync>;

/// What a faulty answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Accepts the connection, reads the request, never answers.
    Hang,
    /// `500 Internal Server Error` with an HTML page and no AWS error code.
    ServerError,
    /// AWS's `Throttling` error (HTTP 400), which the SDK retries.
    Throttling,
    /// AWS's `ExpiredToken` error (HTTP 403), as for an expired session token.
    ExpiredToken,
}

/// The requests `when` picks get `answer`; every other one is forwarded to `then` (a moto
/// endpoint, `http://127.0.0.1:PORT`), or gets `answer` too when there is none.
#[derive(Clone)]
pub struct Fault {
    answer: Answer,
    when: Picker,
    then: Option<String>,
}

/// The running server; stopped (and its threads ended) when dropped.
pub struct FaultServer {
    pub port: u16,
    /// Requests received so far.
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Fault {
    /// Every request gets `answer`.
    pub fn always(answer: Answer) -> Fault {
        Fault { answer, when: Arc::new(|_, _| true), then: None }
    }

    /// The first `times` requests get `answer`, then the endpoint works: what the SDK's
    /// retries are for.
    pub fn first(times: usize, answer: Answer, then: &str) -> Fault {
        Fault { answer, when: Arc::new(move |i, _| i < times), then: Some(then.to_string()) }
    }

    /// The requests whose body `when` picks get `answer`: a step that fails after the steps
    /// before it worked.
    pub fn when(answer: Answer, then: &str, when: impl Fn(&str) -> bool + Send + Sync + 'static) -> Fault {
        Fault { answer, when: Arc::new(move |_, body| when(body)), then: Some(then.to_string()) }
    }
}

impl FaultServer {
    pub fn start(fault: Fault) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (n, halt) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if halt.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let seen = n.fetch_add(1, Ordering::SeqCst);
                let (fault, halt) = (fault.clone(), halt.clone());
                std::thread::spawn(move || serve(stream, &fault, seen, &halt));
            }
        });
        FaultServer { port, requests, stop }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// The request line, headers and body, as bytes to forward, and the body as text.
pub(crate) fn read_request(stream: &TcpStream) -> Option<(Vec<u8>, String)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut head = Vec::new();
    let mut length = 0usize;
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
        let end = line == "\r\n";
        // Each request gets its own connection upstream too.
        if !line.to_ascii_lowercase().starts_with("connection:") {
            head.extend_from_slice(line.as_bytes());
        }
        if end {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let at = head.len() - 2;
    head.splice(at..at, b"Connection: close\r\n".iter().copied());
    head.extend_from_slice(&body);
    Some((head, String::from_utf8_lossy(&body).into_owned()))
}

fn respond(mut stream: &TcpStream, status: &str, content_type: &str, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}

fn aws_error(stream: &TcpStream, status: &str, code: &str, message: &str) {
    let body = format!(
        "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>\
         <Code>{code}</Code><Message>{message}</Message></Error><RequestId>fault-stub</RequestId></ErrorResponse>"
    );
    respond(stream, status, "text/xml", &body);
}

fn serve(stream: TcpStream, fault: &Fault, seen: usize, halt: &AtomicBool) {
    let Some((request, body)) = read_request(&stream) else { return };
    if let Some(then) = fault.then.as_deref().filter(|_| !(fault.when)(seen, &body)) {
        forward(&stream, &request, then);
        return;
    }
    match fault.answer {
        Answer::Hang => {
            // Holds the connection open until the server stops, answering nothing.
            while !halt.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Answer::ServerError => respond(&stream, "500 Internal Server Error", "text/html", "<html>oops</html>"),
        Answer::Throttling => aws_error(&stream, "400 Bad Request", "Throttling", "Rate exceeded"),
        Answer::ExpiredToken => {
            aws_error(&stream, "403 Forbidden", "ExpiredToken", "The security token included in the request is expired")
        }
    }
}

fn forward(mut client: &TcpStream, request: &[u8], upstream: &str) {
    let addr = upstream.trim_start_matches("http://").trim_end_matches('/');
    let Ok(mut up) = TcpStream::connect(addr) else {
        respond(client, "502 Bad Gateway", "text/plain", "upstream unreachable");
        return;
    };
    if up.write_all(request).is_err() {
        return;
    }
    let mut answer = Vec::new();
    let _ = up.read_to_end(&mut answer);
    let _ = client.write_all(&answer);
    let _ = client.flush();
    let _ = client.shutdown(Shutdown::Both);
}
