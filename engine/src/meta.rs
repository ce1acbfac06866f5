//! What a rule is, apart from its logic: its code, name, family, docs and equivalents.

use serde::Serialize;

/// The families behind the code prefixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// TAU1xx
    Imports,
    /// TAU2xx
    Typing,
    /// TAU3xx
    LazyImports,
    /// TAU4xx
    ModuleSize,
    /// TAU5xx
    Async,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Imports => "imports",
            Family::Typing => "typing",
            Family::LazyImports => "lazy-imports",
            Family::ModuleSize => "module-size",
            Family::Async => "async",
        }
    }
}

/// Whether a rule can offer fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// The same check in another tool, e.g. ruff's `F401`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Equivalent {
    pub tool: &'static str,
    pub code: &'static str,
}

/// Everything about a rule except its logic.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub family: Family,
    pub fix: FixAvailability,
    /// The first line of the documentation.
    pub summary: &'static str,
    /// The full Markdown documentation (the rule's doc comment).
    pub doc: &'static str,
    pub equivalents: &'static [Equivalent],
}

impl RuleMeta {
    /// The codes of a tool that splits this rule into several (ruff's TC001-TC003 for TAU201):
    /// each names a kind of its findings, which the rule gives each finding
    /// ([`Diagnostic::kind`](crate::Diagnostic)). Empty when no tool splits it.
    pub fn kinds(&self) -> Vec<&'static str> {
        let split = |tool: &str| (self.equivalents.iter()).filter(|e| e.tool == tool).count() > 1;
        (self.equivalents.iter())
            .filter(|e| split(e.tool))
            .map(|e| e.code)
            .collect()
    }
}
