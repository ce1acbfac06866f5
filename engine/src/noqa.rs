//! Suppression comments: `# noqa`, `# noqa: TAU101, F401` on a line; for a whole file
//! `# tauten: noqa`, and the directives codebases already carry: `# ruff: noqa[: CODES]`,
//! `# flake8: noqa`.

use crate::diagnostic::Edit;
use crate::syntax::NodeKind;
use crate::text::{LineIndex, TextRange};

/// What one line's `# noqa` comment suppresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineNoqa {
    /// A bare `# noqa`: everything on the line.
    All,
    /// `# noqa: A, B`: these codes (ours or another tool's equivalents).
    Codes(Vec<String>),
}

/// The noqa directives of one file, by 0-based line.
#[derive(Debug, Default)]
pub struct NoqaMap {
    /// A file-level directive without codes: nothing in the file is reported.
    pub file_exempt: bool,
    /// Codes a file-level directive suppresses everywhere in the file.
    pub file_codes: Vec<String>,
    lines: Vec<(usize, LineNoqa)>,
}

impl NoqaMap {
    /// Scan comments in `text`. `comments` are the byte ranges of the file's comment tokens.
    pub fn from_comments(text: &str, lines: &LineIndex, comments: &[crate::TextRange]) -> Self {
        let mut map = NoqaMap::default();
        for range in comments {
            let comment = &text[range.start..range.end];
            if let Some(file) = parse_file_noqa(comment) {
                match file {
                    LineNoqa::All => map.file_exempt = true,
                    LineNoqa::Codes(codes) => map.file_codes.extend(codes),
                }
                continue;
            }
            if let Some(noqa) = parse_line_noqa(comment) {
                map.lines.push((lines.line_of(range.start), noqa));
            }
        }
        map
    }

    /// The directive on 0-based `line`, if any.
    pub fn on_line(&self, line: usize) -> Option<&LineNoqa> {
        self.lines.iter().find(|(l, _)| *l == line).map(|(_, n)| n)
    }

    /// True when a finding with `code` (or any of `aliases`) on `line` is suppressed.
    pub fn suppresses(&self, line: usize, code: &str, aliases: &[&str]) -> bool {
        let matches = |codes: &[String]| {
            codes
                .iter()
                .any(|c| c == code || aliases.iter().any(|a| a == c))
        };
        if self.file_exempt || matches(&self.file_codes) {
            return true;
        }
        match self.on_line(line) {
            Some(LineNoqa::All) => true,
            Some(LineNoqa::Codes(codes)) => matches(codes),
            None => false,
        }
    }
}

/// A file-level directive: `# tauten: noqa`, `# ruff: noqa` (each optionally `: CODES`), or
/// `# flake8: noqa` (flake8 ignores codes there, and so do we).
fn parse_file_noqa(comment: &str) -> Option<LineNoqa> {
    let body = comment.trim_start_matches('#').trim_start();
    let (tool, rest) = body.split_once(':')?;
    let tool = tool.trim().to_ascii_lowercase();
    if !matches!(tool.as_str(), "tauten" | "ruff" | "flake8") {
        return None;
    }
    let rest = rest.trim_start();
    if !rest.get(..4)?.eq_ignore_ascii_case("noqa") {
        return None;
    }
    let after = rest[4..].trim_start();
    match after.strip_prefix(':') {
        Some(codes) if tool != "flake8" => {
            let codes: Vec<String> = codes
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|t| !t.is_empty())
                .take_while(|t| t.chars().all(|c| c.is_ascii_alphanumeric()))
                .map(str::to_owned)
                .collect();
            Some(LineNoqa::Codes(codes))
        }
        _ if after.is_empty() || after.starts_with(':') || after.starts_with('#') => {
            Some(LineNoqa::All)
        }
        _ => None,
    }
}

/// Parse the first `noqa` directive in a comment, as flake8 and ruff read it.
pub fn parse_line_noqa(comment: &str) -> Option<LineNoqa> {
    let lower = comment.to_ascii_lowercase();
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find("noqa") {
        let at = search_from + found;
        search_from = at + 4;
        // The directive must follow a `#` with only spaces in between.
        let before = lower[..at].trim_end();
        if !before.ends_with('#') {
            continue;
        }
        let after = &comment[at + 4..];
        let trimmed = after.trim_start();
        let Some(list) = trimmed.strip_prefix(':') else {
            return Some(LineNoqa::All);
        };
        let codes: Vec<String> = list
            .trim_start()
            .split(|c: char| c == ',' || c.is_whitespace())
            .map_while(|tok| {
                let tok = tok.trim();
                if tok.is_empty() {
                    return Some(None);
                }
                let is_code = tok.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && tok.chars().all(|c| c.is_ascii_alphanumeric())
                    && tok.chars().any(|c| c.is_ascii_digit());
                is_code.then(|| Some(tok.to_owned()))
            })
            .flatten()
            .collect();
        return Some(if codes.is_empty() {
            LineNoqa::All
        } else {
            LineNoqa::Codes(codes)
        });
    }
    None
}

/// The edit that makes the `# noqa` directive of the line holding `offset` also cover `code`:
/// `, CODE` after the codes of an existing `# noqa: A, B`, or `  # noqa: CODE` at the end of the line
/// (after any comment already there). `None` when the line's directive already covers `code` (a bare
/// `# noqa`, or one listing it). `tree` is the parse of `text`, used to find the line's comment.
pub fn suppression_edit(
    tree: &tree_sitter::Tree,
    text: &str,
    offset: usize,
    code: &str,
) -> Option<Edit> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    let content_end = line_start + text[line_start..line_end].trim_end().len();
    let comment = (content_end > line_start)
        .then(|| {
            tree.root_node()
                .descendant_for_byte_range(content_end - 1, content_end)
        })
        .flatten()
        .filter(|node| node.kind_name() == "comment" && node.start_byte() >= line_start)
        .map(TextRange::of_node);
    if let Some(comment) = comment {
        let body = &text[comment.start..comment.end];
        match parse_line_noqa(body) {
            Some(LineNoqa::All) => return None,
            Some(LineNoqa::Codes(codes)) => {
                if codes.iter().any(|c| c == code) {
                    return None;
                }
                let directive = directive_start(body)?;
                // The codes appear in order after the directive: the last one ends the list.
                let mut end = directive + 4;
                for listed in &codes {
                    end += body[end..].find(listed.as_str())? + listed.len();
                }
                return Some(Edit::insertion(comment.start + end, format!(", {code}")));
            }
            None => {}
        }
    }
    Some(Edit::insertion(content_end, format!("  # noqa: {code}")))
}

/// Where the first `noqa` directive of a comment starts (as [`parse_line_noqa`] finds it).
fn directive_start(comment: &str) -> Option<usize> {
    let lower = comment.to_ascii_lowercase();
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find("noqa") {
        let at = search_from + found;
        search_from = at + 4;
        if lower[..at].trim_end().ends_with('#') {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suppressed(text: &str, offset: usize, code: &str) -> Option<String> {
        let parsed = crate::parse::parse(text, None);
        let edit = suppression_edit(&parsed.tree, text, offset, code)?;
        let mut out = text.to_owned();
        out.replace_range(edit.range.start..edit.range.end, &edit.content);
        Some(out)
    }

    #[test]
    fn suppression_edits_add_or_extend_a_directive() {
        assert_eq!(
            suppressed("import os\nx = 1\n", 0, "TAU101").as_deref(),
            Some("import os  # noqa: TAU101\nx = 1\n")
        );
        assert_eq!(
            suppressed("import os  # keep\n", 3, "TAU101").as_deref(),
            Some("import os  # keep  # noqa: TAU101\n")
        );
        assert_eq!(
            suppressed("import os, sys  # noqa: F401 why\n", 11, "TAU101").as_deref(),
            Some("import os, sys  # noqa: F401, TAU101 why\n")
        );
        assert_eq!(suppressed("import os  # noqa\n", 0, "TAU101"), None);
        assert_eq!(suppressed("import os  # noqa: TAU101\n", 0, "TAU101"), None);
        assert_eq!(
            suppressed("x = '#'\nimport os", 12, "TAU101").as_deref(),
            Some("x = '#'\nimport os  # noqa: TAU101")
        );
    }

    #[test]
    fn parses_directives() {
        assert_eq!(parse_line_noqa("# noqa"), Some(LineNoqa::All));
        assert_eq!(
            parse_line_noqa("#noqa:F401"),
            Some(LineNoqa::Codes(vec!["F401".into()]))
        );
        assert_eq!(
            parse_line_noqa("# noqa: TAU101, F401 some reason"),
            Some(LineNoqa::Codes(vec!["TAU101".into(), "F401".into()]))
        );
        assert_eq!(
            parse_line_noqa("# type: ignore # noqa: E501"),
            Some(LineNoqa::Codes(vec!["E501".into()]))
        );
        assert_eq!(parse_line_noqa("# this is not noqa"), None);
        assert_eq!(parse_line_noqa("# NOQA"), Some(LineNoqa::All));
    }

    #[test]
    fn file_directives() {
        assert_eq!(parse_file_noqa("# tauten: noqa"), Some(LineNoqa::All));
        assert_eq!(parse_file_noqa("# ruff: noqa"), Some(LineNoqa::All));
        assert_eq!(parse_file_noqa("# flake8: noqa"), Some(LineNoqa::All));
        assert_eq!(parse_file_noqa("# flake8: noqa: E501"), Some(LineNoqa::All));
        assert_eq!(
            parse_file_noqa("# ruff: noqa: TC004, F401"),
            Some(LineNoqa::Codes(vec!["TC004".into(), "F401".into()]))
        );
        assert_eq!(
            parse_file_noqa("# tauten: noqa: TAU101"),
            Some(LineNoqa::Codes(vec!["TAU101".into()]))
        );
        assert_eq!(parse_file_noqa("# noqa"), None);
        assert_eq!(parse_file_noqa("# mypy: ignore-errors"), None);
        assert_eq!(parse_file_noqa("# ruff: noqanything"), None);
    }
}
