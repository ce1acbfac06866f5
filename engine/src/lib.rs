//! tauten's engine: a library over source text and configuration text.
//!
//! It parses Python with tree-sitter, builds the semantic model every rule stands on, runs rules
//! and applies fixes safely: text in, facts and diagnostics out. It does no I/O: reading files,
//! walking folders, the cache and writing are the workspace layer's (`tauten-workspace`), and it
//! knows nothing of terminals or editors.

pub mod callgraph;
pub mod chains;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod driver;
pub mod edits;
pub mod facts;
pub mod fix;
pub mod import_profile;
pub mod meta;
pub mod module;
pub mod noqa;
pub mod parse;
pub mod project;
pub mod rule;
pub mod selection;
pub mod semantic;
pub mod settings;
pub mod source;
pub mod split;
pub mod syntax;
#[doc(hidden)]
pub mod testing;
pub mod text;
pub mod validity;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Related};
pub use rule::{Context, Equivalent, Family, FixAvailability, Rule, RuleMeta, RuleSet};
pub use text::{LineColumn, LineIndex, TextRange};
