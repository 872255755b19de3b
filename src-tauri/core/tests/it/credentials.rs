//! Access keys and console passwords against moto; secrets land in the secret store (here
//! the in-memory one; the real keychain is covered by the keychain module) and never in what
//! the functions return.

use gatehouse_core::credentials::passwords::PasswordPolicy;
use gatehouse_core::credentials::{access_keys, console, mfa};
use gatehouse_core::error::ErrorCode;
use gatehouse_core::secrets::handoff::{Handoffs, SecretKind};
use gatehouse_core::secrets::MemoryStore;
use gatehouse_core::sensitive::Sensitive;

use crate::common::Account;
use serde_json::json;

#[tokio::test]
async fn keys_and_passwords_go_to_the_keychain_not_to_the_caller() {
    let a = Account::new("720000000001").await;
    let moto = &a.moto;
    moto.boto3("iam.create_user(UserName='ana'); print('{}')");
    let conn = a.conn();
    let handoffs = Handoffs::new(MemoryStore::default());

    let k1 = access_keys::create_access_key(&conn, &handoffs, "ana").await.unwrap();
    assert_eq!(k1.kind, SecretKind::SecretAccessKey);
    assert_eq!(k1.sign_in_url, "https://720000000001.signin.aws.amazon.com/console");
    let (_, secret) = handoffs.reveal(&k1.id()).await.unwrap();
    assert_eq!(secret.expose().len(), 40, "a real secret access key is in the store");
    assert!(!serde_json::to_string(&k1).unwrap().contains(secret.expose().as_str()), "the handoff holds no secret");
    let listed = moto.boto3(
        "print(json.dumps([k['AccessKeyId'] for k in iam.list_access_keys(UserName='ana')['AccessKeyMetadata']]))",
    );
    assert_eq!(listed, json!([k1.key_id]));

    let _k2 = access_keys::create_access_key(&conn, &handoffs, "ana").await.unwrap();
    let err = access_keys::create_access_key(&conn, &handoffs, "ana").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::LimitExceeded);
    assert!(err.to_string().contains("already has 2 access keys"), "refused before the call: {err}");

    access_keys::set_access_key_status(&conn, "ana", &k1.key_id, false).await.unwrap();
    let status = moto.boto3(&format!("print(json.dumps([k['Status'] for k in iam.list_access_keys(UserName='ana')['AccessKeyMetadata'] if k['AccessKeyId'] == '{}']))", k1.key_id));
    assert_eq!(status, json!(["Inactive"]));
    access_keys::delete_access_key(&conn, "ana", &k1.key_id).await.unwrap();

    // moto has no password policy by default: AWS's default applies, and a weak typed
    // password is refused before the call (moto would accept it).
    let err = console::set_console_password(&conn, &handoffs, "ana", Some(Sensitive::new("weak".into())), true, true)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    // moto ignores PasswordResetRequired on CreateLoginProfile and would delete the login
    // profile on an UpdateLoginProfile without a password; Gatehouse always sends the flag
    // and always sends a password on a reset, which is what AWS documents, so neither moto
    // behaviour is reached here.
    let pw = console::set_console_password(&conn, &handoffs, "ana", None, true, true).await.unwrap();
    let (_, generated) = handoffs.reveal(&pw.id()).await.unwrap();
    PasswordPolicy::aws_default().check(generated.expose(), "ana").unwrap();
    let has_profile =
        moto.boto3("print(json.dumps(iam.get_login_profile(UserName='ana')['LoginProfile']['UserName']))");
    assert_eq!(has_profile, "ana");

    // With an account policy, the generator follows it.
    moto.boto3("iam.update_account_password_policy(MinimumPasswordLength=32, RequireSymbols=True, RequireNumbers=True, RequireUppercaseCharacters=True, RequireLowercaseCharacters=True); print('{}')");
    let reset = console::set_console_password(&conn, &handoffs, "ana", None, false, false).await.unwrap();
    let (_, new_password) = handoffs.reveal(&reset.id()).await.unwrap();
    assert!(new_password.expose().chars().count() >= 32);
    assert_ne!(new_password.expose(), generated.expose());
    assert_eq!(
        handoffs.list().await.unwrap().pending.len(),
        3,
        "two keys and one password (the reset replaced the first)"
    );

    console::delete_login_profile(&conn, "ana").await.unwrap();
    let gone = moto.boto3(
        "try:\n    iam.get_login_profile(UserName='ana'); print('true')\nexcept iam.exceptions.NoSuchEntityException:\n    print('false')",
    );
    assert_eq!(gone, json!(false));
}

#[tokio::test]
async fn a_virtual_mfa_device_is_created_enabled_and_removed() {
    let a = Account::new("720000000002").await;
    let moto = &a.moto;
    moto.boto3("iam.create_user(UserName='ana'); print('{}')");
    let conn = a.conn();

    let e = mfa::create_virtual_mfa(&conn, "ana").await.unwrap();
    assert_eq!(e.serial, "arn:aws:iam::720000000002:mfa/ana");
    assert!(
        e.seed.len() >= 32 && e.seed.chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)),
        "Base32: {}",
        e.seed
    );
    assert!(e.qr_svg.contains("<svg"));
    // Codes are checked for shape before the call (moto would accept anything).
    assert_eq!(
        mfa::enable_mfa(&conn, "ana", &e.serial, "12345", "654321").await.unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        mfa::enable_mfa(&conn, "ana", &e.serial, "123456", "123456").await.unwrap_err().code(),
        ErrorCode::InvalidInput
    );
    // moto accepts any two codes; the end-to-end test computes real ones from the seed.
    mfa::enable_mfa(&conn, "ana", &e.serial, "123456", "654321").await.unwrap();
    let listed = moto
        .boto3("print(json.dumps([d['SerialNumber'] for d in iam.list_mfa_devices(UserName='ana')['MFADevices']]))");
    assert_eq!(listed, json!([e.serial]));
    mfa::deactivate_mfa(&conn, "ana", &e.serial).await.unwrap();
    mfa::delete_virtual_mfa(&conn, &e.serial).await.unwrap();
    let left = moto
        .boto3("print(json.dumps([d['SerialNumber'] for d in iam.list_virtual_mfa_devices()['VirtualMFADevices']]))");
    assert_eq!(left, json!([]));
}
