//! The one way tauten writes a file it changes: `check --fix`, `split` and the cache all go through
//! here, so every command keeps the same promises.
//!
//! - A symbolic link is written through: its target gets the new text, the link stays a link.
//! - The file keeps its owner, group and mode: the new text goes to a temporary file in the same
//!   directory, which gets them before it is renamed over the old one.
//! - A file with several hard links is written in place (every link sees the new text), after a
//!   backup copy that is put back if the write fails and removed once it succeeded. So is a file
//!   whose owner or group the temporary file cannot take (a user who is not root).
//! - A file whose mode gives its owner no write permission (`chmod 444`) is refused, whoever runs
//!   tauten: root bypasses permission checks, so the mode bits are what is judged.
//!
//! Writing is two steps, [`prepare`] and [`Pending::commit`], so that a caller writing several files
//! all or nothing (`split`) can prepare all of them before changing any.

use std::io::Write as _;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A write ready to be committed: the new text is on disk beside the file, nothing replaced yet.
#[derive(Debug)]
pub struct Pending {
    /// The file that will be replaced (a symbolic link's target, not the link).
    target: PathBuf,
    how: How,
}

#[derive(Debug)]
enum How {
    /// Rename this temporary file (owner, group and mode already set) over the target.
    Rename { tmp: PathBuf },
    /// Overwrite the target in place; `backup` holds its old bytes until the write succeeded.
    InPlace { bytes: Vec<u8>, backup: PathBuf },
}

/// A name beside `target` for a temporary or backup file of this process.
fn sibling(target: &Path, kind: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.tauten-{}-{n}.{kind}", std::process::id()))
}

/// Where writing `path` really writes: the final target of a symbolic link, the path itself
/// otherwise (also when it does not exist yet).
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|err| {
            std::io::Error::new(
                err.kind(),
                format!(
                    "{} is a symbolic link whose target cannot be resolved: {err}",
                    path.display()
                ),
            )
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// Get ready to replace the contents of `path` with `bytes` (a new file when it does not exist).
/// Fails, with nothing changed, when the file is read-only by its mode, is not a regular file, or
/// the temporary file cannot be made.
pub fn prepare(path: &Path, bytes: &[u8]) -> std::io::Result<Pending> {
    let target = resolve(path)?;
    let existing = match std::fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(err),
    };
    let Some(meta) = existing else {
        let tmp = sibling(&target, "tmp");
        write_new(&tmp, bytes, None)?;
        return Ok(Pending {
            target,
            how: How::Rename { tmp },
        });
    };
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is not a regular file; left unchanged", target.display()),
        ));
    }
    let mode = meta.permissions().mode();
    if mode & 0o200 == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "{} is read-only (mode {:03o}); left unchanged",
                target.display(),
                mode & 0o7777
            ),
        ));
    }
    if meta.nlink() <= 1 {
        let tmp = sibling(&target, "tmp");
        match write_new(&tmp, bytes, Some(&meta)) {
            Ok(()) => {
                return Ok(Pending {
                    target,
                    how: How::Rename { tmp },
                })
            }
            // The temporary file cannot take the owner or group (not root): write in place.
            Err(err) if err.kind() == std::io::ErrorKind::PermissionDenied => {}
            Err(err) => return Err(err),
        }
    }
    let backup = sibling(&target, "bak");
    if let Err(err) = std::fs::copy(&target, &backup) {
        let _ = std::fs::remove_file(&backup);
        return Err(err);
    }
    Ok(Pending {
        target,
        how: How::InPlace {
            bytes: bytes.to_vec(),
            backup,
        },
    })
}

/// Create `tmp` with `bytes`, with the owner, group and mode of `like` when given. Removes `tmp`
/// again on failure.
fn write_new(tmp: &Path, bytes: &[u8], like: Option<&std::fs::Metadata>) -> std::io::Result<()> {
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(tmp)?;
        file.write_all(bytes)?;
        if let Some(meta) = like {
            let mine = file.metadata()?;
            if (mine.uid(), mine.gid()) != (meta.uid(), meta.gid()) {
                std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()))?;
            }
            // After the chown, which may clear set-id bits.
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    result
}

impl Pending {
    /// The file that is replaced (a symbolic link's target).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Put the new text in place. On failure the file keeps its old text.
    pub fn commit(self) -> std::io::Result<()> {
        match &self.how {
            How::Rename { tmp } => {
                let result = std::fs::rename(tmp, &self.target);
                if result.is_err() {
                    let _ = std::fs::remove_file(tmp);
                }
                result
            }
            How::InPlace { bytes, backup } => {
                let written = (|| {
                    let mut file = std::fs::OpenOptions::new()
                        .write(true)
                        .truncate(true)
                        .open(&self.target)?;
                    file.write_all(bytes)?;
                    file.sync_all()
                })();
                if let Err(err) = written {
                    return match restore(backup, &self.target) {
                        Ok(()) => {
                            let _ = std::fs::remove_file(backup);
                            Err(err)
                        }
                        Err(restore_err) => Err(std::io::Error::new(
                            err.kind(),
                            format!(
                                "{err}; the old text could not be put back ({restore_err}) and is kept in {}",
                                backup.display()
                            ),
                        )),
                    };
                }
                let _ = std::fs::remove_file(backup);
                Ok(())
            }
        }
    }

    /// Give up: remove the temporary or backup file; the target was never touched.
    pub fn abort(self) {
        match &self.how {
            How::Rename { tmp } => {
                let _ = std::fs::remove_file(tmp);
            }
            How::InPlace { backup, .. } => {
                let _ = std::fs::remove_file(backup);
            }
        }
    }
}

/// Copy `backup`'s bytes back into `target`, in place (the inode, so every hard link, stays).
fn restore(backup: &Path, target: &Path) -> std::io::Result<()> {
    let old = std::fs::read(backup)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(target)?;
    file.write_all(&old)?;
    file.sync_all()
}

/// Replace the contents of `path` with `bytes`, keeping what [the module](self) promises.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    prepare(path, bytes)?.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode_of(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    fn entries(dir: &Path) -> usize {
        std::fs::read_dir(dir).unwrap().count()
    }

    #[test]
    fn keeps_the_mode_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.py");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o751)).unwrap();
        write_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(mode_of(&path), 0o751);
        assert_eq!(entries(dir.path()), 1, "no temporary file left");
    }

    #[test]
    fn writes_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.py");
        let link = dir.path().join("link.py");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.py", &link).unwrap();
        write_file(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("real.py"));
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(entries(dir.path()), 2);
    }

    #[test]
    fn keeps_owner_and_group() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.py");
        std::fs::write(&path, "old").unwrap();
        let (uid, gid) = (4321, 8765);
        if std::os::unix::fs::chown(&path, Some(uid), Some(gid)).is_err() {
            eprintln!("not root: cannot give the file to another owner; test skipped");
            return;
        }
        write_file(&path, b"new").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (uid, gid));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn a_file_with_hard_links_is_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.py");
        let other = dir.path().join("y.py");
        std::fs::write(&path, "old").unwrap();
        std::fs::hard_link(&path, &other).unwrap();
        let inode = std::fs::metadata(&path).unwrap().ino();
        write_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "new");
        assert_eq!(std::fs::metadata(&path).unwrap().ino(), inode);
        assert_eq!(entries(dir.path()), 2, "the backup is removed");
    }

    #[test]
    fn a_read_only_file_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.py");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = write_file(&path, b"new").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
        assert!(err.to_string().contains("read-only (mode 444)"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(mode_of(&path), 0o444);
        assert_eq!(entries(dir.path()), 1);
    }

    #[test]
    fn a_new_file_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.py");
        write_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(entries(dir.path()), 1);
    }

    #[test]
    fn an_aborted_write_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.py");
        let other = dir.path().join("y.py");
        std::fs::write(&path, "old").unwrap();
        prepare(&path, b"new").unwrap().abort();
        std::fs::hard_link(&path, &other).unwrap();
        prepare(&path, b"new").unwrap().abort();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(entries(dir.path()), 2);
    }
}
