//! Copying a secret: from the Rust side (it never passes through the webview), marked so
//! that clipboard history managers do not keep it, and cleared after 30 seconds and when the
//! app exits, if the clipboard still holds it or cannot be read.

use gatehouse_core::error::{Error, Result};
use gatehouse_core::sensitive::Sensitive;
use std::sync::Mutex;
use std::time::Duration;

/// How long a copied secret stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct SecretClipboard {
    /// Kept open: on X11 the clipboard's content is served by its owner while it lives.
    clipboard: Mutex<Option<arboard::Clipboard>>,
    /// The secret last copied, and a count that tells a timer whether it is still the one.
    copied: Mutex<(u64, Option<Sensitive<String>>)>,
}

impl SecretClipboard {
    /// Puts `secret` on the clipboard; returns the copy's number for [`Self::clear`].
    pub fn copy(&self, secret: Sensitive<String>) -> Result<u64> {
        let mut guard = self.clipboard.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            *guard = Some(arboard::Clipboard::new().map_err(clipboard_error)?);
        }
        let clipboard = guard.as_mut().expect("opened above");
        set_excluded_from_history(clipboard, secret.expose()).map_err(clipboard_error)?;
        let mut copied = self.copied.lock().unwrap_or_else(|e| e.into_inner());
        copied.0 += 1;
        copied.1 = Some(secret);
        Ok(copied.0)
    }

    /// Clears the clipboard if it still holds copy number `copy` (or, with `None`, whatever
    /// secret was copied last), or if it cannot be read; forgets the secret either way.
    pub fn clear(&self, copy: Option<u64>) {
        let mut copied = self.copied.lock().unwrap_or_else(|e| e.into_inner());
        if copy.is_some_and(|n| n != copied.0) {
            return; // A later copy has its own timer.
        }
        let Some(secret) = copied.1.take() else { return };
        let mut guard = self.clipboard.lock().unwrap_or_else(|e| e.into_inner());
        let Some(clipboard) = guard.as_mut() else { return };
        if should_clear(clipboard.get_text().map_err(|e| e.to_string()), secret.expose()) {
            let _ = clipboard.clear();
        }
    }
}

/// Whether to clear: when the clipboard still holds our secret, and when it cannot be read
/// (then nobody can tell, and a secret must not stay by default).
fn should_clear(current: std::result::Result<String, String>, ours: &str) -> bool {
    current.map_or(true, |text| text == ours)
}

fn set_excluded_from_history(
    clipboard: &mut arboard::Clipboard,
    text: &str,
) -> std::result::Result<(), arboard::Error> {
    #[cfg(target_os = "macos")]
    use arboard::SetExtApple as _;
    #[cfg(target_os = "linux")]
    use arboard::SetExtLinux as _;
    #[cfg(windows)]
    use arboard::SetExtWindows as _;
    #[cfg(any(target_os = "linux", target_os = "macos", windows))]
    return clipboard.set().exclude_from_history().text(text);
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    return clipboard.set_text(text);
}

fn clipboard_error(e: arboard::Error) -> Error {
    Error::Internal(format!("the clipboard failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::should_clear;

    #[test]
    fn clears_our_secret_and_an_unreadable_clipboard_but_not_what_came_after() {
        assert!(should_clear(Ok("wJalr".into()), "wJalr"));
        assert!(should_clear(Err("no text on the clipboard".into()), "wJalr"), "unknown is not safe");
        assert!(!should_clear(Ok("something the user copied since".into()), "wJalr"));
    }
}
