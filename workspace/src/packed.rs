//! Texts held compressed while a run waits to use them.

/// A text held LZ4-compressed: a file's text or fixed text, from its check until it is written
/// or its findings are shown (Python source packs to about a third of its size).
#[derive(Debug, Clone)]
pub struct Packed(Vec<u8>);

impl Packed {
    pub fn pack(text: &str) -> Self {
        let mut packed = lz4_flex::compress_prepend_size(text.as_bytes());
        packed.shrink_to_fit();
        Packed(packed)
    }

    /// The text as packed; an error only if the packed form was damaged in memory.
    pub fn unpack(&self) -> Result<String, String> {
        let bytes = lz4_flex::decompress_size_prepended(&self.0).map_err(|e| e.to_string())?;
        String::from_utf8(bytes).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_as_packed_and_smaller() {
        let text =
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import os\n".repeat(50);
        let packed = Packed::pack(&text);
        assert!(packed.0.len() * 3 < text.len());
        assert_eq!(packed.unpack().unwrap(), text);
    }
}
