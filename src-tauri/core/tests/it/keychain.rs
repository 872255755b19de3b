//! The keychain implementation against a real gnome-keyring (Secret Service) on a private
//! D-Bus, checked with an independent client, secret-tool.
//!
//! The store finds the Secret Service through the process's `DBUS_SESSION_BUS_ADDRESS` and
//! takes no bus address per call. Setting that variable here would race with the other
//! tests of this binary, which read the environment from other threads (libdbus and libc
//! read it without Rust's lock). So each test starts a keychain, then runs itself again in
//! a child process of this binary, filtered to that one test, with the private bus in the
//! child's environment from its first instruction.

use gatehouse_core::credentials::{access_keys, console};
use gatehouse_core::error::ErrorCode;
use gatehouse_core::iam::principals;
use gatehouse_core::secrets::handoff::{sign_in_url, Handoff, Handoffs, SecretKind};
use gatehouse_core::secrets::keychain::KeyringStore;
use gatehouse_core::secrets::{Attributes, SecretId, SecretStore};
use gatehouse_core::sensitive::Sensitive;
use gatehouse_core::vocab::{Principal, PrincipalKind};
use gatehouse_testkit::{keychain, Keychain};
use serde_json::json;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{aws_password, Account};

/// Set in the child's environment only: the private bus it must use, and the keyring
/// daemon's process id.
const CHILD_BUS: &str = "GATEHOUSE_TEST_KEYCHAIN_BUS";
const CHILD_KEYRING_PID: &str = "GATEHOUSE_TEST_KEYRING_PID";

/// What a test body gets in its child process.
struct Private {
    bus: String,
    keyring_pid: u32,
}

/// Runs `body` in a child process of this binary whose session bus is that of a fresh
/// private keychain. `test` is the calling test's name: the child runs that test alone.
fn in_a_child_process(test: &str, body: fn(&Private)) {
    if let Ok(bus) = std::env::var(CHILD_BUS) {
        assert_eq!(
            std::env::var("DBUS_SESSION_BUS_ADDRESS").as_deref(),
            Ok(bus.as_str()),
            "never the user's own keychain: the store must reach the private bus"
        );
        let keyring_pid = std::env::var(CHILD_KEYRING_PID).unwrap().parse().unwrap();
        return body(&Private { bus, keyring_pid });
    }
    let kc = Keychain::start();
    // module_path!() is "it::keychain"; libtest names tests without the crate.
    let module = module_path!().split_once("::").map_or(module_path!(), |(_, m)| m);
    let out = Command::new(std::env::current_exe().unwrap())
        .args([&format!("{module}::{test}"), "--exact", "--nocapture", "--test-threads=1"])
        .envs(kc.env())
        .env(CHILD_BUS, &kc.bus_address)
        .env(CHILD_KEYRING_PID, kc.keyring_pid().to_string())
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the keychain test failed in its child process:\n{stdout}\n{stderr}");
    // A filter that matches nothing also succeeds: make sure the body really ran.
    assert!(stdout.contains("1 passed"), "the child process did not run the test:\n{stdout}\n{stderr}");
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap().block_on(f)
}

fn store() -> KeyringStore {
    KeyringStore::with_service("gatehouse-test")
}

fn handoff(user: &str, kind: SecretKind, key_id: &str) -> Handoff {
    Handoff {
        account: "111111111111".into(),
        user: user.into(),
        kind,
        key_id: key_id.into(),
        sign_in_url: sign_in_url("111111111111"),
        created: "2026-11-24T10:00:00Z".into(),
        reset_required: kind == SecretKind::ConsolePassword,
    }
}

fn secret(s: &str) -> Sensitive<String> {
    Sensitive::new(s.into())
}

/// `secret-tool` against the private keychain: the independent client.
fn secret_tool(bus: &str, args: &[&str]) -> Output {
    Command::new("secret-tool")
        .args(args)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .output()
        .expect("secret-tool (libsecret-tools) is installed")
}

fn lookup(bus: &str, service: &str, username: &str) -> Option<String> {
    let out = secret_tool(bus, &["lookup", "service", service, "username", username]);
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What `secret-tool search --all` finds for `attributes`: how many items, and their
/// attributes (which it prints to stderr, apart from the rest).
struct Found {
    items: usize,
    attributes: Vec<String>,
}

fn search(bus: &str, attributes: &[(&str, &str)]) -> Found {
    let mut args = vec!["search", "--all"];
    args.extend(attributes.iter().flat_map(|(k, v)| [*k, *v]));
    let out = secret_tool(bus, &args);
    Found {
        items: String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.starts_with('[')).count(),
        attributes: String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.starts_with("attribute."))
            .map(str::to_string)
            .collect(),
    }
}

/// Files an item as another program (or an earlier Gatehouse) would.
fn secret_tool_store(bus: &str, secret: &str, attributes: &[(&str, &str)]) {
    let mut args = vec!["store", "--label=test"];
    args.extend(attributes.iter().flat_map(|(k, v)| [*k, *v]));
    let mut child = Command::new("secret-tool")
        .args(&args)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(secret.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
}

/// `kill -<signal> <pid>`.
fn signal(pid: u32, signal: &str) {
    assert!(Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status().unwrap().success());
}

#[test]
fn stores_reads_and_deletes_a_secret_in_the_real_keychain() {
    in_a_child_process("stores_reads_and_deletes_a_secret_in_the_real_keychain", |p| against_the_keychain_on(&p.bus));
}

fn against_the_keychain_on(bus: &str) {
    let store = KeyringStore::with_service("gatehouse-test");
    let id = SecretId {
        account: "111111111111".into(),
        user: "ana.silva".into(),
        kind: "secret-access-key".into(),
        key_id: "AKIAEXAMPLE123".into(),
    };
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    assert!(store.get(&id).unwrap().is_none());
    store.put(&id, &Sensitive::new(secret.to_string()), &Attributes::new()).unwrap();
    assert_eq!(lookup(bus, "gatehouse-test", &id.entry_name()).as_deref(), Some(secret), "secret-tool sees it");
    assert_eq!(store.get(&id).unwrap().unwrap().expose(), secret);

    assert!(store.delete(&id).unwrap());
    assert_eq!(lookup(bus, "gatehouse-test", &id.entry_name()), None, "secret-tool finds nothing");
    assert!(store.get(&id).unwrap().is_none());
    assert!(!store.delete(&id).unwrap());

    // And the other way round: an item secret-tool wrote is read by the store.
    let other = SecretId { key_id: "AKIAOTHER".into(), ..id.clone() };
    let mut child = Command::new("secret-tool")
        .args(["store", "--label=test", "service", "gatehouse-test", "username", &other.entry_name()])
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"from-secret-tool").unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(store.get(&other).unwrap().unwrap().expose(), "from-secret-tool");
    assert!(store.delete(&other).unwrap());

    // Pending handoffs live in the keychain too, and a new process (a restart) finds them.
    let pending = Handoff {
        account: "111111111111".into(),
        user: "ana.silva".into(),
        kind: SecretKind::ConsolePassword,
        key_id: "password".into(),
        sign_in_url: sign_in_url("111111111111"),
        created: String::new(),
        reset_required: true,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        Handoffs::new(KeyringStore::with_service("gatehouse-test"))
            .add(pending.clone(), &Sensitive::new("Tr0ub4dor&3-horse".into()))
            .await
            .unwrap();
        assert_eq!(
            lookup(bus, "gatehouse-test", &pending.secret_id().entry_name()).as_deref(),
            Some("Tr0ub4dor&3-horse"),
            "secret-tool sees the password"
        );
        let after_restart = Handoffs::new(KeyringStore::with_service("gatehouse-test"));
        assert_eq!(after_restart.list().await.unwrap().pending, std::slice::from_ref(&pending));
        after_restart.complete(&pending.id()).await.unwrap();
        assert_eq!(lookup(bus, "gatehouse-test", &pending.secret_id().entry_name()), None, "handed over: gone");
        assert!(after_restart.list().await.unwrap().pending.is_empty());
    });
    let everything = secret_tool(bus, &["search", "--all", "service", "gatehouse-test"]);
    assert!(
        String::from_utf8_lossy(&everything.stdout).trim().is_empty(),
        "nothing of Gatehouse's is left in the keychain"
    );
}

/// Must never happen: a ceiling on pending handoffs. Each is its own entry, its secret found
/// by secret-tool under its name and its details as the entry's attributes.
#[test]
fn each_handoff_is_its_own_entry_with_its_details_as_attributes() {
    in_a_child_process("each_handoff_is_its_own_entry_with_its_details_as_attributes", |p| {
        block_on(ten_handoffs(&p.bus))
    });
}

async fn ten_handoffs(bus: &str) {
    let handoffs = Handoffs::new(store());
    let mut filed = Vec::new();
    for i in 0..10 {
        let (kind, key_id) = match i % 3 {
            0 => (SecretKind::ConsolePassword, "password".to_string()),
            _ => (SecretKind::SecretAccessKey, format!("AKIATEST{i:012}")),
        };
        let s = format!("secret-{i}-wJalrXUtnFEMI/K7MDENG");
        filed.push((handoffs.add(handoff(&format!("user{i}"), kind, &key_id), &secret(&s)).await.unwrap(), s));
    }
    for (h, s) in &filed {
        let name = h.secret_id().entry_name();
        assert_eq!(lookup(bus, "gatehouse-test", &name).as_deref(), Some(s.as_str()), "secret-tool finds {name}");
        let found = search(bus, &[("service", "gatehouse-test"), ("user", &h.user)]);
        assert_eq!(found.items, 1, "{:?}", found.attributes);
        for expected in [
            "attribute.record = handoff".to_string(),
            format!("attribute.account = {}", h.account),
            format!("attribute.kind = {}", h.secret_id().kind),
            format!("attribute.key_id = {}", h.key_id),
            format!("attribute.sign_in_url = {}", h.sign_in_url),
            format!("attribute.created = {}", h.created),
            format!("attribute.reset_required = {}", h.reset_required),
        ] {
            assert!(found.attributes.contains(&expected), "{expected} in {:?}", found.attributes);
        }
    }
    let all = search(bus, &[("service", "gatehouse-test")]);
    assert_eq!(all.items, 10, "one entry per handoff");
    assert!(all.attributes.iter().all(|l| !l.contains("wJalr")), "no attribute holds a secret: {:?}", all.attributes);

    // A restart finds all ten, in the order they were filed.
    let restarted = Handoffs::new(store());
    let list = restarted.list().await.unwrap();
    assert_eq!(list.pending, filed.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>());
    assert!(list.damaged.is_empty() && list.unconfirmed.is_empty() && list.lost_keys.is_empty());
    for (h, s) in &filed {
        assert_eq!(restarted.reveal(&h.id()).await.unwrap().1.expose(), s);
        restarted.complete(&h.id()).await.unwrap();
    }
    assert_eq!(search(bus, &[("service", "gatehouse-test")]).items, 0, "nothing is left");
}

/// Must never happen: one unreadable entry blocking every handoff. It is set aside, named,
/// and left as it is; and an earlier Gatehouse's single index moves onto the entries.
#[test]
fn an_unreadable_entry_is_set_aside_and_an_old_index_is_migrated() {
    in_a_child_process("an_unreadable_entry_is_set_aside_and_an_old_index_is_migrated", |p| {
        block_on(set_aside_and_migrated(&p.bus))
    });
}

async fn set_aside_and_migrated(bus: &str) {
    let handoffs = Handoffs::new(store());
    let good = handoffs.add(handoff("ana", SecretKind::SecretAccessKey, "AKIAGOOD"), &secret("good")).await.unwrap();
    let broken = "111111111111/ana/secret-access-key/AKIABROKEN";
    secret_tool_store(
        bus,
        "kept",
        &[
            ("service", "gatehouse-test"),
            ("username", broken),
            ("record", "handoff"),
            ("account", "111111111111"),
            ("user", "ana"),
            ("kind", "bogus"),
            ("key_id", "AKIABROKEN"),
        ],
    );
    // What an earlier Gatehouse left: a bare secret, and the index that names it.
    let old = handoff("ben", SecretKind::ConsolePassword, "password");
    secret_tool_store(
        bus,
        "Old-P4ss",
        &[("service", "gatehouse-test"), ("username", &old.secret_id().entry_name()), ("target", "default")],
    );
    let index = serde_json::to_string(&[&old]).unwrap();
    secret_tool_store(
        bus,
        &index,
        &[("service", "gatehouse-test"), ("username", "gatehouse/pending-handoffs/index/v1")],
    );

    let list = handoffs.list().await.unwrap();
    assert_eq!(list.pending, [good.clone(), old.clone()]);
    assert_eq!(list.damaged.len(), 1, "{:?}", list.damaged);
    assert_eq!(list.damaged[0].entry, broken);
    assert!(
        list.damaged[0].reason.contains("its kind 'bogus' is no secret Gatehouse hands over"),
        "{:?}",
        list.damaged
    );
    assert_eq!(lookup(bus, "gatehouse-test", "gatehouse/pending-handoffs/index/v1"), None, "the index is gone");
    let migrated = search(bus, &[("service", "gatehouse-test"), ("user", "ben")]);
    assert_eq!(migrated.items, 1);
    assert!(migrated.attributes.contains(&"attribute.record = handoff".to_string()), "{:?}", migrated.attributes);
    assert_eq!(handoffs.reveal(&old.id()).await.unwrap().1.expose(), "Old-P4ss");
    assert_eq!(handoffs.reveal(&good.id()).await.unwrap().1.expose(), "good");
    assert_eq!(lookup(bus, "gatehouse-test", broken).as_deref(), Some("kept"), "set aside, not deleted");
}

/// A locked keychain: the list still shows (details are readable while locked), a secret
/// cannot be revealed, a change of password or a new key stops before AWS, and after an
/// unlock everything is there.
#[test]
fn a_locked_keychain_is_a_clear_error_and_loses_nothing() {
    in_a_child_process("a_locked_keychain_is_a_clear_error_and_loses_nothing", |p| block_on(locked(&p.bus)));
}

async fn locked(bus: &str) {
    let a = Account::new("730000000001").await;
    a.moto.boto3(
        "iam.create_user(UserName='ana'); iam.create_login_profile(UserName='ana', Password='Initial-P4ss-word!'); \
         print('{}')",
    );
    let handoffs = Handoffs::new(store());
    let key = handoffs.add(handoff("ana", SecretKind::SecretAccessKey, "AKIAKEPT"), &secret("kept-key")).await.unwrap();
    let pw = handoffs.add(handoff("ben", SecretKind::ConsolePassword, "password"), &secret("Kept-P4ss")).await.unwrap();

    keychain::lock(bus);
    assert_eq!(handoffs.list().await.unwrap().pending, [key.clone(), pw.clone()]);
    let err = handoffs.reveal(&key.id()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Keychain);
    assert!(err.to_string().contains("the keychain is locked"), "{err}");
    let err = console::set_console_password(&a.conn(), &handoffs, "ana", None, true, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Keychain, "{err}");
    assert_eq!(aws_password(&a.moto, "ana").as_deref(), Some("Initial-P4ss-word!"), "the old password still works");
    let err = access_keys::create_access_key(&a.conn(), &handoffs, "ana").await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Keychain, "{err}");
    let keys = a.moto.boto3("print(json.dumps(iam.list_access_keys(UserName='ana')['AccessKeyMetadata']))");
    assert_eq!(keys, json!([]), "no key was created");

    keychain::unlock(bus);
    let list = handoffs.list().await.unwrap();
    assert_eq!(list.pending, [key.clone(), pw.clone()]);
    assert!(list.unconfirmed.is_empty() && list.lost_keys.is_empty() && list.damaged.is_empty(), "{list:?}");
    assert_eq!(handoffs.reveal(&key.id()).await.unwrap().1.expose(), "kept-key");
    assert_eq!(handoffs.reveal(&pw.id()).await.unwrap().1.expose(), "Kept-P4ss");
}

/// Issue 20, item 2, as reproduced in the window: ana has a pending password, is renamed
/// ana.silva, a new ana is created and given a password. Both pending passwords stay in
/// the real keychain, each under its user; and with the rename made outside Gatehouse (the
/// console, the CLI), the first one is still kept, set aside rather than replaced.
#[test]
fn a_rename_never_loses_a_pending_password() {
    in_a_child_process("a_rename_never_loses_a_pending_password", |p| block_on(rename_keeps_secrets(&p.bus)));
}

async fn rename_keeps_secrets(bus: &str) {
    let a = Account::new("730000000002").await;
    a.moto.boto3("iam.create_user(UserName='ana'); iam.create_user(UserName='bo'); print('{}')");
    let handoffs = Handoffs::new(store());
    let conn = a.conn();
    let first = console::set_console_password(&conn, &handoffs, "ana", None, true, true).await.unwrap();
    let first_secret = handoffs.reveal(&first.id()).await.unwrap().1.expose().clone();

    let ana = Principal { kind: PrincipalKind::User, name: "ana".into() };
    principals::rename_with_handoffs(&conn, &handoffs, &ana, Some("ana.silva"), None).await.unwrap();
    a.moto.boto3("iam.create_user(UserName='ana'); print('{}')");
    let second = console::set_console_password(&conn, &handoffs, "ana", None, true, true).await.unwrap();

    let list = handoffs.list().await.unwrap();
    let pending: Vec<(&str, &str)> = list.pending.iter().map(|h| (h.user.as_str(), h.key_id.as_str())).collect();
    assert_eq!(pending, [("ana.silva", "password"), ("ana", "password")], "{list:?}");
    let silva = list.pending[0].clone();
    assert_eq!(handoffs.reveal(&silva.id()).await.unwrap().1.expose(), &first_secret, "ana.silva's password survives");
    assert_eq!(aws_password(&a.moto, "ana.silva").as_deref(), Some(first_secret.as_str()));
    let second_secret = handoffs.reveal(&second.id()).await.unwrap().1.expose().clone();
    assert_eq!(aws_password(&a.moto, "ana").as_deref(), Some(second_secret.as_str()));
    // As another program sees the keychain: ana.silva's entry is filed under her new name.
    assert_eq!(search(bus, &[("service", "gatehouse-test"), ("user", "ana.silva")]).items, 1);

    // Renamed outside Gatehouse: bo's entry stays under "bo"; a new bo's password does not
    // replace it.
    let bo = console::set_console_password(&conn, &handoffs, "bo", None, true, true).await.unwrap();
    let bo_secret = handoffs.reveal(&bo.id()).await.unwrap().1.expose().clone();
    let bo_p = Principal { kind: PrincipalKind::User, name: "bo".into() };
    principals::rename(&conn, &bo_p, Some("bo.rossi"), None).await.unwrap();
    a.moto.boto3("iam.create_user(UserName='bo'); print('{}')");
    console::set_console_password(&conn, &handoffs, "bo", None, true, true).await.unwrap();
    let list = handoffs.list().await.unwrap();
    let bos: Vec<&Handoff> = list.pending.iter().filter(|h| h.user == "bo").collect();
    assert_eq!(bos.len(), 2, "{list:?}");
    let mut kept = Vec::new();
    for h in bos {
        kept.push(handoffs.reveal(&h.id()).await.unwrap().1.expose().clone());
    }
    assert!(kept.contains(&bo_secret), "the first bo's password is still in the keychain");
}

/// Must never happen: a frozen window. A keychain daemon that stops answering is an error
/// within the time limit, and a dead one at once.
#[test]
fn a_keychain_that_stops_answering_is_an_error_not_a_hang() {
    in_a_child_process("a_keychain_that_stops_answering_is_an_error_not_a_hang", |p| {
        block_on(unavailable(p.keyring_pid))
    });
}

async fn unavailable(keyring_pid: u32) {
    let handoffs = Handoffs::new(store()).with_timeout(Duration::from_secs(1));
    let key = handoffs.add(handoff("ana", SecretKind::SecretAccessKey, "AKIA1"), &secret("s3cr3t")).await.unwrap();

    signal(keyring_pid, "STOP");
    let started = Instant::now();
    let err = handoffs.list().await.unwrap_err();
    let reveal = handoffs.reveal(&key.id()).await.unwrap_err();
    let waited = started.elapsed();
    signal(keyring_pid, "CONT");
    assert!(waited < Duration::from_millis(2800), "two calls gave up after {waited:?}");
    for e in [&err, &reveal] {
        assert_eq!(
            e.to_string(),
            "The OS keychain failed: the keychain did not answer within 1 s; it may be waiting for you to unlock it"
        );
    }
    assert_eq!(handoffs.list().await.unwrap().pending, std::slice::from_ref(&key), "answering again: all there");

    signal(keyring_pid, "KILL");
    let started = Instant::now();
    let err = Handoffs::new(store()).list().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(err.code(), ErrorCode::Keychain);
    assert!(err.to_string().contains("no keychain is running"), "{err}");
}
