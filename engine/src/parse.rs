//! Parsing Python with tree-sitter: one parser per thread, syntax errors as data, incremental re-parse.

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree};

use crate::text::TextRange;

thread_local! {
    static PARSER: RefCell<Parser> = RefCell::new(new_parser());
}

fn new_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the bundled tree-sitter-python grammar matches the tree-sitter version");
    parser
}

/// A parsed module: the tree, and where tree-sitter had to recover from errors.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub tree: Tree,
    /// ERROR and MISSING nodes, in source order. Empty when the text is valid Python (as far as the grammar knows).
    pub errors: Vec<TextRange>,
}

impl Parsed {
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Parse `text`. With `old`, a previous tree of this document already adjusted by `Tree::edit`,
/// tree-sitter reuses what the edit left untouched.
pub fn parse(text: &str, old: Option<&Tree>) -> Parsed {
    let view = pep810_view(text);
    let text = view.as_deref().unwrap_or(text);
    let tree = PARSER.with(|parser| {
        let mut parser = parser.borrow_mut();
        match parser.parse(text, old) {
            Some(tree) => tree,
            // Only a cancellation or timeout makes tree-sitter give up; we set neither, but retry clean.
            None => {
                parser.reset();
                parser
                    .parse(text, None)
                    .expect("parsing without timeout or cancellation always yields a tree")
            }
        }
    });
    let errors = syntax_errors(&tree);
    Parsed { tree, errors }
}

/// The text as tree-sitter-python can read it when it has PEP 810 lazy imports, `None` when it
/// has none. The grammar does not know the `lazy` soft keyword, so a statement starting with
/// `lazy import` / `lazy from` is shown to it as `import` / `from` followed by spaces: the same
/// length, so every offset stays right, and the statement's node still starts where `lazy` does
/// (deleting the statement deletes the keyword). [`is_lazy_import`] tells such statements apart.
pub fn pep810_view(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut view: Option<String> = None;
    // Only the lines where `lazy` is the first word (found by searching for it, not line by line).
    for at in memchr::memmem::find_iter(bytes, b"lazy") {
        let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        if !bytes[line_start..at]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t'))
        {
            continue;
        }
        let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        let after = &text[at + 4..line_end];
        let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
        let keyword_rest = &after[gap..];
        let keyword = ["import", "from"].into_iter().find(|k| {
            keyword_rest
                .strip_prefix(k)
                .is_some_and(|r| r.starts_with([' ', '\t', '(', '.']) && !r.trim_start().is_empty())
        });
        if let (true, Some(keyword)) = (gap > 0, keyword) {
            let end = at + 4 + gap + keyword.len();
            let replacement = format!("{keyword}{}", " ".repeat(end - at - keyword.len()));
            view.get_or_insert_with(|| text.to_owned())
                .replace_range(at..end, &replacement);
        }
    }
    view
}

/// True when the statement starting at `start` is a PEP 810 `lazy` import.
pub fn is_lazy_import(text: &str, start: usize) -> bool {
    text.get(start..)
        .is_some_and(|rest| rest.starts_with("lazy"))
}

/// Every ERROR and MISSING node of `tree` (not those inside an ERROR), in no particular order,
/// found without recursion.
fn error_nodes(tree: &Tree) -> Vec<Node<'_>> {
    let mut errors = Vec::new();
    let mut stack: Vec<Node<'_>> = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            errors.push(node);
            continue;
        }
        if !node.has_error() {
            continue;
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    errors
}

/// Where `tree` has ERROR and MISSING nodes, in source order.
pub fn syntax_errors(tree: &Tree) -> Vec<TextRange> {
    let mut errors: Vec<TextRange> = error_nodes(tree)
        .into_iter()
        .map(TextRange::of_node)
        .collect();
    errors.sort();
    errors
}

/// Each place `text` does not parse, with what the parser expected or did not expect there:
/// ``Expected `)` `` where it supplied a missing token, ``Unexpected `else` `` where it skipped
/// text, in source order.
pub fn describe_syntax_errors(text: &str) -> Vec<(TextRange, String)> {
    let parsed = parse(text, None);
    let mut found: Vec<(TextRange, String)> = (error_nodes(&parsed.tree).into_iter())
        .map(|node| {
            if !node.is_missing() {
                return describe_skipped(node, text);
            }
            let kind = node.kind();
            let message = if kind.chars().all(|c| c.is_alphanumeric() || c == '_') {
                format!("Expected {}", kind.replace('_', " "))
            } else {
                format!("Expected `{kind}`")
            };
            (TextRange::of_node(node), message)
        })
        .collect();
    found.sort_by_key(|(range, _)| *range);
    found
}

/// What is wrong with the text the parser skipped as `node`: a bracket it leaves open (reported
/// where its closer was expected), or its first line.
fn describe_skipped(node: Node<'_>, text: &str) -> (TextRange, String) {
    let skipped = node_text(node, text);
    let end = node.start_byte() + skipped.trim_end().len();
    if let Some(closer) = unclosed_bracket(skipped) {
        let found = match text[end..].chars().next() {
            None => "end of file",
            Some('\n' | '\r') => "newline",
            Some(_) => "something else",
        };
        return (
            TextRange::empty(end),
            format!("Expected `{closer}`, found {found}"),
        );
    }
    // The innermost first text skipped inside it, then the first token there the grammar could
    // not place, or else the skipped text's first line.
    let mut node = node;
    loop {
        let mut cursor = node.walk();
        let inner = node.children(&mut cursor).find(|c| c.is_error());
        match inner {
            Some(inner) => node = inner,
            None => break,
        }
    }
    let skipped = node_text(node, text);
    let mut cursor = node.walk();
    let token = node
        .children(&mut cursor)
        .find(|c| !c.is_named() && !c.is_missing());
    if let Some(token) = token {
        let shown = node_text(token, text);
        return (TextRange::of_node(token), format!("Unexpected `{shown}`"));
    }
    let first = skipped.trim().lines().next().unwrap_or("").trim();
    let message = match first.char_indices().nth(30) {
        _ if first.is_empty() => "Invalid syntax".to_owned(),
        Some((cut, _)) => format!("Unexpected `{}...`", &first[..cut]),
        None => format!("Unexpected `{first}`"),
    };
    (TextRange::of_node(node), message)
}

/// The closer of the last bracket `code` opens and does not close (brackets in string literals
/// and comments do not count).
fn unclosed_bracket(code: &str) -> Option<char> {
    let mut open = Vec::new();
    let mut quote: Option<char> = None;
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            (None, '(') => open.push(')'),
            (None, '[') => open.push(']'),
            (None, '{') => open.push('}'),
            (None, ')' | ']' | '}') => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// The source text of `node`.
pub fn node_text<'s>(node: Node<'_>, source: &'s str) -> &'s str {
    source.get(node.byte_range()).unwrap_or("")
}

#[cfg(test)]
mod pep810_tests {
    use super::*;

    #[test]
    fn lazy_imports_parse_as_imports_at_the_same_offsets() {
        let text = "lazy import numpy as np\nif x:\n    lazy  from pandas import (\n        DataFrame,\n    )\nlazy = 1\nlazy.import_ = 2\n";
        let parsed = parse(text, None);
        assert!(!parsed.has_errors());
        let root = parsed.tree.root_node();
        let first = root.named_child(0).unwrap();
        assert_eq!(first.kind(), "import_statement");
        assert_eq!(first.start_byte(), 0);
        assert!(is_lazy_import(text, first.start_byte()));
        assert_eq!(
            node_text(first.child_by_field_name("name").unwrap(), text),
            "numpy as np"
        );
        let view = pep810_view(text).unwrap();
        assert_eq!(view.len(), text.len());
        assert!(view.contains("\n    from       pandas import (\n"));
        assert!(view.contains("lazy = 1\nlazy.import_ = 2"));
        assert!(pep810_view("x = 1\n").is_none());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_code_has_no_errors() {
        assert!(!parse("import os\nos.getcwd()\n", None).has_errors());
    }

    #[test]
    fn syntax_errors_say_what_was_expected_or_unexpected() {
        let missing = describe_syntax_errors("print((1)\n");
        assert_eq!(missing.len(), 1, "{missing:?}");
        // Where ruff says it, with its words.
        assert_eq!(
            missing[0],
            (
                TextRange::empty(9),
                "Expected `)`, found newline".to_owned()
            )
        );
        let call = describe_syntax_errors("f(a, b\n");
        assert_eq!(call[0].1, "Expected `)`, found newline", "{call:?}");
        let quoted = describe_syntax_errors("x = [\")\", 1\n");
        assert_eq!(quoted[0].1, "Expected `]`, found newline", "{quoted:?}");
        let skipped = describe_syntax_errors("x = 1\nelse:\n    pass\n");
        assert!(
            skipped
                .iter()
                .any(|(_, m)| m.starts_with("Unexpected `else")),
            "{skipped:?}"
        );
        assert_eq!(describe_syntax_errors("x = 1\n"), []);
    }

    #[test]
    fn errors_are_reported_not_panicked() {
        let parsed = parse("def f(:\n  pass\n", None);
        assert!(parsed.has_errors());
    }

    #[test]
    fn deep_nesting_parses_without_overflow() {
        let depth = 10_000;
        let text = format!("x = {}1{}\n", "(".repeat(depth), ")".repeat(depth));
        let parsed = parse(&text, None);
        // tree-sitter's own stack is on the heap; our error walk is iterative.
        let _ = parsed.errors.len();
    }
}
