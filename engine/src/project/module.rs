//! What a file is as a module of its project: its dotted name and whether it is a package's
//! `__init__`. Known from where the file sits, never from its text.

use std::path::Path;

/// A file's place in its project's module tree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ModuleInfo {
    /// The dotted module name (`pkg.sub.mod`; `pkg` for `pkg/__init__.py`), when known.
    pub name: Option<String>,
    /// The file is a package's `__init__.py` (or `__init__.pyi`).
    pub is_package_init: bool,
}

impl ModuleInfo {
    /// A module of this name; `is_package_init` from the file name of `path`.
    pub fn new(name: Option<String>, path: &Path) -> Self {
        ModuleInfo {
            name,
            is_package_init: path.file_stem().is_some_and(|stem| stem == "__init__"),
        }
    }

    /// The module a file is, found by looking for `__init__.py` in its parent folders (front ends
    /// that walked the tree already know it: see [`ModuleNames`]).
    pub fn of_path(path: &Path) -> Self {
        ModuleInfo::new(module_name(path), path)
    }

    /// `.m.x` made absolute against this module's package (see [`absolute_module`]).
    pub fn absolute(&self, name: &str) -> Option<String> {
        absolute_module(name, self.name.as_deref(), self.is_package_init)
    }

    /// True when this module is `package` or one of its submodules.
    pub fn contains_in(&self, package: &str) -> bool {
        self.name
            .as_deref()
            .is_some_and(|own| is_module_or_submodule(own, package))
    }

    /// True for `name` itself and its submodules (`pkg` contains `pkg.sub`, not `pkgx`).
    pub fn contains(&self, name: &str) -> bool {
        self.name
            .as_deref()
            .is_some_and(|own| is_module_or_submodule(name, own))
    }
}

/// True when `name` is `module` or one of its submodules (`a.b` for `a`, not `ab`).
pub fn is_module_or_submodule(name: &str, module: &str) -> bool {
    name.strip_prefix(module)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// `.m.x` made absolute against the package of the module `module_name` (`pkg.m.x`); absolute
/// names unchanged; `None` for a relative name in a module without a name, or one going above
/// the top-level package.
pub fn absolute_module(
    name: &str,
    module_name: Option<&str>,
    is_package_init: bool,
) -> Option<String> {
    let level = name.chars().take_while(|c| *c == '.').count();
    if level == 0 {
        return Some(name.to_owned());
    }
    let mut package: Vec<&str> = module_name?.split('.').collect();
    // A module's package is its parent; a package's `__init__` is its own package.
    let up = if is_package_init { level - 1 } else { level };
    if up > package.len() {
        return None;
    }
    package.truncate(package.len() - up);
    let rest = &name[level..];
    let mut absolute = package.join(".");
    if !rest.is_empty() {
        if !absolute.is_empty() {
            absolute.push('.');
        }
        absolute.push_str(rest);
    }
    Some(absolute)
}

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
    packages: std::collections::HashMap<std::path::PathBuf, Option<String>>,
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

    #[test]
    fn submodules_are_contained_by_name_parts() {
        assert!(is_module_or_submodule("pkg.sub", "pkg"));
        assert!(is_module_or_submodule("pkg", "pkg"));
        assert!(!is_module_or_submodule("pkgx", "pkg"));
    }
}
