//! What the project tells one file: the flags every file is first checked with, and the view of
//! the project's facts a rule reads from its `Context`. Plain data, put together by the project
//! pass.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::chains::BlockingChain;
use crate::module::ModuleInfo;

/// A module's names that other modules of the project import, each with those modules (sorted).
pub type Importers = BTreeMap<String, Vec<String>>;

/// What a quick look at the bytes of every file of a project tells, before any is parsed: the
/// facts every file is checked with from the start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectFlags {
    /// No file (an unreadable one counts as yes) may read annotations at run time.
    pub annotations_unread: bool,
    /// Some file has an `async def`.
    pub has_async: bool,
    /// Some file imports anyio.
    pub uses_anyio: bool,
    /// Some file imports trio.
    pub uses_trio: bool,
}

impl ProjectFlags {
    /// The view every file of the project is first checked with.
    pub fn view(self) -> ProjectView {
        ProjectView {
            annotations_unread: self.annotations_unread,
            has_async: self.has_async,
            uses_anyio: self.uses_anyio,
            uses_trio: self.uses_trio,
            ..ProjectView::default()
        }
    }
}

/// What the project tells one of its files: the project-wide facts a rule reads from its
/// `Context`. Empty (the cautious defaults) for a file checked alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct ProjectView {
    /// No module of the project reads annotations at run time (false unless the project was seen).
    pub annotations_unread: bool,
    /// Some module of the project has an `async def`: every module records its calls.
    pub has_async: bool,
    /// Some module of the project imports anyio: thread hand-offs go through anyio.
    pub uses_anyio: bool,
    /// Some module of the project imports trio.
    pub uses_trio: bool,
    /// Base classes of other modules whose subclasses have their annotations read at run time.
    pub runtime_bases: Vec<String>,
    /// Sync functions of other modules that reach a blocking call, with the chain they reach it by.
    pub blocking: Arc<BTreeMap<String, BlockingChain>>,
    /// Functions of other modules this module calls that read the running loop or the stack.
    pub context_readers: Arc<BTreeMap<String, String>>,
    /// The project's coroutines calling each blocking function this module defines or calls,
    /// for those any coroutine calls: a helper with many is reported once, where it is defined.
    pub blocking_callers: Arc<BTreeMap<String, Vec<String>>>,
    /// This module's import-bound names that other modules import from it, with those modules.
    pub imported_names: Arc<Importers>,
}

/// What a file is checked with besides its text and settings: where it sits in the project, and
/// what the project tells about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FileFacts {
    pub module: ModuleInfo,
    pub project: ProjectView,
}

impl FileFacts {
    /// A file checked alone, known only by its name (see [`ModuleInfo::of_file_name`]), nothing
    /// known of its project.
    pub fn of_file_name(path: &std::path::Path) -> Self {
        FileFacts {
            module: ModuleInfo::of_file_name(path),
            project: ProjectView::default(),
        }
    }
}

impl ProjectView {
    /// The modules that import `name` from this one, when any do.
    pub fn importers_of(&self, name: &str) -> Option<&[String]> {
        self.imported_names
            .get(name)
            .map(Vec::as_slice)
            .filter(|m| !m.is_empty())
    }

    /// True when the view holds facts that can change what rules find in the file (beyond the
    /// two project-wide flags, which every file of a run is checked with from the start).
    pub fn has_facts(&self) -> bool {
        self.has_facts_besides_importers() || !self.imported_names.is_empty()
    }

    /// Like [`ProjectView::has_facts`], leaving out the names other modules import.
    pub fn has_facts_besides_importers(&self) -> bool {
        !self.runtime_bases.is_empty()
            || !self.blocking.is_empty()
            || !self.context_readers.is_empty()
            || !self.blocking_callers.is_empty()
    }
}

/// `a`, `b` and `c` as "`a`, `b` and `c`" (at most three, then "and N more").
pub fn describe_modules(modules: &[String]) -> String {
    let quoted: Vec<String> = modules.iter().take(3).map(|m| format!("`{m}`")).collect();
    match (quoted.as_slice(), modules.len()) {
        ([one], 1) => one.clone(),
        (shown, n) if n <= 3 => {
            let (last, rest) = shown.split_last().expect("not empty");
            format!("{} and {last}", rest.join(", "))
        }
        (shown, n) => format!("{} and {} more", shown.join(", "), n - 3),
    }
}
