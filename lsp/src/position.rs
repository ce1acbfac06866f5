//! LSP positions (line, character in the negotiated encoding) to byte offsets and back, over a rope.

use lsp_types::{Position, PositionEncodingKind};
use ropey::Rope;

/// What a `Position.character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the protocol's default).
    #[default]
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The encoding to use given what the client offers (`general.positionEncodings`): UTF-8 when
    /// offered (our offsets are bytes), then UTF-32, else the mandatory UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let offered = offered.unwrap_or(&[]);
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn width(self, ch: char) -> usize {
        match self {
            Encoding::Utf8 => ch.len_utf8(),
            Encoding::Utf16 => ch.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// The byte offset of `position` in `rope`. A line past the end means the end of the text; a
/// character past the end of its line means the line's end (before its terminator); a character
/// inside a code point (half a surrogate pair, a byte inside a UTF-8 sequence) means its start.
pub fn offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let target = position.character as usize;
    let mut units = 0;
    let mut bytes = 0;
    for ch in rope.line(line).chars() {
        if ch == '\n' || ch == '\r' {
            break;
        }
        let width = encoding.width(ch);
        if units + width > target {
            break;
        }
        units += width;
        bytes += ch.len_utf8();
    }
    rope.line_to_byte(line) + bytes
}

/// The LSP position of byte `offset` (clamped to the text and floored to a character boundary).
pub fn position(rope: &Rope, offset: usize, encoding: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_index = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_index);
    let line_char = rope.line_to_char(line);
    let character = match encoding {
        Encoding::Utf8 => rope.char_to_byte(char_index) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_index) - rope.char_to_utf16_cu(line_char),
        Encoding::Utf32 => char_index - line_char,
    };
    Position::new(line as u32, character as u32)
}

/// The LSP range of a byte range.
pub fn range(rope: &Rope, range: tauten_engine::TextRange, encoding: Encoding) -> lsp_types::Range {
    lsp_types::Range::new(
        position(rope, range.start, encoding),
        position(rope, range.end, encoding),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    // "a😀b" : 😀 is 4 bytes, 2 UTF-16 units, 1 scalar.
    const TEXT: &str = "x = 'a😀b'\né = 1\r\nlast";

    #[test]
    fn utf16_counts_surrogate_pairs() {
        let rope = Rope::from_str(TEXT);
        let b = TEXT.find('b').unwrap();
        assert_eq!(offset(&rope, pos(0, 8), Encoding::Utf16), b);
        assert_eq!(position(&rope, b, Encoding::Utf16), pos(0, 8));
        // Inside the surrogate pair: the start of the emoji.
        let emoji = TEXT.find('😀').unwrap();
        assert_eq!(offset(&rope, pos(0, 7), Encoding::Utf16), emoji);
        assert_eq!(position(&rope, emoji, Encoding::Utf16), pos(0, 6));
    }

    #[test]
    fn utf8_and_utf32() {
        let rope = Rope::from_str(TEXT);
        let b = TEXT.find('b').unwrap();
        assert_eq!(offset(&rope, pos(0, 10), Encoding::Utf8), b);
        assert_eq!(position(&rope, b, Encoding::Utf8), pos(0, 10));
        assert_eq!(offset(&rope, pos(0, 7), Encoding::Utf32), b);
        assert_eq!(position(&rope, b, Encoding::Utf32), pos(0, 7));
        // A byte inside the emoji floors to its start.
        let emoji = TEXT.find('😀').unwrap();
        assert_eq!(offset(&rope, pos(0, 8), Encoding::Utf8), emoji);
        let one = TEXT.find('1').unwrap();
        assert_eq!(offset(&rope, pos(1, 4), Encoding::Utf32), one);
        assert_eq!(offset(&rope, pos(1, 5), Encoding::Utf8), one);
        assert_eq!(position(&rope, one, Encoding::Utf16), pos(1, 4));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str(TEXT);
        // Past the end of line 1: before its "\r\n".
        assert_eq!(
            offset(&rope, pos(1, 99), Encoding::Utf16),
            TEXT.find('\r').unwrap()
        );
        assert_eq!(
            offset(&rope, pos(2, 0), Encoding::Utf16),
            TEXT.find("last").unwrap()
        );
        assert_eq!(offset(&rope, pos(9, 0), Encoding::Utf16), TEXT.len());
        assert_eq!(position(&rope, TEXT.len() + 5, Encoding::Utf16), pos(2, 4));
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        let utf32 = [PositionEncodingKind::UTF32];
        assert_eq!(Encoding::negotiate(Some(&utf32)), Encoding::Utf32);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
