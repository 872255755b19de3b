//! Where generated secrets wait for their one-time handoff: the OS keychain, behind a small
//! trait so that unit tests can use memory instead; and the handoffs that wait there.
//!
//! Each secret is one keychain entry, and what Gatehouse knows about it (whose it is, where
//! to sign in, …) is filed as that entry's attributes, never in a shared list: no entry can
//! grow past a platform's size limit, and one unreadable entry spoils nothing but itself.

pub mod handoff;
pub mod keychain;

use crate::error::{Error, Result};
use crate::sensitive::Sensitive;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

/// The keychain service name every Gatehouse entry is filed under.
pub const SERVICE: &str = "gatehouse";

/// Names one secret: which account, which IAM user, what kind, which key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

    /// The id an entry name stands for. IAM user names, account ids, kinds and key ids
    /// have no `/`, so the four parts are unambiguous.
    pub fn from_entry_name(name: &str) -> Option<SecretId> {
        let parts: Vec<&str> = name.split('/').collect();
        match parts[..] {
            [account, user, kind, key_id] if parts.iter().all(|p| !p.is_empty()) => {
                Some(SecretId { account: account.into(), user: user.into(), kind: kind.into(), key_id: key_id.into() })
            }
            _ => None,
        }
    }
}

/// What is filed next to a secret: readable without unlocking it, so never secret itself.
pub type Attributes = BTreeMap<String, String>;

/// One entry of the store, as a listing finds it: its name and attributes, not its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub attributes: Attributes,
}

/// The calls are blocking (the keychain is a D-Bus service, a system framework or a system
/// call away); async code reaches them through [`handoff::Handoffs`], which runs them off
/// the async runtime with a time limit.
pub trait SecretStore: Send + Sync {
    /// Files `secret` under `id` with `attributes`, replacing whatever `id` held.
    fn put(&self, id: &SecretId, secret: &Sensitive<String>, attributes: &Attributes) -> Result<()>;
    fn get(&self, id: &SecretId) -> Result<Option<Sensitive<String>>>;
    /// The attributes of `id`, read without its secret; none if there is no such entry.
    fn attributes(&self, id: &SecretId) -> Result<Option<Attributes>>;
    /// Gives the entry `id` the name `to` (which may be `id`) and these attributes, keeping
    /// its secret. Returns whether there was such an entry.
    fn update(&self, id: &SecretId, to: &SecretId, attributes: &Attributes) -> Result<bool>;
    /// Returns whether there was something to delete.
    fn delete(&self, id: &SecretId) -> Result<bool>;
    /// Every entry of this store's service.
    fn list(&self) -> Result<Vec<Listed>>;
}

impl<T: SecretStore + ?Sized> SecretStore for std::sync::Arc<T> {
    fn put(&self, id: &SecretId, secret: &Sensitive<String>, attributes: &Attributes) -> Result<()> {
        (**self).put(id, secret, attributes)
    }
    fn get(&self, id: &SecretId) -> Result<Option<Sensitive<String>>> {
        (**self).get(id)
    }
    fn attributes(&self, id: &SecretId) -> Result<Option<Attributes>> {
        (**self).attributes(id)
    }
    fn update(&self, id: &SecretId, to: &SecretId, attributes: &Attributes) -> Result<bool> {
        (**self).update(id, to, attributes)
    }
    fn delete(&self, id: &SecretId) -> Result<bool> {
        (**self).delete(id)
    }
    fn list(&self) -> Result<Vec<Listed>> {
        (**self).list()
    }
}

/// A store operation, to make a [`MemoryStore`] refuse it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Put,
    Get,
    Attributes,
    Update,
    Delete,
    List,
}

/// For tests: the same contract, held in memory, and able to misbehave as keychains do
/// (refuse an operation, answer slowly, refuse large secrets).
#[derive(Default)]
pub struct MemoryStore {
    items: Mutex<BTreeMap<String, (String, Attributes)>>,
    /// How many more calls of each operation succeed before it is refused.
    refused: Mutex<HashMap<Op, usize>>,
    delay: Mutex<Duration>,
    max_secret_bytes: Mutex<Option<usize>>,
}

impl MemoryStore {
    /// From now on `op` fails as it does on a locked keychain.
    pub fn refuse(&self, op: Op) {
        self.refuse_after(op, 0);
    }

    /// `op` succeeds `calls` more times, then fails as on a locked keychain.
    pub fn refuse_after(&self, op: Op, calls: usize) {
        self.refused.lock().unwrap().insert(op, calls);
    }

    pub fn allow(&self, op: Op) {
        self.refused.lock().unwrap().remove(&op);
    }

    /// Every call takes `delay` longer, as when the keychain waits for an unlock prompt.
    pub fn set_delay(&self, delay: Duration) {
        *self.delay.lock().unwrap() = delay;
    }

    /// Refuses secrets longer than `bytes`, as Windows' Credential Manager does (2,560).
    pub fn limit_secret_size(&self, bytes: usize) {
        *self.max_secret_bytes.lock().unwrap() = Some(bytes);
    }

    fn enter(&self, op: Op) -> Result<()> {
        let delay = *self.delay.lock().unwrap();
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        match self.refused.lock().unwrap().get_mut(&op) {
            Some(0) => Err(Error::Keychain(format!("the keychain is locked ({op:?} refused)"))),
            Some(left) => {
                *left -= 1;
                Ok(())
            }
            None => Ok(()),
        }
    }
}

impl SecretStore for MemoryStore {
    fn put(&self, id: &SecretId, secret: &Sensitive<String>, attributes: &Attributes) -> Result<()> {
        self.enter(Op::Put)?;
        if let Some(max) = *self.max_secret_bytes.lock().unwrap() {
            if secret.expose().len() > max {
                return Err(Error::Keychain(format!("a secret of more than {max} bytes cannot be stored")));
            }
        }
        self.items.lock().unwrap().insert(id.entry_name(), (secret.expose().clone(), attributes.clone()));
        Ok(())
    }

    fn get(&self, id: &SecretId) -> Result<Option<Sensitive<String>>> {
        self.enter(Op::Get)?;
        Ok(self.items.lock().unwrap().get(&id.entry_name()).map(|(s, _)| Sensitive::new(s.clone())))
    }

    fn attributes(&self, id: &SecretId) -> Result<Option<Attributes>> {
        self.enter(Op::Attributes)?;
        Ok(self.items.lock().unwrap().get(&id.entry_name()).map(|(_, a)| a.clone()))
    }

    fn update(&self, id: &SecretId, to: &SecretId, attributes: &Attributes) -> Result<bool> {
        self.enter(Op::Update)?;
        let mut items = self.items.lock().unwrap();
        let Some((secret, _)) = items.remove(&id.entry_name()) else { return Ok(false) };
        items.insert(to.entry_name(), (secret, attributes.clone()));
        Ok(true)
    }

    fn delete(&self, id: &SecretId) -> Result<bool> {
        self.enter(Op::Delete)?;
        Ok(self.items.lock().unwrap().remove(&id.entry_name()).is_some())
    }

    fn list(&self) -> Result<Vec<Listed>> {
        self.enter(Op::List)?;
        let items = self.items.lock().unwrap();
        Ok(items
            .iter()
            .map(|(name, (_, attributes))| Listed { name: name.clone(), attributes: attributes.clone() })
            .collect())
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
        let attributes = Attributes::from([("user".to_string(), "ana".to_string())]);
        store.put(&id, &Sensitive::new("s3cret".to_string()), &attributes).unwrap();
        assert_eq!(store.get(&id).unwrap().unwrap().expose(), "s3cret");
        assert_eq!(store.attributes(&id).unwrap(), Some(attributes.clone()));
        assert_eq!(store.list().unwrap(), [Listed { name: id.entry_name(), attributes }]);

        let moved = SecretId { key_id: "AKIA2".into(), ..id.clone() };
        let relabelled = Attributes::from([("user".to_string(), "ana.silva".to_string())]);
        assert!(store.update(&id, &moved, &relabelled).unwrap());
        assert!(store.get(&id).unwrap().is_none());
        assert_eq!(store.get(&moved).unwrap().unwrap().expose(), "s3cret", "the secret moves with its entry");
        assert_eq!(store.attributes(&moved).unwrap(), Some(relabelled));
        assert!(!store.update(&id, &moved, &Attributes::new()).unwrap());

        assert!(store.delete(&moved).unwrap());
        assert!(!store.delete(&moved).unwrap());
        assert!(store.get(&moved).unwrap().is_none());
        assert!(store.list().unwrap().is_empty());
        assert_eq!(id.entry_name(), "111/ana/access-key/AKIA1");
        assert_eq!(SecretId::from_entry_name("111/ana/access-key/AKIA1"), Some(id));
        assert_eq!(SecretId::from_entry_name("111/ana/access-key"), None);
        assert_eq!(SecretId::from_entry_name("111//access-key/AKIA1"), None);
    }

    #[test]
    fn memory_store_misbehaves_on_request() {
        let store = MemoryStore::default();
        let id = SecretId { account: "1".into(), user: "u".into(), kind: "k".into(), key_id: "i".into() };
        store.refuse(Op::Put);
        let err = store.put(&id, &Sensitive::new("s".into()), &Attributes::new()).unwrap_err();
        assert_eq!(err.code(), crate::error::ErrorCode::Keychain);
        store.allow(Op::Put);
        store.refuse_after(Op::Get, 1);
        assert!(store.get(&id).is_ok());
        assert!(store.get(&id).is_err(), "refused from the second call on");
        store.limit_secret_size(3);
        assert!(store.put(&id, &Sensitive::new("four".into()), &Attributes::new()).is_err());
        store.put(&id, &Sensitive::new("abc".into()), &Attributes::new()).unwrap();
    }
}
