//! What a file is as a module of its project: its dotted name and whether it is a package's
//! `__init__`. Known from where the file sits (the workspace layer's `modules` finds it), never
//! from its text.

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

    /// A file known only by its name, outside any package: a top-level module named after its
    /// file (no name for an `__init__`). The workspace layer finds the packages around a file.
    pub fn of_file_name(path: &Path) -> Self {
        let name = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .filter(|stem| *stem != "__init__")
            .map(str::to_owned);
        ModuleInfo::new(name, path)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submodules_are_contained_by_name_parts() {
        assert!(is_module_or_submodule("pkg.sub", "pkg"));
        assert!(is_module_or_submodule("pkg", "pkg"));
        assert!(!is_module_or_submodule("pkgx", "pkg"));
    }
}
