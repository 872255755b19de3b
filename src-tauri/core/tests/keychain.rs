//! The keychain implementation against a real gnome-keyring (Secret Service) on a private
//! D-Bus, checked with an independent client, secret-tool. One test in this binary: it
//! points the process's D-Bus address at the private bus.

use gatehouse_core::secrets::{KeyringStore, SecretId, SecretStore};
use gatehouse_core::Sensitive;
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
}
