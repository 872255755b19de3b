//! The local sandbox (src-tauri/scripts/sandbox.py) as the run command uses it: two seeded
//! moto accounts, a sandbox AWS config outside ~/.aws, the app launched on it, and the
//! servers stopped when the app exits. The "app" here is a stand-in script that hands the
//! sandbox's config to this test and waits; the real core then connects to both accounts.

use gatehouse_core::aws::connection::{ConnectOptions, Connections};
use gatehouse_core::aws::profiles::ProfileSource;
use gatehouse_testkit::{repo_root, venv_python};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::users;

fn wait_for_file(path: &Path, timeout: Duration) {
    let start = Instant::now();
    while !path.exists() {
        assert!(start.elapsed() < timeout, "{} did not appear", path.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test]
async fn the_sandbox_serves_two_seeded_accounts_and_stops_with_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let handoff = dir.path().join("env");
    let go = dir.path().join("go");
    let app = dir.path().join("fake-app");
    std::fs::write(
        &app,
        format!(
            "#!/bin/sh\n\
             {{ echo \"$AWS_CONFIG_FILE\"; echo \"$AWS_SHARED_CREDENTIALS_FILE\"; echo \"$AWS_PROFILE\"; echo \"$GATEHOUSE_SANDBOX\"; }} > {tmp}\n\
             mv {tmp} {handoff}\n\
             while [ ! -e {go} ]; do sleep 0.1; done\n",
            tmp = dir.path().join("env.tmp").display(),
            handoff = handoff.display(),
            go = go.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&app, std::fs::Permissions::from_mode(0o755)).unwrap();

    let mut sandbox = Command::new(venv_python())
        .arg(repo_root().join("src-tauri/scripts/sandbox.py"))
        .arg("--app")
        .arg(&app)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_file(&handoff, Duration::from_secs(60));
    let env = std::fs::read_to_string(&handoff).unwrap();
    let lines: Vec<&str> = env.lines().collect();
    let (config, credentials) = (PathBuf::from(lines[0]), PathBuf::from(lines[1]));
    assert!(!config.starts_with(std::env::var("HOME").unwrap_or_default() + "/.aws"));
    assert_eq!(lines[2], "sandbox-production", "the first account is preselected");
    assert_eq!(lines[3], "1", "the app knows it runs on the sandbox");

    let connections = Connections::new(
        ProfileSource { config_file: config.clone(), credentials_file: credentials, preferred: None },
        ConnectOptions { max_attempts: 1, ..ConnectOptions::default() },
    );
    let prod = connections.connect("sandbox-production").await.unwrap();
    let staging = connections.connect("sandbox-staging").await.unwrap();
    assert_eq!((prod.account.as_str(), staging.account.as_str()), ("111111111111", "222222222222"));
    let prod_users = users(&connections.get("sandbox-production").unwrap()).await;
    let staging_users = users(&connections.get("sandbox-staging").unwrap()).await;
    assert!(prod_users.len() >= 30, "a few dozen users: {}", prod_users.len());
    assert!(!staging_users.is_empty() && staging_users.len() < prod_users.len());
    let endpoints: Vec<String> = [prod.endpoint_url, staging.endpoint_url].into_iter().flatten().collect();
    assert_eq!(endpoints.len(), 2);

    // The app exits: the sandbox stops its servers and removes its config.
    std::fs::write(&go, "").unwrap();
    let status = sandbox.wait().unwrap();
    assert!(status.success());
    for endpoint in endpoints {
        let addr = endpoint.trim_start_matches("http://");
        assert!(std::net::TcpStream::connect(addr).is_err(), "{addr} still answers after the app exited");
    }
    assert!(!config.exists(), "the sandbox config is removed");
}
