//! Access keys and console passwords against moto; secrets land in the secret store (here
//! the in-memory one; the real keychain is covered by the keychain module) and never in what
//! the functions return.

use gatehouse_core::credentials::passwords::PasswordPolicy;
use gatehouse_core::credentials::{access_keys, console, mfa, ChangeOptions, Step};
use gatehouse_core::error::ErrorCode;
use gatehouse_core::secrets::handoff::{Handoffs, SecretKind};
use gatehouse_core::secrets::{MemoryStore, Op, SecretStore};
use gatehouse_core::sensitive::Sensitive;
use gatehouse_testkit::faults::{Answer, Fault, FaultServer};
use gatehouse_testkit::Moto;
use std::sync::{Arc, Mutex};

use crate::common::{self, aws_password, Account};
use serde_json::json;

/// A proxy in front of moto that records the action of every request and answers
/// `Throttling` to the actions listed in `throttled`.
struct Proxy {
    server: FaultServer,
    actions: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    fn start(moto: &Moto, throttled: &'static [&'static str]) -> Proxy {
        let actions = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&actions);
        let server = FaultServer::start(Fault::when(Answer::Throttling, &moto.endpoint(), move |body| {
            let action = body.split('&').find_map(|p| p.strip_prefix("Action=")).unwrap_or_default().to_string();
            let throttle = throttled.contains(&action.as_str());
            seen.lock().unwrap().push(action);
            throttle
        }));
        Proxy { server, actions }
    }

    fn actions(&self) -> Vec<String> {
        self.actions.lock().unwrap().clone()
    }
}

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
        e.seed.expose().len() >= 32
            && e.seed.expose().chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)),
        "Base32: {}",
        e.seed.expose()
    );
    assert!(e.qr_svg.expose().contains("<svg"));
    assert!(!format!("{e:?}").contains(e.seed.expose().as_str()), "the seed is never printed");
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

/// Must never happen: a user locked out because the keychain refused the new password after
/// AWS had it. The password is filed first, so a refusing keychain stops the change while
/// the old password still works.
#[tokio::test]
async fn a_password_the_keychain_refuses_never_reaches_aws() {
    let a = Account::new("720000000003").await;
    a.moto.boto3(
        "iam.create_user(UserName='ana'); iam.create_login_profile(UserName='ana', Password='Initial-P4ss-word!'); \
         iam.create_user(UserName='ben'); print('{}')",
    );
    let proxy = Proxy::start(&a.moto, &[]);
    let (_files, through) = common::connect(&proxy.server.endpoint()).await;
    let conn = through.get("t").unwrap();
    let keychain = Arc::new(MemoryStore::default());
    let handoffs = Handoffs::new(Arc::clone(&keychain));

    keychain.refuse(Op::Put);
    let err = console::set_console_password(&conn, &handoffs, "ana", None, true, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Keychain, "{err}");
    assert_eq!(aws_password(&a.moto, "ana").as_deref(), Some("Initial-P4ss-word!"), "the old password still works");
    let err = console::set_console_password(&conn, &handoffs, "ben", None, true, true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Keychain, "{err}");
    assert_eq!(aws_password(&a.moto, "ben"), None, "ben got no console access");
    let actions = proxy.actions();
    assert!(!actions.iter().any(|a| a.contains("LoginProfile")), "AWS was never asked: {actions:?}");

    // Once the keychain takes it, the password AWS has is the one filed.
    keychain.allow(Op::Put);
    let h = console::set_console_password(&conn, &handoffs, "ana", None, true, false).await.unwrap();
    let (_, filed) = handoffs.reveal(&h.id()).await.unwrap();
    assert_eq!(aws_password(&a.moto, "ana").as_deref(), Some(filed.expose().as_str()));
    assert_eq!(handoffs.list().await.unwrap().pending, [h.value]);
}

/// AWS refusing the change takes the staged password out again; the password handed out
/// before (which still works) stays pending. A staged password that cannot be taken out is
/// said, not hidden.
#[tokio::test]
async fn a_password_aws_refuses_is_taken_out_of_the_keychain_again() {
    let a = Account::new("720000000004").await;
    a.moto.boto3("iam.create_user(UserName='ana'); print('{}')");
    let keychain = Arc::new(MemoryStore::default());
    let handoffs = Handoffs::new(Arc::clone(&keychain));
    let earlier = console::set_console_password(&a.conn(), &handoffs, "ana", None, true, true).await.unwrap().value;
    let (_, earlier_password) = handoffs.reveal(&earlier.id()).await.unwrap();

    let proxy = Proxy::start(&a.moto, &["UpdateLoginProfile"]);
    let (_files, through) = common::connect(&proxy.server.endpoint()).await;
    let conn = through.get("t").unwrap();
    let err = console::set_console_password(&conn, &handoffs, "ana", None, true, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Throttling, "{err}");
    let list = handoffs.list().await.unwrap();
    assert_eq!((list.pending.as_slice(), list.unconfirmed.len()), (std::slice::from_ref(&earlier), 0));
    assert_eq!(aws_password(&a.moto, "ana").as_deref(), Some(earlier_password.expose().as_str()));

    keychain.refuse(Op::Delete);
    let err = console::set_console_password(&conn, &handoffs, "ana", None, true, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Throttling, "{err}");
    assert!(
        err.to_string().contains(
            "Rate exceeded — the password filed for this change could not be removed from the keychain (The OS \
             keychain failed: the keychain is locked (Delete refused)); it is listed with the pending handoffs as \
             unconfirmed: discard it"
        ),
        "{err}"
    );
    assert_eq!(handoffs.list().await.unwrap().unconfirmed.len(), 1);
}

/// A key whose secret cannot be filed is deleted again; if that fails too, both failures
/// and the key's id are told, and the keychain keeps the note that reports the lost key.
#[tokio::test]
async fn a_key_whose_secret_cannot_be_filed_is_deleted_again_and_a_failed_rollback_is_told() {
    let a = Account::new("720000000005").await;
    a.moto.boto3("iam.create_user(UserName='ana'); print('{}')");
    let keys = || {
        a.moto.boto3(
            "print(json.dumps([k['AccessKeyId'] for k in iam.list_access_keys(UserName='ana')['AccessKeyMetadata']]))",
        )
    };
    let keychain = Arc::new(MemoryStore::default());
    let handoffs = Handoffs::new(Arc::clone(&keychain));

    // The note is filed, the secret is not.
    keychain.refuse_after(Op::Put, 1);
    let err = access_keys::create_access_key(&a.conn(), &handoffs, "ana").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Keychain, "{err}");
    assert!(err.to_string().contains("of ana was deleted again, so no key without a secret is left"), "{err}");
    assert_eq!(keys(), json!([]));
    assert_eq!(handoffs.list().await.unwrap(), Default::default(), "nothing is left over");

    let proxy = Proxy::start(&a.moto, &["DeleteAccessKey"]);
    let (_files, through) = common::connect(&proxy.server.endpoint()).await;
    keychain.refuse_after(Op::Put, 1);
    let err = access_keys::create_access_key(&through.get("t").unwrap(), &handoffs, "ana").await.unwrap_err();
    let key = keys()[0].as_str().unwrap().to_string();
    let message = err.to_string();
    assert!(message.starts_with("The OS keychain failed: the keychain is locked (Put refused)"), "{message}");
    assert!(
        message.contains(&format!(
            "deleting the new access key {key} of ana again failed too (AWS is throttling requests"
        )),
        "{message}"
    );
    assert!(message.contains(&format!("its secret is lost; delete {key} yourself")), "{message}");
    let lost = Handoffs::new(Arc::clone(&keychain)).list().await.unwrap().lost_keys;
    assert_eq!(lost.len(), 1, "after a restart the note still reports the key");
    assert_eq!(lost[0].user, "ana");
}

/// Must never happen: a crash between AWS's change and the keychain losing the password.
/// It was staged before the call, so after a restart it is listed as unconfirmed, and it is
/// the password AWS has.
#[tokio::test]
async fn a_crash_after_aws_set_the_password_leaves_it_in_the_keychain() {
    let a = Account::new("720000000006").await;
    a.moto.boto3("iam.create_user(UserName='ana'); print('{}')");
    let keychain = Arc::new(MemoryStore::default());
    let crash = ChangeOptions::crash_at(Step::AwsChanged);
    let err = console::set_console_password_with(
        &a.conn(),
        &Handoffs::new(Arc::clone(&keychain)),
        "ana",
        None,
        true,
        true,
        &crash,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("stopped at AwsChanged"), "{err}");

    let restarted = Handoffs::new(Arc::clone(&keychain));
    let list = restarted.list().await.unwrap();
    assert!(list.pending.is_empty() && list.lost_keys.is_empty() && list.damaged.is_empty(), "{list:?}");
    let [staged] = list.unconfirmed.as_slice() else { panic!("one unconfirmed password: {list:?}") };
    assert_eq!((staged.handoff.user.as_str(), staged.handoff.kind), ("ana", SecretKind::ConsolePassword));
    assert!(staged.advice.starts_with("Staged: AWS may or may not have this password."), "{}", staged.advice);
    assert!(staged.advice.contains("Try to sign in as ana with it"), "{}", staged.advice);
    let (_, password) = restarted.reveal(&staged.handoff.id()).await.unwrap();
    assert_eq!(aws_password(&a.moto, "ana").as_deref(), Some(password.expose().as_str()), "nothing was lost");
    restarted.complete(&staged.handoff.id()).await.unwrap();
    assert!(keychain.list().unwrap().is_empty());
}

/// Must never happen: a crash after CreateAccessKey losing the key silently. The note made
/// before the call reports it after a restart: who, and since when.
#[tokio::test]
async fn a_crash_after_aws_created_a_key_is_reported_as_a_lost_key() {
    let a = Account::new("720000000007").await;
    a.moto.boto3("iam.create_user(UserName='ana'); print('{}')");
    let keychain = Arc::new(MemoryStore::default());
    let crash = ChangeOptions::crash_at(Step::AwsChanged);
    let handoffs = Handoffs::new(Arc::clone(&keychain));
    access_keys::create_access_key_with(&a.conn(), &handoffs, "ana", &crash).await.unwrap_err();

    let restarted = Handoffs::new(Arc::clone(&keychain));
    let list = restarted.list().await.unwrap();
    assert!(list.pending.is_empty() && list.unconfirmed.is_empty() && list.damaged.is_empty(), "{list:?}");
    let [lost] = list.lost_keys.as_slice() else { panic!("one lost key: {list:?}") };
    assert_eq!((lost.account.as_str(), lost.user.as_str()), ("720000000007", "ana"));
    assert!(
        lost.advice
            .starts_with(&format!("An access key was created for ana at about {} and its secret was lost", lost.since)),
        "{}",
        lost.advice
    );
    assert!(lost.advice.contains(&format!("Delete the keys of ana created after {}", lost.since)), "{}", lost.advice);
    // The key moto made is one the advice points at: created after `since`.
    let after = a.moto.boto3(&format!(
        "from datetime import datetime\n\
         since = datetime.fromisoformat('{}'.replace('Z', '+00:00'))\n\
         print(json.dumps([k['CreateDate'] >= since for k in iam.list_access_keys(UserName='ana')['AccessKeyMetadata']]))",
        lost.since
    ));
    assert_eq!(after, json!([true]));
    restarted.dismiss_lost_key(&lost.entry).await.unwrap();
    assert!(keychain.list().unwrap().is_empty());
}
