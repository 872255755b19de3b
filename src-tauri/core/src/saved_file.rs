//! A JSON file the app keeps in its data folder (key rotations in progress, the audit's
//! acknowledgements): written whole and atomically, and, when it cannot be read, set aside
//! rather than overwritten or left in the way. One damaged file must not block the feature,
//! and what it held stays on disk for whoever wants to look.

use crate::error::{Error, Result};
use crate::vocab::rfc3339;
use aws_sdk_iam::primitives::DateTime;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::{Path, PathBuf};

pub struct SavedFile {
    path: PathBuf,
}

/// What reading the file found.
pub enum Loaded<T> {
    Found(T),
    /// No file yet.
    Missing,
    /// It could not be read (`damage` says why) and was renamed to `aside`.
    SetAside {
        damage: String,
        aside: PathBuf,
    },
}

impl SavedFile {
    pub fn new(path: PathBuf) -> Self {
        SavedFile { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads it; a file that does not parse is renamed out of the way. One that cannot be
    /// read at all (permissions, an I/O error, a folder in its place) may be fine once that
    /// passes, so it is left where it is and the error says what `what` cannot do meanwhile
    /// ("rotations in progress cannot be saved"), as it does when setting aside fails.
    pub fn load<T: DeserializeOwned>(&self, what: &str) -> Result<Loaded<T>> {
        let damage = match std::fs::read(&self.path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(value) => return Ok(Loaded::Found(value)),
                Err(e) => e.to_string(),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::Missing),
            Err(e) => {
                return Err(Error::Internal(format!(
                    "{} could not be read ({e}); it is left as it is, and {what} until it can be read",
                    self.path.display()
                )))
            }
        };
        match self.set_aside() {
            Ok(aside) => Ok(Loaded::SetAside { damage, aside }),
            Err(e) => Err(Error::Internal(format!(
                "{} is unreadable ({damage}) and could not be set aside ({e}); {what}",
                self.path.display()
            ))),
        }
    }

    /// Renames the file to `<name>.damaged-<UTC time>`, never over an earlier one.
    fn set_aside(&self) -> std::io::Result<PathBuf> {
        let now = rfc3339(&DateTime::from(std::time::SystemTime::now()));
        let stamp: String = now.chars().take(19).filter(|c| c.is_ascii_digit() || *c == 'T').collect();
        let name = self.file_name();
        let mut aside = self.path.with_file_name(format!("{name}.damaged-{stamp}Z"));
        for n in 1.. {
            if !aside.exists() {
                break;
            }
            aside = self.path.with_file_name(format!("{name}.damaged-{stamp}Z-{n}"));
        }
        std::fs::rename(&self.path, &aside)?;
        Ok(aside)
    }

    /// Written whole through `private_file` (a temporary file flushed to disk, renamed into
    /// place, the folder flushed, owner-only): after a crash or power cut the file is the old
    /// value or the new one, never half of one.
    pub fn write<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let io = |e: std::io::Error| Error::Internal(format!("{}: {e}", self.path.display()));
        let json = serde_json::to_vec_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
        let dir = self.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        crate::private_file::write(&self.path, &json).map_err(io)
    }

    fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 20, item 8: only a file that does not parse is set aside; one that cannot be
    /// read (here a folder in its place: EISDIR, as EACCES or EIO would be) stays put.
    #[test]
    fn only_a_parse_failure_sets_the_file_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rotations.json");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), "kept").unwrap();
        let file = SavedFile::new(path.clone());
        let Err(err) = file.load::<Vec<String>>("rotations in progress cannot be saved") else {
            panic!("an unreadable file is an error")
        };
        let msg = err.to_string();
        assert!(msg.contains("could not be read"), "{msg}");
        assert!(msg.contains("it is left as it is, and rotations in progress cannot be saved"), "{msg}");
        assert_eq!(std::fs::read_to_string(path.join("inside")).unwrap(), "kept", "not moved");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing set aside");

        std::fs::remove_dir_all(&path).unwrap();
        std::fs::write(&path, "{not json").unwrap();
        match file.load::<Vec<String>>("x").unwrap() {
            Loaded::SetAside { aside, .. } => assert_eq!(std::fs::read_to_string(aside).unwrap(), "{not json"),
            _ => panic!("a file that does not parse is set aside"),
        }
        assert!(matches!(file.load::<Vec<String>>("x").unwrap(), Loaded::Missing));
        file.write(&vec!["a".to_string()]).unwrap();
        assert!(matches!(file.load::<Vec<String>>("x").unwrap(), Loaded::Found(v) if v == ["a"]));
    }
}
