//! Decoding a file's bytes into analysable text and encoding fixed text back, byte for byte where untouched.

use std::fmt;

/// How a file's text was stored, so a fixed file is written back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Encoding {
    /// The file started with a UTF-8 byte order mark (kept out of the analysed text).
    pub bom: bool,
}

/// Why bytes could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not valid UTF-8; `offset` is the first bad byte. `declared` is a PEP 263 coding cookie, if any.
    NotUtf8 {
        offset: usize,
        declared: Option<String>,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::NotUtf8 {
                offset,
                declared: Some(name),
            } => write!(
                f,
                "file is not UTF-8 (declares `coding: {name}`; invalid byte at offset {offset}); left untouched"
            ),
            DecodeError::NotUtf8 {
                offset,
                declared: None,
            } => write!(
                f,
                "file is not valid UTF-8 (invalid byte at offset {offset}); left untouched"
            ),
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decode file bytes: strip a BOM, require UTF-8.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    let (bom, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    match std::str::from_utf8(body) {
        Ok(text) => Ok((text.to_owned(), Encoding { bom })),
        Err(err) => Err(DecodeError::NotUtf8 {
            offset: err.valid_up_to() + if bom { BOM.len() } else { 0 },
            declared: coding_cookie(body),
        }),
    }
}

/// Encode fixed text the way the original was stored.
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    if encoding.bom {
        out.extend_from_slice(BOM);
    }
    out.extend_from_slice(text.as_bytes());
    out
}

/// The PEP 263 `coding` declaration in the first two lines, if any.
fn coding_cookie(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|&b| b == b'\n').take(2) {
        let line = String::from_utf8_lossy(line);
        let trimmed = line.trim_start();
        if !trimmed.starts_with('#') {
            continue;
        }
        if let Some(pos) = trimmed.find("coding") {
            let rest = &trimmed[pos + "coding".len()..];
            let rest = rest.strip_prefix([':', '='])?;
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            if !name.is_empty() {
                return Some(name);
            }
        }
    }
    None
}

/// The line terminator a file mostly uses, for text a fix inserts.
pub fn detect_line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        Some(_) => "\n",
        None if text.contains('\r') => "\r",
        None => "\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_round_trips() {
        let (text, enc) = decode(b"\xEF\xBB\xBFimport os\n").unwrap();
        assert_eq!(text, "import os\n");
        assert!(enc.bom);
        assert_eq!(encode(&text, enc), b"\xEF\xBB\xBFimport os\n");
    }

    #[test]
    fn latin1_is_refused_with_its_cookie() {
        let err = decode(b"# -*- coding: latin-1 -*-\nx = '\xe9'\n").unwrap_err();
        assert_eq!(
            err,
            DecodeError::NotUtf8 {
                offset: 31,
                declared: Some("latin-1".into())
            }
        );
    }

    #[test]
    fn line_endings() {
        assert_eq!(detect_line_ending("a\r\nb\n"), "\r\n");
        assert_eq!(detect_line_ending("a\nb"), "\n");
    }
}
