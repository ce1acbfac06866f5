//! Finding the Python files to check: directories are walked with the `ignore` crate (gitignore,
//! hidden files and configured excludes respected); files named explicitly are always checked.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::config::Resolver;

/// The files to check, and the paths that could not be read.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    pub errors: Vec<(PathBuf, String)>,
}

/// `*.py` and `*.pyi`.
pub fn is_python_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyi")
}

/// Walk `paths` (files or directories) for Python files, sorted and without duplicates.
pub fn discover(paths: &[PathBuf], resolver: &Resolver) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(err) => found.errors.push((path.clone(), err.to_string())),
            Ok(meta) if meta.is_file() => found.files.push(path.clone()),
            Ok(_) => walk(path, resolver, &mut found),
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn walk(root: &Path, resolver: &Resolver, found: &mut Discovered) {
    let walker = WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .filter_entry({
            let excluded = resolver.exclusion_filter();
            move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                entry.depth() == 0 || !excluded(entry.path(), is_dir)
            }
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && is_python_file(entry.path()) {
                    found.files.push(entry.into_path());
                }
            }
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => root.to_path_buf(),
                };
                found.errors.push((path, err.to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(found: &Discovered, root: &Path) -> Vec<String> {
        found
            .files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn walks_python_files_respecting_gitignore_and_default_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "a.py",
            "b.pyi",
            "c.txt",
            "pkg/d.py",
            "ignored/e.py",
            ".venv/f.py",
            "node_modules/g.py",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        let found = discover(&[root.to_path_buf()], &Resolver::default());
        assert_eq!(names(&found, root), ["a.py", "b.pyi", "pkg/d.py"]);
        assert!(found.errors.is_empty());
    }

    #[test]
    fn explicit_files_are_kept_and_missing_paths_reported() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("script");
        std::fs::write(&script, "import os\n").unwrap();
        let missing = dir.path().join("missing.py");
        let found = discover(&[script.clone(), missing.clone()], &Resolver::default());
        assert_eq!(found.files, [script]);
        assert_eq!(found.errors.len(), 1);
        assert_eq!(found.errors[0].0, missing);
    }
}
