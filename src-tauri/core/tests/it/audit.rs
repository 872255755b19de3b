//! The security audit against moto: findings appear and go as the account changes, an
//! acknowledgement leaves the counts, and the trend compares openings of the profile.

use gatehouse_core::audit::store::AuditStore;
use gatehouse_core::audit::{self, FindingSeverity, Fix, SeverityCounts};

use crate::common::Account;

fn ids(a: &audit::Audit) -> Vec<&str> {
    a.findings.iter().map(|f| f.id.as_str()).collect()
}

#[tokio::test]
async fn findings_follow_the_account_and_acknowledgements_and_the_trend_are_kept() {
    let a = Account::new("710000000075").await;
    a.moto.boto3(
        r#"
iam.create_user(UserName='ana')
iam.create_login_profile(UserName='ana', Password='Correct-Horse-9')
doc = json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]})
arn = iam.create_policy(PolicyName='Everything', PolicyDocument=doc)['Policy']['Arn']
iam.attach_user_policy(UserName='ana', PolicyArn=arn)
print(json.dumps(None))
"#,
    );
    let conn = a.conn();
    let dir = tempfile::tempdir().unwrap();
    let store = AuditStore::new(dir.path().join("audit.json"));

    let first = audit::run(&conn, &store, "t", true).await.unwrap();
    assert_eq!(first.warnings, Vec::<String>::new());
    assert!(!first.report_generated.is_empty() && !first.ran_at.is_empty());
    // The report (at least two calls), one page of details, the policy and the summary.
    assert!(first.calls >= 5, "{}", first.calls);
    let no_mfa = first.findings.iter().find(|f| f.id == "user-console-no-mfa:User/ana").expect("no MFA for ana");
    assert_eq!(no_mfa.severity, FindingSeverity::High);
    assert_eq!(no_mfa.fix, Fix::MfaEnrol { user: "ana".into() });
    let admin_id = "policy-full-admin:arn:aws:iam::710000000075:policy/Everything";
    let admin = first.findings.iter().find(|f| f.id == admin_id).unwrap_or_else(|| panic!("{:?}", ids(&first)));
    assert_eq!(admin.severity, FindingSeverity::High, "attached, so High");
    assert_eq!(admin.cis.as_deref(), Some("CIS 1.16"));
    assert!(ids(&first).contains(&"password-policy-missing:PasswordPolicy"), "{:?}", ids(&first));
    // Attached directly, and in no group.
    assert!(ids(&first).contains(&"user-direct-policies:User/ana"));
    assert!(ids(&first).contains(&"user-no-group:User/ana"));
    assert_eq!(first.counts, audit::count(&first.findings));
    assert_eq!(first.trend, None, "the profile's first audit has no trend");

    // MFA enabled (moto accepts any codes): the finding is gone.
    a.moto.boto3(
        r#"
d = iam.create_virtual_mfa_device(VirtualMFADeviceName='ana')['VirtualMFADevice']
iam.enable_mfa_device(UserName='ana', SerialNumber=d['SerialNumber'], AuthenticationCode1='123456', AuthenticationCode2='654321')
print(json.dumps(None))
"#,
    );
    let second = audit::run(&conn, &store, "t", false).await.unwrap();
    assert!(!ids(&second).contains(&"user-console-no-mfa:User/ana"), "{:?}", ids(&second));
    assert_eq!(second.counts.high, first.counts.high - 1);
    assert_eq!(second.trend, None, "a refresh keeps the (absent) baseline");

    // Acknowledged: still listed, with its reason, and no longer counted.
    let account = conn.identity.account.clone();
    store.acknowledge(&account, admin_id, "the break-glass policy, reviewed monthly").unwrap();
    let third = audit::run(&conn, &store, "t", true).await.unwrap();
    let admin = third.findings.iter().find(|f| f.id == admin_id).unwrap();
    assert_eq!(admin.acknowledged.as_ref().unwrap().reason, "the break-glass policy, reviewed monthly");
    assert_eq!(third.counts, SeverityCounts { high: second.counts.high - 1, ..second.counts });
    // Opened again: the trend is the last audit of the previous opening.
    let trend = third.trend.clone().expect("a trend on the second opening");
    assert_eq!(trend.previous, second.counts);
    assert_eq!(trend.previous_at, second.ran_at);

    // Taken back: counted again.
    store.unacknowledge(&account, admin_id).unwrap();
    let fourth = audit::run(&conn, &store, "t", false).await.unwrap();
    assert_eq!(fourth.counts, second.counts);
    assert_eq!(fourth.trend.unwrap().previous, second.counts, "a refresh keeps the baseline");
}

#[tokio::test]
async fn moto_has_no_root_row_so_the_root_user_is_checked_from_the_summary() {
    let a = Account::new("710000000076").await;
    let conn = a.conn();
    let dir = tempfile::tempdir().unwrap();
    let store = AuditStore::new(dir.path().join("audit.json"));
    let audit = audit::run(&conn, &store, "t", true).await.unwrap();
    let summary = a.moto.boto3("print(json.dumps(iam.get_account_summary()['SummaryMap']))");
    // moto's summary says the root user has no MFA (AccountMFAEnabled 0) and no key.
    assert_eq!(summary["AccountMFAEnabled"], 0, "{summary}");
    assert!(ids(&audit).contains(&"root-no-mfa:Root"), "{:?}", ids(&audit));
    assert!(!ids(&audit).iter().any(|i| i.starts_with("root-access-keys")), "{:?}", ids(&audit));
}

#[tokio::test]
async fn a_source_that_fails_is_a_warning_and_the_other_checks_still_run() {
    use gatehouse_testkit::faults::{Answer, Fault, FaultServer};
    use gatehouse_testkit::Moto;
    // moto enforces no permission, so the fault server stands in for AWS refusing the
    // credential report: its two calls fail, every other request reaches moto.
    let moto = Moto::start("710000000077");
    moto.boto3("iam.create_user(UserName='ana'); print(json.dumps(None))");
    let fault = FaultServer::start(Fault::when(Answer::ExpiredToken, &moto.endpoint(), |body| {
        body.contains("Action=GenerateCredentialReport") || body.contains("Action=GetCredentialReport")
    }));
    let (_files, connections) = crate::common::connect(&fault.endpoint()).await;
    let conn = connections.get("t").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = AuditStore::new(dir.path().join("audit.json"));
    let audit = audit::run(&conn, &store, "t", true).await.unwrap();
    assert_eq!(audit.warnings.len(), 1, "{:?}", audit.warnings);
    assert!(audit.warnings[0].starts_with("The credential report could not be read"), "{}", audit.warnings[0]);
    assert_eq!(audit.report_generated, "");
    // The details' and the password policy's checks ran; the root user was checked from
    // the summary.
    let ids = ids(&audit);
    assert!(ids.contains(&"user-no-group:User/ana"), "{ids:?}");
    assert!(ids.contains(&"password-policy-missing:PasswordPolicy"), "{ids:?}");
    assert!(ids.contains(&"root-no-mfa:Root"), "{ids:?}");

    // Every read failing is the first read's error, not an empty audit.
    let dead = FaultServer::start(Fault::always(Answer::ExpiredToken));
    let conn = crate::common::unverified_connection(&dead.endpoint(), "710000000077");
    let err = audit::run(&conn, &store, "t", false).await.unwrap_err();
    assert_eq!(err.code(), gatehouse_core::error::ErrorCode::ExpiredToken, "{err}");
}
