//! The one way Gatehouse writes a file: the app's saved data, the SSO token cache, a
//! handoff's CSV, the exports. The content goes into a new temporary file in the target's
//! folder (created exclusively, readable by its owner only from the start), is flushed to
//! disk, and is renamed over the target; then the folder is flushed. So:
//! - a reader, a crash or a power cut sees the old file or the new one, never half of one;
//! - a symlink planted at the target is replaced, never followed, and an existing file's
//!   mode (or owner) never decides who can read what is written;
//! - the file is mode 0600 on Unix, whatever the umask.
//!
//! The temporary file is `tempfile`'s (a random name, `O_EXCL`, removed if anything fails).

use std::io::Write;
use std::path::Path;

/// Writes `content` to `path` atomically, readable by its owner only. The folder must exist.
pub fn write(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| std::io::Error::other("not a file name"))?;
    let prefix = format!(".{}.", name.to_string_lossy());
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(content)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn writes_whole_owner_only_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        write(&path, b"first").unwrap();
        write(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["report.csv"]);
    }

    /// Issue 20, item 5: a symlink at the chosen path is replaced, not followed, and a
    /// readable file there does not lend its mode.
    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_path_is_replaced_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep me").unwrap();
        let path = dir.path().join("export.csv");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        write(&path, b"exported").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me", "the link's target is untouched");
        assert!(!std::fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&path).unwrap(), b"exported");
        assert_eq!(mode(&path), 0o600);

        let readable = dir.path().join("readable.csv");
        std::fs::write(&readable, "old").unwrap();
        std::fs::set_permissions(&readable, std::fs::Permissions::from_mode(0o644)).unwrap();
        write(&readable, b"new").unwrap();
        assert_eq!(mode(&readable), 0o600);
    }

    #[test]
    fn a_missing_folder_is_an_error_and_nothing_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(&dir.path().join("no/such/folder/f"), b"x").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    }
}
