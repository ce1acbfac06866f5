//! Temporary copies of the project that the command runs against: one holds the fixes being
//! judged, the other what they are compared with. Each is byte-compiled before it is timed, so
//! that no run pays for compiling (`PYTHONDONTWRITEBYTECODE` would make every run pay).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ignore::WalkBuilder;

use crate::error::CliError;

/// A copy of the project's files, ignored ones too (a generated `_version.py` is often ignored by
/// git and imported all the same); hidden folders, virtual environments, `node_modules` and
/// `__pycache__` are left out.
pub struct ProjectCopy {
    _dir: tempfile::TempDir,
    root: PathBuf,
    /// The files written over the copy's originals, with their original bytes.
    changed: BTreeMap<PathBuf, Vec<u8>>,
}

impl ProjectCopy {
    pub fn new(project: &Path) -> Result<ProjectCopy, CliError> {
        let dir = tempfile::tempdir().map_err(|e| CliError::Io(e.to_string()))?;
        let name = project.file_name().unwrap_or("project".as_ref());
        let root = dir.path().join(name);
        let walker = WalkBuilder::new(project)
            .standard_filters(false)
            .hidden(true)
            .filter_entry(|entry| {
                let name = entry.file_name();
                name != "__pycache__"
                    && name != "node_modules"
                    && !entry.path().join("pyvenv.cfg").is_file()
            })
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| CliError::Io(e.to_string()))?;
            let Ok(rel) = entry.path().strip_prefix(project) else {
                continue;
            };
            let target = root.join(rel);
            let result = if entry.file_type().is_some_and(|t| t.is_dir()) {
                std::fs::create_dir_all(&target)
            } else {
                std::fs::copy(entry.path(), &target).map(|_| ())
            };
            result.map_err(|e| CliError::Path(target, e.to_string()))?;
        }
        Ok(ProjectCopy {
            _dir: dir,
            root,
            changed: BTreeMap::new(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Make the copy hold `files` (relative path -> bytes) over the project's originals; a file
    /// written earlier and not in `files` gets its original bytes back. Returns the files that
    /// changed, to byte-compile.
    pub fn set(&mut self, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<Vec<PathBuf>, CliError> {
        let mut touched = Vec::new();
        let restore: Vec<PathBuf> = (self.changed.keys())
            .filter(|rel| !files.contains_key(*rel))
            .cloned()
            .collect();
        for rel in restore {
            let original = self.changed.remove(&rel).unwrap_or_default();
            self.write(&rel, &original)?;
            touched.push(rel);
        }
        for (rel, bytes) in files {
            let path = self.root.join(rel);
            let current =
                std::fs::read(&path).map_err(|e| CliError::Path(path.clone(), e.to_string()))?;
            if &current == bytes {
                continue;
            }
            self.changed.entry(rel.clone()).or_insert(current);
            self.write(rel, bytes)?;
            touched.push(rel.clone());
        }
        Ok(touched)
    }

    fn write(&self, rel: &Path, bytes: &[u8]) -> Result<(), CliError> {
        let path = self.root.join(rel);
        std::fs::write(&path, bytes).map_err(|e| CliError::Path(path, e.to_string()))
    }

    /// Byte-compile `files` of the copy (all of it when `None`) with `python`, rewriting their
    /// bytecode whatever its time stamps say.
    pub fn compile(&self, python: &str, files: Option<&[PathBuf]>) -> Result<(), CliError> {
        let mut command = Command::new(python);
        command
            .args(["-m", "compileall", "-q", "-f"])
            .current_dir(&self.root)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        match files {
            None => command.args(["-j", "0", "."]),
            Some([]) => return Ok(()),
            Some(files) => command.args(files),
        };
        // A file that does not compile fails the run that imports it: that is where it shows.
        command
            .status()
            .map_err(|e| CliError::Io(format!("cannot run `{python} -m compileall`: {e}")))?;
        Ok(())
    }
}
