//! One-time credential handoff. A generated secret goes into the OS keychain before anyone
//! sees it; the handoff then lists what is pending, reveals a secret only on request, and
//! "handed over" deletes it.
//!
//! Each handoff is one keychain entry: the secret, with the handoff's details (never the
//! secret) as the entry's attributes, so the pending handoffs are found by searching the
//! keychain and survive a restart with nothing on disk. Two more kinds of entry make a crash
//! at the wrong moment visible instead of silent: a password *staged* before AWS is asked
//! to set it (AWS may or may not have it), and a note that an access key is being created
//! (if it outlives the call, the key's secret was lost).
//!
//! Keychain calls block (D-Bus, system frameworks) and may wait for an unlock prompt, so
//! every one runs on a blocking thread and is abandoned after a time limit.

use crate::error::{Error, Result};
use crate::secrets::{Attributes, Listed, SecretId, SecretStore};
use crate::sensitive::Sensitive;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

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

    fn from_slug(slug: &str) -> Option<SecretKind> {
        [SecretKind::SecretAccessKey, SecretKind::ConsolePassword].into_iter().find(|k| k.slug() == slug)
    }
}

/// A pending handoff: who, what, where to sign in. Never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Handoff {
    pub account: String,
    pub user: String,
    pub kind: SecretKind,
    /// The access key id, or "password" for a console password (`staged-…` for one whose
    /// change AWS never confirmed).
    pub key_id: String,
    pub sign_in_url: String,
    pub created: String,
    pub reset_required: bool,
}

/// Which handoff: what the UI sends back to act on one. The rest of the handoff is read from
/// the keychain, never taken from the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HandoffId {
    pub account: String,
    pub user: String,
    pub kind: SecretKind,
    pub key_id: String,
}

impl HandoffId {
    pub fn secret_id(&self) -> SecretId {
        SecretId {
            account: self.account.clone(),
            user: self.user.clone(),
            kind: self.kind.slug().into(),
            key_id: self.key_id.clone(),
        }
    }
}

impl Handoff {
    pub fn id(&self) -> HandoffId {
        HandoffId {
            account: self.account.clone(),
            user: self.user.clone(),
            kind: self.kind,
            key_id: self.key_id.clone(),
        }
    }

    pub fn secret_id(&self) -> SecretId {
        self.id().secret_id()
    }
}

/// Everything Gatehouse keeps in the keychain, as the handoff screen shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HandoffList {
    /// Secrets waiting to be handed over, oldest first.
    pub pending: Vec<Handoff>,
    /// Passwords filed before AWS was asked to set them, whose change never reported back.
    pub unconfirmed: Vec<Unconfirmed>,
    /// Access keys that may exist at AWS while their secret was never filed.
    pub lost_keys: Vec<LostKey>,
    /// Entries that could not be read; every other handoff works as usual.
    pub damaged: Vec<Damaged>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Unconfirmed {
    /// Its id acts on it like any handoff: reveal, copy, save, mark as handed over.
    pub handoff: Handoff,
    /// What happened and what to do, as a sentence.
    pub advice: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct LostKey {
    pub account: String,
    pub user: String,
    /// When the key was about to be created (this machine's clock, RFC 3339): the lost key
    /// is one of the user's keys created after it.
    pub since: String,
    /// The keychain entry of the note, to dismiss it once the key is dealt with.
    pub entry: String,
    pub advice: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Damaged {
    /// The entry's name in the keychain (service "gatehouse").
    pub entry: String,
    pub reason: String,
}

/// The attributes of Gatehouse's entries.
mod attr {
    pub const RECORD: &str = "record";
    pub const ACCOUNT: &str = "account";
    pub const USER: &str = "user";
    pub const KIND: &str = "kind";
    pub const KEY_ID: &str = "key_id";
    pub const SIGN_IN_URL: &str = "sign_in_url";
    pub const CREATED: &str = "created";
    pub const RESET_REQUIRED: &str = "reset_required";
    /// When the entry was filed, for listing in that order: nanoseconds, zero-padded.
    pub const FILED: &str = "filed";
    /// On a key's handoff: the entry of the note made before the key was created.
    pub const INTENT: &str = "intent";
    pub const SINCE: &str = "since";
    /// The IAM user's id (`AIDA…`), which a rename does not change, when it was known: a
    /// pending entry of another user who once had the same name is never replaced.
    pub const USER_ID: &str = "user_id";
}

/// What an entry is: the value of its `record` attribute.
mod record {
    pub const HANDOFF: &str = "handoff";
    pub const STAGED: &str = "staged-password";
    pub const KEY_INTENT: &str = "key-intent";
}

/// The kind, in entry names, of the notes made before an access key is created.
const INTENT_KIND: &str = "key-intent";

/// Where versions before per-entry storage listed the pending handoffs, as one JSON entry.
fn old_index_id() -> SecretId {
    SecretId { account: "gatehouse".into(), user: "pending-handoffs".into(), kind: "index".into(), key_id: "v1".into() }
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
        let cells: Vec<Sensitive<String>> = r.iter().map(|c| spreadsheet_text(c)).collect();
        w.write_record(cells.iter().map(|c| c.expose().as_str())).map_err(csv_error)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Internal(format!("CSV: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Internal(e.to_string()))?;
    Ok((name, Sensitive::new(text)))
}

/// A cell a spreadsheet reads as text, never as a formula: one that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's CSV injection advice;
/// about one secret access key in 64 starts with `+`). Spreadsheets show the cell without
/// the quote; a program reading the file must drop it. Wrapped as it may hold a secret.
fn spreadsheet_text(cell: &str) -> Sensitive<String> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Sensitive::new(format!("'{cell}"))
    } else {
        Sensitive::new(cell.to_string())
    }
}

/// Writes the console-style CSV to `path`, readable by its owner only, through
/// `private_file`: a new file renamed into place, so an existing file's mode, or a symlink
/// planted at `path`, never decides where the secret lands or who can read it.
pub fn save_csv(path: &std::path::Path, h: &Handoff, secret: &Sensitive<String>) -> Result<()> {
    let (_, csv) = console_csv(h, secret)?;
    crate::private_file::write(path, csv.expose().as_bytes())
        .map_err(|e| Error::Internal(format!("{}: {e}", path.display())))
}

fn now_rfc3339() -> String {
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    crate::vocab::rfc3339(&aws_sdk_iam::primitives::DateTime::from_secs(now.as_secs() as i64))
}

/// A strictly increasing stamp, so that entries filed one after the other list in that order.
fn filed_stamp() -> String {
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default().as_nanos() as u64;
    let prev = LAST.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |prev| Some(now.max(prev + 1))).unwrap_or(0);
    format!("{:020}", now.max(prev + 1))
}

/// Random enough to keep two entries of one user apart; not a secret.
fn nonce() -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).expect("the OS random number generator is available");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn handoff_attributes(h: &Handoff, record: &str, filed: String) -> Attributes {
    Attributes::from([
        (attr::RECORD.into(), record.into()),
        (attr::ACCOUNT.into(), h.account.clone()),
        (attr::USER.into(), h.user.clone()),
        (attr::KIND.into(), h.kind.slug().into()),
        (attr::KEY_ID.into(), h.key_id.clone()),
        (attr::SIGN_IN_URL.into(), h.sign_in_url.clone()),
        (attr::CREATED.into(), h.created.clone()),
        (attr::RESET_REQUIRED.into(), h.reset_required.to_string()),
        (attr::FILED.into(), filed),
    ])
}

fn field<'a>(a: &'a Attributes, key: &str) -> std::result::Result<&'a str, String> {
    a.get(key).map(String::as_str).ok_or_else(|| format!("its details lack `{key}`"))
}

/// The handoff an entry's attributes describe, or why they describe none.
fn parse_handoff(name: &str, a: &Attributes) -> std::result::Result<Handoff, String> {
    let kind = field(a, attr::KIND)?;
    let kind =
        SecretKind::from_slug(kind).ok_or_else(|| format!("its kind '{kind}' is no secret Gatehouse hands over"))?;
    let reset_required = match field(a, attr::RESET_REQUIRED)? {
        "true" => true,
        "false" => false,
        other => return Err(format!("its `reset_required` is '{other}', neither true nor false")),
    };
    let h = Handoff {
        account: field(a, attr::ACCOUNT)?.into(),
        user: field(a, attr::USER)?.into(),
        kind,
        key_id: field(a, attr::KEY_ID)?.into(),
        sign_in_url: field(a, attr::SIGN_IN_URL)?.into(),
        created: field(a, attr::CREATED)?.into(),
        reset_required,
    };
    let described = h.secret_id().entry_name();
    if described != name {
        return Err(format!("its details describe another entry ({described})"));
    }
    Ok(h)
}

fn unconfirmed_advice(h: &Handoff) -> String {
    format!(
        "Staged: AWS may or may not have this password. It was filed for {} at {} before AWS was asked to set it, \
         and Gatehouse stopped before AWS answered. Try to sign in as {} with it: if it works, hand it over; if \
         not, set a new password. Then mark it as handed over.",
        h.user, h.created, h.user
    )
}

fn lost_key_advice(user: &str, since: &str) -> String {
    format!(
        "An access key was created for {user} at about {since} and its secret was lost: Gatehouse stopped before \
         filing it. Delete the keys of {user} created after {since} whose secret nobody has, then dismiss this note."
    )
}

/// Sorts what a listing found into the list the user sees. `not_lost`: notes of key
/// creations this process is making or has settled; `index_problem`: why an old index could
/// not be moved to per-entry storage.
fn classify(listed: Vec<Listed>, not_lost: &HashSet<String>, index_problem: Option<String>) -> HandoffList {
    let mut out = HandoffList::default();
    let (mut pending, mut unconfirmed, mut lost) = (Vec::new(), Vec::new(), Vec::new());
    let named_notes: HashSet<&String> = listed.iter().filter_map(|e| e.attributes.get(attr::INTENT)).collect();
    let mut seen = HashSet::new();
    let untouched = "; it is left as it is in the keychain";
    for e in &listed {
        let filed = e.attributes.get(attr::FILED).cloned().unwrap_or_default();
        let mut damaged = |reason: String| {
            out.damaged.push(Damaged { entry: e.name.clone(), reason: format!("{reason}{untouched}") })
        };
        if !seen.insert(e.name.as_str()) {
            damaged("another entry has the same name".into());
            continue;
        }
        if e.name == old_index_id().entry_name() {
            damaged(format!(
                "it is the list of pending handoffs an earlier Gatehouse kept, and it could not be read ({}), so the \
                 handoffs it names are listed as damaged",
                index_problem.clone().unwrap_or_else(|| "unknown reason".into())
            ));
            continue;
        }
        match e.attributes.get(attr::RECORD).map(String::as_str) {
            Some(record::HANDOFF) => match parse_handoff(&e.name, &e.attributes) {
                Ok(h) => pending.push((filed, h)),
                Err(why) => damaged(why),
            },
            Some(record::STAGED) => match parse_handoff(&e.name, &e.attributes) {
                Ok(h) => unconfirmed.push((filed, Unconfirmed { advice: unconfirmed_advice(&h), handoff: h })),
                Err(why) => damaged(why),
            },
            Some(record::KEY_INTENT) => {
                if not_lost.contains(&e.name) || named_notes.contains(&e.name) {
                    continue; // still being made, or its key's secret was filed after all
                }
                match (SecretId::from_entry_name(&e.name), field(&e.attributes, attr::SINCE)) {
                    (Some(id), Ok(since)) => lost.push(LostKey {
                        advice: lost_key_advice(&id.user, since),
                        account: id.account,
                        user: id.user,
                        since: since.into(),
                        entry: e.name.clone(),
                    }),
                    (None, _) => damaged("its name is not account/user/kind/id".into()),
                    (_, Err(why)) => damaged(why),
                }
            }
            Some(other) => damaged(format!("it is a kind of entry this Gatehouse does not know ('{other}')")),
            None => damaged("it has no handoff details (an earlier Gatehouse or another program filed it)".into()),
        }
    }
    pending.sort_by(|a, b| (&a.0, a.1.secret_id()).cmp(&(&b.0, b.1.secret_id())));
    unconfirmed.sort_by(|a, b| a.0.cmp(&b.0));
    lost.sort_by(|a, b| a.since.cmp(&b.since));
    out.damaged.sort_by(|a, b| a.entry.cmp(&b.entry));
    out.pending = pending.into_iter().map(|(_, h)| h).collect();
    out.unconfirmed = unconfirmed.into_iter().map(|(_, u)| u).collect();
    out.lost_keys = lost;
    out
}

/// Moves the handoffs of the old single index onto their own entries and deletes the index.
/// Returns why the index could not be read, if it could not (it is then left in place).
fn migrate_old_index<S: SecretStore + ?Sized>(store: &S) -> Result<Option<String>> {
    let Some(raw) = store.get(&old_index_id())? else { return Ok(None) };
    let list: Vec<Handoff> = match serde_json::from_str(raw.expose()) {
        Ok(list) => list,
        Err(e) => return Ok(Some(e.to_string())),
    };
    for h in &list {
        let id = h.secret_id();
        match store.attributes(&id)? {
            // Handed over or lost since: there is nothing to attach the details to.
            None => {}
            Some(a) if a.contains_key(attr::RECORD) => {}
            Some(_) => {
                store.update(&id, &id, &handoff_attributes(h, record::HANDOFF, filed_stamp()))?;
            }
        }
    }
    store.delete(&old_index_id())?;
    Ok(None)
}

/// A password filed in the keychain before AWS is asked to set it.
#[derive(Debug)]
pub struct StagedPassword {
    handoff: Handoff,
    /// The user's IAM id, when known.
    user_id: Option<String>,
}

impl StagedPassword {
    pub fn handoff(&self) -> &Handoff {
        &self.handoff
    }
}

/// The notes of key creations this process made: those under way, and those settled (the
/// secret filed, or no key left), which a listing that raced with them may still find.
#[derive(Debug, Default)]
struct Notes {
    in_flight: HashSet<String>,
    settled: HashSet<String>,
}

/// The note, in the keychain, that an access key is being created. While it exists outside
/// a running creation, the listing reports the key as lost.
#[derive(Debug)]
pub struct KeyNote {
    id: SecretId,
    notes: Arc<Mutex<Notes>>,
}

impl KeyNote {
    fn settle(&self) {
        let mut notes = self.notes.lock().unwrap();
        notes.in_flight.remove(&self.id.entry_name());
        notes.settled.insert(self.id.entry_name());
    }
}

impl Drop for KeyNote {
    fn drop(&mut self) {
        // Unless settled, a listing shows the note from now on if it is still in the keychain.
        self.notes.lock().unwrap().in_flight.remove(&self.id.entry_name());
    }
}

/// The handoffs in the keychain, behind the secret-store trait.
pub struct Handoffs<S: SecretStore> {
    store: Arc<S>,
    timeout: Duration,
    /// The notes of this process's key creations, which are not lost keys unless abandoned.
    notes: Arc<Mutex<Notes>>,
}

impl<S: SecretStore + 'static> Handoffs<S> {
    /// How long a keychain call may take before the app stops waiting for it.
    pub const TIMEOUT: Duration = Duration::from_secs(20);

    pub fn new(store: S) -> Self {
        Handoffs { store: Arc::new(store), timeout: Self::TIMEOUT, notes: Arc::default() }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Runs `f` on a blocking thread, so that a keychain waiting for D-Bus or an unlock
    /// prompt holds neither the async runtime nor the window; gives up after the time limit
    /// (the thread then finishes on its own).
    async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&S) -> Result<T> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let task = tokio::task::spawn_blocking(move || f(&store));
        match tokio::time::timeout(self.timeout, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(e)) => Err(Error::Internal(format!("a keychain call failed: {e}"))),
            Err(_) => Err(no_answer(self.timeout)),
        }
    }

    /// Every Gatehouse entry of the keychain, sorted for the handoff screen. The first
    /// listing after an upgrade moves the old single index onto per-entry attributes.
    pub async fn list(&self) -> Result<HandoffList> {
        let (listed, index_problem) = self
            .call(|s| {
                let listed = s.list()?;
                if !listed.iter().any(|e| e.name == old_index_id().entry_name()) {
                    return Ok((listed, None));
                }
                let problem = migrate_old_index(s)?;
                Ok((s.list()?, problem))
            })
            .await?;
        let not_lost = {
            let notes = self.notes.lock().unwrap();
            notes.in_flight.union(&notes.settled).cloned().collect()
        };
        Ok(classify(listed, &not_lost, index_problem))
    }

    /// The handoff `id` names, as the keychain holds it (pending or unconfirmed).
    pub async fn find(&self, id: &HandoffId) -> Result<Handoff> {
        let (sid, user) = (id.secret_id(), id.user.clone());
        self.call(move |s| stored_handoff(s, &sid, &user)).await
    }

    /// The handoff and its secret.
    pub async fn reveal(&self, id: &HandoffId) -> Result<(Handoff, Sensitive<String>)> {
        let (sid, user) = (id.secret_id(), id.user.clone());
        self.call(move |s| {
            let h = stored_handoff(s, &sid, &user)?;
            let secret = s.get(&sid)?.ok_or_else(|| gone(&user))?;
            Ok((h, secret))
        })
        .await
    }

    /// Files a secret AWS already made, as a pending handoff.
    pub async fn add(&self, h: Handoff, secret: &Sensitive<String>) -> Result<Handoff> {
        self.put(h, secret, None).await
    }

    async fn put(&self, h: Handoff, secret: &Sensitive<String>, note: Option<&KeyNote>) -> Result<Handoff> {
        let mut attributes = handoff_attributes(&h, record::HANDOFF, filed_stamp());
        if let Some(note) = note {
            attributes.insert(attr::INTENT.into(), note.id.entry_name());
        }
        let (sid, secret) = (h.secret_id(), Sensitive::new(secret.expose().clone()));
        self.call(move |s| s.put(&sid, &secret, &attributes)).await?;
        Ok(h)
    }

    /// "Handed over" (or, for an unconfirmed password, discarded): the secret leaves the
    /// keychain, with the note its key was created under.
    pub async fn complete(&self, id: &HandoffId) -> Result<()> {
        let sid = id.secret_id();
        self.call(move |s| {
            let Some(a) = s.attributes(&sid)? else { return Ok(()) };
            if !matches!(a.get(attr::RECORD).map(String::as_str), Some(record::HANDOFF | record::STAGED)) {
                return Err(Error::InvalidInput(format!("{} is not a pending handoff", sid.entry_name())));
            }
            if let Some(note) = a.get(attr::INTENT).and_then(|n| SecretId::from_entry_name(n)) {
                s.delete(&note)?;
            }
            s.delete(&sid).map(|_| ())
        })
        .await
    }

    /// Removes a lost key's note, once the user has dealt with the key.
    pub async fn dismiss_lost_key(&self, entry: &str) -> Result<()> {
        let sid = SecretId::from_entry_name(entry)
            .filter(|id| id.kind == INTENT_KIND)
            .ok_or_else(|| Error::InvalidInput(format!("{entry} is not a note of a lost access key")))?;
        self.call(move |s| {
            match s.attributes(&sid)? {
                None => return Ok(()),
                Some(a) if a.get(attr::RECORD).map(String::as_str) != Some(record::KEY_INTENT) => {
                    return Err(Error::InvalidInput(format!("{} is not a note of a lost access key", sid.entry_name())))
                }
                Some(_) => {}
            }
            s.delete(&sid).map(|_| ())
        })
        .await
    }

    /// Files a password before AWS is asked to set it, so that no answer from AWS can leave a
    /// password that exists nowhere else. `h` is the handoff it will become; `user_id` the
    /// user's IAM id (`AIDA…`), when known.
    pub async fn stage_password(
        &self,
        h: Handoff,
        user_id: Option<String>,
        password: &Sensitive<String>,
    ) -> Result<StagedPassword> {
        let staged = Handoff { key_id: format!("staged-{}", nonce()), created: now_rfc3339(), ..h };
        let mut attributes = handoff_attributes(&staged, record::STAGED, filed_stamp());
        if let Some(id) = &user_id {
            attributes.insert(attr::USER_ID.into(), id.clone());
        }
        let (sid, secret) = (staged.secret_id(), Sensitive::new(password.expose().clone()));
        self.call(move |s| s.put(&sid, &secret, &attributes)).await?;
        Ok(StagedPassword { handoff: staged, user_id })
    }

    /// AWS set the staged password: it becomes the user's pending password handoff, in place
    /// of an earlier one of the same user (which no longer works). A pending password filed
    /// under the same name for someone else (a user renamed outside Gatehouse, whose old
    /// name was given to a new user), or for a user Gatehouse cannot tell apart, is kept,
    /// listed under a key id of its own (`password-…`), never replaced.
    pub async fn confirm(&self, staged: StagedPassword, created: String) -> Result<Handoff> {
        let h = Handoff { key_id: "password".into(), created, ..staged.handoff.clone() };
        let mut attributes = handoff_attributes(&h, record::HANDOFF, filed_stamp());
        if let Some(id) = &staged.user_id {
            attributes.insert(attr::USER_ID.into(), id.clone());
        }
        let (from, to, user, user_id) = (staged.handoff.secret_id(), h.secret_id(), h.user.clone(), staged.user_id);
        self.call(move |s| {
            if let Some(existing) = s.attributes(&to)? {
                let same_user = user_id.is_some() && existing.get(attr::USER_ID) == user_id.as_ref();
                if same_user || existing.get(attr::RECORD).map(String::as_str) != Some(record::HANDOFF) {
                    s.delete(&to)?;
                } else {
                    set_aside(s, &to, existing)?;
                }
            }
            if s.update(&from, &to, &attributes)? {
                Ok(())
            } else {
                Err(Error::Keychain(format!("the new password of {user} is no longer in the keychain")))
            }
        })
        .await?;
        Ok(h)
    }

    /// A user renamed from `from` to `to`: its entries (pending handoffs, unconfirmed
    /// passwords, notes of key creations) follow it, so that they stay listed, discarded
    /// and replaced under its name. An entry already filed under the new name is kept: the
    /// one that moves then gets a key id of its own.
    pub async fn move_user(&self, account: &str, from: &str, to: &str) -> Result<usize> {
        let (account, from, to) = (account.to_string(), from.to_string(), to.to_string());
        self.call(move |s| {
            let mut moved = 0;
            for e in s.list()? {
                let Some(old) = SecretId::from_entry_name(&e.name) else { continue };
                if old.account != account || old.user != from {
                    continue;
                }
                let mut new = SecretId { user: to.clone(), ..old.clone() };
                if s.attributes(&new)?.is_some() {
                    new.key_id = format!("{}-{}", old.key_id, nonce());
                }
                let mut attributes = e.attributes.clone();
                attributes.insert(attr::USER.into(), to.clone());
                if attributes.contains_key(attr::KEY_ID) {
                    attributes.insert(attr::KEY_ID.into(), new.key_id.clone());
                }
                if s.update(&old, &new, &attributes)? {
                    moved += 1;
                }
            }
            Ok(moved)
        })
        .await
    }

    /// AWS refused the staged password: it goes.
    pub async fn discard(&self, staged: StagedPassword) -> Result<()> {
        let sid = staged.handoff.secret_id();
        self.call(move |s| s.delete(&sid).map(|_| ())).await
    }

    /// Notes, before CreateAccessKey, that a key is being created for `user`: the note holds
    /// no secret, only who and when, and outlives a crash.
    pub async fn note_key_creation(&self, account: &str, user: &str) -> Result<KeyNote> {
        let id = SecretId { account: account.into(), user: user.into(), kind: INTENT_KIND.into(), key_id: nonce() };
        self.notes.lock().unwrap().in_flight.insert(id.entry_name());
        let note = KeyNote { id: id.clone(), notes: Arc::clone(&self.notes) };
        let attributes = Attributes::from([
            (attr::RECORD.into(), record::KEY_INTENT.into()),
            (attr::ACCOUNT.into(), account.into()),
            (attr::USER.into(), user.into()),
            (attr::SINCE.into(), now_rfc3339()),
            (attr::FILED.into(), filed_stamp()),
        ]);
        let placeholder = Sensitive::new("no secret: a note that an access key is being created".to_string());
        self.call(move |s| s.put(&id, &placeholder, &attributes)).await?;
        Ok(note)
    }

    /// Files the new key's secret as a pending handoff, then removes the note.
    pub async fn file_key(&self, note: &KeyNote, h: Handoff, secret: &Sensitive<String>) -> Result<Handoff> {
        let h = self.put(h, secret, Some(note)).await?;
        note.settle();
        // The secret is filed; a note that stays behind is harmless: the listing hides a note
        // that a handoff names, and handing that handoff over removes it.
        let id = note.id.clone();
        let _ = self.call(move |s| s.delete(&id)).await;
        Ok(h)
    }

    /// Removes the note when there is no key whose secret could be lost: AWS created none,
    /// or it was deleted again.
    pub async fn drop_key_note(&self, note: KeyNote) -> Result<()> {
        let id = note.id.clone();
        self.call(move |s| s.delete(&id).map(|_| ())).await?;
        note.settle();
        Ok(())
    }
}

/// Gives the pending handoff `id` a key id of its own (`<key id>-<random>`), so that the
/// name it had is free and it stays listed.
fn set_aside<S: SecretStore + ?Sized>(s: &S, id: &SecretId, mut attributes: Attributes) -> Result<()> {
    let aside = SecretId { key_id: format!("{}-{}", id.key_id, nonce()), ..id.clone() };
    attributes.insert(attr::KEY_ID.into(), aside.key_id.clone());
    s.update(id, &aside, &attributes)?;
    Ok(())
}

fn no_answer(timeout: Duration) -> Error {
    Error::Keychain(format!(
        "the keychain did not answer within {} s; it may be waiting for you to unlock it",
        timeout.as_secs_f64()
    ))
}

fn gone(user: &str) -> Error {
    Error::Keychain(format!("the secret for {user} is no longer in the keychain; it may have been handed over already"))
}

fn stored_handoff<S: SecretStore + ?Sized>(s: &S, sid: &SecretId, user: &str) -> Result<Handoff> {
    let a = s.attributes(sid)?.ok_or_else(|| gone(user))?;
    match a.get(attr::RECORD).map(String::as_str) {
        Some(record::HANDOFF | record::STAGED) => {}
        _ => return Err(Error::InvalidInput(format!("{} is not a pending handoff", sid.entry_name()))),
    }
    parse_handoff(&sid.entry_name(), &a)
        .map_err(|why| Error::Keychain(format!("the handoff {} is damaged: {why}", sid.entry_name())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::secrets::{MemoryStore, Op};
    use std::time::Instant;

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

    fn secret(s: &str) -> Sensitive<String> {
        Sensitive::new(s.into())
    }

    fn over(keychain: &Arc<MemoryStore>) -> Handoffs<Arc<MemoryStore>> {
        Handoffs::new(Arc::clone(keychain))
    }

    #[tokio::test]
    async fn pending_handoffs_are_listed_revealed_and_completed() {
        let keychain = Arc::new(MemoryStore::default());
        let h = over(&keychain);
        assert!(h.list().await.unwrap().pending.is_empty());
        let key = h.add(handoff(SecretKind::SecretAccessKey, "AKIA1"), &secret("s3cr3t")).await.unwrap();
        let pw = h.add(handoff(SecretKind::ConsolePassword, "password"), &secret("P4ss!word")).await.unwrap();
        assert_eq!(h.list().await.unwrap().pending, [key.clone(), pw.clone()]);
        let (stored, revealed) = h.reveal(&key.id()).await.unwrap();
        assert_eq!((stored, revealed.expose().as_str()), (key.clone(), "s3cr3t"));
        assert_eq!(h.find(&pw.id()).await.unwrap(), pw, "the handoff is read back from the keychain");

        // A new instance over the same keychain (a restart) sees the same list.
        assert_eq!(over(&keychain).list().await.unwrap().pending, [key.clone(), pw.clone()]);
        for entry in keychain.list().unwrap() {
            let text = format!("{:?}", entry.attributes);
            assert!(!text.contains("s3cr3t") && !text.contains("P4ss"), "no attribute holds a secret: {text}");
        }

        h.complete(&key.id()).await.unwrap();
        assert_eq!(h.list().await.unwrap().pending, std::slice::from_ref(&pw));
        assert_eq!(h.reveal(&key.id()).await.unwrap_err().code(), ErrorCode::Keychain);
        h.complete(&pw.id()).await.unwrap();
        assert_eq!(h.list().await.unwrap(), HandoffList::default());
        assert!(keychain.list().unwrap().is_empty(), "nothing is left in the keychain");
    }

    /// Windows' Credential Manager keeps at most 2,560 bytes per entry; a single list of
    /// every pending handoff passed that at about six.
    #[tokio::test]
    async fn pending_handoffs_have_no_size_ceiling() {
        let keychain = Arc::new(MemoryStore::default());
        keychain.limit_secret_size(2560);
        let h = over(&keychain);
        let mut added = Vec::new();
        for i in 0..30 {
            let key = handoff(SecretKind::SecretAccessKey, &format!("AKIA{i:016}"));
            added.push(h.add(key, &secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).await.unwrap());
        }
        assert_eq!(h.list().await.unwrap().pending, added);
        assert_eq!(keychain.list().unwrap().len(), 30, "one entry per handoff");
    }

    #[tokio::test]
    async fn an_unreadable_entry_is_set_aside_and_the_others_keep_working() {
        let keychain = Arc::new(MemoryStore::default());
        let h = over(&keychain);
        let key = h.add(handoff(SecretKind::SecretAccessKey, "AKIA1"), &secret("s3cr3t")).await.unwrap();
        let pw = h.add(handoff(SecretKind::ConsolePassword, "password"), &secret("P4ss!word")).await.unwrap();

        let broken = handoff(SecretKind::SecretAccessKey, "AKIABROKEN");
        let mut attributes = handoff_attributes(&broken, record::HANDOFF, filed_stamp());
        attributes.insert(attr::KIND.into(), "bogus".into());
        keychain.put(&broken.secret_id(), &secret("kept"), &attributes).unwrap();
        let bare = handoff(SecretKind::SecretAccessKey, "AKIABARE").secret_id();
        keychain.put(&bare, &secret("kept too"), &Attributes::new()).unwrap();
        let elsewhere = handoff(SecretKind::SecretAccessKey, "AKIAELSEWHERE").secret_id();
        keychain
            .put(&elsewhere, &secret("kept three"), &handoff_attributes(&key, record::HANDOFF, filed_stamp()))
            .unwrap();

        let list = h.list().await.unwrap();
        assert_eq!(list.pending, [key.clone(), pw.clone()], "the readable ones are listed as usual");
        let damaged: Vec<(&str, &str)> = list.damaged.iter().map(|d| (d.entry.as_str(), d.reason.as_str())).collect();
        assert_eq!(damaged.len(), 3, "{damaged:?}");
        assert_eq!(damaged[0].0, "111111111111/ana/secret-access-key/AKIABARE");
        assert!(damaged[0].1.starts_with("it has no handoff details"), "{}", damaged[0].1);
        assert_eq!(damaged[1].0, "111111111111/ana/secret-access-key/AKIABROKEN");
        assert!(damaged[1].1.contains("its kind 'bogus' is no secret Gatehouse hands over"), "{}", damaged[1].1);
        assert!(damaged[1].1.ends_with("it is left as it is in the keychain"), "{}", damaged[1].1);
        assert!(damaged[2].1.contains("describe another entry (111111111111/ana/secret-access-key/AKIA1)"));

        assert_eq!(h.reveal(&pw.id()).await.unwrap().1.expose(), "P4ss!word");
        let err = h.reveal(&broken.id()).await.unwrap_err();
        assert!(err.to_string().contains("is damaged: its kind 'bogus'"), "{err}");
        h.complete(&key.id()).await.unwrap();
        assert_eq!(keychain.get(&broken.secret_id()).unwrap().unwrap().expose(), "kept", "set aside, not deleted");
    }

    #[tokio::test]
    async fn the_old_single_index_moves_onto_the_entries_once() {
        let keychain = Arc::new(MemoryStore::default());
        let key = handoff(SecretKind::SecretAccessKey, "AKIA1");
        let pw = handoff(SecretKind::ConsolePassword, "password");
        let handed_over = handoff(SecretKind::SecretAccessKey, "AKIAGONE");
        // What an earlier Gatehouse left: bare secrets, and the list of them in one entry.
        keychain.put(&key.secret_id(), &secret("s3cr3t"), &Attributes::new()).unwrap();
        keychain.put(&pw.secret_id(), &secret("P4ss!word"), &Attributes::new()).unwrap();
        let index = serde_json::to_string(&[&key, &pw, &handed_over]).unwrap();
        keychain.put(&old_index_id(), &Sensitive::new(index), &Attributes::new()).unwrap();

        let h = over(&keychain);
        let list = h.list().await.unwrap();
        assert_eq!(list.pending, [key.clone(), pw.clone()]);
        assert!(list.damaged.is_empty(), "{:?}", list.damaged);
        assert!(keychain.get(&old_index_id()).unwrap().is_none(), "the index is gone");
        let moved = keychain.attributes(&key.secret_id()).unwrap().unwrap();
        assert_eq!(moved.get(attr::RECORD).map(String::as_str), Some(record::HANDOFF));
        assert_eq!(keychain.list().unwrap().len(), 2);
        assert_eq!(h.reveal(&pw.id()).await.unwrap().1.expose(), "P4ss!word");
        assert_eq!(over(&keychain).list().await.unwrap().pending, [key.clone(), pw.clone()], "and after a restart");

        // An index that does not parse stays where it is, and says so; nothing else is held up.
        keychain.put(&old_index_id(), &secret("[{not json"), &Attributes::new()).unwrap();
        let list = h.list().await.unwrap();
        assert_eq!(list.pending, [key, pw]);
        assert_eq!(list.damaged.len(), 1);
        assert_eq!(list.damaged[0].entry, "gatehouse/pending-handoffs/index/v1");
        assert!(
            list.damaged[0].reason.contains("could not be read (key must be a string"),
            "{}",
            list.damaged[0].reason
        );
    }

    #[tokio::test]
    async fn a_staged_password_becomes_the_handoff_or_goes() {
        let keychain = Arc::new(MemoryStore::default());
        let h = over(&keychain);
        // A password set earlier and not handed over yet: it works at AWS until a new one does.
        let ana = || Some("AIDAANA0000000000001".to_string());
        let earlier =
            h.stage_password(handoff(SecretKind::ConsolePassword, "password"), ana(), &secret("Earlier-P4ss")).await;
        let earlier = h.confirm(earlier.unwrap(), "2026-11-23T10:00:00Z".into()).await.unwrap();

        let staged = h
            .stage_password(handoff(SecretKind::ConsolePassword, "password"), ana(), &secret("New-P4ss"))
            .await
            .unwrap();
        let list = h.list().await.unwrap();
        assert_eq!(list.pending, std::slice::from_ref(&earlier));
        assert_eq!(list.unconfirmed.len(), 1);
        let unconfirmed = &list.unconfirmed[0];
        assert!(unconfirmed.handoff.key_id.starts_with("staged-"), "{}", unconfirmed.handoff.key_id);
        assert!(
            unconfirmed.advice.starts_with("Staged: AWS may or may not have this password."),
            "{}",
            unconfirmed.advice
        );
        assert_eq!(h.reveal(&unconfirmed.handoff.id()).await.unwrap().1.expose(), "New-P4ss");

        // AWS refused it: it goes, and the earlier one is untouched.
        h.discard(staged).await.unwrap();
        let list = h.list().await.unwrap();
        assert_eq!((list.pending.as_slice(), list.unconfirmed.len()), (std::slice::from_ref(&earlier), 0));
        assert_eq!(h.reveal(&earlier.id()).await.unwrap().1.expose(), "Earlier-P4ss");

        // AWS set it: it takes the earlier one's place (the same user's, by its IAM id).
        let staged = h
            .stage_password(handoff(SecretKind::ConsolePassword, "password"), ana(), &secret("Newer-P4ss"))
            .await
            .unwrap();
        let confirmed = h.confirm(staged, "2026-11-24T09:00:00Z".into()).await.unwrap();
        assert_eq!(confirmed, Handoff { created: "2026-11-24T09:00:00Z".into(), ..earlier.clone() });
        let list = h.list().await.unwrap();
        assert_eq!((list.pending.as_slice(), list.unconfirmed.len()), (std::slice::from_ref(&confirmed), 0));
        assert_eq!(h.reveal(&confirmed.id()).await.unwrap().1.expose(), "Newer-P4ss");
        assert_eq!(keychain.list().unwrap().len(), 1);
    }

    /// Issue 20, item 2: a pending password of another user who had the same name (renamed
    /// outside Gatehouse), or of a user Gatehouse cannot tell apart, is never replaced.
    #[tokio::test]
    async fn a_new_password_never_replaces_another_users_pending_one() {
        let keychain = Arc::new(MemoryStore::default());
        let h = over(&keychain);
        let pw = || handoff(SecretKind::ConsolePassword, "password");
        let staged = h.stage_password(pw(), Some("AIDAOLDANA0000000001".into()), &secret("Old-Ana-P4ss")).await;
        h.confirm(staged.unwrap(), "2026-11-23T10:00:00Z".into()).await.unwrap();
        // A filed password of an earlier Gatehouse, without the user's id.
        let legacy = Handoff { user: "bo".into(), ..pw() };
        h.add(legacy.clone(), &secret("Legacy-Bo-P4ss")).await.unwrap();

        let staged = h.stage_password(pw(), Some("AIDANEWANA0000000002".into()), &secret("New-Ana-P4ss")).await;
        let new_ana = h.confirm(staged.unwrap(), "2026-11-24T10:00:00Z".into()).await.unwrap();
        let staged =
            h.stage_password(legacy.clone(), Some("AIDABO00000000000003".into()), &secret("New-Bo-P4ss")).await;
        let new_bo = h.confirm(staged.unwrap(), "2026-11-24T10:00:00Z".into()).await.unwrap();

        let list = h.list().await.unwrap();
        assert_eq!(list.pending.len(), 4, "{:?}", list.pending);
        let mut secrets = Vec::new();
        for p in &list.pending {
            secrets.push((p.user.clone(), p.key_id.clone(), h.reveal(&p.id()).await.unwrap().1.expose().clone()));
        }
        secrets.sort();
        // Sorted by user, then key id: "password" before "password-…".
        assert_eq!((secrets[0].1.as_str(), secrets[0].2.as_str()), ("password", "New-Ana-P4ss"));
        assert_eq!(secrets[1].2, "Old-Ana-P4ss");
        assert!(secrets[1].1.starts_with("password-"), "set aside under a key id of its own: {:?}", secrets[1]);
        assert_eq!((secrets[2].1.as_str(), secrets[2].2.as_str()), ("password", "New-Bo-P4ss"));
        assert_eq!(secrets[3].2, "Legacy-Bo-P4ss");
        assert!(secrets[3].1.starts_with("password-"), "{:?}", secrets[3]);
        assert_eq!(h.reveal(&new_ana.id()).await.unwrap().1.expose(), "New-Ana-P4ss");
        assert_eq!(h.reveal(&new_bo.id()).await.unwrap().1.expose(), "New-Bo-P4ss");
    }

    /// A rename moves the user's entries to the new name, and keeps an entry already there.
    #[tokio::test]
    async fn a_rename_moves_the_users_entries() {
        let keychain = Arc::new(MemoryStore::default());
        let h = over(&keychain);
        let pw = h.add(handoff(SecretKind::ConsolePassword, "password"), &secret("Ana-P4ss")).await.unwrap();
        let key = h.add(handoff(SecretKind::SecretAccessKey, "AKIA1"), &secret("s3cr3t")).await.unwrap();
        let other = Handoff { user: "ana.silva".into(), ..handoff(SecretKind::ConsolePassword, "password") };
        h.add(other.clone(), &secret("Earlier-Silva-P4ss")).await.unwrap();
        let elsewhere = Handoff { account: "222222222222".into(), ..pw.clone() };
        h.add(elsewhere.clone(), &secret("Other-Account")).await.unwrap();

        assert_eq!(h.move_user("111111111111", "ana", "ana.silva").await.unwrap(), 2);
        let list = h.list().await.unwrap();
        assert_eq!(list.damaged, [], "moved entries read back whole");
        let users: Vec<(&str, &str)> = list.pending.iter().map(|p| (p.user.as_str(), p.key_id.as_str())).collect();
        assert_eq!(users.len(), 4, "{users:?}");
        assert!(users.contains(&("ana.silva", "AKIA1")), "{users:?}");
        assert!(!users.iter().any(|(u, _)| *u == "ana") || users.contains(&("ana", "password")), "{users:?}");
        assert_eq!(h.reveal(&other.id()).await.unwrap().1.expose(), "Earlier-Silva-P4ss", "not replaced");
        assert_eq!(h.reveal(&elsewhere.id()).await.unwrap().1.expose(), "Other-Account", "another account's ana");
        let moved_pw =
            list.pending.iter().find(|p| p.user == "ana.silva" && p.key_id.starts_with("password-")).unwrap();
        assert_eq!(h.reveal(&moved_pw.id()).await.unwrap().1.expose(), "Ana-P4ss");
        assert_eq!(h.reveal(&Handoff { user: "ana.silva".into(), ..key }.id()).await.unwrap().1.expose(), "s3cr3t");
        assert_eq!(h.reveal(&pw.id()).await.unwrap_err().code(), ErrorCode::Keychain, "nothing left under ana");
    }

    #[tokio::test]
    async fn a_key_note_left_behind_reports_a_lost_key() {
        let keychain = Arc::new(MemoryStore::default());
        let h = over(&keychain);
        let note = h.note_key_creation("111111111111", "ana").await.unwrap();
        assert!(h.list().await.unwrap().lost_keys.is_empty(), "a creation under way is not a lost key");
        drop(note);
        let lost = over(&keychain).list().await.unwrap().lost_keys;
        assert_eq!(lost.len(), 1);
        assert_eq!((lost[0].account.as_str(), lost[0].user.as_str()), ("111111111111", "ana"));
        assert!(lost[0].since.ends_with('Z') && lost[0].since.len() == 20, "{}", lost[0].since);
        assert!(lost[0].entry.starts_with("111111111111/ana/key-intent/"), "{}", lost[0].entry);
        assert_eq!(
            lost[0].advice,
            format!(
                "An access key was created for ana at about {0} and its secret was lost: Gatehouse stopped before \
                 filing it. Delete the keys of ana created after {0} whose secret nobody has, then dismiss this note.",
                lost[0].since
            )
        );
        h.dismiss_lost_key(&lost[0].entry).await.unwrap();
        assert!(keychain.list().unwrap().is_empty());
        let key = handoff(SecretKind::SecretAccessKey, "AKIA1");
        assert_eq!(
            h.dismiss_lost_key(&key.secret_id().entry_name()).await.unwrap_err().code(),
            ErrorCode::InvalidInput
        );

        // Filing the secret removes the note; one that a failed removal leaves behind is
        // not a lost key, and goes when the key is handed over.
        let note = h.note_key_creation("111111111111", "ana").await.unwrap();
        keychain.refuse(Op::Delete);
        let key = h.file_key(&note, key, &secret("s3cr3t")).await.unwrap();
        keychain.allow(Op::Delete);
        drop(note);
        let list = h.list().await.unwrap();
        assert_eq!((list.pending.as_slice(), list.lost_keys.len()), (std::slice::from_ref(&key), 0));
        assert_eq!(keychain.list().unwrap().len(), 2, "the note is still there");
        h.complete(&key.id()).await.unwrap();
        assert!(keychain.list().unwrap().is_empty());

        // A note that could not be removed after all is reported, not hidden.
        let note = h.note_key_creation("111111111111", "ana").await.unwrap();
        keychain.refuse(Op::Delete);
        assert_eq!(h.drop_key_note(note).await.unwrap_err().code(), ErrorCode::Keychain);
        keychain.allow(Op::Delete);
        assert_eq!(h.list().await.unwrap().lost_keys.len(), 1);
    }

    #[tokio::test]
    async fn a_keychain_that_does_not_answer_is_given_up_on_without_holding_anything_up() {
        let keychain = Arc::new(MemoryStore::default());
        keychain.set_delay(Duration::from_millis(1500));
        let h = over(&keychain).with_timeout(Duration::from_millis(300));
        // This runtime has one thread: the ticks show that the keychain call does not block it.
        let ticks = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&ticks);
        let ticker = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(20)).await;
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        let started = Instant::now();
        let err = h.list().await.unwrap_err();
        let waited = started.elapsed();
        ticker.abort();
        assert!(waited < Duration::from_millis(1000), "gave up after {waited:?}");
        assert_eq!(err.code(), ErrorCode::Keychain);
        assert_eq!(
            err.to_string(),
            "The OS keychain failed: the keychain did not answer within 0.3 s; it may be waiting for you to unlock it"
        );
        assert!(ticks.load(Ordering::SeqCst) >= 5, "the runtime kept running: {} ticks", ticks.load(Ordering::SeqCst));
        assert_eq!(Handoffs::<MemoryStore>::TIMEOUT, Duration::from_secs(20));
        assert!(no_answer(Handoffs::<MemoryStore>::TIMEOUT).to_string().contains("did not answer within 20 s;"));
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

    /// Issue 20, item 5: a cell a spreadsheet would run as a formula is written as text.
    #[test]
    fn csv_cells_that_start_like_a_formula_are_written_as_text() {
        let key = handoff(SecretKind::SecretAccessKey, "AKIAEXAMPLE");
        for (secret, cell) in [
            ("+wJalr/K7MDENG", "'+wJalr/K7MDENG"),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("w+J=a-l@r", "w+J=a-l@r"),
        ] {
            let (_, csv) = console_csv(&key, &Sensitive::new(secret.into())).unwrap();
            assert_eq!(csv.expose(), &format!("Access key ID,Secret access key\nAKIAEXAMPLE,{cell}\n"), "{secret:?}");
        }
        // Every cell, the user name too (IAM user names may start with = + @ -).
        let pw = Handoff { user: "=cmd".into(), ..handoff(SecretKind::ConsolePassword, "password") };
        let (_, csv) = console_csv(&pw, &Sensitive::new("@pw".into())).unwrap();
        assert!(
            csv.expose().starts_with("User name,Password,Console sign-in URL\n'=cmd,'@pw,https://"),
            "{}",
            csv.expose()
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

    #[cfg(unix)]
    #[test]
    fn the_csv_replaces_a_readable_file_and_a_symlink_without_following_them() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let h = handoff(SecretKind::SecretAccessKey, "AKIAEXAMPLE");
        let secret = Sensitive::new("wJalr".into());

        // A file everyone could read keeps neither its content nor its mode.
        let path = dir.path().join("existing.csv");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        save_csv(&path, &h, &secret).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(std::fs::read_to_string(&path).unwrap().contains("wJalr"));

        // A symlink planted where the file goes is replaced, its target untouched.
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "not yours").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        save_csv(&link, &h, &secret).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "not yours");
        let meta = std::fs::symlink_metadata(&link).unwrap();
        assert!(meta.file_type().is_file() && meta.permissions().mode() & 0o777 == 0o600);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 3, "no temporary file is left: {left:?}");
    }
}
