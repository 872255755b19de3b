//! Profiles with `mfa_serial`: connecting asks for a code, the code goes to STS with the
//! device's serial, and the session is reused until it expires. moto accepts any code, so
//! the tests read what the request carried from moto's recorder.

use gatehouse_core::aws::connection::{ConnectOptions, Connections};
use gatehouse_core::aws::profiles::{ProfileKind, ProfileSource, ProfileState};
use gatehouse_core::error::{Error, ErrorCode};
use gatehouse_testkit::{AwsFiles, Moto};

fn connections(files: &AwsFiles) -> Connections {
    let (config_file, credentials_file) = files.write();
    Connections::new(
        ProfileSource { config_file, credentials_file, preferred: None },
        ConnectOptions { max_attempts: 1, ..ConnectOptions::default() },
    )
}

/// The recorded STS calls named `action`, as their form parameters.
fn sts_calls(moto: &Moto, action: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    moto.recorded_forms().into_iter().filter(|f| f.get("Action").map(String::as_str) == Some(action)).collect()
}

#[tokio::test]
async fn an_mfa_role_profile_asks_for_a_code_sends_it_with_the_serial_and_reuses_the_session() {
    let account = "712000000011";
    let moto = Moto::start(account);
    moto.boto3(
        "iam.create_role(RoleName='Admin', AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17', \
         'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::712000000011:root'}, \
         'Action': 'sts:AssumeRole', 'Condition': {'Bool': {'aws:MultiFactorAuthPresent': 'true'}}}]}))\n\
         print('null')",
    );
    let serial = format!("arn:aws:iam::{account}:mfa/ana");
    let mut files = AwsFiles::new();
    files.static_profile("base", &moto.endpoint(), "us-east-1").config_text(&format!(
        "[profile admin]\nrole_arn = arn:aws:iam::{account}:role/Admin\nsource_profile = base\n\
         mfa_serial = {serial}\nexternal_id = ext-1\nduration_seconds = 1800\n\
         region = us-east-1\nendpoint_url = {}\n",
        moto.endpoint()
    ));
    let connections = connections(&files);

    let listed = connections.list_profiles().await.unwrap();
    let admin = listed.profiles.iter().find(|p| p.name == "admin").unwrap();
    assert_eq!((admin.kind, admin.mfa_serial.as_deref()), (ProfileKind::AssumeRole, Some(serial.as_str())));
    assert_eq!(admin.state, ProfileState::NeedsMfa);

    let err = connections.connect("admin").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::MfaRequired, "{err}");
    assert_eq!(err.to_string(), format!("Profile admin needs a code from MFA device {serial}."));
    assert!(matches!(&err, Error::MfaRequired { serial: s, .. } if *s == serial));
    assert!(connections.get("admin").is_err());

    let bad = connections.connect_with_mfa("admin", "12ab").await.unwrap_err();
    assert_eq!(bad.code(), ErrorCode::InvalidInput, "{bad}");
    assert_eq!(connections.connect_with_mfa("admin", "1234567").await.unwrap_err().code(), ErrorCode::InvalidInput);

    moto.start_recording();
    let who = connections.connect_with_mfa("admin", "123456").await.unwrap();
    assert_eq!(who.account, account);
    assert!(who.arn.starts_with(&format!("arn:aws:sts::{account}:assumed-role/Admin/gatehouse-")), "{}", who.arn);
    let expires = who.expires.clone().expect("a session has an end");
    let assumed = sts_calls(&moto, "AssumeRole");
    assert_eq!(assumed.len(), 1, "{assumed:?}");
    let form = &assumed[0];
    assert_eq!(form.get("SerialNumber"), Some(&serial));
    assert_eq!(form.get("TokenCode").map(String::as_str), Some("123456"));
    assert_eq!(form.get("ExternalId").map(String::as_str), Some("ext-1"));
    assert_eq!(form.get("DurationSeconds").map(String::as_str), Some("1800"));
    assert_eq!(form.get("RoleArn"), Some(&format!("arn:aws:iam::{account}:role/Admin")));

    // The session is reused: no second AssumeRole and no prompt.
    let again = connections.connect("admin").await.unwrap();
    assert_eq!((again.arn.as_str(), again.expires.as_deref()), (who.arn.as_str(), Some(expires.as_str())));
    assert_eq!(sts_calls(&moto, "AssumeRole").len(), 1);
    assert!(connections.get("admin").is_ok());

    let listed = connections.list_profiles().await.unwrap();
    let admin = listed.profiles.iter().find(|p| p.name == "admin").unwrap();
    assert_eq!(admin.state, ProfileState::MfaSession { expires });
    let base = listed.profiles.iter().find(|p| p.name == "base").unwrap();
    assert_eq!(base.state, ProfileState::Ready);
    // A profile without MFA connects as before, with no end to its credentials.
    assert_eq!(connections.connect("base").await.unwrap().expires, None);
}

#[tokio::test]
async fn static_keys_with_an_mfa_serial_get_a_session_token_with_the_serial_and_code() {
    let account = "712000000012";
    let moto = Moto::start(account);
    let serial = format!("arn:aws:iam::{account}:mfa/bo");
    let mut files = AwsFiles::new();
    files
        .config_text(&format!(
            "[profile keys]\nregion = us-east-1\nendpoint_url = {}\nmfa_serial = {serial}\n",
            moto.endpoint()
        ))
        .credentials_text("[keys]\naws_access_key_id = AKIATESTING000000004\naws_secret_access_key = s\n")
        // A session that ends within the minute Gatehouse keeps in hand (AWS's shortest is
        // 15 minutes; moto takes any length).
        .config_text(&format!(
            "[profile brief]\nregion = us-east-1\nendpoint_url = {}\nmfa_serial = {serial}\nduration_seconds = 30\n",
            moto.endpoint()
        ))
        .credentials_text("[brief]\naws_access_key_id = AKIATESTING000000005\naws_secret_access_key = s\n");
    let connections = connections(&files);

    let err = connections.connect("keys").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::MfaRequired, "{err}");

    moto.start_recording();
    let who = connections.connect_with_mfa("keys", "654321").await.unwrap();
    let calls = sts_calls(&moto, "GetSessionToken");
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].get("SerialNumber"), Some(&serial));
    assert_eq!(calls[0].get("TokenCode").map(String::as_str), Some("654321"));
    // moto hands out one fixed key pair for every GetSessionToken and does not know whose it
    // is, so STS then answers its placeholder user, not the IAM user behind the keys.
    assert_eq!(who.arn, format!("arn:aws:sts::{account}:user/moto"));
    assert!(who.expires.is_some());
    assert!(connections.connect("keys").await.is_ok(), "the session is reused");

    // A session at its end is not reused: the profile asks for a code again.
    let brief = connections.connect_with_mfa("brief", "111111").await.unwrap();
    assert!(brief.expires.is_some());
    assert_eq!(connections.get("brief").err().map(|e| e.code()), Some(ErrorCode::MfaRequired));
    assert_eq!(connections.connect("brief").await.unwrap_err().code(), ErrorCode::MfaRequired);
    let listed = connections.list_profiles().await.unwrap();
    let state = |name: &str| listed.profiles.iter().find(|p| p.name == name).map(|p| p.state.clone());
    assert_eq!(state("brief"), Some(ProfileState::NeedsMfa));
    assert!(matches!(state("keys"), Some(ProfileState::MfaSession { .. })));
}
