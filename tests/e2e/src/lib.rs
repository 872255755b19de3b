//! Drives the real Gatehouse window: Xvfb for a display, tauri-driver (which starts
//! WebKitWebDriver, which starts the app) and a small W3C WebDriver client over loopback.

pub mod display;
pub mod webdriver;

pub use display::{TauriDriver, Xvfb};
pub use webdriver::{keys, AppWindow, Element};

use gatehouse_testkit::{AwsFiles, AwsFront, Behaviour, Keychain, Moto};
use std::path::{Path, PathBuf};

/// Everything one app run needs around it: AWS files, a private keychain, and a HOME with
/// config, data and cache folders, all inside temporary directories.
pub struct AppWorld {
    pub files: AwsFiles,
    pub keychain: Keychain,
    pub home: PathBuf,
    pub config: PathBuf,
    pub credentials: PathBuf,
}

impl AppWorld {
    /// Writes `files` and starts the keychain.
    pub fn new(files: AwsFiles) -> AppWorld {
        let (config, credentials) = files.write();
        let home = files.dir.path().join("home");
        std::fs::create_dir_all(home.join("tmp")).unwrap();
        AppWorld { keychain: Keychain::start(), files, home, config, credentials }
    }

    /// The app's environment; `extra` adds or overrides variables (AWS_PROFILE, …).
    pub fn env(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let at = |p: &str| self.home.join(p).display().to_string();
        let mut env: Vec<(String, String)> = vec![
            ("HOME".into(), self.home.display().to_string()),
            ("XDG_CONFIG_HOME".into(), at(".config")),
            ("XDG_DATA_HOME".into(), at(".local/share")),
            ("XDG_CACHE_HOME".into(), at(".cache")),
            // The app's temporary files land here, inside the scanned world.
            ("TMPDIR".into(), at("tmp")),
            ("AWS_CONFIG_FILE".into(), self.config.display().to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE".into(), self.credentials.display().to_string()),
            ("AWS_MAX_ATTEMPTS".into(), "1".into()),
        ];
        env.extend(self.keychain.env());
        for (k, v) in extra {
            env.retain(|(ek, _)| ek != k);
            env.push((k.to_string(), v.to_string()));
        }
        env
    }
}

/// The app on one fresh moto account: the account seeded with an organisation, one profile
/// pointing at it (selected at start), and the window. Fields drop in order: the window
/// closes before its driver, display, world and endpoint go.
pub struct SeededApp {
    pub window: AppWindow,
    _driver: TauriDriver,
    _xvfb: Xvfb,
    _world: AppWorld,
    /// The AWS-shaped front the profile points at, when started with one.
    pub front: Option<AwsFront>,
    pub moto: Moto,
    /// What the seed created (`seed.py`'s JSON).
    pub seeded: serde_json::Value,
}

impl SeededApp {
    /// Account `account` seeded with `org` (see `src-tauri/scripts/seed.py`), profile `org`;
    /// `prepare` runs against the account before the app starts (extra boto3 setup).
    pub fn start(account: &str, org: &str, prepare: impl FnOnce(&Moto)) -> SeededApp {
        SeededApp::open(account, org, prepare, None)
    }

    /// As [`SeededApp::start`], the profile reaching the account through the testkit's
    /// AWS-shaped front (AWS's paging, and what `behaviour` adds).
    pub fn start_behind_front(
        account: &str,
        org: &str,
        prepare: impl FnOnce(&Moto),
        behaviour: Behaviour,
    ) -> SeededApp {
        SeededApp::open(account, org, prepare, Some(behaviour))
    }

    fn open(account: &str, org: &str, prepare: impl FnOnce(&Moto), front: Option<Behaviour>) -> SeededApp {
        let moto = Moto::start(account);
        let seeded = moto.seed(org);
        prepare(&moto);
        let front = front.map(|b| AwsFront::start(&moto.endpoint(), b));
        let endpoint = front.as_ref().map_or_else(|| moto.endpoint(), AwsFront::endpoint);
        let mut files = AwsFiles::new();
        files.static_profile(org, &endpoint, "us-east-1");
        let world = AppWorld::new(files);
        let xvfb = Xvfb::start();
        let driver = TauriDriver::start(&xvfb.display, &world.env(&[("AWS_PROFILE", org)]));
        let window = AppWindow::start(&driver.url(), &app_binary());
        SeededApp { window, _driver: driver, _xvfb: xvfb, _world: world, front, moto, seeded }
    }

    /// Ends the WebDriver session, then stops everything else.
    pub fn close(self) {
        let SeededApp { window, .. } = self;
        window.close();
    }
}

/// The encodings a secret can take on disk: UTF-8, and UTF-16 (little and big endian),
/// which WebKit uses for web storage.
fn encodings(secret: &str) -> Vec<Vec<u8>> {
    let utf16 =
        |le: bool| secret.encode_utf16().flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() }).collect();
    vec![secret.as_bytes().to_vec(), utf16(true), utf16(false)]
}

/// Every file under `dir` (changed at or after `since`, if given) that contains `secret` in
/// any encoding of [`encodings`], for "no secret on disk" checks.
pub fn files_containing(dir: &Path, secret: &str, since: Option<std::time::SystemTime>) -> Vec<PathBuf> {
    let needles = encodings(secret);
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&p) else { continue };
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() && since.is_none_or(|t| meta.modified().is_ok_and(|m| m >= t)) {
                if let Ok(bytes) = std::fs::read(&p) {
                    if needles.iter().any(|n| bytes.windows(n.len()).any(|w| w == n.as_slice())) {
                        hits.push(p);
                    }
                }
            }
        }
    }
    hits
}

/// The app binary under test: `GATEHOUSE_BIN`, or the debug build next to this test binary.
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("GATEHOUSE_BIN") {
        return PathBuf::from(p);
    }
    // target/<profile>/deps/<test> → target/<profile>/gatehouse
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(|d| d.parent()).unwrap().join("gatehouse");
    assert!(bin.exists(), "{} is missing: build the app first (cargo build --workspace --all-targets)", bin.display());
    bin
}

/// Where screenshots go: tests/e2e/screenshots (ignored by git).
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_secret_in_utf8_and_utf16_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let secret = "wJalrXUtnFEMI/K7MDENG";
        std::fs::write(dir.path().join("plain"), format!("x{secret}y")).unwrap();
        let le: Vec<u8> = secret.encode_utf16().flat_map(u16::to_le_bytes).collect();
        std::fs::create_dir(dir.path().join("LocalStorage")).unwrap();
        std::fs::write(dir.path().join("LocalStorage/db"), [b"\0\0".as_slice(), &le].concat()).unwrap();
        std::fs::write(dir.path().join("other"), "wJalrXUtnFEMI").unwrap();
        let mut hits = files_containing(dir.path(), secret, None);
        hits.sort();
        assert_eq!(hits, [dir.path().join("LocalStorage/db"), dir.path().join("plain")]);
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
        assert!(files_containing(dir.path(), secret, Some(later)).is_empty(), "older files are skipped");
    }
}
