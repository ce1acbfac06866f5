//! Project-wide facts gathered across the files of a run: which classes have their annotations read
//! at run time because a base class in another module does (ruff looks at one module at a time).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::driver::{FileJob, FileReport};
use crate::semantic::ClassFact;
use crate::source::Encoding;

/// What a whole project tells about each of its files, kept by front ends that check one file at
/// a time (the language server) and applied to each file's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFacts {
    /// How many files were looked at.
    pub files: usize,
    /// No file of the project reads annotations at run time.
    pub annotations_unread: bool,
    /// Some file of the project has an `async def`.
    pub has_async: bool,
    /// Classes whose annotations are read at run time, by qualified name, sorted.
    pub runtime_classes: Vec<String>,
    /// The project's sync functions that block, by qualified name, with the chain to the call.
    pub blocking: std::collections::BTreeMap<String, Vec<String>>,
    /// The module defining each of those functions and classes (a name alone does not tell
    /// `pkg.sub.f` of module `pkg.sub` from `pkg.C.f` of module `pkg`).
    pub defined_in: std::collections::BTreeMap<String, String>,
}

impl ProjectFacts {
    /// Add what the project knows to the settings of one of its files (its own module's blocking
    /// functions excluded: those come from the file's current text).
    pub fn apply_to(&self, settings: &mut crate::config::LintSettings) {
        settings.annotations_unread = self.annotations_unread;
        settings.project_has_async = self.has_async;
        let module = settings.module_name.clone();
        let own = |name: &str| {
            module.is_some() && self.defined_in.get(name).map(String::as_str) == module.as_deref()
        };
        let runtime = &mut settings.typing.runtime_evaluated_base_classes;
        runtime.extend(self.runtime_classes.iter().filter(|c| !own(c)).cloned());
        runtime.sort();
        runtime.dedup();
        let blocking: std::collections::BTreeMap<String, Vec<String>> = self
            .blocking
            .iter()
            .filter(|(name, _)| !own(name))
            .map(|(name, chain)| (name.clone(), chain.clone()))
            .collect();
        settings.project_blocking = std::sync::Arc::new(blocking);
    }
}

/// The qualified names of the classes of `modules` (module name, its classes) whose annotations
/// are read at run time: known so in their module, or deriving from such a class of any module.
pub fn runtime_classes<'a>(
    modules: impl Iterator<Item = (&'a str, &'a [ClassFact])>,
) -> HashSet<String> {
    // Qualified class name -> (bases, known runtime), over every module.
    let mut classes: HashMap<String, (&[String], bool)> = HashMap::new();
    for (module, facts) in modules {
        for class in facts {
            classes.insert(
                format!("{module}.{}", class.name),
                (&class.bases, class.runtime),
            );
        }
    }
    let mut runtime: HashSet<&str> = classes
        .iter()
        .filter(|(_, (_, is_runtime))| *is_runtime)
        .map(|(name, _)| name.as_str())
        .collect();
    // Follow bases until nothing changes (each round adds at least one class, so it ends).
    loop {
        let newly: Vec<&str> = classes
            .iter()
            .filter(|(name, (bases, _))| {
                !runtime.contains(name.as_str())
                    && bases.iter().any(|b| runtime.contains(b.as_str()))
            })
            .map(|(name, _)| name.as_str())
            .collect();
        if newly.is_empty() {
            break;
        }
        runtime.extend(newly);
    }
    runtime.into_iter().map(str::to_owned).collect()
}

/// For each job whose classes derive from a class of another module that is known, project-wide,
/// to have its annotations read at run time (while the module alone could not tell): the qualified
/// names of those bases, to check the file again with.
pub fn runtime_bases_from_other_modules(
    jobs: &[FileJob<'_>],
    checked: &[(FileReport, Option<Encoding>)],
) -> Vec<(usize, Vec<String>)> {
    let runtime = runtime_classes(jobs.iter().zip(checked).filter_map(|(job, (report, _))| {
        Some((
            job.settings.module_name.as_deref()?,
            &report.outcome.classes[..],
        ))
    }));
    let mut reruns = Vec::new();
    for (index, (job, (report, _))) in jobs.iter().zip(checked).enumerate() {
        let Some(module) = &job.settings.module_name else {
            continue;
        };
        let mut extra: Vec<String> = Vec::new();
        for class in &report.outcome.classes {
            let name = format!("{module}.{}", class.name);
            if class.runtime || !runtime.contains(name.as_str()) {
                continue;
            }
            extra.extend(
                class
                    .bases
                    .iter()
                    .filter(|b| runtime.contains(b.as_str()))
                    .cloned(),
            );
        }
        if !extra.is_empty() {
            extra.sort();
            extra.dedup();
            reruns.push((index, extra));
        }
    }
    reruns
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
    let stem = path.file_stem()?.to_str()?;
    let mut parts: Vec<String> = Vec::new();
    if stem != "__init__" {
        parts.push(stem.to_owned());
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if !d.join("__init__.py").is_file() {
            break;
        }
        parts.push(d.file_name()?.to_str()?.to_owned());
        dir = d.parent();
    }
    parts.reverse();
    (!parts.is_empty()).then(|| parts.join("."))
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
        assert_eq!(
            module_name(&root.join("pkg/sub/mod.py")).as_deref(),
            Some("pkg.sub.mod")
        );
        assert_eq!(
            module_name(&root.join("pkg/__init__.py")).as_deref(),
            Some("pkg")
        );
        assert_eq!(
            module_name(&root.join("script.py")).as_deref(),
            Some("script")
        );
    }

    #[test]
    fn project_facts_leave_out_only_what_the_file_itself_defines() {
        let chain = vec!["time.sleep()".to_owned()];
        let facts = ProjectFacts {
            blocking: [("pkg.sub.load", &chain), ("pkg.C.wait", &chain)]
                .into_iter()
                .map(|(name, chain)| (name.to_owned(), chain.clone()))
                .collect(),
            runtime_classes: vec!["pkg.models.Base".into(), "pkg.Own".into()],
            defined_in: [
                ("pkg.sub.load", "pkg.sub"),
                ("pkg.C.wait", "pkg"),
                ("pkg.models.Base", "pkg.models"),
                ("pkg.Own", "pkg"),
            ]
            .into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect(),
            ..ProjectFacts::default()
        };
        // The package's `__init__`: its submodules' names start with its own.
        let mut settings = crate::config::LintSettings {
            module_name: Some("pkg".into()),
            ..Default::default()
        };
        facts.apply_to(&mut settings);
        let blocking: Vec<&String> = settings.project_blocking.keys().collect();
        assert_eq!(blocking, ["pkg.sub.load"]);
        assert_eq!(
            settings.typing.runtime_evaluated_base_classes,
            ["pkg.models.Base"]
        );
    }
}
