//! The keychain implementation against a real gnome-keyring (Secret Service) on a private
//! D-Bus, checked with an independent client, secret-tool. One test in this binary: it
//! points the process's D-Bus address at the private bus.

use gatehouse_core::secrets::handoff::{sign_in_url, Handoff, Handoffs, SecretKind};
use gatehouse_core::secrets::{KeyringStore, SecretId, SecretStore};
use gatehouse_core::sensitive::Sensitive;
use gatehouse_testkit::Keychain;

#[test]
fn stores_reads_and_deletes_a_secret_in_the_real_keychain() {
    let kc = Keychain::start();
    kc.use_in_this_process();
    let store = KeyringStore::with_service("gatehouse-test");
    let id = SecretId {
        account: "111111111111".into(),
        user: "ana.silva".into(),
        kind: "secret-access-key".into(),
        key_id: "AKIAEXAMPLE123".into(),
    };
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    assert!(store.get(&id).unwrap().is_none());
    store.put(&id, &Sensitive::new(secret.to_string())).unwrap();
    assert_eq!(kc.lookup("gatehouse-test", &id.entry_name()).as_deref(), Some(secret), "secret-tool sees it");
    assert_eq!(store.get(&id).unwrap().unwrap().expose(), secret);

    assert!(store.delete(&id).unwrap());
    assert_eq!(kc.lookup("gatehouse-test", &id.entry_name()), None, "secret-tool finds nothing");
    assert!(store.get(&id).unwrap().is_none());
    assert!(!store.delete(&id).unwrap());

    // And the other way round: an item secret-tool wrote is read by the store.
    let other = SecretId { key_id: "AKIAOTHER".into(), ..id.clone() };
    let mut child = std::process::Command::new("secret-tool")
        .args(["store", "--label=test", "service", "gatehouse-test", "username", &other.entry_name()])
        .env("DBUS_SESSION_BUS_ADDRESS", &kc.bus_address)
        .stdin(std::process::Stdio::piped())
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
    Handoffs::new(KeyringStore::with_service("gatehouse-test"))
        .add(pending.clone(), &Sensitive::new("Tr0ub4dor&3-horse".into()))
        .unwrap();
    assert_eq!(
        kc.lookup("gatehouse-test", &pending.secret_id().entry_name()).as_deref(),
        Some("Tr0ub4dor&3-horse"),
        "secret-tool sees the password"
    );
    let after_restart = Handoffs::new(KeyringStore::with_service("gatehouse-test"));
    assert_eq!(after_restart.pending().unwrap(), std::slice::from_ref(&pending));
    after_restart.complete(&pending).unwrap();
    assert_eq!(kc.lookup("gatehouse-test", &pending.secret_id().entry_name()), None, "handed over: gone");
    assert!(after_restart.pending().unwrap().is_empty());
    let everything = kc.secret_tool(&["search", "--all", "service", "gatehouse-test"]);
    assert!(
        String::from_utf8_lossy(&everything.stdout).trim().is_empty(),
        "nothing of Gatehouse's is left in the keychain"
    );
}
