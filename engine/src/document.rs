//! An in-memory document that keeps its tree and re-parses incrementally after each edit, for
//! front ends that hold unsaved text (the language server).

use crate::syntax::NodeKind;
use std::path::{Path, PathBuf};

use tree_sitter::{InputEdit, Point};

use crate::parse::{self, Parsed};
use crate::semantic::{ModelOptions, SemanticModel, TextEdit};
use crate::text::TextRange;

/// Source text with its current parse, and its semantic model once asked for.
#[derive(Debug)]
pub struct Document {
    text: String,
    parsed: Parsed,
    semantic: Option<Analysis>,
    stats: ModelStats,
}

/// A semantic model and what it was built for.
#[derive(Debug)]
struct Analysis {
    path: PathBuf,
    options: ModelOptions,
    model: SemanticModel,
}

/// How the semantic model was brought up to date, for tests and benchmarks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModelStats {
    /// Whole-module builds.
    pub built: usize,
    /// Edits handled by analysing one function body again.
    pub updated: usize,
}

impl Document {
    pub fn new(text: String) -> Self {
        let parsed = parse::parse(&text, None);
        Self {
            text,
            parsed,
            semantic: None,
            stats: ModelStats::default(),
        }
    }

    /// The semantic model of the current text: kept from the last call, brought up to date after
    /// edits inside function bodies, built anew otherwise (or when `path` or `options` differ).
    pub fn semantic(&mut self, path: &Path, options: &ModelOptions) -> &SemanticModel {
        let fresh = self
            .semantic
            .as_ref()
            .is_some_and(|a| a.path == path && a.options == *options);
        if !fresh {
            self.stats.built += 1;
            self.semantic = Some(Analysis {
                path: path.to_path_buf(),
                options: options.clone(),
                model: SemanticModel::build_with(&self.parsed.tree, &self.text, path, options),
            });
        }
        &self.semantic.as_ref().expect("set above").model
    }

    /// The semantic model kept from the last [`Self::semantic`] call, if still up to date.
    pub fn cached_semantic(&self) -> Option<&SemanticModel> {
        self.semantic.as_ref().map(|a| &a.model)
    }

    pub fn stats(&self) -> ModelStats {
        self.stats
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn parsed(&self) -> &Parsed {
        &self.parsed
    }

    /// Replace `range` (byte offsets, clamped to the text and to character boundaries) with
    /// `replacement`, and re-parse reusing the unchanged parts of the old tree.
    pub fn edit(&mut self, range: TextRange, replacement: &str) {
        let start = floor_char_boundary(&self.text, range.start.min(self.text.len()));
        let end = floor_char_boundary(&self.text, range.end.clamp(start, self.text.len()));
        let start_position = point_at(&self.text, start);
        let mut old_end_position = start_position;
        advance_point(&mut old_end_position, &self.text[start..end]);
        let mut new_end_position = start_position;
        advance_point(&mut new_end_position, replacement);
        let edit = InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: start + replacement.len(),
            start_position,
            old_end_position,
            new_end_position,
        };
        self.text.replace_range(start..end, replacement);
        let mut old = self.parsed.tree.clone();
        old.edit(&edit);
        self.parsed = parse::parse(&self.text, Some(&old));
        self.update_semantic(&old, edit);
    }

    /// Bring the kept semantic model up to date after `edit`, or drop it.
    fn update_semantic(&mut self, old: &tree_sitter::Tree, edit: InputEdit) {
        let Some(analysis) = &mut self.semantic else {
            return;
        };
        let changed: Vec<TextRange> = old
            .changed_ranges(&self.parsed.tree)
            .map(|r| TextRange::new(r.start_byte, r.end_byte))
            .collect();
        let edit = TextEdit {
            start: edit.start_byte,
            old_end: edit.old_end_byte,
            new_end: edit.new_end_byte,
        };
        // A bug here must cost a rebuild, not the editor's server.
        let updated = !self.parsed.has_errors()
            && std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                analysis.model.update_after_edit(
                    &self.parsed.tree,
                    &self.text,
                    edit,
                    &changed,
                    &analysis.options,
                )
            }))
            .unwrap_or(false);
        if updated {
            self.stats.updated += 1;
        } else {
            self.semantic = None;
        }
    }
}

impl Document {
    /// True when replacing `range` with `replacement` only changes the text of one comment that
    /// holds no directive before or after (no `noqa`, no `tauten:`), leaving its `#` and its line
    /// alone: the semantic model, and so every rule's findings, are the same after such an edit but
    /// for offsets after it. Front ends use this to carry findings over instead of linting again.
    pub fn edit_stays_in_plain_comment(&self, range: TextRange, replacement: &str) -> bool {
        if range.end > self.text.len()
            || range.start > range.end
            || replacement.contains(['\n', '\r'])
            || !self.text.is_char_boundary(range.start)
            || !self.text.is_char_boundary(range.end)
        {
            return false;
        }
        let root = self.parsed.tree.root_node();
        // An insertion is looked up by the byte before it, which must be in the comment too.
        let lookup_start = if range.is_empty() {
            range.start.saturating_sub(1)
        } else {
            range.start
        };
        let Some(node) = root.descendant_for_byte_range(lookup_start, range.end) else {
            return false;
        };
        if node.kind_name() != "comment"
            || range.start <= node.start_byte()
            || range.end > node.end_byte()
        {
            return false;
        }
        let old = &self.text[node.start_byte()..node.end_byte()];
        let new = format!(
            "{}{replacement}{}",
            &self.text[node.start_byte()..range.start],
            &self.text[range.end..node.end_byte()]
        );
        let has_directive = |comment: &str| {
            let lower = comment.to_ascii_lowercase();
            lower.contains("noqa") || lower.contains("tauten:")
        };
        !has_directive(old) && !has_directive(&new)
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// tree-sitter's (row, byte column) of a byte offset.
fn point_at(text: &str, offset: usize) -> Point {
    let before = &text.as_bytes()[..offset];
    let row = memchr::memchr_iter(b'\n', before).count();
    let column = offset - memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    Point { row, column }
}

fn advance_point(point: &mut Point, inserted: &str) {
    let bytes = inserted.as_bytes();
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => {
            point.row += memchr::memchr_iter(b'\n', bytes).count();
            point.column = bytes.len() - last - 1;
        }
        None => point.column += bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_edits_give_the_same_tree_as_a_fresh_parse() {
        let mut doc = Document::new("import os\n\ndef f():\n    return os.sep\n".to_owned());
        doc.edit(TextRange::new(7, 9), "sys");
        doc.edit(
            TextRange::new(doc.text().len(), doc.text().len()),
            "x = (\n",
        );
        doc.edit(
            TextRange::new(doc.text().len() - 6, doc.text().len()),
            "y = 'é'\n",
        );
        let fresh = parse::parse(doc.text(), None);
        assert_eq!(
            doc.text(),
            "import sys\n\ndef f():\n    return os.sep\ny = 'é'\n"
        );
        assert_eq!(
            doc.parsed().tree.root_node().to_sexp(),
            fresh.tree.root_node().to_sexp()
        );
        assert!(!doc.parsed().has_errors());
    }

    #[test]
    fn plain_comment_edits_are_recognised() {
        let doc = Document::new("import os  # a comment\nx = '# not one'\n# noqa\n".to_owned());
        let inside = doc.text().find("a comment").unwrap();
        assert!(doc.edit_stays_in_plain_comment(TextRange::new(inside, inside + 1), "x"));
        let end = doc.text().find('\n').unwrap();
        assert!(doc.edit_stays_in_plain_comment(TextRange::empty(end), "!"));
        // Spelling a directive, removing the `#`, a newline, a string, an existing directive: no.
        assert!(!doc.edit_stays_in_plain_comment(TextRange::empty(end), " noqa"));
        let hash = doc.text().find('#').unwrap();
        assert!(!doc.edit_stays_in_plain_comment(TextRange::new(hash, hash + 1), ""));
        assert!(!doc.edit_stays_in_plain_comment(TextRange::empty(end), "\n"));
        let string = doc.text().find("not one").unwrap();
        assert!(!doc.edit_stays_in_plain_comment(TextRange::empty(string), "x"));
        let noqa = doc.text().find("noqa").unwrap();
        assert!(!doc.edit_stays_in_plain_comment(TextRange::empty(noqa), "x"));
    }

    #[test]
    fn out_of_range_edits_are_clamped() {
        let mut doc = Document::new("é\n".to_owned());
        doc.edit(TextRange::new(1, 99), "");
        assert_eq!(doc.text(), "");
    }
}
