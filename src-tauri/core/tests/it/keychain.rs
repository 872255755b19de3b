//! The keychain implementation against a real gnome-keyring (Secret Service) on a private
//! D-Bus, checked with an independent client, secret-tool.
//!
//! The keyring crate finds the Secret Service through the process's
//! `DBUS_SESSION_BUS_ADDRESS` and takes no bus address per call. Setting that variable here
//! would race with the other tests of this binary, which read the environment from other
//! threads (libdbus and libc read it without Rust's lock). So the test starts the keychain,
//! then runs itself again in a child process of this binary, filtered to this one test,
//! with the private bus in the child's environment from its first instruction.

use gatehouse_core::secrets::handoff::{sign_in_url, Handoff, Handoffs, SecretKind};
use gatehouse_core::secrets::keychain::KeyringStore;
use gatehouse_core::secrets::{Attributes, SecretId, SecretStore};
use gatehouse_core::sensitive::Sensitive;
use gatehouse_testkit::Keychain;
use std::process::{Command, Output, Stdio};

/// Set in the child's environment only: the private bus it must use.
const CHILD_BUS: &str = "GATEHOUSE_TEST_KEYCHAIN_BUS";
const NAME: &str = "stores_reads_and_deletes_a_secret_in_the_real_keychain";

#[test]
fn stores_reads_and_deletes_a_secret_in_the_real_keychain() {
    match std::env::var(CHILD_BUS) {
        Ok(bus) => against_the_keychain_on(&bus),
        Err(_) => in_a_child_process(),
    }
}

fn in_a_child_process() {
    let kc = Keychain::start();
    // module_path!() is "it::keychain"; libtest names tests without the crate.
    let module = module_path!().split_once("::").map_or(module_path!(), |(_, m)| m);
    let out = Command::new(std::env::current_exe().unwrap())
        .args([&format!("{module}::{NAME}"), "--exact", "--nocapture", "--test-threads=1"])
        .envs(kc.env())
        .env(CHILD_BUS, &kc.bus_address)
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the keychain test failed in its child process:\n{stdout}\n{stderr}");
    // A filter that matches nothing also succeeds: make sure the body really ran.
    assert!(stdout.contains("1 passed"), "the child process did not run the test:\n{stdout}\n{stderr}");
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

fn against_the_keychain_on(bus: &str) {
    assert_eq!(
        std::env::var("DBUS_SESSION_BUS_ADDRESS").as_deref(),
        Ok(bus),
        "never the user's own keychain: the store must reach the private bus"
    );
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
