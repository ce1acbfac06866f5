//! An open document: the client's text as a rope (for position conversion) and the engine's
//! [`Document`] (text + incrementally re-parsed tree), kept equal edit by edit.

use std::path::PathBuf;

use lsp_types::TextDocumentContentChangeEvent;
use ropey::Rope;
use tauten_engine::document::Document;
use tauten_engine::TextRange;

use crate::position::{self, Encoding};

/// What a ranged change did, in bytes of the text before it.
#[derive(Debug, Clone, Copy)]
pub struct AppliedEdit {
    pub range: TextRange,
    /// Bytes inserted in place of `range`.
    pub inserted: usize,
    /// The whole lines `range` touched.
    pub lines: TextRange,
    /// The edit stayed inside one comment without a directive (see
    /// [`Document::edit_stays_in_plain_comment`]).
    pub plain_comment: bool,
}

impl AppliedEdit {
    pub fn delta(&self) -> isize {
        self.inserted as isize - self.range.len() as isize
    }
}

pub struct OpenDocument {
    /// The file the document stands for (configuration and module name are resolved from it).
    pub path: PathBuf,
    pub version: i32,
    rope: Rope,
    doc: Document,
}

impl OpenDocument {
    pub fn new(path: PathBuf, text: String, version: i32) -> Self {
        Self {
            path,
            version,
            rope: Rope::from_str(&text),
            doc: Document::new(text),
        }
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    pub fn text(&self) -> &str {
        self.doc.text()
    }

    pub fn engine(&self) -> &Document {
        &self.doc
    }

    /// The engine's document, to lint it (which keeps its semantic model for the next edit).
    pub fn engine_mut(&mut self) -> &mut Document {
        &mut self.doc
    }

    /// Apply one content change: a whole new text, or a range (in the negotiated encoding) replaced.
    /// The range is turned into bytes against the text as it is before this change, as the protocol
    /// says changes apply in order.
    pub fn apply(
        &mut self,
        change: &TextDocumentContentChangeEvent,
        encoding: Encoding,
    ) -> Option<AppliedEdit> {
        let applied = match change.range {
            None => {
                self.rope = Rope::from_str(&change.text);
                self.doc = Document::new(change.text.clone());
                None
            }
            Some(range) => {
                let a = position::offset(&self.rope, range.start, encoding);
                let b = position::offset(&self.rope, range.end, encoding);
                let range = TextRange::new(a.min(b), a.max(b));
                let first_line = self.rope.byte_to_line(range.start);
                let last_line = self.rope.byte_to_line(range.end);
                let lines = TextRange::new(
                    self.rope.line_to_byte(first_line),
                    self.rope
                        .line_to_byte((last_line + 1).min(self.rope.len_lines())),
                );
                let plain_comment = self.doc.edit_stays_in_plain_comment(range, &change.text);
                let (char_start, char_end) = (
                    self.rope.byte_to_char(range.start),
                    self.rope.byte_to_char(range.end),
                );
                self.rope.remove(char_start..char_end);
                self.rope.insert(char_start, &change.text);
                self.doc.edit(range, &change.text);
                Some(AppliedEdit {
                    range,
                    inserted: change.text.len(),
                    lines,
                    plain_comment,
                })
            }
        };
        debug_assert_eq!(self.rope.len_bytes(), self.doc.text().len());
        applied
    }

    /// True when the rope and the engine's text are the same (checked in tests).
    pub fn in_sync(&self) -> bool {
        self.rope.len_bytes() == self.doc.text().len()
            && self
                .rope
                .chunks()
                .scan(0, |at, chunk| {
                    let same = self.doc.text().get(*at..*at + chunk.len()) == Some(chunk);
                    *at += chunk.len();
                    Some(same)
                })
                .all(|same| same)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn change(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0 .0, range.0 .1),
                Position::new(range.1 .0, range.1 .1),
            )),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn incremental_edits_keep_rope_text_and_tree_in_sync() {
        let mut doc =
            OpenDocument::new(PathBuf::from("t.py"), "import os\ns = '😀'\n".to_owned(), 1);
        // After the emoji (2 UTF-16 units): insert text on line 1.
        doc.apply(&change(((1, 7), (1, 7)), "é"), Encoding::Utf16);
        assert_eq!(doc.text(), "import os\ns = '😀é'\n");
        // Replace `os` with `sys` and add a line, in one change.
        doc.apply(&change(((0, 7), (0, 9)), "sys\nimport re"), Encoding::Utf16);
        assert_eq!(doc.text(), "import sys\nimport re\ns = '😀é'\n");
        // Delete across lines.
        doc.apply(&change(((0, 10), (1, 9)), ""), Encoding::Utf16);
        assert_eq!(doc.text(), "import sys\ns = '😀é'\n");
        // UTF-32 and UTF-8 columns.
        doc.apply(&change(((1, 7), (1, 7)), "!"), Encoding::Utf32);
        assert_eq!(doc.text(), "import sys\ns = '😀é!'\n");
        doc.apply(&change(((1, 9), (1, 11)), ""), Encoding::Utf8);
        assert_eq!(doc.text(), "import sys\ns = '😀!'\n");
        assert!(doc.in_sync());
        assert_eq!(doc.rope().to_string(), doc.text());
        let fresh = tauten_engine::parse::parse(doc.text(), None);
        assert_eq!(
            doc.engine().parsed().tree.root_node().to_sexp(),
            fresh.tree.root_node().to_sexp()
        );
        // A full replacement.
        doc.apply(
            &TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "x = 1\n".to_owned(),
            },
            Encoding::Utf16,
        );
        assert_eq!(doc.text(), "x = 1\n");
        assert!(doc.in_sync());
    }

    #[test]
    fn many_random_edits_stay_in_sync() {
        let mut doc = OpenDocument::new(PathBuf::from("t.py"), "a = 1\nb = 'é😀'\n".repeat(20), 1);
        let mut seed = 7u64;
        let mut next = |n: u32| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as u32) % n.max(1)
        };
        for i in 0..300 {
            let line = next(45);
            let col = next(12);
            let (end_line, end_col) = (line + next(2), next(12));
            let inserted = ["", "x", "😀", "\n", "é\r\n", "#"][(i % 6) as usize];
            let (start, end) = if (end_line, end_col) < (line, col) {
                ((end_line, end_col), (line, col))
            } else {
                ((line, col), (end_line, end_col))
            };
            doc.apply(&change((start, end), inserted), Encoding::Utf16);
            assert!(doc.in_sync(), "edit {i}");
        }
        let fresh = tauten_engine::parse::parse(doc.text(), None);
        assert_eq!(
            doc.engine().parsed().tree.root_node().to_sexp(),
            fresh.tree.root_node().to_sexp()
        );
    }
}
