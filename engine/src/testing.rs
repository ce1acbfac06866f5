//! Seeded edits of Python source for tests that compare incremental results with fresh ones
//! (the engine's and the language server's). Not part of the engine's interface.

use crate::syntax::NodeKind;
use crate::text::TextRange;

/// A small deterministic generator (xorshift).
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The identifiers inside function bodies, by range.
pub fn identifiers_in_bodies(source: &str) -> Vec<TextRange> {
    let parsed = crate::parse::parse(source, None);
    let mut out = Vec::new();
    let mut stack = vec![(parsed.tree.root_node(), false)];
    while let Some((node, in_body)) = stack.pop() {
        if in_body && node.kind_name() == "identifier" {
            out.push(TextRange::of_node(node));
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            let body = node.kind_name() == "function_definition"
                && node.child_by_field_name("body") == Some(child);
            stack.push((child, in_body || body));
        }
    }
    out.sort();
    out
}

/// One seeded edit inside a function body: grow, shrink or replace a name, add a statement, or
/// type a character that may break the syntax.
pub fn random_body_edit(source: &str, rng: &mut Rng) -> Option<(TextRange, String)> {
    let names = identifiers_in_bodies(source);
    if names.is_empty() {
        return None;
    }
    let at = names[rng.below(names.len())];
    let other = names[rng.below(names.len())];
    let line_end = source[at.end..]
        .find('\n')
        .map_or(source.len(), |i| at.end + i);
    let line_start = source[..at.start].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = source[line_start..]
        .chars()
        .take_while(|c| *c == ' ')
        .collect();
    Some(match rng.below(8) {
        0 => (TextRange::new(at.end, at.end), "x".into()),
        1 if at.len() > 1 => (TextRange::new(at.end - 1, at.end), String::new()),
        2 => (at, source[other.start..other.end].to_owned()),
        3 => (
            TextRange::new(line_end, line_end),
            format!(
                "\n{indent}{} = {}",
                &source[other.start..other.end],
                "os.path"
            ),
        ),
        4 => (
            TextRange::new(line_end, line_end),
            format!(
                "\n{indent}def inner(a: 'Sequence[int]' = b):\n{indent}    return [a for a in c]"
            ),
        ),
        5 => {
            let chars = ["(", ")", ":", "\n", "\"", "#", " ", "lambda: y"];
            (
                TextRange::new(at.start, at.start),
                chars[rng.below(chars.len())].into(),
            )
        }
        // From the first non-blank of the line (a body's first statement, say) into it.
        6 => {
            let start = line_start + indent.len();
            let end = (start + 1 + rng.below(line_end.saturating_sub(start).max(1))).min(line_end);
            (TextRange::new(start, end.max(start)), String::new())
        }
        _ => (TextRange::new(line_start, line_end), String::new()),
    })
}
