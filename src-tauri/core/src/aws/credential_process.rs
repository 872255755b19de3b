//! A profile's own `credential_process`, run by Gatehouse rather than aws-config: aws-config
//! runs it without a bound and leaves it running when the call that wanted it gives up, so a
//! hung one (a vault waiting for an unlock nobody sees) was never stopped. Here it runs
//! with a time limit and is killed when that passes or when nobody waits for it any more;
//! its answer is kept until shortly before it expires, so it runs once per connection.
//!
//! Its output is credentials: it is parsed and dropped, never logged or quoted in an error.

use aws_credential_types::provider::{self, error::CredentialsError, future, ProvideCredentials};
use aws_credential_types::Credentials;
use std::process::Stdio;
use std::time::{Duration, SystemTime};

/// How long a credential process may take; a vault asking for a touch or a PIN needs some.
pub const PROCESS_TIMEOUT: Duration = Duration::from_secs(60);
/// Credentials this close to their end are asked for again.
const MARGIN: Duration = Duration::from_secs(300);
/// Enough stderr to read the reason; a process that dumps pages is cut.
const MOST_STDERR: usize = 600;

#[derive(Debug)]
pub struct ProcessCredentials {
    profile: String,
    command: String,
    timeout: Duration,
    kept: tokio::sync::Mutex<Option<Credentials>>,
}

impl ProcessCredentials {
    pub fn new(profile: &str, command: &str, timeout: Duration) -> Self {
        ProcessCredentials {
            profile: profile.to_string(),
            command: command.to_string(),
            timeout,
            kept: tokio::sync::Mutex::new(None),
        }
    }

    /// The credentials, run for now or kept from the last run; the error is the sentence to show.
    pub async fn credentials(&self) -> Result<Credentials, String> {
        let mut kept = self.kept.lock().await;
        if let Some(c) = kept.as_ref() {
            if c.expiry().is_none_or(|e| e > SystemTime::now() + MARGIN) {
                return Ok(c.clone());
            }
        }
        let fresh = self.run().await?;
        *kept = Some(fresh.clone());
        Ok(fresh)
    }

    async fn run(&self) -> Result<Credentials, String> {
        let of = format!("the credential_process of profile {}", self.profile);
        let mut command = shell(&self.command);
        // Dropped (timed out, or the connection abandoned): the process is killed, not left.
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).kill_on_drop(true);
        let child = command.spawn().map_err(|e| format!("{of} could not be run: {e}"))?;
        let output = match tokio::time::timeout(self.timeout, child.wait_with_output()).await {
            Ok(Ok(output)) => output,
            Ok(Err(e)) => return Err(format!("{of} could not be read: {e}")),
            Err(_) => {
                return Err(format!(
                    "{of} did not finish within {} s and was stopped; run it in a terminal to see what it waits for",
                    self.timeout.as_secs()
                ))
            }
        };
        if !output.status.success() {
            let status = match output.status.code() {
                Some(code) => format!("exited with status {code}"),
                None => format!("ended ({})", output.status),
            };
            return Err(format!("{of} {status}{}", said(&String::from_utf8_lossy(&output.stderr))));
        }
        parse(&output.stdout).map_err(|why| {
            format!(
                "{of} printed something that is not credentials ({why}); it must print JSON with Version 1, \
                 AccessKeyId and SecretAccessKey"
            )
        })
    }
}

/// What a failed process printed on stderr, for the sentence.
pub fn said(stderr: &str) -> String {
    let stderr = stderr.trim();
    if stderr.is_empty() {
        " and printed nothing on stderr".to_string()
    } else if stderr.chars().count() > MOST_STDERR {
        format!(": {}…", stderr.chars().take(MOST_STDERR).collect::<String>())
    } else {
        format!(": {stderr}")
    }
}

/// The command line run as the AWS CLI runs it: by the system's shell.
fn shell(line: &str) -> tokio::process::Command {
    #[cfg(windows)]
    {
        let mut c = tokio::process::Command::new("cmd.exe");
        c.args(["/C", line]);
        c
    }
    #[cfg(not(windows))]
    {
        let mut c = tokio::process::Command::new("sh");
        c.args(["-c", line]);
        c
    }
}

/// The process's JSON, as AWS documents it (Version 1). The reason never quotes the output.
fn parse(stdout: &[u8]) -> Result<Credentials, String> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Answer {
        version: Option<i64>,
        access_key_id: Option<String>,
        secret_access_key: Option<String>,
        session_token: Option<String>,
        expiration: Option<String>,
    }
    let answer: Answer = serde_json::from_slice(stdout).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => "a field has the wrong type".to_string(),
        _ => "not JSON".to_string(),
    })?;
    if answer.version != Some(1) {
        return Err("Version is not 1".into());
    }
    let key = answer.access_key_id.filter(|k| !k.is_empty()).ok_or("AccessKeyId is missing")?;
    let secret = answer.secret_access_key.filter(|k| !k.is_empty()).ok_or("SecretAccessKey is missing")?;
    let expires = match answer.expiration {
        None => None,
        Some(t) => Some(
            aws_smithy_types::DateTime::from_str(&t, aws_smithy_types::date_time::Format::DateTime)
                .ok()
                .and_then(|d| SystemTime::try_from(d).ok())
                .ok_or("Expiration is not an RFC 3339 time")?,
        ),
    };
    Ok(Credentials::new(key, secret, answer.session_token, expires, PROVIDER_NAME))
}

/// The provider's name in the SDK's own messages.
const PROVIDER_NAME: &str = "GatehouseCredentialProcess";

impl ProvideCredentials for ProcessCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.credentials().await.map_err(CredentialsError::provider_error) as provider::Result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_answer_and_never_quotes_the_output() {
        let ok = br#"{"Version":1,"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"s3cr3t","SessionToken":"t","Expiration":"2030-01-01T00:00:00Z"}"#;
        let c = parse(ok).unwrap();
        assert_eq!(c.access_key_id(), "AKIAEXAMPLE");
        assert_eq!(c.session_token(), Some("t"));
        assert!(c.expiry().is_some());
        for (bad, why) in [
            (&br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"s3cr3t"}"#[..], "Version is not 1"),
            (br#"{"Version":1,"SecretAccessKey":"s3cr3t"}"#, "AccessKeyId is missing"),
            (br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"s3cr3t","Expiration":"soon"}"#, "Expiration"),
            (b"s3cr3t", "not JSON"),
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains(why), "{err}");
            assert!(!err.contains("s3cr3t"), "the output is never quoted: {err}");
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_hung_process_is_stopped_after_its_time_and_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let line = format!("echo $$ > {}; exec sleep 600", pid_file.display());
        let p = ProcessCredentials::new("vault", &line, Duration::from_secs(1));
        let started = std::time::Instant::now();
        let err = p.credentials().await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(err.contains("did not finish within 1 s and was stopped"), "{err}");
        let pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_string();
        // Killed: gone, or a zombie until reaped.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let alive = state.split(") ").nth(1).is_some_and(|s| !s.starts_with('Z'));
            if !alive {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "process {pid} still runs: {state}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_failed_process_is_described_and_a_good_answer_is_kept_until_it_expires() {
        let failed = ProcessCredentials::new("vault", "echo 'vault: token expired' >&2; exit 3", PROCESS_TIMEOUT);
        assert_eq!(
            failed.credentials().await.unwrap_err(),
            "the credential_process of profile vault exited with status 3: vault: token expired"
        );
        let dir = tempfile::tempdir().unwrap();
        let runs = dir.path().join("runs");
        let line = format!(
            r#"echo run >> {}; echo '{{"Version":1,"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"x"}}'"#,
            runs.display()
        );
        let p = ProcessCredentials::new("vault", &line, PROCESS_TIMEOUT);
        p.credentials().await.unwrap();
        p.credentials().await.unwrap();
        assert_eq!(std::fs::read_to_string(&runs).unwrap().lines().count(), 1, "run once, then kept");
    }
}
