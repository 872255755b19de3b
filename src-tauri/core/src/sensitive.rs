//! A wrapper for secrets (secret access keys, passwords): it never prints, refuses to be
//! serialised, and wipes its memory when dropped. The one way out is [`Sensitive::expose`],
//! so every place that reads a secret is greppable.

use serde::{Serialize, Serializer};
use std::fmt;
use zeroize::Zeroize;

pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sensitive(<redacted>)")
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T: Zeroize> Serialize for Sensitive<T> {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("a secret cannot be serialised; reveal it explicitly"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_or_serialises_its_content() {
        let s = Sensitive::new(String::from("wJalrXUtnFEMI/K7MDENG"));
        assert!(!format!("{s:?}").contains("wJalr"));
        assert!(!format!("{s}").contains("wJalr"));
        assert!(!format!("{:#?}", vec![&s]).contains("wJalr"));
        let err = serde_json::to_string(&s).unwrap_err().to_string();
        assert!(err.contains("cannot be serialised"), "{err}");
        assert_eq!(s.expose(), "wJalrXUtnFEMI/K7MDENG");
    }
}
