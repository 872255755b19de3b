//! The OS keychain as a [`SecretStore`].
//!
//! On Linux Gatehouse speaks to the Secret Service itself (dbus-secret-service, the library
//! under the keyring crate) rather than through the keyring crate, for two reasons: every
//! call gets a connection whose unlock prompt is bounded (the keyring crate's waits up to a
//! year), and an entry is created together with its attributes in one call (through the
//! keyring crate it would take two writes, and a crash between them would leave a secret
//! nobody can place). Entries keep the keyring crate's layout (`service`, `username`,
//! `target`), so entries written by earlier versions are found and vice versa.
//!
//! On macOS and Windows the keyring crate files the secret, and the attributes go into a
//! second entry next to it; listing the entries of a service is not implemented there yet.

use crate::error::{Error, Result};
use crate::secrets::{Attributes, Listed, SecretId, SecretStore, SERVICE};
use crate::sensitive::Sensitive;
use std::time::Duration;

/// How long an unlock prompt may stay unanswered before the call gives up: shorter than
/// the handoffs' own time limit, so that a call the app gave up on ends soon after.
pub const PROMPT_TIMEOUT: Duration = Duration::from_secs(15);

/// The OS keychain: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
pub struct KeyringStore {
    service: String,
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    prompt_timeout: Duration,
}

impl KeyringStore {
    pub fn new() -> Self {
        Self::with_service(SERVICE)
    }

    pub fn with_service(service: &str) -> Self {
        KeyringStore { service: service.to_string(), prompt_timeout: PROMPT_TIMEOUT }
    }

    pub fn with_prompt_timeout(mut self, timeout: Duration) -> Self {
        self.prompt_timeout = timeout;
        self
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(target_os = "linux")]
mod secret_service {
    use super::*;
    use dbus_secret_service::{EncryptionType, Error as SsError, Item, SecretService};
    use std::collections::HashMap;

    /// The attributes that say which entry this is, as the keyring crate writes them.
    const IDENTITY: [&str; 4] = ["service", "username", "target", "application"];

    pub(super) fn error(e: SsError) -> Error {
        Error::Keychain(match e {
            SsError::Locked => "the keychain is locked: unlock it and try again".into(),
            SsError::Prompt => {
                "the keychain is locked and was not unlocked (the unlock prompt was dismissed or not answered): \
                 unlock it and try again"
                    .into()
            }
            SsError::Unavailable => "no keychain is running (no Secret Service on the session bus)".into(),
            SsError::NoResult => "the keychain has no collection to keep secrets in".into(),
            SsError::Dbus(e) => match e.name() {
                Some("org.freedesktop.DBus.Error.ServiceUnknown" | "org.freedesktop.DBus.Error.NameHasNoOwner") => {
                    format!("no keychain is running ({})", e.message().unwrap_or_default())
                }
                Some("org.freedesktop.DBus.Error.NoReply" | "org.freedesktop.DBus.Error.Timeout") => {
                    format!("the keychain did not answer ({})", e.message().unwrap_or_default())
                }
                _ => format!("D-Bus: {e}"),
            },
            other => other.to_string(),
        })
    }

    impl KeyringStore {
        fn connect(&self) -> Result<SecretService> {
            // Zero would refuse every prompt outright; a locked keychain should still ask.
            let seconds = self.prompt_timeout.as_secs().max(1);
            SecretService::connect_with_max_prompt_timeout(EncryptionType::Dh, seconds).map_err(error)
        }

        fn identity<'a>(&'a self, name: &'a str) -> HashMap<&'a str, &'a str> {
            HashMap::from([
                ("service", self.service.as_str()),
                ("username", name),
                ("target", "default"),
                ("application", "gatehouse"),
            ])
        }

        /// Every item named `name`: normally one, or none.
        fn items<'s>(&self, ss: &'s SecretService, name: &str) -> Result<Vec<Item<'s>>> {
            let search = HashMap::from([("service", self.service.as_str()), ("username", name)]);
            let found = ss.search_items(search).map_err(error)?;
            Ok(found.unlocked.into_iter().chain(found.locked).collect())
        }

        fn item<'s>(&self, ss: &'s SecretService, name: &str) -> Result<Option<Item<'s>>> {
            let mut items = self.items(ss, name)?;
            match items.len() {
                0 | 1 => Ok(items.pop()),
                n => Err(Error::Keychain(format!(
                    "{n} keychain entries are named {} / {name}; Gatehouse expects one: remove the others",
                    self.service
                ))),
            }
        }

        fn all_attributes<'a>(&'a self, name: &'a str, attributes: &'a Attributes) -> HashMap<&'a str, &'a str> {
            let mut all = self.identity(name);
            all.extend(
                attributes
                    .iter()
                    .filter(|(k, _)| !IDENTITY.contains(&k.as_str()))
                    .map(|(k, v)| (k.as_str(), v.as_str())),
            );
            all
        }

        fn label(&self, name: &str) -> String {
            format!("{} {name}", self.service)
        }
    }

    fn unlocked(item: &Item<'_>) -> Result<()> {
        if item.is_locked().map_err(error)? {
            item.unlock().map_err(error)?;
        }
        Ok(())
    }

    /// What Gatehouse filed, without the attributes that only say which entry it is.
    fn own(mut attributes: HashMap<String, String>) -> Attributes {
        for k in IDENTITY.iter().chain(&["xdg:schema"]) {
            attributes.remove(*k);
        }
        attributes.into_iter().collect()
    }

    impl SecretStore for KeyringStore {
        fn put(&self, id: &SecretId, secret: &Sensitive<String>, attributes: &Attributes) -> Result<()> {
            let ss = self.connect()?;
            let name = id.entry_name();
            let all = self.all_attributes(&name, attributes);
            if let Some(item) = self.item(&ss, &name)? {
                unlocked(&item)?;
                item.set_secret(secret.expose().as_bytes(), "text/plain").map_err(error)?;
                return item.set_attributes(all).map_err(error);
            }
            let collection = ss.get_default_collection().or_else(|_| ss.get_any_collection()).map_err(error)?;
            if collection.is_locked().map_err(error)? {
                collection.unlock().map_err(error)?;
            }
            collection
                .create_item(&self.label(&name), all, secret.expose().as_bytes(), true, "text/plain")
                .map_err(error)?;
            Ok(())
        }

        fn get(&self, id: &SecretId) -> Result<Option<Sensitive<String>>> {
            let ss = self.connect()?;
            let Some(item) = self.item(&ss, &id.entry_name())? else { return Ok(None) };
            unlocked(&item)?;
            let bytes = Sensitive::new(item.get_secret().map_err(error)?);
            match std::str::from_utf8(bytes.expose()) {
                Ok(text) => Ok(Some(Sensitive::new(text.to_string()))),
                Err(_) => Err(Error::Keychain(format!("the secret of {} is not text", id.entry_name()))),
            }
        }

        fn attributes(&self, id: &SecretId) -> Result<Option<Attributes>> {
            let ss = self.connect()?;
            let Some(item) = self.item(&ss, &id.entry_name())? else { return Ok(None) };
            Ok(Some(own(item.get_attributes().map_err(error)?)))
        }

        fn update(&self, id: &SecretId, to: &SecretId, attributes: &Attributes) -> Result<bool> {
            let ss = self.connect()?;
            let Some(item) = self.item(&ss, &id.entry_name())? else { return Ok(false) };
            unlocked(&item)?;
            let name = to.entry_name();
            item.set_attributes(self.all_attributes(&name, attributes)).map_err(error)?;
            if to != id {
                item.set_label(&self.label(&name)).map_err(error)?;
            }
            Ok(true)
        }

        fn delete(&self, id: &SecretId) -> Result<bool> {
            let ss = self.connect()?;
            let items = self.items(&ss, &id.entry_name())?;
            for item in &items {
                item.delete().map_err(error)?;
            }
            Ok(!items.is_empty())
        }

        fn list(&self) -> Result<Vec<Listed>> {
            let ss = self.connect()?;
            let found = ss.search_items(HashMap::from([("service", self.service.as_str())])).map_err(error)?;
            // Attributes can be read while the keychain is locked: listing never prompts.
            found
                .unlocked
                .iter()
                .chain(&found.locked)
                .map(|item| {
                    let mut attributes = item.get_attributes().map_err(error)?;
                    // Another program's item may lack a name; its label still lets the user find it.
                    let name = match attributes.remove("username") {
                        Some(name) => name,
                        None => format!("(unnamed: {})", item.get_label().map_err(error)?),
                    };
                    Ok(Listed { name, attributes: own(attributes) })
                })
                .collect()
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod portable {
    use super::*;

    fn error(e: keyring::Error) -> Error {
        Error::Keychain(e.to_string())
    }

    impl KeyringStore {
        fn entry(&self, name: &str) -> Result<keyring::Entry> {
            keyring::Entry::new(&self.service, name).map_err(error)
        }

        /// The entry next to `name` holding its attributes, as JSON (neither macOS' nor
        /// Windows' store has free-form attributes).
        fn details(&self, name: &str) -> Result<keyring::Entry> {
            self.entry(&format!("{name}#details"))
        }

        fn read(entry: &keyring::Entry) -> Result<Option<String>> {
            match entry.get_password() {
                Ok(s) => Ok(Some(s)),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(error(e)),
            }
        }

        fn remove(entry: &keyring::Entry) -> Result<bool> {
            match entry.delete_credential() {
                Ok(()) => Ok(true),
                Err(keyring::Error::NoEntry) => Ok(false),
                Err(e) => Err(error(e)),
            }
        }

        fn write_details(&self, name: &str, attributes: &Attributes) -> Result<()> {
            let json = serde_json::to_string(attributes).map_err(|e| Error::Internal(e.to_string()))?;
            self.details(name)?.set_password(&json).map_err(error)
        }
    }

    impl SecretStore for KeyringStore {
        fn put(&self, id: &SecretId, secret: &Sensitive<String>, attributes: &Attributes) -> Result<()> {
            let name = id.entry_name();
            self.entry(&name)?.set_password(secret.expose()).map_err(error)?;
            self.write_details(&name, attributes)
        }

        fn get(&self, id: &SecretId) -> Result<Option<Sensitive<String>>> {
            Ok(Self::read(&self.entry(&id.entry_name())?)?.map(Sensitive::new))
        }

        fn attributes(&self, id: &SecretId) -> Result<Option<Attributes>> {
            let name = id.entry_name();
            if Self::read(&self.entry(&name)?)?.map(Sensitive::new).is_none() {
                return Ok(None);
            }
            match Self::read(&self.details(&name)?)? {
                None => Ok(Some(Attributes::new())),
                Some(json) => serde_json::from_str(&json)
                    .map(Some)
                    .map_err(|e| Error::Keychain(format!("the details of {name} are unreadable: {e}"))),
            }
        }

        fn update(&self, id: &SecretId, to: &SecretId, attributes: &Attributes) -> Result<bool> {
            let Some(secret) = self.get(id)? else { return Ok(false) };
            if to != id {
                self.put(to, &secret, attributes)?;
                self.delete(id)?;
            } else {
                self.write_details(&id.entry_name(), attributes)?;
            }
            Ok(true)
        }

        fn delete(&self, id: &SecretId) -> Result<bool> {
            let name = id.entry_name();
            let existed = Self::remove(&self.entry(&name)?)?;
            Self::remove(&self.details(&name)?)?;
            Ok(existed)
        }

        fn list(&self) -> Result<Vec<Listed>> {
            Err(Error::Keychain("listing pending handoffs is not supported on this platform yet".into()))
        }
    }
}
