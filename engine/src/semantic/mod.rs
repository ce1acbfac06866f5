//! The semantic model: scopes, bindings and references with their context.

use std::path::Path;

use crate::text::TextRange;

#[derive(Debug, Default)]
pub struct SemanticModel {
    comments: Vec<TextRange>,
}

impl SemanticModel {
    pub fn build(_tree: &tree_sitter::Tree, _source: &str, _path: &Path) -> Self {
        Self::default()
    }

    /// Byte ranges of every comment, in source order.
    pub fn comments(&self) -> &[TextRange] {
        &self.comments
    }
}
