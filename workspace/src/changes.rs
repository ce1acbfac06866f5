//! Writing a set of files all or nothing: new directories, new and replaced files, and files to
//! remove once everything else is in place. Each file is written through the one writer
//! (`crate::write`: symbolic links, owner, group, mode, hard links, read-only files).

use std::path::{Path, PathBuf};

use crate::write::{self, Pending};

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

fn backup_name(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.tauten-split-{}.bak", std::process::id()))
}

impl Changes {
    fn commit(&self, index: usize, pending: Pending) -> std::io::Result<()> {
        #[cfg(test)]
        if self.fail_rename_at == Some(index) {
            pending.abort();
            return Err(std::io::Error::other("injected failure"));
        }
        let _ = index;
        pending.commit()
    }

    /// Create the directories, prepare every file through the shared writer (`write::prepare`: the
    /// new text beside the file, keeping a backup of each file it replaces), commit them, then
    /// remove the removals. On an error before the removals, undo everything done so far: the
    /// file system is as it was.
    pub fn apply(&self) -> Result<(), Failure> {
        let mut created: Vec<&PathBuf> = Vec::new();
        let mut pending: Vec<Pending> = Vec::new();
        // For each write: the file replaced (a link's target) and its backup, or none for a new file.
        let mut backups: Vec<Option<(PathBuf, PathBuf)>> = Vec::new();
        let remove_backups = |backups: &[Option<(PathBuf, PathBuf)>]| {
            for (_, backup) in backups.iter().flatten() {
                let _ = std::fs::remove_file(backup);
            }
        };
        let remove_created = |created: &[&PathBuf]| {
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
                let target = write::resolve(path)?;
                if std::fs::symlink_metadata(&target).is_ok() {
                    let backup = backup_name(&target);
                    backups.push(Some((target.clone(), backup.clone())));
                    std::fs::copy(&target, &backup)?;
                } else {
                    backups.push(None);
                }
                pending.push(write::prepare(path, bytes)?);
            }
            Ok(())
        })();
        if let Err(err) = prepared {
            for p in pending {
                p.abort();
            }
            remove_backups(&backups);
            remove_created(&created);
            return Err(Failure::Undone(err));
        }
        let targets: Vec<PathBuf> = pending.iter().map(|p| p.target().to_path_buf()).collect();
        let mut pending = pending.into_iter().enumerate();
        while let Some((i, p)) = pending.next() {
            if let Err(err) = self.commit(i, p) {
                // Put back what was replaced, remove what was new.
                for (done, backup) in targets[..i].iter().zip(&backups) {
                    match backup {
                        Some((_, backup)) => {
                            let _ = std::fs::copy(backup, done);
                        }
                        None => {
                            let _ = std::fs::remove_file(done);
                        }
                    }
                }
                for (_, rest) in pending {
                    rest.abort();
                }
                remove_backups(&backups);
                remove_created(&created);
                return Err(Failure::Undone(err));
            }
        }
        remove_backups(&backups);
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

    #[test]
    fn writes_through_links_and_refuses_read_only_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.py");
        let link = dir.path().join("link.py");
        std::fs::write(&real, "old\n").unwrap();
        std::os::unix::fs::symlink("real.py", &link).unwrap();
        let changes = Changes {
            writes: vec![(link.clone(), b"new\n".to_vec())],
            ..Changes::default()
        };
        changes.apply().unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
        let locked = dir.path().join("locked.py");
        std::fs::write(&locked, "locked\n").unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
        let changes = Changes {
            writes: vec![
                (real.clone(), b"newer\n".to_vec()),
                (locked.clone(), b"x\n".to_vec()),
            ],
            ..Changes::default()
        };
        let failure = changes.apply().unwrap_err();
        assert!(failure.to_string().contains("read-only"), "{failure}");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
        assert_eq!(std::fs::read_to_string(&locked).unwrap(), "locked\n");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 3, "{left:?}");
    }
}
