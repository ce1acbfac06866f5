//! Source text positions: byte ranges and the line index that turns them into rows and columns.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into a source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Self { start, end }
    }

    pub fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn contains_range(&self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two ranges share at least one byte, or one is empty and sits strictly inside the other.
    pub fn overlaps(&self, other: TextRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn of_node(node: tree_sitter::Node<'_>) -> Self {
        Self::new(node.start_byte(), node.end_byte())
    }
}

/// A 1-based row and 1-based column counted in Unicode scalar values, as ruff and most editors show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LineColumn {
    pub row: usize,
    pub column: usize,
}

/// Where a range starts and ends, as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub start: LineColumn,
    pub end: LineColumn,
}

/// Byte offsets of every line start of a text, for offset <-> (row, column) conversions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                line_starts.push(i + 1);
            }
        }
        Self { line_starts }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// The byte offset where 0-based `line` starts (the text's end for lines past the last).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(usize::MAX)
    }

    /// The byte range of 0-based `line`, including its line terminator.
    pub fn line_range(&self, line: usize, text: &str) -> TextRange {
        let start = self.line_starts[line].min(text.len());
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(text.len());
        TextRange::new(start, end)
    }

    /// 1-based row and character column of a byte offset into `text`.
    pub fn line_column(&self, offset: usize, text: &str) -> LineColumn {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        LineColumn {
            row: line + 1,
            column: column + 1,
        }
    }

    /// Where `range` starts and ends in `text`.
    pub fn place(&self, range: TextRange, text: &str) -> Place {
        Place {
            start: self.line_column(range.start, text),
            end: self.line_column(range.end, text),
        }
    }

    /// The byte offset of a 0-based line and a column counted in UTF-16 code units, clamped to the line.
    pub fn offset_utf16(&self, line: usize, utf16_col: usize, text: &str) -> usize {
        if line >= self.line_starts.len() {
            return text.len();
        }
        let range = self.line_range(line, text);
        let mut units = 0;
        for (i, ch) in text[range.start..range.end].char_indices() {
            if units >= utf16_col || ch == '\n' || ch == '\r' {
                return range.start + i;
            }
            units += ch.len_utf16();
        }
        range.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_character_columns() {
        let text = "ab\ncé d\r\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_column(0, text), LineColumn { row: 1, column: 1 });
        assert_eq!(index.line_column(3, text), LineColumn { row: 2, column: 1 });
        // 'é' is two bytes but one column.
        let d = text.find('d').unwrap();
        assert_eq!(index.line_column(d, text), LineColumn { row: 2, column: 4 });
        let x = text.find('x').unwrap();
        assert_eq!(index.line_column(x, text), LineColumn { row: 3, column: 1 });
    }

    #[test]
    fn lone_carriage_return_ends_a_line() {
        let text = "a\rb";
        let index = LineIndex::new(text);
        assert_eq!(index.line_column(2, text).row, 2);
    }
}
