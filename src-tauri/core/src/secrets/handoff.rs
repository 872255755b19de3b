//! One-time credential handoff. A generated secret goes into the OS keychain before anyone
//! sees it; the handoff then lists what is pending, reveals a secret only on request, and
//! "handed over" deletes it. The list of pending handoffs is itself a keychain entry (it
//! holds no secret), so it survives a restart with nothing on disk.

use crate::error::{Error, Result};
use crate::secrets::{SecretId, SecretStore};
use crate::sensitive::Sensitive;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum SecretKind {
    SecretAccessKey,
    ConsolePassword,
}

impl SecretKind {
    fn slug(self) -> &'static str {
        match self {
            SecretKind::SecretAccessKey => "secret-access-key",
            SecretKind::ConsolePassword => "console-password",
        }
    }
}

/// A pending handoff: who, what, where to sign in. Never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Handoff {
    pub account: String,
    pub user: String,
    pub kind: SecretKind,
    /// The access key id, or "password" for a console password.
    pub key_id: String,
    pub sign_in_url: String,
    pub created: String,
    pub reset_required: bool,
}

impl Handoff {
    pub fn secret_id(&self) -> SecretId {
        SecretId {
            account: self.account.clone(),
            user: self.user.clone(),
            kind: self.kind.slug().into(),
            key_id: self.key_id.clone(),
        }
    }
}

/// `https://<alias or account id>.signin.aws.amazon.com/console`
pub fn sign_in_url(alias_or_account: &str) -> String {
    format!("https://{alias_or_account}.signin.aws.amazon.com/console")
}

/// The file the AWS console offers: `<user>_credentials.csv` for a password,
/// `<user>_accessKeys.csv` for an access key. Returns (file name, content).
pub fn console_csv(h: &Handoff, secret: &Sensitive<String>) -> Result<(String, Sensitive<String>)> {
    let (name, records): (String, [Vec<&str>; 2]) = match h.kind {
        SecretKind::ConsolePassword => (
            format!("{}_credentials.csv", h.user),
            [vec!["User name", "Password", "Console sign-in URL"], vec![&h.user, secret.expose(), &h.sign_in_url]],
        ),
        SecretKind::SecretAccessKey => (
            format!("{}_accessKeys.csv", h.user),
            [vec!["Access key ID", "Secret access key"], vec![&h.key_id, secret.expose()]],
        ),
    };
    let csv_error = |e: csv::Error| Error::Internal(format!("CSV: {e}"));
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    for r in &records {
        w.write_record(r).map_err(csv_error)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Internal(format!("CSV: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))?;
    Ok((name, Sensitive::new(text)))
}

/// Writes the console-style CSV to `path`, readable by its owner only.
pub fn save_csv(path: &std::path::Path, h: &Handoff, secret: &Sensitive<String>) -> Result<()> {
    use std::io::Write;
    let (_, csv) = console_csv(h, secret)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut f| f.write_all(csv.expose().as_bytes()))
        .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))
}

/// The handoffs in the keychain, behind the secret-store trait.
pub struct Handoffs<S: SecretStore> {
    store: S,
    /// Read-modify-write of the index is serialised within this process.
    index_lock: Mutex<()>,
}

fn index_id() -> SecretId {
    SecretId { account: "gatehouse".into(), user: "pending-handoffs".into(), kind: "index".into(), key_id: "v1".into() }
}

impl<S: SecretStore> Handoffs<S> {
    pub fn new(store: S) -> Self {
        Handoffs { store, index_lock: Mutex::new(()) }
    }

    pub fn pending(&self) -> Result<Vec<Handoff>> {
        let Some(raw) = self.store.get(&index_id())? else { return Ok(Vec::new()) };
        serde_json::from_str(raw.expose())
            .map_err(|e| Error::Keychain(format!("the list of pending handoffs is unreadable: {e}")))
    }

    fn write_index(&self, list: &[Handoff]) -> Result<()> {
        if list.is_empty() {
            self.store.delete(&index_id())?;
            return Ok(());
        }
        let json = serde_json::to_string(list).map_err(|e| Error::Internal(e.to_string()))?;
        self.store.put(&index_id(), &Sensitive::new(json))
    }

    /// Files the secret, then lists the handoff. If listing fails the secret is removed
    /// again, so nothing is left in the keychain that the app does not know of.
    pub fn add(&self, h: Handoff, secret: &Sensitive<String>) -> Result<Handoff> {
        let _guard = self.index_lock.lock().unwrap();
        self.store.put(&h.secret_id(), secret)?;
        let mut list = self.pending()?;
        list.retain(|x| x.secret_id() != h.secret_id());
        list.push(h.clone());
        if let Err(e) = self.write_index(&list) {
            let _ = self.store.delete(&h.secret_id());
            return Err(e);
        }
        Ok(h)
    }

    pub fn reveal(&self, h: &Handoff) -> Result<Sensitive<String>> {
        self.store.get(&h.secret_id())?.ok_or_else(|| {
            Error::Keychain(format!(
                "the secret for {} is no longer in the keychain; it may have been handed over already",
                h.user
            ))
        })
    }

    /// "Handed over": the secret leaves the keychain and the list.
    pub fn complete(&self, h: &Handoff) -> Result<()> {
        let _guard = self.index_lock.lock().unwrap();
        self.store.delete(&h.secret_id())?;
        let mut list = self.pending()?;
        list.retain(|x| x.secret_id() != h.secret_id());
        self.write_index(&list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    fn handoff(kind: SecretKind, key_id: &str) -> Handoff {
        Handoff {
            account: "111111111111".into(),
            user: "ana".into(),
            kind,
            key_id: key_id.into(),
            sign_in_url: sign_in_url("111111111111"),
            created: "2026-11-23T10:00:00Z".into(),
            reset_required: true,
        }
    }

    #[test]
    fn pending_handoffs_are_listed_revealed_and_completed() {
        let keychain = std::sync::Arc::new(MemoryStore::default());
        let h = Handoffs::new(keychain.clone());
        assert!(h.pending().unwrap().is_empty());
        let key = h.add(handoff(SecretKind::SecretAccessKey, "AKIA1"), &Sensitive::new("s3cr3t".into())).unwrap();
        let pw = h.add(handoff(SecretKind::ConsolePassword, "password"), &Sensitive::new("P4ss!word".into())).unwrap();
        assert_eq!(h.pending().unwrap(), [key.clone(), pw.clone()]);
        assert_eq!(h.reveal(&key).unwrap().expose(), "s3cr3t");

        // A new instance over the same keychain (a restart) sees the same list.
        assert_eq!(Handoffs::new(keychain.clone()).pending().unwrap(), [key.clone(), pw.clone()]);
        let index = keychain.get(&index_id()).unwrap().unwrap();
        assert!(!index.expose().contains("s3cr3t") && !index.expose().contains("P4ss"), "the index holds no secret");

        h.complete(&key).unwrap();
        assert_eq!(h.pending().unwrap(), std::slice::from_ref(&pw));
        assert_eq!(h.reveal(&key).unwrap_err().code(), crate::error::ErrorCode::Keychain);
        h.complete(&pw).unwrap();
        assert!(h.pending().unwrap().is_empty());
        assert!(keychain.get(&index_id()).unwrap().is_none(), "nothing is left in the keychain");
    }

    #[test]
    fn csv_files_have_the_consoles_columns() {
        let key = handoff(SecretKind::SecretAccessKey, "AKIAEXAMPLE");
        let (name, csv) = console_csv(&key, &Sensitive::new("wJalr/K7MDENG".into())).unwrap();
        assert_eq!(name, "ana_accessKeys.csv");
        assert_eq!(csv.expose(), "Access key ID,Secret access key\nAKIAEXAMPLE,wJalr/K7MDENG\n");
        let pw = handoff(SecretKind::ConsolePassword, "password");
        let (name, csv) = console_csv(&pw, &Sensitive::new("a,\"b".into())).unwrap();
        assert_eq!(name, "ana_credentials.csv");
        assert_eq!(
            csv.expose(),
            "User name,Password,Console sign-in URL\nana,\"a,\"\"b\",https://111111111111.signin.aws.amazon.com/console\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_csv_file_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ana_accessKeys.csv");
        save_csv(&path, &handoff(SecretKind::SecretAccessKey, "AKIAEXAMPLE"), &Sensitive::new("wJalr".into())).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "Access key ID,Secret access key\nAKIAEXAMPLE,wJalr\n");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
