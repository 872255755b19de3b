//! A dead, hung, failing, throttling or expired endpoint: each gives a clear error that names
//! the endpoint, within a bound, and the app can retry. moto cannot produce these faults;
//! testkit's fault server on 127.0.0.1 does.

use gatehouse_core::aws::connection::{ConnectOptions, Connections};
use gatehouse_core::aws::profiles::ProfileSource;
use gatehouse_core::error::ErrorCode;
use gatehouse_core::iam::users;
use gatehouse_testkit::faults::{Answer, Fault, FaultServer};
use gatehouse_testkit::process::free_port;
use gatehouse_testkit::{AwsFiles, Moto};
use std::time::{Duration, Instant};

/// Profile "t" at `endpoint`, not connected yet, with short bounds.
fn profile(endpoint: &str, max_attempts: u32) -> (AwsFiles, Connections) {
    let mut files = AwsFiles::new();
    files.static_profile("t", endpoint, "us-east-1");
    let (config_file, credentials_file) = files.write();
    let options = ConnectOptions {
        max_attempts,
        connect_timeout: Duration::from_secs(2),
        attempt_timeout: Duration::from_secs(2),
        operation_timeout: Duration::from_secs(30),
        ..ConnectOptions::default()
    };
    (files, Connections::new(ProfileSource { config_file, credentials_file, preferred: None }, options))
}

#[tokio::test]
async fn a_refused_connection_says_which_endpoint_could_not_be_reached() {
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let (_files, connections) = profile(&endpoint, 1);
    let err = connections.connect("t").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::EndpointUnreachable, "{err}");
    assert!(err.to_string().contains(&endpoint), "{err}");
    assert!(connections.get("t").is_err(), "nothing of the profile is connected");
}

#[tokio::test]
async fn a_hung_endpoint_fails_each_attempt_after_its_timeout_and_can_be_retried() {
    let hung = FaultServer::start(Fault::always(Answer::Hang));
    let (_files, connections) = profile(&hung.endpoint(), 2);
    let started = Instant::now();
    let err = connections.connect("t").await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.code(), ErrorCode::EndpointUnreachable, "{err}");
    let message = err.to_string();
    assert!(
        message.contains(&hung.endpoint()) && message.contains("no answer after 2 s on each of 2 attempts"),
        "{message}"
    );
    assert!(took < Duration::from_secs(15), "bounded by the attempt timeout, took {took:?}");
    assert_eq!(hung.requests(), 2, "one request per attempt");

    // The same call again is a fresh try, not a stuck one.
    let again = connections.connect("t").await.unwrap_err();
    assert_eq!(again.code(), ErrorCode::EndpointUnreachable);
    assert_eq!(hung.requests(), 4);
}

/// With the app's own bounds (three attempts of 20 s for the long reads), selecting a
/// profile whose endpoint hangs is answered within 10 s: the connection check has its own,
/// shorter bound.
#[tokio::test]
async fn selecting_a_profile_whose_endpoint_hangs_is_answered_within_ten_seconds() {
    let hung = FaultServer::start(Fault::always(Answer::Hang));
    let mut files = AwsFiles::new();
    files.static_profile("t", &hung.endpoint(), "us-east-1");
    let (config_file, credentials_file) = files.write();
    let connections =
        Connections::new(ProfileSource { config_file, credentials_file, preferred: None }, ConnectOptions::default());
    let started = Instant::now();
    let err = connections.connect("t").await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.code(), ErrorCode::EndpointUnreachable, "{err}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let message = err.to_string();
    assert!(
        message.contains(&hung.endpoint()) && message.contains("no answer after 4 s on each of 2 attempts"),
        "{message}"
    );
}

#[tokio::test]
async fn a_server_error_without_an_aws_code_is_named_as_such() {
    let failing = FaultServer::start(Fault::always(Answer::ServerError));
    let (_files, connections) = profile(&failing.endpoint(), 1);
    let err = connections.connect("t").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AwsService, "{err}");
    assert!(err.to_string().contains(&failing.endpoint()), "{err}");
}

#[tokio::test]
async fn throttling_for_a_while_is_recovered_by_the_sdks_retries() {
    let moto = Moto::start("720000000008");
    moto.boto3("iam.create_user(UserName='ana'); print('{}')");
    // The first two requests are throttled; the third attempt of the first call succeeds.
    let throttled = FaultServer::start(Fault::first(2, Answer::Throttling, &moto.endpoint()));
    let (_files, connections) = profile(&throttled.endpoint(), 3);
    let identity = connections.connect("t").await.expect("the third attempt goes through");
    assert_eq!(identity.account, "720000000008");
    let ana = users::user_detail(&connections.get("t").unwrap(), "ana").await.unwrap();
    assert_eq!(ana.name, "ana");
    assert!(throttled.requests() >= 4, "two throttled, then the real calls: {}", throttled.requests());

    // Even with the SDK's retries off, throttling is backed off (the connection's watch)
    // for a few seconds; an endpoint that never stops reaches the caller with AWS's code.
    let again = FaultServer::start(Fault::always(Answer::Throttling));
    let (_files, connections) = profile(&again.endpoint(), 1);
    assert_eq!(connections.connect("t").await.unwrap_err().code(), ErrorCode::Throttling);
    assert!(again.requests() > 2, "sent again after pauses: {}", again.requests());
}

#[tokio::test]
async fn an_expired_session_is_expired_token_at_connect_and_on_a_later_call() {
    let expired = FaultServer::start(Fault::always(Answer::ExpiredToken));
    let (_files, connections) = profile(&expired.endpoint(), 1);
    let err = connections.connect("t").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ExpiredToken, "{err}");
    assert!(err.to_string().contains("expired"), "{err}");

    // Connected, then the session expires: IAM calls say so with the same code.
    let moto = Moto::start("730000000009");
    let later =
        FaultServer::start(Fault::when(Answer::ExpiredToken, &moto.endpoint(), |body| body.contains("Action=GetUser")));
    let (_files, connections) = profile(&later.endpoint(), 1);
    connections.connect("t").await.unwrap();
    let err = users::user_detail(&connections.get("t").unwrap(), "ana").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ExpiredToken, "{err}");
}
