//! The project pass: what only the whole project tells about each of its modules. Each module's
//! analysis gives a [`ModuleSummary`]; [`ProjectFacts::gather`] puts the summaries together; each
//! file is then checked with its [`ProjectView`], read by rules from their `Context`. The command
//! line's run and the language server's index are the same code (`driver::gather_facts`).

mod summary;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

pub use crate::facts::{describe_modules, FileFacts, Importers, ProjectFlags, ProjectView};
pub use crate::module::{absolute_module, is_module_or_submodule, ModuleInfo};
pub use summary::{ImportedName, ModuleSummary};

use crate::callgraph::BlockingChain;
use crate::semantic::ClassFact;

/// What a whole project tells, gathered from its modules' summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFacts {
    /// How many files were looked at.
    pub files: usize,
    /// No file of the project reads annotations at run time.
    pub annotations_unread: bool,
    /// Some file of the project has an `async def`.
    pub has_async: bool,
    /// Some file of the project imports anyio.
    pub uses_anyio: bool,
    /// Some file of the project imports trio.
    pub uses_trio: bool,
    /// Classes whose annotations are read at run time, by qualified name, sorted.
    pub runtime_classes: Vec<String>,
    /// The project's sync functions that block, by qualified name, with the chain to the call.
    pub blocking: BTreeMap<String, BlockingChain>,
    /// The project's functions that read the running loop or the stack (directly or through the
    /// project's functions they call), with the call that does.
    pub context_readers: BTreeMap<String, String>,
    /// The coroutines (`async def`, by qualified name, sorted) that call each of those blocking
    /// functions directly, for those any coroutine calls.
    pub blocking_callers: BTreeMap<String, Vec<String>>,
    /// The module defining each of those functions and classes (a name alone does not tell
    /// `pkg.sub.f` of module `pkg.sub` from `pkg.C.f` of module `pkg`).
    pub defined_in: BTreeMap<String, String>,
    /// For each module, the names bound by its imports that other modules of the project import
    /// from it (a fix must not take them away).
    pub imported_names: BTreeMap<String, Importers>,
}

impl ProjectFacts {
    /// Put together the summaries of a project's modules (module, summary), with the flags the
    /// run found before checking.
    pub fn gather<'a>(
        modules: impl Iterator<Item = (&'a ModuleInfo, &'a ModuleSummary)> + Clone,
        flags: ProjectFlags,
    ) -> ProjectFacts {
        let named = modules
            .clone()
            .filter_map(|(info, summary)| Some((info.name.as_deref()?, summary)));
        let runtime = runtime_classes(named.clone().map(|(name, s)| (name, &s.classes[..])));
        let blocking =
            crate::callgraph::blocking_functions(modules.clone().map(|(_, s)| &s.functions[..]));
        let context_readers =
            crate::callgraph::context_readers(modules.clone().map(|(_, s)| &s.functions[..]));
        let mut blocking_callers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (_, summary) in modules.clone() {
            for function in summary.functions.iter().filter(|f| f.is_async) {
                for call in function.calls.iter().filter(|c| blocking.contains_key(*c)) {
                    let callers = blocking_callers.entry(call.clone()).or_default();
                    if !callers.contains(&function.name) {
                        callers.push(function.name.clone());
                    }
                }
            }
        }
        blocking_callers
            .values_mut()
            .for_each(|callers| callers.sort());
        let mut defined_in = BTreeMap::new();
        for (module, summary) in named.clone() {
            let classes = (summary.classes.iter())
                .map(|c| format!("{module}.{}", c.name))
                .filter(|name| runtime.contains(name));
            let functions = (summary.functions.iter())
                .map(|f| f.name.clone())
                .filter(|name| blocking.contains_key(name) || context_readers.contains_key(name));
            for name in classes.chain(functions) {
                defined_in.insert(name, module.to_owned());
            }
        }
        let mut runtime_classes: Vec<String> = runtime.into_iter().collect();
        runtime_classes.sort();
        ProjectFacts {
            files: modules.count(),
            annotations_unread: flags.annotations_unread,
            has_async: flags.has_async,
            uses_anyio: flags.uses_anyio,
            uses_trio: flags.uses_trio,
            runtime_classes,
            blocking,
            context_readers,
            blocking_callers,
            defined_in,
            imported_names: imported_names(named),
        }
    }

    /// What the project tells the module `module`. With its `summary`, only what can matter to it
    /// (the blocking helpers it calls, the run-time bases of its classes, its own names that
    /// others import); without (a file being edited, whose text has moved on), every other
    /// module's helpers and classes.
    pub fn view_for(&self, module: &ModuleInfo, summary: Option<&ModuleSummary>) -> ProjectView {
        let own =
            |name: &str| module.name.is_some() && self.defined_in.get(name) == module.name.as_ref();
        let mut view = ProjectView {
            annotations_unread: self.annotations_unread,
            has_async: self.has_async,
            uses_anyio: self.uses_anyio,
            uses_trio: self.uses_trio,
            ..ProjectView::default()
        };
        let imported = module
            .name
            .as_ref()
            .and_then(|name| self.imported_names.get(name));
        match summary {
            None => {
                view.runtime_bases = (self.runtime_classes.iter())
                    .filter(|c| !own(c))
                    .cloned()
                    .collect();
                view.blocking = Arc::new(
                    (self.blocking.iter())
                        .filter(|(name, _)| !own(name))
                        .map(|(name, chain)| (name.clone(), chain.clone()))
                        .collect(),
                );
                view.context_readers = Arc::new(
                    (self.context_readers.iter())
                        .filter(|(name, _)| !own(name))
                        .map(|(name, reader)| (name.clone(), reader.clone()))
                        .collect(),
                );
                view.blocking_callers = Arc::new(self.blocking_callers.clone());
                view.imported_names = Arc::new(imported.cloned().unwrap_or_default());
            }
            Some(summary) => {
                view.runtime_bases = self.runtime_bases_of(module, summary);
                let mut blocking = BTreeMap::new();
                let mut readers = BTreeMap::new();
                for call in summary.functions.iter().flat_map(|f| &f.calls) {
                    // Most calls are to no such helper: whose helper it is is asked last.
                    let chain = self.blocking.get(call);
                    let reader = self.context_readers.get(call);
                    if (chain.is_none() && reader.is_none()) || own(call) {
                        continue;
                    }
                    if let Some(chain) = chain {
                        blocking.insert(call.clone(), chain.clone());
                    }
                    if let Some(reader) = reader {
                        readers.insert(call.clone(), reader.clone());
                    }
                }
                let mut callers = BTreeMap::new();
                let names = summary.functions.iter().flat_map(|f| {
                    std::iter::once(&f.name).chain(f.calls.iter().filter(|_| f.is_async))
                });
                for name in names {
                    if let Some(found) = self.blocking_callers.get(name) {
                        callers.insert(name.clone(), found.clone());
                    }
                }
                view.blocking = Arc::new(blocking);
                view.context_readers = Arc::new(readers);
                view.blocking_callers = Arc::new(callers);
                let names = imported
                    .into_iter()
                    .flatten()
                    .filter(|(name, _)| summary.import_bindings.binary_search(name).is_ok());
                view.imported_names =
                    Arc::new(names.map(|(n, m)| (n.clone(), m.clone())).collect());
            }
        }
        view
    }

    /// The bases, known project-wide to have their annotations read at run time, of the classes
    /// of `module` that its text alone does not show to be such classes.
    fn runtime_bases_of(&self, module: &ModuleInfo, summary: &ModuleSummary) -> Vec<String> {
        let Some(name) = &module.name else {
            return Vec::new();
        };
        let is_runtime = |class: &str| {
            self.runtime_classes
                .binary_search_by(|c| c.as_str().cmp(class))
                .is_ok()
        };
        let mut bases: Vec<String> = summary
            .classes
            .iter()
            .filter(|class| !class.runtime && is_runtime(&format!("{name}.{}", class.name)))
            .flat_map(|class| class.bases.iter().filter(|b| is_runtime(b)).cloned())
            .collect();
        bases.sort();
        bases.dedup();
        bases
    }
}

/// For each module, its import-bound names that other modules import (directly, or through
/// `from m import *` of a module without `__all__`), with the importing modules.
fn imported_names<'a>(
    modules: impl Iterator<Item = (&'a str, &'a ModuleSummary)> + Clone,
) -> BTreeMap<String, Importers> {
    let by_name: HashMap<&str, &ModuleSummary> = modules.clone().collect();
    let mut found: BTreeMap<String, BTreeMap<String, BTreeSet<&str>>> = BTreeMap::new();
    for (importer, summary) in modules {
        for imported in &summary.imports {
            if imported.module == importer {
                continue;
            }
            let Some(target) = by_name.get(imported.module.as_str()) else {
                continue; // not a module of the project
            };
            let mut add = |name: &str| {
                (found.entry(imported.module.clone()).or_default())
                    .entry(name.to_owned())
                    .or_default()
                    .insert(importer);
            };
            if imported.name == "*" {
                if !target.defines_all {
                    for name in target
                        .import_bindings
                        .iter()
                        .filter(|n| !n.starts_with('_'))
                    {
                        add(name);
                    }
                }
            } else if target.import_bindings.binary_search(&imported.name).is_ok() {
                add(&imported.name);
            }
        }
    }
    found
        .into_iter()
        .map(|(module, names)| {
            let names = names
                .into_iter()
                .map(|(name, importers)| (name, importers.into_iter().map(str::to_owned).collect()))
                .collect();
            (module, names)
        })
        .collect()
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

#[cfg(test)]
mod tests;
