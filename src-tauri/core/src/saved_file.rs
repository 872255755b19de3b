//! A JSON file the app keeps in its data folder (key rotations in progress, the audit's
//! acknowledgements): written whole and atomically, and, when it cannot be read, set aside
//! rather than overwritten or left in the way. One damaged file must not block the feature,
//! and what it held stays on disk for whoever wants to look.

use crate::error::{Error, Result};
use crate::vocab::rfc3339;
use aws_sdk_iam::primitives::DateTime;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::Write;
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

    /// Reads it; a damaged file is renamed out of the way. The error, when even that fails,
    /// says what `what` cannot do meanwhile ("rotations in progress cannot be saved").
    pub fn load<T: DeserializeOwned>(&self, what: &str) -> Result<Loaded<T>> {
        let damage = match std::fs::read(&self.path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(value) => return Ok(Loaded::Found(value)),
                Err(e) => e.to_string(),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::Missing),
            Err(e) => e.to_string(),
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

    /// Written whole to a temporary file in the same folder, flushed to disk, renamed into
    /// place and the folder flushed: after a crash or power cut the file is the old value
    /// or the new one, never half of one.
    pub fn write<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let io = |e: std::io::Error| Error::Internal(format!("{}: {e}", self.path.display()));
        let json = serde_json::to_vec_pretty(value).map_err(|e| Error::Internal(e.to_string()))?;
        let dir = self.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = dir.join(format!(".{}.tmp-{}", self.file_name(), std::process::id()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, &self.path)?;
            sync_dir(dir)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map_err(io)
    }

    fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// Makes a rename in `dir` durable.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Windows cannot open a folder as a file to flush it; its rename is journaled by NTFS.
#[cfg(not(unix))]
fn sync_dir(_: &Path) -> std::io::Result<()> {
    Ok(())
}
