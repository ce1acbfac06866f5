//! Module names from where files sit: the packages (folders with `__init__.py`) around them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tauten_engine::project::{FileFacts, ModuleInfo, ProjectView};

/// The dotted module name of a Python file inside packages (directories with `__init__.py`):
/// `pkg/sub/mod.py` -> `pkg.sub.mod`, `pkg/__init__.py` -> `pkg`; a file outside any package is a
/// top-level module named after its file.
pub fn module_name(path: &Path) -> Option<String> {
    ModuleNames::default().of(path)
}

/// Module names for many files, with each folder's package name found once (a run over a tree
/// would otherwise look for `__init__.py` in the same folders for every file).
#[derive(Debug, Default)]
pub struct ModuleNames {
    /// A folder's dotted package name, or `None` when it is no package.
    packages: HashMap<PathBuf, Option<String>>,
}

impl ModuleNames {
    /// The dotted module name of `path` (see [`module_name`]).
    pub fn of(&mut self, path: &Path) -> Option<String> {
        let stem = path.file_stem()?.to_str()?;
        let package = path.parent().and_then(|dir| self.package(dir));
        match (package, stem) {
            (Some(package), "__init__") => Some(package),
            (Some(package), stem) => Some(format!("{package}.{stem}")),
            (None, "__init__") => None,
            (None, stem) => Some(stem.to_owned()),
        }
    }

    /// The dotted name of the package `dir` is, when it has an `__init__.py`.
    fn package(&mut self, dir: &Path) -> Option<String> {
        if let Some(known) = self.packages.get(dir) {
            return known.clone();
        }
        let name = if dir.join("__init__.py").is_file() {
            dir.file_name().and_then(|n| n.to_str()).map(|own| {
                match dir.parent().and_then(|parent| self.package(parent)) {
                    Some(parent) => format!("{parent}.{own}"),
                    None => own.to_owned(),
                }
            })
        } else {
            None
        };
        self.packages.insert(dir.to_path_buf(), name.clone());
        name
    }
}

/// The module a file is, found by looking for `__init__.py` in its parent folders (a run over a
/// tree uses one [`ModuleNames`] for all its files).
pub fn module_info(path: &Path) -> ModuleInfo {
    ModuleInfo::new(module_name(path), path)
}

/// A file checked alone: its module from the folders around it, nothing known of its project.
pub fn file_facts(path: &Path) -> FileFacts {
    FileFacts {
        module: module_info(path),
        project: ProjectView::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_follow_packages() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("pkg/sub")).unwrap();
        for file in [
            "pkg/__init__.py",
            "pkg/sub/__init__.py",
            "pkg/sub/mod.py",
            "script.py",
        ] {
            std::fs::write(root.join(file), "").unwrap();
        }
        let mut names = ModuleNames::default();
        for _ in 0..2 {
            assert_eq!(
                names.of(&root.join("pkg/sub/mod.py")).as_deref(),
                Some("pkg.sub.mod")
            );
            assert_eq!(
                names.of(&root.join("pkg/__init__.py")).as_deref(),
                Some("pkg")
            );
            assert_eq!(names.of(&root.join("script.py")).as_deref(), Some("script"));
        }
        assert_eq!(
            module_name(&root.join("pkg/sub/__init__.py")).as_deref(),
            Some("pkg.sub")
        );
    }
}
