//! The asyncio family's analysis of calls, which the engine asks for through
//! [`CallAnalysis`]: the guard of each call ([`guards`], [`gates`], [`conditions`]) and each
//! module's functions with their blocking calls ([`functions`]), the input of the project-wide
//! search for blocking helpers.

mod conditions;
mod functions;
mod gates;
mod guards;

use tauten_engine::callgraph::{CallAnalysis, CallSites, FunctionCalls};
use tauten_engine::module::ModuleInfo;
use tauten_engine::semantic::SemanticModel;
use tauten_engine::settings::LintSettings;
use tree_sitter::Tree;

pub use functions::generator_functions;
pub use guards::guard_of_call;

/// The analysis the front ends give every check (see [`crate::registry::call_analysis`]).
pub struct AsyncCalls;

impl CallAnalysis for AsyncCalls {
    fn call_sites(&self, tree: &Tree, source: &str, semantic: &SemanticModel) -> CallSites {
        guards::call_guards(tree, source, semantic)
    }

    fn functions(
        &self,
        semantic: &SemanticModel,
        sites: &CallSites,
        module: &ModuleInfo,
        settings: &LintSettings,
    ) -> Vec<FunctionCalls> {
        functions::module_functions(semantic, sites, module, settings)
    }
}
