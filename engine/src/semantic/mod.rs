//! The semantic model: scopes, bindings and the references that read them, each with its context.
//!
//! Built once per file by [`SemanticModel::build`] in one iterative walk (no recursion per tree depth).
//! Name resolution follows Python and pyflakes: module and class bodies resolve names as they run;
//! function bodies, lambdas, string annotations and (under `from __future__ import annotations`) all
//! annotations are resolved after the enclosing scope is complete, against its final bindings.
//! A binding that shadows another in the same scope inherits its references, so only the last
//! binding of each name in a scope needs to be asked whether it is used.

mod builder;
mod model;
mod splice;

pub use model::{
    AsyncCall, Binding, BindingFlags, BindingId, BindingKind, CallFact, Callee, ClassFact,
    FunctionFact, Import, ImportKind, ModelOptions, NameId, RefFlags, Reference, ReferenceId,
    Scope, ScopeId, ScopeKind, SemanticModel, DEFAULT_RUNTIME_BASE_CLASSES,
    DEFAULT_RUNTIME_DECORATORS,
};
pub use splice::TextEdit;

#[cfg(test)]
mod splice_tests;
#[cfg(test)]
mod tests;
