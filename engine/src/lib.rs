//! tauten's engine: a library over source text and configuration.
//!
//! It parses Python with tree-sitter, builds the semantic model every rule stands on, runs rules,
//! applies fixes safely, and drives whole trees in parallel. It knows nothing of terminals or editors:
//! the `tauten` CLI and language server are thin front ends over it.

pub mod blocking;
pub mod cache;
pub mod callgraph;
pub mod config;
pub mod diagnostic;
pub mod discovery;
pub mod document;
pub mod driver;
pub mod edits;
pub mod fix;
pub mod import_profile;
pub mod noqa;
pub mod parse;
pub mod project;
pub mod rule;
pub mod selection;
pub mod semantic;
pub mod source;
pub mod split;
pub mod syntax;
#[doc(hidden)]
pub mod testing;
pub mod text;
pub mod validity;
pub mod write;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Related};
pub use rule::{Context, Equivalent, Family, FixAvailability, Rule, RuleMeta};
pub use text::{LineColumn, LineIndex, TextRange};
