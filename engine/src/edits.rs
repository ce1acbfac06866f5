//! Edits that fixes share: removing names from an import, or a whole statement, without breaking
//! the code around it (an emptied block gets `pass`; `;`-separated neighbours keep their place).

use crate::syntax::NodeKind;
use tree_sitter::{Node, Tree};

use crate::diagnostic::Edit;
use crate::syntax::{Field, NodeFields};
use crate::text::TextRange;

/// The edits that remove `clauses` (the `name` children of the import statement at `statement`).
/// Removing every clause removes the statement. `None` when the statement is not found.
pub fn remove_import_clauses(
    tree: &Tree,
    source: &str,
    statement: TextRange,
    clauses: &[TextRange],
) -> Option<Vec<Edit>> {
    let node = find_node(tree, statement)?;
    let mut cursor = node.walk();
    let all: Vec<TextRange> = node
        .fields(Field::Name, &mut cursor)
        .map(TextRange::of_node)
        .collect();
    let removed: Vec<bool> = all.iter().map(|c| clauses.contains(c)).collect();
    if removed.iter().all(|r| *r) {
        let mut edits = vec![delete_statement(node, source)];
        edits.extend(block_guard(node));
        return Some(edits);
    }
    // Whole lines may go only inside parentheses: after a backslash they would leave a dangling comma.
    let parenthesized = {
        let mut cursor = node.walk();
        let found = node.children(&mut cursor).any(|c| c.kind_name() == "(");
        found
    };
    let mut edits = Vec::new();
    let mut i = 0;
    while i < all.len() {
        if !removed[i] {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < all.len() && removed[i] {
            i += 1;
        }
        let (first, last) = (all[run_start], all[i - 1]);
        let lines = parenthesized
            .then(|| whole_lines(source, first, last))
            .flatten();
        let range = if let Some(lines) = lines {
            lines
        } else if i < all.len() {
            TextRange::new(first.start, all[i].start)
        } else {
            // The run ends the list: take the comma before it (there is a kept clause before).
            TextRange::new(all[run_start - 1].end, last.end)
        };
        edits.push(Edit::deletion(range));
    }
    Some(edits)
}

/// The node of the statement spanning exactly `range`.
pub fn find_node(tree: &Tree, range: TextRange) -> Option<Node<'_>> {
    let mut node = tree
        .root_node()
        .descendant_for_byte_range(range.start, range.end)?;
    loop {
        if node.start_byte() == range.start && node.end_byte() == range.end && node.is_named() {
            // Prefer the outermost node with this exact range that is a statement.
            match node.parent() {
                Some(parent)
                    if parent.start_byte() == range.start
                        && parent.end_byte() == range.end
                        && parent.kind_name() != "module"
                        && parent.kind_name() != "block" =>
                {
                    node = parent;
                }
                _ => return Some(node),
            }
        } else {
            node = node.parent()?;
        }
    }
}

/// When clauses `first..=last` sit alone on their own lines (with an optional trailing comma and
/// comment), the range of those whole lines.
fn whole_lines(source: &str, first: TextRange, last: TextRange) -> Option<TextRange> {
    let line_start = source[..first.start]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    if !source[line_start..first.start]
        .chars()
        .all(|c| c == ' ' || c == '\t')
    {
        return None;
    }
    let rest = &source[last.end..];
    let mut offset = 0;
    let bytes = rest.as_bytes();
    while offset < bytes.len() && matches!(bytes[offset], b' ' | b'\t') {
        offset += 1;
    }
    if offset < bytes.len() && bytes[offset] == b',' {
        offset += 1;
    }
    while offset < bytes.len() && matches!(bytes[offset], b' ' | b'\t') {
        offset += 1;
    }
    if offset < bytes.len() && bytes[offset] == b'#' {
        while offset < bytes.len() && !matches!(bytes[offset], b'\n' | b'\r') {
            offset += 1;
        }
    }
    match bytes.get(offset) {
        Some(b'\r') if bytes.get(offset + 1) == Some(&b'\n') => offset += 2,
        Some(b'\n' | b'\r') => offset += 1,
        _ => return None,
    }
    Some(TextRange::new(line_start, last.end + offset))
}

/// Remove a simple statement: its whole line when it is alone there, its `;` neighbourhood when
/// it shares the line, or `pass` in its place when its block would be left empty.
pub fn delete_statement(node: Node<'_>, source: &str) -> Edit {
    let range = TextRange::of_node(node);
    if is_only_statement_of_block(node) {
        return Edit::replacement(range, "pass");
    }
    let bytes = source.as_bytes();
    // `stmt; next` -> drop `stmt; `.
    let mut after = range.end;
    while after < bytes.len() && matches!(bytes[after], b' ' | b'\t') {
        after += 1;
    }
    if bytes.get(after) == Some(&b';') {
        after += 1;
        while after < bytes.len() && matches!(bytes[after], b' ' | b'\t') {
            after += 1;
        }
        if !matches!(bytes.get(after), None | Some(b'\n' | b'\r' | b'#')) {
            return Edit::deletion(TextRange::new(range.start, after));
        }
    }
    // `prev; stmt` -> drop `; stmt`.
    let mut before = range.start;
    while before > 0 && matches!(bytes[before - 1], b' ' | b'\t') {
        before -= 1;
    }
    if before > 0 && bytes[before - 1] == b';' {
        let mut end = range.end;
        if bytes.get(end) == Some(&b';') {
            end += 1;
        }
        return Edit::deletion(TextRange::new(before - 1, end));
    }
    let first_on_line = before == 0 || matches!(bytes[before - 1], b'\n' | b'\r');
    if first_on_line {
        if let Some(lines) = whole_lines(source, range, range) {
            return Edit::deletion(lines);
        }
        // Last line of the file without a newline.
        if source[range.end..]
            .trim_start_matches([' ', '\t', ';'])
            .starts_with('#')
            || source[range.end..].trim().is_empty()
        {
            return Edit::deletion(TextRange::new(before, source.len().max(range.end)));
        }
    }
    Edit::deletion(range)
}

/// When `node` is one of several statements of a block, an empty edit at the start of the block
/// that every removal of a statement of that block carries: two such removals then touch, so no
/// pass applies both (fixes are chosen without seeing each other), and the removal of the last
/// statement left sees itself alone and leaves `pass`, whatever comments separate the statements.
/// `None` for a statement alone in its block (it becomes `pass`) or outside a block.
pub fn block_guard(node: Node<'_>) -> Option<Edit> {
    let parent = node.parent()?;
    if parent.kind_name() != "block" || is_only_statement_of_block(node) {
        return None;
    }
    Some(Edit::insertion(parent.start_byte(), ""))
}

/// True when `node` is the only statement (comments aside) of a block that must not be empty.
fn is_only_statement_of_block(node: Node<'_>) -> bool {
    let Some(parent) = node.parent() else {
        return false;
    };
    if parent.kind_name() != "block" {
        return false;
    }
    let mut cursor = parent.walk();
    let count = parent
        .named_children(&mut cursor)
        .filter(|c| c.kind_name() != "comment")
        .count();
    count == 1
}

/// An edit adding `statement` (e.g. `import asyncio`) on its own line after the last module-level
/// import, or after the module docstring when there is none.
pub fn add_module_statement(tree: &Tree, source: &str, statement: &str) -> Edit {
    let newline = crate::source::detect_line_ending(source);
    let root = tree.root_node();
    let mut cursor = root.walk();
    let children: Vec<Node<'_>> = root.named_children(&mut cursor).collect();
    let anchor = children
        .iter()
        .rev()
        .find(|c| {
            matches!(
                c.kind_name(),
                "import_statement" | "import_from_statement" | "future_import_statement"
            )
        })
        .or_else(|| {
            children.first().filter(|first| {
                first.kind_name() == "expression_statement"
                    && first
                        .named_child(0)
                        .is_some_and(|s| s.kind_name() == "string")
            })
        });
    match anchor {
        Some(node) => {
            let end = source[node.end_byte()..]
                .find(['\n', '\r'])
                .map_or(source.len(), |i| node.end_byte() + i);
            Edit::insertion(end, format!("{newline}{statement}"))
        }
        None => Edit::insertion(0, format!("{statement}{newline}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Diagnostic, Fix};
    use crate::fix::{pick_fixes, FixMode};
    use crate::rule::{Family, FixAvailability, RuleMeta};

    static META: RuleMeta = RuleMeta {
        code: "TAU997",
        name: "test-remover",
        family: Family::Imports,
        fix: FixAvailability::Always,
        summary: "test",
        doc: "test",
        equivalents: &[],
    };

    /// The fixes removing each import statement of `source` whole, as TAU101 makes them.
    fn removals(source: &str) -> Vec<Diagnostic> {
        let parsed = crate::parse::parse(source, None);
        let mut out = Vec::new();
        let mut stack = vec![parsed.tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind_name() == "import_statement" {
                let statement = TextRange::of_node(node);
                let clauses: Vec<TextRange> = {
                    let mut cursor = node.walk();
                    let found = node
                        .fields(Field::Name, &mut cursor)
                        .map(TextRange::of_node)
                        .collect();
                    found
                };
                let edits = remove_import_clauses(&parsed.tree, source, statement, &clauses)
                    .expect("the statement is found");
                let fix = Fix::new("remove", Applicability::Safe, edits);
                out.push(Diagnostic::new(&META, "unused", statement).with_fix(Some(fix)));
                continue;
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        out
    }

    #[test]
    fn removals_in_one_block_are_never_applied_together() {
        // Comments between the statements keep the removals from touching otherwise.
        let source = "def f(self):\n    # a\n    import os\n    # b\n    import sys\n    # c\n\n\
            def g():\n    import json\n";
        let diagnostics = removals(source);
        assert_eq!(diagnostics.len(), 3);
        // One of `f`'s and `g`'s (alone in its block: `pass`, no guard).
        assert_eq!(pick_fixes(&diagnostics, FixMode::Safe).len(), 2);
        let mut text = source.to_owned();
        for _ in 0..3 {
            let diagnostics = removals(&text);
            let picked = pick_fixes(&diagnostics, FixMode::Safe);
            text = crate::fix::apply(&text, &picked);
        }
        assert_eq!(
            text,
            "def f(self):\n    # a\n    # b\n    pass\n    # c\n\ndef g():\n    pass\n"
        );
    }
}
