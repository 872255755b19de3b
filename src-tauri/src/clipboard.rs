//! Copying a secret: from the Rust side (it never passes through the webview), marked so
//! that clipboard history managers do not keep it, and cleared after 30 seconds and when the
//! app exits, if the clipboard still holds it or cannot be read.
//!
//! One lock guards the clipboard and the secret copied last together, so a copy and a
//! clear (the 30 s timer, the exit) cannot wait for each other. Clipboard calls block (an
//! X11 or Wayland round trip, which a stuck clipboard manager can stretch), so callers on
//! the async runtime run them on its blocking pool.

use gatehouse_core::error::{Error, Result};
use gatehouse_core::sensitive::Sensitive;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a copied secret stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// How long the exit waits for the clipboard to be cleared. On X11 the clipboard's content
/// is served by its owner, so a process that is gone serves nothing either way.
pub const CLEAR_AT_EXIT_WITHIN: Duration = Duration::from_secs(2);

/// The system clipboard, as far as a copied secret needs it.
pub trait Board: Send {
    /// Puts `text` on the clipboard, kept out of clipboard history where the system can.
    fn set_secret(&mut self, text: &str) -> std::result::Result<(), String>;
    fn get_text(&mut self) -> std::result::Result<String, String>;
    fn clear(&mut self) -> std::result::Result<(), String>;
}

/// The real clipboard (arboard), opened on the first copy and kept open: on X11 the
/// clipboard's content is served by its owner while it lives.
#[derive(Default)]
pub struct SystemBoard(Option<arboard::Clipboard>);

impl SystemBoard {
    fn open(&mut self) -> std::result::Result<&mut arboard::Clipboard, String> {
        if self.0.is_none() {
            self.0 = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        Ok(self.0.as_mut().expect("opened above"))
    }
}

impl Board for SystemBoard {
    fn set_secret(&mut self, text: &str) -> std::result::Result<(), String> {
        set_excluded_from_history(self.open()?, text).map_err(|e| e.to_string())
    }

    fn get_text(&mut self) -> std::result::Result<String, String> {
        self.open()?.get_text().map_err(|e| e.to_string())
    }

    fn clear(&mut self) -> std::result::Result<(), String> {
        // Never opened: nothing of ours can be on it.
        match self.0.as_mut() {
            Some(c) => c.clear().map_err(|e| e.to_string()),
            None => Ok(()),
        }
    }
}

struct State<B> {
    board: B,
    /// A count that tells a timer whether the secret is still the one it was started for.
    count: u64,
    /// The secret last copied, while it may be on the clipboard.
    secret: Option<Sensitive<String>>,
}

pub struct SecretClipboard<B: Board = SystemBoard> {
    state: Mutex<State<B>>,
}

impl<B: Board + Default> Default for SecretClipboard<B> {
    fn default() -> Self {
        Self::with_board(B::default())
    }
}

impl<B: Board> SecretClipboard<B> {
    pub fn with_board(board: B) -> Self {
        SecretClipboard { state: Mutex::new(State { board, count: 0, secret: None }) }
    }

    /// Puts `secret` on the clipboard; returns the copy's number for [`Self::clear`].
    /// Blocking: call it off the async runtime.
    pub fn copy(&self, secret: Sensitive<String>) -> Result<u64> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.board.set_secret(secret.expose()).map_err(clipboard_error)?;
        state.count += 1;
        state.secret = Some(secret);
        Ok(state.count)
    }

    /// Clears the clipboard if it still holds copy number `copy` (or, with `None`, whatever
    /// secret was copied last), or if it cannot be read; forgets the secret either way.
    /// Blocking: call it off the async runtime.
    pub fn clear(&self, copy: Option<u64>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if copy.is_some_and(|n| n != state.count) {
            return; // A later copy has its own timer.
        }
        let Some(secret) = state.secret.take() else { return };
        if should_clear(state.board.get_text(), secret.expose()) {
            let _ = state.board.clear();
        }
    }
}

impl<B: Board + 'static> SecretClipboard<B> {
    /// `clear(None)` on a thread of its own, waited for at most `limit`: the exit clears
    /// the secret, and a clipboard that does not answer cannot hold the app open.
    pub fn clear_within(self: &Arc<Self>, limit: Duration) -> bool {
        let (done, finished) = std::sync::mpsc::channel();
        let this = Arc::clone(self);
        std::thread::spawn(move || {
            this.clear(None);
            let _ = done.send(());
        });
        finished.recv_timeout(limit).is_ok()
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

fn clipboard_error(e: String) -> Error {
    Error::Internal(format!("the clipboard failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clears_our_secret_and_an_unreadable_clipboard_but_not_what_came_after() {
        assert!(should_clear(Ok("wJalr".into()), "wJalr"));
        assert!(should_clear(Err("no text on the clipboard".into()), "wJalr"), "unknown is not safe");
        assert!(!should_clear(Ok("something the user copied since".into()), "wJalr"));
    }

    /// A clipboard in memory whose every call takes a while, as an X11 round trip does.
    #[derive(Default)]
    struct SlowBoard(Option<String>);

    impl Board for SlowBoard {
        fn set_secret(&mut self, text: &str) -> std::result::Result<(), String> {
            std::thread::sleep(Duration::from_micros(200));
            self.0 = Some(text.to_string());
            Ok(())
        }
        fn get_text(&mut self) -> std::result::Result<String, String> {
            std::thread::sleep(Duration::from_micros(200));
            self.0.clone().ok_or_else(|| "empty".to_string())
        }
        fn clear(&mut self) -> std::result::Result<(), String> {
            self.0 = None;
            Ok(())
        }
    }

    /// Issue 20, item 3: a Copy at the moment a timer clears (or the app exits) must not
    /// deadlock either of them. Two threads race copies against clears; both finish.
    #[test]
    fn copy_and_clear_racing_from_two_threads_both_finish() {
        let clipboard = Arc::new(SecretClipboard::with_board(SlowBoard::default()));
        let (done, finished) = std::sync::mpsc::channel();
        let copier = {
            let (clipboard, done) = (Arc::clone(&clipboard), done.clone());
            std::thread::spawn(move || {
                for i in 0..500 {
                    clipboard.copy(Sensitive::new(format!("secret-{i}"))).unwrap();
                }
                done.send("copies").unwrap();
            })
        };
        let clearer = {
            let clipboard = Arc::clone(&clipboard);
            std::thread::spawn(move || {
                for i in 0..500u64 {
                    clipboard.clear(if i % 2 == 0 { None } else { Some(i) });
                }
                done.send("clears").unwrap();
            })
        };
        let limit = Duration::from_secs(20);
        let first = finished.recv_timeout(limit).expect("a copy or a clear is stuck: deadlock");
        let second = finished.recv_timeout(limit).expect("a copy or a clear is stuck: deadlock");
        assert_ne!(first, second);
        copier.join().unwrap();
        clearer.join().unwrap();
        // Whatever the interleaving, a clear of everything leaves no secret behind.
        clipboard.clear(None);
        let mut state = clipboard.state.lock().unwrap();
        assert!(state.secret.is_none());
        assert_eq!(state.count, 500);
        assert!(state.board.get_text().is_err(), "the last secret was cleared");
    }

    #[test]
    fn a_timer_of_an_earlier_copy_leaves_a_later_one_alone_and_the_exit_clears_it() {
        let clipboard = Arc::new(SecretClipboard::with_board(SlowBoard::default()));
        let first = clipboard.copy(Sensitive::new("one".into())).unwrap();
        clipboard.copy(Sensitive::new("two".into())).unwrap();
        clipboard.clear(Some(first));
        assert_eq!(clipboard.state.lock().unwrap().board.get_text().as_deref(), Ok("two"));
        assert!(clipboard.clear_within(Duration::from_secs(5)));
        assert!(clipboard.state.lock().unwrap().board.get_text().is_err());
    }

    /// A clipboard that never answers holds the exit at most the time limit.
    #[test]
    fn the_exit_does_not_wait_for_a_stuck_clipboard() {
        struct Stuck;
        impl Board for Stuck {
            fn set_secret(&mut self, _: &str) -> std::result::Result<(), String> {
                Ok(())
            }
            fn get_text(&mut self) -> std::result::Result<String, String> {
                std::thread::sleep(Duration::from_secs(3600));
                Err("never".into())
            }
            fn clear(&mut self) -> std::result::Result<(), String> {
                Ok(())
            }
        }
        let clipboard = Arc::new(SecretClipboard::with_board(Stuck));
        clipboard.copy(Sensitive::new("s".into())).unwrap();
        let started = std::time::Instant::now();
        assert!(!clipboard.clear_within(Duration::from_millis(300)));
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    }
}
