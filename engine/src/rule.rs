//! What a rule is: its metadata (code, name, docs, equivalents) and its check over one analysed file.

use std::path::Path;

use crate::callgraph::{CallAnalysis, CallSites};
use crate::diagnostic::Diagnostic;
use crate::facts::ProjectView;
use crate::module::ModuleInfo;
use crate::semantic::SemanticModel;
use crate::settings::LintSettings;
use crate::text::LineIndex;

pub use crate::meta::{Equivalent, Family, FixAvailability, RuleMeta};

/// What a rule sees of one file.
pub struct Context<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    /// What rules derive from the file, built on first use and shared.
    pub derived: &'a Derived<'a>,
    pub tree: &'a tree_sitter::Tree,
    pub semantic: &'a SemanticModel,
    pub settings: &'a LintSettings,
    /// Where the file sits in its project (its module name).
    pub module: &'a ModuleInfo,
    /// What the project tells about the file (empty when it is checked alone).
    pub project: &'a ProjectView,
}

impl Context<'_> {
    /// The line index of the source.
    pub fn lines(&self) -> &LineIndex {
        self.derived.lines(self.source)
    }

    /// The guard of each call of [`SemanticModel::calls`], and whether it uses its result (see
    /// [`CallAnalysis::call_sites`]).
    pub fn call_sites(&self) -> &CallSites {
        (self.derived).call_sites(self.tree, self.source, self.semantic)
    }

    /// The modules of the project that import `name` from this one, when any do. Rules ask
    /// here, not the view: the run checks a file again with the project's facts only when some
    /// name it asked about has importers.
    pub fn importers_of(&self, name: &str) -> Option<&[String]> {
        (self.derived.importers_asked.borrow_mut()).push(name.to_owned());
        self.project.importers_of(name)
    }

    /// True for a package's `__init__.py` (or `__init__.pyi`).
    pub fn is_package_init(&self) -> bool {
        self.module.is_package_init
    }
}

/// What several rules (and the project summary) derive from one file, each built on first use:
/// most files never need them.
pub struct Derived<'a> {
    /// The analysis the call sites are made with (the rules' registry provides it).
    calls: &'a dyn CallAnalysis,
    line_index: std::cell::OnceCell<LineIndex>,
    call_sites: std::cell::OnceCell<CallSites>,
    /// The names rules asked [`Context::importers_of`] about.
    importers_asked: std::cell::RefCell<Vec<String>>,
}

impl<'a> Derived<'a> {
    pub fn new(calls: &'a dyn CallAnalysis) -> Self {
        Derived {
            calls,
            line_index: Default::default(),
            call_sites: Default::default(),
            importers_asked: Default::default(),
        }
    }

    /// The analysis of calls this file is checked with.
    pub fn calls(&self) -> &'a dyn CallAnalysis {
        self.calls
    }

    /// The line index of `source`.
    pub fn lines(&self, source: &str) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(source))
    }

    /// The guard of each call of the model, and whether it uses its result (see
    /// [`CallAnalysis::call_sites`]).
    pub fn call_sites(
        &self,
        tree: &tree_sitter::Tree,
        source: &str,
        semantic: &SemanticModel,
    ) -> &CallSites {
        self.call_sites
            .get_or_init(|| self.calls.call_sites(tree, source, semantic))
    }

    /// The names rules asked about other modules importing, sorted, once each.
    pub fn importers_asked(self) -> Vec<String> {
        let mut names = self.importers_asked.into_inner();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// The rules a text is checked with, and the analysis of calls its rules and summary use (the
/// same for every selection of rules: a module's summary does not depend on them).
#[derive(Clone, Copy)]
pub struct RuleSet<'a> {
    pub rules: &'a [&'a dyn Rule],
    pub calls: &'a dyn CallAnalysis,
    /// The kinds of their findings the selection turns off (`ignore = ["TC003"]`).
    pub kinds_off: &'a [(&'static str, Option<&'static str>)],
}

/// A check over one analysed file. Rules never read files or print.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Declare a rule: a unit struct, its [`RuleMeta`] from the doc comment, and its [`Rule`] impl
/// delegating to the given check function.
///
/// ```ignore
/// declare_rule! {
///     /// One-line summary.
///     ///
///     /// ## What it does ...
///     pub struct UnusedImport {
///         code: "TAU101", name: "unused-import", family: Imports, fix: Sometimes,
///         equivalents: [("ruff", "F401"), ("pylint", "W0611")],
///         check: check_unused_imports,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        #[doc = $summary:literal]
        $(#[doc = $doc:literal])*
        pub struct $ty:ident {
            code: $code:literal,
            name: $name:literal,
            family: $family:ident,
            fix: $fix:ident,
            equivalents: [$(($tool:literal, $ecode:literal)),* $(,)?],
            check: $check:path $(,)?
        }
    ) => {
        #[doc = $summary]
        $(#[doc = $doc])*
        pub struct $ty;

        impl $ty {
            pub const META: $crate::RuleMeta = $crate::RuleMeta {
                code: $code,
                name: $name,
                family: $crate::Family::$family,
                fix: $crate::FixAvailability::$fix,
                summary: $summary.trim_ascii(),
                doc: concat!($summary, "\n", $($doc, "\n"),*),
                equivalents: &[$($crate::Equivalent { tool: $tool, code: $ecode }),*],
            };
        }

        impl $crate::Rule for $ty {
            fn meta(&self) -> &'static $crate::RuleMeta {
                static META: $crate::RuleMeta = $ty::META;
                &META
            }

            fn check(&self, ctx: &$crate::Context<'_>, out: &mut Vec<$crate::Diagnostic>) {
                $check(self.meta(), ctx, out)
            }
        }
    };
}
