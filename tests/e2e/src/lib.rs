//! Drives the real Gatehouse window: Xvfb for a display, tauri-driver (which starts
//! WebKitWebDriver, which starts the app) and a small W3C WebDriver client over loopback.

pub mod display;
pub mod webdriver;

pub use display::{TauriDriver, Xvfb};
pub use webdriver::{Element, Session};

use std::path::PathBuf;

/// The app binary under test: `GATEHOUSE_BIN`, or the debug build next to this test binary.
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("GATEHOUSE_BIN") {
        return PathBuf::from(p);
    }
    // target/<profile>/deps/<test> → target/<profile>/gatehouse
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(|d| d.parent()).unwrap().join("gatehouse");
    assert!(
        bin.exists(),
        "{} is missing: build the app first (cargo build --workspace --all-targets)",
        bin.display()
    );
    bin
}

/// Where screenshots go: tests/e2e/screenshots (ignored by git).
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
