//! Every identifier a command takes is checked against AWS's rules before any request: a
//! table of bad inputs, each sent through the function its command calls, with the
//! connection pointed at a fault server that fails whatever reaches it. Each must be
//! refused with its own sentence, and the server must have seen no request at all.

use gatehouse_core::credentials::rotation::{Rotation, RotationStep, Rotations};
use gatehouse_core::credentials::{access_keys, console, mfa, rotation};
use gatehouse_core::deletion::{self, Target};
use gatehouse_core::error::{ErrorCode, Result};
use gatehouse_core::iam::users::{self, NewUser};
use gatehouse_core::iam::{groups, principals};
use gatehouse_core::secrets::handoff::Handoffs;
use gatehouse_core::secrets::MemoryStore;
use gatehouse_core::sensitive::Sensitive;
use gatehouse_core::vocab::{Partial, Principal, Tag};
use gatehouse_testkit::faults::{Answer, Fault, FaultServer};

use crate::common::unverified_connection;

const ACCOUNT: &str = "730000000001";
const KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const SERIAL: &str = "arn:aws:iam::730000000001:mfa/ana";
const ARN: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

struct Refusals<'a> {
    fault: &'a FaultServer,
}

impl Refusals<'_> {
    fn check<T, E: Into<Partial>>(&mut self, call: &str, input: &str, expect: &str, result: Result<T, E>) {
        // A refusal before any call changed nothing, whether or not the change could fail part-way.
        let Err(err) = result.map_err(Into::into) else { panic!("{call}({input:?}) was accepted") };
        assert!(err.changed.is_empty(), "{call}({input:?})");
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{call}({input:?}): {err}");
        assert!(err.to_string().contains(expect), "{call}({input:?}): expected {expect:?} in: {err}");
        assert_eq!(self.fault.requests(), 0, "{call}({input:?}) reached the endpoint");
    }
}

fn tag(k: &str, v: &str) -> Tag {
    Tag { key: k.into(), value: v.into() }
}

#[tokio::test]
async fn every_bad_identifier_is_refused_before_any_request() {
    let fault = FaultServer::start(Fault::always(Answer::ServerError));
    let conn = unverified_connection(&fault.endpoint(), ACCOUNT);
    let handoffs = Handoffs::new(MemoryStore::default());
    let dir = tempfile::tempdir().unwrap();
    let rotations = Rotations::new(dir.path().join("rotations.json"));
    let mut r = Refusals { fault: &fault };

    let long_user = "u".repeat(65);
    let bad_users: &[(&str, &str)] = &[
        ("", "user name is empty"),
        ("ana silva", "user name contains a space"),
        (&long_user, "user name has 65 characters"),
        ("ana/x", "user name contains '/'"),
        ("josé", "user name contains 'é'"),
        ("ana\t1", "user name contains a tab"),
        ("a;b", "user name contains ';'"),
        ("ana\u{0}", "user name contains a control character (U+0000)"),
    ];
    for &(u, expect) in bad_users {
        r.check("user_detail", u, expect, users::user_detail(&conn, u).await);
        r.check("user_row", u, expect, users::user_row(&conn, u).await);
        let spec = NewUser { name: u.into(), ..NewUser::default() };
        r.check("create_user", u, expect, users::create_user(&conn, &spec).await);
        let spec = NewUser { name: "ok".into(), copy_from: Some(u.into()), ..NewUser::default() };
        r.check("create_user copy_from", u, expect, users::create_user(&conn, &spec).await);
        r.check("create_access_key", u, expect, access_keys::create_access_key(&conn, &handoffs, u).await);
        r.check("set_access_key_status", u, expect, access_keys::set_access_key_status(&conn, u, KEY, false).await);
        r.check("delete_access_key", u, expect, access_keys::delete_access_key(&conn, u, KEY).await);
        let set = console::set_console_password(&conn, &handoffs, u, None, true, true).await;
        r.check("set_console_password", u, expect, set);
        r.check("delete_login_profile", u, expect, console::delete_login_profile(&conn, u).await);
        r.check("create_virtual_mfa", u, expect, mfa::create_virtual_mfa(&conn, u).await);
        let enable = mfa::enable_mfa(&conn, u, SERIAL, "123456", "654321").await;
        r.check("enable_mfa", u, expect, enable);
        r.check("deactivate_mfa", u, expect, mfa::deactivate_mfa(&conn, u, SERIAL).await);
        r.check("list_orphaned_mfa_devices", u, expect, mfa::orphaned_devices(&conn, u).await);
        r.check("plan_rotation", u, expect, rotation::plan(&conn, u).await);
        let deactivate = rotation::deactivate_old(&conn, &rotations, ACCOUNT, u).await;
        r.check("deactivate_old_key", u, expect, deactivate);
        r.check("delete_old_key", u, expect, rotation::delete_old(&conn, &rotations, ACCOUNT, u).await);
        r.check("add_member", u, expect, groups::add_member(&conn, "developers", u).await);
        r.check("remove_member", u, expect, groups::remove_member(&conn, "developers", u).await);
        let members = ["fine".to_string(), u.to_string()];
        r.check("set_membership", u, expect, groups::set_membership(&conn, "developers", &members, true).await);
        let p = Principal::user(u);
        r.check("tag", u, expect, principals::tag(&conn, &p, &[], &[tag("team", "x")]).await);
        let t = Target::from(p.clone());
        r.check("plan_deletion", u, expect, deletion::plan_all(&conn, vec![t.clone()]).await);
        r.check("delete", u, expect, deletion::delete(&conn, &t, |_, _| {}).await);
    }

    let long_key = "A".repeat(129);
    let bad_keys: &[(&str, &str)] = &[
        ("", "access key id is empty"),
        ("AKIA1234", "access key id has 8 characters; AWS requires at least 16"),
        (&long_key, "access key id has 129 characters; AWS allows at most 128"),
        ("AKIA-IOSFODNN7EXAMPLE", "access key id contains '-'"),
        ("AKIAIOSFODNN7EXAMPLE ", "access key id contains a space"),
        ("AKIAIOSFODNN7EXAMPLÉ", "access key id contains 'É'"),
    ];
    for &(k, expect) in bad_keys {
        r.check("set_access_key_status", k, expect, access_keys::set_access_key_status(&conn, "ana", k, true).await);
        r.check("delete_access_key", k, expect, access_keys::delete_access_key(&conn, "ana", k).await);
        r.check("get_key_last_used", k, expect, rotation::key_last_used(&conn, k).await);
        let saved = Rotation {
            account: ACCOUNT.into(),
            user: "ci".into(),
            old_key: k.into(),
            new_key: KEY.into(),
            step: RotationStep::WaitForUse,
            started: "2026-11-23T10:00:00Z".into(),
            deactivated: None,
        };
        r.check("save_rotation", k, expect, rotations.save(&saved));
    }
    for account in ["", "7300000000", "7300000000012", "73000000000x"] {
        let expect = "is not twelve digits";
        let deactivate = rotation::deactivate_old(&conn, &rotations, account, "ci").await;
        r.check("deactivate_old_key account", account, expect, deactivate);
        let delete = rotation::delete_old(&conn, &rotations, account, "ci").await;
        r.check("delete_old_key account", account, expect, delete);
    }

    let long_serial = format!("arn:aws:iam::{ACCOUNT}:mfa/{}", "a".repeat(230));
    let bad_serials: &[(&str, &str)] = &[
        ("", "MFA serial number is empty"),
        ("GAHT1234", "MFA serial number has 8 characters; AWS requires at least 9"),
        (&long_serial, "MFA serial number has 260 characters"),
        ("arn:aws:iam::730000000001:mfa/ana silva", "MFA serial number contains a space"),
        ("arn:aws:iam::730000000001:mfa/ana*", "MFA serial number contains '*'"),
        ("arn:aws:iam::730000000001:mfa/ana?x=1", "MFA serial number contains '?'"),
    ];
    for &(s, expect) in bad_serials {
        r.check("enable_mfa", s, expect, mfa::enable_mfa(&conn, "ana", s, "123456", "654321").await);
        r.check("deactivate_mfa", s, expect, mfa::deactivate_mfa(&conn, "ana", s).await);
        r.check("delete_virtual_mfa", s, expect, mfa::delete_virtual_mfa(&conn, s).await);
    }
    for (c1, c2, expect) in [("12345", "654321", "not a six-digit code"), ("123456", "123456", "two consecutive")] {
        r.check("enable_mfa codes", c1, expect, mfa::enable_mfa(&conn, "ana", SERIAL, c1, c2).await);
    }

    let long_arn = format!("arn:aws:iam::aws:policy/{}", "p".repeat(2030));
    let bad_arns: &[(&str, &str)] = &[
        ("ReadOnlyAccess", "policy ARN has 14 characters; AWS's are 20 to 2048"),
        (&long_arn, "policy ARN has 2054 characters"),
        ("arn:aws:iam::aws-policy/ReadOnly", "is not a policy ARN"),
        ("urn:aws:iam::aws:policy/ReadOnlyAccess", "must start with arn:"),
        ("arn:azure:iam::aws:policy/ReadOnlyAccess", "partition 'azure' is not one of AWS's"),
        ("arn:aws:s3::aws:policy/ReadOnlyAccess", "names the service 's3'"),
        ("arn:aws:iam:us-east-1:aws:policy/ReadOnlyAccess", "has a region ('us-east-1')"),
        ("arn:aws:iam::12345:policy/ReadOnlyAccess", "account '12345' is neither aws nor"),
        ("arn:aws:iam::aws:role/ReadOnlyAccess", "resource 'role/ReadOnlyAccess' is not policy/"),
        ("arn:aws:iam::aws:policy/team/", "In the policy ARN: The policy name is empty"),
        ("arn:aws:iam::aws:policy/Read*Only", "In the policy ARN: The policy name contains '*'"),
        ("arn:aws:iam::aws:policy/tea m/ReadOnly", "In the policy ARN: The path contains a space"),
    ];
    for &(arn, expect) in bad_arns {
        let ana = Principal::user("ana");
        r.check("attach_policy", arn, expect, principals::attach_policy(&conn, &ana, arn).await);
        r.check("detach_policy", arn, expect, principals::detach_policy(&conn, &ana, arn).await);
        let spec = NewUser { name: "ana".into(), policies: vec![ARN.into(), arn.into()], ..NewUser::default() };
        r.check("create_user policies", arn, expect, users::create_user(&conn, &spec).await);
    }

    let long_policy = "p".repeat(129);
    let bad_policy_names: &[(&str, &str)] = &[
        ("", "policy name is empty"),
        (&long_policy, "policy name has 129 characters"),
        ("read b", "policy name contains a space"),
        ("read/b", "policy name contains '/'"),
        ("read:b", "policy name contains ':'"),
    ];
    let doc = r#"{"Version":"2012-10-17","Statement":[]}"#;
    for &(n, expect) in bad_policy_names {
        let g = Principal::group("developers");
        r.check("get_inline_policy", n, expect, principals::get_inline_policy(&conn, &g, n).await);
        r.check("delete_inline_policy", n, expect, principals::delete_inline_policy(&conn, &g, n).await);
        r.check("put_inline_policy", n, expect, principals::put_inline_policy(&conn, &g, n, doc).await);
    }

    let long_group = "g".repeat(129);
    let bad_groups: &[(&str, &str)] = &[
        ("", "group name is empty"),
        (&long_group, "group name has 129 characters"),
        ("dev ops", "group name contains a space"),
        ("dev|ops", "group name contains '|'"),
    ];
    for &(g, expect) in bad_groups {
        r.check("add_member", g, expect, groups::add_member(&conn, g, "ana").await);
        r.check("remove_member", g, expect, groups::remove_member(&conn, g, "ana").await);
        r.check("set_membership", g, expect, groups::set_membership(&conn, g, &["ana".into()], false).await);
        r.check("get_group", g, expect, groups::group_detail(&conn, g).await);
        r.check("get_group_row", g, expect, groups::group_row(&conn, g).await);
        r.check("create_group", g, expect, groups::create_group(&conn, g, "/").await);
        let p = Principal::group(g);
        r.check("attach_policy to group", g, expect, principals::attach_policy(&conn, &p, ARN).await);
        r.check("plan_deletion of group", g, expect, deletion::plan_all(&conn, vec![p.into()]).await);
    }
    for (role, expect) in
        [("", "role name is empty"), (&*"r".repeat(65), "role name has 65"), ("app role", "role name contains a space")]
    {
        let p = Principal::role(role);
        r.check("detach_policy from role", role, expect, principals::detach_policy(&conn, &p, ARN).await);
        r.check("untag role", role, expect, principals::untag(&conn, &p, &["team".into()]).await);
        r.check("delete role", role, expect, deletion::delete(&conn, &p.into(), |_, _| {}).await);
    }

    let fifty_one: Vec<String> = (0..51).map(|i| format!("k{i}")).collect();
    let long_tag_key = "k".repeat(129);
    let bad_untags: Vec<(Vec<String>, &str)> = vec![
        (vec![], "No tag key to remove"),
        (fifty_one, "51 tag keys to remove; AWS takes at most 50"),
        (vec!["aws:createdBy".into()], "starts with aws:, which AWS reserves"),
        (vec!["team".into(), "cost#center".into()], "tag key 'cost#center' contains '#'"),
        (vec!["".into()], "A tag key is empty"),
        (vec![long_tag_key], "has 129 characters; AWS allows at most 128"),
        (vec!["zero\u{200b}width".into()], "contains '\u{200b}' (U+200B)"),
    ];
    for (keys, expect) in &bad_untags {
        let what = format!("{keys:?}");
        r.check("untag", &what, expect, principals::untag(&conn, &Principal::user("ana"), keys).await);
    }
    let bad_tags: &[(Tag, &str)] = &[
        (tag("aws:team", "x"), "reserves"),
        (tag("team", "a,b"), "value of tag 'team' contains ','"),
        (tag("team", "a\u{7}"), "value of tag 'team' contains a control character (U+0007)"),
        (tag("team<", "x"), "tag key 'team<' contains '<'"),
    ];
    for (t, expect) in bad_tags {
        let set = principals::tag(&conn, &Principal::role("app"), &[], std::slice::from_ref(t)).await;
        r.check("tag", &t.key, expect, set);
    }

    let bad_passwords: &[(&str, &str)] = &[
        ("Correct€Horse-42", "Character 8 of the password"),
        ("Пароль-Correct-42", "Character 1 of the password"),
        ("Correct-Horse-42\u{0}", "Character 17 of the password"),
        ("Correct-Horse\u{1b}42", "Character 14 of the password"),
        ("", "password is empty"),
    ];
    for &(pw, expect) in bad_passwords {
        let typed = Some(Sensitive::new(pw.to_string()));
        let set = console::set_console_password(&conn, &handoffs, "ana", typed, false, false).await;
        r.check("set_console_password typed", "<password>", expect, set);
    }

    let bad_paths: &[(&str, &str)] = &[
        ("engineering", "must start and end with /"),
        ("/eng ineering/", "path contains a space"),
        ("/ingénierie/", "path contains 'é'"),
        ("//", "The path // is not one AWS accepts"),
    ];
    for &(path, expect) in bad_paths {
        r.check("create_group path", path, expect, groups::create_group(&conn, "qa", path).await);
        let rename = principals::rename(&conn, &Principal::user("ana"), None, Some(path)).await;
        r.check("rename path", path, expect, rename);
    }

    assert!(handoffs.list().await.unwrap().pending.is_empty(), "no secret was made");

    // The control: a valid call does reach the server, so a zero above means something.
    let err = users::user_detail(&conn, "ana").await.unwrap_err();
    assert_ne!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(fault.requests() > 0, "a valid call reaches the endpoint");
}
