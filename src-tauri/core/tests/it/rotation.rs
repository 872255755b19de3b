//! The rotation's last two steps against moto, checked with boto3: the old key is deleted
//! only while it stays inactive. moto never records a key's use (GetAccessKeyLastUsed has
//! no date for any key), so "used after it was deactivated" is covered by the unit test of
//! `may_delete`; here AWS's status is what changes between the steps.

use gatehouse_core::credentials::rotation::{self, Rotation, RotationStep, Rotations};
use gatehouse_core::error::ErrorCode;
use serde_json::json;

use crate::common::Account;

const ACCOUNT: &str = "740000000001";

fn keys(a: &Account) -> serde_json::Value {
    a.moto.boto3(
        "print(json.dumps(sorted([[k['AccessKeyId'], k['Status']] for k in iam.list_access_keys(UserName='ci')['AccessKeyMetadata']])))",
    )
}

#[tokio::test]
async fn the_old_key_is_deleted_only_while_it_stays_inactive() {
    let a = Account::new(ACCOUNT).await;
    let made = a.moto.boto3(
        "iam.create_user(UserName='ci')\n\
         old = iam.create_access_key(UserName='ci')['AccessKey']['AccessKeyId']\n\
         new = iam.create_access_key(UserName='ci')['AccessKey']['AccessKeyId']\n\
         print(json.dumps([old, new]))",
    );
    let (old, new) = (made[0].as_str().unwrap(), made[1].as_str().unwrap());
    let conn = a.conn();
    let dir = tempfile::tempdir().unwrap();
    let rotations = Rotations::new(dir.path().join("rotations.json"));
    rotations
        .save(&Rotation {
            account: ACCOUNT.into(),
            user: "ci".into(),
            old_key: old.into(),
            new_key: new.into(),
            step: RotationStep::DeactivateOld,
            started: "2026-11-23T10:00:00Z".into(),
            deactivated: None,
        })
        .unwrap();

    let r = rotation::deactivate_old(&conn, &rotations, ACCOUNT, "ci").await.unwrap();
    assert_eq!(r.step, RotationStep::DeleteOld);
    // Stamped on the endpoint's clock (its answer's Date header, whole seconds), not this
    // machine's (which would carry fractions of a second).
    let deactivated = r.deactivated.clone().unwrap();
    assert!(deactivated.len() == 20 && deactivated.ends_with('Z'), "{deactivated}");
    assert_eq!(rotations.list().unwrap().rotations, std::slice::from_ref(&r.value), "saved");
    let mut expected = vec![json!([old, "Inactive"]), json!([new, "Active"])];
    expected.sort_by_key(|v| v[0].as_str().unwrap().to_string());
    assert_eq!(keys(&a), json!(expected));

    // Days later someone reactivates the old key because something broke; the wizard is
    // resumed at its last step.
    a.moto.boto3(&format!("iam.update_access_key(UserName='ci', AccessKeyId='{old}', Status='Active'); print('{{}}')"));
    let err = rotation::delete_old(&conn, &rotations, ACCOUNT, "ci").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::DeleteConflict, "{err}");
    assert!(err.to_string().contains("was not deleted") && err.to_string().contains("reactivated"), "{err}");
    let listed = keys(&a);
    assert!(listed.as_array().unwrap().contains(&json!([old, "Active"])), "boto3 still lists it: {listed}");
    assert_eq!(rotations.list().unwrap().rotations.len(), 1, "the rotation is not finished");

    // The normal path: deactivated again by the wizard, then deleted.
    rotation::deactivate_old(&conn, &rotations, ACCOUNT, "ci").await.unwrap();
    rotation::delete_old(&conn, &rotations, ACCOUNT, "ci").await.unwrap();
    assert_eq!(keys(&a), json!([[new, "Active"]]), "only the new key remains");
    assert!(rotations.list().unwrap().rotations.is_empty(), "the rotation is finished");
    let err = rotation::delete_old(&conn, &rotations, ACCOUNT, "ci").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoSuchEntity, "{err}");
}

#[tokio::test]
async fn a_rotation_saved_before_the_deactivation_was_recorded_never_deletes_blind() {
    let a = Account::new("740000000002").await;
    let made = a.moto.boto3(
        "iam.create_user(UserName='ci')\n\
         old = iam.create_access_key(UserName='ci')['AccessKey']['AccessKeyId']\n\
         new = iam.create_access_key(UserName='ci')['AccessKey']['AccessKeyId']\n\
         iam.update_access_key(UserName='ci', AccessKeyId=old, Status='Inactive')\n\
         print(json.dumps([old, new]))",
    );
    let (old, new) = (made[0].as_str().unwrap(), made[1].as_str().unwrap());
    // What the wizard saved before this version: at the last step, no deactivation time.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rotations.json");
    std::fs::write(
        &path,
        format!(
            r#"[{{"account":"740000000002","user":"ci","oldKey":"{old}","newKey":"{new}","step":"DeleteOld","started":"2026-11-23T10:00:00Z"}}]"#
        ),
    )
    .unwrap();
    let rotations = Rotations::new(path);
    let conn = a.conn();
    let err = rotation::delete_old(&conn, &rotations, "740000000002", "ci").await.unwrap_err();
    assert!(err.to_string().contains("no record of when it was deactivated"), "{err}");
    assert_eq!(keys(&a).as_array().unwrap().len(), 2, "nothing deleted");

    // A rotation of another account is not continued with this profile.
    let err = rotation::deactivate_old(&conn, &rotations, "740000000009", "ci").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(err.to_string().contains("select a profile of account 740000000009"), "{err}");

    rotation::deactivate_old(&conn, &rotations, "740000000002", "ci").await.unwrap();
    rotation::delete_old(&conn, &rotations, "740000000002", "ci").await.unwrap();
    assert_eq!(keys(&a), json!([[new, "Active"]]));
}
