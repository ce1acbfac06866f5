//! Writing a set of files all or nothing: new directories, new and replaced files, and files to
//! remove once everything else is in place.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One all-or-nothing change to the file system.
#[derive(Debug, Default)]
pub struct Changes {
    /// Directories to create first (their parent must exist).
    pub directories: Vec<PathBuf>,
    /// Files to write: new ones, or replacements of existing ones.
    pub writes: Vec<(PathBuf, Vec<u8>)>,
    /// Files to remove after every write is in place.
    pub removals: Vec<PathBuf>,
    /// Tests: make the rename of this write fail.
    #[cfg(test)]
    fail_rename_at: Option<usize>,
}

/// Why [`Changes::apply`] failed.
#[derive(Debug)]
pub enum Failure {
    /// Nothing was changed: everything done before the error was undone.
    Undone(std::io::Error),
    /// Every file was written, but this one could not be removed afterwards.
    Removal(PathBuf, std::io::Error),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Undone(err) => write!(f, "nothing written: {err}"),
            Failure::Removal(path, err) => write!(
                f,
                "every file was written, but {} could not be removed ({err}); remove it by hand",
                path.display()
            ),
        }
    }
}

fn temp_name(path: &Path, kind: &str) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(
        ".{name}.tauten-split-{}.{kind}",
        std::process::id()
    ))
}

impl Changes {
    fn rename(&self, index: usize, from: &Path, to: &Path) -> std::io::Result<()> {
        #[cfg(test)]
        if self.fail_rename_at == Some(index) {
            return Err(std::io::Error::other("injected failure"));
        }
        let _ = index;
        std::fs::rename(from, to)
    }

    /// Create the directories, write every file under a temporary name (keeping a backup of each
    /// file it replaces), rename them into place, then remove the removals. On an error before
    /// the removals, undo everything done so far: the file system is as it was.
    pub fn apply(&self) -> Result<(), Failure> {
        let mut created: Vec<&PathBuf> = Vec::new();
        let mut temps: Vec<PathBuf> = Vec::new();
        let mut backups: Vec<Option<PathBuf>> = Vec::new();
        let undo = |created: &[&PathBuf], temps: &[PathBuf], backups: &[Option<PathBuf>]| {
            for path in temps.iter().chain(backups.iter().flatten()) {
                let _ = std::fs::remove_file(path);
            }
            for dir in created.iter().rev() {
                let _ = std::fs::remove_dir(dir);
            }
        };
        let prepared = (|| {
            for dir in &self.directories {
                std::fs::create_dir(dir)?;
                created.push(dir);
            }
            for (path, bytes) in &self.writes {
                let tmp = temp_name(path, "tmp");
                let mut file = std::fs::File::create(&tmp)?;
                temps.push(tmp.clone());
                file.write_all(bytes)?;
                file.sync_all()?;
                let backup = match std::fs::metadata(path) {
                    Ok(meta) => {
                        std::fs::set_permissions(&tmp, meta.permissions())?;
                        let backup = temp_name(path, "bak");
                        std::fs::copy(path, &backup)?;
                        Some(backup)
                    }
                    Err(_) => None,
                };
                backups.push(backup);
            }
            Ok(())
        })();
        if let Err(err) = prepared {
            undo(&created, &temps, &backups);
            return Err(Failure::Undone(err));
        }
        for (i, ((path, _), tmp)) in self.writes.iter().zip(&temps).enumerate() {
            if let Err(err) = self.rename(i, tmp, path) {
                // Put back what was replaced, remove what was new.
                for ((done, _), backup) in self.writes[..i].iter().zip(&backups) {
                    match backup {
                        Some(backup) => {
                            let _ = std::fs::copy(backup, done);
                        }
                        None => {
                            let _ = std::fs::remove_file(done);
                        }
                    }
                }
                undo(&created, &temps, &backups);
                return Err(Failure::Undone(err));
            }
        }
        for backup in backups.iter().flatten() {
            let _ = std::fs::remove_file(backup);
        }
        for path in &self.removals {
            std::fs::remove_file(path).map_err(|err| Failure::Removal(path.clone(), err))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_everything_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.py");
        std::fs::write(&old, "old\n").unwrap();
        let changes = Changes {
            directories: vec![dir.path().join("new")],
            writes: vec![
                (old.clone(), b"replaced\n".to_vec()),
                (dir.path().join("new/part.py"), b"part\n".to_vec()),
                // A directory in the way: backing it up fails before anything is renamed.
                (dir.path().join("new"), b"x".to_vec()),
            ],
            removals: vec![],
            fail_rename_at: None,
        };
        assert!(changes.apply().is_err());
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "old\n");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    #[test]
    fn a_failed_rename_puts_back_what_was_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.py");
        std::fs::write(&old, "old\n").unwrap();
        let changes = Changes {
            directories: vec![dir.path().join("new")],
            writes: vec![
                (old.clone(), b"replaced\n".to_vec()),
                (dir.path().join("new/part.py"), b"part\n".to_vec()),
                (dir.path().join("other.py"), b"other\n".to_vec()),
            ],
            removals: vec![old.clone()],
            // The first two are in place when the third fails.
            fail_rename_at: Some(2),
        };
        let failure = changes.apply().unwrap_err();
        assert!(matches!(failure, Failure::Undone(_)), "{failure}");
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "old\n");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    #[test]
    fn writes_then_removes() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("mod.py");
        std::fs::write(&old, "old\n").unwrap();
        let changes = Changes {
            directories: vec![dir.path().join("mod")],
            writes: vec![(dir.path().join("mod/__init__.py"), b"new\n".to_vec())],
            removals: vec![old.clone()],
            fail_rename_at: None,
        };
        changes.apply().unwrap();
        assert!(!old.exists());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("mod/__init__.py")).unwrap(),
            "new\n"
        );
    }
}
