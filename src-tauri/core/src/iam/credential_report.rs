//! The credential report: every user's (and the root user's) passwords, MFA, access keys and
//! certificates in one CSV. AWS builds it asynchronously, at most every 4 hours; reading it
//! is two calls, never one per user.

use crate::aws::account_read::Part;
use crate::aws::connection::Connection;
use crate::error::{Error, Result};
use aws_sdk_iam::types::ReportStateType;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// The root user's row, as AWS names it.
pub const ROOT: &str = "<root_account>";

/// One access key's columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReportKey {
    pub active: bool,
    /// When the key was created or last rotated; `None` when there is no key.
    pub last_rotated: Option<String>,
    pub last_used_date: Option<String>,
    pub last_used_region: Option<String>,
    pub last_used_service: Option<String>,
}

/// One signing certificate's columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReportCert {
    pub active: bool,
    pub last_rotated: Option<String>,
}

/// One row of the report, every column. AWS's "nothing" values (`N/A`, `no_information`,
/// `not_supported`) are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CredentialReportRow {
    /// The user's name, or `<root_account>`.
    pub user: String,
    pub arn: String,
    pub user_creation_time: Option<String>,
    /// `None` for the root user (AWS says `not_supported`).
    pub password_enabled: Option<bool>,
    pub password_last_used: Option<String>,
    pub password_last_changed: Option<String>,
    pub password_next_rotation: Option<String>,
    pub mfa_active: bool,
    pub access_key1: ReportKey,
    pub access_key2: ReportKey,
    pub cert1: ReportCert,
    pub cert2: ReportCert,
}

impl CredentialReportRow {
    pub fn is_root(&self) -> bool {
        self.user == ROOT
    }

    pub fn keys(&self) -> [&ReportKey; 2] {
        [&self.access_key1, &self.access_key2]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CredentialReport {
    /// When AWS generated it (RFC 3339).
    pub generated: String,
    /// The root user first, then the users in the report's order.
    pub rows: Vec<CredentialReportRow>,
    /// Calls made to get it.
    pub calls: u32,
}

/// How generating the report is going, for a progress indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ReportProgress {
    /// GenerateCredentialReport calls so far.
    pub attempts: u32,
    pub elapsed_ms: u32,
    pub timeout_ms: u32,
    /// AWS's state: STARTED, INPROGRESS or COMPLETE.
    pub state: String,
}

/// How long the app waits for AWS to build the report before saying so.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(90);

/// Asks AWS to generate the report and polls until it is complete, or `timeout` passes.
/// Returns the calls made.
pub async fn generate(
    conn: &Connection,
    timeout: Duration,
    interval: Duration,
    mut on_progress: impl FnMut(ReportProgress),
) -> Result<u32> {
    let start = Instant::now();
    let ms = |d: Duration| u32::try_from(d.as_millis()).unwrap_or(u32::MAX);
    let mut attempts = 0;
    loop {
        let out = conn.iam.generate_credential_report().send().await.map_err(|e| conn.error(e))?;
        attempts += 1;
        let state = out.state.clone();
        on_progress(ReportProgress {
            attempts,
            elapsed_ms: ms(start.elapsed()),
            timeout_ms: ms(timeout),
            state: state.as_ref().map_or("", ReportStateType::as_str).to_string(),
        });
        if state == Some(ReportStateType::Complete) {
            return Ok(attempts);
        }
        if start.elapsed() + interval > timeout {
            return Err(Error::AwsService {
                code: "ReportInProgress".into(),
                message: format!(
                    "AWS was still generating the credential report after {} seconds. It builds it in the \
                     background: try again in a minute.",
                    timeout.as_secs()
                ),
            });
        }
        tokio::time::sleep(interval).await;
    }
}

/// The report AWS holds now: its generation time and its CSV as AWS sent it.
pub async fn read(conn: &Connection) -> Result<(String, Vec<u8>)> {
    let out = conn.iam.get_credential_report().send().await.map_err(|e| conn.error(e))?;
    let generated = out.generated_time.as_ref().map(crate::vocab::rfc3339).unwrap_or_default();
    let content = out.content.ok_or_else(|| Error::Internal("the credential report was empty".into()))?;
    Ok((generated, content.into_inner()))
}

/// Generates the report, reads it and parses it.
pub async fn load(
    conn: &Connection,
    timeout: Duration,
    on_progress: impl FnMut(ReportProgress),
) -> Result<CredentialReport> {
    let calls = generate(conn, timeout, Duration::from_millis(500), on_progress).await?;
    let (generated, csv) = read(conn).await?;
    let mut rows = parse(&csv)?;
    // The root user first, whatever AWS's order.
    rows.sort_by_key(|r| !r.is_root());
    Ok(CredentialReport { generated, rows, calls: calls + 1 })
}

/// The report the connection's screens share: generated once and kept while nothing this
/// connection changed touches it (AWS itself serves the same report for four hours).
/// Returns it and the calls made for it by this request (0 when it was kept).
pub async fn shared(conn: &Connection) -> Result<(std::sync::Arc<CredentialReport>, u32)> {
    conn.read()
        .get(Part::CredentialReport, || async {
            let report = load(conn, DEFAULT_TIMEOUT, |_| {}).await?;
            let calls = report.calls;
            Ok((report, calls))
        })
        .await
}

/// Generates and reads the report now, with progress, and keeps it as the shared one.
pub async fn refresh(
    conn: &Connection,
    timeout: Duration,
    on_progress: impl FnMut(ReportProgress),
) -> Result<CredentialReport> {
    let report = load(conn, timeout, on_progress).await?;
    conn.read().put(Part::CredentialReport, report.clone()).await;
    Ok(report)
}

/// Every row of the report's CSV. A report missing one of AWS's columns is an error, not a
/// guess.
pub fn parse(csv_bytes: &[u8]) -> Result<Vec<CredentialReportRow>> {
    let bad = |e: csv::Error| Error::Internal(format!("the credential report could not be read: {e}"));
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let headers = reader.headers().map_err(bad)?.clone();
    let idx = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::Internal(format!("the credential report has no column {name}")))
    };
    let key_cols = |n: u8| -> Result<[usize; 5]> {
        Ok([
            idx(&format!("access_key_{n}_active"))?,
            idx(&format!("access_key_{n}_last_rotated"))?,
            idx(&format!("access_key_{n}_last_used_date"))?,
            idx(&format!("access_key_{n}_last_used_region"))?,
            idx(&format!("access_key_{n}_last_used_service"))?,
        ])
    };
    let cert_cols = |n: u8| -> Result<[usize; 2]> {
        Ok([idx(&format!("cert_{n}_active"))?, idx(&format!("cert_{n}_last_rotated"))?])
    };
    let [user, arn, created, pw_enabled, pw_used, pw_changed, pw_next, mfa] = [
        "user",
        "arn",
        "user_creation_time",
        "password_enabled",
        "password_last_used",
        "password_last_changed",
        "password_next_rotation",
        "mfa_active",
    ]
    .map(idx);
    let (user, arn, created, pw_enabled, pw_used, pw_changed, pw_next, mfa) =
        (user?, arn?, created?, pw_enabled?, pw_used?, pw_changed?, pw_next?, mfa?);
    let (k1, k2, c1, c2) = (key_cols(1)?, key_cols(2)?, cert_cols(1)?, cert_cols(2)?);
    let mut rows = Vec::new();
    for record in reader.records() {
        let r = record.map_err(bad)?;
        let value = |i: usize| match &r[i] {
            "" | "N/A" | "no_information" | "not_supported" => None,
            v => Some(v.to_string()),
        };
        let flag = |i: usize| &r[i] == "true";
        let key = |c: [usize; 5]| ReportKey {
            active: flag(c[0]),
            last_rotated: value(c[1]),
            last_used_date: value(c[2]),
            last_used_region: value(c[3]),
            last_used_service: value(c[4]),
        };
        let cert = |c: [usize; 2]| ReportCert { active: flag(c[0]), last_rotated: value(c[1]) };
        rows.push(CredentialReportRow {
            user: r[user].to_string(),
            arn: r[arn].to_string(),
            user_creation_time: value(created),
            password_enabled: match &r[pw_enabled] {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            password_last_used: value(pw_used),
            password_last_changed: value(pw_changed),
            password_next_rotation: value(pw_next),
            mfa_active: flag(mfa),
            access_key1: key(k1),
            access_key2: key(k2),
            cert1: cert(c1),
            cert2: cert(c2),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const REPORT: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated
<root_account>,arn:aws:iam::111111111111:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
ana,arn:aws:iam::111111111111:user/ana,2024-01-01T00:00:00+00:00,true,2026-11-20T09:00:00+00:00,2024-01-01T00:00:00+00:00,2025-01-01T00:00:00+00:00,true,true,2025-02-01T00:00:00+00:00,2026-11-22T10:00:00+00:00,eu-west-1,s3,false,2024-03-01T00:00:00+00:00,2024-06-01T00:00:00+00:00,us-east-1,iam,true,2024-05-05T00:00:00+00:00,false,N/A
\"svc,build\",arn:aws:iam::111111111111:user/svc,2024-01-01T00:00:00+00:00,false,no_information,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A
";

    #[test]
    fn reads_every_column_of_every_row() {
        let rows = parse(REPORT.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        let root = &rows[0];
        assert!(root.is_root() && root.mfa_active && root.password_enabled.is_none());
        assert_eq!(root.password_last_used.as_deref(), Some("2026-11-01T00:00:00+00:00"));
        let ana = &rows[1];
        assert_eq!(ana.password_enabled, Some(true));
        assert_eq!(ana.password_next_rotation.as_deref(), Some("2025-01-01T00:00:00+00:00"));
        assert_eq!(
            ana.access_key1,
            ReportKey {
                active: true,
                last_rotated: Some("2025-02-01T00:00:00+00:00".into()),
                last_used_date: Some("2026-11-22T10:00:00+00:00".into()),
                last_used_region: Some("eu-west-1".into()),
                last_used_service: Some("s3".into()),
            }
        );
        assert!(!ana.access_key2.active && ana.access_key2.last_used_service.as_deref() == Some("iam"));
        assert_eq!(ana.cert1, ReportCert { active: true, last_rotated: Some("2024-05-05T00:00:00+00:00".into()) });
        let svc = &rows[2];
        assert_eq!(svc.user, "svc,build", "a quoted name with a comma is one field");
        assert_eq!(svc.password_enabled, Some(false));
        assert!(svc.password_last_used.is_none() && svc.access_key1.last_rotated.is_none());
    }

    #[test]
    fn a_report_without_the_expected_columns_is_an_error_not_a_guess() {
        let e = parse(b"user,arn\nana,x\n").unwrap_err();
        assert!(e.to_string().contains("user_creation_time"), "{e}");
    }
}
