//! Where generated secrets wait for their one-time handoff: the OS keychain, behind a small
//! trait so that unit tests can use memory instead; and the handoffs that wait there.

pub mod handoff;

use crate::error::{Error, Result};
use crate::sensitive::Sensitive;
use std::collections::HashMap;
use std::sync::Mutex;

/// The keychain service name every Gatehouse entry is filed under.
pub const SERVICE: &str = "gatehouse";

/// Names one secret: which account, which IAM user, what kind, which key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretId {
    pub account: String,
    pub user: String,
    pub kind: String,
    pub key_id: String,
}

impl SecretId {
    /// The entry's user name in the keychain; readable in any keychain browser.
    pub fn entry_name(&self) -> String {
        format!("{}/{}/{}/{}", self.account, self.user, self.kind, self.key_id)
    }
}

pub trait SecretStore: Send + Sync {
    fn put(&self, id: &SecretId, secret: &Sensitive<String>) -> Result<()>;
    fn get(&self, id: &SecretId) -> Result<Option<Sensitive<String>>>;
    /// Returns whether there was something to delete.
    fn delete(&self, id: &SecretId) -> Result<bool>;
}

impl<T: SecretStore + ?Sized> SecretStore for std::sync::Arc<T> {
    fn put(&self, id: &SecretId, secret: &Sensitive<String>) -> Result<()> {
        (**self).put(id, secret)
    }
    fn get(&self, id: &SecretId) -> Result<Option<Sensitive<String>>> {
        (**self).get(id)
    }
    fn delete(&self, id: &SecretId) -> Result<bool> {
        (**self).delete(id)
    }
}

/// The OS keychain: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new() -> Self {
        Self::with_service(SERVICE)
    }

    pub fn with_service(service: &str) -> Self {
        KeyringStore { service: service.to_string() }
    }

    fn entry(&self, id: &SecretId) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &id.entry_name()).map_err(keychain_error)
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

fn keychain_error(e: keyring::Error) -> Error {
    Error::Keychain(e.to_string())
}

impl SecretStore for KeyringStore {
    fn put(&self, id: &SecretId, secret: &Sensitive<String>) -> Result<()> {
        self.entry(id)?.set_password(secret.expose()).map_err(keychain_error)
    }

    fn get(&self, id: &SecretId) -> Result<Option<Sensitive<String>>> {
        match self.entry(id)?.get_password() {
            Ok(s) => Ok(Some(Sensitive::new(s))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn delete(&self, id: &SecretId) -> Result<bool> {
        match self.entry(id)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// For unit tests: the same contract, held in memory.
#[derive(Default)]
pub struct MemoryStore {
    items: Mutex<HashMap<SecretId, String>>,
}

impl SecretStore for MemoryStore {
    fn put(&self, id: &SecretId, secret: &Sensitive<String>) -> Result<()> {
        self.items.lock().unwrap().insert(id.clone(), secret.expose().clone());
        Ok(())
    }

    fn get(&self, id: &SecretId) -> Result<Option<Sensitive<String>>> {
        Ok(self.items.lock().unwrap().get(id).cloned().map(Sensitive::new))
    }

    fn delete(&self, id: &SecretId) -> Result<bool> {
        Ok(self.items.lock().unwrap().remove(id).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_keeps_the_contract() {
        let store = MemoryStore::default();
        let id =
            SecretId { account: "111".into(), user: "ana".into(), kind: "access-key".into(), key_id: "AKIA1".into() };
        assert!(store.get(&id).unwrap().is_none());
        store.put(&id, &Sensitive::new("s3cret".to_string())).unwrap();
        assert_eq!(store.get(&id).unwrap().unwrap().expose(), "s3cret");
        assert!(store.delete(&id).unwrap());
        assert!(!store.delete(&id).unwrap());
        assert!(store.get(&id).unwrap().is_none());
        assert_eq!(id.entry_name(), "111/ana/access-key/AKIA1");
    }
}
