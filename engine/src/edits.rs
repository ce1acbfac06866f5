//! Edits that fixes share: removing names from an import, or a whole statement, without breaking
//! the code around it (an emptied block gets `pass`; `;`-separated neighbours keep their place).

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
        return Some(vec![delete_statement(node, source)]);
    }
    // Whole lines may go only inside parentheses: after a backslash they would leave a dangling comma.
    let parenthesized = {
        let mut cursor = node.walk();
        let found = node.children(&mut cursor).any(|c| c.kind() == "(");
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
                        && parent.kind() != "module"
                        && parent.kind() != "block" =>
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

/// True when `node` is the only statement (comments aside) of a block that must not be empty.
fn is_only_statement_of_block(node: Node<'_>) -> bool {
    let Some(parent) = node.parent() else {
        return false;
    };
    if parent.kind() != "block" {
        return false;
    }
    let mut cursor = parent.walk();
    let count = parent
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
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
                c.kind(),
                "import_statement" | "import_from_statement" | "future_import_statement"
            )
        })
        .or_else(|| {
            children.first().filter(|first| {
                first.kind() == "expression_statement"
                    && first.named_child(0).is_some_and(|s| s.kind() == "string")
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
