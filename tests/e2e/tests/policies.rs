//! Managed policies in the real window: a policy typed in the editor with mistakes, fixed
//! and created; its versions filled to AWS's five, an older one made the default again, two
//! compared. Each step is read back with boto3.

use gatehouse_e2e::keys::ENTER;
use gatehouse_e2e::{screenshot_dir, AppWindow, SeededApp};
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// The codes of the findings the editor `testid` lists, with their lines.
fn findings(s: &AppWindow, testid: &str) -> Vec<String> {
    let script = format!(
        "return Array.from(document.querySelectorAll(\"[data-testid='{testid}-findings'] li\"))
           .map(li => li.dataset.code + '@' + li.querySelector('.where').textContent.split(':')[0])"
    );
    s.execute(&script).as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

fn versions(s: &AppWindow) -> Vec<String> {
    s.attributes_of_all("[data-testid='policy-version']", "data-version")
}

#[test]
fn a_policy_typed_with_mistakes_then_fixed_created_versioned_rolled_back_and_compared() {
    let app = SeededApp::start("444444444444", "globex", |_| {});
    let (s, moto) = (&app.window, &app.moto);
    let shots = screenshot_dir();

    // The Policies tab: AWS's 1,582 and the account's own, from one bulk read.
    s.wait_for("[data-testid='tab-users']", WAIT);
    s.click_on("[data-testid='tab-policies']");
    s.wait_for("[data-testid='policy-row']", WAIT);
    s.fill("[data-testid='policies-search']", "policy/ReadOnlyAccess");
    s.wait_until("ReadOnlyAccess found", WAIT, |s| {
        s.attributes_of_all("[data-testid='policy-row']", "data-name").contains(&"ReadOnlyAccess".to_string())
    });
    s.screenshot(&shots.join("40-policies.png"));

    // A new policy, typed with a misspelled action on line 2 and a missing comma before line 3.
    s.click_on("[data-testid='create-policy']");
    s.fill("[data-testid='new-policy-name']", "e2e-read-reports");
    s.type_in_editor(
        "new-policy-document",
        &[
            r#"{"Version": "2012-10-17", "Statement": ["#,
            ENTER,
            r#"{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObjet", "Resource": "arn:aws:s3:::reports/*"}"#,
            ENTER,
            r#"{"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports"}"#,
        ]
        .concat(),
    );
    s.wait_until("both mistakes found at their lines", WAIT, |s| {
        let f = findings(s, "new-policy-document");
        f.iter().any(|f| f == "UNKNOWN_ACTION@2") && f.iter().any(|f| f == "JSON_SYNTAX@3")
    });
    assert_eq!(s.find_all("[data-testid='new-policy-document'] .cm-lint-marker-error").len(), 1, "one error line");
    assert_eq!(s.find_all("[data-testid='new-policy-document'] .cm-lint-marker-warning").len(), 1, "one warning line");
    s.screenshot(&shots.join("41-policy-mistakes.png"));
    let submit = s.wait_for("[data-testid='create-policy-submit']", WAIT);
    assert_eq!(
        s.execute("return document.querySelector(\"[data-testid='create-policy-submit']\").disabled"),
        json!(true),
        "nothing is sent while the validator reports an error"
    );

    // Fixed, typed again; completion offers s3:GetObject after s3:GetOb.
    s.type_in_editor(
        "new-policy-document",
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetOb"#,
    );
    s.wait_until("the completion of s3:GetOb", WAIT, |s| {
        s.execute(
            "return Array.from(document.querySelectorAll('.cm-tooltip-autocomplete li')).map(li => li.textContent)",
        )
        .as_array()
        .is_some_and(|a| a.iter().any(|t| t.as_str().is_some_and(|t| t.contains("s3:GetObject"))))
    });
    s.screenshot(&shots.join("42-policy-completion.png"));
    s.type_more_in_editor(
        "new-policy-document",
        r#"ject", "Resource": "arn:aws:s3:::reports/*"}, {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports"}"#,
    );
    s.wait_until("no findings left", WAIT, |s| {
        s.attribute(&s.wait_for("[data-testid='new-policy-document-summary']", WAIT), "data-errors").as_deref()
            == Some("0")
    });
    let typed: serde_json::Value = serde_json::from_str(&s.editor_text("new-policy-document")).unwrap();
    assert_eq!(typed["Statement"][0]["Action"], "s3:GetObject");
    s.click(&submit);
    s.wait_for("[data-testid='policy-panel'] [data-testid='policy-version'][data-version='v1']", WAIT);
    s.screenshot(&shots.join("43-policy-page.png"));
    let arn = "arn:aws:iam::444444444444:policy/e2e-read-reports";
    let v1 = moto.boto3(&format!(
        "print(json.dumps(iam.get_policy_version(PolicyArn='{arn}', VersionId='v1')['PolicyVersion']['Document']))"
    ));
    assert_eq!(v1["Statement"][0]["Action"], "s3:GetObject");
    assert_eq!(v1["Statement"][1]["Action"], "s3:ListBucket");

    // v2 narrows the first statement; comparing v1 and v2 names it.
    s.click_on("[data-testid='new-version']");
    s.type_in_editor(
        "new-version-document",
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/2026/*"}, {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports"}"#,
    );
    s.click_on("[data-testid='create-version']");
    s.wait_until("v2", WAIT, |s| versions(s) == ["v2", "v1"]);
    s.click_on("[data-testid='compare-versions']");
    s.wait_until("the statements that changed", WAIT, |s| {
        s.attributes_of_all("[data-testid='diff-statement']", "data-change") == ["changed"]
            && s.body_text().contains("Read")
    });
    s.screenshot(&shots.join("44-policy-diff.png"));
    s.click_on("[role='dialog'] .close");

    // v3, v4 and v5 from the default's document: the policy is full.
    for (n, expected) in [(3, 3), (4, 4), (5, 5)] {
        s.click_on("[data-testid='new-version']");
        s.click_on("[data-testid='create-version']");
        s.wait_until(&format!("v{n}"), WAIT, |s| versions(s).len() == expected);
    }
    // A sixth: the app says so before calling AWS, and offers to delete v1 (the oldest
    // non-default) first.
    s.click_on("[data-testid='new-version']");
    let full = s.wait_for("[data-testid='versions-full']", WAIT);
    assert!(s.text(&full).contains("v1"), "{}", s.text(&full));
    s.screenshot(&shots.join("45-policy-versions-full.png"));
    let before = moto.boto3(&format!(
        "print(json.dumps(sorted(v['VersionId'] for v in iam.list_policy_versions(PolicyArn='{arn}')['Versions'])))"
    ));
    assert_eq!(before, json!(["v1", "v2", "v3", "v4", "v5"]), "nothing was sent yet");
    s.click_on("[data-testid='create-version']");
    s.wait_until("v1 replaced by v6", WAIT, |s| versions(s) == ["v6", "v5", "v4", "v3", "v2"]);
    let after = moto.boto3(&format!(
        "print(json.dumps(sorted(v['VersionId'] for v in iam.list_policy_versions(PolicyArn='{arn}')['Versions'])))"
    ));
    assert_eq!(after, json!(["v2", "v3", "v4", "v5", "v6"]));

    // Roll back: v2 is the default again, as boto3 sees.
    s.click_on("[data-testid='policy-version'][data-version='v2'] [data-testid='set-default']");
    s.click_on("[data-testid='confirm-set-default-button']");
    s.wait_until("v2 is the default", WAIT, |s| {
        s.find_all("[data-testid='policy-version'][data-version='v2'] .badge").len() == 1
            && s.find_all("[data-testid='confirm-set-default']").is_empty()
    });
    s.screenshot(&shots.join("46-policy-rolled-back.png"));
    let default = moto.boto3(&format!(
        "print(json.dumps([v['VersionId'] for v in iam.list_policy_versions(PolicyArn='{arn}')['Versions'] if v['IsDefaultVersion']]))"
    ));
    assert_eq!(default, json!(["v2"]));

    app.close();
}
