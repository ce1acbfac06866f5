//! An in-memory document that keeps its tree and re-parses incrementally after each edit, for
//! front ends that hold unsaved text (the language server).

use tree_sitter::{InputEdit, Point};

use crate::parse::{self, Parsed};
use crate::text::TextRange;

/// Source text with its current parse.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    parsed: Parsed,
}

impl Document {
    pub fn new(text: String) -> Self {
        let parsed = parse::parse(&text, None);
        Self { text, parsed }
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
        let edit = InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: start + replacement.len(),
            start_position: point_at(&self.text, start),
            old_end_position: point_at(&self.text, end),
            new_end_position: {
                let mut p = point_at(&self.text, start);
                advance_point(&mut p, replacement);
                p
            },
        };
        self.text.replace_range(start..end, replacement);
        let mut old = self.parsed.tree.clone();
        old.edit(&edit);
        self.parsed = parse::parse(&self.text, Some(&old));
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
    let before = &text[..offset];
    let row = before.matches('\n').count();
    let column = offset - before.rfind('\n').map_or(0, |i| i + 1);
    Point { row, column }
}

fn advance_point(point: &mut Point, inserted: &str) {
    match inserted.rfind('\n') {
        Some(last) => {
            point.row += inserted.matches('\n').count();
            point.column = inserted.len() - last - 1;
        }
        None => point.column += inserted.len(),
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
    fn out_of_range_edits_are_clamped() {
        let mut doc = Document::new("é\n".to_owned());
        doc.edit(TextRange::new(1, 99), "");
        assert_eq!(doc.text(), "");
    }
}
